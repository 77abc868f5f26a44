//! Footnotes: numbered in order of first call, gathered at the end of the page with a
//! link back to each call; unused definitions are warnings.

use super::transform::Transform;
use crate::diagnostic::Diagnostic;
use pulldown_cmark::{Event, TagEnd};

impl<'a> Transform<'_, 'a> {
    pub(super) fn footnote_reference(&mut self, label: &str) -> String {
        let index = match self.footnote_numbers.get(label) {
            Some(&index) => {
                self.footnote_order[index].1 += 1;
                index
            }
            None => {
                self.footnote_order.push((label.to_string(), 1));
                self.footnote_numbers
                    .insert(label.to_string(), self.footnote_order.len() - 1);
                self.footnote_order.len() - 1
            }
        };
        let number = index + 1;
        let call = self.footnote_order[index].1;
        format!(
            "<sup class=\"footnote-reference\" id=\"fnref-{number}-{call}\"><a href=\"#fn-{number}\">{number}</a></sup>"
        )
    }

    pub(super) fn append_footnotes(&mut self) {
        for (label, (_, line)) in &self.footnotes {
            if !self.footnote_numbers.contains_key(label) {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "unused-footnote",
                        format!("footnote `[^{label}]` is never referenced"),
                    )
                    .in_file(self.source.file)
                    .at_line(*line)
                    .with_hint("reference it with `[^label]` in the text, or remove it"),
                );
            }
        }
        if self.footnote_order.is_empty() {
            return;
        }
        let mut list = vec![Event::Html(
            "<section class=\"footnotes\">\n<ol class=\"footnote-list\">\n".into(),
        )];
        for (index, (label, calls)) in std::mem::take(&mut self.footnote_order)
            .into_iter()
            .enumerate()
        {
            let number = index + 1;
            let back_links: String = (1..=calls)
                .map(|call| format!(" <a class=\"footnote-backref\" href=\"#fnref-{number}-{call}\" aria-label=\"↩ {number}\">↩</a>"))
                .collect();
            list.push(Event::Html(format!("<li id=\"fn-{number}\">").into()));
            let mut events = self
                .footnotes
                .remove(&label)
                .map(|(events, _)| events)
                .unwrap_or_default();
            let closes_paragraph = matches!(events.last(), Some(Event::End(TagEnd::Paragraph)));
            if closes_paragraph {
                events.insert(events.len() - 1, Event::InlineHtml(back_links.into()));
            } else {
                events.push(Event::Html(back_links.into()));
            }
            list.extend(events);
            list.push(Event::Html("</li>\n".into()));
        }
        list.push(Event::Html("</ol>\n</section>\n".into()));
        self.output.extend(list);
    }
}
