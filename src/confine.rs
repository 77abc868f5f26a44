//! Path confinement: the one rule for every path a book names (SUMMARY.md entries,
//! pages, includes, snippets, images and other assets, theme overrides, data files,
//! additional CSS and JavaScript). A path is written relative, never climbs above where
//! it starts (`..`), and, once symbolic links are followed, the file it names lies inside
//! an allowed root: the book's directory, or a snippet source directory the book
//! declares. Anything else is refused before a byte is read.

use crate::diagnostic::Diagnostic;
use crate::source_file::read_text;
use std::path::{Component, Path, PathBuf};

/// A directory that reads may not leave, held by its real (canonical) path.
#[derive(Debug, Clone)]
pub struct Root {
    real: PathBuf,
}

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escape {
    /// An absolute path (`/etc/passwd`, `C:\...`).
    Absolute,
    /// A path whose `..` climb above where it starts.
    Climbs,
    /// A path that leads outside the root through a symbolic link.
    Link {
        /// Where the link really leads.
        target: PathBuf,
    },
    /// A path whose symbolic links lead back to themselves.
    Loop,
}

impl Escape {
    /// What went wrong with `written` (the path as the book wrote it), in a sentence;
    /// `root` names the directory it may not leave ("the book").
    pub fn describe(&self, written: &str, root: &str) -> String {
        match self {
            Escape::Absolute => format!("`{written}` is an absolute path, outside {root}"),
            Escape::Climbs => format!("`{written}` climbs out of {root} with `..`"),
            Escape::Link { target } => format!(
                "`{written}` is a symbolic link to {}, outside {root}",
                target.display()
            ),
            Escape::Loop => format!("`{written}` is a loop of symbolic links"),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            Escape::Loop => "a link in this path leads back to itself: fix or remove the link",
            _ => {
                "keep the files a book uses inside its directory (or inside a declared [snippets.sources] directory); copy the file in instead of linking to it"
            }
        }
    }
}

impl Root {
    /// The root at `path`, which must exist.
    pub fn new(path: &Path) -> std::io::Result<Self> {
        Ok(Self {
            real: path.canonicalize()?,
        })
    }

    /// The root's real path.
    pub fn path(&self) -> &Path {
        &self.real
    }

    /// `written` (a path from the book, `/`-separated) taken from the directory `base`,
    /// after checking that it stays inside the root. A file that does not exist is not an
    /// escape: the caller reports it as missing.
    pub fn join(&self, base: &Path, written: &str) -> Result<PathBuf, Escape> {
        if is_absolute(written) {
            return Err(Escape::Absolute);
        }
        let base = self.check(base)?;
        let joined = lexically_normal(&base.join(written.replace('\\', "/")));
        if !joined.starts_with(&self.real) {
            return Err(Escape::Climbs);
        }
        self.check(&joined)
    }

    /// `path` (absolute, or relative to the working directory) when its real location is
    /// inside the root: the part of the path that exists is resolved through its links.
    pub fn check(&self, path: &Path) -> Result<PathBuf, Escape> {
        let Resolved {
            existing,
            real,
            missing,
        } = resolve(path).ok_or(Escape::Climbs)?;
        let climbs = path
            .components()
            .any(|component| component == Component::ParentDir);
        let real = real.map_err(|error| {
            if error.raw_os_error() == Some(libc::ELOOP) {
                Escape::Loop
            } else if climbs {
                Escape::Climbs
            } else {
                Escape::Absolute
            }
        })?;
        if real.starts_with(&self.real) {
            return Ok(joined(real, &missing));
        }
        Err(if is_link_below(&existing) {
            Escape::Link { target: real }
        } else if climbs {
            Escape::Climbs
        } else {
            Escape::Absolute
        })
    }

    /// The text of the file at `path`, refused when it lies outside the root.
    pub fn read_text(&self, path: &Path) -> Result<String, Diagnostic> {
        let inside = self.check(path).map_err(|escape| refusal(&escape, path))?;
        read_text(&inside).map_err(|error| error.in_file(path))
    }

    /// The bytes of the file at `path`, refused when it lies outside the root.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Diagnostic> {
        let inside = self.check(path).map_err(|escape| refusal(&escape, path))?;
        crate::source_file::read_bytes(&inside).map_err(|error| error.in_file(path))
    }
}

/// The error for a book file at `path` that escapes: in that file; callers that know
/// the line naming it put it there instead.
pub fn refusal(escape: &Escape, path: &Path) -> Diagnostic {
    Diagnostic::error(
        "outside-book",
        escape.describe(&path.to_string_lossy(), "the book"),
    )
    .in_file(path)
    .with_hint(escape.hint())
}

fn is_absolute(written: &str) -> bool {
    written.starts_with(['/', '\\']) || written.contains(':')
}

/// `written` with `.` and inner `..` folded away, when it is relative and never climbs
/// above where it starts: `a/../b/c` -> `b/c`.
pub fn normalize(written: &str) -> Result<String, Escape> {
    if is_absolute(written) {
        return Err(Escape::Absolute);
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in written.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(Escape::Climbs)?;
            }
            part => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// True when something is at `path`: a file, a directory, or a symbolic link, even one
/// that leads nowhere or outside (which reading it through a [`Root`] then refuses).
pub fn is_present(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Where `path` really is: absolute, its existing part resolved through its links, the
/// rest appended with `.` and `..` folded.
pub fn real_path(path: &Path) -> PathBuf {
    match resolve(path) {
        Some(Resolved {
            existing,
            real,
            missing,
        }) => joined(real.unwrap_or(existing), &missing),
        None => path.to_path_buf(),
    }
}

/// A path taken apart: its longest existing prefix (absolute, `.` and `..` folded), that
/// prefix with its links resolved, and the rest.
struct Resolved {
    existing: PathBuf,
    real: std::io::Result<PathBuf>,
    missing: PathBuf,
}

/// `path` taken apart, or `None` when it cannot be made absolute.
fn resolve(path: &Path) -> Option<Resolved> {
    let absolute = std::path::absolute(path).ok()?;
    let (existing, missing) = split_existing(&lexically_normal(&absolute));
    Some(Resolved {
        real: existing.canonicalize(),
        existing,
        missing,
    })
}

/// `base/rest`, without the trailing `/` that joining an empty `rest` would add.
fn joined(base: PathBuf, rest: &Path) -> PathBuf {
    if rest.as_os_str().is_empty() {
        base
    } else {
        base.join(rest)
    }
}

/// The longest prefix of `path` that exists, and the rest.
fn split_existing(path: &Path) -> (PathBuf, PathBuf) {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(&existing).is_err() {
        let Some(name) = existing.file_name().map(|name| name.to_os_string()) else {
            break;
        };
        rest.push(name);
        existing.pop();
    }
    let missing = rest.iter().rev().collect();
    (existing, missing)
}

/// `path` with `.` and `..` folded without touching the disk.
fn lexically_normal(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}

/// True when `path` or one of its ancestors is a symbolic link.
fn is_link_below(path: &Path) -> bool {
    path.ancestors().any(|ancestor| {
        std::fs::symlink_metadata(ancestor).is_ok_and(|meta| meta.file_type().is_symlink())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_paths_are_normalised_or_refused() {
        assert_eq!(normalize("a/./b/../c.md"), Ok("a/c.md".to_string()));
        assert_eq!(normalize("../x"), Err(Escape::Climbs));
        assert_eq!(normalize("a/../../x"), Err(Escape::Climbs));
        assert_eq!(normalize("/etc/passwd"), Err(Escape::Absolute));
        assert_eq!(normalize("C:/x"), Err(Escape::Absolute));
        assert_eq!(normalize("..\\x"), Err(Escape::Climbs));
    }

    #[test]
    fn links_out_of_the_root_are_refused_and_links_inside_it_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        let book = tempfile::tempdir().unwrap();
        std::fs::create_dir(book.path().join("src")).unwrap();
        std::fs::write(book.path().join("src/page.md"), "p").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), book.path().join("src/leak"))
            .unwrap();
        std::os::unix::fs::symlink(
            book.path().join("src/page.md"),
            book.path().join("src/alias"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), book.path().join("src/dir")).unwrap();
        let root = Root::new(book.path()).unwrap();
        let src = book.path().join("src");
        assert!(matches!(root.join(&src, "leak"), Err(Escape::Link { .. })));
        assert!(matches!(
            root.join(&src, "dir/secret"),
            Err(Escape::Link { .. })
        ));
        assert!(matches!(
            root.join(&src, "dir/missing"),
            Err(Escape::Link { .. })
        ));
        assert_eq!(
            root.join(&src, "alias").unwrap(),
            root.path().join("src/page.md")
        );
        assert!(
            root.join(&src, "page.md").unwrap().is_file(),
            "no trailing slash"
        );
        assert_eq!(
            root.join(&src, "new.md").unwrap(),
            root.path().join("src/new.md")
        );
        assert_eq!(
            root.join(&src, "../src/page.md").unwrap(),
            root.path().join("src/page.md")
        );
        assert_eq!(root.join(&src, "../../x"), Err(Escape::Climbs));
        assert_eq!(root.join(&src, "/etc/passwd"), Err(Escape::Absolute));
        assert_eq!(root.check(outside.path()), Err(Escape::Absolute));
    }
}
