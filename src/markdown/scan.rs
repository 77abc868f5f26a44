//! Read-only scans of a page's markdown, for the commands that report on a book without
//! rendering it: its snippet and include directives, its links to other sites.

use super::structure::{self, Mark};
use super::{line_starts, options};
use pulldown_cmark::{Event, Parser, Tag};

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
