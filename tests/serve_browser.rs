//! `folio serve` as a reader's browser sees it: real Chromium on a real server.

mod common;

use common::Fixture;
use common::browser::Browser;
use common::server::{Server, next_event};

#[test]
fn the_error_overlay_reads_in_a_browser_whatever_the_site_s_stylesheet() {
    let book = Fixture::copy("bilingual");
    let server = Server::start(&book);
    let events = server.events();
    book.write("content/fr/code.md", "+++\nwritten = \n+++\n# Du code\n");
    assert_eq!(next_event(&events).0, "errors");
    let browser = Browser::start();
    browser.open(&format!("{}/fr/reseau.html", server.base));
    browser.find("#folio-error-overlay code");
    // Computed colours of the overlay's text and of its `file:line`, with the
    // background each sits on (the site's own `code` style is under them).
    let colours = browser.colours(&[
        "#folio-error-overlay code",
        "#folio-error-overlay li",
        "#folio-error-overlay strong",
    ]);
    for (css, text, background) in colours {
        let ratio = common::contrast_ratio(text, background);
        assert!(
            ratio >= 4.5,
            "{css}: {ratio:.2}:1 ({text:?} on {background:?})"
        );
    }
}
