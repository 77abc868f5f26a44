//! The structure the book's writing conventions add to CommonMark, found in one look
//! over a page's events before rendering: asides (`> [!WARNING]`, `> [!RETROSPECT]`,
//! ...), figures (a paragraph holding only an image with a title, optionally followed
//! by `{#fig:id}`), captioned tables (a `Table: caption {#tab:id}` paragraph right after
//! a table) and cross-references (`[](#fig:id)`, `[](chapter.md#tab:id)`).

use crate::slug::slugify;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// The kinds of aside, as written after `[!` in a block quote's first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsideKind {
    /// `[!NOTE]`.
    Note,
    /// `[!TIP]`.
    Tip,
    /// `[!IMPORTANT]`.
    Important,
    /// `[!WARNING]`: a trap, or something not to put in production as is.
    Warning,
    /// `[!CAUTION]`.
    Caution,
    /// `[!RETROSPECT]`: hindsight added months later.
    Retrospect,
}

impl AsideKind {
    fn from_marker(word: &str) -> Option<AsideKind> {
        Some(match word.to_ascii_uppercase().as_str() {
            "NOTE" => AsideKind::Note,
            "TIP" => AsideKind::Tip,
            "IMPORTANT" => AsideKind::Important,
            "WARNING" => AsideKind::Warning,
            "CAUTION" => AsideKind::Caution,
            "RETROSPECT" => AsideKind::Retrospect,
            _ => return None,
        })
    }

    /// The CSS class and the suffix of its interface string (`aside_warning`).
    pub fn name(self) -> &'static str {
        match self {
            AsideKind::Note => "note",
            AsideKind::Tip => "tip",
            AsideKind::Important => "important",
            AsideKind::Warning => "warning",
            AsideKind::Caution => "caution",
            AsideKind::Retrospect => "retrospect",
        }
    }
}

/// What carries a numbered caption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptionKind {
    /// A figure: `fig:` ids.
    Figure,
    /// A table: `tab:` ids.
    Table,
}

/// A numbered figure or table of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption {
    /// Figure or table.
    pub kind: CaptionKind,
    /// The id to link to (`fig:cpu-cluster`).
    pub id: String,
    /// The caption text.
    pub text: String,
    /// For a figure: the image source and its description.
    pub image: Option<(String, String)>,
    /// The byte offset in the page where it starts.
    pub offset: usize,
}

/// What to do at one event of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// Open an aside of this kind instead of a block quote.
    AsideStart(AsideKind),
    /// Close the aside.
    AsideEnd,
    /// Drop the event (an aside marker, a table caption paragraph, ...).
    Skip,
    /// Emit the figure `captions[index]` and skip through event `end`.
    Figure { index: usize, end: usize },
    /// Open the caption wrapper of table `captions[index]`.
    TableStart(usize),
    /// Close the table's wrapper.
    TableEnd,
    /// Render a cross-reference to this id, and skip the link's end.
    CrossReference(String),
    /// A paragraph that is only `{{#name}}`: put the generated block `name` in its
    /// place and skip through event `end`.
    Directive { name: String, end: usize },
    /// A paragraph that is only a `{{#snippet ...}}` or `{{#include ...}}` directive,
    /// as written in the source: embed it and skip through event `end`.
    Embed { directive: String, end: usize },
}

/// What a page's structure is, and the problems seen while finding it.
#[derive(Debug, Default)]
pub struct Structure {
    /// Marks by event index.
    pub marks: HashMap<usize, Mark>,
    /// Figures and tables, in page order.
    pub captions: Vec<Caption>,
    /// Unknown aside kinds: (byte offset, marker).
    pub unknown_asides: Vec<(usize, String)>,
    /// Byte offsets of snippet or include directives sharing a paragraph with text.
    pub misplaced_directives: Vec<usize>,
    /// mdBook's `{{#title ...}}`: the page's HTML title.
    pub title: Option<String>,
}

/// Finds the conventions' structure in a page's events.
pub fn analyse(events: &[(Event<'_>, Range<usize>)], markdown: &str) -> Structure {
    let mut structure = Structure::default();
    let mut table_starts = Vec::new();
    for (index, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                aside(events, markdown, index, range, &mut structure)
            }
            Event::Start(Tag::Paragraph) => {
                figure(events, index, &mut structure);
                directive(events, index, &mut structure);
                embed(events, markdown, index, range, &mut structure);
            }
            Event::Start(Tag::Table(_)) => table_starts.push(index),
            Event::End(TagEnd::Table) => {
                let start = table_starts.pop().expect("tables are balanced");
                table_caption(events, start, index, &mut structure);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let fragment = dest_url.split_once('#').map(|(_, fragment)| fragment);
                let is_label =
                    fragment.is_some_and(|f| f.starts_with("fig:") || f.starts_with("tab:"));
                if is_label && matches!(events.get(index + 1), Some((Event::End(TagEnd::Link), _)))
                {
                    let id = fragment.expect("checked above").to_string();
                    structure.marks.insert(index, Mark::CrossReference(id));
                    structure.marks.insert(index + 1, Mark::Skip);
                }
            }
            _ => {}
        }
    }
    structure
}

fn aside(
    events: &[(Event<'_>, Range<usize>)],
    markdown: &str,
    start: usize,
    range: &Range<usize>,
    structure: &mut Structure,
) {
    // The marker follows the quote's `>` on its first line: a short window is enough,
    // and reading the whole line for every nested quote would be quadratic.
    let mut window_end = (range.start + 256).min(markdown.len());
    while !markdown.is_char_boundary(window_end) {
        window_end -= 1;
    }
    let first_line = markdown[range.start..window_end]
        .lines()
        .next()
        .unwrap_or_default();
    let content = first_line.trim_start().trim_start_matches('>').trim_start();
    let Some(word) = content
        .strip_prefix("[!")
        .and_then(|rest| rest.split_once(']'))
        .map(|(word, _)| word)
    else {
        return;
    };
    let marker = format!("[!{word}]");
    let Some(kind) = AsideKind::from_marker(word) else {
        structure.unknown_asides.push((range.start, marker));
        return;
    };
    let paragraph = start + 1;
    if !matches!(
        events.get(paragraph),
        Some((Event::Start(Tag::Paragraph), _))
    ) {
        return;
    }
    let mut seen = String::new();
    let mut index = paragraph + 1;
    let mut marker_events = Vec::new();
    while seen.len() < marker.len() {
        let Some((Event::Text(text), _)) = events.get(index) else {
            return;
        };
        seen.push_str(text);
        marker_events.push(index);
        index += 1;
    }
    if seen.trim_end() != marker {
        return;
    }
    for skipped in marker_events {
        structure.marks.insert(skipped, Mark::Skip);
    }
    match events.get(index) {
        Some((Event::SoftBreak | Event::HardBreak, _)) => {
            structure.marks.insert(index, Mark::Skip);
        }
        Some((Event::End(TagEnd::Paragraph), _)) => {
            structure.marks.insert(paragraph, Mark::Skip);
            structure.marks.insert(index, Mark::Skip);
        }
        _ => {}
    }
    let mut depth = 0;
    for (offset, (event, _)) in events[start..].iter().enumerate() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => {
                depth -= 1;
                if depth == 0 {
                    structure.marks.insert(start, Mark::AsideStart(kind));
                    structure.marks.insert(start + offset, Mark::AsideEnd);
                    return;
                }
            }
            _ => {}
        }
    }
}

fn figure(events: &[(Event<'_>, Range<usize>)], start: usize, structure: &mut Structure) {
    let Some((
        Event::Start(Tag::Image {
            dest_url, title, ..
        }),
        range,
    )) = events.get(start + 1)
    else {
        return;
    };
    let mut index = start + 2;
    let mut alt = String::new();
    while let Some((event, _)) = events.get(index) {
        match event {
            Event::End(TagEnd::Image) => break,
            Event::Text(text) | Event::Code(text) => alt.push_str(text),
            _ => {}
        }
        index += 1;
    }
    let mut trailing = String::new();
    index += 1;
    while let Some((Event::Text(text), _)) = events.get(index) {
        trailing.push_str(text);
        index += 1;
    }
    if !matches!(events.get(index), Some((Event::End(TagEnd::Paragraph), _))) {
        return;
    }
    let explicit_id = match explicit_id(&trailing) {
        Some(id) => Some(id),
        None if trailing.trim().is_empty() => None,
        None => return,
    };
    if title.is_empty() && explicit_id.is_none() {
        return;
    }
    let text = if title.is_empty() {
        alt.clone()
    } else {
        title.to_string()
    };
    let id = explicit_id.unwrap_or_else(|| format!("fig:{}", slugify(&text)));
    structure.marks.insert(
        start,
        Mark::Figure {
            index: structure.captions.len(),
            end: index,
        },
    );
    structure.captions.push(Caption {
        kind: CaptionKind::Figure,
        id,
        text,
        image: Some((dest_url.to_string(), alt)),
        offset: range.start,
    });
}

fn table_caption(
    events: &[(Event<'_>, Range<usize>)],
    start: usize,
    end: usize,
    structure: &mut Structure,
) {
    let paragraph = end + 1;
    let Some((Event::Start(Tag::Paragraph), range)) = events.get(paragraph) else {
        return;
    };
    let mut text = String::new();
    let mut index = paragraph + 1;
    while let Some((event, _)) = events.get(index) {
        match event {
            Event::End(TagEnd::Paragraph) => break,
            Event::Text(piece) | Event::Code(piece) => text.push_str(piece),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
        index += 1;
    }
    let Some(caption) = text.trim_start().strip_prefix("Table:") else {
        return;
    };
    let (caption, id) = match caption.trim_end().rsplit_once('{') {
        Some((before, attribute)) if explicit_id(&format!("{{{attribute}")).is_some() => (
            before.trim().to_string(),
            explicit_id(&format!("{{{attribute}")),
        ),
        _ => (caption.trim().to_string(), None),
    };
    let id = id.unwrap_or_else(|| format!("tab:{}", slugify(&caption)));
    structure
        .marks
        .insert(start, Mark::TableStart(structure.captions.len()));
    structure.marks.insert(end, Mark::TableEnd);
    for skipped in paragraph..=index {
        structure.marks.insert(skipped, Mark::Skip);
    }
    structure.captions.push(Caption {
        kind: CaptionKind::Table,
        id,
        text: caption,
        image: None,
        offset: range.start,
    });
}

/// A paragraph whose source text is one snippet or include directive. The source text
/// is used, not the events, since markdown would read `*` or `_` in it as emphasis.
fn embed(
    events: &[(Event<'_>, Range<usize>)],
    markdown: &str,
    start: usize,
    range: &Range<usize>,
    structure: &mut Structure,
) {
    let source = markdown[range.clone()].trim();
    if !crate::snippets::directive::is_directive(source) || source.lines().count() > 1 {
        if crate::snippets::directive::mentions_directive(source) {
            structure.misplaced_directives.push(range.start);
        }
        return;
    }
    let mut depth = 0;
    for (offset, (event, _)) in events[start..].iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    structure.marks.insert(
                        start,
                        Mark::Embed {
                            directive: source.to_string(),
                            end: start + offset,
                        },
                    );
                    return;
                }
            }
            _ => {}
        }
    }
}

fn directive(events: &[(Event<'_>, Range<usize>)], start: usize, structure: &mut Structure) {
    let mut text = String::new();
    let mut index = start + 1;
    while let Some((Event::Text(piece), _)) = events.get(index) {
        text.push_str(piece);
        index += 1;
    }
    if !matches!(events.get(index), Some((Event::End(TagEnd::Paragraph), _))) {
        return;
    }
    if let Some(title) = text
        .trim()
        .strip_prefix("{{#title ")
        .and_then(|rest| rest.strip_suffix("}}"))
    {
        structure.title = Some(title.trim().to_string());
        structure.marks.insert(start, Mark::Skip);
        for skipped in start + 1..=index {
            structure.marks.insert(skipped, Mark::Skip);
        }
        return;
    }
    let name = text
        .trim()
        .strip_prefix("{{#")
        .and_then(|rest| rest.strip_suffix("}}"));
    if let Some(name) = name.filter(|name| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    }) {
        structure.marks.insert(
            start,
            Mark::Directive {
                name: name.to_string(),
                end: index,
            },
        );
    }
}

/// `{#fig:cpu}` -> `fig:cpu`.
fn explicit_id(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix("{#")?.strip_suffix('}')?;
    let valid = !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c));
    valid.then(|| inner.to_string())
}
