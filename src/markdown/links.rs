//! Links and images: `.md` links rewritten to pages and checked against the edition,
//! anchors recorded for checking once every page is rendered, images looked for in the
//! language's tree then the original's, and refused when they lead out of the book.

use super::AnchorLink;
use super::transform::Transform;
use crate::book::html_path_of;
use crate::diagnostic::Diagnostic;
use pulldown_cmark::CowStr;
use std::path::Path;

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
        let target = crate::book::resolve_link(self.source.page_path, path);
        if !target
            .as_ref()
            .is_some_and(|t| self.environment.pages.contains(t))
        {
            self.diagnostics.push(
                Diagnostic::warning(
                    "broken-link",
                    format!("link to `{path}`, which is not a page of this book"),
                )
                .in_file(self.source.file)
                .at_line(self.line_of(offset))
                .with_hint("fix the path, or add the chapter to SUMMARY.md"),
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
        let mut rewritten = html_path_of(path);
        if let Some(fragment) = fragment {
            rewritten.push('#');
            rewritten.push_str(fragment);
        }
        rewritten.into()
    }

    /// Warns about an image that exists in none of the asset roots.
    pub(super) fn check_image(&mut self, source: &str, offset: usize) {
        if source.is_empty() || crate::book::is_external_link(source) {
            return;
        }
        let path = source.split(['#', '?']).next().unwrap_or_default();
        let found = crate::book::resolve_link(self.source.page_path, path).and_then(|relative| {
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
