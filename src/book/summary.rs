//! Parsing `SUMMARY.md` in mdBook's syntax: prefix chapters, part titles, numbered
//! chapters nested by indentation, draft chapters (`[Title]()`), separators and
//! suffix chapters. Each entry keeps its line for error messages.

use crate::diagnostic::Diagnostic;
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

/// Parses the text of `SUMMARY.md` found at `path` (used for error locations).
pub fn parse(text: &str, path: &Path) -> Result<Summary, Diagnostic> {
    let mut parser = Parser {
        path,
        summary: Summary::default(),
        indent_stack: Vec::new(),
        counters: Vec::new(),
        seen_numbered: false,
        seen_suffix: false,
        in_comment: false,
    };
    for (index, line) in text.lines().enumerate() {
        parser.line(line, index + 1)?;
    }
    Ok(parser.summary)
}

struct Parser<'a> {
    path: &'a Path,
    summary: Summary,
    indent_stack: Vec<usize>,
    counters: Vec<u32>,
    seen_numbered: bool,
    /// A suffix chapter was read: no numbered chapter may follow (a flag, not a scan of
    /// the chapters so far, which made a long SUMMARY.md quadratic).
    seen_suffix: bool,
    in_comment: bool,
}

impl Parser<'_> {
    fn line(&mut self, raw: &str, line: usize) -> Result<(), Diagnostic> {
        let trimmed = raw.trim();
        if self.in_comment {
            self.in_comment = !trimmed.contains("-->");
            return Ok(());
        }
        if trimmed.is_empty() {
            return Ok(());
        }
        if let Some(rest) = trimmed.strip_prefix("<!--") {
            self.in_comment = !rest.contains("-->");
            return Ok(());
        }
        if let Some(heading) = trimmed.strip_prefix('#') {
            let title = heading.trim_start_matches('#').trim().to_string();
            if self.summary.items.is_empty() && self.summary.title.is_none() {
                self.summary.title = Some(title);
            } else {
                self.summary.items.push(SummaryItem::PartTitle(title));
            }
            return Ok(());
        }
        if is_separator(trimmed) {
            self.summary.items.push(SummaryItem::Separator);
            return Ok(());
        }
        let indent = raw.len() - raw.trim_start().len();
        if let Some(item) = trimmed.strip_prefix(['-', '*', '+'])
            && item.starts_with(' ')
        {
            return self.numbered(item.trim(), indent, line);
        }
        let (title, path) = self.link(trimmed, line)?;
        let kind = if self.seen_numbered {
            self.seen_suffix = true;
            ChapterKind::Suffix
        } else {
            ChapterKind::Prefix
        };
        self.push(title, path, kind, None, 0, line);
        Ok(())
    }

    fn numbered(&mut self, text: &str, indent: usize, line: usize) -> Result<(), Diagnostic> {
        if self.seen_suffix {
            return Err(self
                .error(line, "a numbered chapter cannot follow suffix chapters")
                .with_hint("move the suffix chapters (links without `- `) after the list"));
        }
        self.seen_numbered = true;
        while self.indent_stack.last().is_some_and(|&top| indent < top) {
            self.indent_stack.pop();
        }
        if self.indent_stack.last().is_none_or(|&top| indent > top) {
            self.indent_stack.push(indent);
        }
        let depth = self.indent_stack.len() - 1;
        self.counters.truncate(depth + 1);
        while self.counters.len() < depth + 1 {
            self.counters.push(0);
        }
        self.counters[depth] += 1;
        let (title, path) = self.link(text, line)?;
        let number = Some(self.counters.clone());
        self.push(title, path, ChapterKind::Numbered, number, depth, line);
        Ok(())
    }

    fn push(
        &mut self,
        title: String,
        path: Option<String>,
        kind: ChapterKind,
        number: Option<Vec<u32>>,
        depth: usize,
        line: usize,
    ) {
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

    /// Splits `[Title](path.md)` into its title and path (`None` for `[Title]()`).
    fn link(&self, text: &str, line: usize) -> Result<(String, Option<String>), Diagnostic> {
        let malformed = || {
            self.error(line, format!("expected a chapter link, found `{text}`"))
                .with_hint("write `- [Title](file.md)` for a numbered chapter, `[Title](file.md)` before or after the list, `[Title]()` for a draft")
        };
        let inner = text
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(')'))
            .ok_or_else(malformed)?;
        let split = inner.rfind("](").ok_or_else(malformed)?;
        let title = inner[..split].replace("\\[", "[").replace("\\]", "]");
        let target = inner[split + 2..].trim();
        let target = target
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(target);
        if title.trim().is_empty() {
            return Err(self.error(line, "a chapter link has an empty title"));
        }
        if target.is_empty() {
            return Ok((title, None));
        }
        // A link is a URL: `my%20page.md` names `my page.md`, `a%23b.md` names `a#b.md`.
        let path = super::path_of_href(target);
        if crate::confine::normalize(&path).is_err() {
            return Err(self
                .error(line, format!("`{path}` leaves the book's source directory"))
                .with_hint("chapter paths are relative to the language directory and cannot use `..` or start with `/`"));
        }
        Ok((title, Some(path)))
    }

    fn error(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error("summary", message)
            .in_file(self.path)
            .at_line(line)
    }
}

fn is_separator(line: &str) -> bool {
    let marks: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3 && matches!(marks[0], '-' | '*' | '_') && marks.iter().all(|&c| c == marks[0])
}
