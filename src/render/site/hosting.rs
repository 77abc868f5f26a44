//! What hosting the site asks for beyond its pages, from mdBook's `[output.html]` keys:
//! a redirect page at each path that moved (`redirect`), the `CNAME` file (`cname`),
//! and the 404 page's own text (`input-404`).

use super::SiteRenderer;
use crate::diagnostic::Diagnostic;
use crate::escape::escape_html;
use crate::render::OutputFile;
use std::sync::Arc;

impl SiteRenderer<'_> {
    /// The output path of each `[output.html.redirect]` entry, checked: inside the site,
    /// an `.html` file, never one of the book's own files.
    pub(super) fn redirect_paths(&self) -> Result<Vec<(String, String)>, Diagnostic> {
        let html = &self.book.config.output.html;
        let config_file = self.book.root.join(crate::config::CONFIG_FILE);
        let taken: std::collections::HashSet<String> = self
            .editions
            .iter()
            .flat_map(|bodies| {
                bodies
                    .edition
                    .pages
                    .iter()
                    .map(|page| Self::output_path(bodies.edition, &page.html_path()))
            })
            .collect();
        html.redirect
            .iter()
            .map(|(from, to)| {
                let refuse = |why: &str| {
                    Diagnostic::error("config", format!("redirect `{from}`: {why}"))
                        .in_file(&config_file)
                        .at_line(crate::toml_input::line_of_key_in(&config_file, from.trim_matches('"')))
                        .with_hint("write the old page's path from the site's root (`/old/page.html`) and where it moved, relative to it or absolute (`https://...`)")
                };
                let path = crate::confine::normalize(from.trim_start_matches('/'))
                    .map_err(|_| refuse("the path leaves the site"))?;
                if !path.ends_with(".html") {
                    return Err(refuse("the old path must name an `.html` page"));
                }
                if taken.contains(&path) {
                    return Err(refuse("a page of the book is written there"));
                }
                let scheme = to.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
                if scheme.is_some_and(|scheme| !matches!(scheme.as_str(), "http" | "https")) {
                    return Err(refuse("the new address must be a path or an http(s) URL"));
                }
                Ok((path, to.clone()))
            })
            .collect()
    }

    /// A page at `path` that sends the reader to `to`.
    pub(super) fn moved_page(&self, path: &str, to: &str) -> OutputFile {
        let title = &self.editions[0].edition.language.title;
        let target = escape_html(to);
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n<link rel=\"canonical\" href=\"{target}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p><a href=\"{target}\">{target}</a></p>\n</body>\n</html>\n",
            escape_html(&self.editions[0].edition.language.code),
            escape_html(title),
        );
        OutputFile {
            path: path.to_string(),
            bytes: Arc::from(html.into_bytes()),
        }
    }

    /// `CNAME`: the domain the site is served at, for GitHub Pages.
    pub(super) fn cname(&self, domain: &str) -> Result<OutputFile, Diagnostic> {
        let domain = domain.trim();
        if domain.is_empty()
            || !domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            let config_file = self.book.root.join(crate::config::CONFIG_FILE);
            return Err(Diagnostic::error(
                "config",
                format!("`cname = \"{domain}\"` is not a domain name"),
            )
            .in_file(&config_file)
            .at_line(crate::toml_input::line_of_key_in(&config_file, "cname"))
            .with_hint("write the domain only, such as `book.example.org`"));
        }
        Ok(OutputFile {
            path: "CNAME".to_string(),
            bytes: Arc::from(format!("{domain}\n").into_bytes()),
        })
    }

    /// The 404 page's text from `input-404` (default `404.md` under `[book] src`, then
    /// under the source language's directory), as HTML; `None` for folio's own text.
    pub(super) fn not_found_text(&self) -> Result<Option<String>, Diagnostic> {
        let config = &self.book.config;
        let name = config.output.html.input_404.as_deref().unwrap_or("404.md");
        if name.is_empty() {
            return Ok(None);
        }
        let source_dir = &self.editions[0].edition.language.src_dir;
        let candidates = [config.book.src.join(name), source_dir.join(name)];
        let Some(file) = candidates
            .iter()
            .map(|relative| self.book.root.join(relative))
            .find(|path| crate::confine::is_present(path))
        else {
            return Ok(None);
        };
        let markdown = self.book.allowed.read_text(&file)?;
        let parser = pulldown_cmark::Parser::new_ext(
            &markdown,
            pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
        );
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, parser);
        Ok(Some(html))
    }
}
