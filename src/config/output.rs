//! The `[output.*]` tables of `book.toml`: HTML (mdBook's keys), PDF and EPUB.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `[output.pdf]`: a PDF per language from the print page, through an installed engine.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct PdfOutput {
    /// Write PDFs (a warning, not an error, when no engine is installed).
    pub enable: bool,
    /// `A4` or `6x9` (inches), or any CSS page size.
    pub page_size: String,
    /// What a translation's PDF and EPUB hold for its chapters not translated yet.
    pub fallback: UntranslatedFallback,
}

impl Default for PdfOutput {
    fn default() -> Self {
        Self {
            enable: true,
            page_size: "A4".to_string(),
            fallback: UntranslatedFallback::default(),
        }
    }
}

/// `[output.pdf] fallback`: a translation's chapters not translated yet, in its PDF and
/// EPUB.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum UntranslatedFallback {
    /// `"list"`: their titles in one "Not yet translated" chapter at the end.
    #[default]
    List,
    /// `"source"`: each in the source language, with a note, in its place.
    Source,
}

impl PdfOutput {
    /// The page size as CSS `@page size` understands it.
    pub fn css_page_size(&self) -> String {
        match self.page_size.as_str() {
            "6x9" => "6in 9in".to_string(),
            other => other.to_string(),
        }
    }
}

/// `[output.epub]`: an EPUB 3 per language.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct EpubOutput {
    /// Write EPUBs.
    pub enable: bool,
}

impl Default for EpubOutput {
    fn default() -> Self {
        Self { enable: true }
    }
}

/// `[output]`: the renderers' tables.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct OutputSection {
    /// `[output.html]`.
    #[serde(default)]
    pub html: HtmlOutput,
    /// `[output.pdf]`: present to write PDFs (like any mdBook renderer table).
    #[serde(default)]
    pub pdf: Option<PdfOutput>,
    /// `[output.epub]`.
    #[serde(default)]
    pub epub: EpubOutput,
    /// Tables of renderers folio does not have (`[output.linkcheck]`, ...).
    #[serde(flatten)]
    pub others: BTreeMap<String, toml::Value>,
}

/// `[output.html]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
pub struct HtmlOutput {
    /// The book's own theme directory, relative to the book root (default `theme`).
    pub theme: Option<PathBuf>,
    /// `light`, `dark` or unset (follow the reader's system); mdBook's names map to these.
    pub default_theme: Option<String>,
    /// mdBook's dark theme choice; any value means dark.
    pub preferred_dark_theme: Option<String>,
    /// Hide chapter and section numbers.
    pub no_section_label: bool,
    /// Extra stylesheets copied from the book root and linked from every page.
    pub additional_css: Vec<PathBuf>,
    /// Extra scripts copied from the book root and loaded by every page.
    pub additional_js: Vec<PathBuf>,
    /// A link to the book's repository, shown in the header.
    pub git_repository_url: Option<String>,
    /// The site's public URL: canonical links, absolute hreflang links and sitemap.xml.
    pub site_url: Option<String>,
    /// `[output.html.search]`.
    pub search: SearchSection,
    /// `[output.html.code]`.
    pub code: CodeSection,
    /// mdBook's curly quotes and dashes: folio's typography is on by default; `false`
    /// turns off its quotes and ellipses. `curly-quotes` is mdBook's old name.
    #[serde(alias = "curly-quotes")]
    pub smart_punctuation: Option<bool>,
    /// `[output.html.print]`.
    pub print: PrintSection,
    /// `[output.html.fold]`.
    pub fold: FoldSection,
    /// The icon of the repository link: `fa-github`, `fa-gitlab`, `fa-code-fork`...
    pub git_repository_icon: Option<String>,
    /// "Edit this page": a URL with `{path}`, the page's source file under `[book] src`.
    pub edit_url_template: Option<String>,
    /// The markdown file (under `[book] src`) whose text the 404 page shows; default
    /// `404.md` when it exists; `""` for none.
    pub input_404: Option<String>,
    /// The domain written to a `CNAME` file at the site's root (GitHub Pages).
    pub cname: Option<String>,
    /// `[output.html.redirect]`: an old path of the site (`/old/page.html`) to the URL
    /// it moved to (relative to the old path, or absolute).
    pub redirect: BTreeMap<String, String>,
    /// mdBook's cache-busting file names; folio always fingerprints its assets.
    pub hash_files: Option<bool>,
    /// mdBook keys folio accepts and does not use (named in one warning).
    #[serde(flatten)]
    pub unused: BTreeMap<String, toml::Value>,
    /// Tables of contents with more entries than this (default 300) are written once per
    /// language (`toc.js`) instead of into every page, which would make big books grow
    /// quadratically; readers without JavaScript get a link to the language's contents.
    pub toc_inline_max: Option<usize>,
}

impl HtmlOutput {
    /// The most table-of-contents entries written into every page.
    pub fn toc_inline_max(&self) -> usize {
        self.toc_inline_max.unwrap_or(300)
    }
}

/// `[output.html.code]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
pub struct CodeSection {
    /// `[output.html.code.hidelines]`: per language, the prefix that hides a line.
    pub hidelines: BTreeMap<String, String>,
}

/// `[output.html.print]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct PrintSection {
    /// Write the print page (and the PDFs made from it).
    pub enable: bool,
    /// Chapters start on a new page (always, in folio).
    pub page_break: bool,
}

impl Default for PrintSection {
    fn default() -> Self {
        Self {
            enable: true,
            page_break: true,
        }
    }
}

/// `[output.html.fold]`: sub-chapters folded in the sidebar.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
pub struct FoldSection {
    /// Fold the sidebar's nested chapters.
    pub enable: bool,
    /// How many levels stay open (0: only top-level chapters show).
    pub level: u8,
}

/// `[output.html.search]` (mdBook's table).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct SearchSection {
    /// Build a search index and show a search box.
    pub enable: bool,
    /// The most results shown (mdBook's default: 30).
    pub limit_results: usize,
    /// The words of a result's excerpt (mdBook's default: 30).
    pub teaser_word_count: usize,
    /// mdBook's search tuning that pagefind does its own way (named in one warning).
    #[serde(flatten)]
    pub unused: BTreeMap<String, toml::Value>,
}

impl Default for SearchSection {
    fn default() -> Self {
        Self {
            enable: true,
            limit_results: 30,
            teaser_word_count: 30,
            unused: BTreeMap::new(),
        }
    }
}

/// Why folio leaves an mdBook `[output.html]` key unused, for the one warning naming them.
pub fn unused_reason(key: &str) -> &'static str {
    match key {
        "mathjax-support" => "folio renders no TeX; use a preprocessor that does",
        "copy-fonts" => "folio's theme uses the reader's system fonts",
        "google-analytics" => "removed from mdBook too; add a script with additional-js",
        "playground" | "playpen" => "folio has no Rust playground: code blocks are not runnable",
        "live-reload-endpoint" => "folio serve has its own live reload",
        "use-boolean-and"
        | "boost-title"
        | "boost-hierarchy"
        | "boost-paragraph"
        | "expand"
        | "heading-split-level"
        | "copy-js"
        | "chapter" => "pagefind ranks and splits results its own way",
        _ => "folio does not know this key",
    }
}
