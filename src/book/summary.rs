//! Parsing `SUMMARY.md` in mdBook's syntax: prefix chapters, part titles, numbered
//! chapters nested by indentation, draft chapters (`[Title]()`), separators and
//! suffix chapters. Each entry keeps its line for error messages.

use crate::diagnostic::Diagnostic;
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use std::ops::Range;
use std::path::Path;

/// Where a chapter sits in the book's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChapterKind {
    /// Before the numbered chapters (a preface), unnumbered.
    Prefix,
    /// A numbered chapter or section.
    Numbered,
    /// After the numbered chapters (appendices), unnumbered.
    Suffix,
}

/// One chapter entry of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryChapter {
    /// The title as written in the link text.
    pub title: String,
    /// The markdown file relative to the language directory, `None` for a draft.
    pub path: Option<String>,
    /// Prefix, numbered or suffix.
    pub kind: ChapterKind,
    /// The section number (`[2, 1]` for 2.1), numbered chapters only.
    pub number: Option<Vec<u32>>,
    /// Nesting depth, 0 for a top-level chapter.
    pub depth: usize,
    /// The 1-based line in SUMMARY.md.
    pub line: usize,
}

/// One line of meaning in the summary, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryItem {
    /// A part title (`# Part I`) heading a group of numbered chapters.
    PartTitle(String),
    /// A horizontal rule between groups.
    Separator,
    /// A chapter link.
    Chapter(SummaryChapter),
}

/// A parsed `SUMMARY.md`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The optional title heading at the top.
    pub title: Option<String>,
    /// The entries, in reading order.
    pub items: Vec<SummaryItem>,
}

impl Summary {
    /// The chapter entries, in reading order.
    pub fn chapters(&self) -> impl Iterator<Item = &SummaryChapter> {
        self.items.iter().filter_map(|item| match item {
            SummaryItem::Chapter(chapter) => Some(chapter),
            _ => None,
        })
    }
}

/// Parses the text of `SUMMARY.md` found at `path` (used for error locations), on
/// pulldown-cmark's events as mdBook 0.5 reads it: a title (the first level-1 heading),
/// prefix chapters (links before the first list or heading), numbered chapters (the
/// lists, nested as markdown nests them, under part titles), suffix chapters (links in
/// the paragraphs after). Whatever else the file holds (comments, text after a link)
/// is left out, as mdBook leaves it; a list item without a link, or a list after the
/// suffix chapters, is an error at its line. Headings below level 1 are part titles too
/// (mdBook drops them).
pub fn parse(text: &str, path: &Path) -> Result<Summary, Diagnostic> {
    let mut reader = Reader {
        text,
        path,
        events: pulldown_cmark::Parser::new(text)
            .into_offset_iter()
            .peekable(),
        line_starts: std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect(),
        summary: Summary::default(),
        phase: Phase::Title,
        counters: Vec::new(),
        numbered_roots: 0,
    };
    reader.read()?;
    Ok(reader.summary)
}

/// How deep chapters may nest: far beyond any book, short of a stranger's `- - - - …`
/// line of a million lists.
const MAX_DEPTH: usize = 100;

/// Where the reader is in the file's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Title,
    Prefix,
    Numbered,
    Suffix,
}

type Events<'a> =
    std::iter::Peekable<pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>>;

struct Reader<'a> {
    text: &'a str,
    path: &'a Path,
    events: Events<'a>,
    line_starts: Vec<usize>,
    summary: Summary,
    phase: Phase,
    /// The numbers of the chapters being read, one per open list.
    counters: Vec<u32>,
    /// How many top-level numbered chapters there were in the lists before: numbers run
    /// on through parts.
    numbered_roots: u32,
}

impl Reader<'_> {
    fn read(&mut self) -> Result<(), Diagnostic> {
        while let Some((event, range)) = self.events.next() {
            match event {
                Event::Html(_) | Event::InlineHtml(_) => {}
                Event::Start(Tag::Heading { level, .. }) => {
                    let title = self.plain_text_until(TagEnd::Heading(level));
                    match self.phase {
                        Phase::Title if level == HeadingLevel::H1 => {
                            self.summary.title = Some(title);
                            self.phase = Phase::Prefix;
                        }
                        Phase::Suffix => {
                            return Err(self
                                .error(range.start, "a part title cannot follow the suffix chapters")
                                .with_hint("move the suffix chapters (links without `- `) after the last list"));
                        }
                        _ => {
                            self.phase = Phase::Numbered;
                            self.summary.items.push(SummaryItem::PartTitle(title));
                        }
                    }
                }
                Event::Start(Tag::List(_)) => {
                    if self.phase == Phase::Suffix {
                        return Err(self
                            .error(
                                range.start,
                                "a numbered chapter cannot follow suffix chapters",
                            )
                            .with_hint(
                                "move the suffix chapters (links without `- `) after the list",
                            ));
                    }
                    self.phase = Phase::Numbered;
                    self.list()?;
                }
                Event::Start(Tag::Paragraph) if self.phase == Phase::Numbered => {
                    // Text after the lists: the suffix chapters start.
                    self.phase = Phase::Suffix;
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    if self.phase == Phase::Title {
                        self.phase = Phase::Prefix;
                    }
                    let kind = match self.phase {
                        Phase::Numbered | Phase::Suffix => {
                            self.phase = Phase::Suffix;
                            ChapterKind::Suffix
                        }
                        _ => ChapterKind::Prefix,
                    };
                    let (title, path) = self.link(&dest_url, range.clone())?;
                    self.push(title, path, kind, None, 0, range.start);
                }
                Event::Rule => {
                    if self.phase == Phase::Title {
                        self.phase = Phase::Prefix;
                    }
                    self.summary.items.push(SummaryItem::Separator);
                }
                _ => {
                    if self.phase == Phase::Title
                        && !matches!(
                            event,
                            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock)
                        )
                    {
                        self.phase = Phase::Prefix;
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads a list (its `Start` just read) and the lists nested in it.
    fn list(&mut self) -> Result<(), Diagnostic> {
        if self.counters.len() >= MAX_DEPTH {
            let offset = self
                .events
                .peek()
                .map_or(self.text.len(), |(_, range)| range.start);
            return Err(self
                .error(
                    offset,
                    format!("chapters nest more than {MAX_DEPTH} levels deep here"),
                )
                .with_hint("flatten the list; no reader follows that many levels"));
        }
        self.counters.push(0);
        while let Some((event, range)) = self.events.next() {
            match event {
                Event::Start(Tag::Item) => {
                    let depth = self.counters.len() - 1;
                    self.counters[depth] += 1;
                    self.item(range.start)?;
                }
                Event::Start(Tag::List(_)) => self.list()?,
                Event::End(TagEnd::List(_)) => break,
                _ => {}
            }
        }
        let count = self.counters.pop().unwrap_or_default();
        if self.counters.is_empty() {
            self.numbered_roots += count;
        }
        Ok(())
    }

    /// Reads a list item (its `Start` just read, at `offset`): its link, then whatever
    /// follows it in the item, a nested list included.
    fn item(&mut self, offset: usize) -> Result<(), Diagnostic> {
        loop {
            let Some((event, range)) = self.events.next() else {
                return Ok(());
            };
            match event {
                Event::Start(Tag::Paragraph) => {}
                Event::Start(Tag::Link { dest_url, .. }) => {
                    let (title, path) = self.link(&dest_url, range.clone())?;
                    let depth = self.counters.len() - 1;
                    let mut number = self.counters.clone();
                    number[0] += self.numbered_roots;
                    self.push(
                        title,
                        path,
                        ChapterKind::Numbered,
                        Some(number),
                        depth,
                        range.start,
                    );
                    break;
                }
                Event::End(TagEnd::Item) => {
                    return Err(self.malformed(offset, range.end));
                }
                _ => return Err(self.malformed(offset, range.end)),
            }
        }
        // The rest of the item: text after the link is left out, a nested list read.
        while let Some((event, _)) = self.events.next() {
            match event {
                Event::Start(Tag::List(_)) => self.list()?,
                Event::End(TagEnd::Item) => break,
                _ => {}
            }
        }
        Ok(())
    }

    /// The link whose `Start` spans `range`: its title as written (inline markdown kept)
    /// and its path, `None` for a draft (`[Title]()`).
    fn link(
        &mut self,
        target: &str,
        range: Range<usize>,
    ) -> Result<(String, Option<String>), Diagnostic> {
        let mut inner: Option<Range<usize>> = None;
        for (event, event_range) in self.events.by_ref() {
            if matches!(event, Event::End(TagEnd::Link)) {
                break;
            }
            inner = Some(match inner {
                Some(so_far) => so_far.start..event_range.end.max(so_far.end),
                None => event_range,
            });
        }
        let title = inner
            .map_or("", |inner| &self.text[inner])
            .trim()
            .to_string();
        if title.is_empty() {
            return Err(self.error(range.start, "a chapter link has an empty title"));
        }
        let target = target.trim();
        if target.is_empty() {
            return Ok((title, None));
        }
        // A link is a URL: `my%20page.md` names `my page.md`, `a%23b.md` names `a#b.md`.
        let path = super::path_of_href(target);
        match crate::confine::normalize(&path) {
            // `./intro.md` is `intro.md`, as mdBook writes it.
            Ok(normal) if !normal.is_empty() => Ok((title, Some(normal))),
            _ => Err(self
                .error(range.start, format!("`{path}` leaves the book's source directory"))
                .with_hint("chapter paths are relative to the language directory and cannot use `..` or start with `/`")),
        }
    }

    /// The plain text of the events up to `end` (a heading's): text and code, spaces for
    /// line breaks, as mdBook takes a title.
    fn plain_text_until(&mut self, end: TagEnd) -> String {
        let mut text = String::new();
        for (event, _) in self.events.by_ref() {
            match event {
                event if event == Event::End(end) => break,
                Event::Text(words) | Event::Code(words) => text.push_str(&words),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
        }
        text.trim().to_string()
    }

    fn push(
        &mut self,
        title: String,
        path: Option<String>,
        kind: ChapterKind,
        number: Option<Vec<u32>>,
        depth: usize,
        offset: usize,
    ) {
        let line = self.line_of(offset);
        self.summary
            .items
            .push(SummaryItem::Chapter(SummaryChapter {
                title,
                path,
                kind,
                number,
                depth,
                line,
            }));
    }

    /// A list item that does not start with a link.
    fn malformed(&self, offset: usize, end: usize) -> Diagnostic {
        let line = self.line_of(offset);
        let written = self.text[self.line_starts[line - 1]..end.min(self.text.len())]
            .lines()
            .next()
            .unwrap_or_default()
            .trim();
        self.error(offset, format!("expected a chapter link, found `{written}`"))
            .with_hint("write `- [Title](file.md)` for a numbered chapter, `[Title](file.md)` before or after the list, `[Title]()` for a draft")
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error("summary", message)
            .in_file(self.path)
            .at_line(self.line_of(offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chapter as the tests compare it: title, path, number, line.
    type Read = (String, Option<String>, Option<Vec<u32>>, usize);

    fn chapters(text: &str) -> Vec<Read> {
        parse(text, Path::new("SUMMARY.md"))
            .unwrap()
            .chapters()
            .map(|c| (c.title.clone(), c.path.clone(), c.number.clone(), c.line))
            .collect()
    }

    #[test]
    fn summaries_of_public_books_read_as_mdbook_reads_them() {
        // A setext title, a link in the prefix, a draft with a comment after it, text
        // after a link in an item, a two-space nested list, a part, a suffix.
        let text = "Summary\n=======\n\n[Introduction](introduction.md)\n\n- [Overview](./overview.md)\n- [Practical]()<!-- ./practical.md -->\n  - [Cancellation](part/cancellation.md) (cancellation safety)\n\n# Reference\n\n- [Pinning](part/pinning.md)\n\n---\n\n[Thanks](thanks.md)\n";
        let summary = parse(text, Path::new("SUMMARY.md")).unwrap();
        assert_eq!(summary.title.as_deref(), Some("Summary"));
        assert_eq!(
            chapters(text),
            [
                (
                    "Introduction".into(),
                    Some("introduction.md".into()),
                    None,
                    4
                ),
                (
                    "Overview".into(),
                    Some("overview.md".into()),
                    Some(vec![1]),
                    6
                ),
                ("Practical".into(), None, Some(vec![2]), 7),
                (
                    "Cancellation".into(),
                    Some("part/cancellation.md".into()),
                    Some(vec![2, 1]),
                    8
                ),
                (
                    "Pinning".into(),
                    Some("part/pinning.md".into()),
                    Some(vec![3]),
                    12
                ),
                ("Thanks".into(), Some("thanks.md".into()), None, 16),
            ]
        );
        assert!(
            summary
                .items
                .contains(&SummaryItem::PartTitle("Reference".into()))
        );
        assert!(summary.items.contains(&SummaryItem::Separator));
    }

    #[test]
    fn titles_keep_their_markdown_and_mistakes_name_their_line() {
        let titles: Vec<String> = chapters("- [The `match` *Construct*](match.md)\n")
            .into_iter()
            .map(|chapter| chapter.0)
            .collect();
        assert_eq!(titles, ["The `match` *Construct*"]);
        let error = |text: &str| parse(text, Path::new("SUMMARY.md")).unwrap_err();
        let not_a_link = error("- [A](a.md)\n- Just words\n");
        assert_eq!(
            (not_a_link.line, not_a_link.message.as_str()),
            (Some(2), "expected a chapter link, found `- Just words`")
        );
        assert_eq!(
            error("[A](a.md)\n\n- [B](b.md)\n\n[C](c.md)\n\n- [D](d.md)\n").line,
            Some(7)
        );
        assert!(
            error("- [A](../a.md)\n")
                .message
                .contains("leaves the book's source directory")
        );
        let deep: String = (0..150)
            .map(|depth| format!("{}- [A](a{depth}.md)\n", "  ".repeat(depth)))
            .collect();
        assert!(error(&deep).message.contains("more than 100 levels"));
    }
}
