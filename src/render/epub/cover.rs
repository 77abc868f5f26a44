//! The EPUB's cover, generated: the title, the authors and the language on a plain
//! page, as an SVG image (the package's `cover-image`) and the XHTML page showing it
//! first in reading order. Its text is the book's own, so the same book gives the same
//! bytes.

use super::EpubBook;
use crate::escape::escape_html as escape;
use crate::typography::wrapped;

/// Width and height of the cover, in SVG user units (a 2:3 page).
const WIDTH: usize = 600;
const HEIGHT: usize = 900;

/// Characters per line of the title at its size: about half an em each.
const TITLE_LINE: usize = 18;

/// `cover.svg`: dark text on a light page, styles as attributes (no stylesheet).
pub(super) fn svg(book: &EpubBook<'_>) -> String {
    let language = book.language;
    let lines = wrapped(&language.title, TITLE_LINE);
    let title_size = 52;
    let line_height = 64;
    let first = 300 - (lines.len().saturating_sub(1) * line_height) / 2;
    let title: String = lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            format!(
                "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-family=\"serif\" font-size=\"{title_size}\" font-weight=\"bold\" fill=\"#1f3a5f\">{}</text>\n",
                first + index * line_height,
                escape(line),
                x = WIDTH / 2
            )
        })
        .collect();
    let authors = book.authors.join(", ");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-labelledby=\"cover-title\">\n<title id=\"cover-title\">{label}</title>\n<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#f7f5ef\"/>\n<rect x=\"36\" y=\"36\" width=\"{inner_width}\" height=\"{inner_height}\" fill=\"none\" stroke=\"#1f3a5f\" stroke-width=\"4\"/>\n{title}<line x1=\"200\" y1=\"{rule}\" x2=\"400\" y2=\"{rule}\" stroke=\"#1f3a5f\" stroke-width=\"2\"/>\n<text x=\"{x}\" y=\"{authors_y}\" text-anchor=\"middle\" font-family=\"serif\" font-size=\"28\" fill=\"#222222\">{authors}</text>\n<text x=\"{x}\" y=\"800\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"22\" fill=\"#444444\">{language_name}</text>\n</svg>\n",
        label = escape(&label(book)),
        inner_width = WIDTH - 72,
        inner_height = HEIGHT - 72,
        rule = first + lines.len() * line_height,
        authors_y = first + lines.len() * line_height + 70,
        authors = escape(&authors),
        language_name = escape(&language.name),
        x = WIDTH / 2,
    )
}

/// `cover.xhtml`: the cover image, alone on its page.
pub(super) fn page(book: &EpubBook<'_>) -> String {
    let language = book.language;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{code}\" xml:lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\" />\n<title>{title}</title>\n<style>body {{ margin: 0; text-align: center; }} img {{ max-width: 100%; max-height: 100vh; }}</style>\n</head>\n<body>\n<div><img src=\"cover.svg\" epub:type=\"cover\" role=\"doc-cover\" alt=\"{label}\" /></div>\n</body>\n</html>\n",
        code = language.code,
        title = escape(&language.title),
        label = escape(&label(book)),
    )
}

/// The cover in words: the title, then the authors.
fn label(book: &EpubBook<'_>) -> String {
    if book.authors.is_empty() {
        book.language.title.clone()
    } else {
        format!("{}, {}", book.language.title, book.authors.join(", "))
    }
}
