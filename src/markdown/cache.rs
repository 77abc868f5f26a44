//! What step 2 leaves for the next render, so that `serve` renders again only the pages
//! an edit touched: each page's captions by the hash of its markdown, and its body by
//! the hash of its inputs, dropped when a file it embeds changed.

use super::structure::Caption;
use super::{Heading, RenderedMarkdown};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Identifies a page: language code and markdown path.
pub type PageKey = (String, String);

/// The markdown results kept between renders (empty for a one-off `folio build`).
#[derive(Default)]
pub struct MarkdownCache {
    /// False for a one-off build, which keeps nothing.
    enabled: bool,
    captions: HashMap<PageKey, (u64, Vec<Caption>)>,
    bodies: HashMap<PageKey, (u64, Arc<RenderedMarkdown>)>,
    changed_files: HashSet<PathBuf>,
}

impl MarkdownCache {
    /// A cache that keeps results for the next render (`serve`).
    pub fn enabled() -> Self {
        Self {
            enabled: true,
            ..Self::default()
        }
    }

    /// True when results are kept for the next render.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Records files changed on disk since the last render (snippet and include
    /// sources), so that pages embedding them are rendered again.
    pub fn files_changed(&mut self, files: impl IntoIterator<Item = PathBuf>) {
        self.changed_files.extend(files);
    }

    /// Forgets every body: something every page shows changed.
    pub fn forget_bodies(&mut self) {
        self.bodies.clear();
    }

    /// The captions of a page whose markdown hashes to `key`, if known.
    pub fn captions(&self, page: &PageKey, key: u64) -> Option<&Vec<Caption>> {
        self.captions
            .get(page)
            .filter(|(known, _)| *known == key)
            .map(|(_, captions)| captions)
    }

    /// The body of a page whose inputs hash to `key`, if none of its dependencies changed.
    pub fn body(&self, page: &PageKey, key: u64) -> Option<&Arc<RenderedMarkdown>> {
        self.bodies
            .get(page)
            .filter(|(known, body)| *known == key && !self.touches(&body.dependencies))
            .map(|(_, body)| body)
    }

    /// True when a changed file is one of `dependencies` or inside one (a git directory).
    fn touches(&self, dependencies: &[PathBuf]) -> bool {
        dependencies.iter().any(|dependency| {
            self.changed_files
                .iter()
                .any(|changed| changed.starts_with(dependency))
        })
    }

    /// The headings a page's body had after the last render, whatever its inputs were.
    pub fn headings_before(&self, page: &PageKey) -> Option<&[Heading]> {
        self.bodies
            .get(page)
            .map(|(_, body)| body.headings.as_slice())
    }

    /// Keeps this render's captions and bodies for the next one.
    pub fn keep(
        &mut self,
        captions: Vec<(PageKey, u64, Vec<Caption>)>,
        bodies: Vec<(PageKey, u64, Arc<RenderedMarkdown>)>,
    ) {
        for (page, key, value) in captions {
            self.captions.insert(page, (key, value));
        }
        for (page, key, value) in bodies {
            self.bodies.insert(page, (key, value));
        }
        self.changed_files.clear();
    }
}
