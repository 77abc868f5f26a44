//! Pipeline step 0: read `book.toml` into a typed [`Config`].
//!
//! Keys follow mdBook where mdBook has them (`[book]`, `[build]`, `[output.html]`);
//! `[language.CODE]` tables make a book multilingual.

pub mod environment;
mod output;
mod sections;

pub use output::{
    CodeSection, EpubOutput, FoldSection, HtmlOutput, OutputSection, PdfOutput, PrintSection,
    SearchSection, UntranslatedFallback,
};
pub use sections::{
    BookSection, BuildSection, CaptionNumbering, CheckLevel, CheckSection,
    DEFAULT_REQUIRED_SECTIONS, DEFAULT_TAGS, NumberingSection, RunbooksSection, SampleSection,
    SnippetsSection, SourceConfig, TimelineSection,
};

use crate::diagnostic::Diagnostic;
use crate::toml_input;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// mdBook's built-in renderer of preprocessed markdown, which folio does not have.
const MARKDOWN_RENDERER: &str = "markdown";

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
    pub check: CheckSection,
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
    /// `[preprocessor.*]`: mdBook preprocessors, run by `build::preprocessors` when allowed.
    #[serde(default)]
    pub preprocessor: BTreeMap<String, toml::Value>,
    /// `[rust]`: mdBook's Rust playground settings, accepted and unused.
    #[serde(default)]
    pub rust: Option<toml::Value>,
    /// book.toml as read, with the environment's overrides: the `config` a preprocessor
    /// or a renderer is given.
    #[serde(skip)]
    pub document: toml::Table,
    /// The keys the environment set (`MDBOOK_*`), in the order they were applied.
    #[serde(skip)]
    pub from_environment: Vec<environment::Override>,
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
        Self::load_with(book_dir, std::env::vars())
    }

    /// [`load`](Self::load) with the environment `variables` (mdBook's `MDBOOK_*`
    /// overrides among them), each override a note saying where its key came from.
    pub fn load_with(
        book_dir: &Path,
        variables: impl Iterator<Item = (String, String)>,
    ) -> Result<(Config, Vec<Diagnostic>), Diagnostic> {
        let path = book_dir.join(CONFIG_FILE);
        let overrides = environment::overrides(variables).map_err(|error| error.in_file(&path))?;
        let text = if path.exists() {
            crate::source_file::read_text(&path)?
        } else {
            String::new()
        };
        // The file first, alone: its mistakes are reported at their lines.
        let (mut config, mut warnings): (Config, _) = toml_input::parse(&text, &path, 1)?;
        let mut document: toml::Table = text.parse().unwrap_or_default();
        if !overrides.is_empty() {
            environment::apply(&mut document, &overrides);
            let (overridden, unknown) = toml_input::parse_table::<Config>(document.clone())
                .map_err(|message| {
                    Diagnostic::error(
                        "environment",
                        format!("with the environment's MDBOOK_* overrides, book.toml {message}"),
                    )
                    .in_file(&path)
                    .with_hint("fix the value of the MDBOOK_* variable that sets this key")
                })?;
            config = overridden;
            for key in unknown {
                let Some(entry) = overrides
                    .iter()
                    .find(|entry| key == entry.key || key.starts_with(&format!("{}.", entry.key)))
                else {
                    continue;
                };
                warnings.push(
                    Diagnostic::warning(
                        "unknown-key",
                        format!("unknown key `{key}` (set by {}) is ignored", entry.variable),
                    )
                    .in_file(&path)
                    .with_hint("check the variable's name: `__` between tables, `_` for `-`"),
                );
            }
            warnings.extend(
                overrides
                    .iter()
                    .map(|entry| environment::note(entry, &path)),
            );
        }
        config.document = document;
        config.from_environment = overrides;
        warnings.extend(config.unsupported_features(&path));
        config.validate(&path)?;
        Ok((config, warnings))
    }

    /// The `[output.NAME]` tables of renderers folio runs as commands (mdBook's
    /// renderer protocol): every table but folio's own (`html`, `epub`, `pdf`) and
    /// mdBook's built-in `markdown`, in the order of their names.
    pub fn renderer_tables(&self) -> impl Iterator<Item = (&str, &toml::Value)> {
        self.output
            .others
            .iter()
            .filter(|(name, _)| name.as_str() != MARKDOWN_RENDERER)
            .map(|(name, table)| (name.as_str(), table))
    }

    /// How headings get their ids: mdBook's for a book without `[language.*]` tables
    /// (an mdBook book, whose links are written against them), folio's ASCII ids for
    /// folio's multilingual books.
    pub fn heading_ids(&self) -> crate::slug::HeadingIds {
        if self.language.is_empty() {
            crate::slug::HeadingIds::Mdbook
        } else {
            crate::slug::HeadingIds::Folded
        }
    }

    /// Where the site of a build into `build_dir` goes: `build_dir` itself, or
    /// `build_dir/html` when the book has other renderers (each writing `build_dir/NAME`),
    /// as mdBook lays it out.
    pub fn site_dir(&self, build_dir: &Path) -> PathBuf {
        if self.renderer_tables().next().is_some() {
            build_dir.join("html")
        } else {
            build_dir.to_path_buf()
        }
    }

    fn unsupported_features(&self, path: &Path) -> Vec<Diagnostic> {
        let renderers = self
            .output
            .others
            .keys()
            .filter(|name| name.as_str() == MARKDOWN_RENDERER)
            .map(|name| {
                Diagnostic::warning(
                    "unsupported",
                    format!(
                        "mdBook's built-in renderer `output.{name}` is not part of folio; ignored"
                    ),
                )
            });
        let html = &self.output.html;
        let unused: Vec<String> = html
            .unused
            .keys()
            .map(|key| format!("`{key}` ({})", output::unused_reason(key)))
            .chain(
                html.search
                    .unused
                    .keys()
                    .map(|key| format!("`search.{key}` ({})", output::unused_reason(key))),
            )
            .chain(
                (!html.print.page_break)
                    .then(|| "`print.page-break = false` (chapters always start a page)".into()),
            )
            .collect();
        let unused_keys = (!unused.is_empty()).then(|| {
            let first = html
                .unused
                .keys()
                .next()
                .map(|key| crate::toml_input::line_of_key_in(path, key))
                .unwrap_or(1);
            Diagnostic::warning(
                "unsupported",
                format!(
                    "[output.html] keys folio does not use, ignored: {}",
                    unused.join("; ")
                ),
            )
            .at_line(first)
            .with_hint("see \"Coming from mdBook\" in folio's README for each key")
        });
        renderers
            .chain(unused_keys)
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
            if !is_language_code(code) {
                let line = toml_input::line_of_key_in(path, &format!("language.{code}"));
                return Err(Diagnostic::error(
                    "config",
                    format!("`{code}` is not a language code"),
                )
                .in_file(path)
                .at_line(line)
                .with_hint("use a code such as `fr`, `en` or `pt-BR` (it names the language's directory in the site, beside `assets/` and `pagefind/`)"));
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

    /// `[typography]`, with mdBook's `smart-punctuation = false` turning off quotes and
    /// ellipses.
    pub fn typography_rules(&self) -> crate::typography::TypographyRules {
        let mut rules = self.typography;
        if self.output.html.smart_punctuation == Some(false) {
            rules.quotes = false;
            rules.ellipsis = false;
        }
        rules
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

/// A BCP 47 tag as folio takes it: a primary language of 2 or 3 letters, then subtags
/// of 2 to 8 letters or digits (`fr`, `pt-BR`, `zh-Hant`). Nothing else can name a
/// directory of the site: `assets`, `pagefind` or `..` would overwrite or escape it.
fn is_language_code(code: &str) -> bool {
    let mut subtags = code.split('-');
    let primary = subtags.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && subtags.all(|subtag| {
            (2..=8).contains(&subtag.len()) && subtag.chars().all(|c| c.is_ascii_alphanumeric())
        })
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
