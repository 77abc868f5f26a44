//! Translations kept as gettext catalogs, as the mdBook world keeps them: the book's
//! markdown in one language, one `po/xx.po` per translation, read by mdbook-i18n-helpers'
//! `mdbook-gettext`. Each catalog is an edition of its own here: the source's pages,
//! every message (a paragraph, a heading, a list item, a table cell, an HTML block, a
//! string or comment in code) replaced by its translation exactly as `mdbook-gettext`
//! replaces it, with the library's own message boundaries and normalisation
//! (`mdbook_i18n_helpers::group_events`, `reconstruct_markdown`), so existing catalogs
//! work unchanged. What is not translated (a fuzzy or an untranslated message) stays in
//! the source language, marked ([`SOURCE_TEXT_MARKER`]), and each page counts its
//! messages.

use crate::diagnostic::Diagnostic;
use mdbook_i18n_helpers::{Group, extract_events, group_events, reconstruct_markdown, trim_paragraph};
use pulldown_cmark::{Event, Tag};
use std::path::{Path, PathBuf};

/// The comment put before a passage left in the source language: the markdown step
/// gives the passage the source's `lang` and a marker the reader can see.
pub const SOURCE_TEXT_MARKER: &str = "<!-- folio:source-text -->";

/// One language's catalog, read.
pub struct LanguageCatalog {
    /// The language, from the file's name (`po/fr.po` is `fr`).
    pub code: String,
    /// The file.
    pub file: PathBuf,
    catalog: polib::catalog::Catalog,
}

impl std::fmt::Debug for LanguageCatalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageCatalog")
            .field("code", &self.code)
            .field("file", &self.file)
            .field("messages", &self.catalog.count())
            .finish()
    }
}

/// How many of a page's messages a catalog translates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MessageCounts {
    /// Translated, and not fuzzy.
    pub translated: usize,
    /// Translated, but marked `#, fuzzy` (the source changed since).
    pub fuzzy: usize,
    /// Not in the catalog, or with an empty translation.
    pub untranslated: usize,
}

impl MessageCounts {
    /// Every message of the page.
    pub fn total(&self) -> usize {
        self.translated + self.fuzzy + self.untranslated
    }

    /// The share of messages translated, 0 to 100 (100 for a page with none).
    pub fn percent(&self) -> usize {
        match self.total() {
            0 => 100,
            total => self.translated * 100 / total,
        }
    }

    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: MessageCounts) {
        self.translated += other.translated;
        self.fuzzy += other.fuzzy;
        self.untranslated += other.untranslated;
    }
}

/// What a fuzzy message shows: its source (as mdbook-gettext does) or its translation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FuzzyShown {
    /// The source text, marked as not translated.
    #[default]
    Source,
    /// The fuzzy translation (the page then carries the stale notice).
    Translation,
}

/// The catalogs of `po_dir` (`xx.po`, sorted by language), each parsed; a catalog that
/// does not parse is an error naming its file (and line, when the parser says it).
pub fn read(po_dir: &Path) -> Result<Vec<LanguageCatalog>, Vec<Diagnostic>> {
    let Ok(entries) = std::fs::read_dir(po_dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "po"))
        .collect();
    files.sort();
    let mut catalogs = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let Some(code) = file.file_stem().and_then(|stem| stem.to_str()).map(str::to_string) else {
            continue;
        };
        match parse(&file) {
            Ok(catalog) => catalogs.push(LanguageCatalog { code, file, catalog }),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(catalogs)
    } else {
        Err(problems)
    }
}

/// Parses one catalog; summary titles are also found stripped of their formatting, as
/// mdBook strips them (`mdbook_i18n_helpers::gettext::add_stripped_summary_translations`).
fn parse(file: &Path) -> Result<polib::catalog::Catalog, Diagnostic> {
    // The catalog is text the book holds: read as the book's files are (regular, UTF-8).
    let text = crate::source_file::read_text(file)?;
    let mut catalog = polib::po_file::parse_from_reader(text.as_bytes()).map_err(|error| {
        let message = error.to_string();
        let line = message
            .split("line ")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|digits| digits.parse().ok());
        let mut diagnostic = Diagnostic::error("catalog", format!("the catalog does not parse: {message}"))
            .in_file(file)
            .with_hint("check it with `msgfmt --check FILE`, then fix the entry");
        if let Some(line) = line {
            diagnostic = diagnostic.at_line(line);
        }
        diagnostic
    })?;
    mdbook_i18n_helpers::gettext::add_stripped_summary_translations(&mut catalog);
    Ok(catalog)
}

/// A page's text in a catalog's language, and its counts.
pub struct TranslatedText {
    /// The markdown, as mdbook-gettext makes it (the library's normalised form), with
    /// [`SOURCE_TEXT_MARKER`] before each passage left in the source language.
    pub markdown: String,
    /// How many of its messages are translated, fuzzy and untranslated.
    pub counts: MessageCounts,
}

impl LanguageCatalog {
    /// `markdown` (a page of the source, its includes expanded) in this catalog's
    /// language, message by message. Markdown that cannot be put back together (a
    /// translation whose structure does not fit its message) is an error saying so.
    pub fn translate(&self, markdown: &str, fuzzy: FuzzyShown) -> Result<TranslatedText, String> {
        let events = extract_events(markdown, None);
        let groups = group_events(&events).map_err(|error| error.to_string())?;
        let mut translated: Vec<(usize, Event<'_>)> = Vec::with_capacity(events.len());
        let mut counts = MessageCounts::default();
        let mut state = None;
        // Kept as the library keeps it: a GitHub alert's marker goes with its body.
        let mut pending_alert = None;
        for group in groups {
            match group {
                Group::Translate { events, .. } => {
                    let (msgid, next) = reconstruct_markdown(&events, state.clone())
                        .map_err(|error| error.to_string())?;
                    let message = self.catalog.find_message(None, &msgid, None);
                    let msgstr = message
                        .filter(|message| message.is_translated())
                        .and_then(|message| message.msgstr().ok())
                        .filter(|msgstr| !msgstr.is_empty());
                    let is_fuzzy = message.is_some_and(|message| message.flags().is_fuzzy());
                    let shown = match (msgstr, is_fuzzy) {
                        (Some(msgstr), false) => {
                            counts.translated += 1;
                            Some(msgstr)
                        }
                        (Some(msgstr), true) => {
                            counts.fuzzy += 1;
                            (fuzzy == FuzzyShown::Translation).then_some(msgstr)
                        }
                        (None, _) => {
                            counts.untranslated += 1;
                            None
                        }
                    };
                    let alert = pending_alert.take();
                    if let Some(kind) = alert {
                        translated.push((0, Event::Start(Tag::BlockQuote(Some(kind)))));
                    }
                    match shown {
                        Some(msgstr) => {
                            let new_events = extract_events(msgstr, state.clone());
                            translated.extend(
                                trim_paragraph(&new_events, &events)
                                    .iter()
                                    .map(|(line, event)| (*line, event.clone().into_static())),
                            );
                        }
                        None => {
                            translated.push((0, source_text_marker(&events)));
                            translated.extend(events.iter().cloned());
                        }
                    }
                    if let Some(kind) = alert {
                        translated.push((0, Event::End(pulldown_cmark::TagEnd::BlockQuote(Some(kind)))));
                    }
                    state = Some(next);
                }
                Group::Skip(events) => {
                    match events.first() {
                        Some((_, Event::Start(Tag::BlockQuote(Some(kind))))) => pending_alert = Some(*kind),
                        _ => translated.extend(events.iter().cloned()),
                    }
                    let (_, next) =
                        reconstruct_markdown(&events, state).map_err(|error| error.to_string())?;
                    state = Some(next);
                }
            }
        }
        let (markdown, _) = reconstruct_markdown(&translated, None).map_err(|error| {
            format!("a translation does not fit its message's markdown: {error}")
        })?;
        Ok(TranslatedText { markdown, counts })
    }

    /// A summary or part title in this catalog's language (itself when untranslated or
    /// fuzzy), as mdbook-gettext translates chapter names.
    pub fn translate_title(&self, title: &str) -> String {
        self.catalog
            .find_message(None, title, None)
            .filter(|message| message.is_translated() && !message.flags().is_fuzzy())
            .and_then(|message| message.msgstr().ok())
            .filter(|msgstr| !msgstr.is_empty())
            .map_or_else(|| title.to_string(), str::to_string)
    }
}

/// The marker before a passage: a block comment before a block, an inline one inside
/// a block (a list item's text, a heading's, a table cell's).
fn source_text_marker(events: &[(usize, Event<'_>)]) -> Event<'static> {
    let is_block = matches!(
        events.first(),
        Some((_, Event::Start(Tag::Paragraph | Tag::CodeBlock(_) | Tag::HtmlBlock)))
    );
    if is_block {
        Event::Html(format!("{SOURCE_TEXT_MARKER}\n").into())
    } else {
        Event::InlineHtml(SOURCE_TEXT_MARKER.into())
    }
}
