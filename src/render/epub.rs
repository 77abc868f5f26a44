//! An EPUB 3 per language, written directly (zip, deflate): `mimetype` first and stored,
//! `container.xml`, a package document, a navigation document, one XHTML file per page
//! at the same relative paths as the site, the stylesheets, and the images the pages
//! use. Every entry has the same fixed date, so a build is byte-for-byte repeatable.

mod cover;

use super::rebase::Target;
use super::site::Chapter;
use crate::book::history::Date;
use crate::book::{href_of, resolve_link};
use crate::config::Language;
use crate::diagnostic::Diagnostic;
use crate::escape::escape_html as escape;
use regex::Regex;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Write};
use std::path::Path;
use std::sync::LazyLock;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

static IMAGE_SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<img [^>]*src="([^"]+)""#).expect("a valid pattern"));
/// A script or stylesheet the writer put in a page: an EPUB reader runs neither, and a
/// package holding one must declare it (the page's raw HTML is well-formed by then,
/// each element closed: `markdown::raw_html`).
static SCRIPT_OR_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<script\b[^>]*>.*?</script>|<style\b[^>]*>.*?</style>")
        .expect("a valid pattern")
});
/// HTML's obsolete elements a page may still use (`<center>`, `<font>`), which EPUB's
/// XHTML does not allow: a `div` or a `span` in their place, their attributes left out.
static OBSOLETE_ELEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<(/?)(center|font|big|tt|strike|acronym|nobr|blink|marquee|basefont)\b[^>]*?(/?)>")
        .expect("a valid pattern")
});
static NOTE_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<sup class="footnote-reference" (id="[^"]*")><a href"#).expect("a valid pattern")
});

/// What an EPUB is made of.
pub struct EpubBook<'a> {
    /// The edition's language (code, title).
    pub language: &'a Language,
    /// The authors.
    pub authors: &'a [String],
    /// The pages, in reading order.
    pub chapters: &'a [Chapter<'a>],
    /// The language's source directory, where images are read.
    pub source_directory: &'a Path,
    /// The source language's directory, for images a translation does not have.
    pub fallback_directory: Option<&'a Path>,
    /// The book's directory, which no image may lead out of.
    pub allowed: &'a crate::confine::Root,
    /// The stylesheet's text.
    pub stylesheet: &'a str,
    /// The last update, as the package's modification date.
    pub modified: Option<Date>,
    /// The navigation document's title.
    pub notice_label: String,
    /// The package's `schema:accessibilitySummary`, in the edition's language.
    pub accessibility_summary: String,
}

/// The EPUB file's bytes; `previous` (the EPUB of the output being replaced) is kept as
/// it is when it was made from the same entries, which saves compressing them again.
/// The entries are made one at a time (twice when there is a previous EPUB to compare
/// with: hashed, then zipped if they changed), so the book's XHTML is never all in memory.
pub fn write(book: &EpubBook<'_>, previous: Option<Vec<u8>>) -> Result<Vec<u8>, Diagnostic> {
    if let Some(previous) = previous {
        let mut key = EntriesKey::default();
        entries(book, &mut |name, bytes| {
            key.add(name, bytes);
            Ok(())
        })?;
        if previous.ends_with(key.comment().as_bytes()) {
            return Ok(previous);
        }
    }
    zip(book)
}

/// The hash of every entry's name and bytes, which the archive's comment carries.
#[derive(Default)]
struct EntriesKey(Sha256);

impl EntriesKey {
    fn add(&mut self, name: &str, bytes: &[u8]) {
        self.0.update(name);
        self.0.update([0]);
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn comment(self) -> String {
        format!("folio {}", crate::digest::hex(&self.0.finalize()))
    }
}

/// The zip archive of the entries, after the stored `mimetype`, with their hash as its
/// comment.
fn zip(book: &EpubBook<'_>) -> Result<Vec<u8>, Diagnostic> {
    let failure = |error: zip::result::ZipError| {
        Diagnostic::error("epub", format!("cannot write the EPUB: {error}"))
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default());
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    zip.start_file("mimetype", stored).map_err(failure)?;
    zip.write_all(b"application/epub+zip")
        .map_err(|error| failure(error.into()))?;
    let mut key = EntriesKey::default();
    entries(book, &mut |name, bytes| {
        key.add(name, bytes);
        zip.start_file(name, deflated).map_err(failure)?;
        zip.write_all(bytes).map_err(|error| failure(error.into()))
    })?;
    zip.set_comment(key.comment()).map_err(failure)?;
    let cursor = zip.finish().map_err(failure)?;
    Ok(cursor.into_inner())
}

/// Every entry of the EPUB but `mimetype`, in order, handed to `each` (name in the
/// archive, bytes) one at a time.
fn entries(
    book: &EpubBook<'_>,
    each: &mut impl FnMut(&str, &[u8]) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    each("META-INF/container.xml", CONTAINER.as_bytes())?;
    each("OEBPS/style/book.css", book.stylesheet.as_bytes())?;
    each("OEBPS/cover.svg", cover::svg(book).as_bytes())?;
    each("OEBPS/cover.xhtml", cover::page(book).as_bytes())?;
    let pages: HashMap<String, String> = book
        .chapters
        .iter()
        .flat_map(|chapter| {
            chapter
                .pages()
                .map(|path| (path.clone(), chapter.path.clone()))
        })
        .collect();
    let mut images = BTreeSet::new();
    let mut documents = Vec::new();
    for chapter in book.chapters {
        let file = xhtml_name(&chapter.path);
        let body = chapter.rebased(
            &file,
            &Target::Files {
                extension: ".xhtml",
                pages: &pages,
            },
        );
        let body = SCRIPT_OR_STYLE.replace_all(&body, "");
        let body = OBSOLETE_ELEMENT.replace_all(&body, |captures: &regex::Captures<'_>| {
            let element = if &captures[2] == "center" {
                "div"
            } else {
                "span"
            };
            format!("<{}{element}{}>", &captures[1], &captures[3])
        });
        let body = NOTE_REFERENCE
            .replace_all(
                &body,
                r#"<sup class="footnote-reference" $1><a epub:type="noteref" role="doc-noteref" href"#,
            )
            .replace(
                "<section class=\"footnotes\">",
                "<section class=\"footnotes\" epub:type=\"endnotes\" role=\"doc-endnotes\">",
            );
        for source in IMAGE_SOURCE.captures_iter(&body) {
            if let Some(image) = resolve_link(&file, &crate::book::path_of_href(&source[1]))
                .filter(|_| !crate::book::is_external_link(&source[1]))
            {
                images.insert(image);
            }
        }
        let svg = body.contains("<svg");
        each(
            &format!("OEBPS/{file}"),
            xhtml(
                chapter.language.as_deref().unwrap_or(&book.language.code),
                &chapter.title,
                &file,
                &body,
            )
            .as_bytes(),
        )?;
        documents.push((file, svg));
    }
    let mut image_items = Vec::new();
    for image in &images {
        // A translation may use the original's image; a missing image is left out here
        // and reported by the site's link checks.
        let found = std::iter::once(book.source_directory)
            .chain(book.fallback_directory)
            .map(|directory| directory.join(image))
            .find(|path| path.is_file());
        let Some(file) = found else {
            continue;
        };
        let bytes = book.allowed.read(&file)?;
        each(&format!("OEBPS/{image}"), &bytes)?;
        image_items.push(image.clone());
    }
    each("OEBPS/nav.xhtml", navigation(book).as_bytes())?;
    each(
        "OEBPS/content.opf",
        package(book, &documents, &image_items).as_bytes(),
    )
}

const CONTAINER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"#;

fn xhtml_name(html_path: &str) -> String {
    format!("{}.xhtml", html_path.trim_end_matches(".html"))
}

/// A page of the EPUB in the language `code`.
fn xhtml(code: &str, title: &str, file: &str, body: &str) -> String {
    let stylesheet = crate::book::relative_link(file, "style/book.css");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{code}\" xml:lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\" />\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"{stylesheet}\" />\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title),
    )
}

fn navigation(book: &EpubBook<'_>) -> String {
    let items: String = book
        .chapters
        .iter()
        .map(|chapter| {
            let number = chapter
                .number
                .as_ref()
                .map(|n| format!("{n} "))
                .unwrap_or_default();
            format!(
                "<li><a href=\"{}\">{number}{}</a></li>\n",
                escape(&href_of(&xhtml_name(&chapter.path))),
                escape(&chapter.title)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{code}\" xml:lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\" />\n<title>{title}</title>\n</head>\n<body>\n<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\">\n<h1>{label}</h1>\n<ol>\n{items}</ol>\n</nav>\n</body>\n</html>\n",
        code = book.language.code,
        title = escape(&book.language.title),
        label = escape(&book.notice_label)
    )
}

fn package(book: &EpubBook<'_>, documents: &[(String, bool)], images: &[String]) -> String {
    let language = book.language;
    let hex = crate::digest::sha256_hex(
        format!("folio:{}:{}", language.title, language.code).as_bytes(),
        16,
    );
    let identifier = format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    );
    let modified = book
        .modified
        .or_else(Date::from_source_date_epoch)
        .map_or_else(
            || "2000-01-01T00:00:00Z".to_string(),
            |date| {
                format!(
                    "{:04}-{:02}-{:02}T00:00:00Z",
                    date.year, date.month, date.day
                )
            },
        );
    let creators: String = book
        .authors
        .iter()
        .enumerate()
        .map(|(index, author)| {
            format!(
                "<dc:creator id=\"creator-{}\">{}</dc:creator>\n",
                index + 1,
                escape(author)
            )
        })
        .collect();
    let mut manifest = String::from(
        "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n<item id=\"style\" href=\"style/book.css\" media-type=\"text/css\"/>\n<item id=\"cover-image\" href=\"cover.svg\" media-type=\"image/svg+xml\" properties=\"cover-image\"/>\n<item id=\"cover\" href=\"cover.xhtml\" media-type=\"application/xhtml+xml\"/>\n",
    );
    let mut spine = String::from("<itemref idref=\"cover\"/>\n");
    for (index, (file, svg)) in documents.iter().enumerate() {
        let properties = if *svg { " properties=\"svg\"" } else { "" };
        manifest.push_str(&format!(
            "<item id=\"page-{}\" href=\"{}\" media-type=\"application/xhtml+xml\"{properties}/>\n",
            index + 1,
            escape(&href_of(file))
        ));
        spine.push_str(&format!("<itemref idref=\"page-{}\"/>\n", index + 1));
    }
    for (index, image) in images.iter().enumerate() {
        manifest.push_str(&format!(
            "<item id=\"image-{}\" href=\"{}\" media-type=\"{}\"/>\n",
            index + 1,
            escape(&href_of(image)),
            crate::media_type::of(image)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\" xml:lang=\"{code}\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<dc:identifier id=\"book-id\">{identifier}</dc:identifier>\n<dc:title>{title}</dc:title>\n<dc:language>{code}</dc:language>\n{creators}{description}<meta property=\"dcterms:modified\">{modified}</meta>\n{accessibility}</metadata>\n<manifest>\n{manifest}</manifest>\n<spine>\n{spine}</spine>\n</package>\n",
        code = language.code,
        title = escape(&language.title),
        description = language
            .description
            .as_deref()
            .map(|text| format!("<dc:description>{}</dc:description>\n", escape(text)))
            .unwrap_or_default(),
        accessibility = accessibility_metadata(&book.accessibility_summary),
    )
}

/// What a reader (or a library's catalogue) learns of the book's accessibility
/// (EPUB Accessibility 1.1, schema.org properties): text and images, text alone
/// sufficient (every image has its alternative text, code is text), navigable by
/// headings and contents in reading order, no hazard.
fn accessibility_metadata(summary: &str) -> String {
    let properties: [(&str, &str); 7] = [
        ("accessMode", "textual"),
        ("accessMode", "visual"),
        ("accessModeSufficient", "textual"),
        ("accessibilityFeature", "structuralNavigation"),
        ("accessibilityFeature", "tableOfContents"),
        ("accessibilityFeature", "readingOrder"),
        ("accessibilityHazard", "none"),
    ];
    let mut metadata: String = properties
        .iter()
        .map(|(name, value)| format!("<meta property=\"schema:{name}\">{value}</meta>\n"))
        .collect();
    metadata.push_str(&format!(
        "<meta property=\"schema:accessibilitySummary\">{}</meta>\n",
        escape(summary)
    ));
    metadata
}
