//! The state of one page's pass over pulldown-cmark's events, and the dispatch of each
//! event to its transform (headings, code, links, footnotes: one file each).

use super::code::fence_language;
use super::hidden::fence_prefix;
use super::raw_html::RawHtml;
use super::{AnchorLink, Environment, Heading, PageSource, RenderedMarkdown};
use crate::diagnostic::Diagnostic;
use crate::slug::UniqueIds;
use crate::typography::TextState;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

pub(super) struct HeadingBuffer<'a> {
    pub(super) level: HeadingLevel,
    pub(super) line: usize,
    pub(super) explicit_id: Option<CowStr<'a>>,
    pub(super) classes: Vec<CowStr<'a>>,
    pub(super) events: Vec<Event<'a>>,
    pub(super) text: String,
}

pub(super) struct CodeBuffer {
    pub(super) language: String,
    /// The fence's own `hidelines=PREFIX`.
    pub(super) hidelines: Option<String>,
    pub(super) code: String,
    pub(super) line: usize,
}

pub(super) struct Transform<'s, 'a> {
    pub(super) source: &'s PageSource<'a>,
    pub(super) environment: &'s Environment<'s>,
    pub(super) line_starts: Vec<usize>,
    pub(super) output: Vec<Event<'a>>,
    pub(super) heading: Option<HeadingBuffer<'a>>,
    /// A definition list's term being read: its events and text, for its id.
    pub(super) term: Option<(Vec<Event<'a>>, String)>,
    pub(super) code: Option<CodeBuffer>,
    pub(super) footnote: Option<(CowStr<'a>, Vec<Event<'a>>, usize)>,
    pub(super) footnotes: BTreeMap<String, (Vec<Event<'a>>, usize)>,
    pub(super) footnote_order: Vec<(String, usize)>,
    /// Each called footnote's place in `footnote_order`.
    pub(super) footnote_numbers: HashMap<String, usize>,
    pub(super) ids: UniqueIds,
    pub(super) headings: Vec<Heading>,
    pub(super) title_html: Option<String>,
    pub(super) dependencies: Vec<std::path::PathBuf>,
    pub(super) anchor_links: Vec<AnchorLink>,
    pub(super) text_state: TextState,
    pub(super) image_depth: usize,
    pub(super) section_counters: [u32; 2],
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The writer's raw HTML, made well-formed as it passes.
    pub(super) raw_html: RawHtml,
}

/// What the closing of a markdown element is called in a warning about raw HTML it
/// closed.
fn container_name(end: TagEnd) -> &'static str {
    match end {
        TagEnd::Paragraph => "its paragraph",
        TagEnd::Heading(_) => "its heading",
        TagEnd::BlockQuote(_) => "its quote",
        TagEnd::Item => "its list item",
        TagEnd::List(_) => "its list",
        TagEnd::TableCell => "its table cell",
        TagEnd::FootnoteDefinition => "its footnote",
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => "its emphasis",
        TagEnd::Link | TagEnd::Image => "its link",
        _ => "its block",
    }
}

impl<'a> Transform<'_, 'a> {
    pub(super) fn event(&mut self, event: Event<'a>, range: Range<usize>) {
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
        let event = match event {
            Event::Html(html) => {
                self.check_raw_html(&html, range.start);
                let line = self.line_of(range.start);
                Event::Html(self.raw_html.rewrite(&html, line).into())
            }
            Event::InlineHtml(html) => {
                self.check_raw_html(&html, range.start);
                let line = self.line_of(range.start);
                Event::InlineHtml(self.raw_html.rewrite(&html, line).into())
            }
            Event::Start(Tag::HtmlBlock) => event,
            Event::End(TagEnd::HtmlBlock) => {
                let cut = self.raw_html.end_of_block();
                if !cut.is_empty() {
                    self.dispatch(Event::Html(cut.into()), range.clone());
                }
                event
            }
            Event::Start(_) => {
                self.raw_html.open_container();
                event
            }
            Event::End(end) => {
                let closing = self.raw_html.close_container(container_name(end));
                if !closing.is_empty() {
                    self.dispatch(Event::InlineHtml(closing.into()), range.clone());
                }
                event
            }
            other => other,
        };
        let event = match event {
            Event::Text(text) if self.code.is_none() && text.contains("{{") => {
                // An escaping backslash may sit just before the event's own text.
                let markdown = self.source.markdown;
                let start = if markdown[..range.start].ends_with('\\') {
                    range.start - 1
                } else {
                    range.start
                };
                let source = &markdown[start..range.end];
                Event::Text(
                    self.without_unknown_directives(&text, source, range.start)
                        .into(),
                )
            }
            Event::Code(code) if code.contains("\\{{#") => Event::Code(
                crate::snippets::directive::unescape(&code)
                    .into_owned()
                    .into(),
            ),
            other => other,
        };
        let event = self.typography(event);
        self.dispatch(event, range);
    }

    /// Hands `event`, transformed, to the step that takes it (a heading, a code block, a
    /// footnote being gathered) or to the page.
    fn dispatch(&mut self, event: Event<'a>, range: Range<usize>) {
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
            // A term gets an id as a heading does, as mdBook gives it one (a glossary's
            // links point at its terms).
            Event::Start(Tag::DefinitionListTitle) if self.heading.is_none() => {
                self.term = Some((Vec::new(), String::new()));
            }
            Event::End(TagEnd::DefinitionListTitle) if self.term.is_some() => {
                let (events, text) = self.term.take().expect("checked by the guard");
                let id = self.ids.claim(&self.environment.heading_ids.of(&text));
                self.push(Event::Html(format!("<dt id=\"{id}\">").into()));
                for event in events {
                    self.push(event);
                }
                self.push(Event::Html("</dt>\n".into()));
            }
            event if self.term.is_some() => {
                let (events, text) = self.term.as_mut().expect("checked by the guard");
                if let Event::Text(words) | Event::Code(words) = &event {
                    text.push_str(words);
                }
                events.push(event);
            }
            event if self.heading.is_some() => {
                let heading = self.heading.as_mut().expect("checked by the guard");
                if let Event::Text(text) | Event::Code(text) = &event {
                    heading.text.push_str(text);
                }
                heading.events.push(event);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let (language, hidelines) = match kind {
                    CodeBlockKind::Fenced(info) => (fence_language(&info), fence_prefix(&info)),
                    CodeBlockKind::Indented => (String::new(), None),
                };
                let line = self.line_of(range.start);
                self.code = Some(CodeBuffer {
                    language,
                    hidelines,
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

    /// Applies the language's typography to running text; code, HTML, URLs and image
    /// descriptions (an attribute) pass through untouched.
    pub(super) fn typography(&mut self, event: Event<'a>) -> Event<'a> {
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

    pub(super) fn string(&self, key: &str) -> String {
        self.environment
            .strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    pub(super) fn push(&mut self, event: Event<'a>) {
        match &mut self.footnote {
            Some((_, events, _)) => events.push(event),
            None => self.output.push(event),
        }
    }

    pub(super) fn line_of(&self, offset: usize) -> usize {
        let index = self.line_starts.partition_point(|&start| start <= offset);
        index + self.source.first_line - 1
    }

    /// Adds problems found at `line` of this page.
    pub(super) fn located(&mut self, problems: Vec<Diagnostic>, line: usize) {
        for problem in problems {
            self.diagnostics
                .push(problem.in_file(self.source.file).at_line(line));
        }
    }

    pub(super) fn finish(mut self) -> RenderedMarkdown {
        let (closing, problems) = self.raw_html.finish();
        if !closing.is_empty() {
            self.push(Event::Html(closing.into()));
        }
        for problem in problems {
            self.diagnostics.push(
                Diagnostic::warning("raw-html", problem.message)
                    .in_file(self.source.file)
                    .at_line(problem.line)
                    .with_hint(problem.hint),
            );
        }
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
