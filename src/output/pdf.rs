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

use super::Staged;
use crate::diagnostic::Diagnostic;
use crate::render::{CACHE_DIR, PreviousFiles};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
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

/// One PDF to make from a print page.
#[derive(Debug, Clone)]
pub struct PdfJob {
    /// The engine that makes it.
    pub engine: PdfEngine,
    /// The print page, relative to the site's root.
    pub print_page: String,
    /// The PDF, relative to the site's root.
    pub pdf: String,
    /// The book's last update (seconds since 1970), the PDF's date.
    pub epoch: i64,
}

/// Makes the PDFs of `jobs` in the staging directory, in parallel (one engine process
/// each). A PDF whose inputs (its print page, the images and other files the site
/// holds besides pages and scripts, the engine, the date) are those of the PDF in the
/// previous output is linked from there: the engine is not started. Returns how many
/// PDFs the engine made.
pub fn make_all(jobs: &[PdfJob], staged: &Staged<'_>) -> Result<usize, Diagnostic> {
    let made: Vec<bool> = jobs
        .par_iter()
        .map(|job| make(job, staged))
        .collect::<Result<_, _>>()?;
    Ok(made.into_iter().filter(|made| *made).count())
}

/// Makes one PDF, or links the previous one; true when the engine made it.
fn make(job: &PdfJob, staged: &Staged<'_>) -> Result<bool, Diagnostic> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").unwrap_or_else(|_| job.epoch.to_string());
    let key = inputs_key(job, &epoch, staged);
    let key_file = format!("{CACHE_DIR}/pdf-{}.txt", job.pdf.replace(['/', '\\'], "_"));
    let root = staged.root;
    let target = root.join(&job.pdf);
    let kept = staged.previous.and_then(|previous| {
        let same = previous.read(&key_file)? == key.as_bytes();
        let old = previous.intact(&job.pdf).filter(|_| same)?;
        std::fs::hard_link(&old, &target)
            .or_else(|_| std::fs::copy(&old, &target).map(|_| ()))
            .ok()
    });
    if kept.is_none() {
        render(
            job.engine,
            root,
            &root.join(&job.print_page),
            &target,
            &epoch,
        )?;
    }
    let key_path = root.join(&key_file);
    if let Some(directory) = key_path.parent() {
        std::fs::create_dir_all(directory)
            .map_err(|error| super::io_error(directory, "create", error))?;
    }
    std::fs::write(&key_path, &key).map_err(|error| super::io_error(&key_path, "write", error))?;
    Ok(kept.is_none())
}

/// The hash of what a PDF is made from: the engine, its date, folio's version, and the
/// hash of every file of the staged site but pages, scripts, data and publications
/// (the print page's own hash included: its text changes with any page's).
fn inputs_key(job: &PdfJob, epoch: &str, staged: &Staged<'_>) -> String {
    let mut key = Sha256::new();
    key.update(format!(
        "folio {} pdf\n{:?}\n{epoch}\n",
        env!("CARGO_PKG_VERSION"),
        job.engine
    ));
    let print_page_hash = staged.marker.hash(&job.print_page).unwrap_or_default();
    key.update(format!("{}\t{print_page_hash}\n", job.print_page));
    for path in staged.marker.paths().filter(|path| used_by_print(path)) {
        key.update(format!(
            "{path}\t{}\n",
            staged.marker.hash(path).unwrap_or_default()
        ));
    }
    crate::digest::hex(&key.finalize())
}

/// True for a file a print page may use: an image, a font, a stylesheet; not a page,
/// a script, the search index, a publication or the cache.
fn used_by_print(path: &str) -> bool {
    const NOT_USED: [&str; 7] = [".html", ".js", ".json", ".epub", ".pdf", ".txt", ".xml"];
    !path.starts_with(CACHE_DIR)
        && !path.starts_with(crate::render::search::SEARCH_DIR)
        && !NOT_USED.iter().any(|extension| path.ends_with(extension))
}

/// Renders `print_page` (an HTML file inside `root`, the staging directory, its images
/// beside it) to `pdf`, fetching nothing outside `root`.
///
/// `SOURCE_DATE_EPOCH` (`epoch`: the environment's, else the book's last update) makes
/// the file repeatable: WeasyPrint's font subsets otherwise embed the current time.
fn render(
    engine: PdfEngine,
    root: &Path,
    print_page: &Path,
    pdf: &Path,
    epoch: &str,
) -> Result<(), Diagnostic> {
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let (root, print_page, pdf) = (absolute(root), absolute(print_page), absolute(pdf));
    let output = match engine {
        PdfEngine::WeasyPrint => weasyprint(&root, &print_page, &pdf, epoch),
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
