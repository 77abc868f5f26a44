//! Step 3: lays every page of every edition out through the theme's Tera templates, in
//! parallel, with a typed context per template ([`contexts`]): the pages ([`pages`]),
//! the shared table of contents ([`contents`]), the print page and EPUB
//! ([`publications`]), what hosting asks for ([`hosting`]); [`jobs`] decides what to
//! render again.

mod contents;
mod contexts;
mod feeds;
mod hosting;
mod jobs;
mod pages;
mod publications;

pub use publications::Chapter;

use super::assets::AssetUrls;
use super::cache::RenderCache;
use super::search::Indexer;
use super::theme::Theme;
use super::{FileSink, OutputFile, PreviousFiles};
use crate::book::translation;
use crate::book::{Book, Edition, PageContent};
use crate::diagnostic::Diagnostic;
use crate::digest::hash_of;
use crate::markdown::edition::EditionBodies;
use crate::markdown::labels::Labels;
use jobs::Job;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

/// The name of a language's shared table of contents, under its root.
pub const SHARED_TOC_SCRIPT: &str = "toc.js";

/// The page every print page is written to, in each language's directory.
pub const PRINT_PAGE: &str = "print.html";

/// The file name of an edition's EPUB or PDF: its title as a slug.
pub fn publication_name(title: &str, extension: &str) -> String {
    format!("{}.{extension}", crate::slug::slugify(title))
}

/// Lays out every page of `editions` (step 2's bodies) through the theme's templates,
/// in parallel, handing each file to the search index as it comes. After a `full`
/// change (see [`fingerprint`]) every file is rendered; otherwise the files whose
/// inputs did not change come from `cache`. Returns the files (or, with a sink, the
/// paths of those it wrote there) and the problems found.
pub fn render_pages(
    book: &Book,
    theme: &Theme,
    tera: &tera::Tera,
    editions: &[EditionBodies<'_>],
    full: bool,
    services: &Services<'_>,
    cache: &RenderCache,
) -> (Vec<OutputFile>, Vec<String>, Vec<Diagnostic>) {
    let html = &book.config.output.html;
    let renderer = SiteRenderer {
        book,
        tera,
        assets: services.assets,
        editions,
        number_headings: !html.no_section_label,
        site_url: html
            .site_url
            .as_ref()
            .filter(|url| url.contains("://"))
            .map(|url| format!("{}/", url.trim_end_matches('/'))),
        base_path: base_path(services.base_path, html.site_url.as_deref()),
        sample: services.sample,
        publications: services.publications.then_some(theme),
        previous_output: services.previous_output,
        pdf_downloads: services.pdf_downloads,
        redirects: Vec::new(),
        sink: services.sink,
    };
    let renderer = match renderer.redirect_paths() {
        Ok(redirects) => SiteRenderer {
            redirects,
            ..renderer
        },
        Err(error) => return (Vec::new(), Vec::new(), vec![error]),
    };
    let (jobs, reused) = renderer.jobs(full, cache);
    let results: Vec<Result<Result<OutputFile, String>, Diagnostic>> = jobs
        .into_par_iter()
        .enumerate()
        .map(|(order, job)| {
            let made = renderer.render(job);
            if let Some(search) = services.search {
                let file = match &made {
                    Ok(Made::File(file)) => Some(file),
                    _ => None,
                };
                search.hand(order, file);
            }
            // Written as soon as it is made, and dropped: the site is not held in memory.
            match (made?, services.sink) {
                (Made::File(file), Some(sink)) => sink.put(&file).map(|()| Err(file.path)),
                (Made::File(file), None) => Ok(Ok(file)),
                (Made::Written(path), _) => Ok(Err(path)),
            }
        })
        .collect();
    let mut files = reused;
    let mut written = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(Ok(file)) => files.push(file),
            Ok(Err(path)) => written.push(path),
            Err(error) => problems.push(error),
        }
    }
    (files, written, problems)
}

/// The hash of what every page shows and a page edit does not change: configuration,
/// theme, data, each edition's table of contents, titles, statuses, runbooks, and the
/// numbers of its figures and tables (`labels`, one per edition).
pub fn fingerprint(book: &Book, theme: &Theme, sample: bool, labels: &[&Labels]) -> u64 {
    labels.iter().fold(
        site_fingerprint(book, theme, sample),
        |fingerprint, labels| hash_of(&(fingerprint, format!("{labels:?}"))),
    )
}

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

/// The theme's templates, compiled; an override that does not compile is named.
pub fn templates(theme: &Theme) -> Result<tera::Tera, Diagnostic> {
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
    /// Where each file goes as soon as it is rendered (a build's staging directory),
    /// instead of being returned.
    pub sink: Option<&'a dyn FileSink>,
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
    /// `[output.html.redirect]`, checked and grouped by old page.
    redirects: Vec<hosting::Redirect>,
    /// Where a file too big to hold whole is written piece by piece, in a build.
    sink: Option<&'r dyn FileSink>,
}

/// What a job made: a file, or the path of a file it wrote into the sink itself.
enum Made {
    File(OutputFile),
    Written(String),
}

impl SiteRenderer<'_> {
    fn render(&self, job: Job) -> Result<Made, Diagnostic> {
        let file = match job {
            Job::Page { edition, page } => self.page(&self.editions[edition], page),
            Job::Landing { edition } => self.landing(&self.editions[edition]),
            Job::SharedToc { edition } => self.shared_toc(&self.editions[edition]),
            Job::Redirect => self.redirect(),
            Job::Sitemap => Ok(self.sitemap()),
            Job::NotFound => self.not_found(),
            // Too big to hold whole on a big book: written into the sink as it is made.
            Job::Print { edition } => return self.print(&self.editions[edition]),
            Job::Epub { edition } => self.epub(&self.editions[edition]),
            Job::Moved { redirect } => {
                let redirect = &self.redirects[redirect];
                let to = redirect.to.as_deref().unwrap_or_default();
                Ok(self.moved_page(&redirect.path, to, &redirect.fragments))
            }
            Job::Feed { edition, feed } => self.feed(&self.editions[edition], feed),
            Job::Cname => self.cname(
                self.book
                    .config
                    .output
                    .html
                    .cname
                    .as_deref()
                    .unwrap_or_default(),
            ),
        };
        file.map(Made::File)
    }

    pub(super) fn output_path(edition: &Edition, html_path: &str) -> String {
        format!("{}{html_path}", edition.language.url_prefix)
    }

    pub(super) fn number(&self, number: Option<&Vec<u32>>) -> Option<String> {
        number.filter(|_| self.number_headings).map(|parts| {
            parts
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(".")
        })
    }

    pub(super) fn render_template(
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

/// `urls` (relative to the output root) as seen from a page whose path to the root is `root`.
fn prefixed(root: &str, urls: &[String]) -> Vec<String> {
    urls.iter().map(|url| format!("{root}{url}")).collect()
}
