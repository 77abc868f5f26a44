//! Pipeline step 2: markdown to HTML, in one pass over pulldown-cmark's events.
//!
//! The transforms: numbered headings with stable ids, highlighted code blocks,
//! `.md` links rewritten to pages (and checked), footnotes gathered at the end of the
//! page with links back to where they are called, and the writing conventions found by
//! [`structure`]: asides, numbered figures and tables ([`labels`]), cross-references.

pub mod labels;
pub mod structure;

use crate::book::html_path_of;
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::slug::{UniqueIds, slugify};
use crate::snippets::embed::{Embedded, Embedder};
use crate::typography::{TextState, Typographer};
use labels::Labels;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::Path;
use structure::{Caption, CaptionKind, Mark};

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
}

/// Expands `{{#snippet ...}}` and `{{#include ...}}` directives.
pub trait Embeds: Sync {
    /// The text the directive `directive`, written in `from`, stands for.
    fn embed(&self, directive: &str, from: &Path) -> Result<Embedded, Diagnostic>;
}

impl Embeds for Embedder<'_> {
    fn embed(&self, directive: &str, from: &Path) -> Result<Embedded, Diagnostic> {
        Embedder::embed(self, directive, from)
    }
}

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
}

/// The values of the `id` attributes in `documents`.
fn ids_in<'a>(documents: impl Iterator<Item = &'a String>) -> Vec<String> {
    static ID: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"\bid="([^"]+)""#).expect("a valid pattern")
    });
    documents
        .flat_map(|html| ID.captures_iter(html))
        .map(|captures| captures[1].to_string())
        .collect()
}

/// Renders one page.
pub fn render(source: &PageSource<'_>, environment: &Environment<'_>) -> RenderedMarkdown {
    let mut transform = Transform {
        source,
        environment,
        line_starts: line_starts(source.markdown),
        output: Vec::new(),
        heading: None,
        code: None,
        footnote: None,
        footnotes: BTreeMap::new(),
        footnote_order: Vec::new(),
        ids: UniqueIds::default(),
        headings: Vec::new(),
        title_html: None,
        dependencies: Vec::new(),
        anchor_links: Vec::new(),
        text_state: TextState::default(),
        image_depth: 0,
        section_counters: [0; 2],
        diagnostics: Vec::new(),
    };
    let events: Vec<_> = Parser::new_ext(source.markdown, options())
        .into_offset_iter()
        .collect();
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
            }
            Some(Mark::AsideEnd) => transform.push(Event::Html("</aside>\n".into())),
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

struct HeadingBuffer<'a> {
    level: HeadingLevel,
    line: usize,
    explicit_id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    events: Vec<Event<'a>>,
    text: String,
}

struct CodeBuffer {
    language: String,
    code: String,
    line: usize,
}

struct Transform<'s, 'a> {
    source: &'s PageSource<'a>,
    environment: &'s Environment<'s>,
    line_starts: Vec<usize>,
    output: Vec<Event<'a>>,
    heading: Option<HeadingBuffer<'a>>,
    code: Option<CodeBuffer>,
    footnote: Option<(CowStr<'a>, Vec<Event<'a>>, usize)>,
    footnotes: BTreeMap<String, (Vec<Event<'a>>, usize)>,
    footnote_order: Vec<(String, usize)>,
    ids: UniqueIds,
    headings: Vec<Heading>,
    title_html: Option<String>,
    dependencies: Vec<std::path::PathBuf>,
    anchor_links: Vec<AnchorLink>,
    text_state: TextState,
    image_depth: usize,
    section_counters: [u32; 2],
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Transform<'_, 'a> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: self.rewrite_link(dest_url, range.start),
                title,
                id,
            }),
            other => other,
        };
        if let Event::Start(Tag::Image { dest_url, .. }) = &event {
            self.check_image(dest_url, range.start);
        }
        let event = self.typography(event);
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let line = self.line_of(range.start);
                self.heading = Some(HeadingBuffer {
                    level,
                    line,
                    explicit_id: id,
                    classes,
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            event if self.heading.is_some() => {
                let heading = self.heading.as_mut().expect("checked by the guard");
                if let Event::Text(text) | Event::Code(text) = &event {
                    heading.text.push_str(text);
                }
                heading.events.push(event);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => fence_language(&info),
                    CodeBlockKind::Indented => String::new(),
                };
                let line = self.line_of(range.start);
                self.code = Some(CodeBuffer {
                    language,
                    code: String::new(),
                    line,
                });
            }
            Event::Text(text) if self.code.is_some() => {
                let code = self.code.as_mut().expect("checked by the guard");
                code.code.push_str(&text);
            }
            Event::End(TagEnd::CodeBlock) => self.finish_code(),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let line = self.line_of(range.start);
                self.footnote = Some((label, Vec::new(), line));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, events, line)) = self.footnote.take() {
                    self.footnotes.insert(label.to_string(), (events, line));
                }
            }
            Event::FootnoteReference(label) => {
                let html = self.footnote_reference(&label);
                self.push(Event::InlineHtml(html.into()));
            }
            other => self.push(other),
        }
    }

    /// Warns about an image that exists in none of the asset roots.
    fn check_image(&mut self, source: &str, offset: usize) {
        if source.is_empty() || crate::book::is_external_link(source) {
            return;
        }
        let path = source.split(['#', '?']).next().unwrap_or_default();
        let found = crate::book::resolve_link(self.source.page_path, path).and_then(|relative| {
            self.environment
                .asset_roots
                .iter()
                .map(|root| root.join(&relative))
                .find(|candidate| candidate.is_file())
        });
        if let Some(Err(escape)) = found
            .as_ref()
            .map(|file| self.environment.allowed.check(file))
        {
            let error = crate::confine::refusal(&escape, Path::new(source));
            self.diagnostics.push(
                error
                    .in_file(self.source.file)
                    .at_line(self.line_of(offset)),
            );
        }
        if found.is_none() {
            self.diagnostics.push(
                Diagnostic::warning(
                    "missing-image",
                    format!("the image `{source}` does not exist"),
                )
                .in_file(self.source.file)
                .at_line(self.line_of(offset))
                .with_hint("fix the path (relative to this page), or add the file"),
            );
        }
    }

    /// Applies the language's typography to running text; code, HTML, URLs and image
    /// descriptions (an attribute) pass through untouched.
    fn typography(&mut self, event: Event<'a>) -> Event<'a> {
        match &event {
            Event::Start(Tag::Image { .. }) => self.image_depth += 1,
            Event::End(TagEnd::Image) => self.image_depth -= 1,
            Event::Start(tag)
                if !matches!(
                    tag,
                    Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
                ) =>
            {
                self.text_state = TextState::default();
            }
            Event::Code(code) => self.text_state.follow(code),
            Event::Text(text) if self.code.is_none() && self.image_depth == 0 => {
                let typeset = self
                    .environment
                    .typographer
                    .piece(text, &mut self.text_state);
                return Event::Text(typeset.into());
            }
            _ => {}
        }
        event
    }

    fn string(&self, key: &str) -> String {
        self.environment
            .strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The caption line: "Figure 4 - CPU consumption", in the page's language.
    fn caption_html(&self, caption: &Caption) -> String {
        let (label_key, number) = match caption.kind {
            CaptionKind::Figure => ("figure", self.environment.labels.get(&caption.id)),
            CaptionKind::Table => ("table", self.environment.labels.get(&caption.id)),
        };
        let number = number.map(|label| label.number.as_str()).unwrap_or("?");
        let text = self.environment.typographer.text(&caption.text);
        format!(
            "<figcaption><span class=\"caption-label\">{} {number}</span> - {}</figcaption>",
            escape_attribute(&self.string(label_key)),
            escape_attribute(&text)
        )
    }

    fn figure(&self, caption: &Caption) -> String {
        let (source, alt) = caption.image.clone().unwrap_or_default();
        format!(
            "<figure class=\"figure\" id=\"{}\">\n<img src=\"{}\" alt=\"{}\" />\n{}\n</figure>\n",
            escape_attribute(&caption.id),
            escape_attribute(&source),
            escape_attribute(&alt),
            self.caption_html(caption)
        )
    }

    fn table_opening(&self, caption: &Caption) -> String {
        format!(
            "<figure class=\"table-figure\" id=\"{}\">\n{}\n",
            escape_attribute(&caption.id),
            self.caption_html(caption)
        )
    }

    /// The block a `{{#name}}` paragraph stands for; an unknown name is an error.
    fn generated_block(&mut self, name: &str, offset: usize) -> String {
        if let Some(html) = self.environment.blocks.render(name, self.source.page_path) {
            return html;
        }
        let known = self.environment.blocks.names();
        self.diagnostics.push(
            Diagnostic::error(
                "unknown-directive",
                format!("`{{{{#{name}}}}}` is not a block folio can generate here"),
            )
            .in_file(self.source.file)
            .at_line(self.line_of(offset))
            .with_hint(format!(
                "known blocks: {}",
                if known.is_empty() {
                    "none in this book".to_string()
                } else {
                    known.join(", ")
                }
            )),
        );
        String::new()
    }

    /// `[](#fig:id)` -> `<a href="page.html#fig:id">figure 4</a>`, wherever the figure is.
    fn cross_reference(&mut self, id: &str, offset: usize) -> String {
        let Some(label) = self.environment.labels.get(id) else {
            self.diagnostics.push(
                Diagnostic::error("missing-reference", format!("no figure or table has the id `{id}`"))
                    .in_file(self.source.file)
                    .at_line(self.line_of(offset))
                    .with_hint("give the figure `{#fig:...}` or the table caption `{#tab:...}` this id, or fix the reference"),
            );
            return format!(
                "<span class=\"xref missing\">{}</span>",
                escape_attribute(id)
            );
        };
        let key = match label.kind {
            CaptionKind::Figure => "figure_reference",
            CaptionKind::Table => "table_reference",
        };
        let page = if label.page_path == self.source.page_path {
            String::new()
        } else {
            crate::book::relative_link(self.source.page_path, &html_path_of(&label.page_path))
        };
        format!(
            "<a class=\"xref\" href=\"{}#{}\">{} {}</a>",
            escape_attribute(&page),
            escape_attribute(id),
            escape_attribute(&self.string(key)),
            label.number
        )
    }

    fn push(&mut self, event: Event<'a>) {
        match &mut self.footnote {
            Some((_, events, _)) => events.push(event),
            None => self.output.push(event),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        let index = self.line_starts.partition_point(|&start| start <= offset);
        index + self.source.first_line - 1
    }

    fn finish_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let level = heading_level_number(heading.level);
        let text = heading.text.trim().to_string();
        let wanted = match &heading.explicit_id {
            Some(id) => id.to_string(),
            None => slugify(&text),
        };
        let id = self.ids.claim(&wanted);
        if heading.explicit_id.is_some() && id != wanted {
            self.diagnostics.push(
                Diagnostic::error(
                    "duplicate-id",
                    format!("the id `{wanted}` is given to two headings of this page"),
                )
                .in_file(self.source.file)
                .at_line(heading.line)
                .with_hint("give each heading its own `{#id}`"),
            );
        }
        let number = self.section_number(level);
        let mut inner = String::new();
        pulldown_cmark::html::push_html(&mut inner, heading.events.into_iter());
        let class_attribute = if heading.classes.is_empty() {
            String::new()
        } else {
            let classes: Vec<&str> = heading.classes.iter().map(|c| c.as_ref()).collect();
            format!(" class=\"{}\"", escape_attribute(&classes.join(" ")))
        };
        let number_html = number
            .as_ref()
            .map(|n| format!("<span class=\"section-number\">{n}</span> "))
            .unwrap_or_default();
        let id_attribute = escape_attribute(&id);
        let html = format!(
            "<h{level} id=\"{id_attribute}\"{class_attribute}><a class=\"header\" href=\"#{id_attribute}\">{number_html}{inner}</a></h{level}>\n"
        );
        self.headings.push(Heading {
            level,
            number,
            id,
            text,
        });
        let opens_page = level == 1 && self.output.is_empty() && self.footnote.is_none();
        if opens_page {
            self.title_html = Some(html);
        } else {
            self.push(Event::Html(html.into()));
        }
    }

    /// Numbers `#` as the chapter (2), `##` as its sections (2.1), `###` below (2.1.1).
    fn section_number(&mut self, level: u8) -> Option<String> {
        let chapter = self
            .source
            .number
            .filter(|_| self.environment.number_headings)?;
        let mut parts: Vec<u32> = chapter.to_vec();
        match level {
            1 => {}
            _ if !self.source.number_sections => return None,
            2 => {
                self.section_counters[0] += 1;
                self.section_counters[1] = 0;
                parts.push(self.section_counters[0]);
            }
            3 => {
                self.section_counters[1] += 1;
                parts.extend(self.section_counters);
            }
            _ => return None,
        }
        Some(
            parts
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join("."),
        )
    }

    fn finish_code(&mut self) {
        let Some(block) = self.code.take() else {
            return;
        };
        let code = self.expand_code_directives(&block.code, block.line);
        let html = self.code_html(&code, &block.language, block.line);
        self.push(Event::Html(html.into()));
    }

    /// mdBook style: a line of a code block that is only `{{#include ...}}` or
    /// `{{#snippet ...}}` is replaced by the text it names.
    fn expand_code_directives(&mut self, code: &str, first_line: usize) -> String {
        if !code.contains("{{#") {
            return code.to_string();
        }
        let mut expanded = String::with_capacity(code.len());
        for (index, line) in code.split_inclusive('\n').enumerate() {
            if !crate::snippets::directive::is_directive(line) {
                expanded.push_str(line);
                continue;
            }
            match self.environment.embeds.embed(line, self.source.file) {
                Ok(embedded) => {
                    self.dependencies.push(embedded.origin.watched.clone());
                    self.located(embedded.warnings, first_line + 1 + index);
                    expanded.push_str(&embedded.text);
                }
                Err(error) => self.located(vec![error], first_line + 1 + index),
            }
        }
        expanded
    }

    /// Adds problems found at `line` of this page.
    fn located(&mut self, problems: Vec<Diagnostic>, line: usize) {
        for problem in problems {
            self.diagnostics
                .push(problem.in_file(self.source.file).at_line(line));
        }
    }

    /// A highlighted `<pre>` block.
    fn code_html(&mut self, code: &str, language: &str, line: usize) -> String {
        let highlighted = self.environment.highlighter.highlight(code, language);
        if !highlighted.known_language {
            self.diagnostics.push(
                Diagnostic::warning("unknown-language", format!("no grammar for code language `{language}`; shown without highlighting"))
                    .in_file(self.source.file)
                    .at_line(line)
                    .with_hint("use a known name such as hcl, yaml, php, sh, dockerfile, json, toml, or `text`"),
            );
        }
        let language = escape_attribute(language);
        let class = if language.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{language}\"")
        };
        format!(
            "<pre class=\"code\" data-lang=\"{language}\"><code{class}>{}</code></pre>\n",
            highlighted.html
        )
    }

    /// A snippet or include paragraph: the code with where it comes from, or the
    /// included markdown rendered in place.
    fn embed_block(&mut self, directive: &str, offset: usize) -> String {
        let line = self.line_of(offset);
        let embedded = match self.environment.embeds.embed(directive, self.source.file) {
            Ok(embedded) => embedded,
            Err(error) => {
                self.located(vec![error], line);
                return String::new();
            }
        };
        self.dependencies.push(embedded.origin.watched.clone());
        self.located(embedded.warnings.clone(), line);
        if embedded.is_markdown {
            return self.included_markdown(&embedded);
        }
        let code = self.code_html(&embedded.text, &embedded.language, line);
        let origin = &embedded.origin;
        let mut caption = String::new();
        if let Some(source) = &origin.source {
            caption.push_str(&format!(
                "<span class=\"snippet-source\">{}</span> ",
                escape_attribute(source)
            ));
        }
        let path = format!("<code>{}</code>", escape_attribute(&origin.path));
        match &origin.url {
            Some(url) => {
                caption.push_str(&format!("<a href=\"{}\">{path}</a>", escape_attribute(url)))
            }
            None => caption.push_str(&path),
        }
        if let Some(rev) = &origin.rev {
            caption.push_str(&format!(" @ <code>{}</code>", escape_attribute(rev)));
        }
        if let Some(commit) = &origin.commit {
            caption.push_str(&format!(
                " <code class=\"commit\">{}</code>",
                escape_attribute(commit)
            ));
        }
        if let Some(text) = &embedded.caption {
            caption.push_str(&format!(
                " – {}",
                escape_attribute(&self.environment.typographer.text(text))
            ));
        }
        format!(
            "<figure class=\"snippet\" data-hash=\"{}\">\n<figcaption class=\"snippet-origin\">{caption}</figcaption>\n{code}</figure>\n",
            embedded.hash
        )
    }

    /// An included markdown file, rendered with the page's environment; its problems
    /// point into the included file.
    fn included_markdown(&mut self, embedded: &Embedded) -> String {
        let file = self
            .source
            .file
            .parent()
            .map(|dir| dir.join(&embedded.origin.path))
            .unwrap_or_default();
        let nested = render(
            &PageSource {
                markdown: &embedded.text,
                file: &file,
                first_line: 1,
                page_path: self.source.page_path,
                number: None,
                number_sections: false,
            },
            self.environment,
        );
        self.diagnostics.extend(nested.diagnostics);
        self.dependencies.extend(nested.dependencies);
        nested.title_html.unwrap_or_default() + &nested.html
    }

    fn footnote_reference(&mut self, label: &str) -> String {
        let position = self
            .footnote_order
            .iter()
            .position(|(known, _)| known == label);
        let index = match position {
            Some(index) => {
                self.footnote_order[index].1 += 1;
                index
            }
            None => {
                self.footnote_order.push((label.to_string(), 1));
                self.footnote_order.len() - 1
            }
        };
        let number = index + 1;
        let call = self.footnote_order[index].1;
        format!(
            "<sup class=\"footnote-reference\" id=\"fnref-{number}-{call}\"><a href=\"#fn-{number}\">{number}</a></sup>"
        )
    }

    /// Rewrites `chapter.md#x` to `chapter.html#x`, warning when the page does not exist.
    fn rewrite_link(&mut self, destination: CowStr<'a>, offset: usize) -> CowStr<'a> {
        if let Some(fragment) = destination
            .strip_prefix('#')
            .filter(|fragment| !fragment.is_empty())
        {
            let line = self.line_of(offset);
            self.anchor_links.push(AnchorLink {
                page: self.source.page_path.to_string(),
                fragment: fragment.to_string(),
                line,
            });
        }
        if is_external(&destination) {
            return destination;
        }
        let (path, fragment) = match destination.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (destination.as_ref(), None),
        };
        if !path.ends_with(".md") {
            return destination;
        }
        let target = crate::book::resolve_link(self.source.page_path, path);
        if !target
            .as_ref()
            .is_some_and(|t| self.environment.pages.contains(t))
        {
            self.diagnostics.push(
                Diagnostic::warning(
                    "broken-link",
                    format!("link to `{path}`, which is not a page of this book"),
                )
                .in_file(self.source.file)
                .at_line(self.line_of(offset))
                .with_hint("fix the path, or add the chapter to SUMMARY.md"),
            );
        }
        if let (Some(target), Some(fragment)) = (&target, fragment.filter(|f| !f.is_empty())) {
            let line = self.line_of(offset);
            self.anchor_links.push(AnchorLink {
                page: target.clone(),
                fragment: fragment.to_string(),
                line,
            });
        }
        let mut rewritten = html_path_of(path);
        if let Some(fragment) = fragment {
            rewritten.push('#');
            rewritten.push_str(fragment);
        }
        rewritten.into()
    }

    fn finish(mut self) -> RenderedMarkdown {
        self.append_footnotes();
        let mut html = String::with_capacity(self.source.markdown.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.output.into_iter());
        let ids = ids_in(self.title_html.iter().chain([&html]));
        RenderedMarkdown {
            ids,
            title_html: self.title_html,
            dependencies: self.dependencies,
            anchor_links: self.anchor_links,
            html_title: None,
            html,
            headings: self.headings,
            diagnostics: self.diagnostics,
        }
    }

    fn append_footnotes(&mut self) {
        for (label, (_, line)) in &self.footnotes {
            if !self.footnote_order.iter().any(|(known, _)| known == label) {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "unused-footnote",
                        format!("footnote `[^{label}]` is never referenced"),
                    )
                    .in_file(self.source.file)
                    .at_line(*line)
                    .with_hint("reference it with `[^label]` in the text, or remove it"),
                );
            }
        }
        if self.footnote_order.is_empty() {
            return;
        }
        let mut list = vec![Event::Html(
            "<section class=\"footnotes\">\n<ol class=\"footnote-list\">\n".into(),
        )];
        for (index, (label, calls)) in std::mem::take(&mut self.footnote_order)
            .into_iter()
            .enumerate()
        {
            let number = index + 1;
            let back_links: String = (1..=calls)
                .map(|call| format!(" <a class=\"footnote-backref\" href=\"#fnref-{number}-{call}\" aria-label=\"↩ {number}\">↩</a>"))
                .collect();
            list.push(Event::Html(format!("<li id=\"fn-{number}\">").into()));
            let mut events = self
                .footnotes
                .remove(&label)
                .map(|(events, _)| events)
                .unwrap_or_default();
            let closes_paragraph = matches!(events.last(), Some(Event::End(TagEnd::Paragraph)));
            if closes_paragraph {
                events.insert(events.len() - 1, Event::InlineHtml(back_links.into()));
            } else {
                events.push(Event::Html(back_links.into()));
            }
            list.extend(events);
            list.push(Event::Html("</li>\n".into()));
        }
        list.push(Event::Html("</ol>\n</section>\n".into()));
        self.output.extend(list);
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(index, _)| index + 1))
        .collect()
}

fn heading_level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The language of a fence info string: `hcl`, `rust,ignore` -> `rust`, `{.yaml}` -> `yaml`.
fn fence_language(info: &str) -> String {
    info.split([' ', ',', '{', '}'])
        .map(|word| word.trim_start_matches('.'))
        .find(|word| !word.is_empty())
        .unwrap_or_default()
        .to_string()
}

fn is_external(destination: &str) -> bool {
    destination.starts_with('#') || crate::book::is_external_link(destination)
}

fn escape_attribute(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    escape_html(&mut escaped, text).expect("writing to a String cannot fail");
    escaped
}

/// The snippet and include directives of a page, with their 1-based lines in `markdown`:
/// whole paragraphs, and lines inside fenced code blocks.
pub fn embed_directives(markdown: &str) -> Vec<(String, usize)> {
    let starts = line_starts(markdown);
    let line_of = |offset: usize| starts.partition_point(|&start| start <= offset);
    let events: Vec<_> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let structure = structure::analyse(&events, markdown);
    let mut found = Vec::new();
    for (index, (event, range)) in events.iter().enumerate() {
        if let Some(Mark::Embed { directive, .. }) = structure.marks.get(&index) {
            found.push((directive.clone(), line_of(range.start)));
        }
        if let Event::Start(Tag::CodeBlock(_)) = event {
            let block = &markdown[range.clone()];
            for (offset, line) in block.lines().enumerate() {
                if crate::snippets::directive::is_directive(line) {
                    found.push((line.trim().to_string(), line_of(range.start) + offset));
                }
            }
        }
    }
    found
}

/// The links of a page to other sites (`http:`, `https:`), with their 1-based lines.
pub fn external_links(markdown: &str) -> Vec<(String, usize)> {
    let starts = line_starts(markdown);
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if dest_url.starts_with("http://") || dest_url.starts_with("https://") =>
            {
                Some((
                    dest_url.to_string(),
                    starts.partition_point(|&start| start <= range.start),
                ))
            }
            _ => None,
        })
        .collect()
}
