//! Translation freshness: each translated page records the content hash of the source
//! page it translates (`source-hash` in front matter); when the source changes, the
//! translation is stale until a translator checks it and marks it up to date.

use super::{Book, Edition, Page, PageContent, PageStatus, front_matter};
use crate::diagnostic::Diagnostic;
use crate::source_file::read_text;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The front matter key holding the hash of the translated source.
pub const SOURCE_HASH_KEY: &str = "source-hash";

/// Where one translation stands against its source page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TranslationState {
    /// Translates the current version of the source.
    UpToDate,
    /// The source changed since the translation was marked.
    Stale,
    /// Translated, but no `source-hash` says of which version.
    Unverified,
    /// Marked as a draft by the translator.
    Draft,
    /// Not translated: the page exists only in the source language.
    Missing,
    /// Announced, not written.
    Todo,
}

impl TranslationState {
    /// The word printed in `folio translations`' table.
    pub fn label(self) -> &'static str {
        match self {
            TranslationState::UpToDate => "up to date",
            TranslationState::Stale => "stale",
            TranslationState::Unverified => "unverified",
            TranslationState::Draft => "draft",
            TranslationState::Missing => "missing",
            TranslationState::Todo => "todo",
        }
    }
}

/// The hash of a page's markdown body, as recorded in `source-hash`.
pub fn content_hash(markdown: &str) -> String {
    let normalized: String = markdown
        .replace("\r\n", "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    crate::digest::sha256_hex(normalized.trim().as_bytes(), 8)
}

/// The state of `page` of the translation `edition`; `None` in the source edition.
pub fn state(book: &Book, edition: &Edition, page: &Page) -> Option<TranslationState> {
    if edition.language.is_source {
        return None;
    }
    let source_hash = book
        .source()
        .page(&page.path)
        .and_then(|source| match &source.content {
            PageContent::Written(written) => Some(written.content_hash.as_str()),
            _ => None,
        });
    Some(match &page.content {
        PageContent::Untranslated | PageContent::NotInSample => TranslationState::Missing,
        PageContent::Todo => TranslationState::Todo,
        PageContent::Written(_) if page.status(&edition.language) == PageStatus::Draft => {
            TranslationState::Draft
        }
        PageContent::Written(written) => match (&written.front_matter.source_hash, source_hash) {
            (None, _) => TranslationState::Unverified,
            (Some(recorded), Some(current)) if recorded != current => TranslationState::Stale,
            _ => TranslationState::UpToDate,
        },
    })
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
                        .and_then(|translated| state(book, edition, translated))
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
    let updated = front_matter::set_string(&text, SOURCE_HASH_KEY, &source.content_hash);
    crate::output::write_file_atomically(&written.file, updated.as_bytes())?;
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
