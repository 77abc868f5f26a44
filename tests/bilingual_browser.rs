//! The bilingual site in a real browser (headless Chromium over WebDriver), served
//! over HTTP: the not-translated notice, the language switch, and search.

mod common;

use common::browser::{Browser, default_book_in_browser, serve_directory};

#[test]
fn a_reader_follows_the_language_switch_and_searches_without_accents() {
    let site = default_book_in_browser();
    let (base, browser) = (&site.base, &site.browser);

    browser.open(&format!("{base}/en/chapters/08-problems.html"));
    let notice = browser.find(".notice.untranslated").text();
    assert!(
        notice.contains("This chapter has not been translated yet"),
        "{notice}"
    );
    browser.find(r#".languages a[hreflang="fr"]"#).click();
    browser.wait_until("the French page", || {
        browser.url().ends_with("/fr/chapters/08-problems.html")
    });
    assert!(browser.find("h1").text().contains("Le début des problèmes"));

    // "decouverte" without its accent finds chapter 3, "À la découverte du Cloud".
    browser.find("#search-input").type_text("decouverte");
    browser.wait_until("search results", || {
        !browser.texts(".search-result-title").is_empty()
    });
    let results = browser.texts(".search-result-title");
    assert!(
        results
            .iter()
            .any(|title| title.contains("découverte du Cloud")),
        "{results:?}"
    );
    assert!(
        results.iter().all(|title| !title.contains("Discovering")),
        "French results only: {results:?}"
    );
    browser.find(".search-result-title").click();
    browser.wait_until("the chapter found", || {
        browser
            .url()
            .contains("/fr/chapters/03-discovering-cloud.html")
    });
}

#[test]
fn a_reader_filters_the_timeline_by_tag_and_sorts_the_board() {
    let book = common::Fixture::copy("runbooks");
    book.build();
    let (_server, base) = serve_directory(&book.path("book"));
    let browser = Browser::start();

    browser.open(&format!("{base}/fr/timeline.html"));
    let visible = |browser: &Browser| {
        browser
            .texts(".timeline-event")
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        visible(&browser).len(),
        10,
        "every event shows before filtering"
    );
    browser.find(r#".tag-filter[data-tag="incident"]"#).click();
    browser.wait_until("the filter", || visible(&browser).len() == 2);
    let shown = visible(&browser);
    assert!(
        shown[0].contains("14 février 2019") && shown[1].contains("mi-avril 2019"),
        "{shown:?}"
    );
    let years: Vec<String> = browser
        .texts(".timeline-year h2")
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(years, ["2019"], "years without a shown event are hidden");
    // The filter is in the address: opening it again restores the filtered view.
    let filtered = browser.url();
    assert!(
        filtered.ends_with("/fr/timeline.html?tags=incident"),
        "{filtered}"
    );
    browser.open(&format!("{base}/fr/index.html"));
    browser.open(&filtered);
    browser.wait_until("the filter restored", || visible(&browser).len() == 2);
    assert_eq!(
        browser
            .find(r#".tag-filter[data-tag="incident"]"#)
            .attribute("aria-pressed"),
        "true"
    );
    browser.find(r#".tag-filter[data-tag="incident"]"#).click();
    browser.wait_until("the filter to be released", || {
        visible(&browser).len() == 10
    });
    assert!(
        browser.url().ends_with("/fr/timeline.html"),
        "{}",
        browser.url()
    );

    browser.open(&format!("{base}/en/runbooks/index.html"));
    let first_column = |browser: &Browser| browser.texts(".runbook-board tbody td:first-child");
    assert_eq!(first_column(&browser), ["API A", "Service B", "Front C"]);
    browser
        .find(r#".runbook-board th[data-sort="number"]:last-child button"#)
        .click();
    browser.wait_until("ascending traffic", || {
        first_column(&browser) == ["Front C", "Service B", "API A"]
    });
    browser
        .find(r#".runbook-board th[data-sort="number"]:last-child button"#)
        .click();
    browser.wait_until("descending traffic", || {
        first_column(&browser) == ["API A", "Service B", "Front C"]
    });
}

#[test]
fn a_big_books_contents_are_written_once_and_filled_in_by_the_browser() {
    let book = common::Fixture::empty();
    for part in ["content", "infra"] {
        std::fs::create_dir_all(book.path(part)).unwrap();
        common::copy_tree(&common::default_book_root().join(part), &book.path(part));
    }
    let config = std::fs::read_to_string(common::default_book_root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        config.replace("[output.html]\n", "[output.html]\ntoc-inline-max = 3\n"),
    );
    let site = book.path("site");
    let run = book.folio(&["build", ".", "-d", site.to_str().unwrap()]);
    assert!(run.success(), "{}", run.stderr);

    // The page itself carries an empty list; the entries are in one script per language.
    let page = std::fs::read_to_string(site.join("en/chapters/03-discovering-cloud.html")).unwrap();
    assert!(
        page.contains(r#"<ol class="toc" data-root="../../en/" data-current="chapters/03-discovering-cloud.html"></ol>"#),
        "{page}"
    );
    assert!(!page.contains(r#"<li class="chapter"#), "no inline entries");
    // The landing page, where readers without JavaScript are sent, keeps the full list.
    let landing = std::fs::read_to_string(site.join("en/index.html")).unwrap();
    assert!(
        landing.contains(r#"<a href="../en/chapters/04-copenhagen-plan.html">"#),
        "{landing}"
    );
    let script = std::fs::read_to_string(site.join("en/toc.js")).unwrap();
    assert!(
        script.contains("chapters/04-copenhagen-plan.html"),
        "{script}"
    );

    let (_server, base) = serve_directory(&site);
    let browser = Browser::start();
    browser.open(&format!("{base}/en/chapters/03-discovering-cloud.html"));
    let current = browser.find(r#".toc a[aria-current="page"]"#).text();
    assert!(current.contains("Discovering"), "{current}");
    let sections = browser.texts(".toc li.current .sections a");
    assert!(
        sections.iter().any(|s| s.contains("Choosing a provider")),
        "{sections:?}"
    );
    assert!(browser.texts(".toc li.chapter").len() > 10);
    // Links are made relative to the page: from en/chapters/ through the language root.
    browser
        .find(r#".toc a[href$="chapters/04-copenhagen-plan.html"]"#)
        .click();
    browser.wait_until("chapter 4", || {
        browser
            .url()
            .ends_with("/en/chapters/04-copenhagen-plan.html")
    });
    let current = browser.find(r#".toc a[aria-current="page"]"#).text();
    assert!(current.contains("Copenhagen"), "{current}");
}

#[test]
fn a_reader_shows_the_hidden_lines_of_a_listing_with_its_eye_button() {
    let book = common::Fixture::copy("mdbook-programming");
    book.build();
    let (_server, base) = serve_directory(&book.path("book"));
    let browser = Browser::start();
    browser.open(&format!("{base}/ch02-00-guessing-game.html"));
    // The anchored listing, the page's second block, as the reader sees it.
    let listing = || {
        browser
            .execute(
                "return document.querySelectorAll('pre.code')[1].querySelector('code').innerText;",
            )
            .as_str()
            .unwrap()
            .to_string()
    };
    let first = listing();
    assert!(
        first.contains("println!(\"Please input your guess.\");"),
        "{first}"
    );
    assert!(
        !first.contains("Failed to read line") && !first.contains("use std::io;"),
        "{first}"
    );
    let pressed = || {
        browser
            .execute("return document.querySelectorAll('pre.code')[1].querySelector('.hidden-lines-toggle').getAttribute('aria-pressed');")
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(pressed(), "false");
    browser.execute("document.querySelectorAll('pre.code')[1].querySelector('.hidden-lines-toggle').click(); return null;");
    let shown = listing();
    assert!(
        shown.contains("use std::io;") && shown.contains(".expect(\"Failed to read line\");"),
        "{shown}"
    );
    assert!(!shown.contains("ANCHOR"), "{shown}");
    assert_eq!(pressed(), "true");
    // A block without hidden lines has no eye button (only the copy button).
    let buttons = browser.execute(
        "return document.querySelectorAll('pre.code')[0].querySelectorAll('.hidden-lines-toggle').length;",
    );
    assert_eq!(buttons.as_u64(), Some(0));
}
