//! Page files as read and split in an earlier load, kept by `serve` so that a rebuild
//! resolves, reads and hashes only the files whose size, modification time or inode
//! changed.

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

/// What tells a file's versions apart without reading it: the path itself (replacing
/// the file by a link, or a directory above it by one, changes it) and, for a link, the
/// file it leads to (editing that file changes it).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    path: Version,
    target: Option<Version>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Version {
    length: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl Version {
    fn of(meta: &std::fs::Metadata) -> Version {
        Version {
            length: meta.len(),
            modified: meta.modified().ok(),
            inode: std::os::unix::fs::MetadataExt::ino(meta),
        }
    }
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        let target = meta.file_type().is_symlink().then(|| {
            std::fs::metadata(path)
                .ok()
                .map(|target| Version::of(&target))
        });
        Some(Stamp {
            path: Version::of(&meta),
            target: target.flatten(),
        })
    }
}

/// Why a page file could not be taken.
pub enum ReadFailure {
    /// It lies outside the allowed root.
    Outside(Escape),
    /// It could not be read or split.
    Invalid(Diagnostic),
}

/// The files of earlier loads; empty and unused for a one-off load.
#[derive(Default)]
pub struct SourceCache {
    enabled: bool,
    files: Mutex<HashMap<PathBuf, (Stamp, Arc<ParsedFile>)>>,
}

impl SourceCache {
    /// A cache that keeps files for the next load (`serve`).
    pub fn enabled() -> Self {
        Self {
            enabled: true,
            ..Self::default()
        }
    }

    /// The page file at `path` checked to lie inside `allowed`, read and split; `None`
    /// when there is no such file. A file taken before and unchanged since comes from
    /// the cache, neither resolved nor read again.
    pub fn read(
        &self,
        allowed: &Root,
        path: &Path,
    ) -> Result<Option<Arc<ParsedFile>>, ReadFailure> {
        let stamp = self.enabled.then(|| Stamp::of(path)).flatten();
        if let Some(stamp) = stamp
            && let Some((known, parsed)) = lock(&self.files).get(path)
            && *known == stamp
        {
            return Ok(Some(Arc::clone(parsed)));
        }
        allowed.check(path).map_err(ReadFailure::Outside)?;
        if !path.is_file() {
            return Ok(None);
        }
        let parsed = Arc::new(parse_file(path).map_err(ReadFailure::Invalid)?);
        if let Some(stamp) = stamp {
            lock(&self.files).insert(path.to_path_buf(), (stamp, Arc::clone(&parsed)));
        }
        Ok(Some(parsed))
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
        mut warnings,
    } = front_matter::split(&text, path)?;
    let body = match crate::source_file::replace_forbidden_characters(&body) {
        Some((replaced, lines)) => {
            warnings.extend(crate::source_file::forbidden_character_warnings(
                path,
                &lines,
                body_first_line,
            ));
            replaced
        }
        None => body,
    };
    Ok(ParsedFile {
        content_hash: translation::content_hash(&body),
        body_key: crate::digest::hash_of(&body),
        markdown: body.into(),
        first_line: body_first_line,
        front_matter,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(cache: &SourceCache, root: &Root, path: &Path) -> Arc<ParsedFile> {
        match cache.read(root, path) {
            Ok(Some(parsed)) => parsed,
            _ => panic!("{} is a readable page inside the root", path.display()),
        }
    }

    #[test]
    fn an_unchanged_file_is_not_read_again_and_a_changed_one_is() {
        let directory = tempfile::tempdir().unwrap();
        let root = Root::new(directory.path()).unwrap();
        let file = directory.path().join("page.md");
        std::fs::write(&file, "one").unwrap();
        let cache = SourceCache::enabled();
        let first = read(&cache, &root, &file);
        assert!(Arc::ptr_eq(&first, &read(&cache, &root, &file)));
        std::fs::write(&file, "two!").unwrap();
        assert_eq!(&*read(&cache, &root, &file).markdown, "two!");
        assert!(matches!(
            cache.read(&root, &directory.path().join("none.md")),
            Ok(None)
        ));
    }

    #[test]
    fn a_link_is_read_again_when_the_file_it_leads_to_changes() {
        let directory = tempfile::tempdir().unwrap();
        let root = Root::new(directory.path()).unwrap();
        let target = directory.path().join("target.md");
        let link = directory.path().join("link.md");
        std::fs::write(&target, "one").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let cache = SourceCache::enabled();
        assert_eq!(&*read(&cache, &root, &link).markdown, "one");
        std::fs::write(&target, "two!").unwrap();
        assert_eq!(&*read(&cache, &root, &link).markdown, "two!");
    }

    #[test]
    fn a_file_replaced_by_a_link_out_of_the_root_is_refused_even_when_cached() {
        let outside = tempfile::tempdir().unwrap();
        let directory = tempfile::tempdir().unwrap();
        let root = Root::new(directory.path()).unwrap();
        let file = directory.path().join("page.md");
        std::fs::write(&file, "one").unwrap();
        std::fs::write(outside.path().join("secret.md"), "one").unwrap();
        let cache = SourceCache::enabled();
        read(&cache, &root, &file);
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.md"), &file).unwrap();
        assert!(matches!(
            cache.read(&root, &file),
            Err(ReadFailure::Outside(_))
        ));
    }
}
