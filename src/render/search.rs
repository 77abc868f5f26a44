//! Per-language search: the rendered pages are indexed at build time with pagefind's
//! library (stemming for French and English, accent folding, one index per
//! `<html lang>`, split in chunks the browser fetches only when a query needs them),
//! and pagefind's own UI searches them in the browser, without a server.

use super::OutputFile;
use crate::diagnostic::Diagnostic;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

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

/// Indexes every HTML page that carries [`INDEXED_MARKER`]; returns the index files.
pub fn index(pages: &[OutputFile]) -> Result<Vec<OutputFile>, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(failure)?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(failure)?;
        for page in pages {
            if !page.path.ends_with(".html") {
                continue;
            }
            let html = String::from_utf8_lossy(&page.bytes);
            let Some(indexed) = indexed_part(&html) else {
                continue;
            };
            index
                .add_html_file(None, Some(page.path.clone()), indexed)
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
                bytes: std::sync::Arc::new(file.contents),
            })
            .collect())
    })
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
            &html[start..end]
        )
    })
}

fn failure(error: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "search-index",
        format!("the search index could not be built: {error}"),
    )
    .with_hint("turn search off with `[output.html.search] enable = false` to build without it")
}
