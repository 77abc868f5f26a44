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

/// True for a character no XML document may hold and HTML shows as nothing or a box:
/// the C0 controls but tab, line feed and carriage return (NUL, ESC...), and U+FFFE
/// and U+FFFF. A page's text cannot carry one into an EPUB.
pub fn is_forbidden_character(character: char) -> bool {
    (character < ' ' && !matches!(character, '\t' | '\n' | '\r'))
        || matches!(character, '\u{FFFE}' | '\u{FFFF}')
}

/// `text` with every [forbidden character](is_forbidden_character) replaced by U+FFFD
/// (which shows where it was), and the 1-based lines of `text` that held one; `None`
/// when there was none.
pub fn replace_forbidden_characters(text: &str) -> Option<(String, Vec<usize>)> {
    let clean = text
        .bytes()
        .all(|byte| byte >= b' ' || matches!(byte, b'\t' | b'\n' | b'\r'))
        && !text.contains(['\u{FFFE}', '\u{FFFF}']);
    if clean {
        return None;
    }
    let mut replaced = String::with_capacity(text.len());
    let mut lines = Vec::new();
    let mut line = 1;
    for character in text.chars() {
        if is_forbidden_character(character) {
            replaced.push('\u{FFFD}');
            if lines.last() != Some(&line) {
                lines.push(line);
            }
        } else {
            replaced.push(character);
        }
        line += usize::from(character == '\n');
    }
    Some((replaced, lines))
}

/// How many lines with a forbidden character are named one by one.
const FORBIDDEN_LINES_LISTED: usize = 10;

/// The warnings for the `lines` of `path` that held a forbidden character (`text_line`
/// is the file's line of the text's first line): one per line for the first ten, then
/// one with the count of the rest.
pub fn forbidden_character_warnings(
    path: &Path,
    lines: &[usize],
    text_line: usize,
) -> Vec<Diagnostic> {
    let hint = "remove it (an editor shows it as ^[ or \\x1b); for one a code sample shows, write its escape (`\\e`, `\\x1b`)";
    let mut warnings: Vec<Diagnostic> = lines
        .iter()
        .take(FORBIDDEN_LINES_LISTED)
        .map(|line| {
            Diagnostic::warning(
                "control-character",
                "a control character (NUL, ESC...) is in the text: no page can hold it, it is shown as \u{FFFD}",
            )
            .in_file(path)
            .at_line(line + text_line - 1)
            .with_hint(hint)
        })
        .collect();
    if let Some(first) = lines.get(FORBIDDEN_LINES_LISTED) {
        warnings.push(
            Diagnostic::warning(
                "control-character",
                format!(
                    "{} more lines hold control characters, shown as \u{FFFD}",
                    lines.len() - FORBIDDEN_LINES_LISTED
                ),
            )
            .in_file(path)
            .at_line(first + text_line - 1)
            .with_hint(hint),
        );
    }
    warnings
}
