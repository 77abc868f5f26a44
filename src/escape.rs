//! Escaping text for HTML and XML, in element content and in quoted attribute values.

/// `text` with `&`, `<`, `>` and `"` escaped: safe in element content and in a
/// double-quoted attribute value, in HTML and in XML.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut escaped, text)
        .expect("writing to a String cannot fail");
    escaped
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            super::escape_html(r#"<a href="x">&</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
