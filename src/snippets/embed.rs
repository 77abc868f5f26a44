//! Expanding one directive into the text it stands for: reading the file (from a
//! source, or from the book for `{{#include}}`), cutting the selection, checking it
//! against its pinned hash, following includes inside included files.

use super::cut::dedent;
use super::directive::{self, Directive, Selector};
use super::select;
use super::sources::{Origin, ReadError, Sources, confined, read_confined};
use crate::book::translation::content_hash;
use crate::confine::Root;
use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// How deep includes may nest.
pub const MAX_INCLUDE_DEPTH: usize = 10;

/// The most text one directive may expand to, nested includes counted: a few includes
/// repeated at every level would otherwise grow without bound.
pub const MAX_EXPANDED_BYTES: usize = 8 * 1024 * 1024;

/// What a directive expands to.
#[derive(Debug, Clone)]
pub struct Embedded {
    /// The selected text.
    pub text: String,
    /// The language to highlight it as: `lang=`, else the file's extension.
    pub language: String,
    /// Where it comes from.
    pub origin: Origin,
    /// `caption="..."`.
    pub caption: Option<String>,
    /// The hash of `text`, as `hash=` pins it.
    pub hash: String,
    /// Problems that do not stop the build (a stale pin).
    pub warnings: Vec<Diagnostic>,
    /// True when the text is markdown to render (an included `.md` file).
    pub is_markdown: bool,
}

/// Expands directives for the pages of one book.
pub struct Embedder<'s> {
    sources: &'s Sources,
    book_root: Root,
}

impl<'s> Embedder<'s> {
    /// An embedder reading snippet sources from `sources` and includes from the book
    /// whose directory is `book_root`.
    pub fn new(sources: &'s Sources, book_root: &Root) -> Self {
        Self {
            sources,
            book_root: book_root.clone(),
        }
    }

    /// Expands the directive `text` written in the file `from`.
    pub fn embed(&self, text: &str, from: &Path) -> Result<Embedded, Diagnostic> {
        let directive = directive::parse(text).map_err(|error| {
            Diagnostic::error("snippet", format!("{error} in `{}`", text.trim()))
                .with_hint("see `{{#snippet SOURCE:PATH [SELECTOR] [OPTIONS]}}` in the README")
        })?;
        self.expand(&directive, from, &mut vec![])
    }

    fn expand(
        &self,
        directive: &Directive,
        from: &Path,
        chain: &mut Vec<PathBuf>,
    ) -> Result<Embedded, Diagnostic> {
        let failed =
            |error: ReadError| Diagnostic::error("snippet", error.message).with_hint(error.hint);
        let (file_text, origin, include_file) = match &directive.source {
            Some(source) => {
                let (text, origin) = self.sources.read(source, &directive.path).map_err(failed)?;
                (text.to_string(), origin, None)
            }
            None => {
                let (text, file, origin) =
                    self.read_include(&directive.path, from).map_err(failed)?;
                (text, origin, Some(file))
            }
        };
        let selected = select::select(&file_text, &directive.selector, &directive.path);
        let mut warnings = Vec::new();
        let mut text = match (selected, &directive.pinned) {
            (Ok(text), _) if directive.source.is_some() => select::without_anchor_markers(&text),
            (Ok(text), _) => text,
            (Err(error), Some(_)) => {
                // Pinned text that is gone: never an empty block that passes.
                return Err(Diagnostic::error(
                    "stale-snippet",
                    format!(
                        "the pinned selection is gone: {} ({})",
                        error.message,
                        describe(directive)
                    ),
                )
                .with_hint(format!(
                    "{}; then run `folio snippets --pin` to pin the new selection",
                    error.hint
                )));
            }
            (Err(error), None) => {
                return Err(Diagnostic::error(
                    "snippet",
                    format!("{} ({})", error.message, describe(directive)),
                )
                .with_hint(error.hint));
            }
        };
        if text.len() > MAX_EXPANDED_BYTES {
            return Err(too_large(&directive.path));
        }
        if let Some(file) = include_file {
            text = self.expand_nested(&text, &file, chain)?;
        }
        if directive.dedent {
            text = dedent(&text);
        }
        let hash = content_hash(&text);
        if let Some(pinned) = directive
            .pinned
            .as_deref()
            .filter(|pinned| *pinned != hash && !text.is_empty())
        {
            warnings.push(
                Diagnostic::warning("stale-snippet", format!("stale snippet: the selected content changed since it was pinned ({}; pinned {pinned}, now {hash})", describe(directive)))
                    .with_hint("check the text around the snippet still matches it, then run `folio snippets --pin`"),
            );
        }
        let extension = Path::new(&directive.path)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        let is_markdown =
            directive.source.is_none() && extension == "md" && directive.language.is_none();
        let language = directive
            .language
            .clone()
            .unwrap_or_else(|| language_of(extension, &directive.path));
        let mut origin = origin;
        if let Some(url) = origin.url.as_mut().filter(|url| url.contains("{lines}")) {
            // `{lines}`: where the selection is in the file (`L36-L58`), when it is found.
            let lines = select::line_range(&file_text, &text)
                .map(|(first, last)| format!("L{first}-L{last}"))
                .unwrap_or_default();
            *url = url.replace("{lines}", &lines);
        }
        Ok(Embedded {
            text,
            language,
            origin,
            caption: directive.caption.clone(),
            hash,
            warnings,
            is_markdown,
        })
    }

    /// Reads a book file for `{{#include}}`, relative to the including file's directory.
    fn read_include(
        &self,
        path: &str,
        from: &Path,
    ) -> Result<(String, PathBuf, Origin), ReadError> {
        let directory = from.parent().unwrap_or(Path::new("."));
        let directory = directory
            .canonicalize()
            .unwrap_or_else(|_| directory.to_path_buf());
        let relative_to_root = directory
            .strip_prefix(self.book_root.path())
            .unwrap_or(Path::new(""));
        let joined = relative_to_root
            .join(path)
            .to_string_lossy()
            .replace('\\', "/");
        let inside = confined(&joined).ok_or_else(|| {
            ReadError::new(
                format!("`{path}` leaves the book's directory"),
                "include files of the book only",
            )
        })?;
        let text = read_confined(&self.book_root, &inside, "the book")?;
        let origin = Origin {
            source: None,
            path: inside.clone(),
            rev: None,
            commit: None,
            url: None,
            watched: self.book_root.path().join(&inside),
        };
        Ok((
            text.to_string(),
            self.book_root.path().join(&inside),
            origin,
        ))
    }

    /// Expands `{{#include}}` lines inside an included file, refusing cycles.
    fn expand_nested(
        &self,
        text: &str,
        file: &Path,
        chain: &mut Vec<PathBuf>,
    ) -> Result<String, Diagnostic> {
        if !text.contains("{{#include ") {
            return Ok(text.to_string());
        }
        if chain.contains(&file.to_path_buf()) {
            let names: Vec<String> = chain
                .iter()
                .chain(std::iter::once(&file.to_path_buf()))
                .map(|f| self.display(f))
                .collect();
            return Err(Diagnostic::error(
                "include-cycle",
                format!("includes form a cycle: {}", names.join(" -> ")),
            )
            .with_hint("remove one of the includes"));
        }
        if chain.len() >= MAX_INCLUDE_DEPTH {
            return Err(Diagnostic::error(
                "include-depth",
                format!("includes nest deeper than {MAX_INCLUDE_DEPTH} levels"),
            )
            .with_hint("flatten the includes"));
        }
        chain.push(file.to_path_buf());
        let mut expanded = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            if directive::is_directive(line) && line.trim().starts_with("{{#include ") {
                let directive = directive::parse(line).map_err(|error| {
                    Diagnostic::error("snippet", format!("{error} in {}", self.display(file)))
                })?;
                let nested = self.expand(&directive, file, chain)?;
                expanded.push_str(&nested.text);
                if expanded.len() > MAX_EXPANDED_BYTES {
                    return Err(too_large(&self.display(file)));
                }
            } else {
                expanded.push_str(line);
            }
        }
        chain.pop();
        Ok(expanded)
    }

    fn display(&self, file: &Path) -> String {
        file.strip_prefix(self.book_root.path())
            .unwrap_or(file)
            .display()
            .to_string()
    }
}

fn too_large(what: &str) -> Diagnostic {
    Diagnostic::error(
        "include-size",
        format!(
            "`{what}` expands to more than {} MiB of text",
            MAX_EXPANDED_BYTES / 1024 / 1024
        ),
    )
    .with_hint(
        "embed a part of the file (lines, an anchor, a YAML path or an HCL block), or split it",
    )
}

/// A directive as written in messages: `platform:terraform/main.tf block=...`.
pub fn describe(directive: &Directive) -> String {
    let target = match &directive.source {
        Some(source) => format!("{source}:{}", directive.path),
        None => directive.path.clone(),
    };
    match &directive.selector {
        Selector::Whole => target,
        selector => format!("{target} {selector}"),
    }
}

fn language_of(extension: &str, path: &str) -> String {
    let name = Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match (extension, name) {
        (_, "Dockerfile") => "dockerfile".into(),
        ("tf" | "tfvars" | "hcl", _) => "hcl".into(),
        ("yml" | "yaml", _) => "yaml".into(),
        ("cfg", _) if name.contains("haproxy") => "text".into(),
        ("", _) => "text".into(),
        (other, _) => other.to_string(),
    }
}
