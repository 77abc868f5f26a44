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
    let colours = browser.execute(
        "function rgb(c) { return c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number); }
         function background(element) {
           for (let e = element; e; e = e.parentElement) {
             const c = getComputedStyle(e).backgroundColor;
             if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return rgb(c);
           }
           return [255, 255, 255];
         }
         return ['#folio-error-overlay code', '#folio-error-overlay li', '#folio-error-overlay strong']
           .map(css => { const e = document.querySelector(css);
                         return [css, rgb(getComputedStyle(e).color), background(e)]; });",
    );
    let rgb = |value: &serde_json::Value| {
        let channels: Vec<f64> = value
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        [channels[0], channels[1], channels[2]]
    };
    for entry in colours.as_array().unwrap() {
        let ratio = common::contrast_ratio(rgb(&entry[1]), rgb(&entry[2]));
        assert!(ratio >= 4.5, "{}: {ratio:.2}:1 ({entry})", entry[0]);
    }
}
