//! PDFs from the print pages, through an engine installed on the machine: WeasyPrint
//! (page numbers in the table of contents, footnotes, bookmarks from headings), else
//! headless Chromium (no page numbers in the table of contents). No engine is a
//! warning, not a failure.
//!
//! Either engine is jailed in the staging directory: a page (perhaps from a stranger)
//! may name `file:///proc/self/environ`, `/etc/shadow` or an `http:` URL in raw HTML,
//! and the engine would embed or attach it. WeasyPrint runs through its Python API
//! with a URL fetcher that refuses everything outside the staging directory; Chromium
//! gets the page over a loopback server that serves only the staging directory (an
//! `http:` page may not load `file:` URLs) and a dead proxy for every other address.

mod jail;

use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// An installed PDF engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfEngine {
    /// WeasyPrint, the first choice.
    WeasyPrint,
    /// Headless Chromium, the fallback.
    Chromium,
}

/// The first `program` on the PATH.
fn installed(program: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|directory| directory.join(program))
        .find(|candidate| candidate.is_file())
}

/// The best engine on this machine, if any.
pub fn engine() -> Option<PdfEngine> {
    if installed("weasyprint").is_some() {
        Some(PdfEngine::WeasyPrint)
    } else if installed("chromium").is_some() {
        Some(PdfEngine::Chromium)
    } else {
        None
    }
}

/// Renders `print_page` (an HTML file inside `root`, the staging directory, its images
/// beside it) to `pdf`, fetching nothing outside `root`.
///
/// `SOURCE_DATE_EPOCH` (the environment's, else `epoch`: the book's last update) makes
/// the file repeatable: WeasyPrint's font subsets otherwise embed the current time.
pub fn render(
    engine: PdfEngine,
    root: &Path,
    print_page: &Path,
    pdf: &Path,
    epoch: i64,
) -> Result<(), Diagnostic> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").unwrap_or_else(|_| epoch.to_string());
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let (root, print_page, pdf) = (absolute(root), absolute(print_page), absolute(pdf));
    let output = match engine {
        PdfEngine::WeasyPrint => weasyprint(&root, &print_page, &pdf, &epoch),
        PdfEngine::Chromium => chromium(&root, &print_page, &pdf),
    };
    match output {
        Ok(output) if output.status.success() && pdf.is_file() => Ok(()),
        Ok(output) => Err(Diagnostic::error("pdf", format!("{engine:?} failed on {}: {}", print_page.display(), String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or_default()))
            .with_hint("check the print page opens in a browser; turn PDFs off with [output.pdf] enable = false")),
        Err(error) => Err(Diagnostic::error("pdf", format!("cannot run {engine:?}: {error}"))),
    }
}

/// WeasyPrint's own Python (the interpreter its launcher names), running
/// [`jail::WEASYPRINT`].
fn weasyprint(root: &Path, print_page: &Path, pdf: &Path, epoch: &str) -> std::io::Result<Output> {
    let launcher = installed("weasyprint")
        .ok_or_else(|| std::io::Error::other("weasyprint is not on the PATH"))?;
    let first_line = std::fs::read_to_string(&launcher)
        .ok()
        .and_then(|text| text.lines().next().map(str::to_string))
        .unwrap_or_default();
    let interpreter = first_line
        .strip_prefix("#!")
        .map(str::trim)
        .filter(|interpreter| !interpreter.is_empty() && !interpreter.contains(' '))
        .unwrap_or("python3")
        .to_string();
    Command::new(interpreter)
        .env("SOURCE_DATE_EPOCH", epoch)
        .arg("-c")
        .arg(jail::WEASYPRINT)
        .arg(root)
        .arg(print_page)
        .arg(pdf)
        .output()
}

/// Headless Chromium on the page served from `root` over loopback.
fn chromium(root: &Path, print_page: &Path, pdf: &Path) -> std::io::Result<Output> {
    // A fresh profile, removed when the PDF is made.
    let profile = tempfile::Builder::new().prefix("folio-pdf-").tempdir()?;
    let server = jail::StagingServer::start(root)?;
    let relative = print_page
        .strip_prefix(root)
        .map_err(|_| std::io::Error::other("the print page is outside the staging directory"))?;
    let url = server.url(relative);
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            // Every address but the staging server goes to a closed port.
            "--proxy-server=127.0.0.1:9",
        ])
        .arg(format!("--proxy-bypass-list=<-loopback>;{}", server.host()))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .output();
    drop(server);
    output
}
