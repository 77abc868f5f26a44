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
}

impl Default for PdfOutput {
    fn default() -> Self {
        Self {
            enable: true,
            page_size: "A4".to_string(),
        }
    }
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

/// `[output.html.search]` (mdBook's table; folio reads `enable`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct SearchSection {
    /// Build a search index and show a search box.
    pub enable: bool,
}

impl Default for SearchSection {
    fn default() -> Self {
        Self { enable: true }
    }
}
