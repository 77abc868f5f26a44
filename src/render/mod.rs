//! Pipeline step 3: lay rendered pages out as a website, in memory.
//!
//! [`theme`] loads templates and assets, [`assets`] produces the static files,
//! [`site`] renders every page of every language through the templates.

pub mod assets;
pub mod blocks;
pub mod cache;
pub mod epub;
pub mod localize;
pub mod rebase;
pub mod search;
pub mod site;
pub mod theme;

use std::sync::Arc;

/// A file of the output, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path with `/` separators, relative to the output root (`fr/chapters/01.html`).
    pub path: String,
    /// The bytes to write, shared (serve keeps unchanged pages between renders).
    pub bytes: Arc<Vec<u8>>,
}

/// The path from a file at `path` (relative to the output root) back to the root: `../../`.
pub fn path_to_root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}
