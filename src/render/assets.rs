//! Static files of the site: the theme's stylesheets and scripts under fingerprinted
//! names (so browsers may cache them for ever), the book's additional CSS/JS, and the
//! non-markdown files (images, SVG figures) of each language tree.

use super::OutputFile;
use super::theme::Theme;
use crate::confine::{self, Root};
use crate::diagnostic::Diagnostic;
use std::path::Path;
use std::sync::Arc;
use walkdir::WalkDir;

/// Theme files served as they are: (theme name, output stem, extension).
const THEME_ASSETS: [(&str, &str, &str); 4] = [
    ("css/folio.css", "folio", "css"),
    ("css/highlight.css", "highlight", "css"),
    ("js/folio.js", "folio", "js"),
    ("js/search.js", SEARCH_SCRIPT_STEM, "js"),
];

/// The stem of the search box's script, which pages load only when search is on.
const SEARCH_SCRIPT_STEM: &str = "search";

/// Where the static files ended up, relative to the output root.
#[derive(Debug, Default, Clone)]
pub struct AssetUrls {
    /// Stylesheets, in link order.
    pub stylesheets: Vec<String>,
    /// Scripts, in load order.
    pub scripts: Vec<String>,
    /// The search box's script.
    pub search_script: String,
}

/// The first 10 hex digits of the SHA-256 of `bytes`.
pub fn fingerprint(bytes: &[u8]) -> String {
    crate::digest::sha256_hex(bytes, 5)
}

/// The theme's CSS and JS plus the book's `additional-css`/`additional-js` files.
pub fn static_files(
    theme: &Theme,
    allowed: &Root,
    additional_css: &[std::path::PathBuf],
    additional_js: &[std::path::PathBuf],
) -> Result<(Vec<OutputFile>, AssetUrls), Diagnostic> {
    let mut files = Vec::new();
    let mut urls = AssetUrls::default();
    for (name, stem, extension) in THEME_ASSETS {
        let bytes = theme.file(name).text.as_bytes().to_vec();
        let path = format!("assets/{stem}-{}.{extension}", fingerprint(&bytes));
        match (extension, stem) {
            ("css", _) => urls.stylesheets.push(path.clone()),
            (_, SEARCH_SCRIPT_STEM) => urls.search_script.clone_from(&path),
            _ => urls.scripts.push(path.clone()),
        }
        files.push(OutputFile {
            path,
            bytes: Arc::new(bytes),
        });
    }
    for (paths, urls) in [
        (additional_css, &mut urls.stylesheets),
        (additional_js, &mut urls.scripts),
    ] {
        for relative in paths {
            let config_file = allowed.path().join(crate::config::CONFIG_FILE);
            let written = relative.to_string_lossy();
            let source = allowed
                .join(allowed.path(), &written)
                .map_err(|escape| confine::refusal(&escape, relative).in_file(&config_file))?;
            let bytes = crate::source_file::read_bytes(&source).map_err(|error| {
                Diagnostic::error(
                    "missing-asset",
                    format!("cannot read {}: {}", source.display(), error.message),
                )
                .in_file(&config_file)
                .with_hint("fix the path in [output.html] additional-css / additional-js")
            })?;
            let relative = source
                .strip_prefix(allowed.path())
                .expect("a confined path is inside its root");
            let path = relative.to_string_lossy().replace('\\', "/");
            urls.push(path.clone());
            files.push(OutputFile {
                path,
                bytes: Arc::new(bytes),
            });
        }
    }
    Ok((files, urls))
}

/// Copies every file of a language tree that is not markdown, under `url_prefix`; a
/// symbolic link is copied when it leads to a file inside `allowed` (the book), and is an
/// error when it leads outside. Every file that cannot be copied is reported, not the
/// first.
pub fn content_files(
    language_dir: &Path,
    url_prefix: &str,
    allowed: &Root,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let entries = WalkDir::new(language_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !entry.file_name().to_string_lossy().starts_with('.'));
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                problems.push(Diagnostic::error(
                    "read-failed",
                    format!("cannot list {}: {error}", language_dir.display()),
                ));
                continue;
            }
        };
        let is_markdown = entry
            .path()
            .extension()
            .is_some_and(|extension| extension == "md");
        if is_markdown || entry.path().is_dir() {
            continue;
        }
        let Some(name) = entry
            .path()
            .strip_prefix(language_dir)
            .ok()
            .and_then(Path::to_str)
        else {
            problems.push(Diagnostic::error(
                "file-name",
                format!(
                    "`{}`: this name is not valid UTF-8, and a site's addresses are: no link could reach it",
                    entry.path().display()
                ),
            )
            .in_file(entry.path())
            .with_hint("rename it in UTF-8 (`convmv -f latin1 -t utf-8 --notest FILE`), or remove it from the content directory"));
            continue;
        };
        if name.chars().any(char::is_control) {
            problems.push(Diagnostic::error(
                "file-name",
                "this file's name has a control character (a newline, a tab): no site can hold it",
            )
            .in_file(entry.path())
            .with_hint("rename the file, or remove it from the content directory"));
            continue;
        }
        let bytes = match allowed.read(entry.path()) {
            Ok(bytes) => bytes,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let relative = entry
            .path()
            .strip_prefix(language_dir)
            .expect("walkdir yields paths under its root")
            .to_string_lossy()
            .replace('\\', "/");
        files.push(OutputFile {
            path: format!("{url_prefix}{relative}"),
            bytes: Arc::new(bytes),
        });
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}
