//! The tables of `book.toml` about the book itself and folio's own features: `[book]`,
//! `[build]`, `[snippets]`, `[runbooks]`, `[timeline]`, `[sample]`, `[numbering]`,
//! `[check]`, each with its defaults.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

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
    /// Where `{{#include}}` and its kin may read, relative to the book's directory;
    /// default: the book's repository (its git work tree, else its directory).
    pub include_root: Option<PathBuf>,
}

impl Default for BuildSection {
    fn default() -> Self {
        Self {
            build_dir: PathBuf::from("book"),
            create_missing: None,
            use_default_preprocessors: None,
            extra_watch_dirs: Vec::new(),
            include_root: None,
        }
    }
}

/// `[snippets]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
pub struct SnippetsSection {
    /// `[snippets.sources.NAME]`: each named source.
    pub sources: BTreeMap<String, SourceConfig>,
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
            required_sections: DEFAULT_REQUIRED_SECTIONS
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
            tags: DEFAULT_TAGS.iter().map(|tag| tag.to_string()).collect(),
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
    pub captions: CaptionNumbering,
}

/// `[snippets.sources.NAME]` in book.toml.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
pub struct SourceConfig {
    /// A local directory, relative to the book root, read live.
    pub path: Option<PathBuf>,
    /// A local git repository, relative to the book root, read at `rev`.
    pub git: Option<PathBuf>,
    /// A branch, tag or commit of `git`.
    pub rev: Option<String>,
    /// A link to a file of the source: `{path}` and `{commit}` are filled in.
    pub url: Option<String>,
}

/// The section names every runbook has unless `[runbooks] required-sections` says otherwise.
pub const DEFAULT_REQUIRED_SECTIONS: [&str; 4] =
    ["Deploy", "Roll back", "Alerts", "Known incidents"];

/// The tags an event may carry unless `[timeline] tags` says otherwise.
pub const DEFAULT_TAGS: [&str; 5] = ["infra", "team", "incident", "publication", "migration"];

/// `[numbering] captions` in book.toml: how figures and tables are counted.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CaptionNumbering {
    /// 1, 2, 3... through the whole book.
    #[default]
    Book,
    /// 2.1, 2.2... restarting in each chapter, prefixed with its number.
    Chapter,
}

/// How a kind of translation problem is reported (`[check]` in book.toml).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CheckLevel {
    /// Not reported.
    Allow,
    /// A warning (an error with `--deny-warnings`).
    Warning,
    /// An error.
    Error,
}

/// `[check]`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct CheckSection {
    /// A translated page whose original changed since (default: warning).
    pub stale_translation: CheckLevel,
    /// A page that exists only in the original language (default: allow).
    pub missing_translation: CheckLevel,
    /// A translated page that records no `source-hash` (default: allow).
    pub unverified_translation: CheckLevel,
}

impl Default for CheckSection {
    fn default() -> Self {
        Self {
            stale_translation: CheckLevel::Warning,
            missing_translation: CheckLevel::Allow,
            unverified_translation: CheckLevel::Allow,
        }
    }
}
