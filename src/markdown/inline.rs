//! Titles written in inline markdown (a SUMMARY.md entry such as
//! ``The `match` Control Flow Construct``, a front matter title): HTML for the
//! navigation, plain text for `<title>`, the EPUB's contents and messages.

use crate::escape::escape_html;
use crate::typography::{TextState, Typographer};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// A title in both forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineTitle {
    /// Inline HTML: code spans, emphasis, strong, strikethrough; links become their text.
    pub html: String,
    /// The same words without markup.
    pub text: String,
}

/// `title` read as one line of inline markdown, with the language's typography.
pub fn inline_title(title: &str, typographer: &Typographer) -> InlineTitle {
    if !title.contains(['`', '*', '_', '[', '<', '&', '\\', '~']) {
        let text = typographer.text(title);
        return InlineTitle {
            html: escape_html(&text),
            text,
        };
    }
    let mut html = String::with_capacity(title.len() + 16);
    let mut text = String::with_capacity(title.len());
    let mut state = TextState::default();
    for event in Parser::new_ext(title, pulldown_cmark::Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(words) => {
                let typeset = typographer.piece(&words, &mut state);
                html.push_str(&escape_html(&typeset));
                text.push_str(&typeset);
            }
            Event::Code(code) => {
                state.follow(&code);
                html.push_str(&format!("<code>{}</code>", escape_html(&code)));
                text.push_str(&code);
            }
            Event::SoftBreak | Event::HardBreak => {
                html.push(' ');
                text.push(' ');
            }
            Event::Start(Tag::Emphasis) => html.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => html.push_str("</em>"),
            Event::Start(Tag::Strong) => html.push_str("<strong>"),
            Event::End(TagEnd::Strong) => html.push_str("</strong>"),
            Event::Start(Tag::Strikethrough) => html.push_str("<del>"),
            Event::End(TagEnd::Strikethrough) => html.push_str("</del>"),
            // Raw HTML in a title is shown as text, never as markup.
            Event::InlineHtml(raw) | Event::Html(raw) => {
                html.push_str(&escape_html(&raw));
                text.push_str(&raw);
            }
            _ => {}
        }
    }
    InlineTitle {
        html,
        text: text.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typography::TypographyRules;

    #[test]
    fn code_spans_and_emphasis_render_and_fall_away_in_text() {
        let english = Typographer::new("en", TypographyRules::default());
        let title = inline_title("The `match` Control Flow *Construct*", &english);
        assert_eq!(
            title.html,
            "The <code>match</code> Control Flow <em>Construct</em>"
        );
        assert_eq!(title.text, "The match Control Flow Construct");
        let raw = inline_title("Using <script>alert(1)</script> & `Box<T>`", &english);
        assert!(!raw.html.contains("<script>"), "{}", raw.html);
        assert!(
            raw.html.contains("<code>Box&lt;T&gt;</code>"),
            "{}",
            raw.html
        );
        assert_eq!(inline_title("Plain", &english).html, "Plain");
    }
}
