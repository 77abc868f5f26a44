//! The staging directory a site is written into before it takes the destination's
//! place: created exclusively beside the destination, swapped in with one atomic
//! exchange, and, when a process died before it could tidy up, removed by the next run.

use super::{io_error, parent_of};
use crate::diagnostic::Diagnostic;
use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The start of the names of `destination`'s staging directories:
/// `.NAME.folio-staging-PID-RANDOM`, and `...-PID.old` from older folio versions.
fn prefix(destination: &Path) -> String {
    let name = destination
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".to_string());
    format!(".{name}.folio-staging-")
}

/// A new, empty staging directory beside `destination`, its name holding this process's
/// id (so that a later run can tell it was abandoned) and a random part.
pub fn create(destination: &Path) -> Result<PathBuf, Diagnostic> {
    let parent = parent_of(destination);
    tempfile::Builder::new()
        .prefix(&format!("{}{}-", prefix(destination), std::process::id()))
        .tempdir_in(&parent)
        .map(tempfile::TempDir::keep)
        .map_err(|error| io_error(&parent, "create a staging directory in", error))
}

/// Removes the staging directories of `destination` left by processes that no longer
/// run (killed in the middle of a build). Links and files of that name are left alone.
pub fn remove_leftovers(destination: &Path) {
    let prefix = prefix(destination);
    let Ok(entries) = fs::read_dir(parent_of(destination)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|name| name.strip_prefix(&prefix)) else {
            continue;
        };
        let pid: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let is_directory = entry.file_type().is_ok_and(|kind| kind.is_dir());
        let alive = Path::new("/proc").join(pid.to_string()).exists();
        if is_directory && !alive && pid != std::process::id() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Puts the staged site at `destination`. An existing site is exchanged with it in one
/// atomic step (the destination never goes missing), then removed; if that removal
/// fails the new site is in place all the same, and a warning says where the old one is.
pub fn swap_into_place(staging: &Path, destination: &Path) -> Result<Vec<Diagnostic>, Diagnostic> {
    if fs::symlink_metadata(destination).is_err() {
        fs::rename(staging, destination).map_err(|error| io_error(destination, "create", error))?;
        return Ok(Vec::new());
    }
    exchange(staging, destination).map_err(|error| io_error(destination, "replace", error))?;
    // `staging` now holds the previous site.
    Ok(match fs::remove_dir_all(staging) {
        Ok(()) => Vec::new(),
        Err(error) => vec![
            Diagnostic::warning(
                "old-output-left",
                format!(
                    "the new site is in place, but the previous one, moved to {}, could not be removed: {error}",
                    staging.display()
                ),
            )
            .with_hint("remove that directory yourself"),
        ],
    })
}

/// Swaps the two paths atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
fn exchange(first: &Path, second: &Path) -> std::io::Result<()> {
    let c_path = |path: &Path| {
        CString::new(path.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::other("a path with a NUL byte"))
    };
    let (first, second) = (c_path(first)?, c_path(second)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call; renameat2 only
    // reads them.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            first.as_ptr(),
            libc::AT_FDCWD,
            second.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}
