//! What a link preview, a search engine and a browser tab get from a page: its own
//! description, OpenGraph and Twitter tags, an absolute canonical URL, a favicon.

mod common;

use common::build_default_book;

fn meta(html: &str, attribute: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("<meta {attribute}=\"{name}\" content=\""))?;
    let rest = &html[start..];
    let value = rest.split("content=\"").nth(1)?;
    Some(value[..value.find('"')?].to_string())
}

#[test]
fn every_page_has_its_own_description_and_preview_tags() {
    let (_out, site, _) = build_default_book(&[]);
    let chapter = std::fs::read_to_string(site.join("fr/chapters/02-platform.html")).unwrap();
    let description = meta(&chapter, "name", "description").expect("a description");
    assert!(
        description.starts_with("Avant de parler de Cloud, il faut dire d’où nous partions"),
        "the page's first paragraph, not the book's description: {description}"
    );
    assert!(description.chars().count() <= 160);
    assert_eq!(
        meta(&chapter, "property", "og:description").as_deref(),
        Some(description.as_str())
    );
    assert_eq!(
        meta(&chapter, "property", "og:type").as_deref(),
        Some("article")
    );
    assert_eq!(
        meta(&chapter, "property", "og:title").as_deref(),
        Some("Notre plateforme, notre projet")
    );
    assert_eq!(
        meta(&chapter, "property", "og:url").as_deref(),
        Some("https://plan-copenhague.example.org/fr/chapters/02-platform.html")
    );
    assert_eq!(
        meta(&chapter, "name", "twitter:card").as_deref(),
        Some("summary")
    );
    let other =
        std::fs::read_to_string(site.join("fr/chapters/03-discovering-cloud.html")).unwrap();
    assert_ne!(meta(&other, "name", "description"), Some(description));

    let landing = std::fs::read_to_string(site.join("fr/index.html")).unwrap();
    assert_eq!(
        meta(&landing, "property", "og:type").as_deref(),
        Some("website")
    );
    assert_eq!(
        meta(&landing, "property", "og:title").as_deref(),
        Some("Le Plan Copenhague")
    );

    for page in [
        "index.html",
        "fr/index.html",
        "fr/chapters/02-platform.html",
        "404.html",
    ] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(
            html.contains("<link rel=\"icon\" href=\"data:image/svg+xml,"),
            "{page}: a favicon, not a 404"
        );
    }
    let root = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        root.contains(
            "<link rel=\"canonical\" href=\"https://plan-copenhague.example.org/fr/index.html\">"
        ),
        "the root page's canonical is absolute: {root}"
    );
}

#[test]
fn pages_link_the_print_page_and_say_page_not_chapter() {
    let (_out, site, _) = build_default_book(&[]);
    let runbook = std::fs::read_to_string(site.join("fr/runbooks/time-api.html")).unwrap();
    assert!(
        runbook.contains("<a class=\"icon-button\" href=\"../../fr/print.html\" title=\"Imprimer ou lire le livre en une page\""),
        "a way to the print page from every page"
    );
    assert!(site.join("fr/print.html").is_file());
    // A runbook or an appendix is a page, not a chapter.
    assert!(runbook.contains("Page précédente") && runbook.contains("Page suivante"));
    assert!(!runbook.contains("Chapitre suivant"));
}
