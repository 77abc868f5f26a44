//! Step 2 for a whole edition: number its figures and tables, then render every page's
//! markdown to a body, reusing what the cache has for unchanged pages; and the problems
//! found once every body is known (links to anchors a page does not have).

use super::cache::{MarkdownCache, PageKey};
use super::labels::{Labels, PageCaptions};
use super::structure::Caption;
use super::{Blocks, Embeds, Environment, PageSource, RenderedMarkdown};
use crate::book::{Book, Edition, PageContent};
use crate::diagnostic::Diagnostic;
use crate::digest::hash_of;
use crate::highlight::Highlighter;
use crate::typography::Typographer;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// An edition's figures and tables, numbered (step 2a), before any page is rendered.
pub struct NumberedCaptions {
    /// Each page's captions with the hash of its markdown, in page order.
    pub captions: Vec<(u64, Vec<Caption>)>,
    /// The numbers, by id.
    pub labels: Labels,
    /// Ids given to two figures or tables.
    pub problems: Vec<Diagnostic>,
}

/// What rendering an edition's pages needs besides the book.
pub struct EditionInputs<'a> {
    /// Grammars for code blocks.
    pub highlighter: &'a Highlighter,
    /// Expands snippet and include directives.
    pub embeds: &'a dyn Embeds,
    /// Blocks generated from the book's data.
    pub blocks: &'a dyn Blocks,
    /// Interface strings of the edition's language.
    pub strings: &'a BTreeMap<String, String>,
    /// The typography of the edition's language.
    pub typographer: Typographer,
}

/// An edition's pages rendered to HTML bodies, with their lookups.
pub struct EditionBodies<'b> {
    /// The edition.
    pub edition: &'b Edition,
    /// The cache key of each page's body.
    pub keys: Vec<u64>,
    /// Pages whose body was rendered afresh (not taken from the cache).
    pub rerendered: HashSet<usize>,
    /// True when a page rendered again has other headings than before: the contents
    /// (landing page, shared table of contents) list them.
    pub sections_changed: bool,
    /// Problems of the edition as a whole (ids given twice).
    pub diagnostics: Vec<Diagnostic>,
    /// The typography of the edition's language.
    pub typographer: Typographer,
    /// Interface strings of the edition's language.
    pub strings: BTreeMap<String, String>,
    /// Each page's captions with the hash of its markdown, for the cache.
    pub captions: Vec<(u64, Vec<Caption>)>,
    /// Each page's body; `None` for a page without text.
    pub bodies: Vec<Option<Arc<RenderedMarkdown>>>,
    /// A page's index by its markdown path.
    pub by_path: HashMap<&'b str, usize>,
}

/// Numbers the figures and tables of `edition` (captions from `cache` when a page's
/// markdown is unchanged).
pub fn number_captions(book: &Book, edition: &Edition, cache: &MarkdownCache) -> NumberedCaptions {
    let captions = captions_of(edition, cache);
    let (labels, problems) = number_labels(book, edition, &captions);
    NumberedCaptions {
        captions,
        labels,
        problems,
    }
}

/// Each page's captions with the hash of its markdown, from the cache when unchanged.
fn captions_of(edition: &Edition, cache: &MarkdownCache) -> Vec<(u64, Vec<Caption>)> {
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
                    .unwrap_or_else(|| super::captions(&written.markdown));
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

/// Renders every page of `edition` to its body (from `cache` when its inputs are
/// unchanged), in parallel, with its figures and tables numbered by `numbered`.
pub fn render_edition<'b>(
    book: &'b Book,
    edition: &'b Edition,
    numbered: NumberedCaptions,
    inputs: &EditionInputs<'_>,
    cache: &MarkdownCache,
) -> EditionBodies<'b> {
    let NumberedCaptions {
        captions,
        labels,
        problems: diagnostics,
    } = numbered;
    let typographer = inputs.typographer;
    let markdown_keys: Vec<u64> = captions.iter().map(|(key, _)| *key).collect();
    let number_headings = !book.config.output.html.no_section_label;
    let paths: HashSet<String> = edition.pages.iter().map(|page| page.path.clone()).collect();
    let environment = Environment {
        highlighter: inputs.highlighter,
        pages: &paths,
        number_headings,
        typographer,
        labels: &labels,
        strings: inputs.strings,
        blocks: inputs.blocks,
        embeds: inputs.embeds,
        allowed: &book.allowed,
        hidelines: &book.config.output.html.code.hidelines,
        heading_ids: book.config.heading_ids(),
        asset_roots: &[
            book.root.join(&edition.language.src_dir),
            book.root.join(&book.source().language.src_dir),
        ],
    };
    let rendered: Vec<(u64, Option<Arc<RenderedMarkdown>>, bool)> = edition
        .pages
        .par_iter()
        .zip(&markdown_keys)
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
                Some(Arc::new(super::render(&source, &environment))),
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
        strings: inputs.strings.clone(),
        captions,
        bodies,
        keys,
        rerendered,
        sections_changed,
        by_path,
        diagnostics,
    }
}

/// Every problem step 2 found in `editions`: each edition's, each page's, then links to
/// anchors that do not exist.
pub fn problems(editions: &[EditionBodies<'_>]) -> Vec<Diagnostic> {
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
    diagnostics
}

/// Keeps the captions and bodies of `editions` in `cache` for the next render.
pub fn keep(cache: &mut MarkdownCache, editions: &[EditionBodies<'_>]) {
    if !cache.is_enabled() {
        return;
    }
    let page_key = |edition: &Edition, path: &str| -> PageKey {
        (edition.language.code.clone(), path.to_string())
    };
    let mut captions = Vec::new();
    let mut bodies = Vec::new();
    for edition in editions {
        for (index, page) in edition.edition.pages.iter().enumerate() {
            let (key, page_captions) = &edition.captions[index];
            captions.push((
                page_key(edition.edition, &page.path),
                *key,
                page_captions.clone(),
            ));
            if let Some(body) = &edition.bodies[index] {
                bodies.push((
                    page_key(edition.edition, &page.path),
                    edition.keys[index],
                    Arc::clone(body),
                ));
            }
        }
    }
    cache.keep(captions, bodies);
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
