//! The theme as a reader sees it in real Chromium: the dark colours reach every part
//! (status badges, the search box, asides, also when "auto" follows a dark system), and
//! on a phone a table wider than the screen says it scrolls.

mod common;

use common::browser::{Browser, default_book_in_browser};

/// WCAG's relative luminance, from 0 (black) to 1 (white).
fn luminance(rgb: [f64; 3]) -> f64 {
    // The contrast ratio with black is (L + 0.05) / 0.05.
    common::contrast_ratio(rgb, [0.0, 0.0, 0.0]) * 0.05 - 0.05
}

const DARK_PARTS: [&str; 6] = [
    ".status-cloud",
    ".status-migrating",
    "#search-input",
    ".runbook-board th",
    "main p",
    ".topbar",
];

#[test]
fn dark_mode_reaches_badges_and_the_search_box_whether_chosen_or_from_the_system() {
    let site = default_book_in_browser();
    let (base, browser) = (&site.base, &site.browser);
    let board = format!("{base}/fr/runbooks/index.html");
    browser.open(&board);
    browser.execute("localStorage.setItem('folio-theme', 'dark'); return null;");
    browser.open(&board);
    browser.find(".runbook-board");
    let chosen = browser.colours(&DARK_PARTS);
    // The book's theme is "auto": a dark system gets the same colours (emulated
    // through Chromium's DevTools, the `prefers-color-scheme` a dark desktop reports).
    browser.execute("localStorage.removeItem('folio-theme'); return null;");
    browser.emulate_dark_system();
    browser.open(&board);
    browser.find(".runbook-board");
    assert_eq!(
        browser.execute("return [document.documentElement.dataset.theme, matchMedia('(prefers-color-scheme: dark)').matches];"),
        serde_json::json!(["auto", true])
    );
    let from_system = browser.colours(&DARK_PARTS);
    assert_eq!(
        chosen, from_system,
        "auto on a dark system is the dark theme"
    );
    for (css, text, background) in chosen {
        assert!(
            luminance(background) < 0.1,
            "{css}: a light background in dark mode ({background:?})"
        );
        let ratio = common::contrast_ratio(text, background);
        assert!(
            ratio >= 4.5,
            "{css}: {ratio:.2}:1 ({text:?} on {background:?})"
        );
    }
    // The placeholder too: not the browser's grey on a dark field.
    let placeholder = browser.execute(
        "return getComputedStyle(document.getElementById('search-input'), '::placeholder').color;",
    );
    assert_ne!(placeholder, "rgb(117, 117, 117)", "{placeholder}");
}

#[test]
fn a_table_wider_than_a_phone_says_it_scrolls_and_a_desktop_shows_no_hint() {
    let site = default_book_in_browser();
    let (base, browser) = (&site.base, &site.browser);
    let board = format!("{base}/en/runbooks/index.html");
    let state = |browser: &Browser| {
        browser.execute(
            "const table = document.querySelector('.runbook-board');
             const hint = table.previousElementSibling;
             return [table.scrollWidth > table.clientWidth, table.classList.contains('scrolls'),
                     hint && hint.classList.contains('scroll-hint') ? hint.textContent : null,
                     hint && hint.getBoundingClientRect().height > 0];",
        )
    };
    browser.resize(390, 844);
    browser.open(&board);
    browser.find(".runbook-board");
    let phone = state(browser);
    assert_eq!(phone[0], true, "the board is wider than a phone: {phone}");
    assert_eq!(phone[1], true, "{phone}");
    assert!(
        phone[2]
            .as_str()
            .unwrap_or_default()
            .contains("scroll it sideways"),
        "{phone}"
    );
    assert_eq!(phone[3], true, "the hint shows: {phone}");
    // Turning to a desktop width takes the hint away.
    browser.resize(1280, 900);
    browser.wait_until("no hint on a desktop", || state(browser)[2].is_null());
    assert_eq!(state(browser)[1], false);
}
