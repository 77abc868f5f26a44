//! Where a book may reach outside its own directory. A book (book.toml, its pages) may
//! come from a stranger's pull request, so by itself it reaches only its repository:
//! the git work tree that holds it, or its own directory when there is none. Anything
//! beyond (a snippet source in a sibling clone, a build directory elsewhere) must be
//! granted by the person running folio: `--allow-source PATH`, `-d PATH`, or the
//! `FOLIO_ALLOW` environment variable (paths separated by `:`).

use crate::confine::real_path;
use std::path::{Path, PathBuf};

/// The environment variable listing directories a book may reach (`:`-separated).
pub const ALLOW_VARIABLE: &str = "FOLIO_ALLOW";

/// The directories a book may reach: its repository and those granted to it.
#[derive(Debug, Clone)]
pub struct Trust {
    repository: PathBuf,
    granted: Vec<PathBuf>,
}

impl Trust {
    /// The trust of the book at `book_root`, with the directories `granted` by the person
    /// running folio.
    pub fn new(book_root: &Path, granted: &[PathBuf]) -> Trust {
        Trust {
            repository: repository_of(book_root),
            granted: granted.iter().map(|path| real_path(path)).collect(),
        }
    }

    /// The book's repository: its git work tree, else its directory (a real path).
    pub fn repository(&self) -> &Path {
        &self.repository
    }

    /// True when `path`, its links followed, lies in the repository or a granted directory.
    pub fn allows(&self, path: &Path) -> bool {
        let real = real_path(path);
        std::iter::once(&self.repository)
            .chain(&self.granted)
            .any(|root| real.starts_with(root))
    }

    /// What to tell the writer when `path`, named in book.toml as `what`, is not allowed;
    /// `option` is the command-line option that grants it (`--allow-source`, `-d`).
    pub fn refusal(&self, what: &str, path: &Path, option: &str) -> (String, String) {
        let path = real_path(path);
        (
            format!(
                "{what} is {}, outside the book's repository ({}); book.toml alone cannot grant that",
                path.display(),
                self.repository.display()
            ),
            format!(
                "grant it when you run folio: {option} {path}, or {ALLOW_VARIABLE}={path}",
                path = path.display()
            ),
        )
    }
}

/// The git work tree holding `book_root`, else `book_root` itself.
fn repository_of(book_root: &Path) -> PathBuf {
    gix::discover(book_root)
        .ok()
        .and_then(|repository| repository.workdir().map(real_path))
        .unwrap_or_else(|| real_path(book_root))
}

/// The directories granted by the person running folio: `from_command_line`, then
/// those `FOLIO_ALLOW` lists.
pub fn granted(from_command_line: &[PathBuf]) -> Vec<PathBuf> {
    let mut granted = from_command_line.to_vec();
    if let Some(listed) = std::env::var_os(ALLOW_VARIABLE) {
        granted.extend(std::env::split_paths(&listed).filter(|path| !path.as_os_str().is_empty()));
    }
    granted
}
