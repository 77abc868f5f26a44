//! The publications of each language: the print page (the whole edition in one page,
//! for print and PDF engines) and the EPUB, from the same chapters.

use super::contexts::{NavLink, PrintChapter, PrintContext, PrintTocEntry, RunbookCardContext};
use super::{Made, PRINT_PAGE, SiteRenderer, publication_name};
use crate::book::summary::SummaryItem;
use crate::book::{PageContent, PageStatus, html_path_of};
use crate::config::UntranslatedFallback;
use crate::diagnostic::Diagnostic;
use crate::escape::escape_html as escape_xml;
use crate::markdown::edition::EditionBodies;
use crate::markdown::inline::inline_title;
use crate::render::{OutputFile, epub, localize, rebase};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

/// A page as the print page and the EPUB take it. Its body is borrowed from step 2, so
/// the publications do not copy the book before they rebase it chapter by chapter.
pub struct Chapter<'a> {
    /// Its output path in the site (`chapters/01.html`).
    pub path: String,
    /// Its title, typeset.
    pub title: String,
    /// Its number, when numbered.
    pub number: Option<String>,
    /// Its status.
    pub status: PageStatus,
    /// Its title and chapter notes, or its title and a notice for a page without text.
    pub opening: String,
    /// Its text (empty for a page without text).
    pub body: &'a str,
    /// Pages that are not chapters of their own but whose links lead here (the
    /// untranslated pages, listed in one chapter).
    pub stands_for: Vec<String>,
    /// Its language when not the edition's (the original of an untranslated page).
    pub language: Option<String>,
}

impl Chapter<'_> {
    /// The pages whose links lead to this chapter: its own, and those it stands for.
    pub fn pages(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.path).chain(&self.stands_for)
    }

    /// Its HTML (opening, then body) moved to `to` in `target` (see [`rebase::rebase`]).
    pub fn rebased(&self, to: &str, target: &rebase::Target<'_>) -> String {
        let mut html = rebase::rebase(&self.opening, &self.path, to, target);
        html.push_str(&rebase::rebase(self.body, &self.path, to, target));
        html
    }
}

impl<'r> SiteRenderer<'r> {
    /// The chapters of an edition as the print page and the EPUB take them: each page's
    /// title, number, status and body HTML (title, chapter notes, runbook card and text,
    /// or a notice); the pages not translated yet are one list at the end, not a notice
    /// each.
    pub(super) fn chapters(
        &self,
        bodies: &'r EditionBodies<'r>,
    ) -> Result<Vec<Chapter<'r>>, Diagnostic> {
        let edition = bodies.edition;
        let in_source = self.book.config.output.pdf.as_ref().map(|pdf| pdf.fallback)
            == Some(UntranslatedFallback::Source);
        let (untranslated, pages): (Vec<_>, Vec<_>) =
            edition.pages.iter().enumerate().partition(|(_, page)| {
                !in_source && page.status(&edition.language) == PageStatus::NotTranslated
            });
        let mut chapters = pages
            .into_iter()
            .map(|(index, page)| {
                if page.status(&edition.language) == PageStatus::NotTranslated
                    && let Some(original) = self.original_chapter(bodies, page)
                {
                    return Ok(original);
                }
                let title = inline_title(&page.title, &bodies.typographer);
                let number = self.number(page.number.as_ref());
                let heading = chapter_heading(number.as_deref(), &title.html);
                let (opening, body) = match (&page.content, bodies.bodies[index].as_ref()) {
                    (PageContent::Written(written), Some(body)) => {
                        let notes: String = self
                            .chapter_notes(bodies, page, Some(&written.front_matter))
                            .iter()
                            .map(|note| format!("<p>{}</p>", escape_xml(note)))
                            .collect();
                        let notes = if notes.is_empty() {
                            notes
                        } else {
                            format!("<div class=\"chapter-meta\">{notes}</div>\n")
                        };
                        let card = match &written.front_matter.runbook {
                            Some(meta) => self.runbook_card(bodies, page, meta)?,
                            None => String::new(),
                        };
                        let title = body.title_html.clone().unwrap_or(heading);
                        (format!("{title}{notes}{card}"), body.html.as_str())
                    }
                    _ => {
                        let key = match page.status(&edition.language) {
                            PageStatus::NotTranslated => "not_translated_title",
                            PageStatus::NotInSample => "not_in_sample_title",
                            _ => "todo_body",
                        };
                        let notice = escape_xml(&localize::fill(&bodies.strings, key, &[]));
                        (format!("{heading}<p class=\"notice\">{notice}</p>\n"), "")
                    }
                };
                Ok(Chapter {
                    path: page.html_path(),
                    title: title.text,
                    number,
                    status: page.status(&edition.language),
                    opening,
                    body,
                    stands_for: Vec::new(),
                    language: None,
                })
            })
            .collect::<Result<Vec<_>, Diagnostic>>()?;
        if !untranslated.is_empty() {
            chapters.push(self.untranslated_list(bodies, &untranslated));
        }
        Ok(chapters)
    }

    /// The source language's chapter for `page`, not translated in `bodies`' edition,
    /// under a note saying so (`[output.pdf] fallback = "source"`).
    fn original_chapter(
        &self,
        bodies: &EditionBodies<'_>,
        page: &crate::book::Page,
    ) -> Option<Chapter<'r>> {
        let source: &'r EditionBodies<'r> = self.editions.first()?;
        let index = *source.by_path.get(page.path.as_str())?;
        let body = source.bodies[index].as_ref()?;
        let original = &source.edition.pages[index];
        let title = inline_title(&original.title, &source.typographer);
        let number = self.number(page.number.as_ref());
        let heading = body
            .title_html
            .clone()
            .unwrap_or_else(|| chapter_heading(None, &title.html));
        let note = localize::fill(
            &bodies.strings,
            "not_translated_source_note",
            &[("language", &source.edition.language.name)],
        );
        Some(Chapter {
            path: page.html_path(),
            title: title.text,
            number,
            status: PageStatus::NotTranslated,
            opening: format!(
                "{heading}<p class=\"notice\" lang=\"{}\">{}</p>\n",
                bodies.edition.language.code,
                escape_xml(&note)
            ),
            body: body.html.as_str(),
            stands_for: Vec::new(),
            language: Some(source.edition.language.code.clone()),
        })
    }

    /// One chapter listing the pages of `untranslated` (index, page), whose links lead
    /// to it.
    fn untranslated_list(
        &self,
        bodies: &EditionBodies<'_>,
        untranslated: &[(usize, &crate::book::Page)],
    ) -> Chapter<'r> {
        let title = localize::fill(&bodies.strings, "not_translated_list_title", &[]);
        let original = &self.book.source().language.name;
        let intro = localize::fill(
            &bodies.strings,
            "not_translated_list_intro",
            &[("language", original)],
        );
        let items: String = untranslated
            .iter()
            .map(|(_, page)| {
                let number = self
                    .number(page.number.as_ref())
                    .map(|n| format!("{n} "))
                    .unwrap_or_default();
                let title = inline_title(&page.title, &bodies.typographer);
                format!("<li>{number}{}</li>\n", title.html)
            })
            .collect();
        Chapter {
            path: NOT_TRANSLATED_PAGE.to_string(),
            opening: format!(
                "{}<p>{}</p>\n<ul class=\"not-translated\">\n{items}</ul>\n",
                chapter_heading(None, &escape_xml(&title)),
                escape_xml(&intro)
            ),
            title,
            number: None,
            status: PageStatus::NotTranslated,
            body: "",
            language: None,
            stands_for: untranslated
                .iter()
                .map(|(_, page)| page.html_path())
                .collect(),
        }
    }

    /// `runbook_card.html` for the runbook page `page` of `bodies`' edition.
    fn runbook_card(
        &self,
        bodies: &EditionBodies<'_>,
        page: &crate::book::Page,
        meta: &crate::book::runbooks::RunbookMeta,
    ) -> Result<String, Diagnostic> {
        let card = crate::render::blocks::EditionBlocks::new(
            self.book,
            bodies.edition,
            &bodies.strings,
            bodies.typographer,
        )
        .runbook_card(page, meta);
        let context = RunbookCardContext {
            card: &card,
            ui: &bodies.strings,
        };
        let file = self.render_template("runbook_card.html", &context, page.html_path())?;
        Ok(String::from_utf8_lossy(&file.bytes).into_owned())
    }

    /// The landing page's links to the EPUB and the PDF (when an engine will write it).
    pub(super) fn downloads(&self, bodies: &EditionBodies<'_>) -> Vec<NavLink> {
        let Some(_) = self.publications else {
            return Vec::new();
        };
        let title = &bodies.edition.language.title;
        let output = &self.book.config.output;
        let mut links = Vec::new();
        if output.epub.enable {
            links.push(NavLink {
                title: "EPUB".into(),
                number: None,
                href: publication_name(title, "epub"),
            });
        }
        if self.pdf_downloads {
            links.push(NavLink {
                title: "PDF".into(),
                number: None,
                href: publication_name(title, "pdf"),
            });
        }
        links
    }

    /// `LANG/print.html`: the whole edition in one page for print and PDF engines.
    /// Written into the sink a chapter at a time when there is one (a build): a big
    /// book's print page is never whole in memory.
    pub(super) fn print(&self, bodies: &'r EditionBodies<'r>) -> Result<Made, Diagnostic> {
        let theme = self
            .publications
            .expect("print jobs exist only with publications");
        let edition = bodies.edition;
        let chapters = self.chapters(bodies)?;
        let anchors: HashMap<String, String> = chapters
            .iter()
            .enumerate()
            .flat_map(|(index, chapter)| {
                let anchor = format!("c{}", index + 1);
                chapter
                    .pages()
                    .map(move |path| (path.clone(), anchor.clone()))
            })
            .collect();
        let target = rebase::Target::SingleDocument { anchors: &anchors };
        let positions: HashMap<&str, usize> = chapters
            .iter()
            .enumerate()
            .map(|(index, chapter)| (chapter.path.as_str(), index))
            .collect();
        // The template gets a marker where each chapter goes, and the chapters are put
        // in its output one by one: the book is not copied into Tera's context and
        // output besides (three more copies of every chapter, on a big book).
        let print_chapters: Vec<PrintChapter> = chapters
            .iter()
            .enumerate()
            .map(|(index, chapter)| PrintChapter {
                anchor: anchors[&chapter.path].clone(),
                status: chapter.status,
                html: chapter_marker(index),
                lang: chapter.language.clone(),
            })
            .collect();
        let mut toc: Vec<PrintTocEntry> = edition
            .summary
            .items
            .iter()
            .filter_map(|item| match item {
                SummaryItem::PartTitle(title) => Some(PrintTocEntry {
                    part: true,
                    title: bodies.typographer.text(title),
                    number: None,
                    anchor: String::new(),
                }),
                SummaryItem::Chapter(entry) => {
                    let chapter =
                        &chapters[*positions.get(html_path_of(entry.path.as_deref()?).as_str())?];
                    Some(PrintTocEntry {
                        part: false,
                        title: chapter.title.clone(),
                        number: chapter.number.clone(),
                        anchor: anchors[&chapter.path].clone(),
                    })
                }
                SummaryItem::Separator => None,
            })
            .collect();
        if let Some(list) = chapters
            .last()
            .filter(|chapter| chapter.path == NOT_TRANSLATED_PAGE)
        {
            toc.push(PrintTocEntry {
                part: false,
                title: list.title.clone(),
                number: None,
                anchor: anchors[&list.path].clone(),
            });
        }
        let style = format!(
            "{}\n{}",
            theme.file("css/highlight.css").text,
            theme.file("css/print.css").text
        );
        let context = PrintContext {
            lang: &edition.language.code,
            book_title: &edition.language.title,
            authors: &self.book.config.book.authors,
            description: edition.language.description.as_deref(),
            last_updated: self.last_updated(bodies),
            ui: &bodies.strings,
            page_size: self
                .book
                .config
                .output
                .pdf
                .clone()
                .unwrap_or_default()
                .css_page_size(),
            style,
            toc,
            chapters: print_chapters,
        };
        let frame = self.render_template(
            "print.html",
            &context,
            Self::output_path(edition, PRINT_PAGE),
        )?;
        let frame = String::from_utf8_lossy(&frame.bytes).into_owned();
        // Wherever (and however often) the theme put each chapter.
        let mut write = |out: &mut dyn Write| -> std::io::Result<()> {
            let mut last = 0;
            for found in CHAPTER_MARKER.captures_iter(&frame) {
                let whole = found.get(0).expect("a match has its whole text");
                let chapter = found[1].parse::<usize>().ok().and_then(|i| chapters.get(i));
                out.write_all(&frame.as_bytes()[last..whole.start()])?;
                if let Some(chapter) = chapter {
                    out.write_all(chapter.rebased(PRINT_PAGE, &target).as_bytes())?;
                }
                last = whole.end();
            }
            out.write_all(&frame.as_bytes()[last..])
        };
        let path = Self::output_path(edition, PRINT_PAGE);
        if let Some(sink) = self.sink {
            sink.put_streamed(&path, &mut write)?;
            return Ok(Made::Written(path));
        }
        let mut bytes = Vec::new();
        write(&mut bytes).expect("writing into memory does not fail");
        Ok(Made::File(OutputFile {
            path,
            bytes: Arc::new(bytes),
        }))
    }

    /// `LANG/TITLE.epub`.
    pub(super) fn epub(&self, bodies: &'r EditionBodies<'r>) -> Result<OutputFile, Diagnostic> {
        let theme = self
            .publications
            .expect("EPUB jobs exist only with publications");
        let edition = bodies.edition;
        let chapters = self.chapters(bodies)?;
        let directory = self.book.root.join(&edition.language.src_dir);
        let source_directory = self.book.root.join(&self.book.source().language.src_dir);
        let modified = self.book.last_updated(edition);
        let path = Self::output_path(edition, &publication_name(&edition.language.title, "epub"));
        let previous = self.previous_output.and_then(|output| output.read(&path));
        let bytes = epub::write(
            &epub::EpubBook {
                language: &edition.language,
                authors: &self.book.config.book.authors,
                chapters: &chapters,
                source_directory: &directory,
                fallback_directory: (!edition.language.is_source)
                    .then_some(source_directory.as_path()),
                allowed: &self.book.allowed,
                stylesheet: &format!(
                    "{}\n{}",
                    theme.file("css/highlight.css").text,
                    theme.file("css/epub.css").text
                ),
                modified,
                notice_label: localize::fill(&bodies.strings, "contents", &[]),
                accessibility_summary: localize::fill(
                    &bodies.strings,
                    "epub_accessibility_summary",
                    &[],
                ),
            },
            previous,
        )?;
        Ok(OutputFile {
            path,
            bytes: Arc::new(bytes),
        })
    }
}

/// A chapter's title for the print page and the EPUB (when its text has no `#` title of
/// its own): its number, then its title as HTML.
fn chapter_heading(number: Option<&str>, title_html: &str) -> String {
    let number = number
        .map(|n| format!("<span class=\"section-number\">{n}</span> "))
        .unwrap_or_default();
    format!("<h1 class=\"chapter-title\">{number}{title_html}</h1>\n")
}

/// The path the list of untranslated pages takes in the print page and the EPUB (a
/// name no book page is expected to have: pages are named after their `.md` files).
const NOT_TRANSLATED_PAGE: &str = "not-translated.folio.html";

/// Where the print template's chapter `index` goes (an HTML comment no text can hold:
/// the template's values are escaped, and chapters are put in after it is rendered).
fn chapter_marker(index: usize) -> String {
    format!("<!--folio-chapter-{index}-->")
}

/// A [`chapter_marker`] in the rendered template.
static CHAPTER_MARKER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"<!--folio-chapter-(\d+)-->").expect("a valid pattern")
});
