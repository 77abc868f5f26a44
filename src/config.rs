//! Pipeline step 0: read `book.toml` into a typed [`Config`].
//!
//! Keys follow mdBook where mdBook has them (`[book]`, `[build]`, `[output.html]`);
//! `[language.CODE]` tables make a book multilingual.

use crate::diagnostic::Diagnostic;
use crate::toml_input;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name of the configuration file at a book's root.
pub const CONFIG_FILE: &str = "book.toml";

/// A book's whole configuration, with defaults filled in.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub struct Config {
    /// `[book]`: title, authors, where the sources are.
    #[serde(default)]
    pub book: BookSection,
    /// `[build]`: where the output goes.
    #[serde(default)]
    pub build: BuildSection,
    /// `[output.*]`: per-renderer settings.
    #[serde(default)]
    pub output: OutputSection,
    /// `[language.CODE]`: one table per language; none means a single-language book.
    #[serde(default)]
    pub language: BTreeMap<String, LanguageSection>,
    /// `[numbering]`: how figures and tables are numbered.
    #[serde(default)]
    pub numbering: NumberingSection,
    /// `[check]`: how `folio check` reports translation states.
    #[serde(default)]
    pub check: crate::check::CheckSection,
    /// `[snippets]`: the infrastructure repositories snippets come from.
    #[serde(default)]
    pub snippets: SnippetsSection,
    /// `[runbooks]`: what every runbook must contain.
    #[serde(default)]
    pub runbooks: RunbooksSection,
    /// `[timeline]`: the tags timeline events may carry.
    #[serde(default)]
    pub timeline: TimelineSection,
    /// `[sample]`: the free sample edition.
    #[serde(default)]
    pub sample: SampleSection,
    /// `[typography]`: which typographic rules apply to running text.
    #[serde(default)]
    pub typography: crate::typography::TypographyRules,
    /// `[preprocessor.*]`: mdBook preprocessors, which folio does not run.
    #[serde(default)]
    pub preprocessor: BTreeMap<String, toml::Value>,
    /// `[rust]`: mdBook's Rust playground settings, accepted and unused.
    #[serde(default)]
    pub rust: Option<toml::Value>,
}

/// `[book]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BookSection {
    /// The book's title (each language may override it).
    pub title: Option<String>,
    /// The authors, shown on the landing page.
    pub authors: Vec<String>,
    /// A one-line description for the HTML `<meta>`.
    pub description: Option<String>,
    /// The source directory, relative to the book root (mdBook's default: `src`).
    pub src: PathBuf,
    /// The language of a single-language book.
    pub language: Option<String>,
    /// mdBook's text direction; accepted for compatibility.
    pub text_direction: Option<String>,
    /// mdBook's old multilingual flag; accepted for compatibility.
    pub multilingual: Option<bool>,
}

impl Default for BookSection {
    fn default() -> Self {
        Self {
            title: None,
            authors: Vec::new(),
            description: None,
            src: PathBuf::from("src"),
            language: None,
            text_direction: None,
            multilingual: None,
        }
    }
}

/// `[build]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BuildSection {
    /// The output directory, relative to the book root (mdBook's default: `book`).
    pub build_dir: PathBuf,
    /// mdBook creates missing files; folio reports them instead.
    pub create_missing: Option<bool>,
    /// mdBook's switch for its built-in preprocessors; accepted for compatibility.
    pub use_default_preprocessors: Option<bool>,
    /// mdBook's extra watched directories; accepted for compatibility.
    pub extra_watch_dirs: Vec<PathBuf>,
}

impl Default for BuildSection {
    fn default() -> Self {
        Self {
            build_dir: PathBuf::from("book"),
            create_missing: None,
            use_default_preprocessors: None,
            extra_watch_dirs: Vec::new(),
        }
    }
}

/// `[snippets]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
pub struct SnippetsSection {
    /// `[snippets.sources.NAME]`: each named source.
    pub sources: BTreeMap<String, crate::snippets::sources::SourceConfig>,
}

/// `[runbooks]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct RunbooksSection {
    /// The `##` sections every runbook must have (matched by heading id).
    pub required_sections: Vec<String>,
}

impl Default for RunbooksSection {
    fn default() -> Self {
        Self {
            required_sections: crate::book::runbooks::DEFAULT_REQUIRED_SECTIONS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

/// `[timeline]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct TimelineSection {
    /// The tags events may carry, in the order the filter shows them.
    pub tags: Vec<String>,
}

impl Default for TimelineSection {
    fn default() -> Self {
        Self {
            tags: crate::book::timeline::DEFAULT_TAGS
                .iter()
                .map(|tag| tag.to_string())
                .collect(),
        }
    }
}

/// `[sample]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
pub struct SampleSection {
    /// Where readers of the sample find the full book.
    pub full_book_url: Option<String>,
}

/// `[numbering]`.
#[derive(Debug, Clone, Copy, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
pub struct NumberingSection {
    /// `book` (1, 2, 3... through the book) or `chapter` (2.1, 2.2...).
    pub captions: crate::markdown::labels::CaptionNumbering,
}

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

/// `[language.CODE]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
pub struct LanguageSection {
    /// The book's title in this language.
    pub title: Option<String>,
    /// The language's own name for the language switch ("Français").
    pub name: Option<String>,
    /// The book's description in this language.
    pub description: Option<String>,
    /// True for the language the book is written in; translations follow it.
    pub source: bool,
}

/// A language of the book, resolved from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// BCP 47 code such as `fr`.
    pub code: String,
    /// The language's name in itself.
    pub name: String,
    /// The book's title in this language.
    pub title: String,
    /// The book's description in this language.
    pub description: Option<String>,
    /// True for the original language.
    pub is_source: bool,
    /// The directory of this language's sources, relative to the book root.
    pub src_dir: PathBuf,
    /// The output prefix (`fr/`), empty for a single-language book.
    pub url_prefix: String,
}

impl Config {
    /// Reads `BOOK_DIR/book.toml`; a missing file gives the defaults (as mdBook does).
    pub fn load(book_dir: &Path) -> Result<(Config, Vec<Diagnostic>), Diagnostic> {
        let path = book_dir.join(CONFIG_FILE);
        if !path.exists() {
            return Ok((Config::default(), Vec::new()));
        }
        let text = crate::source_file::read_text(&path)?;
        let (config, mut warnings): (Config, _) = toml_input::parse(&text, &path, 1)?;
        warnings.extend(config.unsupported_features(&path));
        config.validate(&path)?;
        Ok((config, warnings))
    }

    fn unsupported_features(&self, path: &Path) -> Vec<Diagnostic> {
        let preprocessors = self.preprocessor.keys().map(|name| {
            Diagnostic::warning(
                "unsupported",
                format!("preprocessor `{name}` is not run by folio; ignored"),
            )
        });
        let renderers = self.output.others.keys().map(|name| {
            Diagnostic::warning(
                "unsupported",
                format!("renderer `output.{name}` is not part of folio; ignored"),
            )
        });
        preprocessors
            .chain(renderers)
            .map(|d| d.in_file(path))
            .collect()
    }

    fn validate(&self, path: &Path) -> Result<(), Diagnostic> {
        if !self.language.is_empty() {
            let sources: Vec<&String> = self
                .language
                .iter()
                .filter(|(_, section)| section.source)
                .map(|(code, _)| code)
                .collect();
            if sources.len() != 1 {
                return Err(Diagnostic::error(
                    "config",
                    format!(
                        "exactly one [language.*] table must say `source = true`; found {}",
                        sources.len()
                    ),
                )
                .in_file(path)
                .with_hint("mark the language the book is written in with `source = true`"));
            }
        }
        for code in self.language.keys() {
            let valid =
                !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                return Err(Diagnostic::error(
                    "config",
                    format!("`{code}` is not a language code"),
                )
                .in_file(path)
                .with_hint("use a code such as `fr`, `en` or `pt-BR`"));
            }
        }
        Ok(())
    }

    /// The book's languages, the source language first.
    pub fn languages(&self) -> Vec<Language> {
        if self.language.is_empty() {
            let code = self
                .book
                .language
                .clone()
                .unwrap_or_else(|| "en".to_string());
            return vec![Language {
                name: default_language_name(&code),
                title: self.book.title.clone().unwrap_or_default(),
                description: self.book.description.clone(),
                is_source: true,
                src_dir: self.book.src.clone(),
                url_prefix: String::new(),
                code,
            }];
        }
        let mut languages: Vec<Language> = self
            .language
            .iter()
            .map(|(code, section)| Language {
                code: code.clone(),
                name: section
                    .name
                    .clone()
                    .unwrap_or_else(|| default_language_name(code)),
                title: section
                    .title
                    .clone()
                    .or_else(|| self.book.title.clone())
                    .unwrap_or_default(),
                description: section
                    .description
                    .clone()
                    .or_else(|| self.book.description.clone()),
                is_source: section.source,
                src_dir: self.book.src.join(code),
                url_prefix: format!("{code}/"),
            })
            .collect();
        languages.sort_by_key(|language| !language.is_source);
        languages
    }

    /// The output directory, resolved against the book root.
    pub fn build_dir(&self, book_dir: &Path) -> PathBuf {
        book_dir.join(&self.build.build_dir)
    }

    /// The book's own theme directory, resolved against the book root.
    pub fn theme_dir(&self, book_dir: &Path) -> PathBuf {
        book_dir.join(
            self.output
                .html
                .theme
                .as_deref()
                .unwrap_or(Path::new("theme")),
        )
    }

    /// The colour theme a page starts with: `light`, `dark` or `auto`.
    pub fn color_scheme(&self) -> &'static str {
        let html = &self.output.html;
        match html.default_theme.as_deref() {
            Some("light" | "rust") => "light",
            Some("dark" | "coal" | "navy" | "ayu") => "dark",
            _ => "auto",
        }
    }
}

fn default_language_name(code: &str) -> String {
    match code {
        "fr" => "Français",
        "en" => "English",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "nl" => "Nederlands",
        "hr" => "Hrvatski",
        "hu" => "Magyar",
        _ => code,
    }
    .to_string()
}
