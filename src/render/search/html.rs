//! The part of a rendered page that search reads.

use super::INDEXED_MARKER;

/// The page reduced to what search reads: its `<html lang>` tag and the element that
/// carries [`INDEXED_MARKER`]. Handing pagefind the whole page would make it parse every
/// page's table of contents, which grows with the book: quadratic work on big books.
pub(super) fn indexed_part(html: &str) -> Option<String> {
    let marker = html.find(INDEXED_MARKER)?;
    let start = html[..marker].rfind("<article")?;
    let end = html.rfind("</article>")? + "</article>".len();
    let html_start = html.find("<html")?;
    let html_tag = &html[html_start..html_start + html[html_start..].find('>')? + 1];
    (start < end).then(|| {
        format!(
            "<!DOCTYPE html>{html_tag}<body>{}</body></html>",
            without_spans(&html[start..end])
        )
    })
}

/// The `lang` of a reduced page's `<html>` tag.
pub(super) fn language_of(indexed: &str) -> Option<&str> {
    let tag = &indexed[indexed.find("<html")?..];
    let tag = &tag[..tag.find('>')?];
    let value = &tag[tag.find("lang=\"")? + "lang=\"".len()..];
    value.get(..value.find('"')?)
}

/// The HTML without its `<span>` tags (their text kept): highlighted code is mostly
/// spans, which change nothing that search reads but cost pagefind's parser its time.
fn without_spans(html: &str) -> String {
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<span").or_else(|| rest.find("</span>")) {
        let closing = rest[..at].find("</span>");
        let at = closing.unwrap_or(at);
        let tag = &rest[at..];
        let is_span = tag.starts_with("</span>") || tag[5..].starts_with([' ', '>']);
        let Some(tag_end) = tag.find('>').filter(|_| is_span) else {
            kept.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
            continue;
        };
        kept.push_str(&rest[..at]);
        rest = &tag[tag_end + 1..];
    }
    kept.push_str(rest);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_go_and_their_text_stays() {
        assert_eq!(
            without_spans("<pre><span class=\"hl-k\">let</span> x <spanx>y</span></pre>"),
            "<pre>let x <spanx>y</pre>"
        );
        assert_eq!(without_spans("a <span"), "a <span");
    }

    #[test]
    fn only_the_marked_article_is_indexed() {
        let page = "<html lang=\"fr\"><nav>contents</nav><article data-pagefind-body>Texte</article></html>";
        let indexed = indexed_part(page).unwrap();
        assert!(indexed.contains("<html lang=\"fr\">") && indexed.contains("Texte"));
        assert!(!indexed.contains("contents"));
        assert_eq!(indexed_part("<html><article>x</article></html>"), None);
    }
}
