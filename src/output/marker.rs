//! The `.folio-build` marker: every file folio wrote into a build directory, with the
//! SHA-256 of its bytes. folio replaces or removes a directory only when every file in
//! it is listed there with those very bytes: a file added by hand, or changed since,
//! is never deleted; a marker that lists nothing vouches for nothing. Data folio derives
//! and checks itself (its cache, the search index) may differ: a damaged file there is
//! folio's to replace.

use crate::diagnostic::Diagnostic;
use crate::digest::sha256_hex;
use crate::render::CACHE_DIR;
use crate::render::search::SEARCH_DIR;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The file folio leaves in every output directory it writes.
pub const MARKER_FILE: &str = ".folio-build";

/// The marker's first line; `SHA-256  path` lines follow, one per file.
const HEADER: &str = "This directory was written by folio; `folio build` replaces it and `folio clean` removes it. Files folio wrote (SHA-256, path):";

/// What a marker says folio wrote: each file's hash by its `/`-separated path.
#[derive(Debug, Clone, Default)]
pub struct Marker {
    files: BTreeMap<String, String>,
}

impl Marker {
    /// The marker of `directory`, when it has one in this format that lists files.
    pub fn read(directory: &Path) -> Option<Marker> {
        let bytes = crate::source_file::read_bytes(&directory.join(MARKER_FILE)).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let files: BTreeMap<String, String> = lines
            .map(|line| {
                let (hash, path) = line.split_once("  ")?;
                let well_formed = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
                well_formed.then(|| (path.to_string(), hash.to_string()))
            })
            .collect::<Option<_>>()?;
        (!files.is_empty()).then_some(Marker { files })
    }

    /// Records that the file at `path` holds bytes hashing to `hash`.
    pub fn insert(&mut self, path: String, hash: String) {
        self.files.insert(path, hash);
    }

    /// The paths listed, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The hash the file at `path` had when folio wrote it.
    pub fn hash(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Writes the marker into `directory`.
    pub fn write(&self, directory: &Path) -> Result<(), Diagnostic> {
        let mut text = format!("{HEADER}\n");
        for (path, hash) in &self.files {
            text.push_str(&format!("{hash}  {path}\n"));
        }
        let path = directory.join(MARKER_FILE);
        fs::write(&path, text).map_err(|error| {
            Diagnostic::error(
                "write-failed",
                format!("cannot write {}: {error}", path.display()),
            )
            .with_hint("check the permissions and free space of the output directory")
        })
    }

    /// The files under `directory` that this marker does not vouch for: not listed, not
    /// a regular file (a link), or with other bytes than folio wrote.
    pub fn foreign_files(&self, directory: &Path) -> Vec<String> {
        files_under(directory)
            .into_iter()
            .filter(|path| path != MARKER_FILE)
            .filter(|path| {
                let file = directory.join(path);
                let is_regular = fs::symlink_metadata(&file).is_ok_and(|meta| meta.is_file());
                let written = self.hash(path).is_some_and(|hash| {
                    is_regular
                        && (is_derived(path)
                            || crate::source_file::read_bytes(&file)
                                .is_ok_and(|bytes| sha256_hex(&bytes, 32) == hash))
                });
                !written
            })
            .collect()
    }
}

/// True for a file of data folio derives and verifies itself before use (the cache, the
/// search index), which it may replace even when damaged.
fn is_derived(path: &str) -> bool {
    [CACHE_DIR, SEARCH_DIR].iter().any(|directory| {
        path.strip_prefix(directory)
            .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Every file (and symbolic link) under `root`, relative, `/`-separated, sorted.
pub fn files_under(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| {
            let relative = entry.path().strip_prefix(root).ok()?;
            Some(relative.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    files.sort();
    files
}
