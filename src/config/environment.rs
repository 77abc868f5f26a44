//! mdBook's environment overrides: `MDBOOK_BOOK__TITLE=...` sets `book.title` over
//! book.toml, as `mdbook build` reads it (translated books build each language with
//! `MDBOOK_BOOK__LANGUAGE=xx`). The rules are mdBook 0.5's: the name after `MDBOOK_`,
//! lowercased, `__` between tables and `_` for `-`; only the `book`, `build`, `rust`,
//! `output` and `preprocessor` tables (so `MDBOOK_VERSION` of a script is left alone);
//! the value read as JSON, else taken as a string.

use crate::diagnostic::Diagnostic;

/// The prefix of the variables that override book.toml.
const PREFIX: &str = "MDBOOK_";

/// The tables an override may set.
const TABLES: [&str; 5] = ["book", "build", "rust", "output", "preprocessor"];

/// One variable that overrides a key of book.toml.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The variable, as set (`MDBOOK_BOOK__LANGUAGE`).
    pub variable: String,
    /// The dotted key it sets (`book.language`).
    pub key: String,
    /// Its value, as TOML.
    pub value: toml::Value,
}

/// The overrides among `variables` (name, value), sorted by key: a whole table
/// (`MDBOOK_BOOK`) comes before the keys that refine it (`MDBOOK_BOOK__TITLE`). A value
/// TOML cannot hold (JSON's `null`) is an error naming the variable.
pub fn overrides(
    variables: impl Iterator<Item = (String, String)>,
) -> Result<Vec<Override>, Diagnostic> {
    let mut found: Vec<(String, String, String)> = variables
        .filter_map(|(variable, value)| {
            let key = variable
                .strip_prefix(PREFIX)?
                .to_lowercase()
                .replace("__", ".")
                .replace('_', "-");
            let table = key.split('.').next().unwrap_or_default();
            TABLES.contains(&table).then_some((variable, key, value))
        })
        .collect();
    found.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    found
        .into_iter()
        .map(|(variable, key, value)| {
            let json = serde_json::from_str(&value).unwrap_or(serde_json::Value::String(value));
            let value = to_toml(&json).ok_or_else(|| {
                Diagnostic::error(
                    "environment",
                    format!(
                        "{variable} sets `{key}` to a value book.toml cannot hold (a JSON `null`)"
                    ),
                )
                .with_hint(format!("give it a value, or unset it: `unset {variable}`"))
            })?;
            Ok(Override {
                variable,
                key,
                value,
            })
        })
        .collect()
}

/// `table` (book.toml) with every override set in it, tables made on the way where they
/// are missing (or hold a plain value: the environment wins).
pub fn apply(table: &mut toml::Table, overrides: &[Override]) {
    for entry in overrides {
        let mut current = &mut *table;
        let mut parts = entry.key.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                current.insert(part.to_string(), entry.value.clone());
                break;
            }
            let next = current
                .entry(part.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if !next.is_table() {
                *next = toml::Value::Table(toml::Table::new());
            }
            current = next.as_table_mut().expect("made a table above");
        }
    }
}

/// A JSON value as TOML; `None` for a `null` anywhere in it.
fn to_toml(json: &serde_json::Value) -> Option<toml::Value> {
    Some(match json {
        serde_json::Value::Null => return None,
        serde_json::Value::Bool(value) => toml::Value::Boolean(*value),
        serde_json::Value::Number(number) => match number.as_i64() {
            Some(integer) => toml::Value::Integer(integer),
            None => toml::Value::Float(number.as_f64()?),
        },
        serde_json::Value::String(text) => toml::Value::String(text.clone()),
        serde_json::Value::Array(items) => {
            toml::Value::Array(items.iter().map(to_toml).collect::<Option<_>>()?)
        }
        serde_json::Value::Object(fields) => toml::Value::Table(
            fields
                .iter()
                .map(|(key, value)| Some((key.clone(), to_toml(value)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

/// What an override is for a reader of the log: a note, never a failure.
pub fn note(entry: &Override, config_file: &std::path::Path) -> Diagnostic {
    Diagnostic::note(
        "environment",
        format!(
            "`{}` = {} comes from the environment ({})",
            entry.key, entry.value, entry.variable
        ),
    )
    .in_file(config_file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variables(pairs: &[(&str, &str)]) -> impl Iterator<Item = (String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn names_follow_mdbooks_rules_and_values_are_json_else_strings() {
        let found = overrides(variables(&[
            ("MDBOOK_BOOK__TEXT_DIRECTION", "rtl"),
            ("MDBOOK_BOOK__LANGUAGE", "fr"),
            ("MDBOOK_OUTPUT__HTML__FOLD__LEVEL", "2"),
            ("MDBOOK_book", "{\"title\": \"T\", \"authors\": [\"A\"]}"),
            ("MDBOOK_VERSION", "0.5.4"),
            ("HOME", "/root"),
        ]))
        .unwrap();
        let keys: Vec<&str> = found.iter().map(|entry| entry.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "book",
                "book.language",
                "book.text-direction",
                "output.html.fold.level"
            ]
        );
        assert_eq!(found[3].value, toml::Value::Integer(2));
        let mut table: toml::Table = "[book]\ntitle = \"Old\"\nsrc = \"src\"\n".parse().unwrap();
        apply(&mut table, &found);
        assert_eq!(table["book"]["title"].as_str(), Some("T"));
        assert_eq!(table["book"]["language"].as_str(), Some("fr"));
        assert!(
            table["book"].get("src").is_none(),
            "a whole table replaces the table"
        );
        assert_eq!(
            table["output"]["html"]["fold"]["level"].as_integer(),
            Some(2)
        );
    }

    #[test]
    fn a_null_is_an_error_naming_the_variable() {
        let error = overrides(variables(&[("MDBOOK_BOOK__TITLE", "null")])).unwrap_err();
        assert!(
            error
                .message
                .starts_with("MDBOOK_BOOK__TITLE sets `book.title`")
        );
    }
}
