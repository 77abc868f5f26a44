//! The typed context of each template (`page.html`, `landing.html`, `print.html`...)
//! and the parts every page shares: language switch, table of contents, assets.

use super::SiteRenderer;
use super::contents::sections_of;
use super::{SHARED_TOC_SCRIPT, prefixed};
use crate::book::{Edition, PageContent, PageStatus, href_of, html_path_of};
use crate::markdown::Heading;
use crate::markdown::edition::EditionBodies;
use crate::render::blocks::RunbookCard;
use crate::render::path_to_root;
use crate::render::theme::UiStrings;
use serde::Serialize;

/// What every template of one edition shares.
#[derive(Serialize)]
pub(super) struct Common<'a> {
    pub(super) lang: &'a str,
    pub(super) book_title: &'a str,
    pub(super) authors: &'a [String],
    /// The page's own description (its first paragraph), else the book's.
    pub(super) description: Option<String>,
    /// `og:type`: `article` for a book page, `website` for the others.
    pub(super) og_type: &'static str,
    /// `og:title`: the page's title (plain text), else the book's.
    pub(super) og_title: Option<String>,
    /// The language's Atom feeds: (title, href).
    pub(super) feeds: Vec<(String, String)>,
    /// The print page, when the build writes one (not under `serve`).
    pub(super) print_href: Option<String>,
    pub(super) color_scheme: &'a str,
    pub(super) git_repository_url: Option<&'a str>,
    /// The repository's name for its link (`GitHub`, `GitLab`), from `git-repository-icon`.
    pub(super) git_repository_name: Option<&'static str>,
    /// `[output.html.search] limit-results` and `teaser-word-count`.
    pub(super) search_limit: usize,
    pub(super) search_excerpt_words: usize,
    pub(super) ui: &'a UiStrings,
    /// From the current file to the output root.
    pub(super) root: String,
    /// From the current file to its language's root.
    pub(super) lang_root: String,
    /// The page's absolute URL, when `site-url` is set.
    pub(super) canonical: Option<String>,
    /// Whether pages carry a search box.
    pub(super) search: bool,
    /// The search box's script, when they do.
    pub(super) search_script: Option<String>,
    /// In the sample edition: where the full book is (empty when unknown).
    pub(super) sample: Option<&'a str>,
    pub(super) stylesheets: Vec<String>,
    pub(super) scripts: Vec<String>,
    pub(super) alternates: Vec<Alternate>,
    pub(super) toc: Vec<TocEntry>,
    /// Set instead of `toc` when the table of contents is too long to repeat in every page.
    pub(super) shared_toc: Option<SharedToc>,
}

/// A page's part of a shared table of contents: the script holding it, the page's own
/// path (relative to the language root) and its sections.
#[derive(Serialize)]
pub(super) struct SharedToc {
    pub(super) script: String,
    pub(super) current: String,
    pub(super) sections: Vec<Heading>,
}

/// The same page in one language, for the language switch.
#[derive(Serialize, Clone)]
pub(super) struct Alternate {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) title: String,
    pub(super) href: String,
    /// The absolute URL, when `site-url` is set.
    pub(super) absolute: Option<String>,
    /// True when this language has this very page written (not a fallback).
    pub(super) same_page: bool,
    pub(super) current: bool,
}

/// One line of the table of contents, relative to the page showing it.
#[derive(Serialize, Clone)]
pub(super) struct TocEntry {
    pub(super) kind: &'static str,
    /// Inline HTML (a SUMMARY.md title may hold code spans and emphasis).
    pub(super) title: String,
    pub(super) number: Option<String>,
    pub(super) href: Option<String>,
    pub(super) depth: usize,
    pub(super) status: Option<PageStatus>,
    pub(super) current: bool,
    pub(super) sections: Vec<Heading>,
    /// Hidden by `[output.html.fold]`: nested deeper than its level, in another branch
    /// than the current page's.
    pub(super) folded: bool,
}

/// `page.html`'s context.
#[derive(Serialize)]
pub(super) struct PageContext<'a> {
    #[serde(flatten)]
    pub(super) common: Common<'a>,
    pub(super) page: PageView<'a>,
    pub(super) previous: Option<NavLink>,
    pub(super) next: Option<NavLink>,
}

#[derive(Serialize)]
pub(super) struct PageView<'a> {
    /// The title as plain text, for `<title>`.
    pub(super) title: String,
    /// The title as inline HTML, for a page without its own `#` heading.
    pub(super) heading: String,
    pub(super) number: Option<String>,
    pub(super) status: PageStatus,
    pub(super) kind: &'static str,
    pub(super) title_html: Option<&'a str>,
    /// `{{#title ...}}`: replaces the HTML `<title>`.
    pub(super) html_title: Option<&'a str>,
    pub(super) content: &'a str,
    /// Sentences under the title: when it was written, what it covers, its status.
    pub(super) notes: Vec<String>,
    pub(super) stale: bool,
    /// The header card of a runbook page.
    pub(super) runbook: Option<RunbookCard>,
    pub(super) original_href: Option<String>,
    pub(super) original_language: Option<&'a str>,
    pub(super) original_language_name: Option<&'a str>,
    /// "Edit this page": `edit-url-template` with the page's source path.
    pub(super) edit_url: Option<String>,
    /// The script sending a reader of a moved section (`[output.html.redirect]` with a
    /// `#fragment`) to where it went; empty when none moved.
    pub(super) moved_sections: String,
}

/// `runbook_card.html` on its own, for the print page and the EPUB.
#[derive(Serialize)]
pub(super) struct RunbookCardContext<'a> {
    pub(super) card: &'a RunbookCard,
    pub(super) ui: &'a UiStrings,
}

#[derive(Serialize)]
pub(super) struct NavLink {
    /// Inline HTML.
    pub(super) title: String,
    pub(super) number: Option<String>,
    pub(super) href: String,
}

/// `landing.html`'s context.
#[derive(Serialize)]
pub(super) struct LandingContext<'a> {
    #[serde(flatten)]
    pub(super) common: Common<'a>,
    pub(super) chapter_count: usize,
    pub(super) available_count: usize,
    pub(super) completion: String,
    pub(super) last_updated: Option<String>,
    pub(super) downloads: Vec<NavLink>,
}

/// `redirect.html`'s context: the multilingual root leading to the source language.
#[derive(Serialize)]
pub(super) struct RedirectContext<'a> {
    pub(super) lang: &'a str,
    pub(super) book_title: &'a str,
    pub(super) target: String,
    /// The source language's landing page as an absolute URL, when `site-url` is set.
    pub(super) canonical: Option<String>,
    pub(super) alternates: Vec<Alternate>,
}

#[derive(Serialize)]
pub(super) struct PrintChapter {
    pub(super) anchor: String,
    pub(super) status: PageStatus,
    pub(super) html: String,
    /// The chapter's language when it is not the edition's (an original in its place).
    pub(super) lang: Option<String>,
}

#[derive(Serialize)]
pub(super) struct PrintTocEntry {
    pub(super) part: bool,
    pub(super) title: String,
    pub(super) number: Option<String>,
    pub(super) anchor: String,
}

/// `print.html`'s context.
#[derive(Serialize)]
pub(super) struct PrintContext<'a> {
    pub(super) lang: &'a str,
    pub(super) book_title: &'a str,
    pub(super) authors: &'a [String],
    pub(super) description: Option<&'a str>,
    pub(super) last_updated: Option<String>,
    pub(super) ui: &'a UiStrings,
    pub(super) page_size: String,
    pub(super) style: String,
    pub(super) toc: Vec<PrintTocEntry>,
    pub(super) chapters: Vec<PrintChapter>,
}

/// `404.html`'s context.
#[derive(Serialize)]
pub(super) struct NotFoundContext<'a> {
    pub(super) lang: &'a str,
    pub(super) book_title: &'a str,
    pub(super) color_scheme: &'a str,
    pub(super) ui: &'a UiStrings,
    pub(super) stylesheets: Vec<String>,
    pub(super) alternates: Vec<Alternate>,
    /// The text of `input-404` as HTML, instead of folio's.
    pub(super) text: Option<String>,
}

impl SiteRenderer<'_> {
    pub(super) fn common<'c>(
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
            description: edition.language.description.clone(),
            og_type: "website",
            og_title: None,
            print_href: (self.publications.is_some() && config.output.html.print.enable)
                .then(|| format!("{lang_root}{}", super::PRINT_PAGE)),
            feeds: super::feeds::Feed::ALL
                .into_iter()
                .filter(|feed| self.has_feed(*feed))
                .map(|feed| {
                    (
                        crate::render::localize::fill(&bodies.strings, feed.title_key(), &[]),
                        format!("{lang_root}{}", feed.file()),
                    )
                })
                .collect(),
            color_scheme: config.color_scheme(),
            git_repository_url: config.output.html.git_repository_url.as_deref(),
            git_repository_name: repository_name(
                config.output.html.git_repository_icon.as_deref(),
                config.output.html.git_repository_url.as_deref(),
            ),
            search_limit: config.output.html.search.limit_results,
            search_excerpt_words: config.output.html.search.teaser_word_count,
            ui: &bodies.strings,
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
            search_script: config
                .output
                .html
                .search
                .enable
                .then(|| format!("{root}{}", self.assets.search_script)),
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
    pub(super) fn alternates(
        &self,
        edition: &Edition,
        root: &str,
        current: Option<&str>,
    ) -> Vec<Alternate> {
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
                let path = format!("{}{}", language.url_prefix, href_of(&target));
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
}

/// The forge a repository link leads to, from mdBook's FontAwesome icon name, else from
/// the URL's host; `None` for a generic repository.
fn repository_name(icon: Option<&str>, url: Option<&str>) -> Option<&'static str> {
    let hint = icon.or(url).unwrap_or_default().to_ascii_lowercase();
    [
        ("github", "GitHub"),
        ("gitlab", "GitLab"),
        ("codeberg", "Codeberg"),
        ("bitbucket", "Bitbucket"),
    ]
    .into_iter()
    .find(|(needle, _)| hint.contains(needle))
    .map(|(_, name)| name)
}
