//! What the print page, the PDF and the EPUB hold besides the chapters' text: the
//! runbook cards, one list for the chapters not translated yet, nothing to click, and
//! the EPUB's cover, description and accessibility metadata. One build of the default
//! book serves every test here.

mod common;

use common::build_default_book;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The default book built once (with its PDFs: WeasyPrint is installed by `.ci/run`).
fn site() -> &'static Path {
    static SITE: OnceLock<(common::Fixture, PathBuf)> = OnceLock::new();
    let (_, site) = SITE.get_or_init(|| {
        let (out, site, _) = build_default_book(&[]);
        (out, site)
    });
    site
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(site().join(relative)).unwrap()
}

fn epub_entry(relative: &str, name: &str) -> Option<String> {
    let file = std::fs::File::open(site().join(relative)).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    archive.by_name(name).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

fn epub_names(relative: &str) -> Vec<String> {
    let file = std::fs::File::open(site().join(relative)).unwrap();
    let archive = zip::ZipArchive::new(file).unwrap();
    archive
        .file_names()
        .filter_map(Result::ok)
        .map(|name| name.into_owned())
        .collect()
}

fn pdf_text(relative: &str) -> String {
    let output = Command::new("pdftotext")
        .arg(site().join(relative))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const FRENCH_EPUB: &str = "fr/le-plan-copenhague.epub";
const ENGLISH_EPUB: &str = "en/the-copenhagen-initiative.epub";

#[test]
fn runbook_cards_are_in_the_print_page_the_epub_and_the_pdf() {
    let print = read("fr/print.html");
    let card_start = print
        .find("<section class=\"runbook-card runbook-cloud\"")
        .expect("the time API's card in the print page");
    let card = &print[card_start..card_start + print[card_start..].find("</section>").unwrap()];
    for field in [
        "<dt>Équipe</dt><dd>Plateforme</dd>",
        "<dt>Astreinte</dt><dd>astreinte-time-api@example.org</dd>",
        "Kubernetes prod5, AWS eu-west-3",
        "Taux d’erreurs 5xx au-dessus de 1",
    ] {
        assert!(card.contains(field), "{field} in the print card:\n{card}");
    }
    assert!(
        card.contains("href=\"#c"),
        "the card's links lead into the print page"
    );
    let page = epub_entry(FRENCH_EPUB, "OEBPS/runbooks/time-api.xhtml").unwrap();
    assert!(page.contains("<section class=\"runbook-card runbook-cloud\""));
    assert!(page.contains("<dt>Astreinte</dt><dd>astreinte-time-api@example.org</dd>"));
    let pdf = pdf_text("fr/le-plan-copenhague.pdf");
    for field in [
        "astreinte-time-api@example.org",
        "Kubernetes prod5, AWS eu-west-3",
        "Taux d’erreurs 5xx au-dessus de 1",
    ] {
        assert!(pdf.contains(field), "{field} in the PDF's text");
    }
}

#[test]
fn untranslated_chapters_are_one_list_in_the_translation_s_publications() {
    let print = read("en/print.html");
    assert!(
        !print.contains("has not been translated yet"),
        "no notice page per untranslated chapter"
    );
    assert_eq!(
        print
            .matches("<h1 class=\"chapter-title\">Not yet translated</h1>")
            .count(),
        1
    );
    assert!(print.contains("<li>8 The beginning of the problems</li>"));
    let list_anchor = print
        .split("<section class=\"chapter status-not_translated\" id=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the list is a chapter of the print page")
        .to_string();
    assert!(
        print.contains(&format!("href=\"#{list_anchor}\"")),
        "links to an untranslated chapter lead to the list"
    );
    assert!(!print.contains("08-problems.html"));

    let names = epub_names(ENGLISH_EPUB);
    assert!(names.contains(&"OEBPS/not-translated.folio.xhtml".to_string()));
    assert!(
        !names.iter().any(|name| name.contains("chapters/08-")),
        "no file per untranslated chapter: {names:?}"
    );
    let navigation = epub_entry(ENGLISH_EPUB, "OEBPS/nav.xhtml").unwrap();
    assert!(navigation.contains("href=\"not-translated.folio.xhtml\">Not yet translated</a>"));
    let timeline = epub_entry(ENGLISH_EPUB, "OEBPS/appendices/timeline.xhtml").unwrap();
    assert!(timeline.contains("href=\"../not-translated.folio.xhtml\""));

    let pdf = pdf_text("en/the-copenhagen-initiative.pdf");
    assert!(!pdf.contains("has not been translated yet"));
    assert!(pdf.contains("Not yet translated"));
    assert!(pdf.contains("These chapters exist only in the original"));
}

#[test]
fn print_and_epub_have_nothing_to_click() {
    let print = read("fr/print.html");
    let timeline = epub_entry(FRENCH_EPUB, "OEBPS/appendices/timeline.xhtml").unwrap();
    let board = epub_entry(FRENCH_EPUB, "OEBPS/runbooks/index.xhtml").unwrap();
    for (name, html) in [
        ("print", &print),
        ("timeline", &timeline),
        ("board", &board),
    ] {
        assert!(!html.contains("<button"), "a button in the {name}");
        assert!(
            !html.contains("timeline-filter"),
            "the filter in the {name}"
        );
        assert!(!html.contains("data-interactive"), "{name}");
    }
    assert!(
        timeline.contains("<span class=\"tag tag-migration\">migration</span> <span class=\"tag tag-team\">équipe</span>"),
        "tags are apart without a stylesheet"
    );
    assert!(
        board.contains(
            "<th scope=\"col\" data-sort=\"number\" title=\"Trier par cette colonne\">Trafic dans le Cloud</th>"
        ),
        "a sort button becomes its label"
    );
    assert!(
        read("fr/appendices/timeline.html").contains("<button type=\"button\" class=\"tag-filter"),
        "the site keeps its filter"
    );
}

#[test]
fn the_epub_has_a_cover_a_description_and_accessibility_metadata() {
    for (epub, title) in [
        (FRENCH_EPUB, "Le Plan Copenhague"),
        (ENGLISH_EPUB, "The Copenhagen Initiative"),
    ] {
        let package = epub_entry(epub, "OEBPS/content.opf").unwrap();
        assert!(package.contains(
            "<item id=\"cover-image\" href=\"cover.svg\" media-type=\"image/svg+xml\" properties=\"cover-image\"/>"
        ));
        assert!(package.contains("<spine>\n<itemref idref=\"cover\"/>"));
        assert!(package.contains("<dc:description>"));
        for property in [
            "<meta property=\"schema:accessMode\">textual</meta>",
            "<meta property=\"schema:accessModeSufficient\">textual</meta>",
            "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>",
            "<meta property=\"schema:accessibilityHazard\">none</meta>",
            "<meta property=\"schema:accessibilitySummary\">",
        ] {
            assert!(package.contains(property), "{property} in {epub}");
        }
        let cover = epub_entry(epub, "OEBPS/cover.svg").unwrap();
        let first_word = title.split(' ').next().unwrap();
        assert!(cover.contains(&format!(">{first_word} ")), "{cover}");
        assert!(!cover.contains("class="), "the cover needs no stylesheet");
        let cover_page = epub_entry(epub, "OEBPS/cover.xhtml").unwrap();
        assert!(cover_page.contains(&format!("alt=\"{title}, 6play platform team\"")));
    }
}

#[test]
fn every_epub_type_has_its_aria_role() {
    let roles = [
        ("noteref", "doc-noteref"),
        ("endnotes", "doc-endnotes"),
        ("toc", "doc-toc"),
        ("cover", "doc-cover"),
    ];
    for epub in [FRENCH_EPUB, ENGLISH_EPUB] {
        let mut seen = 0;
        for name in epub_names(epub)
            .iter()
            .filter(|name| name.ends_with(".xhtml"))
        {
            let page = epub_entry(epub, name).unwrap();
            for tag in page.split('<').filter(|tag| tag.contains("epub:type=\"")) {
                let kind = tag
                    .split("epub:type=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                let role = roles
                    .iter()
                    .find(|(known, _)| *known == kind)
                    .unwrap_or_else(|| panic!("epub:type `{kind}` has no role in this test"))
                    .1;
                assert!(
                    tag.contains(&format!("role=\"{role}\"")),
                    "{name}: <{tag}> needs role=\"{role}\""
                );
                seen += 1;
            }
        }
        assert!(seen > 10, "{seen} epub:type attributes in {epub}");
    }
}

/// The classes `svg` uses that no `<style>` inside it defines.
fn classes_needing_a_stylesheet(svg: &str) -> Vec<String> {
    let own_style: String = svg
        .split("<style")
        .skip(1)
        .filter_map(|rest| rest.split("</style>").next())
        .collect();
    svg.split(" class=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .flat_map(str::split_whitespace)
        .filter(|class| !own_style.contains(&format!(".{class}")))
        .map(str::to_string)
        .collect()
}

/// Every `<svg>...</svg>` in `html`.
fn inline_svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg")
        .map(|(start, _)| {
            let end = html[start..]
                .find("</svg>")
                .map_or(html.len(), |end| start + end + 6);
            &html[start..end]
        })
        .collect()
}

#[test]
fn every_svg_of_the_publications_carries_its_own_styles() {
    let mut svgs = 0;
    for print in ["fr/print.html", "en/print.html"] {
        for svg in inline_svgs(&read(print)) {
            assert!(
                classes_needing_a_stylesheet(svg).is_empty(),
                "{print}: {svg}"
            );
            svgs += 1;
        }
    }
    for epub in [FRENCH_EPUB, ENGLISH_EPUB] {
        for name in epub_names(epub) {
            let text = match epub_entry(epub, &name) {
                Some(text) if name.ends_with(".svg") => vec![text],
                Some(text) if name.ends_with(".xhtml") => {
                    inline_svgs(&text).into_iter().map(str::to_string).collect()
                }
                _ => continue,
            };
            for svg in text {
                let missing = classes_needing_a_stylesheet(&svg);
                assert!(
                    missing.is_empty(),
                    "{epub} {name}: classes {missing:?} need the site's CSS"
                );
                svgs += 1;
            }
        }
    }
    assert!(svgs >= 8, "{svgs} SVGs checked");
}

#[test]
fn the_dependency_graph_s_labels_are_text_in_the_pdf_and_the_epub() {
    let graph = epub_entry(FRENCH_EPUB, "OEBPS/runbooks/index.xhtml").unwrap();
    let graph = inline_svgs(&graph)[0].to_string();
    for label in [
        "API du catalogue",
        "Back-offices",
        "Fronts web",
        "en migration",
    ] {
        assert!(graph.contains(label), "{label} in the EPUB's graph");
    }
    assert!(
        graph.contains("font-size=\"16\""),
        "labels at body-text size"
    );
    let pdf = pdf_text("fr/le-plan-copenhague.pdf");
    // The graph's text: between the sentence before it and its caption.
    let start = pdf
        .find("Les flèches vont")
        .expect("the sentence before the graph");
    let end = start
        + pdf[start..]
            .find("Qui appelle qui")
            .expect("the graph's caption");
    let drawn = &pdf[start..end];
    for label in [
        "API du catalogue",
        "Back-offices",
        "Fronts web",
        "en migration",
        "dans le Cloud",
    ] {
        assert!(
            drawn.contains(label),
            "{label} in the PDF's graph:\n{drawn}"
        );
    }
}

/// WCAG's contrast ratio of two `#rrggbb` colours.
fn contrast(a: &str, b: &str) -> f64 {
    let rgb = |hex: &str| {
        [1, 3, 5].map(|at| f64::from(u8::from_str_radix(&hex[at..at + 2], 16).unwrap()))
    };
    common::contrast_ratio(rgb(a), rgb(b))
}

#[test]
fn every_text_colour_of_the_epub_stylesheet_reads_at_4_5_to_1() {
    let css = epub_entry(FRENCH_EPUB, "OEBPS/style/book.css").unwrap();
    // The light palette (what a reading system without dark mode shows) and every
    // `color:`; the dark palette is only used on a dark background.
    let light = css.split("[data-theme=\"dark\"]").next().unwrap();
    let mut colours: Vec<String> = light
        .split("--hl-")
        .skip(1)
        .filter_map(|rest| {
            rest.split_once(": #")
                .map(|(_, value)| format!("#{}", &value[..6]))
        })
        .collect();
    // Every `color:` declaration (not `border-color`, `background-color`).
    colours.extend(
        css.split(['{', ';'])
            .filter_map(|declaration| declaration.trim().strip_prefix("color: #"))
            .map(|value| {
                let digits: String = value.chars().take_while(char::is_ascii_hexdigit).collect();
                match digits.len() {
                    3 => digits
                        .chars()
                        .flat_map(|digit| [digit, digit])
                        .collect::<String>(),
                    _ => digits[..6].to_string(),
                }
            })
            .map(|digits| format!("#{digits}")),
    );
    assert!(colours.len() >= 10, "{colours:?}");
    // Text sits on white, on code blocks' #f4f4f1 or on an aside's tint.
    for background in ["#ffffff", "#f4f4f1", "#fbf4ec", "#f3f6fa", "#f6f2fc"] {
        for colour in &colours {
            let ratio = contrast(colour, background);
            assert!(ratio >= 4.5, "{colour} on {background}: {ratio:.2}:1");
        }
    }
}

/// Ace by DAISY: `ace-puppeteer`, installed by `.ci/run` (npm `@daisy/ace`, its
/// Electron download skipped), running the Debian Chromium.
fn ace() -> std::path::PathBuf {
    let installed = std::env::var_os("FOLIO_ACE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap())
                .join(".cache/folio-ace/node_modules/.bin/ace-puppeteer")
        });
    assert!(
        installed.is_file(),
        "Ace is not installed at {} (.ci/run installs it: npm install --prefix ~/.cache/folio-ace --ignore-scripts @daisy/ace)",
        installed.display()
    );
    installed
}

#[test]
fn ace_by_daisy_finds_no_violation_in_either_epub() {
    let ace = ace();
    let reports = tempfile::tempdir().unwrap();
    for epub in [FRENCH_EPUB, ENGLISH_EPUB] {
        let out = reports.path().join(epub.replace('/', "-"));
        let run = Command::new(&ace)
            .env("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
            .arg("--silent")
            .arg("--outdir")
            .arg(&out)
            .arg(site().join(epub))
            .output()
            .unwrap();
        let report = std::fs::read_to_string(out.join("report.json")).unwrap_or_else(|_| {
            panic!(
                "Ace wrote no report for {epub}: {}",
                String::from_utf8_lossy(&run.stderr)
            )
        });
        let report: serde_json::Value = serde_json::from_str(&report).unwrap();
        let mut violations = Vec::new();
        for document in report["assertions"].as_array().unwrap() {
            for check in document["assertions"].as_array().into_iter().flatten() {
                if check["earl:result"]["earl:outcome"] == "fail" {
                    violations.push(format!(
                        "{} {} ({}): {}",
                        document["earl:testSubject"]["url"],
                        check["earl:test"]["dct:title"],
                        check["earl:test"]["earl:impact"],
                        check["earl:result"]["html"]
                            .as_str()
                            .unwrap_or_default()
                            .chars()
                            .take(120)
                            .collect::<String>()
                    ));
                }
            }
        }
        assert!(
            violations.is_empty(),
            "{epub}: {} violations:\n{}",
            violations.len(),
            violations.join("\n")
        );
    }
}
