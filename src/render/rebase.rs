//! Moving a page's HTML into another document: the print page (every chapter in one
//! file, ids prefixed per chapter, links between chapters turned into anchors) and the
//! EPUB (pages as `.xhtml`). Only `href`, `src` and `id` attributes are rewritten.

use crate::book::{relative_link, resolve_link};
use regex::{Captures, Regex};
use std::collections::HashMap;
use std::sync::LazyLock;

/// `url(#id)` in inline SVG (markers, gradients) follows its prefixed id.
static FRAGMENT_REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"url\(#([^)]+)\)").expect("a valid pattern"));

/// The attributes that give a code block its "show hidden lines" button.
static HIDDEN_LINE_ATTRIBUTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#" data-(hidden-lines|toggle-label)="[^"]*""#).expect("a valid pattern")
});

/// A control group only the site can use (the timeline's filter), left out whole.
static INTERACTIVE_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<div [^>]*data-interactive=""[^>]*>.*?</div>\n?"#).expect("a valid pattern")
});

/// A button only the site can use (the board's sort buttons): its label is kept.
static INTERACTIVE_BUTTON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)<button [^>]*data-interactive=""[^>]*>(.*?)</button>"#)
        .expect("a valid pattern")
});

static ATTRIBUTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(href|src|id)="([^"]*)""#).expect("a valid pattern"));

/// Where a page's links lead in the new document.
pub enum Target<'a> {
    /// One document holding every page: page `p` becomes the anchor `anchors[p]`.
    SingleDocument {
        anchors: &'a HashMap<String, String>,
    },
    /// One file per page, `.html` renamed to `extension`, at the same relative paths:
    /// a link to page `p` leads to the file of `pages[p]` (itself, or the page standing
    /// for it).
    Files {
        extension: &'a str,
        pages: &'a HashMap<String, String>,
    },
}

/// Rewrites `html`, a page at `from` (its output path, relative to the language root),
/// for a document at `to`.
pub fn rebase(html: &str, from: &str, to: &str, target: &Target<'_>) -> String {
    let html = without_interactive_parts(&without_hidden_lines(html));
    let html = html.as_str();
    let own_anchor = match target {
        Target::SingleDocument { anchors } => anchors.get(from).map(String::as_str),
        Target::Files { .. } => None,
    };
    let html = match own_anchor {
        Some(anchor) => FRAGMENT_REFERENCE.replace_all(html, |captures: &Captures<'_>| {
            format!("url(#{anchor}-{})", &captures[1])
        }),
        None => std::borrow::Cow::Borrowed(html),
    };
    ATTRIBUTE
        .replace_all(&html, |captures: &Captures<'_>| {
            let (name, value) = (&captures[1], &captures[2]);
            let rewritten = match name {
                "id" => own_anchor
                    .map_or_else(|| value.to_string(), |anchor| format!("{anchor}-{value}")),
                _ => link(value, from, to, own_anchor, target),
            };
            format!("{name}=\"{rewritten}\"")
        })
        .into_owned()
}

/// `html` without the hidden lines of its code blocks (`<span class="boring">`, with
/// the spans inside them): print and EPUB show what the site shows before the reader
/// asks for more, and have no button to ask.
pub fn without_hidden_lines(html: &str) -> String {
    const OPENING: &str = "<span class=\"boring\">";
    if !html.contains(OPENING) {
        return html.to_string();
    }
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPENING) {
        kept.push_str(&rest[..start]);
        let mut depth = 0usize;
        let mut at = start;
        loop {
            let Some(next) = rest[at..]
                .find("<span")
                .into_iter()
                .chain(rest[at..].find("</span>"))
                .min()
            else {
                at = rest.len();
                break;
            };
            at += next;
            if rest[at..].starts_with("</span>") {
                depth -= 1;
                at += "</span>".len();
                if depth == 0 {
                    break;
                }
            } else {
                depth += 1;
                at += "<span".len();
            }
        }
        rest = &rest[at..];
    }
    kept.push_str(rest);
    HIDDEN_LINE_ATTRIBUTES.replace_all(&kept, "").into_owned()
}

/// `html` without what only works on the site (marked `data-interactive` by the blocks
/// made from data): the timeline's filter buttons are left out, the board's sort
/// buttons become their labels. Print and EPUB have nothing to click.
pub fn without_interactive_parts(html: &str) -> String {
    if !html.contains("data-interactive") {
        return html.to_string();
    }
    let html = INTERACTIVE_GROUP.replace_all(html, "");
    INTERACTIVE_BUTTON.replace_all(&html, "$1").into_owned()
}

fn link(
    value: &str,
    from: &str,
    to: &str,
    own_anchor: Option<&str>,
    target: &Target<'_>,
) -> String {
    if let Some(fragment) = value.strip_prefix('#') {
        return own_anchor.map_or_else(
            || value.to_string(),
            |anchor| format!("#{anchor}-{fragment}"),
        );
    }
    if crate::book::is_external_link(value) || value.is_empty() {
        return value.to_string();
    }
    let (path, fragment) = match value.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (value, None),
    };
    let Some(resolved) = resolve_link(from, &crate::book::path_of_href(path)) else {
        return value.to_string();
    };
    match target {
        Target::SingleDocument { anchors } => match anchors.get(&resolved) {
            Some(anchor) => match fragment {
                Some(fragment) => format!("#{anchor}-{fragment}"),
                None => format!("#{anchor}"),
            },
            None => {
                relative_link(to, &resolved)
                    + &fragment.map(|f| format!("#{f}")).unwrap_or_default()
            }
        },
        Target::Files { extension, pages } => {
            let file = pages.get(&resolved).map_or_else(
                || resolved.clone(),
                |page| page.trim_end_matches(".html").to_string() + extension,
            );
            relative_link(to, &file) + &fragment.map(|f| format!("#{f}")).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_only_the_site_can_use_are_left_out() {
        let html = "<div class=\"timeline\">\n<div class=\"timeline-filter\" role=\"group\" data-interactive=\"\"><span>Filter</span> <button type=\"button\" data-tag=\"a\">A</button></div>\n<ol></ol></div><table><th><button type=\"button\" data-interactive=\"\">Team</button></th></table>";
        assert_eq!(
            without_interactive_parts(html),
            "<div class=\"timeline\">\n<ol></ol></div><table><th>Team</th></table>"
        );
    }

    #[test]
    fn hidden_lines_are_left_out_with_their_inner_spans() {
        let html = "<pre class=\"code\" data-hidden-lines=\"2\"><code><span class=\"boring\"><span class=\"k\">use</span> a;\n</span>fn <span class=\"x\">main</span>() {}\n<span class=\"boring\">// end\n</span></code></pre>";
        assert_eq!(
            without_hidden_lines(html),
            "<pre class=\"code\"><code>fn <span class=\"x\">main</span>() {}\n</code></pre>"
        );
    }

    #[test]
    fn single_document_links_become_anchors() {
        let anchors: HashMap<String, String> = [
            ("chapters/01.html".to_string(), "c1".to_string()),
            ("chapters/02.html".to_string(), "c2".to_string()),
        ]
        .into();
        let html = r##"<h2 id="x"><a href="#x">X</a></h2><a href="02.html#fig:a">f</a><a href="02.html">c</a><img src="../images/a.svg" /><a href="https://e.org">e</a><line marker-end="url(#arrow)"/>"##;
        assert_eq!(
            rebase(
                html,
                "chapters/01.html",
                "print.html",
                &Target::SingleDocument { anchors: &anchors }
            ),
            r##"<h2 id="c1-x"><a href="#c1-x">X</a></h2><a href="#c2-fig:a">f</a><a href="#c2">c</a><img src="images/a.svg" /><a href="https://e.org">e</a><line marker-end="url(#c1-arrow)"/>"##
        );
    }

    #[test]
    fn file_links_get_the_new_extension() {
        let pages: HashMap<String, String> = [
            (
                "chapters/02.html".to_string(),
                "chapters/02.html".to_string(),
            ),
            ("chapters/03.html".to_string(), "list.html".to_string()),
        ]
        .into();
        let html =
            r##"<a href="02.html#s">s</a><img src="../images/a.svg" /><a href="03.html">t</a>"##;
        assert_eq!(
            rebase(
                html,
                "chapters/01.html",
                "chapters/01.xhtml",
                &Target::Files {
                    extension: ".xhtml",
                    pages: &pages
                }
            ),
            r##"<a href="02.xhtml#s">s</a><img src="../images/a.svg" /><a href="../list.xhtml">t</a>"##
        );
    }
}
