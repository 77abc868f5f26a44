//! A reader with a keyboard, in real Chromium: ← and → turn the pages, the first Tab
//! stop skips to the content, and every code block has a copy button.

mod common;

use common::browser::{Browser, Process, serve_directory};

/// The bilingual fixture built, served over HTTP, and a browser: (the book, the server,
/// its address, the browser); the first two live as long as the test holds them.
fn bilingual_site() -> (common::Fixture, Process, String, Browser) {
    let book = common::Fixture::copy("bilingual");
    book.build();
    let (server, base) = serve_directory(&book.path("book"));
    (book, server, base, Browser::start())
}

#[test]
fn arrows_turn_the_pages_and_the_first_stop_skips_to_the_content() {
    let (_book, _server, base, browser) = bilingual_site();
    browser.open(&format!("{base}/fr/reseau.html"));
    browser.find(".page-nav");
    let press = |key: &str| {
        browser.execute(&format!(
            "document.body.dispatchEvent(new KeyboardEvent('keydown', {{ key: '{key}', bubbles: true }})); return null;"
        ));
    };
    let next = browser
        .execute("return document.querySelector('.page-nav a[rel=next]').href;")
        .as_str()
        .unwrap()
        .to_string();
    press("ArrowRight");
    browser.wait_until("the next page", || browser.url() == next);
    let previous = browser
        .execute("return document.querySelector('.page-nav a[rel=prev]').href;")
        .as_str()
        .unwrap()
        .to_string();
    assert!(previous.ends_with("/fr/reseau.html"), "{previous}");
    press("ArrowLeft");
    browser.wait_until("back", || browser.url() == previous);
    // Not while typing in a field (the search box): the page stays.
    browser.execute(
        "const field = document.createElement('input'); document.body.appendChild(field); field.focus();
         field.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true })); return null;",
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(browser.url(), previous);

    // The first element a Tab reaches is the skip link, to the content.
    let first = browser.execute(
        "const all = [...document.querySelectorAll('a[href], button, input:not([aria-hidden=true]), [tabindex]')]
           .filter(e => e.tabIndex >= 0);
         return [all[0].className, all[0].getAttribute('href'), all[0].textContent];",
    );
    assert_eq!(first[0], "skip-link");
    assert_eq!(first[1], "#content");
    assert_eq!(first[2], "Aller au contenu");
}

#[test]
fn a_code_block_s_copy_button_copies_what_the_reader_sees() {
    let (_book, _server, base, browser) = bilingual_site();
    browser.open(&format!("{base}/fr/code.html"));
    browser.find("pre.code .copy-button");
    // The clipboard as the page sees it (headless Chromium has no real one to read).
    let copied = browser.execute(
        "window.copied = null;
         navigator.clipboard.writeText = text => { window.copied = text; return Promise.resolve(); };
         const pre = document.querySelector('pre.code');
         pre.querySelector('.copy-button').click();
         return [pre.querySelector('code').innerText, pre.querySelector('.copy-button').textContent];",
    );
    browser.wait_until("the copy", || {
        browser.execute("return window.copied;").as_str().is_some()
    });
    let text = browser.execute("return window.copied;");
    assert_eq!(text, copied[0], "the code, without the button's label");
    assert!(!text.as_str().unwrap().contains("Copier"));
    browser.wait_until("the button says it copied", || {
        browser.find("pre.code .copy-button").text() == "Copié"
    });
    let buttons = browser.execute(
        "return [document.querySelectorAll('pre.code').length, document.querySelectorAll('pre.code .copy-button').length];",
    );
    assert_eq!(buttons[0], buttons[1], "one button per block");
}

#[test]
fn the_contents_button_hides_and_shows_the_sidebar_on_a_wide_screen_by_mouse_or_key() {
    let (_book, _server, base, browser) = bilingual_site();
    browser.execute("window.resizeTo(1280, 900); return null;");
    browser.open(&format!("{base}/fr/reseau.html"));
    let shown = || {
        browser
            .execute(
                "return getComputedStyle(document.getElementById('sidebar')).display !== 'none';",
            )
            .as_bool()
            .unwrap()
    };
    let expanded = || {
        browser
            .execute(
                "return document.querySelector('.sidebar-button').getAttribute('aria-expanded');",
            )
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let width = browser
        .execute("return window.innerWidth;")
        .as_u64()
        .unwrap();
    assert!(width > 832, "a desktop width: {width}");
    assert!(shown());
    browser.wait_until("aria-expanded true", || expanded() == "true");
    browser.find(".sidebar-button").click();
    browser.wait_until("the sidebar hidden", || !shown());
    browser.wait_until("aria-expanded false", || expanded() == "false");
    // By keyboard: the button takes the focus, Enter shows the contents again.
    let focusable = browser.execute(
        "const b = document.querySelector('.sidebar-button'); b.focus(); return document.activeElement === b && b.tabIndex === 0 && b.tagName === 'BUTTON';",
    );
    assert_eq!(focusable.as_bool(), Some(true));
    browser.press("\u{E007}");
    browser.wait_until("the sidebar shown", shown);
    // The checkbox behind it is no Tab stop.
    let checkbox = browser.execute("return document.getElementById('sidebar-toggle').tabIndex;");
    assert_eq!(checkbox.as_i64(), Some(-1));
}
