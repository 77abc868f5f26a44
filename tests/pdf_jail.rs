//! The PDF engines are jailed in the staging directory: raw HTML in a page naming a
//! local file (`file:`, an absolute path, `rel="attachment"`) or a URL on the network
//! gets nothing into the PDF, attached or rendered, and no connection is made.

mod common;

use common::{Fixture, Run};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const SECRET: &str = "CI_TOKEN=hunter2";
const SECRET_SVG_TEXT: &str = "SECRETSVGTEXT";

/// Counts the connections made to a loopback port.
struct Listener {
    port: u16,
    connections: Arc<AtomicUsize>,
}

impl Listener {
    fn start() -> Listener {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&connections);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                counted.fetch_add(1, Ordering::Relaxed);
                drop(stream);
            }
        });
        Listener { port, connections }
    }
}

/// A book whose appendix names outside files and a network URL in raw HTML, built with
/// only `engine` on the PATH.
fn build_hostile_book(engine: &str, outside: &Path, listener: &Listener) -> (Fixture, Run) {
    let book = Fixture::copy("bilingual");
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[output.pdf]\nenable = true\n",
    );
    let environ = outside.join("environ");
    let svg = outside.join("secret.svg");
    book.write(
        "content/fr/annexe.md",
        format!(
            "# Annexe\n\n\
             <a rel=\"attachment\" href=\"file://{environ}\">a</a>\n\n\
             <a rel=\"attachment\" href=\"{environ}\">b</a>\n\n\
             <img src=\"file://{svg}\" alt=\"\">\n\n\
             <iframe src=\"file://{environ}\"></iframe>\n\n\
             <img src=\"http://127.0.0.1:{port}/x.png\" alt=\"\">\n",
            environ = environ.display(),
            svg = svg.display(),
            port = listener.port
        ),
    );
    let bin = tempfile::tempdir().unwrap();
    let program = Path::new("/usr/bin").join(engine);
    assert!(program.exists(), "{engine} is needed (CI installs it)");
    std::os::unix::fs::symlink(&program, bin.path().join(engine)).unwrap();
    let run = Run::from_command(
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("build")
            .current_dir(book.root())
            .env("PATH", bin.path()),
    );
    (book, run)
}

fn poppler(tool: &str, pdf: &Path) -> String {
    let output = Command::new(tool).arg(pdf).arg("-").output().unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn no_engine_reads_a_file_outside_the_site_or_the_network() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("environ"), SECRET).unwrap();
    std::fs::write(
        outside.path().join("secret.svg"),
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"40\"><text x=\"0\" y=\"30\">{SECRET_SVG_TEXT}</text></svg>"),
    )
    .unwrap();
    for engine in ["weasyprint", "chromium"] {
        let listener = Listener::start();
        let (book, run) = build_hostile_book(engine, outside.path(), &listener);
        assert!(run.success(), "{engine}: {}", run.stderr);
        // The writer is told where, once per naming line.
        let said = format!("{}{}", run.stdout, run.stderr);
        for line in ["annexe.md:3", "annexe.md:5", "annexe.md:7", "annexe.md:9"] {
            assert!(said.contains(line), "{engine}: {line} in {said}");
        }
        let pdf = book.path("book/fr/livre-de-test.pdf");
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "{engine} wrote a PDF");
        let attachments = Command::new("pdfdetach")
            .arg("-list")
            .arg(&pdf)
            .output()
            .unwrap();
        let attachments = String::from_utf8_lossy(&attachments.stdout);
        assert!(!attachments.contains("environ"), "{engine}: {attachments}");
        let text = poppler("pdftotext", &pdf);
        assert!(text.contains("Annexe"), "{engine}: the page is there");
        assert!(!text.contains(SECRET), "{engine}: {text}");
        assert!(!text.contains(SECRET_SVG_TEXT), "{engine}: {text}");
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "{engine}: the secret is nowhere in the file"
        );
        assert_eq!(
            listener.connections.load(Ordering::Relaxed),
            0,
            "{engine} reached the network"
        );
    }
}
