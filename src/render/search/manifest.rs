//! What one language's index was built from, left in the build directory's cache: a hash
//! per indexed page, in order, the SHA-256 and path of every index file, and the
//! language's own entry file (the site's entry file merges every language's). The next
//! build keeps the index when its pages hash the same and the files are still there,
//! unchanged.

use super::SEARCH_DIR;
use crate::digest::sha256_hex;
use crate::render::{CACHE_DIR, OutputFile, PreviousFiles};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The manifest's file name in the cache directory, for one language's index.
fn manifest_name(language: &str) -> String {
    format!("search-{language}.txt")
}

/// The manifest's first line; another folio version (another pagefind) starts otherwise.
const HEADER: &str = concat!("folio search index ", env!("CARGO_PKG_VERSION"));

/// The hash search keeps of one indexed page.
pub(super) fn page_hash(path: &str, indexed: &str) -> String {
    let digest = Sha256::new()
        .chain_update(path)
        .chain_update([0])
        .chain_update(indexed)
        .finalize();
    crate::digest::hex(&digest[..16])
}

/// An index found in the output being replaced.
pub(super) struct Previous {
    /// The hashes of the pages it was built from, in order.
    pub pages: Vec<String>,
    output: Arc<dyn PreviousFiles>,
    language: String,
    text: String,
}

impl Previous {
    /// The manifest of `language`'s index in `output`, if it has one this version wrote.
    pub fn read(output: Arc<dyn PreviousFiles>, language: &str) -> Option<Previous> {
        let name = format!("{CACHE_DIR}/{}", manifest_name(language));
        let text = String::from_utf8(output.read(&name)?).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let pages = lines
            .filter_map(|line| line.strip_prefix("page "))
            .map(str::to_string)
            .collect();
        Some(Previous {
            pages,
            output,
            language: language.to_string(),
            text,
        })
    }

    /// The index files with the manifest, if every file is there with the bytes it had.
    pub fn files(self) -> Option<Vec<OutputFile>> {
        let mut files = self
            .text
            .lines()
            .filter_map(|line| line.strip_prefix("file "))
            .map(|line| {
                let (hash, path) = line.split_once(' ')?;
                let inside = path.starts_with(&format!("{SEARCH_DIR}/")) && !path.contains("..");
                let bytes = self.output.read(path).filter(|_| inside)?;
                (sha256_hex(&bytes, 32) == hash).then(|| OutputFile {
                    path: path.to_string(),
                    bytes: Arc::new(bytes),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let entry = self
            .text
            .lines()
            .find_map(|line| line.strip_prefix("entry "))?;
        files.push(OutputFile {
            path: super::entry_path(),
            bytes: Arc::new(entry.as_bytes().to_vec()),
        });
        files.push(manifest_file(&self.language, self.text));
        Some(files)
    }
}

/// The manifest of `language`'s index built from pages hashing to `pages`, made of
/// `files` and its own `entry` file (one line of JSON).
pub(super) fn write(
    language: &str,
    pages: &[String],
    files: &[OutputFile],
    entry: &OutputFile,
) -> OutputFile {
    let mut text = format!("{HEADER}\n");
    // pagefind writes it on one line; one it did not could not be kept (no entry line).
    if let Ok(line) = std::str::from_utf8(&entry.bytes)
        && !line.contains(['\n', '\r'])
    {
        text.push_str(&format!("entry {line}\n"));
    }
    for page in pages {
        text.push_str(&format!("page {page}\n"));
    }
    for file in files {
        text.push_str(&format!(
            "file {} {}\n",
            sha256_hex(&file.bytes, 32),
            file.path
        ));
    }
    manifest_file(language, text)
}

fn manifest_file(language: &str, text: String) -> OutputFile {
    OutputFile {
        path: format!("{CACHE_DIR}/{}", manifest_name(language)),
        bytes: Arc::new(text.into_bytes()),
    }
}
