//! A stranger's book, second sweep: unknown keys by the hundred thousand, names that are
//! not UTF-8, links out of the book by the handful.

mod common;

use common::{Fixture, assert_error, bounded_for};
use std::os::unix::ffi::OsStrExt;

/// A one-page single-language book.
fn one_page_book(page: &str) -> Fixture {
    let book = Fixture::empty();
    book.write("book.toml", "[book]\ntitle = \"t\"\n");
    book.write("src/SUMMARY.md", "- [A](a.md)\n");
    book.write("src/a.md", page);
    book
}

#[test]
fn two_hundred_thousand_unknown_front_matter_keys_take_linear_time() {
    let keys: String = (0..200_000).map(|n| format!("key{n} = \"v\"\n")).collect();
    let book = one_page_book(&format!("+++\n{keys}+++\n# A\n\nText.\n"));
    // Finding each key's line by reading the page again took 33 s at 40,000 (release).
    let run = bounded_for(&book, &["build"], 30);
    assert!(run.success(), "{}", run.stderr);
    let warnings = run.stderr.matches("warning[unknown-key]").count();
    assert_eq!(
        warnings, 11,
        "ten keys, then one warning for the rest:\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("199990 more unknown keys at the top level are ignored"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_hundred_thousand_unknown_book_toml_keys_take_linear_time() {
    let keys: String = (0..100_000).map(|n| format!("key{n} = \"v\"\n")).collect();
    let book = one_page_book("# A\n");
    book.write("book.toml", format!("[book]\ntitle = \"t\"\n{keys}"));
    let run = bounded_for(&book, &["check"], 30);
    assert!(
        run.stdout
            .contains("99990 more unknown keys in `[book]` are ignored"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_file_name_that_is_not_utf8_is_an_error_naming_it() {
    let book = one_page_book("# A\n");
    // `p\xc3\x28.png`: published as `p\u{FFFD}(.png` before, and no link could reach it.
    let name = std::ffi::OsStr::from_bytes(b"p\xc3\x28.png");
    std::fs::write(book.path("src").join(name), "png").unwrap();
    let run = book.folio(&["build"]);
    assert_error(&run, "src/p", &["not valid UTF-8", "convmv"]);
    assert!(!book.path("book").exists());
}

#[test]
fn check_lists_every_link_out_of_the_book_at_once() {
    let book = one_page_book("# A\n");
    let outside = Fixture::empty();
    outside.write("secret.png", "s");
    for name in ["w.png", "x.png", "y.png"] {
        std::os::unix::fs::symlink(outside.path("secret.png"), book.path("src").join(name))
            .unwrap();
    }
    let run = book.folio(&["check"]);
    assert_eq!(run.code(), Some(1));
    for name in ["w.png", "x.png", "y.png"] {
        assert!(
            run.stdout
                .contains(&format!("error[outside-book]: src/{name}:")),
            "{name} in:\n{}",
            run.stdout
        );
    }
}

/// A 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f,
    0x00, 0x05, 0xfe, 0x02, 0xfe, 0xa7, 0x35, 0x81, 0x84, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

fn epubcheck(epub: &std::path::Path) -> String {
    let output = std::process::Command::new("java")
        .args(["-jar", "/usr/share/java/epubcheck.jar"])
        .arg(epub)
        .output()
        .expect("epubcheck is installed (.ci/run installs it)");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_epub_is_valid_whatever_html_and_bytes_the_pages_hold() {
    let book = one_page_book(
        "# A\n\nLine one<br>line two.\n\n<div class=\"note\">\n\nUnclosed *div* <span>and span.\n\n\
         <img src=dot.png alt=picture>\n\nSome &nbsp; &copy; & stuff < 3 </b>\n\n\
         <details><summary>More</summary>\n\nHidden text.\n\n</details>\n\n\
         <script>if (a < b && c) { x(); }</script>\n\n<table><tr><td>x<td>y</table>\n\n\
         <p>A paragraph <o:p>from Word</o:p> <a @click=\"go\" href=\"#a\">link</a>\n\n\
         <center><font color=red>Old HTML</font></center>\n",
    );
    book.write("src/dot.png", PNG);
    book.write("src/SUMMARY.md", "- [A](a.md)\n- [B](b.md)\n");
    book.write(
        "src/b.md",
        "# B\n\nNUL \0 here, SOH \x01 and ESC \x1b[31m red.\n\n```sh\necho \"\x1b[1m bold\"\n```\n",
    );
    let run = book.folio(&["build"]);
    assert!(run.success(), "{}", run.stderr);
    for warning in [
        "src/a.md:5: raw HTML `<div>` is never closed: it is closed at the end of the page",
        "src/a.md:7: raw HTML `<span>` is never closed: it is closed at the end of its paragraph",
        "src/a.md:11: raw HTML `</b>` closes no open element: it is left out",
        "src/a.md:23: raw HTML `<o:p>` is not an element a page can hold",
        "src/a.md:23: raw HTML `<a>` has an attribute `@click`",
        "src/b.md:3: a control character (NUL, ESC...) is in the text",
        "src/b.md:6: a control character",
    ] {
        assert!(
            run.stderr.contains(warning),
            "{warning:?} in:\n{}",
            run.stderr
        );
    }
    let report = epubcheck(&book.path("book/t.epub"));
    assert!(
        report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
        "{report}"
    );
    // The site's pages and their description carry no control byte either.
    for page in ["book/a.html", "book/b.html", "book/print.html"] {
        let html = book.read(page);
        assert!(
            !html
                .chars()
                .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')),
            "{page} holds a control character"
        );
    }
    assert!(
        book.read("book/b.html")
            .contains("<meta name=\"description\" content=\"NUL \u{FFFD} here")
    );
    assert!(
        book.read("book/a.html")
            .contains("<p>Line one<br />line two.</p>")
    );
}
