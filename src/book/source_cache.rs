//! Page files as read and split in an earlier load, kept by `serve` so that a rebuild
//! reads, checks and hashes only the files whose size or modification time changed.

use super::front_matter::{self, FrontMatter, SplitPage};
use super::translation;
use crate::confine::{Escape, Root};
use crate::diagnostic::Diagnostic;
use crate::source_file::read_text;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// A page file read, split from its front matter and hashed.
#[derive(Debug)]
pub struct ParsedFile {
    /// The body (front matter removed), shared by every load that finds it unchanged.
    pub markdown: Arc<str>,
    /// The file line where `markdown` starts.
    pub first_line: usize,
    /// The page's metadata.
    pub front_matter: FrontMatter,
    /// Problems with the front matter that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// The hash translations record as their `source-hash`.
    pub content_hash: String,
    /// A hash of the exact body, for render caches.
    pub body_key: u64,
}

/// What tells a file's versions apart without reading it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    length: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl Stamp {
    /// The stamp of `path` itself (a link is not followed: replacing the file by a
    /// link, or a directory above it by one, changes it).
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        Some(Stamp {
            length: meta.len(),
            modified: meta.modified().ok(),
            inode: std::os::unix::fs::MetadataExt::ino(&meta),
        })
    }
}

/// The files of earlier loads; empty and unused for a one-off load.
#[derive(Default)]
pub struct SourceCache {
    enabled: bool,
    files: Mutex<HashMap<PathBuf, (Stamp, Arc<ParsedFile>)>>,
    confined: Mutex<HashMap<PathBuf, Stamp>>,
}

impl SourceCache {
    /// A cache that keeps files for the next load (`serve`).
    pub fn enabled() -> Self {
        Self {
            enabled: true,
            ..Self::default()
        }
    }

    /// Checks that `path` lies inside `allowed` (see [`Root::check`]); a file found
    /// inside before and unchanged since is not resolved again.
    pub fn check(&self, allowed: &Root, path: &Path) -> Result<(), Escape> {
        let stamp = self.enabled.then(|| Stamp::of(path)).flatten();
        let known = stamp.and_then(|_| lock(&self.confined).get(path).copied());
        if stamp.is_some() && known == stamp {
            return Ok(());
        }
        allowed.check(path)?;
        if let Some(stamp) = stamp {
            lock(&self.confined).insert(path.to_path_buf(), stamp);
        }
        Ok(())
    }

    /// The file at `path` read and split, from the cache when it has not changed since.
    pub fn parse(&self, path: &Path) -> Result<Arc<ParsedFile>, Diagnostic> {
        if !self.enabled {
            return parse_file(path).map(Arc::new);
        }
        let stamp = Stamp::of(path);
        let known = lock(&self.files).get(path).cloned();
        if let (Some(stamp), Some((known_stamp, parsed))) = (stamp, known)
            && stamp == known_stamp
        {
            return Ok(parsed);
        }
        let parsed = Arc::new(parse_file(path)?);
        if let Some(stamp) = stamp {
            lock(&self.files).insert(path.to_path_buf(), (stamp, Arc::clone(&parsed)));
        }
        Ok(parsed)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Each update is one insert: a panic elsewhere cannot leave a map half-written.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn parse_file(path: &Path) -> Result<ParsedFile, Diagnostic> {
    let text = read_text(path)?;
    let SplitPage {
        front_matter,
        body,
        body_first_line,
        warnings,
    } = front_matter::split(&text, path)?;
    Ok(ParsedFile {
        content_hash: translation::content_hash(&body),
        body_key: crate::render::cache::hash_of(&body),
        markdown: body.into(),
        first_line: body_first_line,
        front_matter,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_file_is_not_read_again_and_a_changed_one_is() {
        let directory =
            std::env::temp_dir().join(format!("folio-source-cache-{}", std::process::id()));
        std::fs::create_dir_all(&directory).unwrap();
        let file = directory.join("page.md");
        std::fs::write(&file, "one").unwrap();
        let cache = SourceCache::enabled();
        let first = cache.parse(&file).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.parse(&file).unwrap()));
        std::fs::write(&file, "two!").unwrap();
        assert_eq!(&*cache.parse(&file).unwrap().markdown, "two!");
        std::fs::remove_dir_all(&directory).unwrap();
    }
}
