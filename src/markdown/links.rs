//! Links and images: `.md` links rewritten to pages and checked against the edition,
//! anchors recorded for checking once every page is rendered, images looked for in the
//! language's tree then the original's, and refused when they lead out of the book.

use super::AnchorLink;
use super::transform::Transform;
use crate::book::{href_of, html_path_of, path_of_href};
use crate::diagnostic::Diagnostic;
use pulldown_cmark::CowStr;
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// Raw HTML naming a local file (`file:` in a URL attribute or a CSS `url()`).
static LOCAL_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:\b(?:href|src|srcset|data|poster|action|formaction|background|xlink:href)\s*=\s*["']?|url\(\s*["']?)\s*file:"#)
        .expect("a valid pattern")
});

/// Raw HTML asking a PDF engine to attach what it links to.
static ATTACHMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\brel\s*=\s*["']?[^"'>]*\battachment\b"#).expect("a valid pattern")
});

impl<'a> Transform<'_, 'a> {
    /// Rewrites `chapter.md#x` to `chapter.html#x`, warning when the page does not exist.
    pub(super) fn rewrite_link(&mut self, destination: CowStr<'a>, offset: usize) -> CowStr<'a> {
        if let Some(fragment) = destination
            .strip_prefix('#')
            .filter(|fragment| !fragment.is_empty())
        {
            let line = self.line_of(offset);
            self.anchor_links.push(AnchorLink {
                page: self.source.page_path.to_string(),
                fragment: fragment.to_string(),
                line,
            });
        }
        if is_external(&destination) {
            return destination;
        }
        let (path, fragment) = match destination.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (destination.as_ref(), None),
        };
        if !path.ends_with(".md") {
            return destination;
        }
        let path = &path_of_href(path);
        let target = crate::book::resolve_link(self.source.page_path, path)
            .filter(|target| self.environment.pages.contains(target));
        if target.is_none() {
            // One warning for the missing page (none for the anchor in it).
            self.diagnostics.push(
                Diagnostic::warning(
                    "broken-link",
                    format!("link to `{path}`, which is not a page of this book"),
                )
                .in_file(self.source.file)
                .at_line(self.line_of(offset))
                .with_hint(self.missing_page_hint(path)),
            );
        }
        if let (Some(target), Some(fragment)) = (&target, fragment.filter(|f| !f.is_empty())) {
            let line = self.line_of(offset);
            self.anchor_links.push(AnchorLink {
                page: target.clone(),
                fragment: fragment.to_string(),
                line,
            });
        }
        let mut rewritten = href_of(&html_path_of(path));
        if let Some(fragment) = fragment {
            rewritten.push('#');
            rewritten.push_str(fragment);
        }
        rewritten.into()
    }

    /// "Did you mean" the page whose link from here is closest to `path`, else how to fix.
    fn missing_page_hint(&self, path: &str) -> String {
        let mut links: Vec<String> = self
            .environment
            .pages
            .iter()
            .map(|page| crate::book::relative_link(self.source.page_path, page))
            .collect();
        links.sort_unstable();
        let candidates: Vec<&str> = links.iter().map(String::as_str).collect();
        match crate::suggest::closest(path, &candidates) {
            Some(guess) => {
                format!("did you mean `{guess}`? Fix the path, or add the chapter to SUMMARY.md")
            }
            None => "fix the path, or add the chapter to SUMMARY.md".to_string(),
        }
    }

    /// Warns about raw HTML that names a local file or asks for an attachment: the site
    /// cannot show it, and the PDF engine (jailed in the site) refuses to fetch it.
    pub(super) fn check_raw_html(&mut self, html: &str, offset: usize) {
        let problem = if LOCAL_FILE.is_match(html) {
            "raw HTML here names a local file (`file:`)"
        } else if ATTACHMENT.is_match(html) {
            "raw HTML here asks for an attachment (`rel=\"attachment\"`)"
        } else {
            return;
        };
        self.diagnostics.push(
            Diagnostic::warning(
                "local-file",
                format!("{problem}; the PDF will not include it"),
            )
            .in_file(self.source.file)
            .at_line(self.line_of(offset))
            .with_hint("put the file in the book and link to it with a relative path"),
        );
    }

    /// Warns about an image that exists in none of the asset roots.
    pub(super) fn check_image(&mut self, source: &str, offset: usize) {
        if source.is_empty() || crate::book::is_external_link(source) {
            return;
        }
        let path = path_of_href(source.split(['#', '?']).next().unwrap_or_default());
        let found = crate::book::resolve_link(self.source.page_path, &path).and_then(|relative| {
            self.environment
                .asset_roots
                .iter()
                .map(|root| root.join(&relative))
                .find(|candidate| candidate.is_file())
        });
        if let Some(Err(escape)) = found
            .as_ref()
            .map(|file| self.environment.allowed.check(file))
        {
            let error = crate::confine::refusal(&escape, Path::new(source));
            self.diagnostics.push(
                error
                    .in_file(self.source.file)
                    .at_line(self.line_of(offset)),
            );
        }
        if found.is_none() {
            self.diagnostics.push(
                Diagnostic::warning(
                    "missing-image",
                    format!("the image `{source}` does not exist"),
                )
                .in_file(self.source.file)
                .at_line(self.line_of(offset))
                .with_hint("fix the path (relative to this page), or add the file"),
            );
        }
    }
}

fn is_external(destination: &str) -> bool {
    destination.starts_with('#') || crate::book::is_external_link(destination)
}
