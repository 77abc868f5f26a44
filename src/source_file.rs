//! Reading a book's text files: UTF-8 only, with errors that say where and what to do.

use crate::diagnostic::{Diagnostic, line_of_offset};
use std::path::Path;

/// Reads a UTF-8 text file, naming the line of the first invalid byte otherwise.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|error| {
        Diagnostic::error("read-failed", format!("cannot read the file: {error}")).in_file(path)
    })?;
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
