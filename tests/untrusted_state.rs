//! The book's own state (`.folio/`) read and written only inside the book: the real
//! `folio snippets --pin` and `--diff` against links a stranger's book ships.

mod common;

use common::{Fixture, Run};
use std::os::unix::fs::symlink;

/// The minimal book: one page embedding one snippet of a directory source.
fn minimal_book(directive: &str) -> Fixture {
    let book = Fixture::empty();
    book.write(
        "book.toml",
        "[book]\ntitle = \"t\"\n\n[snippets.sources.s]\npath = \"infra\"\n",
    );
    book.write("infra/main.tf", "x = 1\n");
    book.write("src/SUMMARY.md", "- [A](a.md)\n");
    book.write("src/a.md", format!("{directive}\n"));
    book
}

/// Every file under `directory`, with its text.
fn listing(directory: &std::path::Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(directory)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            (
                entry.path().display().to_string(),
                std::fs::read_to_string(entry.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}

fn assert_refused(run: &Run, words: &[&str]) {
    assert_eq!(
        run.code(),
        Some(1),
        "expected exit 1:\n{}{}",
        run.stdout,
        run.stderr
    );
    assert!(run.stderr.contains("hint: "), "{}", run.stderr);
    for word in words {
        assert!(
            run.stderr.contains(word),
            "expected {word:?} in:\n{}",
            run.stderr
        );
    }
}

#[test]
fn pin_refuses_a_state_directory_that_is_a_link_out_of_the_book() {
    let book = minimal_book("{{#snippet s:main.tf}}");
    let elsewhere = Fixture::empty();
    symlink(elsewhere.root(), book.path(".folio")).unwrap();
    let run = book.folio(&["snippets", "--pin"]);
    assert_refused(&run, &[".folio", "symbolic link", "outside the book"]);
    assert!(
        listing(elsewhere.root()).is_empty(),
        "written outside: {:?}",
        listing(elsewhere.root())
    );
    // Refused before any page was touched.
    assert_eq!(book.read("src/a.md"), "{{#snippet s:main.tf}}\n");
}

#[test]
fn pin_refuses_a_pinned_directory_that_is_a_link_out_of_the_book() {
    let book = minimal_book("{{#snippet s:main.tf}}");
    let elsewhere = Fixture::empty();
    std::fs::create_dir(book.path(".folio")).unwrap();
    symlink(elsewhere.root(), book.path(".folio/pinned")).unwrap();
    let run = book.folio(&["snippets", "--pin"]);
    assert_refused(&run, &[".folio/pinned", "outside the book"]);
    assert!(listing(elsewhere.root()).is_empty());
}

#[test]
fn pin_replaces_a_planted_pinned_file_link_instead_of_writing_through_it() {
    let book = minimal_book("{{#snippet s:main.tf}}");
    // What --pin will name the file: pin once in a clean copy to learn the hash.
    assert!(book.folio(&["snippets", "--pin"]).success());
    let pinned = book.read("src/a.md");
    let hash = pinned
        .split("hash=")
        .nth(1)
        .unwrap()
        .split("}}")
        .next()
        .unwrap();
    std::fs::remove_file(book.path(&format!(".folio/pinned/{hash}"))).unwrap();
    let elsewhere = Fixture::empty();
    elsewhere.write("target", "theirs");
    symlink(
        elsewhere.path("target"),
        book.path(&format!(".folio/pinned/{hash}")),
    )
    .unwrap();
    let run = book.folio(&["snippets", "--pin"]);
    assert!(run.success(), "{}", run.stderr);
    assert_eq!(
        elsewhere.read("target"),
        "theirs",
        "written through the link"
    );
    let kept = book.path(&format!(".folio/pinned/{hash}"));
    assert!(
        !std::fs::symlink_metadata(&kept)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(kept).unwrap(), "x = 1\n");
}

#[test]
fn diff_never_prints_a_file_outside_the_book_through_a_planted_link() {
    let book = minimal_book("{{#snippet s:main.tf hash=0123456789abcdef}}");
    let elsewhere = Fixture::empty();
    elsewhere.write("secret", "THE-RUNNER-SECRET\n");
    std::fs::create_dir_all(book.path(".folio/pinned")).unwrap();
    symlink(
        elsewhere.path("secret"),
        book.path(".folio/pinned/0123456789abcdef"),
    )
    .unwrap();
    let run = book.folio(&["snippets", "--diff"]);
    assert_refused(&run, &["0123456789abcdef", "outside the book"]);
    assert!(!run.stdout.contains("THE-RUNNER-SECRET") && !run.stderr.contains("THE-RUNNER-SECRET"));

    // /proc/version the same way, and through a linked directory.
    std::fs::remove_file(book.path(".folio/pinned/0123456789abcdef")).unwrap();
    symlink("/proc/version", book.path(".folio/pinned/0123456789abcdef")).unwrap();
    let run = book.folio(&["snippets", "--diff"]);
    assert_refused(&run, &["outside the book"]);
    assert!(!run.stdout.contains("Linux version"));

    std::fs::remove_dir_all(book.path(".folio")).unwrap();
    elsewhere.write("pinned/0123456789abcdef", "THE-RUNNER-SECRET\n");
    symlink(elsewhere.root(), book.path(".folio")).unwrap();
    let run = book.folio(&["snippets", "--diff"]);
    assert_refused(&run, &[".folio", "outside the book"]);
    assert!(!run.stdout.contains("THE-RUNNER-SECRET"));
}

#[test]
fn a_link_that_stays_inside_the_book_is_not_followed_either() {
    let book = minimal_book("{{#snippet s:main.tf}}");
    std::fs::create_dir(book.path("elsewhere")).unwrap();
    symlink(book.path("elsewhere"), book.path(".folio")).unwrap();
    let run = book.folio(&["snippets", "--pin"]);
    assert_refused(&run, &[".folio", "symbolic link", "never through a link"]);
    assert!(listing(&book.path("elsewhere")).is_empty());
}
