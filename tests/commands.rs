//! `folio init`, `folio clean`, theme overrides and the command line's exit codes.

mod common;

use common::Fixture;

#[test]
fn init_creates_a_bilingual_book_that_builds_as_is() {
    let workspace = Fixture::empty();
    let run = workspace.folio(&["init", "my-book"]);
    assert!(run.success(), "{}", run.stderr);
    let run = workspace.folio(&["build", "my-book"]);
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stderr.is_empty(),
        "a new book builds without warnings:\n{}",
        run.stderr
    );
    let french = workspace.read("my-book/book/fr/chapters/introduction.html");
    assert!(french.contains(r#"<span class="section-number">1.1</span> Une première section"#));
    let english = workspace.read("my-book/book/en/chapters/introduction.html");
    assert!(english.contains("This chapter has not been translated yet"));
    // Never over an existing book.
    let again = workspace.folio(&["init", "my-book"]);
    assert_eq!(again.code(), Some(1));
    assert!(again.stderr.contains("not empty"));
}

#[test]
fn clean_removes_the_output_directory_only() {
    let book = Fixture::copy("bilingual");
    book.build();
    assert!(book.path("book/fr/index.html").is_file());
    let run = book.folio(&["clean"]);
    assert!(run.success(), "{}", run.stderr);
    assert!(!book.path("book").exists());
    assert!(book.path("content/fr/SUMMARY.md").is_file());
    assert!(book.path("book.toml").is_file());
    let run = book.folio(&["clean"]);
    assert!(run.success(), "cleaning twice is fine: {}", run.stderr);
}

#[test]
fn dest_dir_overrides_the_build_dir() {
    let book = Fixture::copy("bilingual");
    let run = book.folio(&["build", ".", "-d", "elsewhere/site"]);
    assert!(run.success(), "{}", run.stderr);
    assert!(book.path("elsewhere/site/fr/index.html").is_file());
    assert!(!book.path("book").exists());
    assert!(
        !std::fs::read_dir(book.path("elsewhere"))
            .unwrap()
            .any(|e| { e.unwrap().file_name().to_string_lossy().contains("staging") }),
        "no staging directory is left behind"
    );
}

#[test]
fn a_book_overrides_one_template_and_keeps_the_others() {
    let book = Fixture::copy("bilingual");
    book.write(
        "theme/landing.html",
        "{% extends \"layout.html\" %}{% block content %}<p class=\"custom\">{{ book_title }}</p>{% endblock content %}",
    );
    book.build();
    let landing = book.read("book/en/index.html");
    assert!(landing.contains(r#"<p class="custom">Test book</p>"#));
    assert!(
        landing.contains(r#"<nav class="sidebar""#),
        "the default layout is still used"
    );
    assert!(
        book.read("book/fr/code.html")
            .contains(r#"<article class="page"#),
        "page.html is the default"
    );
}

#[test]
fn a_broken_template_override_is_an_error_naming_the_file() {
    let book = Fixture::copy("bilingual");
    book.build();
    book.write("theme/page.html", "{% if %}");
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(run.stderr.contains("theme/page.html"), "{}", run.stderr);
    assert!(
        book.path("book/fr/code.html").is_file(),
        "the previous output stays"
    );
}

#[test]
fn usage_errors_exit_2() {
    let book = Fixture::empty();
    assert_eq!(book.folio(&["build", "--no-such-flag"]).code(), Some(2));
    assert_eq!(book.folio(&["init"]).code(), Some(2));
}

#[test]
fn folio_phases_prints_each_step_with_time_and_memory_only_when_asked() {
    let book = Fixture::copy("bilingual");
    // A first build: every step runs (a second one keeps the search index).
    let run = common::Run::from_command(
        std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("build")
            .env("FOLIO_PHASES", "1")
            .current_dir(book.root()),
    );
    assert!(run.success(), "{}", run.stderr);
    let steps: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("[phase]"))
        .map(|line| line.rsplit("MB  ").next().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "started",
            "loaded",
            "markdown bodies",
            "pages rendered",
            "search: every page added",
            "search: every page added",
            "search index finished",
            "PDFs, marker, swap"
        ],
        "{}",
        run.stderr
    );
    let first = run
        .stderr
        .lines()
        .find(|l| l.starts_with("[phase]"))
        .unwrap();
    assert!(
        first.contains(" s  rss ") && first.contains(" MB  peak "),
        "{first}"
    );
    let quiet = book.folio(&["build"]);
    assert!(quiet.success(), "{}", quiet.stderr);
    assert!(!quiet.stderr.contains("[phase]"), "{}", quiet.stderr);
}

#[test]
fn a_directory_without_a_book_says_so() {
    let empty = Fixture::empty();
    for command in ["build", "check"] {
        let run = empty.folio(&[command]);
        assert!(!run.success(), "{command} succeeded in an empty directory");
        // `build` reports on stderr, `check` on stdout (its report is its output).
        let report = format!("{}{}", run.stdout, run.stderr);
        assert!(
            report.contains("error[no-book]")
                && report.contains("no book here")
                && report.contains("neither book.toml nor src/SUMMARY.md"),
            "{command}: {report}"
        );
        assert!(report.contains("folio init"), "{report}");
    }
    // A directory with pages but no SUMMARY.md still gets the SUMMARY.md error.
    empty.write("src/intro.md", "# Intro\n");
    let run = empty.folio(&["build"]);
    assert!(
        run.stderr.contains("error[missing-summary]"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_build_shows_its_progress_on_a_terminal_and_quiet_turns_it_off() {
    let out = Fixture::empty();
    let folio = env!("CARGO_BIN_EXE_folio");
    let book = common::default_book_root();
    // A terminal, as `script` gives one: the steps are shown as they come.
    let on_terminal = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "'{folio}' build -d '{}' '{}'",
            out.path("site").display(),
            book.display()
        ))
        .arg("/dev/null")
        .output()
        .expect("script (util-linux) gives the build a terminal");
    let shown = String::from_utf8_lossy(&on_terminal.stdout);
    for step in ["loading the book", "laying out and writing the pages"] {
        assert!(shown.contains(step), "{step} in {shown}");
    }
    assert!(shown.contains("Built 64 pages"), "{shown}");
    // Not a terminal (a CI log): no progress line.
    let logged = Fixture::empty();
    let run = logged.folio(&["build", "-d", "site", &book.display().to_string()]);
    assert!(run.success());
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    // --quiet: nothing but problems, on a terminal too.
    let quiet = std::process::Command::new("script")
        .args(["-qec"])
        .arg(format!(
            "'{folio}' build --quiet -d '{}' '{}'",
            out.path("quiet").display(),
            book.display()
        ))
        .arg("/dev/null")
        .output()
        .unwrap();
    let quiet = String::from_utf8_lossy(&quiet.stdout);
    assert!(quiet.trim().is_empty(), "{quiet:?}");
    assert!(out.path("quiet/index.html").is_file());
}
