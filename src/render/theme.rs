//! The theme: Tera templates, stylesheets, scripts and interface strings embedded from
//! `themes/default`, each overridable by a file of the same name in the book's theme
//! directory.

use crate::confine::Root;
use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The embedded default theme: (name relative to the theme directory, contents).
const DEFAULT_THEME: [(&str, &str); 17] = [
    (
        "layout.html",
        include_str!("../../themes/default/layout.html"),
    ),
    (
        "sidebar.html",
        include_str!("../../themes/default/sidebar.html"),
    ),
    (
        "toc_entries.html",
        include_str!("../../themes/default/toc_entries.html"),
    ),
    ("page.html", include_str!("../../themes/default/page.html")),
    (
        "runbook_card.html",
        include_str!("../../themes/default/runbook_card.html"),
    ),
    (
        "landing.html",
        include_str!("../../themes/default/landing.html"),
    ),
    (
        "redirect.html",
        include_str!("../../themes/default/redirect.html"),
    ),
    ("404.html", include_str!("../../themes/default/404.html")),
    (
        "print.html",
        include_str!("../../themes/default/print.html"),
    ),
    (
        "css/print.css",
        include_str!("../../themes/default/css/print.css"),
    ),
    (
        "css/epub.css",
        include_str!("../../themes/default/css/epub.css"),
    ),
    (
        "css/folio.css",
        include_str!("../../themes/default/css/folio.css"),
    ),
    (
        "css/highlight.css",
        include_str!("../../themes/default/css/highlight.css"),
    ),
    (
        "js/folio.js",
        include_str!("../../themes/default/js/folio.js"),
    ),
    (
        "js/search.js",
        include_str!("../../themes/default/js/search.js"),
    ),
    (
        "i18n/fr.toml",
        include_str!("../../themes/default/i18n/fr.toml"),
    ),
    (
        "i18n/en.toml",
        include_str!("../../themes/default/i18n/en.toml"),
    ),
];

/// The language whose interface strings fill in for a language the theme lacks.
const FALLBACK_UI_LANGUAGE: &str = "en";

/// A theme file's text and where it came from.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// The file's text.
    pub text: String,
    /// The book's override file, or `None` for the embedded default.
    pub overridden_by: Option<PathBuf>,
}

/// The theme, with the book's overrides applied.
#[derive(Debug, Clone)]
pub struct Theme {
    files: BTreeMap<String, ThemeFile>,
}

/// Interface strings of one language ("Previous chapter", ...).
pub type UiStrings = BTreeMap<String, String>;

impl Theme {
    /// Loads the default theme, replacing each file the book's `theme_dir` also has;
    /// override files must lie inside `allowed` (the book).
    pub fn load(theme_dir: &Path, allowed: &Root) -> Result<Theme, Diagnostic> {
        let mut files = BTreeMap::new();
        for (name, default_text) in DEFAULT_THEME {
            let override_path = theme_dir.join(name);
            let file = if crate::confine::is_present(&override_path) {
                ThemeFile {
                    text: allowed.read_text(&override_path)?,
                    overridden_by: Some(override_path),
                }
            } else {
                ThemeFile {
                    text: default_text.to_string(),
                    overridden_by: None,
                }
            };
            files.insert(name.to_string(), file);
        }
        for (name, path) in extra_strings_files(theme_dir) {
            files.entry(name).or_insert(ThemeFile {
                text: allowed.read_text(&path)?,
                overridden_by: Some(path),
            });
        }
        Ok(Theme { files })
    }

    /// The theme file `name` (one of the default theme's names).
    pub fn file(&self, name: &str) -> &ThemeFile {
        self.files
            .get(name)
            .expect("only names of the default theme are asked for")
    }

    /// The templates, by name.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files
            .iter()
            .filter(|(name, _)| name.ends_with(".html"))
            .map(|(name, file)| (name.as_str(), file))
    }

    /// The interface strings for `language`, completed from English where missing.
    pub fn ui_strings(&self, language: &str) -> Result<UiStrings, Diagnostic> {
        let mut strings = self.parse_strings(&format!("i18n/{FALLBACK_UI_LANGUAGE}.toml"))?;
        let own = format!("i18n/{language}.toml");
        if language != FALLBACK_UI_LANGUAGE && self.files.contains_key(&own) {
            strings.extend(self.parse_strings(&own)?);
        }
        Ok(strings)
    }

    fn parse_strings(&self, name: &str) -> Result<UiStrings, Diagnostic> {
        let file = self.file(name);
        let path = file
            .overridden_by
            .clone()
            .unwrap_or_else(|| PathBuf::from(name));
        let (strings, _unknown) = crate::toml_input::parse::<UiStrings>(&file.text, &path, 1)?;
        Ok(strings)
    }
}

/// Interface strings for languages the default theme lacks: `THEME_DIR/i18n/CODE.toml`.
fn extra_strings_files(theme_dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(theme_dir.join("i18n")) else {
        return Vec::new();
    };
    let mut files: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "toml")
        })
        .filter_map(|path| {
            let name = format!("i18n/{}", path.file_name()?.to_string_lossy());
            Some((name, path))
        })
        .collect();
    files.sort();
    files
}
