//! Splitting a page into its TOML front matter (between `+++` lines) and its markdown.

use crate::diagnostic::Diagnostic;
use crate::toml_input;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Where a page stands, as its writer declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeclaredStatus {
    /// Being written; shown, marked as a draft.
    Draft,
    /// Written in the source language.
    Written,
    /// A finished translation.
    Translated,
    /// Announced but not written: the title is shown, greyed out, with no body.
    Todo,
}

/// The optional metadata at the top of a page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct FrontMatter {
    /// Overrides the title given in SUMMARY.md.
    pub title: Option<String>,
    /// The page's status.
    pub status: Option<DeclaredStatus>,
    /// When the chapter was written ("summer 2018").
    pub written: Option<String>,
    /// The period the chapter covers ("November 2017 to May 2018").
    pub covers: Option<String>,
    /// In a translation: the content hash of the source page it translates.
    pub source_hash: Option<String>,
    /// The application a runbook page describes.
    pub runbook: Option<super::runbooks::RunbookMeta>,
    /// Part of the free sample edition.
    pub sample: bool,
    /// When the page was last updated, for books outside git.
    pub updated: Option<toml::value::Datetime>,
}

/// A page split into metadata and markdown.
#[derive(Debug, Clone)]
pub struct SplitPage {
    /// The parsed front matter (defaults when there is none).
    pub front_matter: FrontMatter,
    /// The markdown after the front matter.
    pub body: String,
    /// The 1-based line of the file where `body` starts.
    pub body_first_line: usize,
    /// Warnings about unknown keys.
    pub warnings: Vec<Diagnostic>,
}

const DELIMITER: &str = "+++";

/// Sets `key = "value"` in the front matter of `text`, changing nothing else: the
/// key's line is replaced if present, inserted after the opening `+++` otherwise,
/// and a front matter is created when the page has none.
pub fn set_string(text: &str, key: &str, value: &str) -> String {
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let line = format!(
        "{key} = {}{newline}",
        toml::Value::String(value.to_string())
    );
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let opens = lines
        .first()
        .is_some_and(|first| first.trim_end() == DELIMITER);
    let closing = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == DELIMITER)
        .map(|i| i + 1);
    let (true, Some(closing)) = (opens, closing) else {
        return format!("{bom}{DELIMITER}{newline}{line}{DELIMITER}{newline}{text}");
    };
    let existing = (1..closing).find(|&index| {
        let trimmed = lines[index].trim_start();
        trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    match existing {
        Some(index) => lines[index] = &line,
        None => lines.insert(1, &line),
    }
    format!("{bom}{}", lines.concat())
}

/// Splits `text`, read from `path`, into front matter and body.
pub fn split(text: &str, path: &Path) -> Result<SplitPage, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let opens = lines
        .next()
        .is_some_and(|first| first.trim_end() == DELIMITER);
    if !opens {
        return Ok(SplitPage {
            front_matter: FrontMatter::default(),
            body: text.to_string(),
            body_first_line: 1,
            warnings: Vec::new(),
        });
    }
    let mut offset = DELIMITER.len() + text[DELIMITER.len()..].find('\n').map_or(0, |i| i + 1);
    let toml_start = offset;
    for (index, line) in lines.enumerate() {
        if line.trim_end() == DELIMITER {
            let (front_matter, warnings) = toml_input::parse(&text[toml_start..offset], path, 2)?;
            return Ok(SplitPage {
                front_matter,
                body: text[offset + line.len()..].to_string(),
                body_first_line: index + 3,
                warnings,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        "front-matter",
        "the front matter opened with `+++` is never closed",
    )
    .in_file(path)
    .at_line(1)
    .with_hint("end the front matter with a line holding only `+++`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_string_replaces_inserts_or_creates_and_touches_nothing_else() {
        let with_key = "+++\nwritten = \"x\"\nsource-hash = \"old\"\n+++\n\n# T\n";
        assert_eq!(
            set_string(with_key, "source-hash", "new"),
            "+++\nwritten = \"x\"\nsource-hash = \"new\"\n+++\n\n# T\n"
        );
        let without_key = "+++\r\nwritten = \"x\"\r\n+++\r\n# T\r\n";
        assert_eq!(
            set_string(without_key, "source-hash", "h"),
            "+++\r\nsource-hash = \"h\"\r\nwritten = \"x\"\r\n+++\r\n# T\r\n"
        );
        assert_eq!(
            set_string("# T\n", "source-hash", "h"),
            "+++\nsource-hash = \"h\"\n+++\n# T\n"
        );
    }
}
