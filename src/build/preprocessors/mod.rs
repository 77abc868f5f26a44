//! mdBook preprocessors (`[preprocessor.NAME]`), run through mdBook's protocol: the
//! command is asked `supports html`, then given `[context, book]` as JSON on its standard
//! input and answers the book on its standard output ([`protocol`]). Running a book's
//! commands is running a stranger's code, so folio does it only when the person running
//! it allows it (`--allow-preprocessors`, or `FOLIO_ALLOW_PREPROCESSORS=1`), and each run
//! is bounded in time and output ([`BookCommand`]).

pub mod protocol;

use super::book_command::BookCommand;
use crate::book::Book;
use crate::diagnostic::Diagnostic;
use serde_json::{Value, json};
use std::path::Path;

/// The environment variable that allows a book's preprocessors to run.
pub const ALLOW_VARIABLE: &str = "FOLIO_ALLOW_PREPROCESSORS";

/// The mdBook version folio speaks the protocol of.
pub(super) const MDBOOK_VERSION: &str = "0.5.4";

/// mdBook's built-in preprocessors, which folio does itself.
const BUILT_IN: [&str; 2] = ["links", "index"];

/// Runs the book's preprocessors on every edition, in mdBook's order; returns the
/// warnings. `allowed` says whether the person running folio allowed it.
pub fn run(book: &mut Book, allowed: bool) -> Result<Vec<Diagnostic>, Diagnostic> {
    let config_file = book.root.join(crate::config::CONFIG_FILE);
    let preprocessors = ordered(&book.config.preprocessor, &config_file)?;
    let Some(first) = preprocessors.first() else {
        return Ok(Vec::new());
    };
    if !allowed {
        let listed: Vec<String> = preprocessors
            .iter()
            .map(|p| format!("`{}` (`{}`)", p.name, p.command))
            .collect();
        return Err(first
            .error(format!("book.toml asks to run commands: {}", listed.join(", ")))
            .with_hint(format!("a book's commands run only when you allow them: `--allow-preprocessors`, or {ALLOW_VARIABLE}=1; read them first if the book is not yours")));
    }
    let config = serde_json::to_value(&book.config.document).unwrap_or(Value::Null);
    // mdBook gives the book's directory as an absolute path.
    let root = std::path::absolute(&book.root).unwrap_or_else(|_| book.root.clone());
    let mut warnings = Vec::new();
    for preprocessor in &preprocessors {
        match supports_html(preprocessor, &book.root) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) if preprocessor.optional => {
                warnings.push(error.into_warning());
                continue;
            }
            Err(error) => return Err(error),
        }
        for edition in &mut book.editions {
            let context = json!({
                "root": root,
                "config": with_source(&config, &edition.language.src_dir),
                "renderer": "html",
                "mdbook_version": MDBOOK_VERSION,
            });
            let sent = protocol::items_of(edition);
            // 0.4's `Book` requires its `__non_exhaustive` field (a unit: null).
            let input =
                json!([context, {"items": sent, "sections": sent, "__non_exhaustive": null}]);
            let command = preprocessor.prepare(&book.root, &book.root)?;
            let finished = preprocessor.run(
                command,
                serde_json::to_vec(&input).expect("a JSON value serializes"),
            )?;
            let answer = protocol::read_answer(&finished.output, &sent).map_err(|wrong| {
                preprocessor
                    .error(format!(
                        "preprocessor `{}` (`{}`) did not answer a book: {wrong}",
                        preprocessor.name, preprocessor.command
                    ))
                    .with_hint("it must print the book it was given, as JSON, on its standard output (mdBook's protocol)")
            })?;
            for added in &answer.added {
                warnings.push(
                    Diagnostic::warning(
                        "preprocessor",
                        format!(
                            "preprocessor `{}` added the chapter {added} to the {} edition: folio renders the chapters of SUMMARY.md only, so it is left out",
                            preprocessor.name, edition.language.code
                        ),
                    )
                    .in_file(&config_file)
                    .at_line(preprocessor.line)
                    .with_hint("list the chapter in SUMMARY.md, with a file, for the preprocessor to fill"),
                );
            }
            protocol::apply(edition, answer);
        }
    }
    Ok(warnings)
}

/// `COMMAND supports html`: exit 0 means yes.
fn supports_html(preprocessor: &BookCommand, root: &Path) -> Result<bool, Diagnostic> {
    let mut command = preprocessor.prepare(root, root)?;
    command.args(["supports", "html"]);
    Ok(preprocessor
        .run_to_exit(command, Vec::new())?
        .status
        .success())
}

/// The preprocessors of book.toml but mdBook's built-in ones, for the HTML renderer,
/// sorted by name and then by their `before`/`after` constraints, as mdBook does.
fn ordered(
    tables: &std::collections::BTreeMap<String, toml::Value>,
    config_file: &Path,
) -> Result<Vec<BookCommand>, Diagnostic> {
    let wanted: Vec<(&String, &toml::Value)> = tables
        .iter()
        .filter(|(name, _)| !BUILT_IN.contains(&name.as_str()))
        .filter(|(_, table)| {
            table
                .get("renderers")
                .and_then(toml::Value::as_array)
                .is_none_or(|renderers| renderers.iter().any(|r| r.as_str() == Some("html")))
        })
        .collect();
    let names: Vec<&str> = wanted.iter().map(|(name, _)| name.as_str()).collect();
    let constraint = |table: &toml::Value, key: &str| -> Vec<String> {
        table
            .get(key)
            .and_then(toml::Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    // `a` runs before `b` when a says `before = ["b"]` or b says `after = ["a"]`.
    let must_precede = |a: usize, b: usize| {
        constraint(wanted[a].1, "before")
            .iter()
            .any(|n| n == names[b])
            || constraint(wanted[b].1, "after")
                .iter()
                .any(|n| n == names[a])
    };
    let mut order = Vec::new();
    let mut left: Vec<usize> = (0..wanted.len()).collect();
    while !left.is_empty() {
        let Some(position) = left.iter().position(|&candidate| {
            !left
                .iter()
                .any(|&other| other != candidate && must_precede(other, candidate))
        }) else {
            let cycle: Vec<&str> = left.iter().map(|&i| names[i]).collect();
            return Err(Diagnostic::error(
                "preprocessor",
                format!(
                    "the `before`/`after` of preprocessors {} form a cycle",
                    cycle.join(", ")
                ),
            )
            .in_file(config_file)
            .with_hint("remove one of the constraints"));
        };
        order.push(left.remove(position));
    }
    order
        .into_iter()
        .map(|index| {
            let (name, table) = wanted[index];
            BookCommand::from_table("preprocessor", "preprocessor", name, table, config_file)
        })
        .collect()
}

/// The configuration with `book.src` set to the edition's directory.
fn with_source(config: &Value, src_dir: &Path) -> Value {
    let mut config = config.clone();
    if let Some(table) = config.as_object_mut() {
        let book = table.entry("book").or_insert_with(|| json!({}));
        if let Some(book) = book.as_object_mut() {
            book.insert("src".into(), json!(src_dir));
        }
    }
    config
}
