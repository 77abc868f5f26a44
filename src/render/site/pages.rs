//! The site's HTML pages: each page of the book, each language's landing page, the
//! multilingual root, the 404 page and the sitemap.

use super::SiteRenderer;
use super::contexts::{
    LandingContext, NavLink, NotFoundContext, PageContext, PageView, RedirectContext,
};
use super::prefixed;
use crate::book::front_matter::FrontMatter;
use crate::book::translation::{self, TranslationState};
use crate::book::{Edition, Page, PageContent, PageStatus, href_of, html_path_of};
use crate::diagnostic::Diagnostic;
use crate::escape::escape_html as escape_xml;
use crate::markdown::edition::EditionBodies;
use crate::markdown::inline::inline_title;
use crate::render::blocks::EditionBlocks;
use crate::render::{OutputFile, localize};
use std::path::Path;
use std::sync::Arc;

impl SiteRenderer<'_> {
    pub(super) fn page(
        &self,
        bodies: &EditionBodies<'_>,
        index: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let edition = bodies.edition;
        let page = &edition.pages[index];
        let output_path = Self::output_path(edition, &page.html_path());
        let mut common = self.common(bodies, &output_path, Some(&page.path));
        common.og_type = "article";
        common.og_title = Some(inline_title(&page.title, &bodies.typographer).text);
        if let Some(summary) = bodies.bodies[index]
            .as_ref()
            .and_then(|body| first_paragraph(&body.html))
        {
            common.description = Some(summary);
        }
        let nav_link = |page: &Page| NavLink {
            title: inline_title(&page.title, &bodies.typographer).html,
            number: self.number(page.number.as_ref()),
            href: format!("{}{}", common.lang_root, href_of(&page.html_path())),
        };
        let previous = index.checked_sub(1).map(|i| nav_link(&edition.pages[i]));
        let next = edition.pages.get(index + 1).map(nav_link);
        let body = bodies.bodies[index].as_ref();
        let (kind, front_matter) = match &page.content {
            PageContent::Written(written) => ("written", Some(&written.front_matter)),
            PageContent::Todo => ("todo", None),
            PageContent::Untranslated { .. } => ("untranslated", None),
            PageContent::NotInSample => ("not_in_sample", None),
        };
        let source = &self.editions[0];
        let original = (!edition.language.is_source
            && source.by_path.contains_key(page.path.as_str()))
        .then_some(source);
        let stale = translation::state(self.book, edition, page) == Some(TranslationState::Stale);
        let title = inline_title(&page.title, &bodies.typographer);
        let view = PageView {
            title: title.text,
            heading: title.html,
            number: self.number(page.number.as_ref()),
            status: page.status(&edition.language),
            kind,
            title_html: body.and_then(|body| body.title_html.as_deref()),
            html_title: body.and_then(|body| body.html_title.as_deref()),
            content: body.map_or("", |body| body.html.as_str()),
            notes: self.chapter_notes(bodies, page, front_matter),
            runbook: front_matter.and_then(|f| f.runbook.as_ref()).map(|meta| {
                EditionBlocks::new(self.book, edition, &bodies.strings, bodies.typographer)
                    .runbook_card(page, meta)
            }),
            original_href: original.map(|o| {
                format!(
                    "{}{}{}",
                    common.root,
                    o.edition.language.url_prefix,
                    href_of(&page.html_path())
                )
            }),
            stale,
            original_language: original.map(|o| o.edition.language.code.as_str()),
            original_language_name: original.map(|o| o.edition.language.name.as_str()),
            edit_url: self.edit_url(edition, page),
            moved_sections: self
                .redirects
                .iter()
                .find(|redirect| redirect.is_page && redirect.path == output_path)
                .map(|redirect| super::hosting::fragment_script(&redirect.fragments, None))
                .unwrap_or_default(),
        };
        let context = PageContext {
            common,
            page: view,
            previous,
            next,
        };
        self.render_template("page.html", &context, output_path)
    }

    /// "This chapter was written in the summer of 2018." and its siblings.
    pub(super) fn chapter_notes(
        &self,
        bodies: &EditionBodies<'_>,
        page: &Page,
        front_matter: Option<&FrontMatter>,
    ) -> Vec<String> {
        let Some(front_matter) = front_matter else {
            return Vec::new();
        };
        let ui = &bodies.strings;
        let typeset = |text: String| bodies.typographer.text(&text);
        let mut notes = Vec::new();
        if let Some(written) = &front_matter.written {
            notes.push(typeset(localize::fill(
                ui,
                "written_note",
                &[("written", written)],
            )));
        }
        if let Some(covers) = &front_matter.covers {
            notes.push(typeset(localize::fill(
                ui,
                "covers_note",
                &[("covers", covers)],
            )));
        }
        if front_matter.status.is_some() {
            let key = serde_json::to_value(page.status(&bodies.edition.language))
                .ok()
                .and_then(|value| value.as_str().map(|status| format!("status_{status}")))
                .unwrap_or_default();
            let status = ui.get(&key).cloned().unwrap_or(key);
            notes.push(localize::fill(ui, "status_note", &[("status", &status)]));
        }
        notes
    }

    pub(super) fn landing(&self, bodies: &EditionBodies<'_>) -> Result<OutputFile, Diagnostic> {
        let edition = bodies.edition;
        let output_path = Self::output_path(edition, "index.html");
        let chapter_count = edition.summary.chapters().count();
        let available_count = edition
            .pages
            .iter()
            .filter(|page| matches!(page.content, PageContent::Written(_)))
            .count();
        let complete_count = edition
            .pages
            .iter()
            .filter(|page| {
                matches!(
                    page.status(&edition.language),
                    PageStatus::Written | PageStatus::Translated
                )
            })
            .count();
        let percent = (complete_count * 100)
            .checked_div(chapter_count)
            .unwrap_or(0)
            .to_string();
        let completion_key = if edition.language.is_source {
            "completion_source"
        } else {
            "completion_translation"
        };
        let last_updated = self.last_updated(bodies);
        let context = LandingContext {
            downloads: self.downloads(bodies),
            completion: localize::fill(&bodies.strings, completion_key, &[("percent", &percent)]),
            last_updated,
            common: self.common(bodies, &output_path, None),
            chapter_count,
            available_count,
        };
        self.render_template("landing.html", &context, output_path)
    }

    pub(super) fn redirect(&self) -> Result<OutputFile, Diagnostic> {
        let source = &self.editions[0].edition.language;
        let context = RedirectContext {
            lang: &source.code,
            book_title: &source.title,
            target: format!("{}index.html", source.url_prefix),
            // Absolute, as a canonical link must be: only with `site-url`.
            canonical: self
                .site_url
                .as_ref()
                .map(|site| format!("{site}{}index.html", source.url_prefix)),
            alternates: self.alternates(self.editions[0].edition, "", None),
        };
        self.render_template("redirect.html", &context, "index.html".to_string())
    }

    /// `404.html`, served for any missing path: its links start from the site's root
    /// path (`/`, or the path of `site-url`) since it is shown at any depth.
    pub(super) fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        let bodies = &self.editions[0];
        let root = self.base_path.clone();
        let context = NotFoundContext {
            lang: &bodies.edition.language.code,
            book_title: &bodies.edition.language.title,
            color_scheme: self.book.config.color_scheme(),
            ui: &bodies.strings,
            stylesheets: prefixed(&root, &self.assets.stylesheets),
            alternates: self.alternates(bodies.edition, &root, None),
            text: self.not_found_text()?,
        };
        self.render_template("404.html", &context, "404.html".to_string())
    }

    /// `sitemap.xml`: every written page and landing page of every language, each with
    /// its translations as `xhtml:link` alternates.
    pub(super) fn sitemap(&self) -> OutputFile {
        let site = self
            .site_url
            .as_deref()
            .expect("sitemap jobs exist only with a site URL");
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for bodies in self.editions {
            let edition = bodies.edition;
            let written = edition
                .pages
                .iter()
                .filter(|page| matches!(page.content, PageContent::Written(_)))
                .map(|page| Some(page.path.as_str()));
            for current in std::iter::once(None).chain(written) {
                let target = current.map_or_else(|| "index.html".to_string(), html_path_of);
                xml.push_str(&format!(
                    "<url><loc>{}</loc>",
                    escape_xml(&format!(
                        "{site}{}{}",
                        edition.language.url_prefix,
                        href_of(&target)
                    ))
                ));
                for alternate in self
                    .alternates(edition, "", current)
                    .iter()
                    .filter(|a| a.same_page)
                {
                    let href = alternate.absolute.as_deref().unwrap_or(&alternate.href);
                    xml.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        escape_xml(&alternate.code),
                        escape_xml(href)
                    ));
                }
                xml.push_str("</url>\n");
            }
        }
        xml.push_str("</urlset>\n");
        OutputFile {
            path: "sitemap.xml".to_string(),
            bytes: Arc::new(xml.into_bytes()),
        }
    }

    /// "Last updated: ..." in the edition's language.
    pub(super) fn last_updated(&self, bodies: &EditionBodies<'_>) -> Option<String> {
        self.book.last_updated(bodies.edition).map(|date| {
            let date = localize::date(&bodies.strings, date);
            localize::fill(&bodies.strings, "last_updated", &[("date", &date)])
        })
    }

    /// `edit-url-template` with `{path}` the page's file under `[book] src`
    /// (`fr/chapters/01.md` in a multilingual book); none for a page without a file.
    fn edit_url(&self, edition: &Edition, page: &Page) -> Option<String> {
        let template = self.book.config.output.html.edit_url_template.as_deref()?;
        if !matches!(page.content, PageContent::Written(_)) {
            return None;
        }
        let directory = edition
            .language
            .src_dir
            .strip_prefix(&self.book.config.book.src)
            .unwrap_or(Path::new(""));
        let path = directory
            .join(&page.path)
            .to_string_lossy()
            .replace('\\', "/");
        Some(template.replace("{path}", &path))
    }
}

/// The longest description search engines and link previews show, in characters.
const DESCRIPTION_LENGTH: usize = 160;

/// The text of the first paragraph of `html` (a page body), cut at a word before
/// [`DESCRIPTION_LENGTH`] characters with an ellipsis: the page's own description.
fn first_paragraph(html: &str) -> Option<String> {
    let start = html.find("<p>")? + "<p>".len();
    let mut rest = &html[start..start + html[start..].find("</p>")?];
    // Footnote calls are not part of the sentence (left out in one pass: a stranger's
    // paragraph may call forty thousand).
    let mut paragraph = String::with_capacity(rest.len());
    while let Some(call) = rest.find("<sup class=\"footnote-reference\"") {
        paragraph.push_str(&rest[..call]);
        rest = rest[call..]
            .find("</sup>")
            .map_or("", |end| &rest[call + end + "</sup>".len()..]);
    }
    paragraph.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    for character in paragraph.chars() {
        match character {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(character),
            _ => {}
        }
    }
    // Plain text: the template escapes it again.
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= DESCRIPTION_LENGTH {
        return Some(text);
    }
    let cut: String = text.chars().take(DESCRIPTION_LENGTH - 1).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(words, _)| words);
    Some(format!("{}…", cut.trim_end_matches([',', ';', ':', '.'])))
}

#[cfg(test)]
mod tests {
    use super::first_paragraph;

    #[test]
    fn a_page_is_described_by_its_first_paragraph_cut_at_a_word() {
        let html = "<h1>T</h1>\n<p>Un <em>court</em> texte &amp; <code>&lt;p&gt;</code><sup class=\"footnote-reference\" id=\"r\"><a href=\"#fn-1\">1</a></sup>.</p><p>Suite.</p>";
        assert_eq!(first_paragraph(html).unwrap(), "Un court texte & <p>.");
        let long = format!("<p>{}</p>", "mot ".repeat(60));
        let described = first_paragraph(&long).unwrap();
        assert!(
            described.ends_with("mot…") && described.chars().count() <= 160,
            "{described}"
        );
        assert_eq!(first_paragraph("<pre>code</pre>"), None);
    }
}
