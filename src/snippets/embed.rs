//! Expanding one directive into the text it stands for: reading the file (from a
//! source, or from the book's repository for mdBook's `{{#include}}`,
//! `{{#rustdoc_include}}` and `{{#playground}}`), cutting the selection, checking it
//! against its pinned hash, following includes inside included files.

use super::cut::dedent;
use super::directive::{self, Directive, Form, Selector};
use super::select;
use super::sources::{Origin, ReadError, Sources, confined, read_confined};
use crate::book::translation::content_hash;
use crate::confine::Root;
use crate::diagnostic::Diagnostic;
use crate::trust::Trust;
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
    include_root: Root,
}

impl<'s> Embedder<'s> {
    /// An embedder reading snippet sources from `sources` and includes from
    /// `include_root` (the book's repository, or what `[build] include-root` chose),
    /// for the book whose directory is `book_root`.
    pub fn new(sources: &'s Sources, book_root: &Root, include_root: &Root) -> Self {
        Self {
            sources,
            book_root: book_root.clone(),
            include_root: include_root.clone(),
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
        let mut warnings = Vec::new();
        let selected = match (directive.form, &directive.selector) {
            (Form::Snippet, selector) => select::select(&file_text, selector, &directive.path),
            (form, Selector::Lines { start, end }) => {
                select::clamped_lines(&file_text, *start, *end).map(|(text, note)| {
                    warnings.extend(note.map(|note| {
                        Diagnostic::warning("include-range", format!("{note} ({})", describe(directive)))
                            .with_hint("fix the range to the lines the file has now, or use an anchor (`FILE:NAME`) so that edits do not shift it")
                    }));
                    match form {
                        Form::RustdocInclude => {
                            select::hidden_outside(&file_text, &directive.selector).unwrap_or(text)
                        }
                        _ => text,
                    }
                })
            }
            (form, Selector::Anchor(name)) => {
                let (text, note) = select::mdbook_anchor(&file_text, name);
                warnings.extend(note.map(|note| {
                    Diagnostic::warning("include-anchor", format!("{note} ({})", describe(directive)))
                        .with_hint("add the `ANCHOR_END: NAME` line, or fix the anchor's name (`folio check --deny-warnings` fails on this)")
                }));
                Ok(match form {
                    Form::RustdocInclude => select::hidden_outside(&file_text, &directive.selector).unwrap_or(text),
                    _ => text,
                })
            }
            (Form::RustdocInclude, selector) => {
                select::select(&file_text, selector, &directive.path)
                    .map(|_| select::hidden_outside(&file_text, selector).unwrap_or_default())
            }
            (_, selector) => select::select(&file_text, selector, &directive.path),
        };
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
            directive.form == Form::Include && extension == "md" && directive.language.is_none();
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
        let text = match crate::source_file::replace_forbidden_characters(&text) {
            Some((replaced, lines)) => {
                warnings.push(
                    Diagnostic::warning(
                        "control-character",
                        format!(
                            "the embedded text holds control characters (NUL, ESC...) on {} of its lines: no page can hold them, they are shown as \u{FFFD} ({})",
                            lines.len(),
                            describe(directive)
                        ),
                    )
                    .with_hint("remove them from the file, or select lines without them"),
                );
                replaced
            }
            None => text,
        };
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

    /// Reads a file of the book's repository for an mdBook directive, relative to the
    /// including file's directory.
    fn read_include(
        &self,
        path: &str,
        from: &Path,
    ) -> Result<(String, PathBuf, Origin), ReadError> {
        let root = &self.include_root;
        let directory = from.parent().unwrap_or(Path::new("."));
        let directory = directory
            .canonicalize()
            .unwrap_or_else(|_| directory.to_path_buf());
        let relative_to_root = directory.strip_prefix(root.path()).unwrap_or(Path::new(""));
        let joined = relative_to_root
            .join(path)
            .to_string_lossy()
            .replace('\\', "/");
        let inside = confined(&joined).ok_or_else(|| {
            ReadError::new(
                format!("`{path}` leaves {}", self.include_root_name()),
                "include files of the book's repository only (`[build] include-root` in book.toml narrows it; folio never reads outside it)",
            )
        })?;
        let text = read_confined(root, &inside, &self.include_root_name())?;
        let file = root.path().join(&inside);
        let origin = Origin {
            source: None,
            path: self.display(&file),
            rev: None,
            commit: None,
            url: None,
            watched: file.clone(),
        };
        Ok((text.to_string(), file, origin))
    }

    /// How messages name the directory includes may not leave.
    fn include_root_name(&self) -> String {
        if self.include_root.path() == self.book_root.path() {
            "the book's directory".to_string()
        } else {
            format!(
                "the book's repository ({})",
                self.include_root.path().display()
            )
        }
    }

    /// Expands `{{#include}}` lines inside an included file, refusing cycles.
    fn expand_nested(
        &self,
        text: &str,
        file: &Path,
        chain: &mut Vec<PathBuf>,
    ) -> Result<String, Diagnostic> {
        if !directive::mentions_directive(text) {
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
            if directive::is_directive(line) && !line.trim().starts_with("{{#snippet ") {
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

    /// A file as messages and captions name it: from the book's directory, else from
    /// the include root (a file of the repository outside the book).
    fn display(&self, file: &Path) -> String {
        file.strip_prefix(self.book_root.path())
            .or_else(|_| file.strip_prefix(self.include_root.path()))
            .unwrap_or(file)
            .display()
            .to_string()
    }
}

/// Where mdBook's directives may read: `[build] include-root` when book.toml sets it
/// (relative to the book's directory, and inside what the book may reach), else the
/// book's repository (its git work tree, or its directory when there is none).
pub fn include_root(
    book_root: &Path,
    configured: Option<&Path>,
    trust: &Trust,
    config_file: &Path,
) -> Result<Root, Diagnostic> {
    let chosen = match configured {
        Some(configured) => book_root.join(configured),
        None => trust.repository().to_path_buf(),
    };
    let line = || crate::toml_input::line_of_key_in(config_file, "build.include-root");
    if !trust.allows(&chosen) {
        let (message, hint) = trust.refusal("`[build] include-root`", &chosen, "--allow-source");
        return Err(Diagnostic::error("outside-book", message)
            .in_file(config_file)
            .at_line(line())
            .with_hint(hint));
    }
    Root::new(&chosen).map_err(|error| {
        Diagnostic::error(
            "config",
            format!("`[build] include-root` is {}: {error}", chosen.display()),
        )
        .in_file(config_file)
        .at_line(line())
        .with_hint("name an existing directory, relative to the book's directory")
    })
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
    match (&directive.selector, directive.form) {
        (Selector::Whole, _) => target,
        (Selector::Lines { start, end }, form) if form != Form::Snippet => format!(
            "{target}:{}:{}",
            start.map(|s| s.to_string()).unwrap_or_default(),
            end.map(|e| e.to_string()).unwrap_or_default()
        ),
        (Selector::Anchor(name), form) if form != Form::Snippet => format!("{target}:{name}"),
        (selector, _) => format!("{target} {selector}"),
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
