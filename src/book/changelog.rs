//! The changelog, from data: `SRC/data/changelog.toml` holds `[[change]]` entries, each
//! a date and one text per language. A page shows it with `{{#changelog}}`, newest
//! first, and its latest date is the book's "last updated".

use super::history::Date;
use crate::config::Language;
use crate::confine::Root;
use crate::diagnostic::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Where the changelog lives, relative to the book's source directory.
pub const CHANGELOG_FILE: &str = "data/changelog.toml";

/// One change of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// When it was made.
    pub date: Date,
    /// What changed, by language code.
    pub text: BTreeMap<String, String>,
}

/// Every change, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changelog {
    /// The changes, newest first (entries of the same day keep their file order).
    pub changes: Vec<Change>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangelogFile {
    #[serde(default)]
    change: Vec<RawChange>,
}

#[derive(Deserialize)]
struct RawChange {
    date: toml::value::Datetime,
    #[serde(flatten)]
    text: BTreeMap<String, String>,
}

impl Changelog {
    /// The date of the latest change.
    pub fn latest(&self) -> Option<Date> {
        self.changes.first().map(|change| change.date)
    }
}

/// Loads the changelog of the book whose sources are in `src_dir`, if it has one.
pub fn load(
    src_dir: &Path,
    languages: &[Language],
    allowed: &Root,
) -> Result<Option<(Changelog, Vec<Diagnostic>)>, Diagnostic> {
    let path = src_dir.join(CHANGELOG_FILE);
    if !crate::confine::is_present(&path) {
        return Ok(None);
    }
    let text = allowed.read_text(&path)?;
    let (file, mut warnings): (ChangelogFile, _) = crate::toml_input::parse(&text, &path, 1)?;
    let entry_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim() == "[[change]]")
        .map(|(index, _)| index + 1)
        .collect();
    let source = &languages[0].code;
    let mut changes = Vec::new();
    for (index, raw) in file.change.into_iter().enumerate() {
        let line = entry_lines.get(index).copied().unwrap_or(1);
        let located = |diagnostic: Diagnostic| diagnostic.in_file(&path).at_line(line);
        let date = match (raw.date.date, raw.date.time) {
            (Some(date), None) => Date {
                year: i32::from(date.year),
                month: u32::from(date.month),
                day: u32::from(date.day),
            },
            _ => {
                return Err(located(
                    Diagnostic::error(
                        "changelog",
                        format!("`date = {}` is not a calendar date", raw.date),
                    )
                    .with_hint("write the date as YYYY-MM-DD, without quotes"),
                ));
            }
        };
        if !raw.text.contains_key(source) {
            return Err(located(
                Diagnostic::error("changelog", format!("this change has no `{source}` text"))
                    .with_hint(format!(
                        "add `{source} = \"...\"`: the source language's text is required"
                    )),
            ));
        }
        for code in raw
            .text
            .keys()
            .filter(|code| !languages.iter().any(|l| &l.code == *code))
        {
            warnings.push(located(
                Diagnostic::warning(
                    "changelog",
                    format!("`{code}` is not a language of this book; its text is ignored"),
                )
                .with_hint("declare the language with a [language.CODE] table, or remove the text"),
            ));
        }
        changes.push(Change {
            date,
            text: raw.text,
        });
    }
    changes.sort_by_key(|change| std::cmp::Reverse(change.date));
    Ok(Some((Changelog { changes }, warnings)))
}
