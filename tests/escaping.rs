//! Every value a book gives as data (book.toml, front matter, SUMMARY.md titles, data
//! files, runbook metadata, snippet text) reaches the HTML escaped; only the HTML a writer
//! puts in markdown passes through as it is.

mod common;

use common::Fixture;

const ATTACK: &str = "<script>alert('x')</script>";
const ESCAPED: &str = "&lt;script&gt;";

fn replace(book: &Fixture, file: &str, from: &str, to: &str) {
    let text = book.read(file);
    assert!(text.contains(from), "{file} has no `{from}`");
    book.write(file, text.replacen(from, to, 1));
}

/// Every HTML file of the site, with its text.
fn pages(book: &Fixture) -> Vec<(String, String)> {
    walkdir::WalkDir::new(book.path("book"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| {
            entry
                .path()
                .extension()
                .is_some_and(|e| e == "html" || e == "js")
        })
        .map(|entry| {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            (entry.path().display().to_string(), text)
        })
        .collect()
}

#[test]
fn values_from_data_reach_the_html_escaped() {
    let book = Fixture::copy("runbooks");
    let toml_attack = ATTACK;
    replace(
        &book,
        "book.toml",
        "title = \"Operations\"",
        &format!("title = \"Ops {toml_attack}\"\ndescription = \"{toml_attack}\""),
    );
    replace(
        &book,
        "content/fr/SUMMARY.md",
        "[La migration]",
        &format!("[Migration {ATTACK}]"),
    );
    replace(
        &book,
        "content/en/runbooks/beta.md",
        "team = \"Data\"",
        &format!("team = \"{toml_attack}\""),
    );
    replace(
        &book,
        "content/en/runbooks/beta.md",
        "title = \"Service B\"",
        &format!("title = \"B {toml_attack}\""),
    );
    replace(
        &book,
        "content/data/timeline.toml",
        "en = \"Second half.\"",
        &format!("en = \"Half {toml_attack}\""),
    );
    book.write("infra/app.yaml", format!("name: {ATTACK}\n"));
    book.edit("book.toml", |config| {
        format!("{config}\n[snippets.sources.infra]\npath = \"infra\"\n")
    });
    replace(
        &book,
        "content/en/runbooks/beta.md",
        "## Roll back",
        "```yaml\n{{#snippet infra:app.yaml}}\n```\n\n{{#snippet infra:app.yaml}}\n\n## Roll back",
    );
    // The writer's own HTML in markdown is theirs to write.
    book.edit("content/en/migration.md", |page| {
        format!("{page}\n<span class=\"writer-html\">kept</span>\n")
    });
    let run = book.folio(&["build"]);
    assert!(run.success(), "{}", run.stderr);

    let site = pages(&book);
    for (path, text) in &site {
        assert!(
            !text.contains("<script>alert"),
            "{path} carries the raw script"
        );
    }
    let everything: String = site.iter().map(|(_, text)| text.as_str()).collect();
    for (what, needle) in [
        ("book title", "Ops &lt;script&gt;"),
        ("summary title", "Migration &lt;script&gt;"),
        ("front matter title", "B &lt;script&gt;"),
        ("timeline text", "Half &lt;script&gt;"),
    ] {
        assert!(everything.contains(needle), "the {what} is shown escaped");
    }
    assert!(
        everything.matches(ESCAPED).count() >= 6,
        "team, description and snippets too"
    );
    assert!(everything.contains("<span class=\"writer-html\">kept</span>"));
}
