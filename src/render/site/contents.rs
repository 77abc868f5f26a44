//! The table of contents: in every page, or, past `toc-inline-max` entries, written
//! once per language into a script (`toc.js`) that fills each page's empty list.

use super::contexts::TocEntry;
use super::{SHARED_TOC_SCRIPT, SiteRenderer};
use crate::book::summary::SummaryItem;
use crate::book::{Edition, PageStatus, href_of};
use crate::diagnostic::Diagnostic;
use crate::markdown::Heading;
use crate::markdown::edition::EditionBodies;
use crate::markdown::inline::inline_title;
use crate::render::OutputFile;
use std::sync::Arc;

impl SiteRenderer<'_> {
    /// True when `edition`'s table of contents is written once, in [`SHARED_TOC_SCRIPT`].
    pub(super) fn shares_toc(&self, edition: &Edition) -> bool {
        edition.summary.items.len() > self.book.config.output.html.toc_inline_max()
    }

    /// The shared table of contents: its entries, links relative to the language root,
    /// in a script that fills the page's empty list (themes/default/toc.js).
    pub(super) fn shared_toc(&self, bodies: &EditionBodies<'_>) -> Result<OutputFile, Diagnostic> {
        let context =
            serde_json::json!({ "toc": self.toc(bodies, "", None), "ui": &bodies.strings });
        let path = Self::output_path(bodies.edition, SHARED_TOC_SCRIPT);
        let entries = self.render_template("toc_entries.html", &context, path.clone())?;
        let entries = serde_json::to_string(&String::from_utf8_lossy(&entries.bytes))
            .expect("a string serializes to JSON");
        let script = format!(
            "var FOLIO_TOC = {entries};\n{}",
            include_str!("../../../themes/default/toc.js")
        );
        Ok(OutputFile {
            path,
            bytes: Arc::new(script.into_bytes()),
        })
    }

    pub(super) fn toc(
        &self,
        bodies: &EditionBodies<'_>,
        lang_root: &str,
        current: Option<&str>,
    ) -> Vec<TocEntry> {
        let edition = bodies.edition;
        let entries = edition
            .summary
            .items
            .iter()
            .map(|item| match item {
                SummaryItem::PartTitle(title) => TocEntry {
                    kind: "part",
                    title: inline_title(title, &bodies.typographer).html,
                    ..TocEntry::blank()
                },
                SummaryItem::Separator => TocEntry {
                    kind: "separator",
                    ..TocEntry::blank()
                },
                SummaryItem::Chapter(chapter) => {
                    let index = chapter
                        .path
                        .as_deref()
                        .and_then(|path| bodies.by_path.get(path));
                    let page = index.map(|&i| &edition.pages[i]);
                    let listed = current.is_none() || chapter.path.as_deref() == current;
                    let sections = chapter
                        .path
                        .as_deref()
                        .filter(|_| listed)
                        .map(|path| sections_of(bodies, path))
                        .unwrap_or_default();
                    TocEntry {
                        kind: "chapter",
                        title: inline_title(
                            page.map_or(&chapter.title, |page| &page.title),
                            &bodies.typographer,
                        )
                        .html,
                        number: self.number(chapter.number.as_ref()),
                        href: page.map(|page| format!("{lang_root}{}", href_of(&page.html_path()))),
                        depth: chapter.depth,
                        status: Some(
                            page.map_or(PageStatus::Todo, |page| page.status(&edition.language)),
                        ),
                        current: chapter.path.is_some() && chapter.path.as_deref() == current,
                        sections,
                        folded: false,
                    }
                }
            })
            .collect();
        folded(entries, &self.book.config.output.html.fold)
    }
}

/// The sections (`##` headings) of the page at `path`, for the table of contents.
pub(super) fn sections_of(bodies: &EditionBodies<'_>, path: &str) -> Vec<Heading> {
    bodies
        .by_path
        .get(path)
        .and_then(|&i| bodies.bodies[i].as_ref())
        .map(|body| {
            body.headings
                .iter()
                .filter(|h| h.level == 2)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

impl TocEntry {
    pub(super) fn blank() -> Self {
        TocEntry {
            kind: "",
            title: String::new(),
            number: None,
            href: None,
            depth: 0,
            status: None,
            current: false,
            sections: Vec::new(),
            folded: false,
        }
    }
}

/// `entries` with the chapters nested deeper than `fold.level` folded, outside the
/// branch (the chapter at `fold.level` or above and what it holds) of the current page.
fn folded(mut entries: Vec<TocEntry>, fold: &crate::config::FoldSection) -> Vec<TocEntry> {
    if !fold.enable {
        return entries;
    }
    let level = usize::from(fold.level);
    let mut branch = 0;
    let branches: Vec<usize> = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            if entry.kind != "chapter" || entry.depth <= level {
                branch = index;
            }
            branch
        })
        .collect();
    let current = entries
        .iter()
        .position(|entry| entry.current)
        .map(|index| branches[index]);
    for (entry, branch) in entries.iter_mut().zip(branches) {
        entry.folded = entry.kind == "chapter" && entry.depth > level && Some(branch) != current;
    }
    entries
}
