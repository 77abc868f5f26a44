//! `folio check`: every problem at once, with file and line, in each format.

mod common;

use common::Fixture;

/// The bilingual fixture with one instance of every kind of problem `check` reports.
fn book_with_every_problem() -> Fixture {
    let book = Fixture::copy("bilingual");
    book.edit("content/fr/SUMMARY.md", |summary| {
        summary.replace(
            "- [Du code](code.md)",
            "- [Du code](code.md)\n- [Absent](absent.md)",
        )
    });
    book.write("content/fr/orphan.md", "# Orpheline\n");
    book.write(
        "content/fr/code.md",
        "+++\ncolour = \"rouge\"\n+++\n# Du code\n\n\
         Un [lien](nowhere.md) et une [ancre](reseau.md#no-such-id).\n\n\
         ![Absente](images/missing.png)\n\n\
         Voir la [](#fig:none).\n\n\
         > [!DANGER]\n> Hmm.\n\n\
         {{#snippet nosuch:x.tf}}\n\n\
         ![Un](images/schema.svg \"Un\"){#fig:twice}\n\n\
         ![Deux](images/schema.svg \"Deux\"){#fig:twice}\n\n\
         ## Un {#meme}\n\n## Deux {#meme}\n\n\
         Un [détour](resau.md#ici) par une page mal nommée.\n",
    );
    book.write(
        "content/en/reseau.md",
        "+++\nsource-hash = \"0000000000000000\"\n+++\n# The network\n\n## Where we stand\n",
    );
    book
}

const EXPECTED: [(&str, &str, Option<u64>); 13] = [
    ("duplicate-id", "content/fr/code.md", Some(23)),
    // A link to a misspelt page: one problem, not a second for its anchor.
    ("broken-link", "content/fr/code.md", Some(25)),
    ("unknown-key", "content/fr/code.md", Some(2)),
    ("broken-link", "content/fr/code.md", Some(6)),
    ("broken-anchor", "content/fr/code.md", Some(6)),
    ("missing-image", "content/fr/code.md", Some(8)),
    ("missing-reference", "content/fr/code.md", Some(10)),
    ("unknown-aside", "content/fr/code.md", Some(12)),
    ("snippet", "content/fr/code.md", Some(15)),
    ("duplicate-id", "content/fr/code.md", None),
    ("missing-file", "content/fr/SUMMARY.md", Some(10)),
    ("unlisted-file", "content/fr/orphan.md", None),
    ("stale-translation", "content/en/reseau.md", None),
];

#[test]
fn every_problem_is_reported_once_with_file_and_line() {
    let book = book_with_every_problem();
    let run = book.folio(&["check", "--format", "json"]);
    assert_eq!(run.code(), Some(1), "{}", run.stdout);
    let problems: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let mut found: Vec<(String, String, Option<u64>)> = problems
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["file"].as_str().unwrap().to_string(),
                p["line"].as_u64(),
            )
        })
        .collect();
    let mut expected: Vec<(String, String, Option<u64>)> = EXPECTED
        .iter()
        .map(|(code, file, line)| (code.to_string(), file.to_string(), *line))
        .collect();
    found.sort();
    expected.sort();
    assert_eq!(found, expected, "{}", run.stdout);
    for problem in &problems {
        assert!(problem["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(
            problem["hint"].as_str().is_some_and(|h| !h.is_empty()),
            "{problem}"
        );
        assert!(matches!(
            problem["severity"].as_str(),
            Some("error" | "warning")
        ));
    }
    let misspelt = problems
        .iter()
        .find(|p| p["line"].as_u64() == Some(25))
        .unwrap();
    assert!(
        misspelt["hint"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `reseau.md`?"),
        "{misspelt}"
    );
    // Sorted by file, then line.
    let order: Vec<(String, u64)> = problems
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_string(),
                p["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn text_and_github_formats_carry_the_same_problems() {
    let book = book_with_every_problem();
    let text = book.folio(&["check"]);
    assert_eq!(text.code(), Some(1));
    assert!(
        text.stdout
            .contains("error[missing-file]: content/fr/SUMMARY.md:10:"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("warning[broken-anchor]: content/fr/code.md:6:"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.ends_with("5 error(s), 8 warning(s)\n"),
        "{}",
        text.stdout
    );
    let github = book.folio(&["check", "--format", "github"]);
    assert_eq!(github.stdout.lines().count(), EXPECTED.len());
    assert!(
        github
            .stdout
            .contains("::error file=content/fr/SUMMARY.md,line=10,title=missing-file::"),
        "{}",
        github.stdout
    );
    assert!(github.stdout.contains("::warning file=content/fr/code.md,line=8,title=missing-image::the image `images/missing.png` does not exist"), "{}", github.stdout);
}

#[test]
fn a_clean_book_passes_and_warnings_fail_only_when_denied() {
    let book = Fixture::copy("bilingual");
    let run = book.folio(&["check", "--deny-warnings"]);
    assert_eq!(run.code(), Some(0), "{}", run.stdout);
    assert_eq!(run.stdout, "0 error(s), 0 warning(s)\n");
    book.write("content/fr/orphan.md", "# Orpheline\n");
    assert_eq!(book.folio(&["check"]).code(), Some(0));
    assert_eq!(book.folio(&["check", "--deny-warnings"]).code(), Some(1));
    assert!(!book.path("book").exists(), "check writes nothing");
}

#[test]
fn translation_severities_come_from_book_toml() {
    let book = Fixture::copy("bilingual");
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[check]\nmissing-translation = \"error\"\n",
    );
    let run = book.folio(&["check"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stdout
            .contains("error[missing-translation]: content/en/SUMMARY.md: `seul.md` (en)"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_default_book_passes_check_with_warnings_denied() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = common::Run::from_command(
        std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["check", "--deny-warnings"])
            .arg(root),
    );
    assert!(run.success(), "{}", run.stdout);
}

#[test]
fn external_links_are_fetched_only_when_asked() {
    let served = Fixture::empty();
    served.write("ok.html", "fine");
    let (_server, base) = common::browser::serve_directory(served.root());
    let book = Fixture::copy("bilingual");
    book.write(
        "content/fr/code.md",
        format!(
            "# Du code\n\nUn [bon lien]({base}/ok.html).\n\nUn [lien mort]({base}/missing.html).\n"
        ),
    );
    let offline = book.folio(&["check", "--deny-warnings"]);
    assert!(
        offline.success(),
        "no fetching by default: {}",
        offline.stdout
    );
    let online = book.folio(&["check", "--external"]);
    assert!(online.stdout.contains(&format!("warning[broken-external-link]: content/fr/code.md:5: `{base}/missing.html`: answered 404")), "{}", online.stdout);
    assert!(!online.stdout.contains("ok.html"), "{}", online.stdout);
}

/// A server on loopback answering every request with a redirect to `location`.
fn redirecting_server(location: &'static str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut head = [0u8; 4096];
            let _ = std::io::Read::read(&mut stream, &mut head);
            let _ = std::io::Write::write_all(
                &mut stream,
                format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
            );
        }
    });
    base
}

#[test]
fn a_redirect_to_another_scheme_is_a_broken_link() {
    // ureq took `file:///etc/passwd` for a path on the same server, and the link passed.
    let to_file = redirecting_server("file:///etc/passwd");
    let served = Fixture::empty();
    served.write("ok.html", "fine");
    let (_server, base) = common::browser::serve_directory(served.root());
    let book = Fixture::copy("bilingual");
    book.write(
        "content/fr/code.md",
        format!("# Du code\n\nUn [lien]({to_file}/page).\n\nUn [bon lien]({base}/ok.html).\n"),
    );
    let online = book.folio(&["check", "--external"]);
    assert!(
        online.stdout.contains(&format!(
            "warning[broken-external-link]: content/fr/code.md:3: `{to_file}/page`: leads to `file:///etc/passwd`, a `file:` address that a web page cannot open"
        )),
        "{}",
        online.stdout
    );
    assert!(!online.stdout.contains("ok.html"), "{}", online.stdout);
}
