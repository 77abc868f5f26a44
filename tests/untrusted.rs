//! A book from a stranger's pull request: inputs built to crash, hang or exhaust folio
//! get an error naming the file and line, a non-zero exit and no site; never a panic,
//! an abort or an endless run (every run here is killed after 30 s).

mod common;

use common::{Fixture, Run, assert_error, bounded, bounded_for};
use std::path::Path;
use std::process::Command;

/// The bilingual fixture with a snippet source `infra` inside the book.
fn book_with_infra() -> Fixture {
    let book = Fixture::copy("bilingual");
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[snippets.sources.infra]\npath = \"infra\"\n",
    );
    book
}

/// Appends `text` to the French appendix, after a blank line: at line 5.
fn append_to_appendix(book: &Fixture, text: &str) {
    let before = book.read("content/fr/annexe.md");
    assert_eq!(
        before.lines().count(),
        3,
        "the fixture's appendix has 3 lines"
    );
    book.write("content/fr/annexe.md", format!("{before}\n{text}\n"));
}

/// Makes a named pipe at `path`: opening it for reading blocks until a writer comes.
fn fifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(path);
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

/// No panic or abort: a normal failure, with its message.
fn assert_no_crash(run: &Run) {
    assert!(
        run.code().is_some(),
        "folio was killed by a signal (an abort or a stack overflow):\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked"),
        "folio panicked:\n{}",
        run.stderr
    );
}

#[test]
fn an_include_range_that_ends_before_it_starts_is_an_error_in_every_command() {
    let book = Fixture::copy("bilingual");
    book.write("content/fr/f.rs", "fn a() {}\nfn b() {}\nfn c() {}\n");
    append_to_appendix(&book, "```rust\n{{#include f.rs:3:1}}\n```");
    for command in ["build", "check"] {
        let run = bounded(&book, &[command]);
        assert_no_crash(&run);
        let output = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code(), Some(1), "{command}: {output}");
        assert!(output.contains("annexe.md:6"), "{command}: {output}");
        assert!(
            output.contains("ends before it starts"),
            "{command}: {output}"
        );
    }
    let run = bounded(&book, &["snippets"]);
    assert_no_crash(&run);
    assert!(run.stdout.contains("broken"), "{}", run.stdout);
    assert!(!book.path("book").exists(), "no site was written");
}

#[test]
fn yaml_nested_too_deep_is_refused_instead_of_overflowing_the_stack() {
    let book = book_with_infra();
    let flow = format!("a: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    let dashes = format!("a:\n{}x\n", "- ".repeat(20_000));
    book.write("infra/flow.yaml", flow);
    book.write("infra/dashes.yaml", dashes);
    book.write("infra/block.yaml", nested_mappings(20_000));
    for file in ["flow.yaml", "dashes.yaml", "block.yaml"] {
        book.write(
            "content/fr/annexe.md",
            format!("# Annexe\n\n{{{{#snippet infra:{file} yaml=a}}}}\n"),
        );
        let run = bounded(&book, &["build"]);
        assert_no_crash(&run);
        assert_error(&run, "annexe.md:3", &["nests 20001 levels deep"]);
    }
}

#[test]
fn yaml_nested_just_under_the_bound_is_read() {
    let book = book_with_infra();
    book.write("infra/block.yaml", nested_mappings(399));
    book.write("infra/dashes.yaml", format!("a:\n{}x\n", "- ".repeat(397)));
    for file in ["block.yaml", "dashes.yaml"] {
        book.write(
            "content/fr/annexe.md",
            format!("# Annexe\n\n{{{{#snippet infra:{file} yaml=a}}}}\n"),
        );
        let run = bounded(&book, &["build"]);
        assert_no_crash(&run);
        assert!(run.success(), "{file}: {}", run.stderr);
    }
}

/// `a:` nested `depth` levels deep in block style, one space more each level (the
/// deepest line is indented `depth` spaces: the file grows as depth squared, so the
/// nesting is written on one line for the deepest levels).
fn nested_mappings(depth: usize) -> String {
    let block = depth.min(2_000);
    let mut text = String::new();
    for level in 0..block {
        text.push_str(&" ".repeat(level));
        text.push_str("a:\n");
    }
    text.push_str(&" ".repeat(block));
    text.push_str(&"- ".repeat(depth - block));
    text.push_str("x\n");
    text
}

#[test]
fn twenty_thousand_identical_headings_take_linear_time() {
    let book = Fixture::copy("bilingual");
    book.write(
        "content/fr/annexe.md",
        format!("# Annexe\n\n{}", "## Same\n\n".repeat(20_000)),
    );
    // Probing suffixes from 1 for every heading took 55 s here (debug build).
    let run = bounded_for(&book, &["build"], 15);
    assert!(run.success(), "{}", run.stderr);
    let page = book.read("book/fr/annexe.html");
    assert!(page.contains("id=\"same-19999\""));
}

#[test]
fn forty_thousand_footnotes_take_linear_time() {
    let book = Fixture::copy("bilingual");
    let calls: Vec<String> = (0..40_000).map(|n| format!("x[^n{n}]")).collect();
    let notes: Vec<String> = (0..40_000).map(|n| format!("[^n{n}]: note {n}")).collect();
    book.write(
        "content/fr/annexe.md",
        format!("# Annexe\n\n{}\n\n{}\n", calls.join(" "), notes.join("\n")),
    );
    // Looking each call up in a list took 24 s here (debug build, idle machine).
    let run = bounded_for(&book, &["build"], 20);
    assert!(run.success(), "{}", run.stderr);
    assert!(book.read("book/fr/annexe.html").contains("id=\"fn-40000\""));
}

#[test]
fn quotes_nested_two_hundred_thousand_deep_are_refused_at_their_line() {
    let book = Fixture::copy("bilingual");
    append_to_appendix(&book, &format!("{}x", "> ".repeat(200_000)));
    let run = bounded_for(&book, &["build"], 15);
    assert_no_crash(&run);
    assert_error(&run, "annexe.md:5", &["nest more than 100 levels"]);
    // A hundred levels, as deep as a page may go, still build.
    book.write(
        "content/fr/annexe.md",
        format!("# Annexe\n\n{}x\n", "> ".repeat(100)),
    );
    let run = bounded_for(&book, &["build"], 15);
    assert!(run.success(), "{}", run.stderr);
}

#[test]
fn toml_and_hcl_nested_too_deep_are_errors_not_crashes() {
    let book = book_with_infra();
    book.write(
        "infra/main.tf",
        format!("x = {}{}\n", "[".repeat(20_000), "]".repeat(20_000)),
    );
    book.write(
        "content/fr/annexe.md",
        "# Annexe\n\n{{#snippet infra:main.tf block=resource.a.b}}\n",
    );
    let run = bounded(&book, &["build"]);
    assert_no_crash(&run);
    assert_error(&run, "annexe.md:3", &["not valid HCL"]);
    book.write(
        "content/fr/annexe.md",
        format!(
            "+++\ntitle = {}{}\n+++\n# Annexe\n",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    );
    let run = bounded(&book, &["build"]);
    assert_no_crash(&run);
    assert_error(&run, "annexe.md:2", &["recursion"]);
}

#[test]
fn named_pipes_anywhere_in_the_book_are_errors_not_endless_reads() {
    // (where the pipe is, what book.toml adds, the location the error names)
    let cases = [
        (
            "content/fr/images/pipe.png",
            "",
            "content/fr/images/pipe.png",
        ),
        ("content/fr/SUMMARY.md", "", "content/fr/SUMMARY.md"),
        ("theme/page.html", "", "theme/page.html"),
        (
            "content/data/timeline.toml",
            "",
            "content/data/timeline.toml",
        ),
        (
            "extra.css",
            "\n[output.html]\nadditional-css = [\"extra.css\"]\n",
            "extra.css",
        ),
    ];
    for (pipe, config, location) in cases {
        let book = Fixture::copy("bilingual");
        book.edit("book.toml", |text| text + config);
        fifo(&book.path(pipe));
        for command in ["build", "check"] {
            let run = bounded(&book, &[command]);
            assert_no_crash(&run);
            let output = format!("{}{}", run.stdout, run.stderr);
            assert_eq!(run.code(), Some(1), "{pipe}, {command}: {output}");
            assert!(output.contains(location), "{pipe}, {command}: {output}");
            assert!(
                output.contains("not a regular file"),
                "{pipe}, {command}: {output}"
            );
        }
        assert!(!book.path("book").exists(), "{pipe}: no site was written");
    }
}

#[test]
fn a_device_in_the_book_is_an_error_not_an_endless_read() {
    let book = Fixture::copy("bilingual");
    let device = book.path("content/fr/images/zero.png");
    std::fs::create_dir_all(device.parent().unwrap()).unwrap();
    // /dev/zero's numbers: reading it never ends. Making a device node needs root, as CI
    // runs; elsewhere a link to it stands in (refused as leading out of the book).
    let made = Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "5"])
        .status()
        .is_ok_and(|status| status.success());
    if !made {
        std::os::unix::fs::symlink("/dev/zero", &device).unwrap();
    }
    let run = bounded(&book, &["build"]);
    assert_no_crash(&run);
    let expected = if made {
        "not a regular file"
    } else {
        "outside"
    };
    assert_error(&run, "content/fr/images/zero.png", &[expected]);
}

#[test]
fn book_toml_cannot_reach_outside_the_repository_by_itself() {
    let user = tempfile::tempdir().unwrap();
    std::fs::write(user.path().join("environ"), "SECRET=1\n").unwrap();
    let outside = user.path().to_str().unwrap();
    // A snippet source at `/` (or any directory outside the book's repository).
    for source in [
        "path = \"/\"".to_string(),
        format!("path = \"{outside}\""),
        format!("git = \"{outside}\"\nrev = \"main\""),
    ] {
        let book = Fixture::copy("bilingual");
        book.write(
            "book.toml",
            book.read("book.toml") + &format!("\n[snippets.sources.x]\n{source}\n"),
        );
        let source = source.as_str();
        let file = if source.contains("\"/\"") {
            format!("{}/environ", &outside[1..])
        } else {
            "environ".to_string()
        };
        book.write(
            "content/fr/annexe.md",
            format!("# Annexe\n\n```text\n{{{{#snippet x:{file}}}}}\n```\n"),
        );
        for command in [&["build"][..], &["check"], &["snippets"]] {
            let run = bounded(&book, command);
            let output = format!("{}{}", run.stdout, run.stderr);
            assert_eq!(run.code(), Some(1), "{command:?}: {output}");
            assert!(output.contains("book.toml:13"), "{command:?}: {output}");
            assert!(output.contains("outside the book's repository"), "{output}");
            assert!(output.contains("--allow-source"), "{output}");
            assert!(!output.contains("SECRET"), "{output}");
        }
        assert!(!book.path("book").exists());
    }
    // Granted by the person running folio, on the command line or in the environment.
    let book = Fixture::copy("bilingual");
    book.write(
        "book.toml",
        book.read("book.toml") + &format!("\n[snippets.sources.x]\npath = \"{outside}\"\n"),
    );
    book.write(
        "content/fr/annexe.md",
        "# Annexe\n\n```text\n{{#snippet x:environ}}\n```\n",
    );
    let run = bounded(&book, &["build", "--allow-source", outside]);
    assert!(run.success(), "{}", run.stderr);
    assert!(book.read("book/fr/annexe.html").contains("SECRET=1"));
    let run = common::Run::from_command(
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["check"])
            .env("FOLIO_ALLOW", format!("/nowhere:{outside}"))
            .current_dir(book.root()),
    );
    assert!(run.success(), "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_build_dir_outside_the_repository_is_refused_unless_given_on_the_command_line() {
    let home = tempfile::tempdir().unwrap();
    let ssh = home.path().join(".ssh");
    std::fs::create_dir(&ssh).unwrap();
    let autostart = home.path().join(".config/autostart");
    for target in [&ssh, &autostart] {
        let book = Fixture::copy("bilingual");
        book.write(
            "book.toml",
            book.read("book.toml") + &format!("\n[build]\nbuild-dir = \"{}\"\n", target.display()),
        );
        for command in ["build", "clean"] {
            let run = bounded(&book, &[command]);
            assert_error(
                &run,
                "book.toml:14",
                &["outside the book's repository", "-d "],
            );
        }
        assert!(!autostart.exists(), "nothing was created");
        assert_eq!(
            std::fs::read_dir(&ssh).unwrap().count(),
            0,
            "nothing written"
        );
        // The person running folio may choose it.
        let chosen = home.path().join("site");
        let run = bounded(&book, &["build", "-d", chosen.to_str().unwrap()]);
        assert!(run.success(), "{}", run.stderr);
        assert!(chosen.join("fr/index.html").is_file());
        std::fs::remove_dir_all(&chosen).unwrap();
    }
}

/// Entries added to SUMMARY.md, files added (path, text), where the error is, what it says.
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
);

#[test]
fn entries_and_files_that_would_write_the_same_page_are_errors() {
    // (what SUMMARY.md gains, files added, the message)
    // (entries added after line 11 of SUMMARY.md, files added, where, the message)
    let cases: [Case; 3] = [
        (
            "- [Encore](./reseau.md)",
            &[],
            ":12",
            "listed twice (first at line 7)",
        ),
        (
            "- [Casse](Reseau.md)",
            &[("content/fr/Reseau.md", "# R\n")],
            ":12",
            "would both be the page",
        ),
        (
            "- [Lisez-moi](reseau/README.md)\n- [Index](reseau/index.md)",
            &[
                ("content/fr/reseau/README.md", "# A\n"),
                ("content/fr/reseau/index.md", "# B\n"),
            ],
            ":13",
            "would both be the page `reseau/index.html`",
        ),
    ];
    for (entries, files, line, message) in cases {
        let book = Fixture::copy("bilingual");
        let summary = book.read("content/fr/SUMMARY.md");
        let last = "- [Seulement en français](seul.md)\n";
        assert!(summary.contains(last));
        book.write(
            "content/fr/SUMMARY.md",
            summary.replace(last, &format!("{last}{entries}\n")),
        );
        for (path, text) in files {
            book.write(path, text);
        }
        let run = bounded(&book, &["build"]);
        assert_error(&run, &format!("content/fr/SUMMARY.md{line}"), &[message]);
    }
    // A content file with a page's name.
    let book = Fixture::copy("bilingual");
    book.write("content/fr/code.html", "<p>mine</p>");
    let run = bounded(&book, &["build"]);
    assert_error(
        &run,
        "content",
        &["two files of the site would be written to `fr/code.html`"],
    );
}

#[test]
fn a_language_code_that_is_not_one_is_refused_at_its_line() {
    for code in ["assets", "pagefind", "x", "fr_FR"] {
        let book = Fixture::copy("bilingual");
        book.write(
            "book.toml",
            book.read("book.toml")
                .replace("[language.en]", &format!("[language.{code}]")),
        );
        let run = bounded(&book, &["build"]);
        assert_error(&run, "book.toml:10", &["is not a language code"]);
    }
}

#[test]
fn a_file_name_with_a_control_character_is_refused() {
    let book = Fixture::copy("bilingual");
    book.write("content/fr/images/a\nb.png", "x");
    let run = bounded(&book, &["build"]);
    assert_error(&run, "content/fr/images/a\nb.png", &["control character"]);
    assert!(!book.path("book").exists());
}

#[test]
fn a_byte_order_mark_and_a_changelog_from_year_one_are_taken_in_stride() {
    let book = Fixture::copy("bilingual");
    book.edit("content/fr/SUMMARY.md", |summary| {
        format!("\u{FEFF}{summary}")
    });
    book.edit("content/fr/annexe.md", |page| format!("\u{FEFF}{page}"));
    book.write(
        "content/data/changelog.toml",
        "[[change]]\ndate = 0001-01-01\nfr = \"Début.\"\nen = \"Start.\"\n",
    );
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[output.pdf]\nenable = true\n",
    );
    let run = bounded(&book, &["build"]);
    assert!(run.success(), "{}", run.stderr);
    assert!(
        book.read("book/fr/annexe.html").contains("<h1"),
        "the BOM is not text"
    );
    assert!(book.path("book/fr/livre-de-test.pdf").is_file());
}

#[test]
fn a_link_loop_and_an_absolute_theme_are_named_for_what_they_are() {
    let book = Fixture::copy("bilingual");
    let images = book.path("content/fr/images");
    std::os::unix::fs::symlink(images.join("b.png"), images.join("a.png")).unwrap();
    std::os::unix::fs::symlink(images.join("a.png"), images.join("b.png")).unwrap();
    append_to_appendix(&book, "![Boucle](images/a.png)");
    let run = bounded(&book, &["build"]);
    assert_error(&run, "content/fr/images/a.png", &["loop of symbolic links"]);
    assert!(!run.stderr.contains("climbs"), "{}", run.stderr);

    let book = Fixture::copy("bilingual");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("page.html"), "{{ secret }}").unwrap();
    book.write(
        "book.toml",
        book.read("book.toml")
            + &format!(
                "\n[output.html]\ntheme = \"{}\"\n",
                elsewhere.path().display()
            ),
    );
    let run = bounded(&book, &["build"]);
    assert_no_crash(&run);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("outside the book"), "{}", run.stderr);
    assert!(!run.stderr.contains("climbs"), "{}", run.stderr);
}

#[test]
fn pages_with_url_characters_in_their_names_are_linked_percent_encoded() {
    let book = Fixture::copy("bilingual");
    let summary = book.read("content/fr/SUMMARY.md");
    let last = "- [Seulement en français](seul.md)\n";
    book.write(
        "content/fr/SUMMARY.md",
        summary.replace(
            last,
            &format!(
                "{last}- [Dièse](a#b.md)\n- [Question](what%3F.md)\n- [Pour cent](pct%2541.md)\n"
            ),
        ),
    );
    // SUMMARY.md links are URLs: `a#b.md` names `a`, so the page uses the encoded form.
    book.write(
        "content/fr/SUMMARY.md",
        book.read("content/fr/SUMMARY.md")
            .replace("(a#b.md)", "(a%23b.md)"),
    );
    for (file, title) in [
        ("a#b.md", "Dièse"),
        ("what?.md", "Question"),
        ("pct%41.md", "Pour cent"),
    ] {
        book.write(
            &format!("content/fr/{file}"),
            format!("# {title}\n\nTexte.\n"),
        );
    }
    book.write(
        "content/fr/annexe.md",
        "# Annexe\n\n[dièse](a%23b.md) [question](what%3F.md) [pour cent](pct%2541.md)\n",
    );
    let run = bounded(&book, &["build"]);
    assert!(run.success(), "{}", run.stderr);
    assert!(!run.stderr.contains("broken-link"), "{}", run.stderr);
    for written in ["a#b.html", "what?.html", "pct%41.html"] {
        assert!(book.path("book/fr").join(written).is_file(), "{written}");
    }
    let appendix = book.read("book/fr/annexe.html");
    for href in ["a%23b.html", "what%3F.html", "pct%2541.html"] {
        assert!(
            appendix.contains(&format!("href=\"{href}\"")),
            "{href} in the text"
        );
    }
    let contents = book.read("book/fr/index.html");
    assert!(contents.contains("a%23b.html\""), "the table of contents");
    assert!(!contents.contains("a#b.html\""));
}
