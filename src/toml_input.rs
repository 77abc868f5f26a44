//! Strict TOML reading shared by book.toml and front matter: parse errors carry the
//! line, and keys the schema does not know come back as warnings instead of vanishing.

use crate::diagnostic::{Diagnostic, line_of_offset};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `text` (which starts on line `first_line` of `path`) into `T`.
///
/// Returns the value and one warning per key `T` does not know.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    first_line: usize,
) -> Result<(T, Vec<Diagnostic>), Diagnostic> {
    let located_error = |error: toml::de::Error| {
        let line = error
            .span()
            .map(|span| line_of_offset(text, span.start) + first_line - 1)
            .unwrap_or(first_line);
        Diagnostic::error("invalid-toml", error.message().trim().to_string())
            .in_file(path)
            .at_line(line)
            .with_hint("fix the TOML syntax or the value's type (https://toml.io)")
    };
    let deserializer = toml::Deserializer::parse(text).map_err(located_error)?;
    let mut unknown_keys = Vec::new();
    let value = serde_ignored::deserialize(deserializer, |key| unknown_keys.push(key.to_string()))
        .map_err(located_error)?;
    Ok((
        value,
        unknown_key_warnings(&unknown_keys, text, path, first_line),
    ))
}

/// Reads `table` (TOML already parsed, then changed) into `T`; returns the value and
/// the dotted keys `T` does not know. The error is a sentence without a line: the table
/// has none.
pub fn parse_table<T: DeserializeOwned>(table: toml::Table) -> Result<(T, Vec<String>), String> {
    let mut unknown_keys = Vec::new();
    let value = serde_ignored::deserialize(toml::Value::Table(table), |key| {
        unknown_keys.push(key.to_string())
    })
    .map_err(|error| error.message().trim().to_string())?;
    Ok((value, unknown_keys))
}

/// How many unknown keys of one table are reported one by one; the rest of that table
/// come in one warning with their count (a stranger's page can hold a million).
const UNKNOWN_KEYS_LISTED: usize = 10;

/// One warning per unknown key, up to [`UNKNOWN_KEYS_LISTED`] per table, then one for the
/// rest of the table; every line found in one pass over `text`.
fn unknown_key_warnings(
    keys: &[String],
    text: &str,
    path: &Path,
    first_line: usize,
) -> Vec<Diagnostic> {
    if keys.is_empty() {
        return Vec::new();
    }
    let lines = KeyLines::of(text);
    let line_of = |key: &str| {
        lines
            .line_of(key)
            .map_or(first_line, |l| l + first_line - 1)
    };
    let mut by_table: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for key in keys {
        let table = key.rsplit_once('.').map_or("", |(table, _)| table);
        by_table.entry(table).or_default().push(key);
    }
    let mut warnings = Vec::new();
    for (table, keys) in by_table {
        for key in keys.iter().take(UNKNOWN_KEYS_LISTED) {
            warnings.push(
                Diagnostic::warning("unknown-key", format!("unknown key `{key}` is ignored"))
                    .in_file(path)
                    .at_line(line_of(key))
                    .with_hint("check its spelling, or remove it"),
            );
        }
        if let Some(first_unlisted) = keys.get(UNKNOWN_KEYS_LISTED) {
            let table = if table.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in `[{table}]`")
            };
            warnings.push(
                Diagnostic::warning(
                    "unknown-key",
                    format!(
                        "{} more unknown keys {table} are ignored, from `{first_unlisted}` on",
                        keys.len() - UNKNOWN_KEYS_LISTED
                    ),
                )
                .in_file(path)
                .at_line(line_of(first_unlisted))
                .with_hint("check their spelling, or remove them"),
            );
        }
    }
    warnings
}

/// Where each name is first written as a key (`name =`, `name.sub =`) or as the last
/// part of a table header (`[a.name]`), found in one pass (best effort: the first line
/// naming it): the lines of many keys without reading the text once per key.
pub struct KeyLines<'a> {
    first_line: std::collections::HashMap<&'a str, usize>,
}

impl<'a> KeyLines<'a> {
    /// The names of `text`, read once.
    pub fn of(text: &'a str) -> Self {
        let mut first_line = std::collections::HashMap::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            let name = if line.starts_with('[') {
                let header = line.trim_start_matches('[');
                let header = header.split(']').next().unwrap_or(header);
                header.rsplit('.').next().unwrap_or(header).trim()
            } else {
                let Some(end) = line.find(['=', '.']) else {
                    continue;
                };
                line[..end].trim_end()
            };
            first_line.entry(name).or_insert(index + 1);
        }
        Self { first_line }
    }

    /// The 1-based line where the last segment of `dotted_key` is written.
    pub fn line_of(&self, dotted_key: &str) -> Option<usize> {
        let name = dotted_key.rsplit('.').next()?;
        self.first_line.get(name).copied()
    }
}

/// The line where `dotted_key` is written in the file at `path`; line 1 when the file or
/// the key cannot be found.
pub fn line_of_key_in(path: &std::path::Path, dotted_key: &str) -> usize {
    crate::source_file::read_text(path)
        .ok()
        .and_then(|text| KeyLines::of(&text).line_of(dotted_key))
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lines_find_keys_dotted_keys_and_headers() {
        let text =
            "title = \"t\"\n[output.html]\nfold.enable = true\n[[event]] # first\ndate = 1\n";
        let lines = KeyLines::of(text);
        assert_eq!(lines.line_of("title"), Some(1));
        assert_eq!(lines.line_of("output.html"), Some(2));
        assert_eq!(lines.line_of("output.html.fold"), Some(3));
        assert_eq!(lines.line_of("event"), Some(4));
        assert_eq!(lines.line_of("event.date"), Some(5));
        assert_eq!(lines.line_of("missing"), None);
    }

    #[test]
    fn unknown_keys_past_the_limit_are_one_warning_per_table() {
        #[derive(serde::Deserialize)]
        struct Known {
            #[allow(dead_code)]
            title: Option<String>,
        }
        let text: String = (0..25).map(|n| format!("key{n} = \"v\"\n")).collect();
        let (_, warnings) = parse::<Known>(&text, Path::new("p.md"), 3).unwrap();
        assert_eq!(warnings.len(), UNKNOWN_KEYS_LISTED + 1);
        let rest = warnings.last().unwrap();
        assert!(
            rest.message
                .starts_with("15 more unknown keys at the top level"),
            "{}",
            rest.message
        );
        // Its line is the line of the key it names (`keyN` on line N + 3).
        let named: usize = rest
            .message
            .split("`key")
            .nth(1)
            .unwrap()
            .split('`')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(rest.line, Some(named + 3));
    }
}
