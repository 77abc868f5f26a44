//! mdBook preprocessors (`[preprocessor.NAME]`), run through mdBook's protocol: the
//! command is asked `supports html`, then given `[context, book]` as JSON on its standard
//! input and answers the book on its standard output. Running a book's commands is
//! running a stranger's code, so folio does it only when the person running it allows
//! it (`--allow-preprocessors`, or `FOLIO_ALLOW_PREPROCESSORS=1`).
//!
//! mdBook 0.5 names the book's list `items`, 0.4 named it `sections`: folio sends both
//! (the same list) and takes back whichever the preprocessor changed.

use crate::book::summary::SummaryItem;
use crate::book::{Book, Edition, PageContent};
use crate::diagnostic::Diagnostic;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

/// The environment variable that allows a book's preprocessors to run.
pub const ALLOW_VARIABLE: &str = "FOLIO_ALLOW_PREPROCESSORS";

/// The mdBook version folio speaks the protocol of.
const MDBOOK_VERSION: &str = "0.5.4";

/// mdBook's built-in preprocessors, which folio does itself.
const BUILT_IN: [&str; 2] = ["links", "index"];

/// One `[preprocessor.NAME]` table.
#[derive(Debug, Clone)]
struct Preprocessor {
    name: String,
    command: String,
    optional: bool,
}

/// Runs the book's preprocessors on every edition, in mdBook's order; returns the
/// warnings. `allowed` says whether the person running folio allowed it.
pub fn run(book: &mut Book, allowed: bool) -> Result<Vec<Diagnostic>, Diagnostic> {
    let config_file = book.root.join(crate::config::CONFIG_FILE);
    let preprocessors = ordered(&book.config.preprocessor, &config_file)?;
    if preprocessors.is_empty() {
        return Ok(Vec::new());
    }
    if !allowed {
        let listed: Vec<String> = preprocessors
            .iter()
            .map(|p| format!("`{}` (`{}`)", p.name, p.command))
            .collect();
        return Err(Diagnostic::error(
            "preprocessor",
            format!("book.toml asks to run commands: {}", listed.join(", ")),
        )
        .in_file(&config_file)
        .at_line(crate::toml_input::line_of_key_in(&config_file, &format!("preprocessor.{}", preprocessors[0].name)))
        .with_hint(format!("a book's commands run only when you allow them: `--allow-preprocessors`, or {ALLOW_VARIABLE}=1; read them first if the book is not yours")));
    }
    let config = serde_json::to_value(read_config(&config_file)).unwrap_or(Value::Null);
    let mut warnings = Vec::new();
    for preprocessor in &preprocessors {
        match preprocessor.supports_html(&book.root) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) if preprocessor.optional => {
                warnings.push(error.into_warning().in_file(&config_file));
                continue;
            }
            Err(error) => return Err(error.in_file(&config_file)),
        }
        for edition in &mut book.editions {
            let context = json!({
                "root": book.root,
                "config": with_source(&config, &edition.language.src_dir),
                "renderer": "html",
                "mdbook_version": MDBOOK_VERSION,
            });
            let sent = items_of(edition);
            let answer = preprocessor
                .exchange(
                    &book.root,
                    &json!([context, {"items": sent, "sections": sent}]),
                )
                .map_err(|error| error.in_file(&config_file))?;
            apply(edition, &answer, &sent);
        }
    }
    Ok(warnings)
}

/// The preprocessors of book.toml but mdBook's built-in ones, for the HTML renderer,
/// sorted by name and then by their `before`/`after` constraints, as mdBook does.
fn ordered(
    tables: &std::collections::BTreeMap<String, toml::Value>,
    config_file: &Path,
) -> Result<Vec<Preprocessor>, Diagnostic> {
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
    Ok(order
        .into_iter()
        .map(|index| {
            let (name, table) = wanted[index];
            Preprocessor {
                name: name.clone(),
                command: table
                    .get("command")
                    .and_then(toml::Value::as_str)
                    .map_or_else(|| format!("mdbook-{name}"), str::to_string),
                optional: table
                    .get("optional")
                    .and_then(toml::Value::as_bool)
                    .unwrap_or(false),
            }
        })
        .collect())
}

impl Preprocessor {
    /// The command, its words split as a shell would (quotes kept together), run from
    /// the book's directory; a relative program path is taken from there too.
    fn command(&self, root: &Path) -> Result<Command, Diagnostic> {
        let words = split_command(&self.command);
        let Some((program, arguments)) = words.split_first() else {
            return Err(Diagnostic::error(
                "preprocessor",
                format!("preprocessor `{}` has an empty command", self.name),
            )
            .with_hint(
                "write `command = \"program arguments\"`, or leave it out to run `mdbook-NAME`",
            ));
        };
        let program = if program.contains('/') && Path::new(program).is_relative() {
            root.join(program)
        } else {
            program.into()
        };
        let mut command = Command::new(program);
        command.args(arguments).current_dir(root);
        Ok(command)
    }

    /// `COMMAND supports html`: exit 0 means yes.
    fn supports_html(&self, root: &Path) -> Result<bool, Diagnostic> {
        let status = self
            .command(root)?
            .args(["supports", "html"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|error| self.failed_to_start(&error))?;
        Ok(status.success())
    }

    /// Sends `input` and reads the book back.
    fn exchange(&self, root: &Path, input: &Value) -> Result<Value, Diagnostic> {
        let mut child = self
            .command(root)?
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| self.failed_to_start(&error))?;
        let bytes = serde_json::to_vec(input).expect("a JSON value serializes");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // A writer thread, so that a command answering before it reads all cannot block.
        let writer = std::thread::spawn(move || stdin.write_all(&bytes));
        let output = child
            .wait_with_output()
            .map_err(|error| self.failed_to_start(&error))?;
        let _ = writer.join();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim();
        if !output.status.success() {
            return Err(Diagnostic::error(
                "preprocessor",
                format!(
                    "preprocessor `{}` (`{}`) failed ({}){}",
                    self.name,
                    self.command,
                    output.status,
                    if stderr.is_empty() { String::new() } else { format!(": {stderr}") }
                ),
            )
            .with_hint("run the command by hand on the book to see why, or remove its [preprocessor] table"));
        }
        serde_json::from_slice(&output.stdout).map_err(|error| {
            Diagnostic::error(
                "preprocessor",
                format!("preprocessor `{}` answered something that is not a book: {error}", self.name),
            )
            .with_hint("it must print the book it was given, as JSON, on its standard output (mdBook's protocol)")
        })
    }

    fn failed_to_start(&self, error: &std::io::Error) -> Diagnostic {
        Diagnostic::error(
            "preprocessor",
            format!("cannot run preprocessor `{}` (`{}`): {error}", self.name, self.command),
        )
        .with_hint(format!("install it (e.g. `cargo install mdbook-{}`), set `optional = true`, or remove its table", self.name))
    }
}

/// Words of a command line; `"..."` and `'...'` keep spaces.
fn split_command(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut started = false;
    for character in command.chars() {
        match (quote, character) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(character);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

/// book.toml as JSON, for the context (unreadable: an empty table).
fn read_config(config_file: &Path) -> toml::Value {
    crate::source_file::read_text(config_file)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .map(toml::Value::Table)
        .unwrap_or_else(|| toml::Value::Table(toml::Table::new()))
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

/// An edition as mdBook's list of book items: chapters nested under their parents.
fn items_of(edition: &Edition) -> Value {
    let mut stack: Vec<(usize, Vec<Value>, Value)> = Vec::new();
    let mut top: Vec<Value> = Vec::new();
    let close =
        |stack: &mut Vec<(usize, Vec<Value>, Value)>, top: &mut Vec<Value>, depth: usize| {
            while stack.last().is_some_and(|(d, _, _)| *d >= depth) {
                let (_, children, mut chapter) = stack.pop().expect("checked");
                chapter["sub_items"] = Value::Array(children);
                let item = json!({ "Chapter": chapter });
                match stack.last_mut() {
                    Some((_, siblings, _)) => siblings.push(item),
                    None => top.push(item),
                }
            }
        };
    for item in &edition.summary.items {
        match item {
            SummaryItem::PartTitle(title) => {
                close(&mut stack, &mut top, 0);
                top.push(json!({ "PartTitle": title }));
            }
            SummaryItem::Separator => {
                close(&mut stack, &mut top, 0);
                top.push(json!("Separator"));
            }
            SummaryItem::Chapter(entry) => {
                close(&mut stack, &mut top, entry.depth);
                let content = entry
                    .path
                    .as_deref()
                    .and_then(|path| edition.pages.iter().find(|page| page.path == path))
                    .and_then(|page| match &page.content {
                        PageContent::Written(written) => Some(written.markdown.to_string()),
                        _ => None,
                    })
                    .unwrap_or_default();
                let parent_names: Vec<Value> = stack
                    .iter()
                    .map(|(_, _, chapter)| chapter["name"].clone())
                    .collect();
                let chapter = json!({
                    "name": entry.title,
                    "content": content,
                    "number": entry.number,
                    "sub_items": [],
                    "path": entry.path,
                    "source_path": entry.path,
                    "parent_names": parent_names,
                });
                stack.push((entry.depth, Vec::new(), chapter));
            }
        }
    }
    close(&mut stack, &mut top, 0);
    Value::Array(top)
}

/// Puts the chapters' new text back into the edition's pages.
fn apply(edition: &mut Edition, answer: &Value, sent: &Value) {
    let items = ["items", "sections"]
        .iter()
        .filter_map(|key| answer.get(*key))
        .find(|items| *items != sent)
        .or_else(|| answer.get("items"))
        .and_then(Value::as_array);
    let mut contents = std::collections::HashMap::new();
    let mut pending: Vec<&Value> = items
        .map(|items| items.iter().collect())
        .unwrap_or_default();
    while let Some(item) = pending.pop() {
        let Some(chapter) = item.get("Chapter") else {
            continue;
        };
        if let (Some(path), Some(content)) = (
            chapter.get("path").and_then(Value::as_str),
            chapter.get("content").and_then(Value::as_str),
        ) {
            contents.insert(path.to_string(), content.to_string());
        }
        if let Some(children) = chapter.get("sub_items").and_then(Value::as_array) {
            pending.extend(children);
        }
    }
    for page in &mut edition.pages {
        let PageContent::Written(written) = &mut page.content else {
            continue;
        };
        if let Some(content) = contents.remove(&page.path)
            && *content != *written.markdown
        {
            written.body_key = crate::digest::hash_of(&content);
            written.markdown = Arc::from(content);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split_command;

    #[test]
    fn commands_split_like_a_shell_line() {
        assert_eq!(
            split_command("python3 'my script.py' --x"),
            ["python3", "my script.py", "--x"]
        );
        assert_eq!(split_command("mdbook-toc"), ["mdbook-toc"]);
        assert_eq!(split_command("a \"\" b"), ["a", "", "b"]);
    }
}
