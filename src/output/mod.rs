//! Pipeline step 4: write the site to disk atomically.
//!
//! Files are written to a staging directory beside the destination, which then takes
//! the destination's place: a failed build leaves the previous output untouched, and
//! folio only ever replaces or removes a directory that it wrote itself: the
//! [`MARKER_FILE`] lists every file folio wrote there, and a directory holding any other
//! file (a `CNAME` added by hand, say) is refused rather than deleted. A build directory
//! that is the book, its sources, or a parent of them is refused too.
//!
//! A file whose bytes did not change is not written again: the staging directory gets a
//! hard link to the previous output's copy (same inode, same time stamp, nothing
//! copied), so a rebuild costs little more than its changes.

pub mod pdf;
mod previous;

pub use previous::Previous;

use crate::diagnostic::Diagnostic;
use crate::render::OutputFile;
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The file folio leaves in every output directory it writes.
pub const MARKER_FILE: &str = ".folio-build";

/// The marker's first line; the files folio wrote follow, one per line.
const MARKER_TEXT: &str = "This directory was written by folio; `folio build` replaces it and `folio clean` removes it. Files folio wrote:\n";

/// Replaces `destination` with `files` and what `finish` adds to the staging directory
/// (PDFs made from the written print pages) before the swap; a file whose bytes are
/// unchanged since `previous` is linked to its old copy instead of written.
pub fn write_site_then(
    destination: &Path,
    files: &[OutputFile],
    previous: Option<&Previous>,
    finish: &dyn Fn(&Path) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    ensure_replaceable(destination)?;
    let parent = parent_of(destination);
    fs::create_dir_all(&parent)
        .map_err(|error| io_error(&parent, "create the directory", error))?;
    let name = destination
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".to_string());
    let staging = parent.join(format!(".{name}.folio-staging-{}", std::process::id()));
    let result = write_tree(&staging, files, previous)
        .and_then(|()| finish(&staging))
        .and_then(|()| write_marker(&staging))
        .and_then(|()| swap_into_place(&staging, destination));
    if result.is_err() && staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Replaces one file's contents atomically (a temporary file beside it, then a rename).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.folio-{}", std::process::id()));
    fs::write(&temporary, bytes)
        .and_then(|()| fs::rename(&temporary, path))
        .map_err(|error| {
            let _ = fs::remove_file(&temporary);
            io_error(path, "write", error)
        })
}

/// Removes `destination` if folio wrote it; a missing directory is fine.
pub fn clean(destination: &Path) -> Result<bool, Diagnostic> {
    if !destination.exists() {
        return Ok(false);
    }
    ensure_replaceable(destination)?;
    fs::remove_dir_all(destination).map_err(|error| io_error(destination, "remove", error))?;
    Ok(true)
}

/// Refuses to touch a non-empty directory (or a file) that folio did not write.
fn ensure_replaceable(destination: &Path) -> Result<(), Diagnostic> {
    if !destination.exists() {
        return Ok(());
    }
    let refuse = |why: &str| {
        Diagnostic::error(
            "unsafe-output",
            format!("{} {why}; folio will not replace it", destination.display()),
        )
        .with_hint(
            "set [build] build-dir (or --dest-dir) to a new directory, or empty this one yourself",
        )
    };
    if !destination.is_dir() {
        return Err(refuse("is not a directory"));
    }
    let is_empty = fs::read_dir(destination)
        .map_err(|error| io_error(destination, "read", error))?
        .next()
        .is_none();
    if is_empty {
        return Ok(());
    }
    let Ok(marker) = fs::read_to_string(destination.join(MARKER_FILE)) else {
        return Err(refuse("already holds files that folio did not write"));
    };
    let written: HashSet<&str> = marker.lines().skip(1).collect();
    if written.is_empty() {
        // A marker from before folio listed its files: the whole directory is folio's.
        return Ok(());
    }
    let foreign: Vec<String> = files_under(destination)
        .into_iter()
        .filter(|path| path != MARKER_FILE && !written.contains(path.as_str()))
        .collect();
    if let Some(first) = foreign.first() {
        return Err(Diagnostic::error(
            "unsafe-output",
            format!(
                "{} holds {} file(s) that folio did not write ({first}{}); folio will not delete them",
                destination.display(),
                foreign.len(),
                if foreign.len() > 1 { ", ..." } else { "" }
            ),
        )
        .with_hint("move them into the book's content directory (they are copied into the site) or remove them yourself"));
    }
    Ok(())
}

/// Every file (and symbolic link) under `root`, relative, `/`-separated, sorted.
fn files_under(root: &Path) -> Vec<String> {
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

/// Writes the marker listing every file of the staging directory.
fn write_marker(staging: &Path) -> Result<(), Diagnostic> {
    let mut text = MARKER_TEXT.to_string();
    for file in files_under(staging) {
        text.push_str(&file);
        text.push('\n');
    }
    fs::write(staging.join(MARKER_FILE), text)
        .map_err(|error| io_error(staging, "write into", error))
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

/// Writes `files` under `root`, linking those whose bytes equal the file at the same
/// path in `previous` (the output being replaced) instead of writing them.
fn write_tree(
    root: &Path,
    files: &[OutputFile],
    previous: Option<&Previous>,
) -> Result<(), Diagnostic> {
    if root.exists() {
        fs::remove_dir_all(root)
            .map_err(|error| io_error(root, "remove the stale staging directory", error))?;
    }
    fs::create_dir_all(root).map_err(|error| io_error(root, "create", error))?;
    files.par_iter().try_for_each(|file| {
        let path = root.join(&file.path);
        if let Some(directory) = path.parent() {
            fs::create_dir_all(directory).map_err(|error| io_error(directory, "create", error))?;
        }
        let unchanged = previous.and_then(|previous| previous.unchanged(&file.path, &file.bytes));
        match unchanged {
            Some(old) if fs::hard_link(&old, &path).is_ok() => Ok(()),
            _ => fs::write(&path, file.bytes.as_slice())
                .map_err(|error| io_error(&path, "write", error)),
        }
    })
}

fn swap_into_place(staging: &Path, destination: &Path) -> Result<(), Diagnostic> {
    if !destination.exists() {
        return fs::rename(staging, destination)
            .map_err(|error| io_error(destination, "create", error));
    }
    let retired = staging.with_file_name(format!(
        "{}.old",
        staging
            .file_name()
            .expect("the staging path has a name")
            .to_string_lossy()
    ));
    fs::rename(destination, &retired)
        .map_err(|error| io_error(destination, "move aside", error))?;
    if let Err(error) = fs::rename(staging, destination) {
        let _ = fs::rename(&retired, destination);
        return Err(io_error(destination, "replace", error));
    }
    fs::remove_dir_all(&retired)
        .map_err(|error| io_error(&retired, "remove the previous output", error))
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
