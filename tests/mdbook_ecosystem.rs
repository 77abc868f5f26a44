//! mdBook books as they are in the wild: includes as lenient as mdBook 0.5.4's, the
//! `MDBOOK_*` environment overrides, and other renderers run through mdBook's renderer
//! protocol. The registry preprocessors are in `mdbook_registry.rs`.

mod common;

use common::{Fixture, Run};
use std::process::Command;

fn folio_with(book: &Fixture, args: &[&str], environment: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
    command.args(args).current_dir(book.root());
    for (name, value) in environment {
        command.env(name, value);
    }
    Run::from_command(&mut command)
}

#[test]
fn open_and_missing_anchors_include_what_mdbook_includes_with_a_warning() {
    let book = Fixture::copy("mdbook-course");
    let run = book.folio(&["build"]);
    assert!(run.success(), "{}", run.stderr);
    // `// ANCHOR: main` with no end: the lines to the end of the file.
    let binary = common::code_blocks(&book.read("book/android/build-rules/binary.html"));
    assert!(
        binary[1].contains("//! Rust demo.")
            && binary[1].ends_with("println!(\"Hello from Rust!\");\n}\n"),
        "{binary:?}"
    );
    assert!(
        binary[2].contains("m hello_rust") && !binary[2].contains("ANCHOR"),
        "{binary:?}"
    );
    // An anchor the file no longer has: nothing.
    assert_eq!(binary[3], "", "{binary:?}");
    // A second `ANCHOR: all` where the end should be: to the end, markers left out.
    let guessing = common::code_blocks(&book.read("book/exercises/guessing.html"));
    assert!(
        guessing[0].contains("println!(\"You guessed: {guess}\");"),
        "{guessing:?}"
    );
    assert!(
        !guessing.iter().any(|block| block.contains("ANCHOR")),
        "{guessing:?}"
    );
    for warning in [
        "warning[include-anchor]: src/android/build-rules/binary.md:23: `ANCHOR: main` has no `ANCHOR_END: main`: the lines to the end of the file are included, as mdBook does",
        "warning[include-anchor]: src/android/build-rules/binary.md:35: the file has no `ANCHOR: setup_device`: nothing is included, as mdBook does",
        "warning[include-anchor]: src/exercises/guessing.md:6: `ANCHOR: all` has no `ANCHOR_END: all`",
    ] {
        assert!(
            run.stderr.contains(warning),
            "{warning}\nin:\n{}",
            run.stderr
        );
    }
    // Strict for those who want it.
    let strict = book.folio(&["check", "--deny-warnings"]);
    assert_eq!(strict.code(), Some(1), "{}", strict.stdout);
    assert!(
        strict.stdout.contains("include-anchor"),
        "{}",
        strict.stdout
    );
}

#[test]
fn a_snippet_keeps_its_own_strictness_about_anchors() {
    let book = Fixture::copy("mdbook-course");
    book.edit("book.toml", |text| {
        text + "\n[snippets.sources.course]\npath = \"src\"\n"
    });
    book.write(
        "src/thanks.md",
        "# Thanks\n\n{{#snippet course:android/build-rules/binary/src/main.rs anchor=main}}\n",
    );
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("src/thanks.md:3"), "{}", run.stderr);
    assert!(
        run.stderr.contains("has no `ANCHOR_END: main`"),
        "{}",
        run.stderr
    );
}

#[test]
fn mdbook_environment_overrides_set_book_toml_keys_and_say_so() {
    let book = Fixture::copy("mdbook-course");
    let environment = [
        ("MDBOOK_BOOK__TITLE", "Cours de terrain"),
        ("MDBOOK_OUTPUT__HTML__NO_SECTION_LABEL", "true"),
        ("MDBOOK_OUTPUT__HTML__FOLD__LEVEL", "1"),
        // Not a book.toml table: left alone, as mdBook leaves it.
        ("MDBOOK_VERSION", "0.5.4"),
    ];
    let run = folio_with(&book, &["build", "--verbose"], &environment);
    assert!(run.success(), "{}", run.stderr);
    let page = book.read("book/welcome/welcome.html");
    assert!(
        page.contains("<title>Welcome · Cours de terrain</title>"),
        "{page}"
    );
    assert!(
        !page.contains("class=\"section-number\""),
        "no section labels"
    );
    for note in [
        "note[environment]: book.toml: `book.title` = \"Cours de terrain\" comes from the environment (MDBOOK_BOOK__TITLE)",
        "note[environment]: book.toml: `output.html.no-section-label` = true comes from the environment (MDBOOK_OUTPUT__HTML__NO_SECTION_LABEL)",
        "note[environment]: book.toml: `output.html.fold.level` = 1 comes from the environment (MDBOOK_OUTPUT__HTML__FOLD__LEVEL)",
    ] {
        assert!(run.stderr.contains(note), "{note}\nin:\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("MDBOOK_VERSION"), "{}", run.stderr);
    // Without --verbose the build says nothing of them; check always does, and a note
    // is not a warning: --deny-warnings passes.
    let quiet = folio_with(&book, &["build"], &environment);
    assert!(!quiet.stderr.contains("note["), "{}", quiet.stderr);
    book.write(
        "src/android/build-rules/binary/src/main.rs",
        "// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\n",
    );
    book.edit("src/android/build-rules/binary.md", |text| text.replace("\nThe setup step was removed from the script:\n\n```shell\n{{#include ../build_all.sh:setup_device}}\n```\n", ""));
    book.edit("src/exercises/guessing.rs", |text| {
        text.trim_end()
            .trim_end_matches("// ANCHOR: all")
            .to_string()
            + "// ANCHOR_END: all\n"
    });
    let check = folio_with(
        &book,
        &["check", "--deny-warnings", "--format", "json"],
        &environment,
    );
    assert!(check.success(), "{}", check.stdout);
    assert!(
        check.stdout.contains("\"severity\": \"note\""),
        "{}",
        check.stdout
    );
    // A key the environment misspells is named with its variable.
    let misspelt = folio_with(&book, &["build"], &[("MDBOOK_BOOK__TITEL", "Oops")]);
    assert!(
        misspelt
            .stderr
            .contains("unknown key `book.titel` (set by MDBOOK_BOOK__TITEL) is ignored"),
        "{}",
        misspelt.stderr
    );
    let null = folio_with(&book, &["build"], &[("MDBOOK_BOOK__TITLE", "null")]);
    assert_eq!(null.code(), Some(1));
    assert!(
        null.stderr
            .contains("MDBOOK_BOOK__TITLE sets `book.title` to a value book.toml cannot hold"),
        "{}",
        null.stderr
    );
}

/// A renderer in the shape of mdBook's guide: reads the render context, writes a file
/// into its directory (where it runs), says something on standard error.
const WORD_COUNT_RENDERER: &str = r#"import json, os, sys
context = json.load(sys.stdin)
assert context["version"].startswith("0.5"), context["version"]
assert os.getcwd() == context["destination"], (os.getcwd(), context["destination"])
def chapters(items):
    for item in items:
        if isinstance(item, dict) and "Chapter" in item:
            yield item["Chapter"]
            yield from chapters(item["Chapter"]["sub_items"])
words = {c["path"]: len(c["content"].split()) for c in chapters(context["book"]["items"]) if c["path"]}
with open("words.json", "w") as out:
    json.dump({"title": context["config"]["book"]["title"], "words": words}, out, sort_keys=True)
print(f"counted {len(words)} chapters", file=sys.stderr)
if context["config"]["output"]["wordcount"].get("fail"):
    sys.exit(4)
"#;

#[test]
fn another_renderer_runs_after_the_html_in_its_own_directory() {
    let book = Fixture::copy("mdbook-course");
    book.write("tools/wordcount.py", WORD_COUNT_RENDERER);
    book.edit("book.toml", |text| {
        text + "\n[output.wordcount]\ncommand = \"python3 ../../tools/wordcount.py\"\n\n[output.linkcheck]\noptional = true\ncommand = \"mdbook-linkcheck-not-installed\"\n"
    });
    // Not allowed: the site is written (where mdBook writes it with two renderers), the
    // renderers are named and not run.
    let refused = book.folio(&["build"]);
    assert!(refused.success(), "{}", refused.stderr);
    assert!(book.path("book/html/index.html").is_file());
    assert!(
        !book.path("book/index.html").exists(),
        "the site goes in book/html"
    );
    assert!(
        refused
            .stderr
            .contains("renderer `wordcount` (`python3 ../../tools/wordcount.py`) was not run"),
        "{}",
        refused.stderr
    );
    assert!(!book.path("book/wordcount/words.json").exists());

    let run = book.folio(&["build", "--allow-preprocessors"]);
    assert!(run.success(), "{}", run.stderr);
    let counted: serde_json::Value =
        serde_json::from_str(&book.read("book/wordcount/words.json")).unwrap();
    assert_eq!(counted["title"], "Comprehensive Field Course");
    assert!(
        counted["words"]["android/build-rules/binary.md"]
            .as_u64()
            .unwrap()
            > 20,
        "{counted}"
    );
    assert!(
        run.stderr
            .contains("renderer `wordcount`:\ncounted 7 chapters"),
        "{}",
        run.stderr
    );
    // An optional renderer that is not installed is a warning.
    assert!(
        run.stderr.contains("warning[command-not-found]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("renderer `linkcheck`"),
        "{}",
        run.stderr
    );

    // One that fails: exit 1, its name and error; the new site stays, as with mdBook.
    book.edit("book.toml", |text| {
        text.replace("[output.wordcount]\n", "[output.wordcount]\nfail = true\n")
    });
    book.edit("src/thanks.md", |text| text + "\nSee you soon.\n");
    let failed = book.folio(&["build", "--allow-preprocessors"]);
    assert_eq!(failed.code(), Some(1), "{}", failed.stderr);
    assert!(failed.stderr.contains("renderer `wordcount` (`python3 ../../tools/wordcount.py`) failed (exit status: 4): counted 7 chapters"), "{}", failed.stderr);
    assert!(
        failed.stderr.contains("The site was written to"),
        "{}",
        failed.stderr
    );
    assert!(book.read("book/html/thanks.html").contains("See you soon."));
    // clean removes the site folio wrote, not the renderers' directories.
    let clean = book.folio(&["clean"]);
    assert!(clean.success(), "{}", clean.stderr);
    assert!(!book.path("book/html").exists());
    assert!(book.path("book/wordcount/words.json").is_file());
}

#[test]
fn an_mdbook_book_gets_mdbooks_heading_and_term_ids_so_its_anchors_hold() {
    let book = Fixture::copy("mdbook-course");
    book.write(
        "src/welcome/running.md",
        "# Running the Course\n\n## Step 1 - Build\n\n## 构建 Rust 程序\n\n## Le réseau\n\nSee [the build](#step-1---build), [构建](#构建-rust-程序), [réseau](running.md#le-réseau) and [a term](#extension-module).\n\n## Glossary\n\nextension module\n  : A Python module implemented in native code.\n",
    );
    let run = book.folio(&["build"]);
    assert!(run.success(), "{}", run.stderr);
    assert!(!run.stderr.contains("broken-anchor"), "{}", run.stderr);
    let page = book.read("book/welcome/running.html");
    assert!(page.contains("<dl>\n<dt id=\"extension-module\">extension module</dt>\n<dd>A Python module implemented in native code.</dd>"), "{page}");
    for id in ["step-1---build", "构建-rust-程序", "le-réseau"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id} in {page}");
    }
}

#[test]
fn redirects_of_moved_sections_send_a_reader_where_they_went() {
    // As the Reference writes them: `"/attributes.html#cold-attribute" = "..."`.
    let book = Fixture::copy("mdbook-course");
    book.edit("book.toml", |text| {
        text.replace(
            "[output.html.fold]",
            "[output.html.redirect]\n\"/welcome/running.html#old-setup\" = \"../thanks.html\"\n\"/old/course.html\" = \"../index.html\"\n\"/old/course.html#day-one\" = \"../welcome/welcome.html\"\n\n[output.html.fold]",
        )
    });
    let run = book.folio(&["build"]);
    assert!(run.success(), "{}", run.stderr);
    let (_server, base) = common::browser::serve_directory(&book.path("book"));
    let browser = common::browser::Browser::start();
    for (from, lands) in [
        ("/welcome/running.html#old-setup", "/thanks.html"),
        ("/welcome/running.html#other", "/welcome/running.html#other"),
        ("/old/course.html#day-one", "/welcome/welcome.html"),
        ("/old/course.html#elsewhere", "/index.html#elsewhere"),
        ("/old/course.html", "/index.html"),
    ] {
        browser.open(&format!("{base}{from}"));
        browser.wait_until(&format!("{from} lands on {lands}"), || {
            browser.url().ends_with(lands)
        });
    }
    // Only fragments for a page that is not one: where would the rest of it go?
    book.edit("book.toml", |text| {
        text.replace("\"/old/course.html\" = \"../index.html\"\n", "")
    });
    let refused = book.folio(&["build"]);
    assert_eq!(refused.code(), Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains(
            "redirect `/old/course.html`: only some of its `#` fragments have a destination"
        ),
        "{}",
        refused.stderr
    );
}
