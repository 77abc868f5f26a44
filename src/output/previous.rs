//! The site a build replaces: the one handle on the previous output directory, opened
//! once per build. The render reads the files it may keep (search index, EPUBs, the
//! cache) through it; the writer links unchanged files to their old copies.

use super::marker::Marker;
use crate::render::PreviousFiles;
use std::fs;
use std::path::{Path, PathBuf};

/// A build directory holding a site folio wrote.
#[derive(Debug, Clone)]
pub struct Previous {
    directory: PathBuf,
    /// What folio wrote there, read once.
    marker: Marker,
}

impl Previous {
    /// The site in `destination`, when folio wrote it (its marker is there).
    pub fn open(destination: &Path) -> Option<Previous> {
        Some(Previous {
            directory: destination.to_path_buf(),
            marker: Marker::read(destination)?,
        })
    }

    /// The old copy of the file at `path` (relative to the site's root) when folio wrote
    /// it with bytes hashing to `hash` and it is still a regular file (not a link)
    /// holding exactly `bytes`.
    pub fn unchanged(&self, path: &str, bytes: &[u8], hash: &str) -> Option<PathBuf> {
        let (old, length) = self.vouched(path, hash)?;
        let same = length == bytes.len() as u64
            && crate::source_file::read_bytes(&old).is_ok_and(|old| old == bytes);
        same.then_some(old)
    }

    /// The old copy of the file at `path` when it is still the regular file folio wrote
    /// there (its bytes hash to what the marker says).
    pub fn intact(&self, path: &str) -> Option<PathBuf> {
        let hash = self.marker.hash(path)?;
        let (old, _) = self.vouched(path, hash)?;
        let bytes = crate::source_file::read_bytes(&old).ok()?;
        (crate::digest::sha256_hex(&bytes, 32) == hash).then_some(old)
    }

    /// The old copy of the file at `path` when folio wrote it with bytes hashing to `hash`
    /// and it is still a regular file with the same bytes as `staged` (compared a block
    /// at a time: the file may be too big to read whole).
    pub fn unchanged_file(&self, path: &str, staged: &Path, hash: &str) -> Option<PathBuf> {
        let (old, _) = self.vouched(path, hash)?;
        same_bytes(&old, staged).unwrap_or(false).then_some(old)
    }

    /// The old copy of `path` and its length, when the marker says folio wrote it with
    /// bytes hashing to `hash` and it is still a regular file (not a link).
    fn vouched(&self, path: &str, hash: &str) -> Option<(PathBuf, u64)> {
        if self.marker.hash(path) != Some(hash) {
            return None;
        }
        let old = self.directory.join(path);
        let meta = fs::symlink_metadata(&old)
            .ok()
            .filter(fs::Metadata::is_file)?;
        Some((old, meta.len()))
    }
}

/// True when the files at `a` and `b` hold the same bytes.
fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let (mut a, mut b) = (fs::File::open(a)?, fs::File::open(b)?);
    if a.metadata()?.len() != b.metadata()?.len() {
        return Ok(false);
    }
    let (mut block_a, mut block_b) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let read = a.read(&mut block_a)?;
        if read == 0 {
            return Ok(true);
        }
        b.read_exact(&mut block_b[..read])?;
        if block_a[..read] != block_b[..read] {
            return Ok(false);
        }
    }
}

impl PreviousFiles for Previous {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        crate::source_file::read_bytes(&self.directory.join(path)).ok()
    }
}
