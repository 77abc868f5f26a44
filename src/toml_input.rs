//! Strict TOML reading shared by book.toml and front matter: parse errors carry the
//! line, and keys the schema does not know come back as warnings instead of vanishing.

use crate::diagnostic::{Diagnostic, line_of_offset};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `text` (which starts on line `first_line` of `path`) into `T`.
///
/// Returns the value and one warning per key `T` does not know.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    first_line: usize,
) -> Result<(T, Vec<Diagnostic>), Diagnostic> {
    let located_error = |error: toml::de::Error| {
        let line = error
            .span()
            .map(|span| line_of_offset(text, span.start) + first_line - 1)
            .unwrap_or(first_line);
        Diagnostic::error("invalid-toml", error.message().trim().to_string())
            .in_file(path)
            .at_line(line)
            .with_hint("fix the TOML syntax or the value's type (https://toml.io)")
    };
    let deserializer = toml::Deserializer::parse(text).map_err(located_error)?;
    let mut unknown_keys = Vec::new();
    let value = serde_ignored::deserialize(deserializer, |key| unknown_keys.push(key.to_string()))
        .map_err(located_error)?;
    let warnings = unknown_keys
        .into_iter()
        .map(|key| {
            let line = line_of_key(text, &key).map_or(first_line, |l| l + first_line - 1);
            Diagnostic::warning("unknown-key", format!("unknown key `{key}` is ignored"))
                .in_file(path)
                .at_line(line)
                .with_hint("check its spelling, or remove it")
        })
        .collect();
    Ok((value, warnings))
}

/// [`line_of_key`] in the file at `path`; line 1 when the file or the key cannot be found.
pub fn line_of_key_in(path: &std::path::Path, dotted_key: &str) -> usize {
    crate::source_file::read_text(path)
        .ok()
        .and_then(|text| line_of_key(&text, dotted_key))
        .unwrap_or(1)
}

/// Best-effort 1-based line where the last segment of a dotted key is written.
pub fn line_of_key(text: &str, dotted_key: &str) -> Option<usize> {
    let name = dotted_key.rsplit('.').next()?;
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            let as_key = line
                .strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with(['=', '.']));
            let as_table =
                line.starts_with('[') && line.trim_end().trim_end_matches(']').ends_with(name);
            as_key || as_table
        })
        .map(|index| index + 1)
}
