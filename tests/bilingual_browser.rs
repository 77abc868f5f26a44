//! The bilingual site in a real browser (headless Chromium over WebDriver), served
//! over HTTP: the not-translated notice, the language switch, and search.

mod common;

use common::browser::{Browser, serve_directory};

#[test]
fn a_reader_follows_the_language_switch_and_searches_without_accents() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = common::Fixture::empty();
    let site = out.path("site");
    let run = common::Run::from_command(
        std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("build")
            .arg(root)
            .arg("-d")
            .arg(&site),
    );
    assert!(run.success(), "{}", run.stderr);
    let (_server, base) = serve_directory(&site);
    let browser = Browser::start();

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
    browser.find("#search input").type_text("decouverte");
    browser.wait_until("search results", || {
        !browser.texts(".pagefind-ui__result-link").is_empty()
    });
    let results = browser.texts(".pagefind-ui__result-link");
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
    browser.find(".pagefind-ui__result-link").click();
    browser.wait_until("the chapter found", || {
        browser
            .url()
            .contains("/fr/chapters/03-discovering-cloud.html")
    });
}
