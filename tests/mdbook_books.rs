//! Real-shaped mdBook books build unchanged: a programming book whose listings live in
//! a `listings/` tree (`rustdoc_include` with ranges and anchors, hidden lines, a range
//! past the end of a file, titles with code spans, redirects, edit links), a guide kept
//! in a sub-folder of its git repository, and mdBook preprocessors speaking the protocol.

mod common;

use common::{Fixture, directives_outside_code, git, visible_code_blocks};
use std::path::Path;

/// Every HTML file of a built site, by path.
fn pages(site: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "html"))
        .map(|entry| {
            (
                entry
                    .path()
                    .strip_prefix(site)
                    .unwrap()
                    .display()
                    .to_string(),
                std::fs::read_to_string(entry.path()).unwrap(),
            )
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn a_programming_book_shows_each_listing_as_mdbook_does() {
    let book = Fixture::copy("mdbook-programming");
    let run = book.build();
    // The range past the end of Cargo.toml: the lines that exist, and a warning there.
    assert!(
        run.stderr.contains("warning[include-range]: src/ch02-00-guessing-game.md:8: lines 6-12 reach past the end of the file, which has 7 lines; lines 6-7 are included"),
        "{}",
        run.stderr
    );
    let listings = |page: &str| visible_code_blocks(&book.read(&format!("book/{page}")));
    // What mdBook 0.5.4 shows before the reader presses the eye button.
    assert_eq!(
        listings("ch01-01-hello-world.html"),
        [
            "fn main() {\n    println!(\"Hello, world!\");\n}\n",
            "let greeting = \"Hello, world!\";\n# this line starts with one hash\n",
            "print(sys.version)\n",
        ]
    );
    assert_eq!(
        listings("ch02-00-guessing-game.html"),
        [
            "[dependencies]\nrand = \"0.8.5\"\n",
            "    println!(\"Guess the number!\");\n\n    println!(\"Please input your guess.\");\n",
            "    let mut guess = String::new();\n\n    io::stdin()\n",
            "    println!(\"Please input your guess.\");\n    // ANCHOR_END: print\n    let mut guess = String::new();\n",
        ]
    );
    assert_eq!(
        listings("ch06-03-if-let.html"),
        [
            "let config_max = Some(3u8);\nif let Some(max) = config_max {\n    println!(\"The maximum is configured to be {max}\");\n}\n"
        ]
    );
    let playground = listings("ch06-02-match.html");
    assert_eq!(playground.len(), 1);
    assert!(
        playground[0].starts_with("enum Coin {\n    Penny,")
            && playground[0].ends_with("value_in_cents(Coin::Nickel));\n}\n")
    );
    assert_eq!(
        listings("appendix-01-directives.html"),
        ["{{#include file.rs:2:10}}\n"]
    );
    let appendix = book.read("book/appendix-01-directives.html");
    assert!(
        appendix.contains("<code>{{#include file.rs}}</code>"),
        "{appendix}"
    );

    // Hidden lines are in the page, behind the button, and out of print.
    let guessing = book.read("book/ch02-00-guessing-game.html");
    assert!(guessing.contains("data-hidden-lines=\""), "no hidden lines");
    assert!(
        guessing.contains("<span class=\"boring\">"),
        "no hidden lines"
    );
    let print = book.read("book/print.html");
    assert!(!print.contains("class=\"boring\""), "hidden lines in print");
    assert!(
        !print.contains("data-hidden-lines"),
        "a show button in print"
    );
    assert!(print.contains("Please input your guess."));
    assert!(
        !print.contains("Failed to read line"),
        "a hidden line printed"
    );
    let epub = std::fs::File::open(book.path("book/the-rusty-field-guide.epub")).unwrap();
    let mut archive = zip::ZipArchive::new(epub).unwrap();
    let mut chapter = String::new();
    std::io::Read::read_to_string(
        &mut archive
            .by_name("OEBPS/ch02-00-guessing-game.xhtml")
            .unwrap(),
        &mut chapter,
    )
    .unwrap();
    assert!(chapter.contains("Please input your guess."), "{chapter}");
    assert!(
        !chapter.contains("boring") && !chapter.contains("Failed to read line"),
        "hidden lines in the EPUB"
    );

    // Titles with code spans: HTML in navigation, text in <title>.
    let enums = book.read("book/ch06-00-enums.html");
    assert!(
        enums.contains("The <code>match</code> Control Flow Construct"),
        "{enums}"
    );
    assert!(!enums.contains("`match`"), "raw backticks in navigation");
    let matching = book.read("book/ch06-02-match.html");
    assert!(
        matching.contains(
            "<title>3.1 The match Control Flow Construct · The Rusty Field Guide</title>"
        )
    );
    assert!(
        book.read("book/index.html")
            .contains("Concise Control Flow with <em><code>if let</code></em>")
    );

    // [output.html]: redirects, CNAME, edit links, fold, the 404 text, the repository.
    let moved = book.read("book/ch06-02-match-control-flow.html");
    assert!(moved.contains("<meta http-equiv=\"refresh\" content=\"0; url=ch06-02-match.html\">"));
    assert!(
        book.read("book/old/guessing.html")
            .contains("url=../ch02-00-guessing-game.html")
    );
    assert_eq!(book.read("book/CNAME"), "field-guide.example.org\n");
    assert!(matching.contains("<a href=\"https://github.com/example/field-guide/edit/main/src/ch06-02-match.md\" rel=\"edit\">Edit this page</a>"));
    assert!(
        matching.contains("class=\"chapter depth-1 status-written current\""),
        "the current branch stays open"
    );
    assert!(
        matching.contains("class=\"chapter depth-1 status-written folded\""),
        "other branches fold"
    );
    assert!(
        book.read("book/404.html")
            .contains("<h1>Lost in the field</h1>")
    );
    assert!(matching.contains("<span class=\"repository-name\">GitHub</span>"));
    // mdBook's limit-results and teaser-word-count reach the search box.
    assert!(matching.contains("data-limit=\"20\" data-excerpt-words=\"25\""));

    for (path, html) in pages(&book.path("book")) {
        assert_eq!(
            directives_outside_code(&html),
            Vec::<String>::new(),
            "{path}"
        );
    }
}

#[test]
fn unknown_and_misplaced_directives_never_reach_the_page() {
    let book = Fixture::copy("mdbook-programming");
    book.write(
        "src/appendix-00.md",
        "# Appendix\n\n{{#tabs global=\"lang\"}}\n\nSee {{#timelin}} and {{#changelog}} here, \\{{#kept as text}}.\n",
    );
    let run = book.build();
    assert!(run.stderr.contains("warning[unknown-directive]: src/appendix-00.md:3: `{{#tabs global=\"lang\"}}` is not a directive folio or mdBook knows"), "{}", run.stderr);
    assert!(run.stderr.contains("warning[misplaced-directive]: src/appendix-00.md:5: `{{#changelog}}` shares its paragraph"), "{}", run.stderr);
    let html = book.read("book/appendix-00.html");
    let leaked: Vec<String> = directives_outside_code(&html)
        .into_iter()
        .filter(|found| !found.starts_with("{{#kept"))
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
    assert!(
        html.contains("{{#kept as text}}"),
        "the escaped directive is the writer's text"
    );
    assert!(
        !html.contains("{{#tabs") && !html.contains("{{#timelin"),
        "{html}"
    );
}

#[test]
fn a_guide_in_a_sub_folder_includes_files_from_its_repository() {
    let repository = Fixture::empty();
    repository.write(
        "Cargo.toml",
        "[package]\nname = \"tool\"\nversion = \"1.0.0\"\n",
    );
    repository.write("examples/configure.rs", "use tool::Config;\n\nfn main() {\n    // ANCHOR: build\n    let config = Config::default();\n    // ANCHOR_END: build\n    println!(\"{config:?}\");\n}\n");
    repository.write(
        "guide/book.toml",
        "[book]\ntitle = \"Tool guide\"\nlanguage = \"en\"\n",
    );
    repository.write(
        "guide/src/SUMMARY.md",
        "# Summary\n\n- [Configuring](configuring.md)\n",
    );
    repository.write(
        "guide/src/configuring.md",
        "# Configuring\n\n```rust\n{{#include ../../examples/configure.rs:build}}\n```\n\n```toml\n{{#include ../../Cargo.toml}}\n```\n",
    );
    let guide = repository.path("guide");
    let build = |directory: &Path| {
        common::Run::from_command(
            std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
                .arg("build")
                .current_dir(directory),
        )
    };
    // Without a repository, the book's directory is the limit.
    let outside = build(&guide);
    assert_eq!(outside.code(), Some(1), "{}", outside.stderr);
    assert!(
        outside.stderr.contains("leaves the book's directory"),
        "{}",
        outside.stderr
    );

    git(repository.root(), &["init", "-q"]);
    let inside = build(&guide);
    assert!(inside.success(), "{}", inside.stderr);
    let page = std::fs::read_to_string(guide.join("book/configuring.html")).unwrap();
    assert_eq!(
        visible_code_blocks(&page),
        [
            "    let config = Config::default();\n",
            "[package]\nname = \"tool\"\nversion = \"1.0.0\"\n"
        ]
    );
    // Each of these is refused with its reason, the build stopping.
    let refused = |config: &str, page: &str, reason: &str| {
        std::fs::write(
            guide.join("book.toml"),
            format!("[book]\ntitle = \"Tool guide\"\n{config}"),
        )
        .unwrap();
        std::fs::write(
            guide.join("src/configuring.md"),
            format!("# Configuring\n\n```\n{page}\n```\n"),
        )
        .unwrap();
        let run = build(&guide);
        assert_eq!(run.code(), Some(1), "{}", run.stderr);
        assert!(run.stderr.contains(reason), "{reason}: {}", run.stderr);
    };
    // `[build] include-root` narrows it again,
    refused(
        "[build]\ninclude-root = \".\"\n",
        "{{#include ../../Cargo.toml}}",
        "leaves the book's directory",
    );
    // `..` past the repository stays refused,
    refused(
        "",
        "{{#include ../../../outside.txt}}",
        "leaves the book's repository",
    );
    // and book.toml alone cannot widen it past the repository.
    refused(
        "[build]\ninclude-root = \"../..\"\n",
        "{{#include ../../Cargo.toml}}",
        "book.toml alone cannot grant that",
    );
}

/// A preprocessor written the way mdBook's guide shows, in Python: `supports` answers
/// yes, then the book comes back with every `:::note TEXT` line made a quote. It reads
/// mdBook 0.5's `items`, or 0.4's `sections` when `SECTIONS=1`.
const PYTHON_PREPROCESSOR: &str = r#"import json, os, sys
if len(sys.argv) > 1 and sys.argv[1] == "supports":
    sys.exit(0 if sys.argv[2] == "html" else 1)
context, book = json.load(sys.stdin)
assert context["renderer"] == "html" and context["mdbook_version"].startswith("0.5"), context
key = "sections" if os.environ.get("SECTIONS") == "1" else "items"
def visit(items):
    for item in items:
        if isinstance(item, dict) and "Chapter" in item:
            chapter = item["Chapter"]
            chapter["content"] = "\n".join(
                "> **Note (" + chapter["name"] + "):** " + line[len(":::note "):] if line.startswith(":::note ") else line
                for line in chapter["content"].split("\n"))
            visit(chapter["sub_items"])
if os.environ.get("FAIL") == "1":
    print("the note syntax is broken", file=sys.stderr)
    sys.exit(3)
visit(book[key])
if key == "sections":
    book = {"sections": book["sections"], "__non_exhaustive": None}
print(json.dumps(book))
"#;

fn run_with(book: &Fixture, args: &[&str], environment: &[(&str, &str)]) -> common::Run {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_folio"));
    command.args(args).current_dir(book.root());
    for (name, value) in environment {
        command.env(name, value);
    }
    common::Run::from_command(&mut command)
}

#[test]
fn a_python_preprocessor_speaking_mdbooks_protocol_changes_the_pages() {
    let book = Fixture::copy("mdbook-programming");
    book.write("tools/notes.py", PYTHON_PREPROCESSOR);
    book.write(
        "book.toml",
        book.read("book.toml")
            + "\n[preprocessor.notes]\ncommand = \"python3 tools/notes.py\"\nafter = [\"links\"]\n",
    );
    book.write(
        "src/ch06-00-enums.md",
        "# Enums and Pattern Matching\n\n:::note Enums are sum types.\n",
    );
    for sections in ["0", "1"] {
        let run = run_with(
            &book,
            &["build", "--allow-preprocessors"],
            &[("SECTIONS", sections)],
        );
        assert!(run.success(), "{}", run.stderr);
        let page = book.read("book/ch06-00-enums.html");
        assert!(
            page.contains("<blockquote>\n<p><strong>Note (Enums and Pattern Matching):</strong> Enums are sum types.</p>\n</blockquote>"),
            "{page}"
        );
    }
    // check runs them under the same permission.
    let refused = book.folio(&["check"]);
    assert_eq!(refused.code(), Some(1), "{}", refused.stdout);
    assert!(
        refused
            .stdout
            .contains("book.toml asks to run commands: `notes`"),
        "{}",
        refused.stdout
    );
    let allowed = book.folio(&["check", "--allow-preprocessors"]);
    assert!(allowed.success(), "{}", allowed.stdout);
    // Nested chapters reach it too, and folio's own directives were expanded around it.
    assert!(
        book.read("book/ch01-01-hello-world.html")
            .contains("Hello, world!")
    );
    let failing = run_with(
        &book,
        &["build"],
        &[("FOLIO_ALLOW_PREPROCESSORS", "1"), ("FAIL", "1")],
    );
    assert_eq!(failing.code(), Some(1), "{}", failing.stderr);
    assert!(
        failing.stderr.contains("preprocessor `notes` (`python3 tools/notes.py`) failed (exit status: 3): the note syntax is broken"),
        "{}",
        failing.stderr
    );
    assert!(
        book.read("book/ch06-00-enums.html").contains("Note (Enums"),
        "the previous site stays"
    );
}

/// mdbook-toc 0.15 (crates.io), built on mdBook 0.5's preprocessor crate: `.ci/run`
/// installs it with `cargo install`.
#[test]
fn mdbook_toc_from_the_registry_runs_as_it_does_under_mdbook() {
    let installed = std::process::Command::new("mdbook-toc")
        .arg("--version")
        .output();
    assert!(
        installed.is_ok_and(|output| output.status.success()),
        "install it: cargo install mdbook-toc --version 0.15.4 --locked"
    );
    let book = Fixture::copy("mdbook-programming");
    book.write(
        "book.toml",
        book.read("book.toml")
            + "\n[preprocessor.toc]\ncommand = \"mdbook-toc\"\nrenderers = [\"html\"]\n",
    );
    book.write(
        "src/ch01-00-getting-started.md",
        "# Getting Started\n\n<!-- toc -->\n\n## Installation\n\nInstall it.\n\n## Hello, Cargo\n\nBuild it.\n",
    );
    let run = book.folio(&["build", "--allow-preprocessors"]);
    assert!(run.success(), "{}", run.stderr);
    let page = book.read("book/ch01-00-getting-started.html");
    assert!(
        page.contains("<a href=\"#installation\">Installation</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"#hello-cargo\">Hello, Cargo</a>"),
        "{page}"
    );
}

/// No built page of any fixture book, nor of the default book, shows a `{{#...}}`
/// directive as text outside code.
#[test]
fn no_fixture_book_shows_a_directive_as_text() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("book.toml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    let mut checked = 0;
    for name in &names {
        let book = Fixture::copy(name);
        let run = book.folio(&["build", "-d", "site"]);
        assert!(run.success(), "{name}: {}", run.stderr);
        for (path, html) in pages(&book.path("site")) {
            assert_eq!(
                directives_outside_code(&html),
                Vec::<String>::new(),
                "{name}/{path}"
            );
            checked += 1;
        }
    }
    let (_book, site, _) = common::build_default_book(&[]);
    for (path, html) in pages(&site) {
        assert_eq!(
            directives_outside_code(&html),
            Vec::<String>::new(),
            "default book: {path}"
        );
        checked += 1;
    }
    assert!(checked > 100, "{checked} pages");
}
