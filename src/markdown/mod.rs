//! Pipeline step 2: markdown to HTML, in one pass over pulldown-cmark's events.
//!
//! The transforms: numbered headings with stable ids, highlighted code blocks,
//! `.md` links rewritten to pages (and checked), footnotes gathered at the end of the
//! page with links back to where they are called, and the writing conventions found by
//! [`structure`]: asides, numbered figures and tables ([`labels`]), cross-references.

pub mod cache;
mod code;
pub mod edition;
mod embeds;
mod figures;
mod footnotes;
mod headings;
mod hidden;
pub mod inline;
pub mod labels;
mod links;
mod raw_html;
pub mod scan;
pub mod structure;
mod transform;

use crate::diagnostic::Diagnostic;
use crate::escape::escape_html as escape_attribute;
use crate::highlight::Highlighter;
use crate::slug::UniqueIds;
use crate::snippets::embed::Embedded;
use crate::typography::{TextState, Typographer};
use labels::Labels;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use structure::{Caption, Mark};
use transform::Transform;

/// One markdown page to render.
pub struct PageSource<'a> {
    /// The markdown text.
    pub markdown: &'a str,
    /// The file it comes from, for diagnostics.
    pub file: &'a Path,
    /// The file line where `markdown` starts.
    pub first_line: usize,
    /// The page's path relative to its language directory (`chapters/01.md`).
    pub page_path: &'a str,
    /// The chapter number that prefixes heading numbers, if the page is numbered.
    pub number: Option<&'a [u32]>,
    /// Whether `##` and `###` headings get numbers below the chapter's.
    pub number_sections: bool,
}

/// What a page refers to outside itself.
pub struct Environment<'a> {
    /// Grammars for code blocks.
    pub highlighter: &'a Highlighter,
    /// Markdown paths that exist in this edition, for link checking.
    pub pages: &'a HashSet<String>,
    /// Whether headings get section numbers.
    pub number_headings: bool,
    /// The typography of the edition's language.
    pub typographer: Typographer,
    /// The edition's numbered figures and tables.
    pub labels: &'a Labels,
    /// Interface strings of the edition's language (aside labels, "Figure", ...).
    pub strings: &'a BTreeMap<String, String>,
    /// Generated HTML blocks a page can place with `{{#name}}` (`changelog`, ...).
    pub blocks: &'a dyn Blocks,
    /// Expands snippet and include directives.
    pub embeds: &'a dyn Embeds,
    /// Where images are looked for: the language's directory, then the original's.
    pub asset_roots: &'a [std::path::PathBuf],
    /// The book's directory, which no image may lead out of.
    pub allowed: &'a crate::confine::Root,
    /// `[output.html.code.hidelines]`: the prefix that hides a line, per language.
    pub hidelines: &'a BTreeMap<String, String>,
    /// How headings get their ids: mdBook's in an mdBook book, folio's otherwise.
    pub heading_ids: crate::slug::HeadingIds,
}

/// Expands `{{#snippet ...}}` and `{{#include ...}}` directives.
pub trait Embeds: Sync {
    /// The text the directive `directive`, written in `from`, stands for.
    fn embed(&self, directive: &str, from: &Path) -> Result<Embedded, Diagnostic>;
}

/// Every block a book can place with a `{{#name}}` paragraph (`render::blocks` makes
/// them, when the book has their data).
pub const BLOCK_NAMES: [&str; 4] = ["changelog", "timeline", "runbook-board", "dependency-graph"];

/// The directives a page may hold besides the blocks: mdBook's and folio's snippets.
pub const DIRECTIVE_NAMES: [&str; 6] = [
    "include",
    "rustdoc_include",
    "playground",
    "title",
    "snippet",
    "playpen",
];

/// HTML blocks generated from the book's data, placed by `{{#name}}` paragraphs.
pub trait Blocks: Sync {
    /// The block `name` for the page at `page_path`, or `None` when there is no such block.
    fn render(&self, name: &str, page_path: &str) -> Option<String>;
    /// The names of the blocks this book can generate.
    fn names(&self) -> Vec<&'static str>;
}

/// The figures and tables of a page, for numbering before any page is rendered.
pub fn captions(markdown: &str) -> Vec<Caption> {
    let events: Vec<_> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    structure::analyse(&events, markdown).captions
}

/// A heading of a rendered page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, ...
    pub level: u8,
    /// The section number (`2.1`), when numbered.
    pub number: Option<String>,
    /// The id to link to.
    pub id: String,
    /// The heading as plain text.
    pub text: String,
}

/// A page rendered to HTML.
#[derive(Debug, Clone)]
pub struct RenderedMarkdown {
    /// The page's own `#` title when it opens the page, rendered apart so that
    /// templates can put chapter metadata between title and body.
    pub title_html: Option<String>,
    /// The page body.
    pub html: String,
    /// Its headings, in order.
    pub headings: Vec<Heading>,
    /// Problems found while rendering.
    pub diagnostics: Vec<Diagnostic>,
    /// Files outside the page that its text came from (snippets, includes).
    pub dependencies: Vec<std::path::PathBuf>,
    /// Links to an anchor (`#id`, `page.md#id`), checked once every page is rendered.
    pub anchor_links: Vec<AnchorLink>,
    /// Every `id` in the title and body (headings, figures, notes, the writer's HTML):
    /// what links to this page's anchors may point to.
    pub ids: Vec<String>,
    /// The page's HTML title from mdBook's `{{#title ...}}`.
    pub html_title: Option<String>,
}

/// A link to an anchor of a page of the same edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorLink {
    /// The markdown path of the page linked to.
    pub page: String,
    /// The id linked to.
    pub fragment: String,
    /// The line of the link in the linking page's file.
    pub line: usize,
}

/// The pulldown-cmark extensions folio enables.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
}

/// How deep block quotes, lists and footnotes may nest in a page: far beyond any
/// writing, and short of what makes browsers, PDF engines and the search indexer slow
/// down quadratically.
const MAX_NESTING: usize = 100;

/// The offset of the first container that nests deeper than [`MAX_NESTING`], if any.
fn too_deep(events: &[(Event<'_>, std::ops::Range<usize>)]) -> Option<usize> {
    let mut depth = 0usize;
    for (event, range) in events {
        match event {
            Event::Start(
                Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_),
            ) => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(range.start);
                }
            }
            Event::End(
                TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::FootnoteDefinition,
            ) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Renders one page.
pub fn render(source: &PageSource<'_>, environment: &Environment<'_>) -> RenderedMarkdown {
    let mut transform = Transform {
        source,
        environment,
        line_starts: line_starts(source.markdown),
        output: Vec::new(),
        heading: None,
        term: None,
        code: None,
        footnote: None,
        footnotes: BTreeMap::new(),
        footnote_order: Vec::new(),
        footnote_numbers: HashMap::new(),
        ids: UniqueIds::default(),
        headings: Vec::new(),
        title_html: None,
        dependencies: Vec::new(),
        anchor_links: Vec::new(),
        text_state: TextState::default(),
        image_depth: 0,
        section_counters: [0; 2],
        diagnostics: Vec::new(),
        raw_html: Default::default(),
    };
    let events: Vec<_> = Parser::new_ext(source.markdown, options())
        .into_offset_iter()
        .collect();
    if let Some(offset) = too_deep(&events) {
        let diagnostic = Diagnostic::error(
            "nesting",
            format!("quotes and lists nest more than {MAX_NESTING} levels deep here"),
        )
        .in_file(source.file)
        .at_line(transform.line_of(offset))
        .with_hint("flatten the quotes or lists; no reader follows that many levels");
        transform.diagnostics.push(diagnostic);
        return transform.finish();
    }
    let structure = structure::analyse(&events, source.markdown);
    for (offset, marker) in &structure.unknown_asides {
        let diagnostic = Diagnostic::warning(
            "unknown-aside",
            format!("unknown aside kind `{marker}`; rendered as a plain quote"),
        )
        .in_file(source.file)
        .at_line(transform.line_of(*offset))
        .with_hint("use [!NOTE], [!TIP], [!IMPORTANT], [!WARNING], [!CAUTION] or [!RETROSPECT]");
        transform.diagnostics.push(diagnostic);
    }
    for offset in &structure.misplaced_directives {
        let diagnostic = Diagnostic::error("snippet", "a snippet or include directive shares its paragraph with other text, so it would be shown as text")
            .in_file(source.file)
            .at_line(transform.line_of(*offset))
            .with_hint("put the directive alone in its paragraph, with a blank line before and after");
        transform.diagnostics.push(diagnostic);
    }
    let mut skip_through = None;
    for (index, (event, range)) in events.into_iter().enumerate() {
        if skip_through.is_some_and(|end| index <= end) {
            continue;
        }
        match structure.marks.get(&index) {
            Some(Mark::Skip) => {}
            Some(Mark::AsideStart(kind)) => {
                let label = transform.string(&format!("aside_{}", kind.name()));
                let html = format!(
                    "<aside class=\"aside aside-{}\" role=\"note\">\n<p class=\"aside-title\">{}</p>\n",
                    kind.name(),
                    escape_attribute(&label)
                );
                transform.push(Event::Html(html.into()));
                transform.raw_html.open_container();
            }
            Some(Mark::AsideEnd) => {
                let closing = transform.raw_html.close_container("its aside");
                transform.push(Event::Html(format!("{closing}</aside>\n").into()));
            }
            Some(Mark::Figure { index, end }) => {
                let html = transform.figure(&structure.captions[*index]);
                transform.push(Event::Html(html.into()));
                skip_through = Some(*end);
            }
            Some(Mark::TableStart(caption)) => {
                let html = transform.table_opening(&structure.captions[*caption]);
                transform.push(Event::Html(html.into()));
                transform.event(event, range);
            }
            Some(Mark::TableEnd) => {
                transform.event(event, range);
                transform.push(Event::Html("</figure>\n".into()));
            }
            Some(Mark::Directive { name, end }) => {
                let html = transform.generated_block(name, range.start);
                transform.push(Event::Html(html.into()));
                skip_through = Some(*end);
            }
            Some(Mark::Embed { directive, end }) => {
                let html = transform.embed_block(directive, range.start);
                transform.push(Event::Html(html.into()));
                skip_through = Some(*end);
            }
            Some(Mark::CrossReference(id)) => {
                let html = transform.cross_reference(id, range.start);
                transform.push(Event::InlineHtml(html.into()));
            }
            None => transform.event(event, range),
        }
    }
    let mut rendered = transform.finish();
    rendered.html_title = structure.title;
    rendered
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(index, _)| index + 1))
        .collect()
}
