//! The writer's raw HTML, made well-formed as it passes through the page: every tag
//! written as XHTML (quoted attributes, `<br />`, entities as numbers), every element
//! closed inside the markdown block that opened it, a closing tag that closes nothing
//! left out. The site's pages stay what a browser makes of them, and the EPUB, which is
//! XML, gets text it can hold whatever the page held. What was changed beyond spelling
//! (an element closed for the writer, a tag left out) is a warning at its line.

mod tokens;

use crate::escape::escape_html;
use std::fmt::Write as _;
use tokens::{
    EndFinder, Opening, StartTag, Tag, find_closing_tag, is_xml_name, push_text, read_tag,
    without_forbidden,
};

/// Elements that have no content and no closing tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose closing tag HTML lets the writer leave out: closed without a warning.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rtc", "rp", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "caption",
];

/// Elements whose text is not markup (kept as written, never parsed for tags).
const RAW_TEXT: &[&str] = &["script", "style"];

/// Starting one of these closes an open element of the same family, as a browser does
/// (`<li>` after `<li>`).
const CLOSED_BY_SIBLING: &[(&str, &[&str])] = &[
    ("li", &["li"]),
    ("dt", &["dt", "dd"]),
    ("dd", &["dt", "dd"]),
    ("tr", &["tr", "td", "th"]),
    ("td", &["td", "th"]),
    ("th", &["td", "th"]),
    ("option", &["option"]),
    ("p", &["p"]),
];

/// Elements whose start closes an open `<p>`, as a browser closes it (a paragraph holds
/// no block).
const CLOSES_PARAGRAPH: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
];

/// The longest a tag may be before folio stops taking it for one.
pub(super) const MAX_TAG: usize = 64 * 1024;

/// A problem with the writer's HTML: the line, what was done, and what to do.
pub(super) struct RawHtmlProblem {
    pub(super) line: usize,
    pub(super) message: String,
    pub(super) hint: &'static str,
}

struct OpenElement {
    name: String,
    line: usize,
    /// How many markdown blocks were open around it.
    depth: usize,
    /// Inside `<svg>` or `<math>`, where `/>` closes an element and case matters.
    foreign: bool,
}

/// The state of one page's raw HTML.
#[derive(Default)]
pub(super) struct RawHtml {
    open: Vec<OpenElement>,
    depth: usize,
    /// A tag the last raw event cut (an HTML block comes a line at a time).
    cut: Option<Cut>,
    /// Inside `<script>` or `<style>`: the text up to its closing tag is kept as written.
    raw_text: Option<String>,
    problems: Vec<RawHtmlProblem>,
}

/// The start of a tag that an event ended inside of.
struct Cut {
    text: String,
    line: usize,
    /// Where its end is looked for; `None` while too little is known of it (`<!-`).
    end: Option<EndFinder>,
}

impl RawHtml {
    /// A markdown block or inline element opens.
    pub(super) fn open_container(&mut self) {
        self.depth += 1;
    }

    /// The markdown element opened last closes: the closing tags of the raw elements
    /// still open inside it, to write before it. `place` names it for the warning.
    pub(super) fn close_container(&mut self, place: &str) -> String {
        let mut output = self.end_of_block();
        while self
            .open
            .last()
            .is_some_and(|open| open.depth >= self.depth)
        {
            let open = self.open.pop().expect("checked");
            self.unclosed(&open, place, &mut output);
        }
        self.depth = self.depth.saturating_sub(1);
        output
    }

    /// The end of an HTML block: a tag it left cut is text after all.
    pub(super) fn end_of_block(&mut self) -> String {
        let mut output = String::new();
        if let Some(cut) = self.cut.take() {
            self.problem(
                cut.line,
                format!(
                    "raw HTML `{}` never ends with `>`: it is shown as text",
                    excerpt(&cut.text)
                ),
                "end the tag with `>`, or write `&lt;` for a `<` that starts none",
            );
            push_text(&mut output, &cut.text);
        }
        output
    }

    /// The end of the page: whatever is still open is closed; the problems found.
    pub(super) fn finish(&mut self) -> (String, Vec<RawHtmlProblem>) {
        let mut output = self.end_of_block();
        while let Some(open) = self.open.pop() {
            self.unclosed(&open, "the page", &mut output);
        }
        (output, std::mem::take(&mut self.problems))
    }

    /// `html`, a raw HTML event written at `line`, as well-formed XHTML.
    pub(super) fn rewrite(&mut self, html: &str, line: usize) -> String {
        let mut output = String::with_capacity(html.len() + 16);
        let joined: String;
        let mut rest = html;
        if let Some(mut cut) = self.cut.take() {
            match &mut cut.end {
                Some(finder) => match finder.feed(html) {
                    Some(end) => {
                        cut.text.push_str(&html[..=end]);
                        self.markup(&cut.text, cut.line, &mut output);
                        rest = &html[end + 1..];
                    }
                    None if cut.text.len() + html.len() > MAX_TAG => {
                        cut.text.push_str(html);
                        self.cut = Some(cut);
                        return self.end_of_block();
                    }
                    None => {
                        cut.text.push_str(html);
                        self.cut = Some(cut);
                        return output;
                    }
                },
                None => {
                    joined = cut.text + html;
                    rest = &joined;
                }
            }
        }
        while !rest.is_empty() {
            if let Some(name) = &self.raw_text {
                let end = find_closing_tag(rest, name);
                output.push_str(&rest[..end.unwrap_or(rest.len())]);
                let Some(end) = end else { break };
                self.raw_text = None;
                rest = &rest[end..];
                continue;
            }
            let Some(start) = rest.find('<') else {
                push_text(&mut output, rest);
                break;
            };
            push_text(&mut output, &rest[..start]);
            rest = &rest[start..];
            let (mut finder, opening) = match EndFinder::for_markup(rest) {
                Opening::Markup(finder, opening) => (finder, opening),
                Opening::Text => {
                    output.push_str("&lt;");
                    rest = &rest[1..];
                    continue;
                }
                Opening::TooShort => {
                    self.cut = Some(Cut {
                        text: rest.to_string(),
                        line,
                        end: None,
                    });
                    break;
                }
            };
            match finder.feed(&rest[opening..]) {
                Some(end) => {
                    let length = opening + end + 1;
                    self.markup(&rest[..length], line, &mut output);
                    rest = &rest[length..];
                }
                None => {
                    self.cut = Some(Cut {
                        text: rest.to_string(),
                        line,
                        end: Some(finder),
                    });
                    if rest.len() > MAX_TAG {
                        output.push_str(&self.end_of_block());
                    }
                    break;
                }
            }
        }
        output
    }

    /// One complete piece of markup (a tag, a comment, a doctype) written out.
    fn markup(&mut self, markup: &str, line: usize, output: &mut String) {
        if let Some(inner) = markup
            .strip_prefix("<!--")
            .and_then(|m| m.strip_suffix("-->"))
        {
            // Kept when XML can hold it; a comment shows nothing either way.
            if !inner.contains("--") && !inner.ends_with('-') {
                output.push_str(&without_forbidden(markup));
            }
            return;
        }
        if markup.starts_with("<!") || markup.starts_with("<?") {
            return;
        }
        match read_tag(markup) {
            Tag::Start(tag) => self.start_tag(&tag, line, output),
            Tag::End(name) => self.end_tag(&name, line, output),
        }
    }

    fn foreign(&self) -> bool {
        self.open.last().is_some_and(|element| element.foreign)
    }

    fn start_tag(&mut self, tag: &StartTag, line: usize, output: &mut String) {
        let in_foreign = self.foreign();
        let name = if in_foreign {
            tag.name.clone()
        } else {
            tag.name.to_ascii_lowercase()
        };
        let foreign = in_foreign || matches!(name.as_str(), "svg" | "math");
        if !is_xml_name(&name) || name.contains(':') {
            self.problem(line, format!("raw HTML `<{}>` is not an element a page can hold: the tag is left out, its text kept", tag.name), "write an HTML element, or `&lt;` for a `<` that starts none");
            return;
        }
        let closes_open = |open: &OpenElement| {
            let family = CLOSED_BY_SIBLING
                .iter()
                .find(|(opening, _)| *opening == name)
                .map_or(&[][..], |(_, family)| *family);
            family.contains(&open.name.as_str())
                || (open.name == "p" && CLOSES_PARAGRAPH.contains(&name.as_str()))
        };
        if !foreign
            && self
                .open
                .last()
                .is_some_and(|open| open.depth == self.depth && closes_open(open))
        {
            let open = self.open.pop().expect("checked");
            let _ = write!(output, "</{}>", open.name);
        }
        let _ = write!(output, "<{name}");
        match name.as_str() {
            "svg" if !in_foreign => output.push_str(" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""),
            "math" if !in_foreign => output.push_str(" xmlns=\"http://www.w3.org/1998/Math/MathML\""),
            _ => {}
        }
        let mut seen: Vec<&str> = Vec::new();
        for (attribute, value) in &tag.attributes {
            let attribute = attribute.as_str();
            if seen.contains(&attribute) || attribute == "xmlns" || attribute.starts_with("xmlns:")
            {
                continue;
            }
            let prefix_known = attribute
                .split_once(':')
                .is_none_or(|(prefix, _)| matches!(prefix, "xml" | "xlink" | "epub"));
            if !is_xml_name(attribute) || !prefix_known {
                self.problem(line, format!("raw HTML `<{}>` has an attribute `{attribute}` that is not a name XHTML can hold: it is left out", tag.name), "remove the attribute, or write it as `data-NAME`");
                continue;
            }
            seen.push(attribute);
            let value = html_escape::decode_html_entities(value.as_deref().unwrap_or(""));
            let _ = write!(
                output,
                " {attribute}=\"{}\"",
                escape_html(&without_forbidden(&value))
            );
        }
        if VOID.contains(&name.as_str()) || (foreign && tag.self_closing) {
            output.push_str(" />");
            return;
        }
        output.push('>');
        if RAW_TEXT.contains(&name.as_str()) {
            self.raw_text = Some(name.clone());
        }
        self.open.push(OpenElement {
            name,
            line,
            depth: self.depth,
            foreign,
        });
    }

    fn end_tag(&mut self, written: &str, line: usize, output: &mut String) {
        let name = if self.foreign() {
            written.to_string()
        } else {
            written.to_ascii_lowercase()
        };
        let in_this_block = self
            .open
            .iter()
            .rposition(|open| open.depth < self.depth)
            .map_or(0, |i| i + 1);
        let Some(index) = self.open[in_this_block..]
            .iter()
            .rposition(|open| open.name == name)
        else {
            if VOID.contains(&name.as_str()) || !is_xml_name(&name) || name.contains(':') {
                return;
            }
            let outside = self.open[..in_this_block]
                .iter()
                .rev()
                .find(|open| open.name == name);
            let (message, hint) = match outside {
                Some(open) => (
                    format!(
                        "raw HTML `</{name}>` cannot close the `<{name}>` of line {} from inside another block: it is left out",
                        open.line
                    ),
                    "put the closing tag on a line of its own, with a blank line before it",
                ),
                None => (
                    format!("raw HTML `</{name}>` closes no open element: it is left out"),
                    "remove it, or open the element it closes",
                ),
            };
            self.problem(line, message, hint);
            return;
        };
        let index = in_this_block + index;
        while self.open.len() > index + 1 {
            let open = self.open.pop().expect("checked");
            if !OPTIONAL_END.contains(&open.name.as_str()) {
                self.problem(open.line, format!("raw HTML `<{}>` is not closed before `</{name}>` (line {line}): it is closed there", open.name), "close the elements in the reverse order of their opening");
            }
            let _ = write!(output, "</{}>", open.name);
        }
        self.open.pop();
        let _ = write!(output, "</{name}>");
    }

    /// Writes the closing tag of `open`, left open until `place` ended; a warning
    /// unless HTML lets its closing tag be left out.
    fn unclosed(&mut self, open: &OpenElement, place: &str, output: &mut String) {
        if self.raw_text.as_deref() == Some(open.name.as_str()) {
            self.raw_text = None;
        }
        if !OPTIONAL_END.contains(&open.name.as_str()) {
            self.problem(
                open.line,
                format!(
                    "raw HTML `<{}>` is never closed: it is closed at the end of {place}",
                    open.name
                ),
                "close it in the block that opens it (a blank line ends a block)",
            );
        }
        let _ = write!(output, "</{}>", open.name);
    }

    fn problem(&mut self, line: usize, message: String, hint: &'static str) {
        self.problems.push(RawHtmlProblem {
            line,
            message,
            hint,
        });
    }
}

/// The start of `text`, for a message.
fn excerpt(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The events of one page, each `(html, line)`, rewritten in a block of their own;
    /// the whole output and the problems' lines and messages.
    fn rewritten(events: &[(&str, usize)]) -> (String, Vec<(usize, String)>) {
        let mut raw = RawHtml::default();
        let mut output = String::new();
        for (html, line) in events {
            output.push_str(&raw.rewrite(html, *line));
        }
        let (closing, problems) = raw.finish();
        output.push_str(&closing);
        let problems = problems.into_iter().map(|p| (p.line, p.message)).collect();
        (output, problems)
    }

    #[test]
    fn tags_are_written_as_xhtml() {
        let (html, problems) = rewritten(&[(
            "Line one<br>line two <IMG SRC=a.png alt='a &quot;b&quot;' hidden> &nbsp;&copy; &#x1F600; &#0; & <3\n",
            1,
        )]);
        assert_eq!(
            html,
            "Line one<br />line two <img SRC=\"a.png\" alt=\"a &quot;b&quot;\" hidden=\"\" /> &#160;&#169; &#128512; &#65533; &amp; &lt;3\n"
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn unclosed_elements_are_closed_and_stray_closings_left_out_with_warnings() {
        let (html, problems) = rewritten(&[
            ("<div class=\"x\">\n", 3),
            ("<span>text\n", 4),
            ("</b>\n", 5),
        ]);
        assert_eq!(html, "<div class=\"x\">\n<span>text\n\n</span></div>");
        let messages: Vec<&str> = problems.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            problems.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            [5, 4, 3]
        );
        assert!(messages[0].contains("`</b>` closes no open element"));
        assert!(messages[1].contains("`<span>` is never closed"));
    }

    #[test]
    fn misnested_elements_are_closed_in_order() {
        let (html, problems) = rewritten(&[("<b><i>x</b></i>", 7)]);
        assert_eq!(html, "<b><i>x</i></b>");
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn elements_opened_in_a_block_close_with_it() {
        let mut raw = RawHtml::default();
        raw.open_container();
        let mut html = raw.rewrite("<kbd>", 1);
        html.push_str(&raw.close_container("its paragraph"));
        assert_eq!(html, "<kbd></kbd>");
        // A closing tag for an element of an outer block does not close it from inside.
        let mut raw = RawHtml::default();
        let mut html = raw.rewrite("<div>", 1);
        raw.open_container();
        html.push_str(&raw.rewrite("</div>", 3));
        html.push_str(&raw.close_container("its paragraph"));
        html.push_str(&raw.rewrite("</div>", 5));
        let (closing, problems) = raw.finish();
        assert_eq!(format!("{html}{closing}"), "<div></div>");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("from inside another block"));
    }

    #[test]
    fn a_tag_cut_over_lines_is_joined_and_one_never_ended_is_text() {
        let (html, problems) = rewritten(&[
            ("<img\n", 1),
            ("  src=\"a.png\"\n", 2),
            ("  alt=\"x > y\">\n", 3),
        ]);
        assert_eq!(html, "<img src=\"a.png\" alt=\"x &gt; y\" />\n");
        assert!(problems.is_empty());
        let mut raw = RawHtml::default();
        let mut html = raw.rewrite("<a title=\"never\n", 1);
        html.push_str(&raw.rewrite("ends\n", 2));
        html.push_str(&raw.end_of_block());
        assert_eq!(html, "&lt;a title=\"never\nends\n");
    }

    #[test]
    fn comments_scripts_svg_and_doctypes() {
        let (html, _) = rewritten(&[(
            "<!-- kept --><!-- -- dropped --><!DOCTYPE html><?php x ?><script>if (a < b && c) {}</script>",
            1,
        )]);
        assert_eq!(html, "<!-- kept --><script>if (a < b && c) {}</script>");
        let (html, _) = rewritten(&[(
            "<svg viewBox=\"0 0 1 1\"><path d=\"M0\"/><foreignObject></foreignObject></svg>",
            1,
        )]);
        assert_eq!(
            html,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 1 1\"><path d=\"M0\" /><foreignObject></foreignObject></svg>"
        );
    }

    #[test]
    fn names_xml_cannot_hold_are_left_out() {
        let (html, problems) = rewritten(&[(
            "<o:p>x</o:p><a @click=\"go\" v-on:x=\"y\" href=\"#\" href=\"#2\">y</a>",
            1,
        )]);
        assert_eq!(html, "x<a href=\"#\">y</a>");
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn siblings_close_each_other_as_in_a_browser() {
        let (html, problems) = rewritten(&[("<ul><li>a<li>b</ul><p>one<p>two<div>three</div>", 1)]);
        assert_eq!(
            html,
            "<ul><li>a</li><li>b</li></ul><p>one</p><p>two</p><div>three</div>"
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_long_cut_costs_what_it_weighs() {
        // 200,000 lines of an attribute that never closes: each line looked at once.
        let mut raw = RawHtml::default();
        let mut text = raw.rewrite("<a title=\"x\n", 1);
        for line in 2..200_000 {
            text.push_str(&raw.rewrite("y > z\n", line));
        }
        text.push_str(&raw.end_of_block());
        assert!(text.starts_with("&lt;a title="), "{}", &text[..40]);
        assert_eq!(text.matches("y &gt; z\n").count(), 199_998);
    }
}
