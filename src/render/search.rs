//! Per-language search: the rendered pages are indexed at build time with pagefind's
//! library (stemming for French and English, accent folding, one index per
//! `<html lang>`, split in chunks the browser fetches only when a query needs them),
//! and pagefind's own UI searches them in the browser, without a server.

use super::OutputFile;
use crate::diagnostic::Diagnostic;
use crate::digest::{hex, sha256_hex};
use crate::output::CACHE_DIR;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// Where the index and the search UI go, relative to the output root.
pub const SEARCH_DIR: &str = "pagefind";

/// pagefind's alternative interfaces, which the theme does not load.
const UNUSED_UI_FILES: [&str; 3] = [
    "pagefind-component-ui",
    "pagefind-modular-ui",
    "pagefind-highlight",
];

/// The attribute marking the part of a page that search indexes.
pub const INDEXED_MARKER: &str = "data-pagefind-body";

/// The index's manifest in the build directory's cache: the key of the pages it was
/// built from, then one line per index file with its SHA-256 and path.
const MANIFEST: &str = "search.txt";

/// Indexes every HTML page that carries [`INDEXED_MARKER`]; returns the index files.
/// When the indexed text of every page is what it was for the index in
/// `previous_output` (the output being replaced), that index is kept as it is.
pub fn index(
    pages: &[OutputFile],
    previous_output: Option<&Path>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let inputs: Vec<(String, String)> = pages
        .par_iter()
        .filter(|page| page.path.ends_with(".html"))
        .filter_map(|page| {
            let indexed = indexed_part(std::str::from_utf8(&page.bytes).ok()?)?;
            Some((page.path.clone(), indexed))
        })
        .collect();
    let key = key_of(&inputs);
    if let Some(files) = previous_output.and_then(|output| previous_index(output, &key)) {
        return Ok(files);
    }
    let mut files = run_pagefind(inputs)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.push(manifest(&key, &files));
    Ok(files)
}

fn run_pagefind(inputs: Vec<(String, String)>) -> Result<Vec<OutputFile>, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(failure)?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(failure)?;
        for (path, indexed) in inputs {
            index
                .add_html_file(None, Some(path), indexed)
                .await
                .map_err(failure)?;
        }
        let files = index.get_files().await.map_err(failure)?;
        Ok(files
            .into_iter()
            .filter(|file| {
                let name = file.filename.to_string_lossy();
                !UNUSED_UI_FILES
                    .iter()
                    .any(|unused| name.starts_with(unused))
            })
            .map(|file| OutputFile {
                path: format!(
                    "{SEARCH_DIR}/{}",
                    file.filename.to_string_lossy().replace('\\', "/")
                ),
                bytes: Arc::new(file.contents),
            })
            .collect())
    })
}

/// What the index depends on: folio's version (pagefind's with it) and every page's
/// path and indexed text.
fn key_of(inputs: &[(String, String)]) -> String {
    let mut hasher = Sha256::new().chain_update(env!("CARGO_PKG_VERSION"));
    for (path, indexed) in inputs {
        hasher.update([0]);
        hasher.update(path);
        hasher.update([0]);
        hasher.update(indexed);
    }
    hex(&hasher.finalize())
}

fn manifest(key: &str, files: &[OutputFile]) -> OutputFile {
    let mut text = format!("{key}\n");
    for file in files {
        text.push_str(&format!("{} {}\n", sha256_hex(&file.bytes, 32), file.path));
    }
    OutputFile {
        path: format!("{CACHE_DIR}/{MANIFEST}"),
        bytes: Arc::new(text.into_bytes()),
    }
}

/// The index files of `output` with their manifest, if it was built for `key` and every
/// file is still there with the bytes it had.
fn previous_index(output: &Path, key: &str) -> Option<Vec<OutputFile>> {
    let text = std::fs::read_to_string(output.join(CACHE_DIR).join(MANIFEST)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != key {
        return None;
    }
    let mut files = lines
        .map(|line| {
            let (hash, path) = line.split_once(' ')?;
            let inside = path.starts_with(&format!("{SEARCH_DIR}/")) && !path.contains("..");
            let bytes = std::fs::read(output.join(path)).ok().filter(|_| inside)?;
            (sha256_hex(&bytes, 32) == hash).then(|| OutputFile {
                path: path.to_string(),
                bytes: Arc::new(bytes),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    files.push(OutputFile {
        path: format!("{CACHE_DIR}/{MANIFEST}"),
        bytes: Arc::new(text.into_bytes()),
    });
    Some(files)
}

/// The page reduced to what search reads: its `<html lang>` tag and the element that
/// carries [`INDEXED_MARKER`]. Handing pagefind the whole page would make it parse every
/// page's table of contents, which grows with the book: quadratic work on big books.
fn indexed_part(html: &str) -> Option<String> {
    let marker = html.find(INDEXED_MARKER)?;
    let start = html[..marker].rfind("<article")?;
    let end = html.rfind("</article>")? + "</article>".len();
    let html_start = html.find("<html")?;
    let html_tag = &html[html_start..html_start + html[html_start..].find('>')? + 1];
    (start < end).then(|| {
        format!(
            "<!DOCTYPE html>{html_tag}<body>{}</body></html>",
            without_spans(&html[start..end])
        )
    })
}

/// The HTML without its `<span>` tags (their text kept): highlighted code is mostly
/// spans, which change nothing that search reads but cost pagefind's parser its time.
fn without_spans(html: &str) -> String {
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<span").or_else(|| rest.find("</span>")) {
        let closing = rest[..at].find("</span>");
        let at = closing.unwrap_or(at);
        let tag = &rest[at..];
        let is_span = tag.starts_with("</span>") || tag[5..].starts_with([' ', '>']);
        let Some(tag_end) = tag.find('>').filter(|_| is_span) else {
            kept.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
            continue;
        };
        kept.push_str(&rest[..at]);
        rest = &tag[tag_end + 1..];
    }
    kept.push_str(rest);
    kept
}

fn failure(error: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "search-index",
        format!("the search index could not be built: {error}"),
    )
    .with_hint("turn search off with `[output.html.search] enable = false` to build without it")
}
