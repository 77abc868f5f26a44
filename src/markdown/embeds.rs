//! Snippet and include paragraphs: the embedded code in a figure saying where it comes
//! from, or the included markdown rendered in place.

use super::transform::Transform;
use super::{Embeds, PageSource, render};
use crate::diagnostic::Diagnostic;
use crate::escape::escape_html as escape_attribute;
use crate::snippets::embed::{Embedded, Embedder};
use std::path::Path;

impl<'a> Transform<'_, 'a> {
    /// A snippet or include paragraph: the code with where it comes from, or the
    /// included markdown rendered in place.
    pub(super) fn embed_block(&mut self, directive: &str, offset: usize) -> String {
        let line = self.line_of(offset);
        let embedded = match self.environment.embeds.embed(directive, self.source.file) {
            Ok(embedded) => embedded,
            Err(error) => {
                self.located(vec![error], line);
                return String::new();
            }
        };
        self.dependencies.push(embedded.origin.watched.clone());
        self.located(embedded.warnings.clone(), line);
        if embedded.is_markdown {
            return self.included_markdown(&embedded);
        }
        let code = self.code_html(&embedded.text, &embedded.language, None, line);
        let origin = &embedded.origin;
        let mut caption = String::new();
        if let Some(source) = &origin.source {
            caption.push_str(&format!(
                "<span class=\"snippet-source\">{}</span> ",
                escape_attribute(source)
            ));
        }
        let path = format!("<code>{}</code>", escape_attribute(&origin.path));
        match &origin.url {
            Some(url) => {
                caption.push_str(&format!("<a href=\"{}\">{path}</a>", escape_attribute(url)))
            }
            None => caption.push_str(&path),
        }
        if let Some(rev) = &origin.rev {
            caption.push_str(&format!(" @ <code>{}</code>", escape_attribute(rev)));
        }
        if let Some(commit) = &origin.commit {
            caption.push_str(&format!(
                " <code class=\"commit\">{}</code>",
                escape_attribute(commit)
            ));
        }
        if let Some(text) = &embedded.caption {
            caption.push_str(&format!(
                " – {}",
                escape_attribute(&self.environment.typographer.text(text))
            ));
        }
        format!(
            "<figure class=\"snippet\" data-hash=\"{}\">\n<figcaption class=\"snippet-origin\">{caption}</figcaption>\n{code}</figure>\n",
            embedded.hash
        )
    }

    /// An included markdown file, rendered with the page's environment; its problems
    /// point into the included file.
    pub(super) fn included_markdown(&mut self, embedded: &Embedded) -> String {
        let file = embedded.origin.watched.clone();
        let nested = render(
            &PageSource {
                markdown: &embedded.text,
                file: &file,
                first_line: 1,
                page_path: self.source.page_path,
                number: None,
                number_sections: false,
            },
            self.environment,
        );
        self.diagnostics.extend(nested.diagnostics);
        self.dependencies.extend(nested.dependencies);
        nested.title_html.unwrap_or_default() + &nested.html
    }
}

impl Embeds for Embedder<'_> {
    fn embed(&self, directive: &str, from: &Path) -> Result<Embedded, Diagnostic> {
        Embedder::embed(self, directive, from)
    }
}
