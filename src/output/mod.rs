//! Pipeline step 4: write the site to disk atomically.
//!
//! Files are written to a staging directory beside the destination as soon as they are
//! rendered ([`SiteWriter`]), which then takes the destination's place in one atomic
//! exchange: a failed build leaves the previous
//! output untouched, and the destination never goes missing. folio only ever replaces
//! or removes a directory that it wrote itself: the marker ([`marker`]) lists every file
//! folio wrote there with its hash, and a directory holding any other file (a `CNAME`
//! added by hand, say) or a file changed since is refused rather than deleted. A build
//! directory that is the book, its sources, or a parent of them is refused too.
//!
//! A file whose bytes did not change is not written again: the staging directory gets a
//! hard link to the previous output's copy (same inode, same time stamp, nothing
//! copied), so a rebuild costs little more than its changes.

pub mod marker;
pub mod pdf;
mod previous;
mod staging;
mod writer;

pub use marker::MARKER_FILE;
pub use previous::Previous;
pub use writer::{SiteWriter, Staged};

use crate::diagnostic::Diagnostic;
use crate::trust::Trust;
use marker::Marker;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Replaces one file's contents atomically: a new temporary file beside it (created
/// exclusively, under a name nobody can guess, so never through a planted link), given
/// the file's permissions, then renamed over it.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let directory = parent_of(path);
    let mut temporary = tempfile::Builder::new()
        .prefix(".folio-")
        .tempfile_in(&directory)
        .map_err(|error| io_error(path, "create a temporary file beside", error))?;
    temporary
        .write_all(bytes)
        .map_err(|error| io_error(path, "write", error))?;
    if let Ok(meta) = fs::metadata(path) {
        let _ = temporary.as_file().set_permissions(meta.permissions());
    }
    temporary
        .persist(path)
        .map_err(|error| io_error(path, "replace", error.error))?;
    Ok(())
}

/// Removes `destination` if folio wrote it; a missing directory is fine.
pub fn clean(destination: &Path) -> Result<bool, Diagnostic> {
    staging::remove_leftovers(destination);
    if !destination.exists() {
        return Ok(false);
    }
    ensure_replaceable(destination)?;
    fs::remove_dir_all(destination).map_err(|error| io_error(destination, "remove", error))?;
    Ok(true)
}

/// Refuses to touch a non-empty directory (or a file) unless its marker vouches for
/// every file in it.
fn ensure_replaceable(destination: &Path) -> Result<(), Diagnostic> {
    let Ok(meta) = fs::symlink_metadata(destination) else {
        return Ok(());
    };
    let refuse = |why: &str| {
        Diagnostic::error(
            "unsafe-output",
            format!("{} {why}; folio will not replace it", destination.display()),
        )
        .with_hint(
            "set [build] build-dir (or --dest-dir) to a new directory, or empty this one yourself",
        )
    };
    if !meta.is_dir() {
        return Err(refuse("is not a directory"));
    }
    let is_empty = fs::read_dir(destination)
        .map_err(|error| io_error(destination, "read", error))?
        .next()
        .is_none();
    if is_empty {
        return Ok(());
    }
    let Some(marker) = Marker::read(destination) else {
        return Err(refuse(
            "already holds files that folio did not write (no marker of folio's lists them with their hashes)",
        ));
    };
    let foreign = marker.foreign_files(destination);
    if let Some(first) = foreign.first() {
        return Err(Diagnostic::error(
            "unsafe-output",
            format!(
                "{} holds {} file(s) that folio did not write or that changed since ({first}{}); folio will not delete them",
                destination.display(),
                foreign.len(),
                if foreign.len() > 1 { ", ..." } else { "" }
            ),
        )
        .with_hint("move them into the book's content directory (they are copied into the site) or remove them yourself"));
    }
    Ok(())
}

/// Refuses an output directory that is the book's directory, its sources, a parent of
/// either, or a directory inside the sources: replacing it would destroy the book.
/// Symbolic links are followed, so a link to the sources is refused too.
pub fn check_outside_sources(
    destination: &Path,
    book_root: &Path,
    sources: &Path,
) -> Result<(), Diagnostic> {
    let destination = crate::confine::real_path(destination);
    let root = crate::confine::real_path(book_root);
    let sources = crate::confine::real_path(sources);
    if root.starts_with(&destination) || destination.starts_with(&sources) {
        return Err(Diagnostic::error(
            "unsafe-output",
            format!("the output directory {} would overwrite the book's sources", destination.display()),
        )
        .in_file(book_root.join(crate::config::CONFIG_FILE))
        .with_hint("point [build] build-dir (or --dest-dir) outside the book's source directory, e.g. `book`"));
    }
    Ok(())
}

/// Refuses a build directory that book.toml (`config_file`) puts outside the book's
/// repository and what the person running folio granted: a book cannot send folio's
/// writes (and later `clean`'s deletions) anywhere else. `-d` on the command line is
/// the person's own choice and is not checked here.
pub fn check_trusted(
    destination: &Path,
    trust: &Trust,
    config_file: &Path,
) -> Result<(), Diagnostic> {
    if trust.allows(destination) {
        return Ok(());
    }
    let (message, hint) = trust.refusal("[build] build-dir", destination, "-d");
    let line = crate::toml_input::line_of_key_in(config_file, "build.build-dir");
    Err(Diagnostic::error("unsafe-output", message)
        .in_file(config_file)
        .at_line(line)
        .with_hint(hint))
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn io_error(path: &Path, action: &str, error: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "write-failed",
        format!("cannot {action} {}: {error}", path.display()),
    )
    .with_hint("check the permissions and free space of the output directory")
}

#[cfg(test)]
mod tests {
    use super::write_file_atomically;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_single_file_is_never_written_through_a_planted_link() {
        let book = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("authorized_keys");
        std::fs::write(&secret, "mine").unwrap();
        let page = book.path().join("01.md");
        std::fs::write(&page, "old").unwrap();
        std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o640)).unwrap();
        // Links at the names an earlier folio used for its temporary file.
        for name in [
            format!(".01.md.folio-{}", std::process::id()),
            ".01.md.folio".to_string(),
        ] {
            std::os::unix::fs::symlink(&secret, book.path().join(name)).unwrap();
        }
        write_file_atomically(&page, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&page).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "mine");
        let mode = std::fs::metadata(&page).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "the file keeps its permissions");
        let names: Vec<String> = std::fs::read_dir(book.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with(".01.md.folio"))
            .collect();
        assert_eq!(names, ["01.md"], "no temporary file is left");
    }
}
