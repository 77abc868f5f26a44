//! Bad input: every problem names its file (and line), says what to do, exits
//! non-zero (warnings exit 0), never panics, and leaves the previous output alone.

mod common;

use common::{Fixture, Run, assert_error, snapshot};

/// Builds the fixture, applies `break_it`, builds again, and checks the old site survived.
fn build_after(break_it: impl FnOnce(&Fixture)) -> (Fixture, Run) {
    let book = Fixture::copy("bilingual");
    book.build();
    let before = snapshot(&book.path("book"));
    break_it(&book);
    let run = book.folio(&["build"]);
    assert!(
        !run.stderr.contains("panicked"),
        "folio panicked:\n{}",
        run.stderr
    );
    if !run.success() {
        assert_eq!(
            before,
            snapshot(&book.path("book")),
            "a failed build changed the output"
        );
        assert!(run.stderr.contains("previous output"), "{}", run.stderr);
    }
    (book, run)
}

#[test]
fn malformed_book_toml() {
    let (_, run) = build_after(|book| {
        book.write(
            "book.toml",
            "[book]\ntitle = \"Livre\"\nauthors = [\"a\"\nsrc = \"content\"\n",
        );
    });
    // The parser notices the unclosed array where the next key starts.
    assert_error(&run, "book.toml:4", &["error[invalid-toml]"]);
}

#[test]
fn a_value_of_the_wrong_type_in_book_toml() {
    let (_, run) = build_after(|book| {
        let text = book
            .read("book.toml")
            .replace("authors = [\"Folio\"]", "authors = 3");
        book.write("book.toml", text);
    });
    assert_error(&run, "book.toml:3", &["invalid type"]);
}

#[test]
fn malformed_front_matter() {
    let (_, run) = build_after(|book| {
        book.write(
            "content/fr/code.md",
            "+++\nwritten = \"été 2018\"\nsample = tru\n+++\n\n# Du code\n",
        );
    });
    assert_error(&run, "content/fr/code.md:3", &["error[invalid-toml]"]);
}

#[test]
fn front_matter_never_closed() {
    let (_, run) = build_after(|book| {
        book.write(
            "content/fr/code.md",
            "+++\nwritten = \"été 2018\"\n\n# Du code\n",
        );
    });
    assert_error(&run, "content/fr/code.md:1", &["never closed"]);
}

#[test]
fn a_summary_entry_whose_file_is_missing() {
    let (_, run) = build_after(|book| {
        book.edit("content/fr/SUMMARY.md", |summary| {
            summary.replace(
                "- [Du code](code.md)",
                "- [Du code](code.md)\n- [Absent](absent.md)",
            )
        });
    });
    assert_error(
        &run,
        "content/fr/SUMMARY.md:10",
        &["absent.md", "does not exist"],
    );
}

#[test]
fn a_translation_entry_missing_in_every_language_is_an_error_too() {
    let (_, run) = build_after(|book| {
        book.edit("content/en/SUMMARY.md", |summary| {
            summary.replace(
                "[Appendix](annexe.md)",
                "[Appendix](annexe.md)\n[Glossary](glossary.md)",
            )
        });
    });
    assert_error(&run, "content/en/SUMMARY.md:16", &["glossary.md"]);
}

#[test]
fn a_summary_line_that_is_not_a_link() {
    let (_, run) = build_after(|book| {
        let summary = book
            .read("content/fr/SUMMARY.md")
            .replace("- [Du code](code.md)", "- Du code (code.md)");
        book.write("content/fr/SUMMARY.md", summary);
    });
    assert_error(
        &run,
        "content/fr/SUMMARY.md:9",
        &["expected a chapter link"],
    );
}

#[test]
fn a_file_that_is_not_utf8() {
    let (_, run) = build_after(|book| {
        book.write(
            "content/fr/code.md",
            b"# Du code\n\nCaf\xe9 cr\xe8me\n".as_slice(),
        );
    });
    assert_error(&run, "content/fr/code.md:3", &["not valid UTF-8"]);
}

#[test]
fn a_link_to_a_missing_chapter_is_a_warning() {
    let (book, run) = build_after(|book| {
        book.write(
            "content/fr/code.md",
            "# Du code\n\nVoir [ailleurs](ailleurs.md).\n",
        );
    });
    assert!(run.success(), "warnings exit 0:\n{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning[broken-link]: content/fr/code.md:3:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: "));
    assert!(
        book.read("book/fr/code.html")
            .contains("href=\"ailleurs.html\"")
    );
}

#[test]
fn an_empty_content_directory() {
    let (_, run) = build_after(|book| {
        std::fs::remove_dir_all(book.path("content/fr")).unwrap();
        std::fs::create_dir(book.path("content/fr")).unwrap();
    });
    assert_error(&run, "content/fr/SUMMARY.md", &["is empty", "folio init"]);
}

#[test]
fn unknown_keys_are_warnings_naming_the_key() {
    let (_, run) = build_after(|book| {
        let text = book
            .read("book.toml")
            .replace("[language.fr]", "[language.fr]\ntitel = \"oops\"");
        book.write("book.toml", text);
        book.write(
            "content/fr/code.md",
            "+++\nwriten = \"2018\"\n+++\n# Du code\n",
        );
    });
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning[unknown-key]: book.toml:7: unknown key `language.fr.titel`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning[unknown-key]: content/fr/code.md:2: unknown key `writen`"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let (_, run) = build_after(|book| {
        book.write("content/fr/code.md", "+++\nbad =\n+++\n");
        book.write("content/fr/seul.md", b"\xff".as_slice());
    });
    assert_error(
        &run,
        "content/fr/code.md:2",
        &["content/fr/seul.md:1", "2 error(s)"],
    );
}

#[test]
fn an_output_directory_folio_did_not_write_is_never_replaced() {
    let book = Fixture::copy("bilingual");
    book.write("book/notes.txt", "mine");
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(run.stderr.contains("folio did not write"), "{}", run.stderr);
    assert_eq!(book.read("book/notes.txt"), "mine");
    let run = book.folio(&["clean"]);
    assert_eq!(run.code(), Some(1));
    assert_eq!(book.read("book/notes.txt"), "mine");
}
