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
