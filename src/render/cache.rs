//! What one render of the site leaves for the next, so that `serve` lays out again only
//! what an edit touched: the HTML of every page, valid while nothing that every page
//! shows (configuration, theme, data, table of contents, titles, statuses, figure
//! numbers) has changed. The page bodies are step 2's ([`crate::markdown::cache`]).

use std::collections::HashMap;
use std::sync::Arc;

/// The rendered files kept between renders (empty for a one-off `folio build`).
#[derive(Default)]
pub struct RenderCache {
    /// False for a one-off build, which keeps nothing.
    enabled: bool,
    fingerprint: Option<u64>,
    pages: HashMap<String, Arc<Vec<u8>>>,
}

impl RenderCache {
    /// A cache that keeps renders for the next one (`serve`).
    pub fn enabled() -> Self {
        Self {
            enabled: true,
            ..Self::default()
        }
    }

    /// Starts a render whose site-wide inputs hash to `fingerprint`; returns true when
    /// they changed, in which case every page is rendered again.
    pub fn begin(&mut self, fingerprint: u64) -> bool {
        if self.fingerprint == Some(fingerprint) {
            return false;
        }
        self.fingerprint = Some(fingerprint);
        self.pages.clear();
        true
    }

    /// The bytes a rendered file (page, landing page, contents script) had after the
    /// last render.
    pub fn page(&self, path: &str) -> Option<&Arc<Vec<u8>>> {
        self.pages.get(path)
    }

    /// Keeps this render's files for the next one.
    pub fn keep(&mut self, pages: Vec<(String, Arc<Vec<u8>>)>) {
        if self.enabled {
            self.pages.extend(pages);
        }
    }
}
