//! mdBook's other renderers: an `[output.NAME]` table folio does not write itself
//! (`linkcheck`, `xgettext`, `exerciser`, `pandoc`...) runs its command (default
//! `mdbook-NAME`) through mdBook's renderer protocol: the render context as JSON on its
//! standard input, in `BUILD_DIR/NAME`, after folio's own HTML is in place. As mdBook
//! does once a book has another renderer, the site is then written to `BUILD_DIR/html/`
//! ([`Config::site_dir`]). A renderer is the book's code: it runs only when the person
//! running folio allows the book's commands, bounded like a preprocessor.

use super::book_command::BookCommand;
use super::preprocessors::protocol;
use crate::book::Book;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use serde_json::json;
use std::path::Path;

/// What one renderer printed, for the build's log.
#[derive(Debug)]
pub struct RendererOutput {
    /// The renderer's name.
    pub name: String,
    /// Its standard output, then the end of its standard error.
    pub text: String,
}

/// Runs every renderer of the book into `build_dir/NAME`, in the order of their names;
/// `allowed` says whether the person running folio allowed the book's commands (when not,
/// each is a warning and nothing runs). Returns what they printed and the warnings.
pub fn run(
    book: &Book,
    build_dir: &Path,
    allowed: bool,
) -> Result<(Vec<RendererOutput>, Vec<Diagnostic>), Diagnostic> {
    let config_file = book.root.join(crate::config::CONFIG_FILE);
    let mut outputs = Vec::new();
    let mut warnings = Vec::new();
    for (name, table) in Config::renderer_tables(&book.config) {
        let renderer = BookCommand::from_table("renderer", "output", name, table, &config_file)?;
        if !allowed {
            warnings.push(
                Diagnostic::warning(
                    "renderer",
                    format!("renderer `{name}` (`{}`) was not run: a book's commands run only when you allow them", renderer.command),
                )
                .in_file(&config_file)
                .at_line(renderer.line)
                .with_hint(format!("`--allow-preprocessors`, or {}=1, once you have read it", super::preprocessors::ALLOW_VARIABLE)),
            );
            continue;
        }
        let destination = build_dir.join(name);
        if std::fs::symlink_metadata(&destination).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return Err(renderer
                .error(format!("{} is a symbolic link: the renderer's directory is made by folio, never reached through a link", destination.display()))
                .with_hint("remove the link"));
        }
        std::fs::create_dir_all(&destination).map_err(|error| {
            renderer.error(format!("cannot create {}: {error}", destination.display()))
        })?;
        let source = book.source();
        let items = protocol::items_of(source);
        let mut config = serde_json::to_value(&book.config.document).unwrap_or_default();
        if let Some(table) = config
            .get_mut("book")
            .and_then(serde_json::Value::as_object_mut)
        {
            table.insert("src".into(), json!(source.language.src_dir));
        }
        let root = std::path::absolute(&book.root).unwrap_or_else(|_| book.root.clone());
        let destination = std::path::absolute(&destination).unwrap_or(destination);
        let context = json!({
            "version": super::preprocessors::MDBOOK_VERSION,
            "root": root,
            "book": {"items": items, "sections": items, "__non_exhaustive": null},
            "config": config,
            "destination": destination,
        });
        let command = renderer.prepare(&book.root, &destination)?;
        let bytes = serde_json::to_vec(&context).expect("a JSON value serializes");
        match renderer.run(command, bytes) {
            Ok(finished) => {
                let mut text = String::from_utf8_lossy(&finished.output).trim().to_string();
                let errors = finished.errors.text();
                if !errors.is_empty() {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(&errors);
                }
                outputs.push(RendererOutput {
                    name: name.to_string(),
                    text,
                });
            }
            Err(error) if renderer.optional && error.code == super::book_command::NOT_FOUND => {
                warnings.push(error.into_warning());
            }
            Err(error) => return Err(error),
        }
    }
    Ok((outputs, warnings))
}
