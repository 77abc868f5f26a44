//! Atom feeds of the changelog and the timeline, per language: well-formed XML (read by
//! Python's XML parser), one entry per change or event, in the feed's language, linked
//! from every page's head.

mod common;

use common::build_default_book;
use std::process::Command;

/// (the feed's `xml:lang`, its title, every entry as (id, title, updated, link)), as
/// Python's ElementTree reads the file: it fails on anything that is not well-formed.
fn read_feed(path: &std::path::Path) -> serde_json::Value {
    let script = r#"
import json, sys, xml.etree.ElementTree as ET
atom = '{http://www.w3.org/2005/Atom}'
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == atom + 'feed', root.tag
entries = [[e.findtext(atom + 'id'), e.findtext(atom + 'title'), e.findtext(atom + 'updated'),
            (e.find(atom + 'link').get('href') if e.find(atom + 'link') is not None else None)]
           for e in root.findall(atom + 'entry')]
print(json.dumps([root.get('{http://www.w3.org/XML/1998/namespace}lang'),
                  root.findtext(atom + 'title'), root.findtext(atom + 'updated'),
                  root.find(atom + 'author/' + atom + 'name').text, entries]))
"#;
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .expect("python3 reads the feed");
    assert!(
        output.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn count(text: &str, table: &str) -> usize {
    text.lines().filter(|line| line.trim() == table).count()
}

#[test]
fn the_changelog_and_the_timeline_have_an_atom_feed_per_language() {
    let (_out, site, _) = build_default_book(&[]);
    let data = common::default_book_root().join("content/data");
    let changes = count(
        &std::fs::read_to_string(data.join("changelog.toml")).unwrap(),
        "[[change]]",
    );
    let events = count(
        &std::fs::read_to_string(data.join("timeline.toml")).unwrap(),
        "[[event]]",
    );
    assert!(changes >= 3 && events >= 10);
    for (lang, feed, expected, title) in [
        (
            "fr",
            "changelog.xml",
            changes,
            "Le Plan Copenhague – Modifications du livre",
        ),
        (
            "en",
            "changelog.xml",
            changes,
            "The Copenhagen Initiative – Changes to the book",
        ),
        (
            "fr",
            "timeline.xml",
            events,
            "Le Plan Copenhague – Chronologie de la migration",
        ),
        (
            "en",
            "timeline.xml",
            events,
            "The Copenhagen Initiative – Timeline of the migration",
        ),
    ] {
        let parsed = read_feed(&site.join(lang).join(feed));
        assert_eq!(parsed[0], lang, "{lang}/{feed}: xml:lang");
        assert_eq!(parsed[1], title);
        assert_eq!(parsed[3], "6play platform team");
        let entries = parsed[4].as_array().unwrap();
        assert_eq!(entries.len(), expected, "{lang}/{feed}: one entry per item");
        let mut ids: Vec<&str> = entries.iter().map(|e| e[0].as_str().unwrap()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), expected, "{lang}/{feed}: ids are unique");
        let dates: Vec<&str> = entries.iter().map(|e| e[2].as_str().unwrap()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "newest first: {dates:?}"
        );
        assert!(
            dates
                .iter()
                .all(|date| date.len() == 20 && date.ends_with("T00:00:00Z"))
        );
        assert_eq!(
            parsed[2].as_str(),
            dates.first().copied(),
            "the feed's date is its newest entry's"
        );
        for entry in entries {
            let link = entry[3].as_str().unwrap();
            assert!(
                link.starts_with(&format!("https://plan-copenhague.example.org/{lang}/")),
                "{link}"
            );
            let page = link.trim_start_matches("https://plan-copenhague.example.org/");
            assert!(
                site.join(page).is_file(),
                "{lang}/{feed}: {link} is a page of the site"
            );
        }
    }
    let english = read_feed(&site.join("en/timeline.xml"));
    let titles: Vec<&str> = english[4]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[1].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"mid-February 2020 – The main back-office is migrated."),
        "{titles:?}"
    );
    let chapter = std::fs::read_to_string(site.join("en/chapters/02-platform.html")).unwrap();
    assert!(chapter.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Timeline of the migration\" href=\"../../en/timeline.xml\">"
    ));
}
