//! Reading a book's files: regular files only (a named pipe, a device or a socket is an
//! error, never a read that blocks forever or never ends), text in UTF-8, with errors
//! that say where and what to do.

use crate::diagnostic::{Diagnostic, line_of_offset};
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// U+FEFF in UTF-8.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Opens `path` for reading when it is a regular file (after following links). The
/// file is opened without blocking (a named pipe would otherwise wait for a writer),
/// then examined: the check and the read are about the same file.
pub fn open_regular(path: &Path) -> Result<File, Diagnostic> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|error| {
            Diagnostic::error("read-failed", format!("cannot read the file: {error}")).in_file(path)
        })?;
    let is_regular = file.metadata().is_ok_and(|meta| meta.is_file());
    if !is_regular {
        return Err(Diagnostic::error(
            "special-file",
            "this is not a regular file (a named pipe, a device or a socket): folio does not read it",
        )
        .in_file(path)
        .with_hint("replace it with a regular file, or remove it from the book"));
    }
    Ok(file)
}

/// The bytes of the regular file at `path`.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let mut file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|error| {
        Diagnostic::error("read-failed", format!("cannot read the file: {error}")).in_file(path)
    })?;
    Ok(bytes)
}

/// Reads a UTF-8 text file, naming the line of the first invalid byte otherwise. A
/// byte-order mark (which some editors write at the start) is dropped.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let mut bytes = read_bytes(path)?;
    if bytes.starts_with(BYTE_ORDER_MARK) {
        bytes.drain(..BYTE_ORDER_MARK.len());
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        Diagnostic::error("not-utf8", "the file is not valid UTF-8")
            .in_file(path)
            .at_line(line_of_offset(&prefix, prefix.len()))
            .with_hint("re-save the file with UTF-8 encoding (e.g. `iconv -f latin1 -t utf-8`)")
    })
}
