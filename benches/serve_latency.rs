//! Benchmark: edit-to-reload latency of `folio serve` on a 1,000-page book, against
//! `mdbook serve` on the same book when mdBook is installed.
//!
//! Run with `cargo bench --bench serve_latency` (set `EDITS`, default 50, and
//! `MDBOOK_EDITS`, default 10, since mdBook rebuilds the whole book on each edit).
//! For folio it measures the time from writing the file to (a) the reload event on the
//! live-reload stream and (b) the new text being served; for mdBook, (b) only, since
//! its reload signal is a WebSocket. Prints median and p95, and the ratio of medians.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const PAGES: usize = 1000;
const EDITED: usize = 500;

struct Stop(Child);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A 1,000-page mdBook-format book of about 8 KB of markdown per page.
fn make_book(root: &Path) {
    let words = [
        "migration",
        "cluster",
        "kubernetes",
        "réseau",
        "service",
        "plateforme",
        "trafic",
        "cloud",
        "déploiement",
        "instance",
        "équipe",
        "nuit",
    ];
    std::fs::create_dir_all(root.join("src")).unwrap();
    let mut summary = String::from("# Summary\n\n");
    for page in 1..=PAGES {
        summary.push_str(&format!("- [Chapter {page}](ch{page:04}.md)\n"));
        let mut text = format!("# Chapter {page}\n\n");
        for section in 1..=4 {
            text.push_str(&format!("## Section {section}\n\n"));
            for paragraph in 0..3 {
                let sentence: Vec<&str> = (0..100)
                    .map(|n| words[(n * 7 + page + section + paragraph) % words.len()])
                    .collect();
                text.push_str(&sentence.join(" "));
                text.push_str(".\n\n");
            }
            text.push_str("```yaml\nreplicas: 4\nimage: app:1.0\n```\n\n");
        }
        std::fs::write(root.join(format!("src/ch{page:04}.md")), text).unwrap();
    }
    std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Bench\"\nlanguage = \"en\"\n\n[output.html.search]\nenable = false\n",
    )
    .unwrap();
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, limit: Duration) {
    let deadline = Instant::now() + limit;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the server on {port} did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn get(port: u16, path: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = stream.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}

fn events(port: u16) -> Receiver<String> {
    let (sender, receiver) = channel();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /__folio/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                return;
            }
        }
    });
    receiver
}

fn edit(root: &Path, marker: &str) {
    let path = root.join(format!("src/ch{EDITED:04}.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    let kept = text.split("\nEdited ").next().unwrap().to_string();
    std::fs::write(&path, format!("{kept}\nEdited {marker}.\n")).unwrap();
}

/// Polls the served page until it shows `marker`.
fn wait_served(port: u16, path: &str, marker: &str, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if get(port, path).contains(marker) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

fn summary(label: &str, mut times: Vec<Duration>) -> Option<f64> {
    if times.is_empty() {
        println!("{label}: no measurement");
        return None;
    }
    times.sort();
    let median = times[times.len() / 2].as_secs_f64() * 1000.0;
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "{label}: median {median:.1} ms, p95 {p95:.1} ms over {} edits",
        times.len()
    );
    Some(median)
}

fn count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let workspace = tempfile::tempdir().unwrap();
    let root = workspace.path().join("book");
    make_book(&root);
    let page = format!("/ch{EDITED:04}.html");

    let port = free_port();
    let folio = Stop(
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["serve", root.to_str().unwrap(), "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(port, Duration::from_secs(120));
    let stream = events(port);
    while stream
        .recv_timeout(Duration::from_secs(5))
        .expect("the event stream")
        != ": connected"
    {}
    let (mut to_event, mut to_served) = (Vec::new(), Vec::new());
    for n in 0..count("EDITS", 50) {
        std::thread::sleep(Duration::from_millis(150));
        while stream.try_recv().is_ok() {}
        let marker = format!("folio-{n}");
        let started = Instant::now();
        edit(&root, &marker);
        let deadline = started + Duration::from_secs(30);
        loop {
            let line = stream
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("a reload event");
            if line.starts_with("data:") && line.contains(&page) {
                to_event.push(started.elapsed());
                break;
            }
        }
        if wait_served(port, &page, &marker, Duration::from_secs(30)) {
            to_served.push(started.elapsed());
        }
    }
    drop(folio);
    println!("folio serve, {PAGES} pages, one-page edits:");
    summary("  write -> reload event", to_event);
    let folio_served = summary("  write -> new text served", to_served);

    let mdbook_port = free_port();
    let Ok(child) = Command::new("mdbook")
        .args([
            "serve",
            root.to_str().unwrap(),
            "-p",
            &mdbook_port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        println!("mdbook is not installed: no comparison (cargo install mdbook --locked)");
        return;
    };
    let mdbook = Stop(child);
    wait_for_port(mdbook_port, Duration::from_secs(600));
    assert!(
        wait_served(mdbook_port, &page, "Chapter", Duration::from_secs(600)),
        "mdbook serves the book"
    );
    let mut mdbook_served = Vec::new();
    for n in 0..count("MDBOOK_EDITS", 10) {
        std::thread::sleep(Duration::from_millis(500));
        let marker = format!("mdbook-{n}");
        let started = Instant::now();
        edit(&root, &marker);
        if wait_served(mdbook_port, &page, &marker, Duration::from_secs(120)) {
            mdbook_served.push(started.elapsed());
        }
    }
    drop(mdbook);
    println!("mdbook serve 0.5, same book:");
    if let (Some(folio), Some(mdbook)) = (
        folio_served,
        summary("  write -> new text served", mdbook_served),
    ) {
        println!(
            "ratio (mdbook median / folio median, new text served): {:.1}x",
            mdbook / folio
        );
    }
}
