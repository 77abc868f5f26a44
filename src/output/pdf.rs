//! PDFs from the print pages, through an engine installed on the machine: WeasyPrint
//! (page numbers in the table of contents, footnotes, bookmarks from headings), else
//! headless Chromium (no page numbers in the table of contents). No engine is a
//! warning, not a failure.

use crate::diagnostic::Diagnostic;
use std::path::Path;
use std::process::Command;

/// An installed PDF engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfEngine {
    /// WeasyPrint, the first choice.
    WeasyPrint,
    /// Headless Chromium, the fallback.
    Chromium,
}

/// The best engine on this machine, if any.
pub fn engine() -> Option<PdfEngine> {
    let installed = |program: &str| {
        std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths).any(|directory| directory.join(program).is_file())
        })
    };
    if installed("weasyprint") {
        Some(PdfEngine::WeasyPrint)
    } else if installed("chromium") {
        Some(PdfEngine::Chromium)
    } else {
        None
    }
}

/// Renders `print_page` (an HTML file on disk, its images beside it) to `pdf`.
///
/// `SOURCE_DATE_EPOCH` (the environment's, else `epoch`: the book's last update) makes
/// the file repeatable: WeasyPrint's font subsets otherwise embed the current time.
pub fn render(
    engine: PdfEngine,
    print_page: &Path,
    pdf: &Path,
    epoch: i64,
) -> Result<(), Diagnostic> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").unwrap_or_else(|_| epoch.to_string());
    let output = match engine {
        PdfEngine::WeasyPrint => Command::new("weasyprint")
            .env("SOURCE_DATE_EPOCH", &epoch)
            .arg("--quiet")
            .arg(print_page)
            .arg(pdf)
            .output(),
        PdfEngine::Chromium => {
            // A fresh profile, removed when the PDF is made (and by the system's temporary
            // directory cleaning if folio is killed).
            let profile = tempfile::Builder::new()
                .prefix("folio-pdf-")
                .tempdir()
                .map_err(|error| {
                    Diagnostic::error("pdf", format!("cannot create Chromium's profile: {error}"))
                })?;
            Command::new("chromium")
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--no-pdf-header-footer",
                ])
                .arg(format!("--user-data-dir={}", profile.path().display()))
                .arg(format!("--print-to-pdf={}", pdf.display()))
                .arg(format!(
                    "file://{}",
                    std::path::absolute(print_page)
                        .unwrap_or_else(|_| print_page.to_path_buf())
                        .display()
                ))
                .output()
        }
    };
    match output {
        Ok(output) if output.status.success() && pdf.is_file() => Ok(()),
        Ok(output) => Err(Diagnostic::error("pdf", format!("{engine:?} failed on {}: {}", print_page.display(), String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or_default()))
            .with_hint("check the print page opens in a browser; turn PDFs off with [output.pdf] enable = false")),
        Err(error) => Err(Diagnostic::error("pdf", format!("cannot run {engine:?}: {error}"))),
    }
}
