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

/// The directory, inside the build directory, for what one build leaves for the next
/// (highlighted code, the search index's key); safe to delete.
pub const CACHE_DIR: &str = ".folio-cache";

/// The files of the site a build replaces, which the render keeps when their inputs are
/// unchanged (the search index, the EPUBs, the cache).
pub trait PreviousFiles: Send + Sync {
    /// The bytes of the previous site's file at `path` (relative to its root), if any.
    fn read(&self, path: &str) -> Option<Vec<u8>>;
}

/// Where a build puts each file as soon as it is rendered (the staging directory), so
/// that the site is not held in memory until the end.
pub trait FileSink: Sync {
    /// Writes `file`, which the caller may then drop.
    fn put(&self, file: &OutputFile) -> Result<(), crate::diagnostic::Diagnostic>;

    /// Writes the file at `path` piece by piece, as `write` produces it: a file too big
    /// to hold whole (a big book's print page).
    fn put_streamed(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), crate::diagnostic::Diagnostic>;
}

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
