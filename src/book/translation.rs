//! Translation freshness: each translated page records the content hash of the source
//! page it translates (`source-hash` in front matter); when the source changes, the
//! translation is stale until a translator checks it and marks it up to date.

use super::{Book, Edition, Page, PageContent, PageStatus};
use serde::Serialize;

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
        PageContent::Untranslated { announced: false } | PageContent::NotInSample => {
            TranslationState::Missing
        }
        PageContent::Todo | PageContent::Untranslated { announced: true } => TranslationState::Todo,
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
