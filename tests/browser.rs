//! What a reader sees, checked in real headless Chromium: a probe script added to the
//! fixture book through `[output.html] additional-js` measures the rendered page and
//! writes its findings into the DOM, which Chromium dumps.

mod common;

use common::Fixture;
use std::process::Command;

const PROBE: &str = r#"
window.addEventListener("load", function () {
  var out = {};
  var sidebar = document.querySelector(".sidebar").getBoundingClientRect();
  out.sidebarVisible = sidebar.right > 0 && sidebar.width > 0;
  var keyword = document.querySelector(".hl-storage");
  out.keywordColour = getComputedStyle(keyword).color;
  out.textColour = getComputedStyle(document.body).color;
  out.lightBackground = getComputedStyle(document.body).backgroundColor;
  document.getElementById("theme-toggle").click();
  out.theme = document.documentElement.dataset.theme;
  out.darkBackground = getComputedStyle(document.body).backgroundColor;
  out.noHorizontalScroll = document.documentElement.scrollWidth <= window.innerWidth;
  document.body.setAttribute("data-probe", JSON.stringify(out));
});
"#;

fn chromium_dom(url: &str, width: u32) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={width},900"))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("Chromium is needed for browser tests: apt-get install chromium (.ci/run does)");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn probe(dom: &str) -> String {
    let start = dom
        .find("data-probe=\"")
        .expect("the probe ran in Chromium")
        + 12;
    let end = start + dom[start..].find('"').unwrap();
    dom[start..end].replace("&quot;", "\"")
}

#[test]
fn a_reader_sees_highlighting_both_themes_and_a_layout_that_fits_a_phone() {
    let book = Fixture::copy("bilingual");
    book.write("probe.js", PROBE);
    book.edit("book.toml", |config| {
        config.replace(
            "[language.fr]",
            "[output.html]\nadditional-js = [\"probe.js\"]\n\n[language.fr]",
        )
    });
    book.build();
    let url = format!("file://{}", book.path("book/fr/code.html").display());

    let desktop = probe(&chromium_dom(&url, 1280));
    assert!(desktop.contains(r#""sidebarVisible":true"#), "{desktop}");
    assert!(desktop.contains(r#""theme":"dark""#), "{desktop}");
    assert!(
        desktop.contains(r#""noHorizontalScroll":true"#),
        "{desktop}"
    );
    let field = |name: &str| {
        let start = desktop.find(&format!("\"{name}\":\"")).unwrap() + name.len() + 4;
        desktop[start..start + desktop[start..].find('"').unwrap()].to_string()
    };
    assert_ne!(
        field("keywordColour"),
        field("textColour"),
        "keywords are coloured"
    );
    assert_ne!(
        field("lightBackground"),
        field("darkBackground"),
        "the dark theme changes the page"
    );

    let phone = probe(&chromium_dom(&url, 400));
    assert!(
        phone.contains(r#""sidebarVisible":false"#),
        "the sidebar folds away on a phone: {phone}"
    );
    assert!(phone.contains(r#""noHorizontalScroll":true"#), "{phone}");
}
