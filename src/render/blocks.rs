//! Blocks generated from the book's data, which pages place with `{{#name}}`:
//! `{{#changelog}}` for now.

use super::localize;
use super::theme::UiStrings;
use crate::book::Book;
use crate::config::Language;
use crate::typography::Typographer;
use pulldown_cmark_escape::escape_html;
use std::collections::BTreeMap;

/// The generated blocks of one edition, by directive name.
pub fn generated(
    book: &Book,
    language: &Language,
    ui: &UiStrings,
    typographer: Typographer,
) -> BTreeMap<&'static str, String> {
    let mut blocks = BTreeMap::new();
    if let Some(changelog) = &book.changelog {
        let source = &book.source().language.code;
        let mut html = String::from("<ol class=\"changelog\">\n");
        for change in &changelog.changes {
            let (text, fallback) = match change.text.get(&language.code) {
                Some(text) => (text, false),
                None => (&change.text[source], true),
            };
            let date = change.date;
            let iso = format!("{:04}-{:02}-{:02}", date.year, date.month, date.day);
            let attributes = if fallback {
                format!(
                    " lang=\"{source}\" class=\"untranslated\" title=\"{}\"",
                    escape(&localize::fill(ui, "status_not_translated", &[]))
                )
            } else {
                String::new()
            };
            html.push_str(&format!(
                "<li{attributes}><time datetime=\"{iso}\">{}</time> – {}</li>\n",
                escape(&localize::date(ui, date)),
                escape(&typographer.text(text))
            ));
        }
        html.push_str("</ol>\n");
        blocks.insert("changelog", html);
    }
    blocks
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    escape_html(&mut escaped, text).expect("writing to a String cannot fail");
    escaped
}
