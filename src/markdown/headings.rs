//! Headings: numbered (`2`, `2.1`, `2.1.1`) below the chapter's number, with ids unique
//! in the page (explicit `{#id}`s given twice are errors) and a link to themselves; a
//! `#` opening the page becomes its title.

use super::Heading;
use super::transform::Transform;
use crate::diagnostic::Diagnostic;
use crate::escape::escape_html as escape_attribute;
use pulldown_cmark::{Event, HeadingLevel};

impl<'a> Transform<'_, 'a> {
    pub(super) fn finish_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let level = heading_level_number(heading.level);
        let text = heading.text.trim().to_string();
        let wanted = match &heading.explicit_id {
            Some(id) => id.to_string(),
            None => self.environment.heading_ids.of(&text),
        };
        let id = self.ids.claim(&wanted);
        if heading.explicit_id.is_some() && id != wanted {
            self.diagnostics.push(
                Diagnostic::error(
                    "duplicate-id",
                    format!("the id `{wanted}` is given to two headings of this page"),
                )
                .in_file(self.source.file)
                .at_line(heading.line)
                .with_hint("give each heading its own `{#id}`"),
            );
        }
        let number = self.section_number(level);
        let mut inner = String::new();
        pulldown_cmark::html::push_html(&mut inner, heading.events.into_iter());
        let class_attribute = if heading.classes.is_empty() {
            String::new()
        } else {
            let classes: Vec<&str> = heading.classes.iter().map(|c| c.as_ref()).collect();
            format!(" class=\"{}\"", escape_attribute(&classes.join(" ")))
        };
        let number_html = number
            .as_ref()
            .map(|n| format!("<span class=\"section-number\">{n}</span> "))
            .unwrap_or_default();
        let id_attribute = escape_attribute(&id);
        let html = format!(
            "<h{level} id=\"{id_attribute}\"{class_attribute}><a class=\"header\" href=\"#{id_attribute}\">{number_html}{inner}</a></h{level}>\n"
        );
        self.headings.push(Heading {
            level,
            number,
            id,
            text,
        });
        let opens_page = level == 1 && self.output.is_empty() && self.footnote.is_none();
        if opens_page {
            self.title_html = Some(html);
        } else {
            self.push(Event::Html(html.into()));
        }
    }

    /// Numbers `#` as the chapter (2), `##` as its sections (2.1), `###` below (2.1.1).
    pub(super) fn section_number(&mut self, level: u8) -> Option<String> {
        let chapter = self
            .source
            .number
            .filter(|_| self.environment.number_headings)?;
        let mut parts: Vec<u32> = chapter.to_vec();
        match level {
            1 => {}
            _ if !self.source.number_sections => return None,
            2 => {
                self.section_counters[0] += 1;
                self.section_counters[1] = 0;
                parts.push(self.section_counters[0]);
            }
            3 => {
                self.section_counters[1] += 1;
                parts.extend(self.section_counters);
            }
            _ => return None,
        }
        Some(
            parts
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join("."),
        )
    }
}

fn heading_level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
