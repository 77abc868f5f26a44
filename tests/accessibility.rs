//! Accessibility as measured by axe-core (npm `axe-core`, injected into real Chromium
//! over WebDriver): no serious or critical violation on the default book's landing
//! pages, a chapter with code and footnotes, search results, the timeline, the runbook
//! board and a runbook page, in both languages and both colour themes.

mod common;

use common::browser::default_book_in_browser;
use std::path::PathBuf;

/// axe-core as `.ci/run` installs it.
fn axe_script() -> String {
    let path = PathBuf::from(std::env::var("HOME").unwrap())
        .join(".cache/folio-axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "axe-core is not installed at {} (.ci/run installs it: npm install --prefix ~/.cache/folio-axe axe-core)",
            path.display()
        )
    })
}

/// The pages measured, relative to a language's root.
const PAGES: [&str; 6] = [
    "index.html",
    "chapters/02-platform.html",
    "chapters/05-aws-setup.html?q=terraform",
    "appendices/timeline.html",
    "runbooks/index.html",
    "runbooks/time-api.html",
];

#[test]
fn axe_finds_no_serious_violation_in_either_language_or_theme() {
    let site = default_book_in_browser();
    let (base, browser) = (&site.base, &site.browser);
    let axe = axe_script();
    let mut measured = 0;
    let mut problems = Vec::new();
    for theme in ["light", "dark"] {
        browser.open(&format!("{base}/index.html"));
        browser.execute(&format!(
            "localStorage.setItem('folio-theme', '{theme}'); return null;"
        ));
        let mut urls = vec![format!("{base}/index.html")];
        for language in ["fr", "en"] {
            urls.extend(PAGES.iter().map(|page| format!("{base}/{language}/{page}")));
        }
        for url in urls {
            browser.open(&url);
            browser.find("main");
            if url.contains("?q=") {
                browser.wait_until("search results", || {
                    browser.execute("return document.querySelectorAll('.search-result').length;")
                        != 0
                });
            }
            assert_eq!(
                browser.execute("return document.documentElement.dataset.theme;"),
                theme
            );
            browser.execute(&format!("{axe}\nreturn null;"));
            let violations = browser.execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(result => done(
                   result.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)
                       .map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' ')).join(' | '))));",
            );
            let violations: Vec<String> = serde_json::from_value(violations).unwrap();
            measured += 1;
            problems.extend(
                violations
                    .into_iter()
                    .map(|violation| format!("{url} [{theme}]: {violation}")),
            );
        }
    }
    assert_eq!(measured, 26);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
