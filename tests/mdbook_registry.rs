//! Real preprocessors from crates.io, as a book uses them, through folio: mdbook-admonish
//! 1.20.0 (built on mdBook 0.4: its book needs `__non_exhaustive`, and mdBook 0.5.4 itself
//! fails with it), mdbook-mermaid and mdbook-svgbob, each with its `install` step where it
//! has one. `.ci/run` installs them with `cargo install --locked`; mdbook-toc (mdBook 0.5's
//! preprocessor crate) is in `mdbook_books.rs`.

mod common;

use common::Fixture;
use std::process::Command;

/// Runs `program ARGS` in `book`, which must succeed: a preprocessor's own command.
fn run_tool(book: &Fixture, program: &str, args: &[&str]) {
    let output = Command::new(program)
        .args(args)
        .current_dir(book.root())
        .output()
        .unwrap_or_else(|error| {
            panic!("{program} is installed (.ci/run: cargo install --locked {program}): {error}")
        });
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn admonish_mermaid_and_svgbob_from_the_registry_run_with_their_install_steps() {
    let book = Fixture::copy("mdbook-course");
    // Their own setup, as their READMEs give it: assets copied, book.toml edited.
    run_tool(&book, "mdbook-admonish", &["install", "."]);
    run_tool(&book, "mdbook-mermaid", &["install", "."]);
    book.edit("book.toml", |text| text + "\n[preprocessor.svgbob]\n");
    assert!(book.path("mdbook-admonish.css").is_file());
    assert!(book.read("book.toml").contains("[preprocessor.admonish]"));
    book.edit("src/welcome/welcome.md", |text| {
        text + "\n```admonish warning\nDo not skip the exercises.\n```\n\n```mermaid\ngraph TD;\n    Setup-->Build;\n    Build-->Deploy;\n```\n\n```bob\n  .---.    .------.\n  | A |--->| B    |\n  '---'    '------'\n```\n"
    });
    let run = book.folio(&["build", "--allow-preprocessors"]);
    assert!(run.success(), "{}", run.stderr);
    let page = book.read("book/welcome/welcome.html");
    // admonish: its HTML, and the stylesheet its install step added.
    assert!(
        page.contains("class=\"admonition admonish-warning\""),
        "{page}"
    );
    assert!(page.contains("Do not skip the exercises."));
    assert!(
        page.contains("mdbook-admonish.css"),
        "additional-css from the install step"
    );
    assert!(book.path("book/mdbook-admonish.css").is_file());
    // mermaid: the diagram left for its script, the scripts linked.
    assert!(page.contains("<pre class=\"mermaid\">"), "{page}");
    assert!(page.contains("mermaid.min.js") && page.contains("mermaid-init.js"));
    // svgbob: the drawing as an SVG.
    assert!(page.contains("<svg"), "{page}");
    assert!(
        !common::directives_outside_code(&page)
            .iter()
            .any(|found| found.contains("admonish"))
    );
}
