//! What hosting the site asks for beyond its pages, from mdBook's `[output.html]` keys:
//! a redirect page at each path that moved (`redirect`), the `CNAME` file (`cname`),
//! and the 404 page's own text (`input-404`).

use super::SiteRenderer;
use crate::diagnostic::Diagnostic;
use crate::escape::escape_html;
use crate::render::OutputFile;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One old page's path and where it, or some of its sections, moved.
#[derive(Debug, Clone)]
pub(super) struct Redirect {
    /// The old page, from the site's root (`old/page.html`).
    pub(super) path: String,
    /// Where the whole page went; `None` when it is still a page of the book.
    pub(super) to: Option<String>,
    /// True when the path is a page of the book: its moved sections are redirected by a
    /// script in the page itself.
    pub(super) is_page: bool,
    /// Where each moved fragment (`#old-id`) went.
    pub(super) fragments: BTreeMap<String, String>,
}

/// The script that sends a reader arriving at one of `moved`'s fragments to where it
/// went; with `otherwise`, any other fragment goes there with its `#` kept (a page that
/// moved whole). Empty when nothing moved.
pub(super) fn fragment_script(moved: &BTreeMap<String, String>, otherwise: Option<&str>) -> String {
    if moved.is_empty() {
        return String::new();
    }
    // JSON in a script: `</` could close it.
    let map = serde_json::to_string(moved)
        .expect("a map of strings serializes")
        .replace("</", "<\\/");
    let fallback = match otherwise {
        Some(to) => format!(
            "else if (location.hash) {{ var url = new URL({}, location.href); url.hash = location.hash; location.replace(url.href); }}",
            serde_json::to_string(to)
                .expect("a string serializes")
                .replace("</", "<\\/")
        ),
        None => String::new(),
    };
    format!(
        "<script>(function () {{ var moved = {map}; var target = moved[location.hash]; if (target) {{ location.replace(new URL(target, location.href).href); }} {fallback} }})();</script>\n"
    )
}

impl SiteRenderer<'_> {
    /// The `[output.html.redirect]` entries, checked and grouped as mdBook groups them:
    /// for each old page's path (inside the site, an `.html` file), where it moved (none
    /// when only some of its fragments did and the page is one of the book's) and where
    /// each of its moved fragments (`#old`) went.
    pub(super) fn redirect_paths(&self) -> Result<Vec<Redirect>, Diagnostic> {
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
        let mut grouped: std::collections::BTreeMap<String, Redirect> = Default::default();
        for (from, to) in &html.redirect {
            let refuse = |why: &str| {
                Diagnostic::error("config", format!("redirect `{from}`: {why}"))
                    .in_file(&config_file)
                    .at_line(crate::toml_input::line_of_key_in(&config_file, from.trim_matches('"')))
                    .with_hint("write the old page's path from the site's root (`/old/page.html`, or `/page.html#old-id` for a moved section) and where it moved, relative to it or absolute (`https://...`)")
            };
            let (written, fragment) = match from.rsplit_once('#') {
                Some((path, fragment)) => (path, Some(format!("#{fragment}"))),
                None => (from.as_str(), None),
            };
            let path = crate::confine::normalize(written.trim_start_matches('/'))
                .map_err(|_| refuse("the path leaves the site"))?;
            if !path.ends_with(".html") {
                return Err(refuse("the old path must name an `.html` page"));
            }
            let is_page = taken.contains(&path);
            if is_page && fragment.is_none() {
                return Err(refuse("a page of the book is written there"));
            }
            let scheme = to
                .split_once(':')
                .map(|(scheme, _)| scheme.to_ascii_lowercase());
            if scheme.is_some_and(|scheme| !matches!(scheme.as_str(), "http" | "https")) {
                return Err(refuse("the new address must be a path or an http(s) URL"));
            }
            let entry = grouped.entry(path.clone()).or_insert_with(|| Redirect {
                path,
                to: None,
                is_page,
                fragments: Default::default(),
            });
            match fragment {
                Some(fragment) => {
                    entry.fragments.insert(fragment, to.clone());
                }
                None => entry.to = Some(to.clone()),
            }
        }
        grouped
            .into_values()
            .map(|redirect| {
                if redirect.to.is_none() && !redirect.is_page {
                    return Err(Diagnostic::error(
                        "config",
                        format!("redirect `/{}`: only some of its `#` fragments have a destination", redirect.path),
                    )
                    .in_file(&config_file)
                    .with_hint("add the page's own entry (without `#`): where a reader of any other part of it goes"));
                }
                Ok(redirect)
            })
            .collect()
    }

    /// A page at `path` that sends the reader to `to`, or, for a fragment `moved`
    /// lists, where it went (the fragment kept otherwise, as mdBook does).
    pub(super) fn moved_page(
        &self,
        path: &str,
        to: &str,
        moved: &BTreeMap<String, String>,
    ) -> OutputFile {
        let title = &self.editions[0].edition.language.title;
        let target = escape_html(to);
        let script = fragment_script(moved, Some(to));
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n<link rel=\"canonical\" href=\"{target}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p><a href=\"{target}\">{target}</a></p>\n{script}</body>\n</html>\n",
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
