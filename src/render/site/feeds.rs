//! Atom feeds per language, for a reader following the book's progress: the
//! changelog's changes (`LANG/changelog.xml`) and the timeline's events
//! (`LANG/timeline.xml`), each entry dated and linked to the page that tells it.

use super::SiteRenderer;
use crate::book::{PageContent, html_path_of};
use crate::diagnostic::Diagnostic;
use crate::escape::escape_html as escape;
use crate::markdown::edition::EditionBodies;
use crate::render::{OutputFile, localize};
use std::fmt::Write;
use std::sync::Arc;

/// A feed of the book's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Feed {
    /// `{{#changelog}}`'s changes, newest first.
    Changelog,
    /// `{{#timeline}}`'s events, latest first.
    Timeline,
}

impl Feed {
    /// Every feed, in the order pages link them.
    pub(super) const ALL: [Feed; 2] = [Feed::Changelog, Feed::Timeline];

    /// The file, under the language's root.
    pub(super) fn file(self) -> &'static str {
        match self {
            Feed::Changelog => "changelog.xml",
            Feed::Timeline => "timeline.xml",
        }
    }

    /// The interface string naming it (the feed's title, the link's title).
    pub(super) fn title_key(self) -> &'static str {
        match self {
            Feed::Changelog => "feed_changelog",
            Feed::Timeline => "feed_timeline",
        }
    }

    /// The directive of the page showing its data.
    fn directive(self) -> &'static str {
        match self {
            Feed::Changelog => "{{#changelog}}",
            Feed::Timeline => "{{#timeline}}",
        }
    }
}

/// One entry: its id, date (`YYYY-MM-DD`), title, and the page telling it (relative to
/// the language's root).
struct Entry {
    id: String,
    date: (i32, u32, u32),
    title: String,
    page: Option<String>,
}

impl SiteRenderer<'_> {
    /// True when the book has the data of `feed`.
    pub(super) fn has_feed(&self, feed: Feed) -> bool {
        match feed {
            Feed::Changelog => self.book.changelog.is_some(),
            Feed::Timeline => self.book.timeline.is_some(),
        }
    }

    /// `LANG/changelog.xml` or `LANG/timeline.xml` for `bodies`' edition.
    pub(super) fn feed(
        &self,
        bodies: &EditionBodies<'_>,
        feed: Feed,
    ) -> Result<OutputFile, Diagnostic> {
        let edition = bodies.edition;
        let language = &edition.language;
        let source = &self.book.source().language.code;
        let text = |texts: &std::collections::BTreeMap<String, String>| {
            let text = texts.get(&language.code).or_else(|| texts.get(source));
            bodies.typographer.text(text.map_or("", String::as_str))
        };
        let showing = edition
            .pages
            .iter()
            .find(|page| {
                matches!(&page.content, PageContent::Written(written)
                    if written.markdown.contains(feed.directive()))
            })
            .map(|page| page.html_path());
        let mut entries: Vec<Entry> = match feed {
            Feed::Changelog => {
                let changes = &self.book.changelog.as_ref().expect("has_feed").changes;
                changes
                    .iter()
                    .enumerate()
                    .map(|(index, change)| Entry {
                        // Numbered as they came: the oldest is 1, like the page's list.
                        id: format!("change-{}", changes.len() - index),
                        date: (change.date.year, change.date.month, change.date.day),
                        title: text(&change.text),
                        page: showing.clone(),
                    })
                    .collect()
            }
            Feed::Timeline => {
                let events = &self.book.timeline.as_ref().expect("has_feed").events;
                events
                    .iter()
                    .map(|event| Entry {
                        id: format!(
                            "event-{}",
                            crate::digest::sha256_hex(
                                format!("{:?}{:?}", event.when.start, event.text.get(source))
                                    .as_bytes(),
                                8
                            )
                        ),
                        date: event.when.start.sort_key(),
                        title: format!(
                            "{} – {}",
                            localize::when(&bodies.strings, event.when),
                            text(&event.text)
                        ),
                        page: event
                            .chapter
                            .as_deref()
                            .map(html_path_of)
                            .or_else(|| showing.clone()),
                    })
                    .rev()
                    .collect()
            }
        };
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.date));
        let path = Self::output_path(edition, feed.file());
        let title = format!(
            "{} – {}",
            language.title,
            localize::fill(&bodies.strings, feed.title_key(), &[])
        );
        // Absolute where the site's address is known; otherwise ids are URNs and links
        // are relative to the feed (which sits at the language's root).
        let base = self
            .site_url
            .as_ref()
            .map(|site| format!("{site}{}", language.url_prefix));
        let feed_id = match &base {
            Some(base) => format!("{base}{}", feed.file()),
            None => format!(
                "urn:folio:{}",
                crate::digest::sha256_hex(format!("{}:{path}", language.title).as_bytes(), 16)
            ),
        };
        let href = |page: &str| format!("{}{page}", base.as_deref().unwrap_or_default());
        let updated = entries
            .iter()
            .map(|entry| entry.date)
            .max()
            .unwrap_or((2000, 1, 1));
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n<updated>{}</updated>\n<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            language.code,
            escape(&title),
            escape(&feed_id),
            timestamp(updated),
            escape(&href(feed.file())),
            escape(&href(showing.as_deref().unwrap_or("index.html"))),
        );
        // Atom wants an author: the book's, else the book itself.
        let authors = &self.book.config.book.authors;
        for author in authors
            .iter()
            .chain(authors.is_empty().then_some(&language.title))
        {
            let _ = writeln!(xml, "<author><name>{}</name></author>", escape(author));
        }
        for entry in &entries {
            let link = entry
                .page
                .as_deref()
                .map(|page| format!("<link href=\"{}\"/>", escape(&href(page))))
                .unwrap_or_default();
            let _ = writeln!(
                xml,
                "<entry><id>{}#{}</id><title>{}</title><updated>{}</updated>{link}</entry>",
                escape(&feed_id),
                entry.id,
                escape(&entry.title),
                timestamp(entry.date)
            );
        }
        xml.push_str("</feed>\n");
        Ok(OutputFile {
            path,
            bytes: Arc::new(xml.into_bytes()),
        })
    }
}

/// An Atom date: the day at midnight, UTC.
fn timestamp((year, month, day): (i32, u32, u32)) -> String {
    format!("{year:04}-{month:02}-{day:02}T00:00:00Z")
}
