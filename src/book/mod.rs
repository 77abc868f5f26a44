//! Pipeline step 1: load a book from disk into memory.
//!
//! A [`Book`] holds one [`Edition`] per language; each edition is its parsed
//! SUMMARY.md and one [`Page`] per chapter file, paired with the source language by
//! relative path so that a chapter missing from a translation is known, not a 404.

pub mod changelog;
pub mod front_matter;
pub mod history;
pub mod runbooks;
pub mod sample;
pub mod source_cache;
pub mod summary;
pub mod timeline;
pub mod translation;

mod links;

pub use links::{
    href_of, html_path_of, is_external_link, path_of_href, relative_link, resolve_link,
};

use crate::config::{Config, Language};
use crate::confine::{self, Root};
use crate::diagnostic::Diagnostic;
use front_matter::{DeclaredStatus, FrontMatter};
use rayon::prelude::*;
use source_cache::{ReadFailure, SourceCache};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use summary::{ChapterKind, Summary, SummaryChapter};

/// The file listing a language's chapters.
pub const SUMMARY_FILE: &str = "SUMMARY.md";

/// A whole book, every language, loaded and checked.
#[derive(Debug)]
pub struct Book {
    /// The directory holding book.toml.
    pub root: PathBuf,
    /// The same directory, as the root that no file the book names may leave.
    pub allowed: Root,
    /// The configuration.
    pub config: Config,
    /// One edition per language, the source language first.
    pub editions: Vec<Edition>,
    /// The changelog from `SRC/data/changelog.toml`, if the book has one.
    pub changelog: Option<changelog::Changelog>,
    /// The timeline from `SRC/data/timeline.toml`, if the book has one.
    pub timeline: Option<timeline::Timeline>,
}

/// One language's version of the book.
#[derive(Debug)]
pub struct Edition {
    /// The language.
    pub language: Language,
    /// Its table of contents.
    pub summary: Summary,
    /// Its pages, in reading order (draft entries have none).
    pub pages: Vec<Page>,
    /// The date of the last commit that changed its directory, when the book is in a
    /// git work tree (read once, at load).
    pub committed: Option<history::Date>,
    /// Page index by markdown path.
    index: HashMap<String, usize>,
    /// Which pages name each runbook, found once when first asked.
    mentions: std::sync::OnceLock<runbooks::Mentions>,
}

impl Edition {
    /// The page at `path` (relative to the language directory), if the edition has one.
    pub fn page(&self, path: &str) -> Option<&Page> {
        self.index.get(path).map(|&index| &self.pages[index])
    }

    /// The written pages, runbooks aside, whose text names the runbook at `path` (its
    /// title, its name or an alias, case folded), in reading order.
    pub fn mentions_of(&self, path: &str) -> impl Iterator<Item = &Page> {
        self.mentions
            .get_or_init(|| runbooks::mentions(self))
            .get(path)
            .into_iter()
            .flatten()
            .map(|&index| &self.pages[index])
    }

    /// True when SUMMARY.md lists `path` (a page, even one that could not be loaded).
    pub fn lists(&self, path: &str) -> bool {
        self.summary
            .chapters()
            .any(|chapter| chapter.path.as_deref() == Some(path))
    }

    /// True when a page SUMMARY.md lists could not be loaded (its error says why): what
    /// it would have declared (a runbook's name) is unknown, so other pages' references
    /// to it are not reported again.
    pub fn has_unloaded_pages(&self) -> bool {
        self.summary
            .chapters()
            .filter_map(|chapter| chapter.path.as_deref())
            .any(|path| self.page(path).is_none())
    }
}

impl Book {
    /// The edition in the language the book is written in.
    pub fn source(&self) -> &Edition {
        &self.editions[0]
    }

    /// The language code of each edition, the source's first (`fr`, `en`).
    pub fn language_codes(&self) -> Vec<String> {
        self.editions
            .iter()
            .map(|edition| edition.language.code.clone())
            .collect()
    }

    /// When `edition` was last updated: the changelog's latest date, else its last
    /// commit's, else its pages' front matter.
    pub fn last_updated(&self, edition: &Edition) -> Option<history::Date> {
        self.changelog
            .as_ref()
            .and_then(|changelog| changelog.latest())
            .or_else(|| history::last_updated(edition))
    }
}

/// One chapter of one edition.
#[derive(Debug)]
pub struct Page {
    /// The markdown path relative to the language directory (`chapters/01.md`).
    pub path: String,
    /// The title: front matter, else SUMMARY.md.
    pub title: String,
    /// The section number, numbered chapters only.
    pub number: Option<Vec<u32>>,
    /// True when SUMMARY.md nests chapters under this one; its own `##` headings
    /// then stay unnumbered so that 2.1 always means the same thing.
    pub has_subchapters: bool,
    /// Prefix, numbered or suffix.
    pub kind: ChapterKind,
    /// Nesting depth in the summary.
    pub depth: usize,
    /// What there is to render.
    pub content: PageContent,
}

/// What a page holds.
#[derive(Debug)]
pub enum PageContent {
    /// A written page.
    Written(Box<WrittenPage>),
    /// Announced in front matter as `status = "todo"`: a title, no body.
    Todo,
    /// Absent from this language (or announced with `status = "todo"`: `announced`),
    /// present in the source language: the reader is sent to the original.
    Untranslated {
        /// The translation has a file saying it is to do.
        announced: bool,
    },
    /// Left out of the sample edition: a notice pointing to the full book.
    NotInSample,
}

/// The text of a written page.
#[derive(Debug)]
pub struct WrittenPage {
    /// The file it was read from.
    pub file: PathBuf,
    /// The markdown body (front matter removed).
    pub markdown: Arc<str>,
    /// The file line where `markdown` starts.
    pub first_line: usize,
    /// The page's metadata.
    pub front_matter: FrontMatter,
    /// The hash of `markdown`, which translations record as their `source-hash`.
    pub content_hash: String,
    /// A hash of the exact `markdown`, for render caches.
    pub body_key: u64,
}

/// Where a page stands, as readers are told on the landing page and sidebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageStatus {
    /// Written in the source language.
    Written,
    /// Translated into this language.
    Translated,
    /// Marked as a draft by its writer.
    Draft,
    /// Announced, not written.
    Todo,
    /// Exists only in the source language.
    NotTranslated,
    /// Not part of the sample edition.
    NotInSample,
}

impl Page {
    /// The page's status within an edition in `language`.
    pub fn status(&self, language: &Language) -> PageStatus {
        match &self.content {
            PageContent::Todo => PageStatus::Todo,
            PageContent::Untranslated { .. } => PageStatus::NotTranslated,
            PageContent::NotInSample => PageStatus::NotInSample,
            PageContent::Written(written) => match written.front_matter.status {
                Some(DeclaredStatus::Draft) => PageStatus::Draft,
                _ if language.is_source => PageStatus::Written,
                _ => PageStatus::Translated,
            },
        }
    }

    /// The output file of this page, relative to its language's output directory.
    pub fn html_path(&self) -> String {
        html_path_of(&self.path)
    }
}

/// Everything loading produced: the book, and warnings when it succeeded.
pub type Loaded = (Book, Vec<Diagnostic>);

/// Loads the book at `root`: configuration, every language's summary and pages.
///
/// All problems are collected; the error holds every one of them.
pub fn load(root: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    load_with(root, &SourceCache::default())
}

/// [`load`], taking unchanged page files from `cache`.
pub fn load_with(root: &Path, cache: &SourceCache) -> Result<Loaded, Vec<Diagnostic>> {
    let (book, diagnostics) = load_lenient_with(root, cache)?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok((book, diagnostics))
}

/// Loads what can be loaded: pages with problems are left out and their errors returned
/// with the book, so `check` can go on and find the rest; unchanged page files come from
/// `cache`. Fails only when the configuration or a SUMMARY.md cannot be read.
pub fn load_lenient_with(root: &Path, cache: &SourceCache) -> Result<Loaded, Vec<Diagnostic>> {
    let (config, mut diagnostics) = Config::load(root).map_err(|error| vec![error])?;
    let allowed = Root::new(root).map_err(|error| {
        vec![
            Diagnostic::error(
                "read-failed",
                format!("cannot open the book's directory: {error}"),
            )
            .in_file(root),
        ]
    })?;
    let languages = config.languages();
    let source_dir = root.join(&languages[0].src_dir);
    let mut editions = Vec::new();
    for language in languages {
        match load_edition(&allowed, root, &source_dir, language, cache) {
            Ok((edition, warnings)) => {
                diagnostics.extend(warnings);
                editions.push(edition);
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    let changelog =
        match changelog::load(&root.join(&config.book.src), &config.languages(), &allowed) {
            Ok(Some((changelog, warnings))) => {
                diagnostics.extend(warnings);
                Some(changelog)
            }
            Ok(None) => None,
            Err(error) => {
                diagnostics.push(error);
                None
            }
        };
    let src_dir = root.join(&config.book.src);
    let timeline = match timeline::load(
        &src_dir,
        &config.languages(),
        &config.timeline.tags,
        &allowed,
    ) {
        Ok(Some((timeline, warnings))) => {
            diagnostics.extend(warnings);
            Some(timeline)
        }
        Ok(None) => None,
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    };
    if editions.len() != config.languages().len() {
        return Err(diagnostics);
    }
    let book = Book {
        allowed,
        root: root.to_path_buf(),
        config,
        editions,
        changelog,
        timeline,
    };
    diagnostics.extend(runbooks::validate(
        &book,
        &book.config.runbooks.required_sections,
    ));
    if let Some(timeline) = &book.timeline {
        diagnostics.extend(timeline::check_links(timeline, &book));
    }
    Ok((book, diagnostics))
}

fn load_edition(
    allowed: &Root,
    root: &Path,
    source_dir: &Path,
    language: Language,
    cache: &SourceCache,
) -> Result<(Edition, Vec<Diagnostic>), Vec<Diagnostic>> {
    let dir = root.join(&language.src_dir);
    let summary_path = dir.join(SUMMARY_FILE);
    if !confine::is_present(&summary_path) {
        return Err(vec![missing_summary(root, &dir, &summary_path)]);
    }
    let mut summary_text = allowed
        .read_text(&summary_path)
        .map_err(|error| vec![error])?;
    let mut diagnostics = Vec::new();
    if let Some((replaced, lines)) = crate::source_file::replace_forbidden_characters(&summary_text)
    {
        diagnostics.extend(crate::source_file::forbidden_character_warnings(
            &summary_path,
            &lines,
            1,
        ));
        summary_text = replaced;
    }
    let summary = summary::parse(&summary_text, &summary_path).map_err(|error| vec![error])?;
    diagnostics.extend(duplicate_entries(&summary, &summary_path));
    let source_dir = (!language.is_source).then_some(source_dir);
    let chapters: Vec<&SummaryChapter> = summary.chapters().collect();
    let results: Vec<Result<(Page, Vec<Diagnostic>), Diagnostic>> = chapters
        .par_iter()
        .enumerate()
        .filter(|(_, chapter)| chapter.path.is_some())
        .map(|(index, chapter)| {
            let has_subchapters = chapters
                .get(index + 1)
                .is_some_and(|next| next.depth > chapter.depth);
            let place = Place {
                allowed,
                dir: &dir,
                source_dir,
                summary_path: &summary_path,
            };
            load_page(&place, chapter, has_subchapters, cache)
        })
        .collect();
    let mut pages = Vec::new();
    for result in results {
        match result {
            Ok((page, warnings)) => {
                pages.push(page);
                diagnostics.extend(warnings);
            }
            Err(error) => diagnostics.push(error),
        }
    }
    if pages.is_empty() && !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.push(
            Diagnostic::error("empty-book", "SUMMARY.md lists no chapter file")
                .in_file(&summary_path)
                .with_hint("add a line such as `- [Introduction](introduction.md)`"),
        );
    }
    let index = pages
        .iter()
        .enumerate()
        .map(|(index, page)| (page.path.clone(), index))
        .collect();
    Ok((
        Edition {
            committed: history::last_commit_date(&dir),
            language,
            summary,
            pages,
            index,
            mentions: std::sync::OnceLock::new(),
        },
        diagnostics,
    ))
}

fn missing_summary(root: &Path, dir: &Path, summary_path: &Path) -> Diagnostic {
    let is_empty = std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none());
    if is_empty && !root.join(crate::config::CONFIG_FILE).exists() {
        // Nothing of a book here: most likely folio ran in the wrong directory.
        return Diagnostic::error(
            "no-book",
            format!(
                "no book here: {} holds neither book.toml nor {}",
                std::path::absolute(root)
                    .unwrap_or_else(|_| root.to_path_buf())
                    .display(),
                summary_path
                    .strip_prefix(root)
                    .unwrap_or(summary_path)
                    .display()
            ),
        )
        .in_file(root.join(crate::config::CONFIG_FILE))
        .with_hint("run folio in the book's directory or give it (`folio build path/to/book`), or start one with `folio init DIR`");
    }
    let message = if is_empty {
        format!(
            "the content directory {} is empty or missing",
            dir.display()
        )
    } else {
        "there is no SUMMARY.md listing the chapters".to_string()
    };
    Diagnostic::error("missing-summary", message)
        .in_file(summary_path)
        .with_hint("create SUMMARY.md with lines such as `- [Introduction](introduction.md)`, or start from `folio init DIR`")
}

/// Entries that name a page already listed, or another file that would be written to
/// the same page of the site: `./a.md` and `a.md`, `README.md` and `index.md` in one
/// directory, names that differ only in case (one file on many systems). Names with
/// control characters (a newline) are refused too: no site could hold them.
fn duplicate_entries(summary: &Summary, summary_path: &Path) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    summary
        .chapters()
        .filter_map(|chapter| {
            let path = chapter.path.as_deref()?;
            let error = |message: String, hint: &str| {
                Diagnostic::error("duplicate-entry", message)
                    .in_file(summary_path)
                    .at_line(chapter.line)
                    .with_hint(hint.to_string())
            };
            if path.chars().any(char::is_control) {
                return Some(error(
                    format!("`{}` has a control character in its name", path.escape_debug()),
                    "rename the file without tabs, newlines or other control characters",
                ));
            }
            let normalized = confine::normalize(path).unwrap_or_else(|_| path.to_string());
            let output = html_path_of(&normalized).to_lowercase();
            match seen.get(&output) {
                Some((first, line)) if *first == normalized => Some(error(
                    format!("`{path}` is listed twice (first at line {line})"),
                    "each file can appear once in SUMMARY.md",
                )),
                Some((first, line)) => Some(error(
                    format!("`{path}` and `{first}` (line {line}) would both be the page `{}`", html_path_of(&normalized)),
                    "rename one of the files: they differ only in case, or are a README.md and an index.md",
                )),
                None => {
                    seen.insert(output, (normalized, chapter.line));
                    None
                }
            }
        })
        .collect()
}

/// Where an edition's pages are read from.
struct Place<'a> {
    allowed: &'a Root,
    dir: &'a Path,
    source_dir: Option<&'a Path>,
    summary_path: &'a Path,
}

fn load_page(
    place: &Place<'_>,
    chapter: &SummaryChapter,
    has_subchapters: bool,
    cache: &SourceCache,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    let path = chapter
        .path
        .clone()
        .expect("drafts are filtered out before loading");
    let at_entry =
        |diagnostic: Diagnostic| diagnostic.in_file(place.summary_path).at_line(chapter.line);
    // Read through the path as the book names it (diagnostics show it), once checked.
    let file = place.dir.join(&path);
    let parsed = cache
        .read(place.allowed, &file)
        .map_err(|failure| match failure {
            ReadFailure::Outside(escape) => at_entry(confine::refusal(&escape, &file)),
            ReadFailure::Invalid(error) => error,
        })?;
    let mut page = Page {
        path,
        title: chapter.title.clone(),
        number: chapter.number.clone(),
        has_subchapters,
        kind: chapter.kind,
        depth: chapter.depth,
        content: PageContent::Todo,
    };
    let Some(parsed) = parsed else {
        if place
            .source_dir
            .is_some_and(|source| source.join(&page.path).is_file())
        {
            page.content = PageContent::Untranslated { announced: false };
            return Ok((page, Vec::new()));
        }
        return Err(at_entry(
            Diagnostic::error(
                "missing-file",
                format!(
                    "`{}` is listed but {} does not exist",
                    page.path,
                    place.dir.join(&page.path).display()
                ),
            )
            .with_hint("create the file, fix the path, or make the entry a draft with `[Title]()`"),
        ));
    };
    if let Some(title) = &parsed.front_matter.title {
        page.title = title.clone();
    }
    if parsed.front_matter.status != Some(DeclaredStatus::Todo) {
        page.content = PageContent::Written(Box::new(WrittenPage {
            file,
            content_hash: parsed.content_hash.clone(),
            body_key: parsed.body_key,
            markdown: Arc::clone(&parsed.markdown),
            first_line: parsed.first_line,
            front_matter: parsed.front_matter.clone(),
        }));
    } else if place
        .source_dir
        .is_some_and(|source| source.join(&page.path).is_file())
    {
        // A translation still to do of a page the original has: the reader is sent to
        // the original, as when the translated file is missing.
        page.content = PageContent::Untranslated { announced: true };
    }
    Ok((page, parsed.warnings.clone()))
}
