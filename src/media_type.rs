//! The media type of a file from its name (through `mime_guess`), as an HTTP
//! `Content-Type` and as an EPUB manifest's `media-type`.

/// The media type of `path` with no parameters (`image/png`, `text/html`);
/// `application/octet-stream` when the extension is unknown.
pub fn of(path: &str) -> String {
    mime_guess::from_path(path)
        .first_or_octet_stream()
        .essence_str()
        .to_string()
}

/// The `Content-Type` header for `path`: its media type, with `charset=utf-8` for text
/// (folio writes every text file in UTF-8).
pub fn content_type(path: &str) -> String {
    let media_type = of(path);
    if media_type.starts_with("text/") {
        format!("{media_type}; charset=utf-8")
    } else {
        media_type
    }
}

#[cfg(test)]
mod tests {
    use super::{content_type, of};

    #[test]
    fn types_of_the_files_a_site_holds() {
        assert_eq!(content_type("fr/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("assets/book.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("pagefind/x.json"), "application/json");
        assert_eq!(of("images/a.svg"), "image/svg+xml");
        assert_eq!(of("images/a.JPG"), "image/jpeg");
        assert_eq!(of("images/a.webp"), "image/webp");
        assert_eq!(of("fr/le-plan.epub"), "application/epub+zip");
        assert_eq!(of("fr/le-plan.pdf"), "application/pdf");
        assert_eq!(of("pagefind/wasm.fr.pagefind"), "application/octet-stream");
    }
}
