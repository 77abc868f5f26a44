//! Translation status, stale translations, completion, localized strings and dates,
//! French typography, search index files and SEO links: issue 3's guarantees.

mod common;

use common::{Fixture, Run};
use std::path::Path;
use std::process::Command;

fn default_book(args: &[&str]) -> Run {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Run::from_command(
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .current_dir(root),
    )
}

#[test]
fn the_default_book_reports_8_to_11_missing_12_13_todo_and_nothing_stale() {
    let run = default_book(&["translations"]);
    assert!(run.success(), "{}", run.stderr);
    for chapter in [
        "08-problems",
        "09-stabilization",
        "10-cloud-native",
        "11-migrate-everything",
    ] {
        let line = run.stdout.lines().find(|l| l.contains(chapter)).unwrap();
        assert!(line.ends_with("missing"), "{line}");
    }
    for chapter in ["12-second-stabilization", "13-ci-cd-previews"] {
        let line = run.stdout.lines().find(|l| l.contains(chapter)).unwrap();
        assert!(line.ends_with("todo"), "{line}");
    }
    assert!(
        !run.stdout.contains("stale") && !run.stdout.contains("unverified"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("en: 4 missing, 2 todo, 23 up to date"),
        "{}",
        run.stdout
    );

    // To do in English, written in French: the reader is sent to the original.
    let (_out, site, _) = common::build_default_book(&[]);
    let page =
        std::fs::read_to_string(site.join("en/chapters/12-second-stabilization.html")).unwrap();
    assert!(
        page.contains("<div class=\"notice untranslated\">"),
        "{page}"
    );
    assert!(
        page.contains("href=\"../../fr/chapters/12-second-stabilization.html\" hreflang=\"fr\"")
    );
    assert!(!page.contains("planned but not written yet"));

    let json = default_book(&["translations", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let chapter8 = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["page"] == "chapters/08-problems.md")
        .unwrap();
    assert_eq!(chapter8["source"], "written");
    assert_eq!(chapter8["translations"]["en"], "missing");
}

#[test]
fn editing_the_source_makes_the_translation_stale_until_marked() {
    let book = Fixture::copy("bilingual");
    let run = book.folio(&["translations", "--mark", "content/en/reseau.md"]);
    assert!(run.success(), "{}", run.stderr);
    let marked = book.read("content/en/reseau.md");
    assert!(marked.starts_with("+++\nsource-hash = \""), "{marked}");
    assert!(
        marked.ends_with("# The network\n\n## Where we stand\n\nText.\n"),
        "the body is untouched"
    );
    let line = |run: &Run| {
        run.stdout
            .lines()
            .find(|l| l.starts_with("reseau.md "))
            .unwrap()
            .to_string()
    };
    assert!(line(&book.folio(&["translations"])).ends_with("up to date"));
    book.build();
    assert!(!book.read("book/en/reseau.html").contains("notice stale"));

    // The French original changes: the translation is stale, and says so.
    let source = book
        .read("content/fr/reseau.md")
        .replace("Du texte.", "Du texte, revu.");
    book.write("content/fr/reseau.md", source);
    assert!(line(&book.folio(&["translations"])).ends_with("stale"));
    book.build();
    let page = book.read("book/en/reseau.html");
    assert!(page.contains("The original has changed since this translation."));
    assert!(page.contains(r#"<a href="../fr/reseau.html" hreflang="fr">See the original</a>"#));

    // A front-matter-only change of the source is not a content change.
    let source = book
        .read("content/fr/reseau.md")
        .replace("written = \"été 2018\"", "written = \"été 2019\"");
    book.write("content/fr/reseau.md", source);
    assert!(line(&book.folio(&["translations"])).ends_with("stale"));

    // The translator checks it and marks it: only the hash line changes.
    let before = book.read("content/en/reseau.md");
    assert!(
        book.folio(&["translations", "--mark", "content/en/reseau.md"])
            .success()
    );
    let after = book.read("content/en/reseau.md");
    assert_eq!(before.lines().count(), after.lines().count());
    let changed: Vec<_> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.starts_with("source-hash = "));
    assert!(line(&book.folio(&["translations"])).ends_with("up to date"));
    book.build();
    assert!(!book.read("book/en/reseau.html").contains("notice stale"));
}

#[test]
fn marking_something_that_is_not_a_translation_is_an_error() {
    let book = Fixture::copy("bilingual");
    for path in [
        "content/fr/reseau.md",
        "content/en/seul.md",
        "content/en/code.md",
    ] {
        let run = book.folio(&["translations", "--mark", path]);
        assert_eq!(run.code(), Some(1), "{path}: {}", run.stdout);
        assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    }
}

#[test]
fn landing_pages_show_completion_and_the_default_book_figures() {
    let site = Fixture::empty();
    let destination = site.path("site");
    let run = default_book(&["build", ".", "-d", destination.to_str().unwrap()]);
    assert!(run.success(), "{}", run.stderr);
    let read = |p: &str| std::fs::read_to_string(destination.join(p)).unwrap();
    assert!(read("fr/index.html").contains("Écrit à 100\u{202F}%"));
    assert!(read("fr/index.html").contains("29 / 29 chapitres"));
    // English: 23 of 29 entries written (chapters 1-7, 14, 15, the foreword, 5 appendices, 8 runbook pages).
    assert!(read("en/index.html").contains("79% translated"));
    assert!(read("en/index.html").contains("23 / 29 chapters"));
    // The default book's last update is the newest entry of its changelog data.
    assert!(read("fr/index.html").contains("Dernière mise à jour\u{A0}: 15 mai 2020"));
    assert!(read("en/index.html").contains("Last updated: May 15, 2020"));
}

/// The bilingual fixture in a new git repository, committed whole on 2018-12-04.
fn bilingual_book_first_committed_on_2018_12_04() -> Fixture {
    let book = Fixture::copy("bilingual");
    let date = "2018-12-04T10:00:00+01:00";
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &["commit", "-q", "-m", "first"],
    ] {
        common::git_at(book.root(), args, Some(date));
    }
    book
}

#[test]
fn in_a_git_repository_the_last_update_is_the_last_commit_of_that_language() {
    let book = bilingual_book_first_committed_on_2018_12_04();
    let git = |args: &[&str], date: &str| common::git_at(book.root(), args, Some(date));
    book.write("content/fr/annexe.md", "# Annexe\n\nRevue.\n");
    git(
        &["commit", "-q", "-am", "French only"],
        "2019-01-01T10:00:00+01:00",
    );
    book.build();
    assert!(
        book.read("book/fr/index.html")
            .contains("Dernière mise à jour\u{A0}: 1er janvier 2019")
    );
    assert!(
        book.read("book/en/index.html")
            .contains("Last updated: December 4, 2018"),
        "English was not touched"
    );
}

#[test]
fn the_last_commit_date_follows_merges_and_is_the_committers_day_as_git_log_shows_it() {
    let book = bilingual_book_first_committed_on_2018_12_04();
    let git = |args: &[&str], date: &str| common::git_at(book.root(), args, Some(date));
    // English is revised on a branch, late in the evening west of Greenwich: already
    // March 11 in UTC, March 10 for the committer (and for `git log --format=%cs`).
    git(
        &["checkout", "-q", "-b", "translation"],
        "2019-03-10T23:30:00-05:00",
    );
    book.write("content/en/annexe.md", "# Appendix\n\nRevised.\n");
    git(
        &["commit", "-q", "-am", "English revised"],
        "2019-03-10T23:30:00-05:00",
    );
    git(&["checkout", "-q", "-"], "2019-03-10T23:30:00-05:00");
    book.write("content/fr/annexe.md", "# Annexe\n\nRevue.\n");
    git(
        &["commit", "-q", "-am", "French revised"],
        "2019-02-01T10:00:00+01:00",
    );
    git(
        &["merge", "-q", "--no-ff", "-m", "merge", "translation"],
        "2019-04-01T12:00:00+01:00",
    );
    for (language, expected) in [("fr", "2019-02-01"), ("en", "2019-03-10")] {
        let shown = common::git(
            book.root(),
            &[
                "log",
                "-1",
                "--format=%cs",
                "--",
                &format!("content/{language}"),
            ],
        );
        assert_eq!(shown, expected, "git log agrees with the test's premise");
    }
    book.build();
    assert!(
        book.read("book/fr/index.html")
            .contains("Dernière mise à jour\u{A0}: 1er février 2019"),
        "the merge did not change French: its date is French's own last commit"
    );
    assert!(
        book.read("book/en/index.html")
            .contains("Last updated: March 10, 2019"),
        "the branch's commit, on the committer's calendar"
    );
}

#[test]
fn dates_are_localized_and_come_from_front_matter_outside_git() {
    let book = Fixture::copy("bilingual");
    book.edit("content/fr/annexe.md", |page| {
        format!("+++\nupdated = 2018-12-04\n+++\n{page}")
    });
    book.write(
        "content/en/annexe.md",
        "+++\nupdated = 2018-12-01\n+++\n# Appendix\n",
    );
    book.build();
    assert!(
        book.read("book/fr/index.html")
            .contains("Dernière mise à jour\u{A0}: 4 décembre 2018")
    );
    assert!(
        book.read("book/en/index.html")
            .contains("Last updated: December 1, 2018")
    );
}

#[test]
fn a_third_language_needs_a_table_and_a_strings_file_only() {
    let book = Fixture::copy("bilingual");
    let config =
        book.read("book.toml") + "\n[language.de]\ntitle = \"Testbuch\"\nname = \"Deutsch\"\n";
    book.write("book.toml", config);
    book.write("content/de/SUMMARY.md", "- [Das Netz](reseau.md)\n");
    book.write("content/de/reseau.md", "# Das Netz\n");
    book.write(
        "theme/i18n/de.toml",
        "contents = \"Inhaltsverzeichnis\"\nnext = \"Nächstes Kapitel\"\nmonths = \"Januar Februar März April Mai Juni Juli August September Oktober November Dezember\"\ndate_format = \"{day}. {month} {year}\"\n",
    );
    book.build();
    let landing = book.read("book/de/index.html");
    assert!(landing.contains("<h2>Inhaltsverzeichnis</h2>"));
    assert!(landing.contains(r#"<html lang="de""#));
    assert!(
        landing.contains("Previous chapter") || landing.contains("chapters available"),
        "missing strings fall back to English"
    );
    assert!(
        book.read("book/fr/reseau.html")
            .contains(r#"hreflang="de""#)
    );
}

#[test]
fn french_typography_applies_to_french_text_only() {
    let book = Fixture::copy("bilingual");
    book.write(
        "content/fr/code.md",
        "# Du code : exemples\n\nVraiment ? Oui ! Un ; deux : trois. Il dit \"bonjour\" et « salut » ... l'équipe.\n\n\
         Dans le code `a ? b : c` et [un lien ?](https://example.org/?q=1:2) à 20:30.\n\n\
         ```sh\necho \"x ? y : z\"\n```\n\n![Schéma : réseau ?](images/schema.svg)\n",
    );
    book.write(
        "content/en/code.md",
        "# Some code\n\nReally ? Yes ! One: \"two\" and 'three'... it's\n",
    );
    let titles = Fixture::copy("bilingual");
    titles.write(
        "content/fr/SUMMARY.md",
        titles
            .read("content/fr/SUMMARY.md")
            .replace("[Du code]", "[Du code : exemples]"),
    );
    titles.build();
    assert!(
        titles
            .read("book/fr/index.html")
            .contains("Du code\u{A0}: exemples</a>"),
        "titles from SUMMARY.md too"
    );
    book.build();
    let french = book.read("book/fr/code.html");
    assert!(
        french.contains("Du code\u{A0}: exemples</a></h1>"),
        "colon in a heading"
    );
    assert!(french.contains("Vraiment\u{202F}? Oui\u{202F}! Un\u{202F}; deux\u{A0}: trois."));
    assert!(french.contains("«\u{202F}bonjour\u{202F}» et «\u{202F}salut\u{202F}» … l’équipe."));
    assert!(
        french.contains("<code>a ? b : c</code>"),
        "inline code untouched"
    );
    assert!(
        french.contains("<a href=\"https://example.org/?q=1:2\">un lien\u{202F}?</a> à 20:30."),
        "URL untouched, link text set"
    );
    assert!(french.contains("x ? y : z"), "code block untouched");
    assert!(
        french.contains(r#"alt="Schéma : réseau ?""#),
        "attributes untouched"
    );
    let english = book.read("book/en/code.html");
    assert!(
        english.contains("Really ? Yes ! One: “two” and ‘three’… it’s"),
        "English keeps its spacing"
    );
}

#[test]
fn each_typography_rule_can_be_turned_off() {
    let book = Fixture::copy("bilingual");
    book.edit("book.toml", |config| config
        + "\n[typography]\nnarrow-nbsp = false\nnbsp-colon = false\nquotes = false\nellipsis = false\n");
    book.write(
        "content/fr/code.md",
        "# Du code\n\nVraiment ? Note : \"x\" l'a...\n",
    );
    book.build();
    assert!(
        book.read("book/fr/code.html")
            .contains("<p>Vraiment ? Note : \"x\" l'a...</p>")
    );
}

#[test]
fn the_search_index_is_split_per_language() {
    let book = Fixture::copy("bilingual");
    book.build();
    let names: Vec<String> = std::fs::read_dir(book.path("book/pagefind"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("pagefind.fr_") && n.ends_with(".pf_meta")),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("pagefind.en_") && n.ends_with(".pf_meta")),
        "{names:?}"
    );
    assert!(names.contains(&"pagefind.js".to_string()));
    // The theme's search box is on pagefind's library; pagefind's own UI is not shipped.
    assert!(
        !names.iter().any(|n| n.starts_with("pagefind-ui")),
        "{names:?}"
    );
    assert!(
        book.read("book/fr/reseau.html")
            .contains("<form class=\"search\"")
    );
    // Written pages are indexed; fallback and announced pages are not.
    assert!(
        book.read("book/fr/reseau.html")
            .contains("data-pagefind-body")
    );
    assert!(
        !book
            .read("book/en/seul.html")
            .contains("data-pagefind-body")
    );
    assert!(
        !book
            .read("book/en/code.html")
            .contains("data-pagefind-body")
    );
    // Search can be turned off.
    book.edit("book.toml", |config| {
        config + "\n[output.html.search]\nenable = false\n"
    });
    book.build();
    assert!(!book.path("book/pagefind").exists());
    let page = book.read("book/fr/reseau.html");
    assert!(!page.contains("<form class=\"search\"") && !page.contains("assets/search-"));
}

#[test]
fn seo_links_and_sitemap_use_the_site_url() {
    let book = Fixture::copy("bilingual");
    book.edit("book.toml", |config| {
        config.replace(
            "[language.fr]",
            "[output.html]\nsite-url = \"https://books.example.org/test\"\n\n[language.fr]",
        )
    });
    book.build();
    let page = book.read("book/en/reseau.html");
    assert!(page.contains(
        r#"<link rel="canonical" href="https://books.example.org/test/en/reseau.html">"#
    ));
    assert!(page.contains(r#"<link rel="alternate" hreflang="fr" href="https://books.example.org/test/fr/reseau.html">"#));
    assert!(page.contains(r#"<link rel="alternate" hreflang="en" href="https://books.example.org/test/en/reseau.html">"#));
    let fallback = book.read("book/en/seul.html");
    assert!(fallback.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(
        !fallback.contains(r#"hreflang="en" href="https://books.example.org/test/en/seul.html""#)
    );
    let sitemap = book.read("book/sitemap.xml");
    assert!(sitemap.contains("<loc>https://books.example.org/test/fr/reseau.html</loc>"));
    assert!(sitemap.contains("<loc>https://books.example.org/test/en/reseau.html</loc>"));
    assert!(
        !sitemap.contains("<loc>https://books.example.org/test/en/seul.html</loc>"),
        "fallbacks are not listed"
    );
}

#[test]
fn a_translation_uses_the_original_s_image_when_it_has_none_of_its_own() {
    let book = Fixture::copy("bilingual");
    book.edit("content/en/reseau.md", |page| {
        format!("{page}\n![The diagram](images/schema.svg)\n\n![Nowhere](images/absent.png)\n")
    });
    let check = book.folio(&["check", "--format", "json"]);
    let problems: Vec<serde_json::Value> = serde_json::from_str(&check.stdout).unwrap();
    let images: Vec<&serde_json::Value> = problems
        .iter()
        .filter(|problem| problem["code"] == "missing-image")
        .collect();
    assert_eq!(
        images.len(),
        1,
        "only the image neither language has: {problems:?}"
    );
    assert!(
        images[0]["message"]
            .as_str()
            .unwrap()
            .contains("absent.png")
    );

    book.build();
    // The site, the print page and the EPUB of the translation all find it.
    assert_eq!(
        std::fs::read(book.path("book/en/images/schema.svg")).unwrap(),
        std::fs::read(book.path("content/fr/images/schema.svg")).unwrap()
    );
    assert!(
        book.read("book/en/reseau.html")
            .contains("<img src=\"images/schema.svg\"")
    );
    assert!(
        book.read("book/en/print.html")
            .contains("src=\"images/schema.svg\"")
    );
    let epub = std::fs::File::open(book.path("book/en/test-book.epub")).unwrap();
    let archive = zip::ZipArchive::new(epub).unwrap();
    assert!(
        archive
            .file_names()
            .any(|name| name.is_ok_and(|name| name == "OEBPS/images/schema.svg"))
    );
    // The original's own tree is untouched, and nothing is copied the other way.
    assert!(!book.path("book/fr/images/absent.png").exists());
}
