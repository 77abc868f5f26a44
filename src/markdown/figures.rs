//! The writing conventions' output: numbered figures and captioned tables,
//! cross-references to them, and blocks generated from data (`{{#changelog}}`).

use super::structure::{Caption, CaptionKind};
use super::transform::Transform;
use crate::book::html_path_of;
use crate::diagnostic::Diagnostic;
use crate::escape::escape_html as escape_attribute;

impl<'a> Transform<'_, 'a> {
    /// The caption line: "Figure 4 - CPU consumption", in the page's language.
    pub(super) fn caption_html(&self, caption: &Caption) -> String {
        let (label_key, number) = match caption.kind {
            CaptionKind::Figure => ("figure", self.environment.labels.get(&caption.id)),
            CaptionKind::Table => ("table", self.environment.labels.get(&caption.id)),
        };
        let number = number.map(|label| label.number.as_str()).unwrap_or("?");
        let text = self.environment.typographer.text(&caption.text);
        format!(
            "<figcaption><span class=\"caption-label\">{} {number}</span> - {}</figcaption>",
            escape_attribute(&self.string(label_key)),
            escape_attribute(&text)
        )
    }

    pub(super) fn figure(&self, caption: &Caption) -> String {
        let (source, alt) = caption.image.clone().unwrap_or_default();
        format!(
            "<figure class=\"figure\" id=\"{}\">\n<img src=\"{}\" alt=\"{}\" />\n{}\n</figure>\n",
            escape_attribute(&caption.id),
            escape_attribute(&source),
            escape_attribute(&alt),
            self.caption_html(caption)
        )
    }

    pub(super) fn table_opening(&self, caption: &Caption) -> String {
        format!(
            "<figure class=\"table-figure\" id=\"{}\">\n{}\n",
            escape_attribute(&caption.id),
            self.caption_html(caption)
        )
    }

    /// The block a `{{#name}}` paragraph stands for; an unknown name is an error.
    pub(super) fn generated_block(&mut self, name: &str, offset: usize) -> String {
        if let Some(html) = self.environment.blocks.render(name, self.source.page_path) {
            return html;
        }
        if !super::BLOCK_NAMES.contains(&name) {
            self.unknown_directive(&format!("{{{{#{name}}}}}"), offset);
            return String::new();
        }
        let known = self.environment.blocks.names();
        self.diagnostics.push(
            Diagnostic::error(
                "unknown-directive",
                format!("`{{{{#{name}}}}}` is not a block folio can generate here"),
            )
            .in_file(self.source.file)
            .at_line(self.line_of(offset))
            .with_hint(format!(
                "known blocks: {}",
                if known.is_empty() {
                    "none in this book".to_string()
                } else {
                    known.join(", ")
                }
            )),
        );
        String::new()
    }

    /// `[](#fig:id)` -> `<a href="page.html#fig:id">figure 4</a>`, wherever the figure is.
    pub(super) fn cross_reference(&mut self, id: &str, offset: usize) -> String {
        let Some(label) = self.environment.labels.get(id) else {
            self.diagnostics.push(
                Diagnostic::error("missing-reference", format!("no figure or table has the id `{id}`"))
                    .in_file(self.source.file)
                    .at_line(self.line_of(offset))
                    .with_hint("give the figure `{#fig:...}` or the table caption `{#tab:...}` this id, or fix the reference"),
            );
            return format!(
                "<span class=\"xref missing\">{}</span>",
                escape_attribute(id)
            );
        };
        let key = match label.kind {
            CaptionKind::Figure => "figure_reference",
            CaptionKind::Table => "table_reference",
        };
        let page = if label.page_path == self.source.page_path {
            String::new()
        } else {
            crate::book::relative_link(self.source.page_path, &html_path_of(&label.page_path))
        };
        format!(
            "<a class=\"xref\" href=\"{}#{}\">{} {}</a>",
            escape_attribute(&page),
            escape_attribute(id),
            escape_attribute(&self.string(key)),
            label.number
        )
    }
}

impl Transform<'_, '_> {
    /// A `{{#...}}` that is no directive folio knows: left out of the page, with a warning.
    pub(super) fn unknown_directive(&mut self, written: &str, offset: usize) {
        let name = directive_name(written);
        let known: Vec<&str> = super::BLOCK_NAMES
            .iter()
            .chain(&super::DIRECTIVE_NAMES)
            .copied()
            .collect();
        self.diagnostics.push(
            Diagnostic::warning(
                "unknown-directive",
                format!("`{written}` is not a directive folio or mdBook knows; it is left out of the page"),
            )
            .in_file(self.source.file)
            .at_line(self.line_of(offset))
            .with_hint(format!(
                "{}; to show the text itself, write `\\{{{{#{name} ...}}}}` or put it in a code span",
                crate::suggest::hint(name, &known, "directives")
            )),
        );
    }

    /// Running text without the `{{#...}}` directives its source writes unescaped (each
    /// one a warning); an escaped `\{{#...}}` is the writer's text and stays.
    pub(super) fn without_unknown_directives(
        &mut self,
        text: &str,
        source: &str,
        offset: usize,
    ) -> String {
        static DIRECTIVE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"\{\{\s*#[A-Za-z0-9_-]+(\s[^}]*)?\}\}").expect("a valid pattern")
        });
        let mut kept = String::with_capacity(text.len());
        let mut last = 0;
        for found in DIRECTIVE.find_iter(text) {
            let written = found.as_str();
            let unescaped = source
                .match_indices(written)
                .any(|(at, _)| !source[..at].ends_with('\\'));
            if !unescaped {
                continue;
            }
            let name = directive_name(written);
            if crate::snippets::directive::is_directive(written) {
                // Reported as an error for its paragraph (it would be shown as text).
            } else if super::BLOCK_NAMES.contains(&name) || name == "title" {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "misplaced-directive",
                        format!("`{written}` shares its paragraph with other text; it is left out of the page"),
                    )
                    .in_file(self.source.file)
                    .at_line(self.line_of(offset))
                    .with_hint("put the directive alone in its paragraph, with a blank line before and after"),
                );
            } else {
                self.unknown_directive(written, offset);
            }
            kept.push_str(&text[last..found.start()]);
            last = found.end();
        }
        kept.push_str(&text[last..]);
        kept
    }
}

/// The name of a written directive: `{{#include a.rs}}` -> `include`.
fn directive_name(written: &str) -> &str {
    written
        .trim_start_matches(['{', '#', ' '])
        .split(|c: char| c.is_whitespace() || c == '}')
        .next()
        .unwrap_or_default()
}
