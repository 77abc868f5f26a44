//! `folio serve` as a real process on a free loopback port, driven by a real HTTP client.

mod common;

use common::Fixture;
use common::browser::{Browser, free_port};
use common::server::{Server, next_event};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn raw_request(base: &str, target: &str) -> (String, String) {
    let mut stream = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    stream
        .write_all(
            format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default().to_string();
    (status, response)
}

#[test]
fn an_edit_is_served_and_announced_to_the_page() {
    let book = Fixture::copy("bilingual");
    let server = Server::start(&book);
    let (status, content_type, body) = server.get("/fr/reseau.html");
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/html; charset=utf-8")
    );
    assert!(
        body.contains("<script src=\"/__folio/live.js\" data-generation=\"1\" defer></script>")
    );
    assert!(server.get("/__folio/live.js").2.contains("EventSource"));
    let events = server.events();
    book.write(
        "content/fr/reseau.md",
        book.read("content/fr/reseau.md") + "\nUn paragraphe ajouté en direct.\n",
    );
    let (name, data) = next_event(&events);
    assert_eq!(name, "reload");
    assert!(data.contains("\"/fr/reseau.html\""), "{data}");
    assert!(
        !data.contains("/fr/code.html"),
        "only the edited page changed: {data}"
    );
    assert!(
        server
            .get("/fr/reseau.html")
            .2
            .contains("Un paragraphe ajouté en direct.")
    );
}

#[test]
fn a_title_edit_reloads_every_page_when_the_contents_are_shared() {
    let book = Fixture::copy("bilingual");
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[output.html]\ntoc-inline-max = 1\n",
    );
    let server = Server::start(&book);
    assert!(server.get("/fr/toc.js").2.contains("Du code"));
    let events = server.events();
    book.write(
        "content/fr/SUMMARY.md",
        book.read("content/fr/SUMMARY.md")
            .replace("[Du code]", "[Du code renommé]"),
    );
    let (name, data) = next_event(&events);
    assert_eq!(name, "reload");
    assert!(data.contains("\"all\":true"), "{data}");
    assert!(server.get("/fr/toc.js").2.contains("Du code renommé"));
}

#[test]
fn the_contents_are_rendered_again_when_a_heading_changes_and_only_then() {
    let book = Fixture::copy("bilingual");
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[output.html]\ntoc-inline-max = 1\n",
    );
    let server = Server::start(&book);
    let landing = server.get("/fr/index.html").2;
    let contents = server.get("/fr/toc.js").2;
    let events = server.events();
    let page = book.read("content/fr/seul.md");
    book.write(
        "content/fr/seul.md",
        format!("{page}\nUne phrase de plus.\n"),
    );
    let (name, data) = next_event(&events);
    assert_eq!(name, "reload");
    assert!(
        data.contains("/fr/seul.html") && data.contains("\"all\":false"),
        "{data}"
    );
    assert!(
        server
            .get("/fr/seul.html")
            .2
            .contains("Une phrase de plus.")
    );
    // Served pages carry the build generation; the rest must be the same bytes.
    let without_generation = |html: String| {
        regex::Regex::new(r#"data-generation="\d+""#)
            .unwrap()
            .replace(&html, "")
            .into_owned()
    };
    assert!(
        without_generation(server.get("/fr/index.html").2) == without_generation(landing),
        "text only: the landing page is kept"
    );
    assert!(
        server.get("/fr/toc.js").2 == contents,
        "and the contents script"
    );

    book.write(
        "content/fr/seul.md",
        format!("{page}\n## Une section neuve\n"),
    );
    let (name, _) = next_event(&events);
    assert_eq!(name, "reload");
    assert!(server.get("/fr/index.html").2.contains("Une section neuve"));
    assert!(server.get("/fr/seul.html").2.contains("Une section neuve"));
}

#[test]
fn a_broken_edit_shows_an_overlay_and_the_fix_clears_it() {
    let book = Fixture::copy("bilingual");
    let server = Server::start(&book);
    let events = server.events();
    let good = book.read("content/fr/code.md");
    book.write("content/fr/code.md", "+++\nwritten = \n+++\n# Du code\n");
    let (name, data) = next_event(&events);
    assert_eq!(name, "errors");
    assert!(data.contains("content/fr/code.md:2"), "{data}");
    // Every page now carries the overlay, and the other pages still work.
    let (status, _, body) = server.get("/fr/reseau.html");
    assert_eq!(status, 200);
    assert!(body.contains("<div id=\"folio-error-overlay\"><strong>Build failed</strong><ul><li><code>content/fr/code.md:2</code>"), "{body}");
    assert!(body.contains("Le réseau"));
    assert!(
        server.get("/fr/code.html").2.contains("hl-terraform"),
        "the last good version of the broken page is served"
    );
    assert!(
        server
            .get("/__folio/status")
            .2
            .contains("content/fr/code.md:2")
    );
    book.write("content/fr/code.md", good);
    let (name, _) = next_event(&events);
    assert_eq!(name, "reload");
    assert!(
        !server
            .get("/fr/reseau.html")
            .2
            .contains("folio-error-overlay\">")
    );
    assert_eq!(server.get("/__folio/status").2, "{\"errors\":[]}");
}

#[test]
fn a_book_broken_at_start_is_served_once_fixed() {
    let book = Fixture::copy("bilingual");
    let good = book.read("book.toml");
    book.write("book.toml", format!("{good}\n[book\n"));
    let server = Server::start(&book);
    assert!(
        server.get("/__folio/status").2.contains("book.toml"),
        "the error is reported"
    );
    // Nothing of the book loaded, so serve watches its whole directory.
    book.write("book.toml", &good);
    server.wait_for("/fr/reseau.html", "the fixed book", |body| {
        body.contains("Le réseau")
    });
}

#[test]
fn a_named_pipe_added_to_the_book_is_reported_and_serve_keeps_going() {
    let book = Fixture::copy("bilingual");
    let server = Server::start(&book);
    let pipe = book.path("content/fr/images/pipe.png");
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    let status = server.wait_for("/__folio/status", "the pipe reported", |body| {
        body.contains("content/fr/images/pipe.png")
    });
    assert!(status.contains("not a regular file"), "{status}");
    assert_eq!(
        server.get("/fr/reseau.html").0,
        200,
        "pages are still served"
    );
    std::fs::remove_file(&pipe).unwrap();
    server.wait_for("/__folio/status", "the error cleared", |body| {
        body == "{\"errors\":[]}"
    });
    // The rebuild loop is not wedged: an edit still shows.
    book.edit("content/fr/reseau.md", |page| {
        format!("{page}\nUne ligne de plus.\n")
    });
    server.wait_for("/fr/reseau.html", "the edit", |body| {
        body.contains("Une ligne de plus.")
    });
}

/// Sends `request` as it is and reads the whole answer, within 5 s.
fn exchange(base: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn only_local_host_names_are_answered_so_a_rebinding_page_reads_nothing() {
    let book = Fixture::copy("bilingual");
    let server = Server::start(&book);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    for (host, allowed) in [
        (format!("localhost:{port}"), true),
        (format!("127.0.0.1:{port}"), true),
        (format!("[::1]:{port}"), true),
        (format!("attacker.example:{port}"), false),
        ("rebind.attacker.example".to_string(), false),
    ] {
        let response = exchange(
            &server.base,
            &format!("GET /fr/reseau.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        let status = response.lines().next().unwrap_or_default();
        if allowed {
            assert!(status.contains("200"), "{host}: {status}");
            assert!(response.contains("Le réseau"));
        } else {
            assert!(status.contains("403"), "{host}: {status}");
            assert!(!response.contains("Le réseau"), "{host}: no page");
        }
    }
    // One host, in one header: a second one (which a proxy might read instead) or none
    // in HTTP/1.1 is a bad request. HTTP/1.0 may leave it out.
    for (head, expected) in [
        (
            format!("HTTP/1.1\r\nHost: localhost:{port}\r\nHost: attacker.example"),
            "400",
        ),
        (
            format!("HTTP/1.1\r\nHost: attacker.example\r\nHost: localhost:{port}"),
            "400",
        ),
        ("HTTP/1.1\r\nAccept: */*".to_string(), "400"),
        ("HTTP/1.0\r\nAccept: */*".to_string(), "200"),
    ] {
        let response = exchange(
            &server.base,
            &format!("GET /fr/reseau.html {head}\r\nConnection: close\r\n\r\n"),
        );
        let status = response.lines().next().unwrap_or_default();
        assert!(status.contains(expected), "{head:?}: {status}");
        assert_eq!(
            response.contains("Le réseau"),
            expected == "200",
            "{head:?}"
        );
    }
}

#[test]
fn a_request_with_bare_line_feeds_is_answered_at_once() {
    let book = Fixture::copy("bilingual");
    let server = Server::start(&book);
    let started = Instant::now();
    let response = exchange(
        &server.base,
        "GET /fr/reseau.html HTTP/1.1\nHost: localhost\nConnection: close\n\n",
    );
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "answered without waiting"
    );
}

#[test]
fn slow_and_idle_connections_do_not_starve_a_reader() {
    // serve with 1,024 file descriptors, and more idle connections than that, each
    // having sent half a request head.
    let book = Fixture::copy("bilingual");
    let port = free_port();
    let mut child = Command::new("prlimit")
        .arg("--nofile=1024")
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_folio"))
        .args(["serve", ".", "-p", &port.to_string()])
        .current_dir(book.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = format!("127.0.0.1:{port}");
    // Started once it answers (the port is taken before the first build).
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(&address).is_err()
        || !exchange(
            &format!("http://{address}"),
            "GET /__folio/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .starts_with("HTTP/1.1")
    {
        assert!(Instant::now() < deadline, "folio serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let idle: Vec<TcpStream> = (0..1_100)
        .filter_map(|_| {
            let mut stream = TcpStream::connect(&address).ok()?;
            stream.write_all(b"GET / HTTP/1.1\r\nHost: loc").ok()?;
            Some(stream)
        })
        .collect();
    assert!(idle.len() > 1_024, "{} idle connections", idle.len());
    std::thread::sleep(Duration::from_millis(300));
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        let started = Instant::now();
        let response = exchange(
            &format!("http://{address}"),
            "GET /fr/reseau.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        );
        slowest = slowest.max(started.elapsed());
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.contains("Le réseau"));
    }
    let _ = child.kill();
    let _ = child.wait();
    drop(idle);
    // Before the bound, accept spun on EMFILE and a request waited for idle ones to time
    // out (10 s). The bench (bench/serve_slow.sh) measures the real figure.
    assert!(slowest < Duration::from_secs(2), "answered in {slowest:?}");
}

#[test]
fn requests_cannot_leave_the_site() {
    let book = Fixture::copy("bilingual");
    let server = Server::start(&book);
    for attack in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/fr/..%2f..%2f..%2fetc%2fpasswd",
        "/fr/%2E%2E/%2E%2E/book.toml",
        "/..\\..\\book.toml",
        "/a%00.html",
    ] {
        let (status, response) = raw_request(&server.base, attack);
        assert!(status.contains("403"), "{attack}: {status}");
        assert!(
            !response.contains("root:") && !response.contains("[language.fr]"),
            "{attack} leaked a file"
        );
    }
    let (status, response) = raw_request(&server.base, "http://127.0.0.1/etc/passwd");
    assert!(
        !status.contains("200") && !response.contains("root:"),
        "absolute-form: {status}"
    );
    let (status, _, body) = server.get("/book.toml");
    assert_eq!(
        status, 404,
        "only the rendered site is served, not the book's sources"
    );
    assert!(body.contains("Page introuvable"), "the book's 404 page");
    assert_eq!(server.get("/fr/").0, 200);
    let (_, content_type, _) = server.get("/fr/images/schema.svg");
    assert_eq!(content_type, "image/svg+xml");
    let stylesheet = common::quoted_after(&server.get("/fr/reseau.html").2, "href=\"../assets/");
    assert_eq!(
        server.get(&format!("/assets/{stylesheet}")).1,
        "text/css; charset=utf-8"
    );
}

#[test]
fn atomic_saves_and_bursts_end_in_one_correct_rebuild() {
    let book = Fixture::copy("bilingual");
    let git = |args: &[&str]| common::git(book.root(), args);
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "main"]);
    git(&["checkout", "-q", "-b", "many-pages"]);
    for n in 0..300 {
        book.write(&format!("content/fr/extra/page{n}.md"), format!("# {n}\n"));
    }
    book.write(
        "content/fr/reseau.md",
        "# Le réseau\n\nSur l'autre branche.\n",
    );
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "many pages"]);
    git(&["checkout", "-q", "main"]);
    let server = Server::start(&book);
    // An editor's atomic save: a swap file, then a rename over the page.
    book.write("content/fr/.reseau.md.swp", "swap");
    book.write(
        "content/fr/reseau.md.tmp-save",
        "# Le réseau\n\nSauvegarde atomique.\n",
    );
    std::fs::rename(
        book.path("content/fr/reseau.md.tmp-save"),
        book.path("content/fr/reseau.md"),
    )
    .unwrap();
    server.wait_for("/fr/reseau.html", "the atomic save", |body| {
        body.contains("Sauvegarde atomique.")
    });
    // A branch switch touching 300 files ends in very few rebuilds, and the last state wins.
    std::thread::sleep(Duration::from_millis(300));
    let before = server.rebuilds();
    let status = Command::new("git")
        .args(["checkout", "-q", "-f", "many-pages"])
        .current_dir(book.root())
        .status()
        .unwrap();
    assert!(status.success());
    server.wait_for("/fr/reseau.html", "the branch switch", |body| {
        body.contains("Sur l’autre branche.")
    });
    std::thread::sleep(Duration::from_millis(600));
    let rebuilds = server.rebuilds() - before;
    assert!(
        (1..=2).contains(&rebuilds),
        "{rebuilds} rebuilds for one branch switch"
    );
}

#[test]
fn a_stylesheet_edit_swaps_the_stylesheet_without_a_reload() {
    let book = Fixture::copy("bilingual");
    let css = include_str!("../themes/default/css/folio.css");
    book.write("theme/css/folio.css", css);
    let server = Server::start(&book);
    let events = server.events();
    book.write(
        "theme/css/folio.css",
        format!("{css}\nbody {{ letter-spacing: .01em; }}\n"),
    );
    let (name, data) = next_event(&events);
    assert_eq!(name, "css", "{data}");
    assert!(
        data.contains("\"renamed\":{\"folio-") && data.contains(".css\":\"folio-"),
        "{data}"
    );
}

#[test]
fn a_reader_sees_an_edit_without_doing_anything() {
    let book = Fixture::copy("bilingual");
    let server = Server::start(&book);
    let browser = Browser::start();
    browser.open(&format!("{}/fr/reseau.html", server.base));
    browser.find("html[data-folio-live=\"connected\"]");
    let edited = Instant::now();
    book.write(
        "content/fr/reseau.md",
        book.read("content/fr/reseau.md")
            .replace("Du texte.", "Du texte modifié en direct."),
    );
    browser.wait_until("the edit in the page", || {
        browser
            .texts("article p")
            .iter()
            .any(|p| p.contains("modifié en direct"))
    });
    let elapsed = edited.elapsed();
    assert!(
        elapsed < Duration::from_secs(2),
        "the page showed the edit after {elapsed:?}"
    );
}
