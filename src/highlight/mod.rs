//! Syntax highlighting of code blocks with syntect and two-face's extra grammars
//! (Terraform/HCL, Dockerfile, TOML, ...). Output is CSS classes (`hl-keyword`,
//! `hl-string`, ...) so the theme's light and dark palettes both apply.

pub mod cache;
pub mod lines;

use cache::HighlightCache;
use pulldown_cmark_escape::escape_html_body_text;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The class prefix of every highlighted token.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Code languages written without highlighting, on purpose.
const PLAIN_LANGUAGES: [&str; 5] = ["text", "txt", "plain", "plaintext", "none"];

/// Highlights code; holds the grammars, loaded once per process.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    cache: Option<HighlightCache>,
}

/// A highlighted code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlighted {
    /// HTML for the inside of `<code>`.
    pub html: String,
    /// False when the language was named but no grammar knows it.
    pub known_language: bool,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// Loads the grammars (a few milliseconds).
    pub fn new() -> Self {
        Self {
            syntaxes: two_face::syntax::extra_newlines(),
            cache: None,
        }
    }

    /// Keeps highlighted blocks in `cache` (loaded from the last build's cache file).
    pub fn use_cache(&mut self, cache: HighlightCache) {
        self.cache = Some(cache);
    }

    /// The cache file to leave for the next build, when a cache is in use.
    pub fn take_cache_file(&mut self) -> Option<Vec<u8>> {
        self.cache.as_mut().map(HighlightCache::take_file)
    }

    /// Highlights `code` written in `language` (a fence info word such as `hcl`), from
    /// the cache when it holds the block.
    pub fn highlight(&self, code: &str, language: &str) -> Highlighted {
        match &self.cache {
            Some(cache) => {
                cache.get_or_insert(code, language, || self.highlight_now(code, language))
            }
            None => self.highlight_now(code, language),
        }
    }

    fn highlight_now(&self, code: &str, language: &str) -> Highlighted {
        let plain = || {
            let mut html = String::new();
            escape_html_body_text(&mut html, code).expect("writing to a String cannot fail");
            html
        };
        if language.is_empty() || PLAIN_LANGUAGES.contains(&language) {
            return Highlighted {
                html: plain(),
                known_language: true,
            };
        }
        let Some(syntax) = self.syntax_for(code, language) else {
            return Highlighted {
                html: plain(),
                known_language: false,
            };
        };
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if generator
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                return Highlighted {
                    html: plain(),
                    known_language: true,
                };
            }
        }
        Highlighted {
            html: generator.finalize(),
            known_language: true,
        }
    }

    fn syntax_for(&self, code: &str, language: &str) -> Option<&SyntaxReference> {
        let lower = language.to_ascii_lowercase();
        let token = match lower.as_str() {
            "shell" | "console" | "zsh" | "shell-session" => "bash",
            "php" if !code.contains("<?") => {
                return self.syntaxes.find_syntax_by_name("PHP Source");
            }
            "helm" | "gotmpl" => "yaml",
            "jsonc" | "json5" => "json",
            other => other,
        };
        self.syntaxes.find_syntax_by_token(token)
    }
}
