//! Code blocks: directive lines expanded (mdBook style), highlighted by language, with a
//! warning for a language no grammar knows.

use super::hidden::hidden_lines;
use super::transform::Transform;
use crate::diagnostic::Diagnostic;
use crate::escape::escape_html as escape_attribute;
use crate::highlight::lines::split_lines;
use pulldown_cmark::Event;

impl<'a> Transform<'_, 'a> {
    pub(super) fn finish_code(&mut self) {
        let Some(block) = self.code.take() else {
            return;
        };
        let code = self.expand_code_directives(&block.code, block.line);
        let html = self.code_html(
            &code,
            &block.language,
            block.hidelines.as_deref(),
            block.line,
        );
        self.push(Event::Html(html.into()));
    }

    /// mdBook style: a line of a code block that is only `{{#include ...}}` or
    /// `{{#snippet ...}}` is replaced by the text it names.
    pub(super) fn expand_code_directives(&mut self, code: &str, first_line: usize) -> String {
        if !code.contains("{{#") {
            return code.to_string();
        }
        let mut expanded = String::with_capacity(code.len());
        for (index, line) in code.split_inclusive('\n').enumerate() {
            if !crate::snippets::directive::is_directive(line) {
                expanded.push_str(&crate::snippets::directive::unescape(line));
                continue;
            }
            match self.environment.embeds.embed(line, self.source.file) {
                Ok(embedded) => {
                    self.dependencies.push(embedded.origin.watched.clone());
                    self.located(embedded.warnings, first_line + 1 + index);
                    expanded.push_str(&embedded.text);
                }
                Err(error) => self.located(vec![error], first_line + 1 + index),
            }
        }
        expanded
    }

    /// A highlighted `<pre>` block; its hidden lines (mdBook's `# ` lines in Rust, the
    /// `hidelines` prefix in other languages) wrapped in `<span class="boring">`.
    pub(super) fn code_html(
        &mut self,
        code: &str,
        language: &str,
        fence_hidelines: Option<&str>,
        line: usize,
    ) -> String {
        let prefix = fence_hidelines
            .or_else(|| self.environment.hidelines.get(language).map(String::as_str));
        let hidden = hidden_lines(code, language, prefix);
        let shown = hidden.as_ref().map_or(code, |(text, _)| text.as_str());
        let mut highlighted = self.environment.highlighter.highlight(shown, language);
        if !highlighted.known_language {
            self.diagnostics.push(
                Diagnostic::warning("unknown-language", format!("no grammar for code language `{language}`; shown without highlighting"))
                    .in_file(self.source.file)
                    .at_line(line)
                    .with_hint("use a known name such as hcl, yaml, php, sh, dockerfile, json, toml, or `text`"),
            );
        }
        let language = escape_attribute(language);
        let class = if language.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{language}\"")
        };
        let mut pre_attributes = String::new();
        if let Some((_, hidden)) = &hidden {
            highlighted.html = wrap_hidden_lines(&highlighted.html, hidden);
            pre_attributes = format!(
                " data-hidden-lines=\"{}\" data-toggle-label=\"{}\"",
                hidden.iter().filter(|&&h| h).count(),
                escape_attribute(&self.string("code_show_hidden"))
            );
        }
        format!(
            "<pre class=\"code\" data-lang=\"{language}\"{pre_attributes}><code{class}>{}</code></pre>\n",
            highlighted.html
        )
    }
}

/// `html` with the lines marked in `hidden` wrapped in `<span class="boring">`.
fn wrap_hidden_lines(html: &str, hidden: &[bool]) -> String {
    let mut wrapped = String::with_capacity(html.len() + 32 * hidden.len());
    for (index, line) in split_lines(html).iter().enumerate() {
        if hidden.get(index).copied().unwrap_or(false) {
            wrapped.push_str("<span class=\"boring\">");
            wrapped.push_str(line);
            wrapped.push_str("</span>");
        } else {
            wrapped.push_str(line);
        }
    }
    wrapped
}

/// The language of a fence info string: `hcl`, `rust,ignore` -> `rust`, `{.yaml}` -> `yaml`.
pub(super) fn fence_language(info: &str) -> String {
    let mut words = info
        .split([' ', ',', '{', '}'])
        .map(|word| word.trim_start_matches('.'))
        .filter(|word| !word.is_empty())
        .peekable();
    if words.peek().is_none() {
        return String::new();
    }
    // rustdoc's attributes (`ignore`, `should_panic`...) say how a Rust block is tested:
    // a fence of them alone is Rust, as rustdoc and mdBook read it.
    words
        .find(|word| !is_rustdoc_attribute(word))
        .unwrap_or("rust")
        .to_string()
}

/// True for a word of a fence that rustdoc or mdBook reads as an attribute of a Rust
/// block rather than a language.
fn is_rustdoc_attribute(word: &str) -> bool {
    matches!(
        word,
        "ignore"
            | "should_panic"
            | "no_run"
            | "compile_fail"
            | "test_harness"
            | "allow_fail"
            | "standalone_crate"
            | "noplayground"
            | "noplaypen"
            | "editable"
            | "mdbook-runnable"
    ) || word.starts_with("edition")
        || word.starts_with("ignore-")
}

#[cfg(test)]
mod tests {
    use super::fence_language;

    #[test]
    fn a_fence_of_rustdoc_attributes_alone_is_rust() {
        assert_eq!(fence_language("ignore"), "rust");
        assert_eq!(fence_language("should_panic,edition2021"), "rust");
        assert_eq!(fence_language("rust,ignore"), "rust");
        assert_eq!(fence_language("no_run hcl"), "hcl");
        assert_eq!(fence_language("console"), "console");
        assert_eq!(fence_language(""), "");
    }
}
