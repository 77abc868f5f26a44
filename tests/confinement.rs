//! Confinement: a book can name no file outside its directory (or a snippet source
//! it declares), whether through `..`, an absolute path or a symbolic link; and folio
//! writes only into a build directory it owns, deleting only what it wrote there.
//!
//! The files outside the book are named pipes where the rule is about reading: opening
//! one for reading blocks until a writer comes, so a folio that read it would hang
//! instead of failing fast. Every run here is bounded, which proves nothing was opened.

mod common;

use common::{Fixture, Run, assert_error, bounded};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A directory outside the book holding a named pipe `secret` and a regular file
/// `secret.png` whose bytes must never reach the site.
struct Outside {
    dir: tempfile::TempDir,
}

const SECRET: &str = "TOP-SECRET-BYTES";

impl Outside {
    fn new() -> Outside {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mkfifo")
            .arg(dir.path().join("secret"))
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::write(dir.path().join("secret.png"), SECRET).unwrap();
        std::fs::write(dir.path().join("secret.css"), SECRET).unwrap();
        Outside { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The build failed with `message` at `location` and left no site behind.
fn assert_refused(book: &Fixture, run: &Run, location: &str, message: &str) {
    assert_error(run, location, &[message]);
    assert!(!book.path("book").exists(), "nothing was written");
}

fn link(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn append(book: &Fixture, page: &str, text: &str) {
    let before = book.read(page);
    book.write(page, format!("{before}\n{text}\n"));
}

#[test]
fn an_include_climbing_out_with_dot_dot_is_refused() {
    let outside = Outside::new();
    let book = Fixture::copy("bilingual");
    let climb = format!("../../../{}", outside.path("secret").display());
    append(
        &book,
        "content/fr/seul.md",
        &format!("{{{{#include {climb}}}}}"),
    );
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "content/fr/seul.md:5", "leaves the book");
}

#[test]
fn an_absolute_include_is_refused() {
    let outside = Outside::new();
    let book = Fixture::copy("bilingual");
    let absolute = outside.path("secret").display().to_string();
    append(
        &book,
        "content/fr/seul.md",
        &format!("{{{{#include {absolute}}}}}"),
    );
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "content/fr/seul.md:5", "leaves the book");
}

#[test]
fn an_include_through_a_symbolic_link_out_of_the_book_is_refused() {
    let outside = Outside::new();
    let book = Fixture::copy("bilingual");
    link(&outside.path("secret"), &book.path("content/fr/leak.txt"));
    append(&book, "content/fr/seul.md", "{{#include leak.txt}}");
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "content/fr/seul.md:5", "symbolic link");
    // A link to a directory outside, then a file below it.
    let book = Fixture::copy("bilingual");
    link(outside.dir.path(), &book.path("content/fr/elsewhere"));
    append(&book, "content/fr/seul.md", "{{#include elsewhere/secret}}");
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "content/fr/seul.md:5", "symbolic link");
}

#[test]
fn a_summary_entry_outside_the_book_is_refused() {
    let outside = Outside::new();
    let book = Fixture::copy("bilingual");
    book.edit("content/fr/SUMMARY.md", |summary| {
        summary.replace("- [Du code](code.md)", "- [Du code](../../../../secret.md)")
    });
    let run = bounded(&book, &["build"]);
    assert_refused(
        &book,
        &run,
        "content/fr/SUMMARY.md:9",
        "leaves the book's source directory",
    );

    let book = Fixture::copy("bilingual");
    std::fs::remove_file(book.path("content/en/SUMMARY.md")).unwrap();
    link(&outside.path("secret"), &book.path("content/en/SUMMARY.md"));
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "content/en/SUMMARY.md", "symbolic link");

    let book = Fixture::copy("bilingual");
    std::fs::remove_file(book.path("content/fr/code.md")).unwrap();
    link(&outside.path("secret"), &book.path("content/fr/code.md"));
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "content/fr/SUMMARY.md:9", "symbolic link");
}

#[test]
fn an_image_outside_the_book_is_refused_and_never_copied() {
    let outside = Outside::new();
    let book = Fixture::copy("bilingual");
    link(
        &outside.path("secret.png"),
        &book.path("content/fr/leak.png"),
    );
    append(&book, "content/fr/seul.md", "![Fuite](leak.png)");
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "content/fr/seul.md:5", "symbolic link");
    assert!(!run.stderr.contains(SECRET));
    // A link inside the book is fine, and copied as the file it leads to.
    let book = Fixture::copy("bilingual");
    std::fs::write(book.path("content/fr/real.png"), "PNG").unwrap();
    link(
        &book.path("content/fr/real.png"),
        &book.path("content/fr/alias.png"),
    );
    append(&book, "content/fr/seul.md", "![Alias](alias.png)");
    book.build();
    assert_eq!(book.read("book/fr/alias.png"), "PNG");
}

#[test]
fn a_theme_override_data_file_or_stylesheet_outside_the_book_is_refused() {
    let outside = Outside::new();
    let book = Fixture::copy("bilingual");
    std::fs::create_dir_all(book.path("theme")).unwrap();
    link(&outside.path("secret"), &book.path("theme/page.html"));
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "theme/page.html", "symbolic link");

    let book = Fixture::copy("bilingual");
    std::fs::create_dir_all(book.path("content/data")).unwrap();
    link(
        &outside.path("secret"),
        &book.path("content/data/timeline.toml"),
    );
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "content/data/timeline.toml", "symbolic link");

    let book = Fixture::copy("bilingual");
    let config = book.read("book.toml");
    let css = outside.path("secret.css").display().to_string();
    book.write(
        "book.toml",
        format!("{config}\n[output.html]\nadditional-css = [\"{css}\"]\n"),
    );
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "book.toml", "absolute path");
}

#[test]
fn a_build_dir_over_the_book_or_its_sources_is_refused_even_through_a_link() {
    let book = Fixture::copy("bilingual");
    link(&book.path("content"), &book.path("site-link"));
    for destination in [
        ".",
        "content",
        "content/fr",
        "content/fr/site",
        "..",
        "site-link",
    ] {
        let run = book.folio(&["build", ".", "--dest-dir", destination]);
        assert_eq!(run.code(), Some(1), "{destination}: {}", run.stderr);
        assert!(
            run.stderr.contains("would overwrite the book's sources"),
            "{}",
            run.stderr
        );
        let run = book.folio(&["clean", ".", "--dest-dir", destination]);
        assert_eq!(run.code(), Some(1), "clean {destination}: {}", run.stderr);
    }
    assert!(book.path("content/fr/SUMMARY.md").is_file());
    assert!(book.path("book.toml").is_file());
    // Even a folio marker planted in the book's directory does not make it cleanable.
    book.write(".folio-build", "This directory was written by folio\n");
    let run = book.folio(&["clean", ".", "--dest-dir", "."]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(book.path("content/fr/SUMMARY.md").is_file());
}

#[test]
fn a_file_added_to_the_site_by_hand_is_never_deleted() {
    let book = Fixture::copy("bilingual");
    book.build();
    book.write("book/CNAME", "livre.example.org");
    for command in [&["build"][..], &["clean"][..]] {
        let run = book.folio(command);
        assert_eq!(run.code(), Some(1), "{command:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("book/CNAME") || run.stderr.contains("CNAME"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("did not write"), "{}", run.stderr);
        assert_eq!(book.read("book/CNAME"), "livre.example.org");
        assert!(
            book.path("book/fr/index.html").is_file(),
            "the old site is kept"
        );
    }
    std::fs::remove_file(book.path("book/CNAME")).unwrap();
    book.build();
    let run = book.folio(&["clean"]);
    assert!(run.success(), "{}", run.stderr);
    assert!(!book.path("book").exists());
}

#[test]
fn a_snippet_source_declared_outside_the_book_is_readable_but_cannot_be_left() {
    let outside = Outside::new();
    let infra = tempfile::tempdir().unwrap();
    std::fs::write(infra.path().join("main.tf"), "resource \"x\" \"y\" {}\n").unwrap();
    link(&outside.path("secret"), &infra.path().join("leak.tf"));
    let book = Fixture::copy("bilingual");
    book.edit("book.toml", |config| {
        format!(
            "{config}\n[snippets.sources.infra]\npath = \"{}\"\n",
            infra.path().display()
        )
    });
    append(&book, "content/fr/seul.md", "{{#snippet infra:main.tf}}");
    // Outside the book's repository: readable once the person running folio allows it.
    let allowed = infra.path().to_str().unwrap();
    let run = book.folio(&["build", "--allow-source", allowed]);
    assert!(run.success(), "{}", run.stderr);
    assert!(book.read("book/fr/seul.html").contains("resource"));
    for selector in ["infra:leak.tf", "infra:../secret", "infra:/etc/hostname"] {
        let page = book.read("content/fr/seul.md");
        book.write(
            "content/fr/seul.md",
            format!("{page}\n{{{{#snippet {selector}}}}}\n"),
        );
        let run = bounded(&book, &["build", "--allow-source", allowed]);
        assert_eq!(run.code(), Some(1), "{selector}: {}", run.stderr);
        assert!(run.stderr.contains("content/fr/seul.md:"), "{}", run.stderr);
        book.write("content/fr/seul.md", page);
    }
}

#[test]
fn includes_that_multiply_at_every_level_stop_at_the_size_bound() {
    let book = Fixture::copy("bilingual");
    // Eight levels of ten includes each over a 1 KB leaf: 100 GB if nothing stopped it.
    book.write("content/fr/inc/level8.md", "x".repeat(1024) + "\n");
    for level in (0..8).rev() {
        let line = format!("{{{{#include level{}.md}}}}\n", level + 1);
        book.write(&format!("content/fr/inc/level{level}.md"), line.repeat(10));
    }
    append(&book, "content/fr/seul.md", "{{#include inc/level0.md}}");
    let run = bounded(&book, &["build"]);
    assert_refused(&book, &run, "content/fr/seul.md:5", "MiB of text");
}

#[test]
fn includes_nested_too_deep_are_refused() {
    let book = Fixture::copy("bilingual");
    for level in 0..12 {
        book.write(
            &format!("content/fr/deep/d{level}.md"),
            format!("niveau {level}\n{{{{#include d{}.md}}}}\n", level + 1),
        );
    }
    book.write("content/fr/deep/d12.md", "fond\n");
    append(&book, "content/fr/seul.md", "{{#include deep/d0.md}}");
    let run = bounded(&book, &["build"]);
    assert_refused(
        &book,
        &run,
        "content/fr/seul.md:5",
        "nest deeper than 10 levels",
    );
}
