//! The book's own state, kept under `.folio/` in its directory (the pinned snippet
//! texts): read and written only in real directories of the book, never through a
//! symbolic link, whatever the link leads to. A book from a stranger could otherwise
//! ship `.folio` as a link to any directory and have a command write there, or a pinned
//! file as a link to any file and have a command print it.

use crate::confine::{Escape, Root};
use crate::diagnostic::Diagnostic;
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// A directory of the book's state, checked to be a real directory at every step from
/// the book's directory down.
#[derive(Debug)]
pub struct StateDir {
    book_root: PathBuf,
    path: PathBuf,
}

impl StateDir {
    /// The directory `relative` (`/`-separated, e.g. `.folio/pinned`) of the book at
    /// `book_root`, created when `create` is set; `None` when it does not exist and is
    /// not to be created. A link or a file anywhere on the way is an error.
    pub fn open(
        book_root: &Path,
        relative: &str,
        create: bool,
    ) -> Result<Option<StateDir>, Diagnostic> {
        let mut path = book_root.to_path_buf();
        for part in relative.split('/').filter(|part| !part.is_empty()) {
            path.push(part);
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(refused_link(book_root, &path));
                }
                Ok(meta) if !meta.is_dir() => {
                    return Err(Diagnostic::error(
                        "state-dir",
                        format!("{} is not a directory", shown(book_root, &path)),
                    )
                    .in_file(&path)
                    .with_hint("folio keeps its state there: remove or rename the file"));
                }
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound && create => {
                    // mkdir never follows a link: one planted since is an error here.
                    std::fs::create_dir(&path).map_err(|error| failed(&path, "create", &error))?;
                }
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(error) => return Err(failed(&path, "read", &error)),
            }
        }
        Ok(Some(StateDir {
            book_root: book_root.to_path_buf(),
            path,
        }))
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The text of the regular file `name` in the directory, `None` when there is none;
    /// a link (the file is opened without following one) or a special file is an error.
    pub fn read(&self, name: &str) -> Result<Option<String>, Diagnostic> {
        let path = self.path.join(name);
        let opened = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&path);
        let mut file = match opened {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) if error.raw_os_error() == Some(libc::ELOOP) => {
                return Err(refused_link(&self.book_root, &path));
            }
            Err(error) => return Err(failed(&path, "read", &error)),
        };
        if !file.metadata().is_ok_and(|meta| meta.is_file()) {
            return Err(Diagnostic::error(
                "special-file",
                format!(
                    "{} is not a regular file: folio does not read it",
                    shown(&self.book_root, &path)
                ),
            )
            .in_file(&path)
            .with_hint("remove it: folio writes this file itself"));
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|error| failed(&path, "read", &error))?;
        Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// True when `name` is in the directory as a regular file (a link is not one).
    pub fn holds(&self, name: &str) -> bool {
        std::fs::symlink_metadata(self.path.join(name)).is_ok_and(|meta| meta.is_file())
    }

    /// Writes `bytes` to `name`: a temporary file created exclusively in the directory,
    /// renamed over `name` (which replaces a link there, never what it leads to).
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.path.join(name);
        let mut temporary = tempfile::Builder::new()
            .prefix(".folio-")
            .tempfile_in(&self.path)
            .map_err(|error| failed(&path, "write", &error))?;
        temporary
            .write_all(bytes)
            .map_err(|error| failed(&path, "write", &error))?;
        temporary
            .persist(&path)
            .map_err(|error| failed(&path, "write", &error.error))?;
        Ok(())
    }

    /// The names of the regular files in the directory (links and directories left out).
    pub fn file_names(&self) -> Result<Vec<String>, Diagnostic> {
        let entries =
            std::fs::read_dir(&self.path).map_err(|error| failed(&self.path, "read", &error))?;
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .collect();
        names.sort();
        Ok(names)
    }

    /// Removes the file `name` (a link there is removed itself, never what it leads to).
    pub fn remove(&self, name: &str) -> Result<(), Diagnostic> {
        let path = self.path.join(name);
        std::fs::remove_file(&path).map_err(|error| failed(&path, "remove", &error))
    }
}

/// `path` relative to the book, as the writer sees it.
fn shown(book_root: &Path, path: &Path) -> String {
    path.strip_prefix(book_root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The error for a link in the state's path: the build's own error when it leads out of
/// the book, and one saying folio does not follow it when it stays inside.
fn refused_link(book_root: &Path, path: &Path) -> Diagnostic {
    let written = shown(book_root, path);
    let target = std::fs::canonicalize(path)
        .unwrap_or_else(|_| std::fs::read_link(path).unwrap_or_default());
    let outside = Root::new(book_root)
        .map(|root| !target.starts_with(root.path()))
        .unwrap_or(true);
    if outside {
        let escape = Escape::Link { target };
        return Diagnostic::error("outside-book", escape.describe(&written, "the book"))
            .in_file(path)
            .with_hint("folio keeps the book's state (.folio/) in real directories of the book: remove the link (`git rm` it if it is committed)");
    }
    Diagnostic::error(
        "state-link",
        format!(
            "`{written}` is a symbolic link (to {}): folio keeps the book's state in real directories and files, never through a link",
            target.display()
        ),
    )
    .in_file(path)
    .with_hint("replace the link with the directory or file itself")
}

fn failed(path: &Path, action: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "state-dir",
        format!("cannot {action} {}: {error}", path.display()),
    )
    .in_file(path)
    .with_hint("check that the book's directory is writable")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_anywhere_on_the_way_are_refused_and_real_directories_created() {
        let outside = tempfile::tempdir().unwrap();
        let book = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), book.path().join(".folio")).unwrap();
        let error = StateDir::open(book.path(), ".folio/pinned", true).unwrap_err();
        assert_eq!(error.code, "outside-book");
        assert!(std::fs::read_dir(outside.path()).unwrap().next().is_none());

        std::fs::remove_file(book.path().join(".folio")).unwrap();
        let state = StateDir::open(book.path(), ".folio/pinned", true)
            .unwrap()
            .unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), state.path().join("abc"))
            .unwrap();
        assert_eq!(state.read("abc").unwrap_err().code, "outside-book");
        assert!(!state.holds("abc"));
        assert_eq!(state.read("missing").unwrap(), None);
        state.write("abc", b"pinned").unwrap();
        assert_eq!(state.read("abc").unwrap().as_deref(), Some("pinned"));
        assert_eq!(
            std::fs::read_to_string(outside.path().join("secret")).unwrap(),
            "s"
        );
    }
}
