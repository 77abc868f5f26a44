//! Search as a reader uses it, in real Chromium: `/` goes to the box in the top bar,
//! the results fill the main column one page each, the keyboard walks them, the query
//! lives in the address; and the same under `folio serve`, whose index is built in
//! the background and follows the writer's edits; opened as files, it says it needs a server.

mod common;

use common::browser::{Browser, default_book_in_browser, serve_directory};
use common::server::Server;

const DOWN: &str = "\u{E015}";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

/// The results' page titles, and for each page its sections' titles.
fn results(browser: &Browser) -> Vec<(String, Vec<String>)> {
    let found = browser.execute(
        "return [...document.querySelectorAll('#search-results .search-result')].map(r =>
           [r.querySelector('.search-result-title').textContent,
            [...r.querySelectorAll('.search-section-title')].map(s => s.textContent)]);",
    );
    serde_json::from_value(found).unwrap()
}

#[test]
fn slash_searches_from_the_top_bar_and_the_results_fill_the_main_column() {
    let site = default_book_in_browser();
    let (base, browser) = (&site.base, &site.browser);
    let chapter = format!("{base}/fr/chapters/02-platform.html");
    browser.open(&chapter);
    browser.find("article");

    // The box is in the top bar (which never scrolls away), not in the sidebar.
    let placement = browser.execute(
        "const box = document.getElementById('search-input');
         return [!!box.closest('.topbar'), !!box.closest('.sidebar'), getComputedStyle(document.querySelector('.topbar')).position];",
    );
    assert_eq!(placement, serde_json::json!([true, false, "sticky"]));
    browser.press("/");
    assert_eq!(
        browser.execute("return document.activeElement.id;"),
        "search-input"
    );
    browser.press("terraform");
    browser.wait_until("results", || !results(browser).is_empty());

    // In the main column, in place of the page, with room to read.
    let layout = browser.execute(
        "const panel = document.getElementById('search-results');
         const main = document.querySelector('main');
         const article = main.querySelector('article');
         return [panel.parentElement === main, panel.hidden, getComputedStyle(article).display,
                 Math.round(panel.getBoundingClientRect().width),
                 document.querySelector('.search-status').textContent];",
    );
    assert_eq!(layout[0], true, "the results are in <main>");
    assert_eq!(layout[1], false);
    assert_eq!(layout[2], "none", "the page gives way to the results");
    assert!(layout[3].as_i64().unwrap() >= 600, "{layout:?}");
    let found = results(browser);
    assert!(
        layout[4].as_str().unwrap().ends_with("pour « terraform »"),
        "{layout:?}"
    );
    // One entry per page, and no section repeats its page's title.
    let mut titles: Vec<&String> = found.iter().map(|(title, _)| title).collect();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), found.len(), "a page listed twice: {found:?}");
    assert!(
        found
            .iter()
            .all(|(title, sections)| !sections.contains(title) && sections.len() <= 3),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(title, sections)| title == "5 Notre setup AWS"
                && sections.iter().any(|s| s.contains("Tout en Terraform"))),
        "{found:?}"
    );
    assert!(
        browser.url().ends_with("02-platform.html?q=terraform"),
        "{}",
        browser.url()
    );

    // ↓ reaches the first result, Enter opens it.
    browser.press(DOWN);
    let first = browser.execute(
        "const a = document.activeElement; return a.classList.contains('search-result-title') ? a.href : null;",
    );
    let first = first
        .as_str()
        .expect("the first result has the focus")
        .to_string();
    browser.press(ENTER);
    browser.wait_until("the result opened", || browser.url() == first);

    // Coming back to the address with the query shows the results again.
    browser.open(&format!("{chapter}?q=terraform"));
    browser.wait_until("results restored", || !results(browser).is_empty());
    assert_eq!(
        browser.execute("return document.getElementById('search-input').value;"),
        "terraform"
    );
    // Escape gives the page back and takes the query out of the address.
    browser.find("#search-input").click();
    browser.press(ESCAPE);
    browser.wait_until("the page back", || {
        browser.execute("return getComputedStyle(document.querySelector('article')).display;")
            != "none"
    });
    assert_eq!(browser.url(), chapter);
    assert_eq!(
        browser.execute("return document.getElementById('search-results').hidden;"),
        true
    );
}

#[test]
fn results_past_the_limit_come_with_a_button_for_more() {
    let book = common::Fixture::copy("bilingual");
    book.edit("book.toml", |config| {
        config + "\n[output.html.search]\nlimit-results = 1\n"
    });
    book.build();
    let (_server, base) = serve_directory(&book.path("book"));
    let browser = Browser::start();
    browser.open(&format!("{base}/fr/code.html?q=r%C3%A9seau"));
    browser.wait_until("results", || !results(&browser).is_empty());
    let count: usize = browser
        .find(".search-status")
        .text()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(count >= 2, "{count}");
    assert_eq!(results(&browser).len(), 1, "one at a time (limit-results)");
    for shown in 2..=count {
        browser.find(".search-more").click();
        browser.wait_until("one more", || results(&browser).len() == shown);
    }
    assert_eq!(
        browser.execute("return document.querySelectorAll('.search-more').length;"),
        0,
        "no button once all are shown"
    );
}

#[test]
fn a_site_opened_as_files_says_search_needs_a_web_server() {
    let book = common::Fixture::copy("bilingual");
    book.build();
    let browser = Browser::start();
    let page = book.path("book/fr/reseau.html");
    browser.open(&format!("file://{}", page.display()));
    browser.find("#search-input").type_text("identique");
    browser.wait_until("the status", || {
        browser
            .execute("return document.querySelector('.search-status').textContent;")
            .as_str()
            .is_some_and(|status| status.contains("serveur web"))
    });
    assert!(results(&browser).is_empty());
}

#[test]
fn the_placeholder_fits_its_box_in_both_languages_on_a_desktop_and_a_phone() {
    let site = default_book_in_browser();
    let (base, browser) = (&site.base, &site.browser);
    for (width, height) in [(1280, 900), (390, 844)] {
        browser.resize(width, height);
        for language in ["fr", "en"] {
            browser.open(&format!("{base}/{language}/chapters/05-aws-setup.html"));
            browser.find("#search-input");
            let fits = browser.execute(
                "const box = document.getElementById('search-input');
                 const style = getComputedStyle(box);
                 const pen = document.createElement('canvas').getContext('2d');
                 pen.font = style.font;
                 const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                 return [box.placeholder, pen.measureText(box.placeholder).width <= room, room,
                         box.getBoundingClientRect().right <= window.innerWidth];",
            );
            assert_eq!(fits[1], true, "{language} at {width}px: {fits:?}");
            assert_eq!(fits[3], true, "{language} at {width}px: {fits:?}");
        }
    }
}

#[test]
fn search_works_under_serve_and_follows_an_edit() {
    let book = common::Fixture::copy("bilingual");
    let server = Server::start(&book);
    let (status, content_type, entry) = server.get("/pagefind/pagefind-entry.json");
    assert_eq!(status, 200, "{entry}");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    assert!(
        entry.contains("\"fr\"") && entry.contains("\"en\""),
        "{entry}"
    );
    assert_eq!(server.get("/pagefind/pagefind.js").0, 200);
    // pagefind's own UI is not shipped, and the index's cache is not served.
    assert_eq!(server.get("/pagefind/pagefind-ui.js").0, 404);
    assert_eq!(server.get("/.folio-cache/search-fr.txt").0, 404);

    let browser = Browser::start();
    browser.open(&format!("{}/fr/reseau.html", server.base));
    browser.find("#search-input").type_text("identique");
    browser.wait_until("results under serve", || !results(&browser).is_empty());
    let found = results(&browser);
    assert!(found[0].0.ends_with("Le réseau"), "{found:?}");

    // A word the writer adds is found once the page is rebuilt and indexed again.
    book.edit("content/fr/preface.md", |page| {
        page + "\nUn mot tout neuf : zythogale.\n"
    });
    server.wait_for("/fr/preface.html", "the rebuilt page", |body| {
        body.contains("zythogale")
    });
    browser.wait_until("the new word found", || {
        browser.open(&format!("{}/fr/reseau.html?q=zythogale", server.base));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        while std::time::Instant::now() < deadline {
            let found = browser.execute(
                "return [...document.querySelectorAll('.search-result-title')].some(a => a.href.endsWith('/fr/preface.html'));",
            );
            if found == true {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    });
}
