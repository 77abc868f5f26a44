//! Renders every page of every edition through the theme's Tera templates, in
//! parallel, with a typed context per template.

use super::assets::AssetUrls;
use super::blocks::{EditionBlocks, RunbookCard};
use super::cache::RenderCache;
use super::search::Indexer;
use super::theme::{Theme, UiStrings};
use super::{OutputFile, PreviousFiles, path_to_root};
use super::{epub, localize, rebase};
use crate::book::front_matter::FrontMatter;
use crate::book::history::Date;
use crate::book::summary::SummaryItem;
use crate::book::translation::{self, TranslationState};
use crate::book::{Book, Edition, Page, PageContent, PageStatus, history, html_path_of};
use crate::diagnostic::Diagnostic;
use crate::digest::hash_of;
use crate::escape::escape_html as escape_xml;
use crate::highlight::Highlighter;
use crate::markdown::labels::{Labels, PageCaptions};
use crate::markdown::structure::Caption;
use crate::markdown::{self, Embeds, Heading, PageSource, RenderedMarkdown};
use crate::typography::Typographer;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What every template of one edition shares.
#[derive(Serialize)]
struct Common<'a> {
    lang: &'a str,
    book_title: &'a str,
    authors: &'a [String],
    description: Option<&'a str>,
    color_scheme: &'a str,
    git_repository_url: Option<&'a str>,
    ui: &'a UiStrings,
    /// From the current file to the output root.
    root: String,
    /// From the current file to its language's root.
    lang_root: String,
    /// The page's absolute URL, when `site-url` is set.
    canonical: Option<String>,
    /// Whether pages carry a search box.
    search: bool,
    /// In the sample edition: where the full book is (empty when unknown).
    sample: Option<&'a str>,
    stylesheets: Vec<String>,
    scripts: Vec<String>,
    alternates: Vec<Alternate>,
    toc: Vec<TocEntry>,
    /// Set instead of `toc` when the table of contents is too long to repeat in every page.
    shared_toc: Option<SharedToc>,
}

/// A page's part of a shared table of contents: the script holding it, the page's own
/// path (relative to the language root) and its sections.
#[derive(Serialize)]
struct SharedToc {
    script: String,
    current: String,
    sections: Vec<Heading>,
}

/// The name of a language's shared table of contents, under its root.
pub const SHARED_TOC_SCRIPT: &str = "toc.js";

/// The same page in one language, for the language switch.
#[derive(Serialize, Clone)]
struct Alternate {
    code: String,
    name: String,
    title: String,
    href: String,
    /// The absolute URL, when `site-url` is set.
    absolute: Option<String>,
    /// True when this language has this very page written (not a fallback).
    same_page: bool,
    current: bool,
}

/// One line of the table of contents, relative to the page showing it.
#[derive(Serialize, Clone)]
struct TocEntry {
    kind: &'static str,
    title: String,
    number: Option<String>,
    href: Option<String>,
    depth: usize,
    status: Option<PageStatus>,
    current: bool,
    sections: Vec<Heading>,
}

/// `page.html`'s context.
#[derive(Serialize)]
struct PageContext<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    page: PageView<'a>,
    previous: Option<NavLink>,
    next: Option<NavLink>,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: String,
    number: Option<String>,
    status: PageStatus,
    kind: &'static str,
    title_html: Option<&'a str>,
    /// `{{#title ...}}`: replaces the HTML `<title>`.
    html_title: Option<&'a str>,
    content: &'a str,
    /// Sentences under the title: when it was written, what it covers, its status.
    notes: Vec<String>,
    stale: bool,
    /// The header card of a runbook page.
    runbook: Option<RunbookCard>,
    original_href: Option<String>,
    original_language: Option<&'a str>,
    original_language_name: Option<&'a str>,
}

#[derive(Serialize)]
struct NavLink {
    title: String,
    number: Option<String>,
    href: String,
}

/// `landing.html`'s context.
#[derive(Serialize)]
struct LandingContext<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    chapter_count: usize,
    available_count: usize,
    completion: String,
    last_updated: Option<String>,
    downloads: Vec<NavLink>,
}

/// `redirect.html`'s context: the multilingual root leading to the source language.
#[derive(Serialize)]
struct RedirectContext<'a> {
    lang: &'a str,
    book_title: &'a str,
    target: String,
    alternates: Vec<Alternate>,
}

/// Links to ids that the page linked to does not have (headings, figures, tables,
/// footnotes), found once every page of the edition is rendered.
fn broken_anchors(bodies: &EditionBodies<'_>) -> Vec<Diagnostic> {
    let ids: HashMap<&str, HashSet<&str>> = bodies
        .edition
        .pages
        .iter()
        .zip(&bodies.bodies)
        .map(|(page, body)| {
            let ids = body
                .iter()
                .flat_map(|body| body.ids.iter().map(String::as_str));
            (page.path.as_str(), ids.collect())
        })
        .collect();
    let mut problems = Vec::new();
    for (page, body) in bodies.edition.pages.iter().zip(&bodies.bodies) {
        let (Some(body), PageContent::Written(written)) = (body, &page.content) else {
            continue;
        };
        for link in &body.anchor_links {
            let known = ids
                .get(link.page.as_str())
                .is_some_and(|ids| ids.contains(link.fragment.as_str()));
            if !known {
                problems.push(
                    Diagnostic::warning("broken-anchor", format!("link to `#{}` in `{}`, which has no such id", link.fragment, link.page))
                        .in_file(&written.file)
                        .at_line(link.line)
                        .with_hint("link to a heading's id (shown in its URL when you click it), a figure or table id, or fix the page"),
                );
            }
        }
    }
    problems
}

/// The page every print page is written to, in each language's directory.
pub const PRINT_PAGE: &str = "print.html";

/// The file name of an edition's EPUB or PDF: its title as a slug.
pub fn publication_name(title: &str, extension: &str) -> String {
    format!("{}.{extension}", crate::slug::slugify(title))
}

/// A page as the print page and the EPUB take it.
pub struct Chapter {
    /// Its output path in the site (`chapters/01.html`).
    pub path: String,
    /// Its title, typeset.
    pub title: String,
    /// Its number, when numbered.
    pub number: Option<String>,
    /// Its status.
    pub status: PageStatus,
    /// Its body: title, chapter notes and text, or a notice for a page without text.
    pub html: String,
}

#[derive(Serialize)]
struct PrintChapter {
    anchor: String,
    status: PageStatus,
    html: String,
}

#[derive(Serialize)]
struct PrintTocEntry {
    part: bool,
    title: String,
    number: Option<String>,
    anchor: String,
}

/// `print.html`'s context.
#[derive(Serialize)]
struct PrintContext<'a> {
    lang: &'a str,
    book_title: &'a str,
    authors: &'a [String],
    description: Option<&'a str>,
    last_updated: Option<String>,
    ui: &'a UiStrings,
    page_size: String,
    style: String,
    toc: Vec<PrintTocEntry>,
    chapters: Vec<PrintChapter>,
}

/// `404.html`'s context.
#[derive(Serialize)]
struct NotFoundContext<'a> {
    lang: &'a str,
    book_title: &'a str,
    color_scheme: &'a str,
    ui: &'a UiStrings,
    stylesheets: Vec<String>,
    alternates: Vec<Alternate>,
}

/// An edition's pages rendered to HTML bodies, with their lookups.
struct EditionBodies<'b> {
    edition: &'b Edition,
    /// The cache key of each page's body.
    keys: Vec<u64>,
    /// Pages whose body was rendered afresh (not taken from the cache).
    rerendered: HashSet<usize>,
    /// True when a page rendered again has other headings than before: the contents
    /// (landing page, shared table of contents) list them.
    sections_changed: bool,
    /// Problems of the edition as a whole (ids given twice).
    diagnostics: Vec<Diagnostic>,
    typographer: Typographer,
    ui: UiStrings,
    bodies: Vec<Option<Arc<RenderedMarkdown>>>,
    by_path: HashMap<&'b str, usize>,
}

/// Renders the site's HTML pages; returns them with the warnings found. `cache` holds
/// the previous render (empty for a one-off build): what did not change is reused.
pub fn render_pages(
    book: &Book,
    theme: &Theme,
    services: &Services<'_>,
    cache: &mut RenderCache,
) -> Result<(Vec<OutputFile>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let Services {
        highlighter,
        embeds,
        assets,
        sample,
        publications,
        ..
    } = *services;
    let tera = templates(theme).map_err(|error| vec![error])?;
    let number_headings = !book.config.output.html.no_section_label;
    let captions: Vec<Vec<(u64, Vec<Caption>)>> = book
        .editions
        .iter()
        .map(|edition| edition_captions(edition, cache))
        .collect();
    let mut fingerprint = site_fingerprint(book, theme, sample);
    let mut editions = Vec::new();
    for (edition, captions) in book.editions.iter().zip(&captions) {
        let ui = theme
            .ui_strings(&edition.language.code)
            .map_err(|error| vec![error])?;
        let (labels, duplicates) = number_labels(book, edition, captions);
        fingerprint = hash_of(&(fingerprint, format!("{labels:?}")));
        let markdown_keys: Vec<u64> = captions.iter().map(|(key, _)| *key).collect();
        editions.push((edition, ui, labels, duplicates, markdown_keys));
    }
    let full = cache.begin(fingerprint);
    let editions: Vec<EditionBodies<'_>> = editions
        .into_iter()
        .map(|(edition, ui, labels, duplicates, markdown_keys)| {
            render_bodies(
                book,
                edition,
                ui,
                &labels,
                duplicates,
                &markdown_keys,
                highlighter,
                embeds,
                cache,
            )
        })
        .collect();
    let mut diagnostics: Vec<Diagnostic> = editions
        .iter()
        .flat_map(|bodies| {
            let pages = bodies
                .bodies
                .iter()
                .flatten()
                .flat_map(|rendered| rendered.diagnostics.iter());
            bodies.diagnostics.iter().chain(pages)
        })
        .cloned()
        .collect();
    diagnostics.extend(editions.iter().flat_map(broken_anchors));
    let renderer = SiteRenderer {
        book,
        tera: &tera,
        assets,
        editions: &editions,
        number_headings,
        site_url: book
            .config
            .output
            .html
            .site_url
            .as_ref()
            .filter(|url| url.contains("://"))
            .map(|url| format!("{}/", url.trim_end_matches('/'))),
        base_path: base_path(
            services.base_path,
            book.config.output.html.site_url.as_deref(),
        ),
        sample,
        publications: publications.then_some(theme),
        previous_output: services.previous_output,
        pdf_downloads: services.pdf_downloads,
    };
    let (jobs, reused) = renderer.jobs(full, cache);
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .into_par_iter()
        .enumerate()
        .map(|(order, job)| {
            let result = renderer.render(job);
            if let Some(search) = services.search {
                search.hand(order, result.as_ref().ok());
            }
            result
        })
        .collect();
    let mut files = reused;
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(error) => diagnostics.push(error),
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    if cache.is_enabled() {
        let kept_captions = book
            .editions
            .iter()
            .zip(captions)
            .flat_map(|(edition, captions)| {
                edition
                    .pages
                    .iter()
                    .zip(captions)
                    .map(|(page, (key, captions))| {
                        (
                            (edition.language.code.clone(), page.path.clone()),
                            key,
                            captions,
                        )
                    })
            })
            .collect();
        let kept_bodies = editions
            .iter()
            .flat_map(|bodies| {
                let code = &bodies.edition.language.code;
                bodies
                    .edition
                    .pages
                    .iter()
                    .zip(&bodies.bodies)
                    .zip(&bodies.keys)
                    .filter_map(move |((page, body), key)| {
                        body.clone()
                            .map(|body| ((code.clone(), page.path.clone()), *key, body))
                    })
            })
            .collect();
        let kept_pages = files
            .iter()
            .map(|file| (file.path.clone(), Arc::clone(&file.bytes)))
            .collect();
        cache.keep(kept_captions, kept_bodies, kept_pages);
    }
    Ok((files, diagnostics))
}

/// What every page shows and a page edit does not change, hashed: configuration, theme,
/// data, each edition's table of contents, titles, statuses and runbooks.
fn site_fingerprint(book: &Book, theme: &Theme, sample: bool) -> u64 {
    let mut parts = vec![
        format!("{:?}", book.config),
        format!("{theme:?}"),
        format!("{:?}{:?}{sample}", book.changelog, book.timeline),
    ];
    for edition in &book.editions {
        parts.push(format!("{:?}", edition.summary));
        for page in &edition.pages {
            // Runbook cards and the landing page's "last updated" come from front matter.
            let runbook = match &page.content {
                PageContent::Written(written) => format!(
                    "{:?}{:?}",
                    written.front_matter.runbook, written.front_matter.updated
                ),
                _ => String::new(),
            };
            parts.push(format!(
                "{}|{}|{:?}|{:?}|{:?}|{runbook}",
                page.path,
                page.title,
                page.number,
                page.status(&edition.language),
                translation::state(book, edition, page)
            ));
        }
    }
    hash_of(&parts)
}

/// Each page's captions with the hash of its markdown, from the cache when unchanged.
fn edition_captions(edition: &Edition, cache: &RenderCache) -> Vec<(u64, Vec<Caption>)> {
    edition
        .pages
        .par_iter()
        .map(|page| match &page.content {
            PageContent::Written(written) => {
                let key = written.body_key;
                let page_key = (edition.language.code.clone(), page.path.clone());
                let captions = cache
                    .captions(&page_key, key)
                    .cloned()
                    .unwrap_or_else(|| markdown::captions(&written.markdown));
                (key, captions)
            }
            _ => (0, Vec::new()),
        })
        .collect()
}

fn number_labels(
    book: &Book,
    edition: &Edition,
    captions: &[(u64, Vec<Caption>)],
) -> (Labels, Vec<Diagnostic>) {
    let page_captions: Vec<PageCaptions<'_>> = edition
        .pages
        .iter()
        .zip(captions)
        .map(|(page, (_, captions))| PageCaptions {
            page_path: &page.path,
            chapter: page.number.as_deref(),
            captions,
        })
        .collect();
    let (labels, duplicates) = Labels::number(&page_captions, book.config.numbering.captions);
    let diagnostics = duplicates
        .into_iter()
        .map(|(id, page_path)| {
            let file = edition
                .page(&page_path)
                .and_then(|page| match &page.content {
                    PageContent::Written(written) => Some(written.file.clone()),
                    _ => None,
                });
            let diagnostic = Diagnostic::error(
                "duplicate-id",
                format!("the id `{id}` is given to two figures or tables"),
            )
            .with_hint("give each figure and table its own `{#fig:...}` / `{#tab:...}` id");
            match file {
                Some(file) => diagnostic.in_file(file),
                None => diagnostic,
            }
        })
        .collect();
    (labels, diagnostics)
}

fn templates(theme: &Theme) -> Result<tera::Tera, Diagnostic> {
    let mut tera = tera::Tera::new();
    tera.add_raw_templates(
        theme
            .templates()
            .map(|(name, file)| (name, file.text.as_str())),
    )
    .map_err(|error| {
        let overrides: Vec<String> = theme
            .templates()
            .filter_map(|(_, file)| file.overridden_by.as_ref())
            .map(|path| path.display().to_string())
            .collect();
        let hint = if overrides.is_empty() {
            "this is a bug in folio's default theme; please report it".to_string()
        } else {
            format!(
                "fix the template, or delete the override to use the default: {}",
                overrides.join(", ")
            )
        };
        Diagnostic::error(
            "template",
            format!("the theme's templates do not compile: {error}"),
        )
        .with_hint(hint)
    })?;
    Ok(tera)
}

/// What rendering pages needs besides the book and its theme.
#[derive(Clone, Copy)]
pub struct Services<'a> {
    /// Code highlighting.
    pub highlighter: &'a Highlighter,
    /// Snippet and include expansion.
    pub embeds: &'a dyn Embeds,
    /// Where the theme's stylesheets and scripts are.
    pub assets: &'a AssetUrls,
    /// True for the sample edition.
    pub sample: bool,
    /// Also render the print page and the EPUB of each language (`build`, not `serve`).
    pub publications: bool,
    /// `--base-url`: the path the site is published under.
    pub base_path: Option<&'a str>,
    /// The site this build replaces, whose publications are kept when unchanged.
    pub previous_output: Option<&'a dyn PreviousFiles>,
    /// True when a PDF engine will write the PDFs the landing page links to.
    pub pdf_downloads: bool,
    /// The search index, handed every file as soon as it is rendered.
    pub search: Option<&'a Indexer>,
}

/// The path the site is published under: `--base-url`, else the path of `site-url`
/// (mdBook's `site-url` may be a bare path such as `/book/`), else `/`.
fn base_path(option: Option<&str>, site_url: Option<&str>) -> String {
    let path = option.map(str::to_string).or_else(|| {
        let url = site_url?;
        match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map(|slash| rest[slash..].to_string()),
            None => Some(url.to_string()),
        }
    });
    let path = path.unwrap_or_default();
    format!("/{}/", path.trim_matches('/')).replace("//", "/")
}

#[allow(clippy::too_many_arguments)]
fn render_bodies<'b>(
    book: &'b Book,
    edition: &'b Edition,
    ui: UiStrings,
    labels: &Labels,
    diagnostics: Vec<Diagnostic>,
    markdown_keys: &[u64],
    highlighter: &Highlighter,
    embeds: &dyn Embeds,
    cache: &RenderCache,
) -> EditionBodies<'b> {
    let typographer = Typographer::new(&edition.language.code, book.config.typography);
    let number_headings = !book.config.output.html.no_section_label;
    let paths: HashSet<String> = edition.pages.iter().map(|page| page.path.clone()).collect();
    let environment = markdown::Environment {
        highlighter,
        pages: &paths,
        number_headings,
        typographer,
        labels,
        strings: &ui,
        blocks: &EditionBlocks::new(book, edition, &ui, typographer),
        embeds,
        allowed: &book.allowed,
        asset_roots: &[
            book.root.join(&edition.language.src_dir),
            book.root.join(&book.source().language.src_dir),
        ],
    };
    let rendered: Vec<(u64, Option<Arc<RenderedMarkdown>>, bool)> = edition
        .pages
        .par_iter()
        .zip(markdown_keys)
        .map(|(page, markdown_key)| {
            let PageContent::Written(written) = &page.content else {
                return (0, None, true);
            };
            let key = hash_of(&(markdown_key, &page.path, &page.number, page.has_subchapters));
            let page_key = (edition.language.code.clone(), page.path.clone());
            if let Some(body) = cache.body(&page_key, key) {
                return (key, Some(Arc::clone(body)), false);
            }
            let source = PageSource {
                markdown: &written.markdown,
                file: &written.file,
                first_line: written.first_line,
                page_path: &page.path,
                number: page.number.as_deref(),
                number_sections: !page.has_subchapters,
            };
            (
                key,
                Some(Arc::new(markdown::render(&source, &environment))),
                true,
            )
        })
        .collect();
    let mut keys = Vec::new();
    let mut bodies = Vec::new();
    let mut rerendered = HashSet::new();
    let mut sections_changed = false;
    for (index, (key, body, fresh)) in rendered.into_iter().enumerate() {
        if fresh {
            rerendered.insert(index);
            let page_key = (
                edition.language.code.clone(),
                edition.pages[index].path.clone(),
            );
            let before = cache.headings_before(&page_key);
            sections_changed |= before != body.as_ref().map(|body| body.headings.as_slice());
        }
        keys.push(key);
        bodies.push(body);
    }
    let by_path = edition
        .pages
        .iter()
        .enumerate()
        .map(|(index, page)| (page.path.as_str(), index))
        .collect();
    EditionBodies {
        edition,
        typographer,
        ui,
        bodies,
        keys,
        rerendered,
        sections_changed,
        by_path,
        diagnostics,
    }
}

/// One file to render.
enum Job {
    Page { edition: usize, page: usize },
    Landing { edition: usize },
    SharedToc { edition: usize },
    Redirect,
    Sitemap,
    NotFound,
    Print { edition: usize },
    Epub { edition: usize },
}

struct SiteRenderer<'r> {
    book: &'r Book,
    tera: &'r tera::Tera,
    assets: &'r AssetUrls,
    editions: &'r [EditionBodies<'r>],
    number_headings: bool,
    /// `site-url` with a trailing slash, when it is an absolute URL.
    site_url: Option<String>,
    /// The path the site is published under (`/`, `/book/`), for the 404 page.
    base_path: String,
    /// True when building the sample edition.
    sample: bool,
    /// The theme, when the print pages and EPUBs are rendered too.
    publications: Option<&'r Theme>,
    previous_output: Option<&'r dyn PreviousFiles>,
    pdf_downloads: bool,
}

impl SiteRenderer<'_> {
    /// The files to render, and the pages whose HTML the cache already has: after a
    /// `full` change every page is rendered; otherwise only the pages whose body changed,
    /// runbook pages (their cards read other pages), landing pages and site-wide files.
    fn jobs(&self, full: bool, cache: &RenderCache) -> (Vec<Job>, Vec<OutputFile>) {
        let mut jobs = Vec::new();
        let mut reused = Vec::new();
        // A file is rendered again unless `keep` says its inputs are unchanged and the
        // cache has it.
        let mut schedule =
            |job: Job, path: String, keep: bool| match cache.page(&path).filter(|_| keep) {
                Some(bytes) => reused.push(OutputFile {
                    path,
                    bytes: Arc::clone(bytes),
                }),
                None => jobs.push(job),
            };
        for (edition_index, bodies) in self.editions.iter().enumerate() {
            let pages = &bodies.edition.pages;
            for (page_index, page) in pages.iter().enumerate() {
                let is_runbook = matches!(&page.content, PageContent::Written(written) if written.front_matter.runbook.is_some());
                schedule(
                    Job::Page {
                        edition: edition_index,
                        page: page_index,
                    },
                    Self::output_path(bodies.edition, &page.html_path()),
                    !full && !is_runbook && !bodies.rerendered.contains(&page_index),
                );
            }
            // The contents change with titles and statuses (then `full`) or sections.
            let contents_kept = !full && !bodies.sections_changed;
            if self.shares_toc(bodies.edition) {
                schedule(
                    Job::SharedToc {
                        edition: edition_index,
                    },
                    Self::output_path(bodies.edition, SHARED_TOC_SCRIPT),
                    contents_kept,
                );
            }
            if !pages.iter().any(|page| page.html_path() == "index.html") {
                schedule(
                    Job::Landing {
                        edition: edition_index,
                    },
                    Self::output_path(bodies.edition, "index.html"),
                    contents_kept,
                );
            }
        }
        // These show nothing a page's text changes (the sitemap lists pages by status).
        if self.editions.len() > 1 {
            schedule(Job::Redirect, "index.html".to_string(), !full);
        }
        if self.site_url.is_some() {
            schedule(Job::Sitemap, "sitemap.xml".to_string(), !full);
        }
        schedule(Job::NotFound, "404.html".to_string(), !full);
        if self.publications.is_some() {
            for edition in 0..self.editions.len() {
                jobs.push(Job::Print { edition });
                if self.book.config.output.epub.enable {
                    jobs.push(Job::Epub { edition });
                }
            }
        }
        (jobs, reused)
    }

    fn render(&self, job: Job) -> Result<OutputFile, Diagnostic> {
        match job {
            Job::Page { edition, page } => self.page(&self.editions[edition], page),
            Job::Landing { edition } => self.landing(&self.editions[edition]),
            Job::SharedToc { edition } => self.shared_toc(&self.editions[edition]),
            Job::Redirect => self.redirect(),
            Job::Sitemap => Ok(self.sitemap()),
            Job::NotFound => self.not_found(),
            Job::Print { edition } => self.print(&self.editions[edition]),
            Job::Epub { edition } => self.epub(&self.editions[edition]),
        }
    }

    fn output_path(edition: &Edition, html_path: &str) -> String {
        format!("{}{html_path}", edition.language.url_prefix)
    }

    fn number(&self, number: Option<&Vec<u32>>) -> Option<String> {
        number.filter(|_| self.number_headings).map(|parts| {
            parts
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(".")
        })
    }

    fn common<'c>(
        &'c self,
        bodies: &'c EditionBodies<'c>,
        output_path: &str,
        current: Option<&str>,
    ) -> Common<'c> {
        let edition = bodies.edition;
        let config = &self.book.config;
        let root = path_to_root(output_path);
        let lang_root = format!("{root}{}", edition.language.url_prefix);
        // Landing and 404 pages (no current page) list the whole contents themselves.
        let shared = current.is_some() && self.shares_toc(edition);
        Common {
            lang: &edition.language.code,
            book_title: &edition.language.title,
            authors: &config.book.authors,
            description: edition.language.description.as_deref(),
            color_scheme: config.color_scheme(),
            git_repository_url: config.output.html.git_repository_url.as_deref(),
            ui: &bodies.ui,
            stylesheets: prefixed(&root, &self.assets.stylesheets),
            scripts: prefixed(&root, &self.assets.scripts),
            alternates: self.alternates(edition, &root, current),
            toc: if shared {
                Vec::new()
            } else {
                self.toc(bodies, &lang_root, current)
            },
            shared_toc: shared.then(|| SharedToc {
                script: format!("{lang_root}{SHARED_TOC_SCRIPT}"),
                current: current.map(html_path_of).unwrap_or_default(),
                sections: current
                    .map(|path| sections_of(bodies, path))
                    .unwrap_or_default(),
            }),
            search: config.output.html.search.enable,
            sample: self
                .sample
                .then(|| config.sample.full_book_url.as_deref().unwrap_or("")),
            canonical: self
                .site_url
                .as_ref()
                .map(|site| format!("{site}{output_path}")),
            root,
            lang_root,
        }
    }

    /// The language switch: the same page in each language, else that language's landing page.
    fn alternates(&self, edition: &Edition, root: &str, current: Option<&str>) -> Vec<Alternate> {
        self.editions
            .iter()
            .map(|other| {
                let language = &other.edition.language;
                let target = current
                    .filter(|path| other.by_path.contains_key(path))
                    .map_or_else(|| "index.html".to_string(), html_path_of);
                let same_page = current.is_none_or(|path| {
                    other
                        .edition
                        .page(path)
                        .is_some_and(|page| matches!(page.content, PageContent::Written(_)))
                });
                let path = format!("{}{target}", language.url_prefix);
                Alternate {
                    code: language.code.clone(),
                    name: language.name.clone(),
                    title: language.title.clone(),
                    href: format!("{root}{path}"),
                    absolute: self.site_url.as_ref().map(|site| format!("{site}{path}")),
                    same_page,
                    current: language.code == edition.language.code,
                }
            })
            .collect()
    }

    /// True when `edition`'s table of contents is written once, in [`SHARED_TOC_SCRIPT`].
    fn shares_toc(&self, edition: &Edition) -> bool {
        edition.summary.items.len() > self.book.config.output.html.toc_inline_max()
    }

    /// The shared table of contents: its entries, links relative to the language root,
    /// in a script that fills the page's empty list (themes/default/toc.js).
    fn shared_toc(&self, bodies: &EditionBodies<'_>) -> Result<OutputFile, Diagnostic> {
        let context = serde_json::json!({ "toc": self.toc(bodies, "", None), "ui": &bodies.ui });
        let path = Self::output_path(bodies.edition, SHARED_TOC_SCRIPT);
        let entries = self.render_template("toc_entries.html", &context, path.clone())?;
        let entries = serde_json::to_string(&String::from_utf8_lossy(&entries.bytes))
            .expect("a string serializes to JSON");
        let script = format!(
            "var FOLIO_TOC = {entries};\n{}",
            include_str!("../../themes/default/toc.js")
        );
        Ok(OutputFile {
            path,
            bytes: Arc::new(script.into_bytes()),
        })
    }

    fn toc(
        &self,
        bodies: &EditionBodies<'_>,
        lang_root: &str,
        current: Option<&str>,
    ) -> Vec<TocEntry> {
        let edition = bodies.edition;
        edition
            .summary
            .items
            .iter()
            .map(|item| match item {
                SummaryItem::PartTitle(title) => TocEntry {
                    kind: "part",
                    title: bodies.typographer.text(title),
                    ..TocEntry::blank()
                },
                SummaryItem::Separator => TocEntry {
                    kind: "separator",
                    ..TocEntry::blank()
                },
                SummaryItem::Chapter(chapter) => {
                    let index = chapter
                        .path
                        .as_deref()
                        .and_then(|path| bodies.by_path.get(path));
                    let page = index.map(|&i| &edition.pages[i]);
                    let listed = current.is_none() || chapter.path.as_deref() == current;
                    let sections = chapter
                        .path
                        .as_deref()
                        .filter(|_| listed)
                        .map(|path| sections_of(bodies, path))
                        .unwrap_or_default();
                    TocEntry {
                        kind: "chapter",
                        title: bodies
                            .typographer
                            .text(page.map_or(&chapter.title, |page| &page.title)),
                        number: self.number(chapter.number.as_ref()),
                        href: page.map(|page| format!("{lang_root}{}", page.html_path())),
                        depth: chapter.depth,
                        status: Some(
                            page.map_or(PageStatus::Todo, |page| page.status(&edition.language)),
                        ),
                        current: chapter.path.is_some() && chapter.path.as_deref() == current,
                        sections,
                    }
                }
            })
            .collect()
    }

    fn page(&self, bodies: &EditionBodies<'_>, index: usize) -> Result<OutputFile, Diagnostic> {
        let edition = bodies.edition;
        let page = &edition.pages[index];
        let output_path = Self::output_path(edition, &page.html_path());
        let common = self.common(bodies, &output_path, Some(&page.path));
        let typeset = |text: &str| bodies.typographer.text(text);
        let nav_link = |page: &Page| NavLink {
            title: typeset(&page.title),
            number: self.number(page.number.as_ref()),
            href: format!("{}{}", common.lang_root, page.html_path()),
        };
        let previous = index.checked_sub(1).map(|i| nav_link(&edition.pages[i]));
        let next = edition.pages.get(index + 1).map(nav_link);
        let body = bodies.bodies[index].as_ref();
        let (kind, front_matter) = match &page.content {
            PageContent::Written(written) => ("written", Some(&written.front_matter)),
            PageContent::Todo => ("todo", None),
            PageContent::Untranslated => ("untranslated", None),
            PageContent::NotInSample => ("not_in_sample", None),
        };
        let source = &self.editions[0];
        let original = (!edition.language.is_source
            && source.by_path.contains_key(page.path.as_str()))
        .then_some(source);
        let stale = translation::state(self.book, edition, page) == Some(TranslationState::Stale);
        let view = PageView {
            title: typeset(&page.title),
            number: self.number(page.number.as_ref()),
            status: page.status(&edition.language),
            kind,
            title_html: body.and_then(|body| body.title_html.as_deref()),
            html_title: body.and_then(|body| body.html_title.as_deref()),
            content: body.map_or("", |body| body.html.as_str()),
            notes: self.chapter_notes(bodies, page, front_matter),
            runbook: front_matter.and_then(|f| f.runbook.as_ref()).map(|meta| {
                EditionBlocks::new(self.book, edition, &bodies.ui, bodies.typographer)
                    .runbook_card(page, meta)
            }),
            original_href: original.map(|o| {
                format!(
                    "{}{}{}",
                    common.root,
                    o.edition.language.url_prefix,
                    page.html_path()
                )
            }),
            stale,
            original_language: original.map(|o| o.edition.language.code.as_str()),
            original_language_name: original.map(|o| o.edition.language.name.as_str()),
        };
        let context = PageContext {
            common,
            page: view,
            previous,
            next,
        };
        self.render_template("page.html", &context, output_path)
    }

    /// "This chapter was written in the summer of 2018." and its siblings.
    fn chapter_notes(
        &self,
        bodies: &EditionBodies<'_>,
        page: &Page,
        front_matter: Option<&FrontMatter>,
    ) -> Vec<String> {
        let Some(front_matter) = front_matter else {
            return Vec::new();
        };
        let ui = &bodies.ui;
        let typeset = |text: String| bodies.typographer.text(&text);
        let mut notes = Vec::new();
        if let Some(written) = &front_matter.written {
            notes.push(typeset(localize::fill(
                ui,
                "written_note",
                &[("written", written)],
            )));
        }
        if let Some(covers) = &front_matter.covers {
            notes.push(typeset(localize::fill(
                ui,
                "covers_note",
                &[("covers", covers)],
            )));
        }
        if front_matter.status.is_some() {
            let key = serde_json::to_value(page.status(&bodies.edition.language))
                .ok()
                .and_then(|value| value.as_str().map(|status| format!("status_{status}")))
                .unwrap_or_default();
            let status = ui.get(&key).cloned().unwrap_or(key);
            notes.push(localize::fill(ui, "status_note", &[("status", &status)]));
        }
        notes
    }

    fn landing(&self, bodies: &EditionBodies<'_>) -> Result<OutputFile, Diagnostic> {
        let edition = bodies.edition;
        let output_path = Self::output_path(edition, "index.html");
        let chapter_count = edition.summary.chapters().count();
        let available_count = edition
            .pages
            .iter()
            .filter(|page| matches!(page.content, PageContent::Written(_)))
            .count();
        let complete_count = edition
            .pages
            .iter()
            .filter(|page| {
                matches!(
                    page.status(&edition.language),
                    PageStatus::Written | PageStatus::Translated
                )
            })
            .count();
        let percent = (complete_count * 100)
            .checked_div(chapter_count)
            .unwrap_or(0)
            .to_string();
        let completion_key = if edition.language.is_source {
            "completion_source"
        } else {
            "completion_translation"
        };
        let last_updated = self.last_updated(bodies);
        let context = LandingContext {
            downloads: self.downloads(bodies),
            completion: localize::fill(&bodies.ui, completion_key, &[("percent", &percent)]),
            last_updated,
            common: self.common(bodies, &output_path, None),
            chapter_count,
            available_count,
        };
        self.render_template("landing.html", &context, output_path)
    }

    fn redirect(&self) -> Result<OutputFile, Diagnostic> {
        let source = &self.editions[0].edition.language;
        let context = RedirectContext {
            lang: &source.code,
            book_title: &source.title,
            target: format!("{}index.html", source.url_prefix),
            alternates: self.alternates(self.editions[0].edition, "", None),
        };
        self.render_template("redirect.html", &context, "index.html".to_string())
    }

    /// The chapters of an edition as the print page and the EPUB take them: each page's
    /// title, number, status and body HTML (title, chapter notes and text, or a notice).
    fn chapters(&self, bodies: &EditionBodies<'_>) -> Vec<Chapter> {
        let edition = bodies.edition;
        edition
            .pages
            .iter()
            .enumerate()
            .map(|(index, page)| {
                let title = bodies.typographer.text(&page.title);
                let number = self.number(page.number.as_ref());
                let heading = format!(
                    "<h1 class=\"chapter-title\">{}{}</h1>\n",
                    number
                        .as_ref()
                        .map(|n| format!("<span class=\"section-number\">{n}</span> "))
                        .unwrap_or_default(),
                    escape_xml(&title)
                );
                let html = match (&page.content, bodies.bodies[index].as_ref()) {
                    (PageContent::Written(written), Some(body)) => {
                        let notes: String = self
                            .chapter_notes(bodies, page, Some(&written.front_matter))
                            .iter()
                            .map(|note| format!("<p>{}</p>", escape_xml(note)))
                            .collect();
                        let notes = if notes.is_empty() {
                            notes
                        } else {
                            format!("<div class=\"chapter-meta\">{notes}</div>\n")
                        };
                        format!(
                            "{}{notes}{}",
                            body.title_html.clone().unwrap_or(heading),
                            body.html
                        )
                    }
                    _ => {
                        let key = match page.status(&edition.language) {
                            PageStatus::NotTranslated => "not_translated_title",
                            PageStatus::NotInSample => "not_in_sample_title",
                            _ => "todo_body",
                        };
                        format!(
                            "{heading}<p class=\"notice\">{}</p>\n",
                            escape_xml(&localize::fill(&bodies.ui, key, &[]))
                        )
                    }
                };
                Chapter {
                    path: page.html_path(),
                    title,
                    number,
                    status: page.status(&edition.language),
                    html,
                }
            })
            .collect()
    }

    /// When the edition was last updated: the changelog's latest date, else git, else
    /// front matter.
    fn last_updated_date(&self, bodies: &EditionBodies<'_>) -> Option<Date> {
        let edition = bodies.edition;
        let directory = self.book.root.join(&edition.language.src_dir);
        self.book
            .changelog
            .as_ref()
            .and_then(|changelog| changelog.latest())
            .or_else(|| history::last_updated(&directory, edition))
    }

    /// "Last updated: ..." in the edition's language.
    fn last_updated(&self, bodies: &EditionBodies<'_>) -> Option<String> {
        self.last_updated_date(bodies).map(|date| {
            let date = localize::date(&bodies.ui, date);
            localize::fill(&bodies.ui, "last_updated", &[("date", &date)])
        })
    }

    /// The landing page's links to the EPUB and the PDF (when an engine will write it).
    fn downloads(&self, bodies: &EditionBodies<'_>) -> Vec<NavLink> {
        let Some(_) = self.publications else {
            return Vec::new();
        };
        let title = &bodies.edition.language.title;
        let output = &self.book.config.output;
        let mut links = Vec::new();
        if output.epub.enable {
            links.push(NavLink {
                title: "EPUB".into(),
                number: None,
                href: publication_name(title, "epub"),
            });
        }
        if self.pdf_downloads {
            links.push(NavLink {
                title: "PDF".into(),
                number: None,
                href: publication_name(title, "pdf"),
            });
        }
        links
    }

    /// `LANG/print.html`: the whole edition in one page for print and PDF engines.
    fn print(&self, bodies: &EditionBodies<'_>) -> Result<OutputFile, Diagnostic> {
        let theme = self
            .publications
            .expect("print jobs exist only with publications");
        let edition = bodies.edition;
        let chapters = self.chapters(bodies);
        let anchors: HashMap<String, String> = chapters
            .iter()
            .enumerate()
            .map(|(index, chapter)| (chapter.path.clone(), format!("c{}", index + 1)))
            .collect();
        let target = rebase::Target::SingleDocument { anchors: &anchors };
        let print_chapters: Vec<PrintChapter> = chapters
            .iter()
            .map(|chapter| PrintChapter {
                anchor: anchors[&chapter.path].clone(),
                status: chapter.status,
                html: rebase::rebase(&chapter.html, &chapter.path, PRINT_PAGE, &target),
            })
            .collect();
        let toc = edition
            .summary
            .items
            .iter()
            .filter_map(|item| match item {
                SummaryItem::PartTitle(title) => Some(PrintTocEntry {
                    part: true,
                    title: bodies.typographer.text(title),
                    number: None,
                    anchor: String::new(),
                }),
                SummaryItem::Chapter(entry) => {
                    let chapter = chapters.iter().find(|chapter| {
                        Some(chapter.path.as_str())
                            == entry.path.as_deref().map(html_path_of).as_deref()
                    })?;
                    Some(PrintTocEntry {
                        part: false,
                        title: chapter.title.clone(),
                        number: chapter.number.clone(),
                        anchor: anchors[&chapter.path].clone(),
                    })
                }
                SummaryItem::Separator => None,
            })
            .collect();
        let style = format!(
            "{}\n{}",
            theme.file("css/highlight.css").text,
            theme.file("css/print.css").text
        );
        let context = PrintContext {
            lang: &edition.language.code,
            book_title: &edition.language.title,
            authors: &self.book.config.book.authors,
            description: edition.language.description.as_deref(),
            last_updated: self.last_updated(bodies),
            ui: &bodies.ui,
            page_size: self
                .book
                .config
                .output
                .pdf
                .clone()
                .unwrap_or_default()
                .css_page_size(),
            style,
            toc,
            chapters: print_chapters,
        };
        self.render_template(
            "print.html",
            &context,
            Self::output_path(edition, PRINT_PAGE),
        )
    }

    /// `LANG/TITLE.epub`.
    fn epub(&self, bodies: &EditionBodies<'_>) -> Result<OutputFile, Diagnostic> {
        let theme = self
            .publications
            .expect("EPUB jobs exist only with publications");
        let edition = bodies.edition;
        let chapters = self.chapters(bodies);
        let directory = self.book.root.join(&edition.language.src_dir);
        let source_directory = self.book.root.join(&self.book.source().language.src_dir);
        let modified = self.last_updated_date(bodies);
        let path = Self::output_path(edition, &publication_name(&edition.language.title, "epub"));
        let previous = self.previous_output.and_then(|output| output.read(&path));
        let bytes = epub::write(
            &epub::EpubBook {
                language: &edition.language,
                authors: &self.book.config.book.authors,
                chapters: &chapters,
                source_directory: &directory,
                fallback_directory: (!edition.language.is_source)
                    .then_some(source_directory.as_path()),
                allowed: &self.book.allowed,
                stylesheet: &format!(
                    "{}\n{}",
                    theme.file("css/highlight.css").text,
                    theme.file("css/epub.css").text
                ),
                modified,
                notice_label: localize::fill(&bodies.ui, "contents", &[]),
            },
            previous,
        )?;
        Ok(OutputFile {
            path,
            bytes: Arc::new(bytes),
        })
    }

    /// `404.html`, served for any missing path: its links start from the site's root
    /// path (`/`, or the path of `site-url`) since it is shown at any depth.
    fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        let bodies = &self.editions[0];
        let root = self.base_path.clone();
        let context = NotFoundContext {
            lang: &bodies.edition.language.code,
            book_title: &bodies.edition.language.title,
            color_scheme: self.book.config.color_scheme(),
            ui: &bodies.ui,
            stylesheets: prefixed(&root, &self.assets.stylesheets),
            alternates: self.alternates(bodies.edition, &root, None),
        };
        self.render_template("404.html", &context, "404.html".to_string())
    }

    /// `sitemap.xml`: every written page and landing page of every language, each with
    /// its translations as `xhtml:link` alternates.
    fn sitemap(&self) -> OutputFile {
        let site = self
            .site_url
            .as_deref()
            .expect("sitemap jobs exist only with a site URL");
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for bodies in self.editions {
            let edition = bodies.edition;
            let written = edition
                .pages
                .iter()
                .filter(|page| matches!(page.content, PageContent::Written(_)))
                .map(|page| Some(page.path.as_str()));
            for current in std::iter::once(None).chain(written) {
                let target = current.map_or_else(|| "index.html".to_string(), html_path_of);
                xml.push_str(&format!(
                    "<url><loc>{}</loc>",
                    escape_xml(&format!("{site}{}{target}", edition.language.url_prefix))
                ));
                for alternate in self
                    .alternates(edition, "", current)
                    .iter()
                    .filter(|a| a.same_page)
                {
                    let href = alternate.absolute.as_deref().unwrap_or(&alternate.href);
                    xml.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        escape_xml(&alternate.code),
                        escape_xml(href)
                    ));
                }
                xml.push_str("</url>\n");
            }
        }
        xml.push_str("</urlset>\n");
        OutputFile {
            path: "sitemap.xml".to_string(),
            bytes: Arc::new(xml.into_bytes()),
        }
    }

    fn render_template(
        &self,
        name: &str,
        context: &impl Serialize,
        output_path: String,
    ) -> Result<OutputFile, Diagnostic> {
        let context = tera::Context::from_serialize(context).map_err(|error| {
            Diagnostic::error("template", format!("cannot prepare `{name}`: {error}"))
        })?;
        let html = self.tera.render(name, &context).map_err(|error| {
            Diagnostic::error(
                "template",
                format!("rendering `{output_path}` with `{name}` failed: {error}"),
            )
            .with_hint("check the theme's templates for a misspelt variable")
        })?;
        Ok(OutputFile {
            path: output_path,
            bytes: Arc::new(html.into_bytes()),
        })
    }
}

/// The sections (`##` headings) of the page at `path`, for the table of contents.
fn sections_of(bodies: &EditionBodies<'_>, path: &str) -> Vec<Heading> {
    bodies
        .by_path
        .get(path)
        .and_then(|&i| bodies.bodies[i].as_ref())
        .map(|body| {
            body.headings
                .iter()
                .filter(|h| h.level == 2)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

impl TocEntry {
    fn blank() -> Self {
        TocEntry {
            kind: "",
            title: String::new(),
            number: None,
            href: None,
            depth: 0,
            status: None,
            current: false,
            sections: Vec::new(),
        }
    }
}

/// `urls` (relative to the output root) as seen from a page whose path to the root is `root`.
fn prefixed(root: &str, urls: &[String]) -> Vec<String> {
    urls.iter().map(|url| format!("{root}{url}")).collect()
}
