//! What one render leaves for the next, so that `serve` re-renders only what an edit
//! touched: captions and page bodies by content hash, and the HTML of every page, valid
//! while nothing that every page shows (configuration, theme, data, table of contents,
//! titles, statuses, figure numbers) has changed.

use crate::markdown::structure::Caption;
use crate::markdown::{Heading, RenderedMarkdown};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Identifies a page: language code and markdown path.
pub type PageKey = (String, String);

/// The render state kept between builds (empty for a one-off `folio build`).
#[derive(Default)]
pub struct RenderCache {
    /// False for a one-off build, which keeps nothing.
    enabled: bool,
    fingerprint: Option<u64>,
    captions: HashMap<PageKey, (u64, Vec<Caption>)>,
    bodies: HashMap<PageKey, (u64, Arc<RenderedMarkdown>)>,
    pages: HashMap<String, Arc<Vec<u8>>>,
    changed_files: HashSet<PathBuf>,
}

impl RenderCache {
    /// A cache that keeps renders for the next one (`serve`).
    pub fn enabled() -> Self {
        Self {
            enabled: true,
            ..Self::default()
        }
    }

    /// True when renders are kept for the next one.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Records files changed on disk since the last render (snippet and include
    /// sources), so that pages embedding them are rendered again.
    pub fn files_changed(&mut self, files: impl IntoIterator<Item = PathBuf>) {
        self.changed_files.extend(files);
    }

    /// Starts a render whose site-wide inputs hash to `fingerprint`; returns true when
    /// they changed, in which case every body and page is rendered again.
    pub(crate) fn begin(&mut self, fingerprint: u64) -> bool {
        if self.fingerprint == Some(fingerprint) {
            return false;
        }
        self.fingerprint = Some(fingerprint);
        self.bodies.clear();
        self.pages.clear();
        true
    }

    /// The captions of a page whose markdown hashes to `key`, if known.
    pub(crate) fn captions(&self, page: &PageKey, key: u64) -> Option<&Vec<Caption>> {
        self.captions
            .get(page)
            .filter(|(known, _)| *known == key)
            .map(|(_, captions)| captions)
    }

    /// The body of a page whose inputs hash to `key`, if none of its dependencies changed.
    pub(crate) fn body(&self, page: &PageKey, key: u64) -> Option<&Arc<RenderedMarkdown>> {
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
    pub(crate) fn headings_before(&self, page: &PageKey) -> Option<&[Heading]> {
        self.bodies
            .get(page)
            .map(|(_, body)| body.headings.as_slice())
    }

    /// The bytes a rendered file (page, landing page, contents script) had after the
    /// last render.
    pub(crate) fn page(&self, path: &str) -> Option<&Arc<Vec<u8>>> {
        self.pages.get(path)
    }

    /// Keeps what this render produced for the next one.
    pub(crate) fn keep(
        &mut self,
        captions: Vec<(PageKey, u64, Vec<Caption>)>,
        bodies: Vec<(PageKey, u64, Arc<RenderedMarkdown>)>,
        pages: Vec<(String, Arc<Vec<u8>>)>,
    ) {
        for (page, key, value) in captions {
            self.captions.insert(page, (key, value));
        }
        for (page, key, value) in bodies {
            self.bodies.insert(page, (key, value));
        }
        self.pages.extend(pages);
        self.changed_files.clear();
    }
}
