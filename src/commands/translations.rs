//! `folio translations`: where each translated page stands (up to date, stale,
//! unverified, missing, todo), and `--mark`, which records that a translation matches
//! the current source by rewriting its `source-hash` line only.

use super::{ReportFormat, load_book, print_json, report_error};
use crate::book::translation::{self, TranslationState};
use crate::book::{Book, PageContent, PageStatus, front_matter};
use crate::diagnostic::Diagnostic;
use crate::output;
use crate::source_file::read_text;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Prints the report of the book at `book_dir`, or marks each of `marks` up to date.
pub fn run(book_dir: &Path, format: ReportFormat, marks: &[PathBuf]) -> ExitCode {
    let Some(book) = load_book(book_dir) else {
        return ExitCode::FAILURE;
    };
    if !marks.is_empty() {
        for mark in marks {
            let path = if mark.exists() {
                mark.clone()
            } else {
                book_dir.join(mark)
            };
            match mark_up_to_date(&book, &path) {
                Ok(file) => println!("Marked {} as up to date.", file.display()),
                Err(error) => return report_error(Err(error)),
            }
        }
        return ExitCode::SUCCESS;
    }
    let rows = report(&book);
    match format {
        ReportFormat::Text => print!("{}", text_table(&rows, &book.source().language.code)),
        ReportFormat::Json => print_json(&rows),
    }
    ExitCode::SUCCESS
}

/// One line of `folio translations`: a source page and each translation's state.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationRow {
    /// The page path, relative to each language directory.
    pub page: String,
    /// The status of the source page.
    pub source: PageStatus,
    /// Each translation's state, by language code.
    pub translations: BTreeMap<String, TranslationState>,
}

/// Every source page with the state of each translation, in reading order.
pub fn report(book: &Book) -> Vec<TranslationRow> {
    let source = book.source();
    source
        .pages
        .iter()
        .map(|page| TranslationRow {
            page: page.path.clone(),
            source: page.status(&source.language),
            translations: book
                .editions
                .iter()
                .skip(1)
                .map(|edition| {
                    let state = edition
                        .page(&page.path)
                        .and_then(|translated| translation::state(book, edition, translated))
                        .unwrap_or(TranslationState::Missing);
                    (edition.language.code.clone(), state)
                })
                .collect(),
        })
        .collect()
}

/// Records that the translation at `file` translates the current source, by rewriting
/// its `source-hash` and nothing else. Returns the file written.
pub fn mark_up_to_date(book: &Book, file: &Path) -> Result<PathBuf, Diagnostic> {
    let target = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let not_a_translation = || {
        Diagnostic::error(
            "not-a-translation",
            format!("{} is not a page of a translation", file.display()),
        )
        .with_hint(
            "give the path of a translated page, e.g. content/en/chapters/01-introduction.md",
        )
    };
    let (edition, relative) = book
        .editions
        .iter()
        .filter(|edition| !edition.language.is_source)
        .find_map(|edition| {
            let directory = std::path::absolute(book.root.join(&edition.language.src_dir)).ok()?;
            let relative = target.strip_prefix(directory).ok()?;
            Some((edition, relative.to_string_lossy().replace('\\', "/")))
        })
        .ok_or_else(not_a_translation)?;
    let page = edition.page(&relative).ok_or_else(not_a_translation)?;
    let PageContent::Written(written) = &page.content else {
        return Err(
            not_a_translation().with_hint("only a written translation can be marked up to date")
        );
    };
    let Some(PageContent::Written(source)) = book.source().page(&relative).map(|p| &p.content)
    else {
        return Err(Diagnostic::error(
            "no-source",
            format!("`{relative}` has no written source page to translate"),
        )
        .in_file(&written.file));
    };
    let text = read_text(&written.file)?;
    let updated =
        front_matter::set_string(&text, translation::SOURCE_HASH_KEY, &source.content_hash);
    output::write_file_atomically(&written.file, updated.as_bytes())?;
    Ok(written.file.clone())
}

/// The report as an aligned text table with a summary line per translation.
pub fn text_table(rows: &[TranslationRow], source_language: &str) -> String {
    let languages: Vec<&String> = rows
        .first()
        .map(|row| row.translations.keys().collect())
        .unwrap_or_default();
    let page_width = rows
        .iter()
        .map(|row| row.page.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut table = format!("{:page_width$}  {:12}", "page", source_language);
    for language in &languages {
        table.push_str(&format!("  {language:12}"));
    }
    table = table.trim_end().to_string() + "\n";
    for row in rows {
        let source = serde_json::to_value(row.source)
            .ok()
            .and_then(|value| value.as_str().map(|s| s.replace('_', " ")))
            .unwrap_or_default();
        let mut line = format!("{:page_width$}  {:12}", row.page, source);
        for state in row.translations.values() {
            line.push_str(&format!("  {:12}", state.label()));
        }
        table.push_str(line.trim_end());
        table.push('\n');
    }
    for language in languages {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for row in rows {
            *counts
                .entry(row.translations[language].label())
                .or_default() += 1;
        }
        let summary: Vec<String> = counts
            .iter()
            .map(|(label, count)| format!("{count} {label}"))
            .collect();
        table.push_str(&format!("\n{language}: {}", summary.join(", ")));
    }
    table.push('\n');
    table
}
