//! The engine that runs the pipeline, and `build`: load (step 1), markdown (step 2),
//! render (step 3) in [`engine`], then write (step 4) with the PDFs made in the staging
//! directory from the print pages.

mod book_command;
mod engine;
pub mod preprocessors;
mod renderers;

pub use renderers::RendererOutput;

pub use engine::{Engine, Mode, RenderedSite};

use crate::book::Book;
use crate::diagnostic::Diagnostic;
use crate::output;
use crate::render::{CACHE_DIR, site};
use std::path::{Path, PathBuf};

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Where the site was written.
    pub destination: PathBuf,
    /// HTML pages written.
    pub page_count: usize,
    /// All files written.
    pub file_count: usize,
    /// PDFs written.
    pub pdf_count: usize,
    /// PDFs the engine made (the others were unchanged, linked from the previous output).
    pub pdfs_made: usize,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// What the book's other renderers printed, in the order they ran.
    pub renderers: Vec<RendererOutput>,
    /// The renderer that failed, after the site was written (the build fails, the new
    /// site stays, as with mdBook).
    pub renderer_failure: Option<Diagnostic>,
}

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `[build] build-dir`.
    pub destination: Option<PathBuf>,
    /// Which edition to build.
    pub edition: EditionKind,
    /// The path the site is published under (`/book/`), overriding `site-url`'s.
    pub base_url: Option<String>,
    /// Directories outside the book's repository the book may read or write
    /// (`--allow-source`, `FOLIO_ALLOW`).
    pub granted: Vec<PathBuf>,
    /// `--allow-preprocessors`: run the book's `[preprocessor.*]` commands.
    pub allow_preprocessors: bool,
}

/// The full book, or its free sample.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EditionKind {
    /// Every chapter.
    #[default]
    Full,
    /// Only the pages marked `sample = true`; written to `BUILD_DIR-sample` by default.
    Sample,
}

/// Builds the book at `root`; on failure, every problem found and the old output intact.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let mut engine = Engine::new(root, options.edition, Mode::Build);
    engine.base_url = options.base_url.clone();
    engine.destination = options.destination.clone();
    engine.granted = options.granted.clone();
    engine.allow_preprocessors |= options.allow_preprocessors;
    let site = engine.render()?;
    let destination = site.destination.clone();
    let writer = site
        .writer
        .expect("a build writes its files as it renders them");
    let mut warnings = site.warnings;
    let pdfs = pdf_jobs(&site.book, &mut warnings);
    let made = std::sync::atomic::AtomicUsize::new(0);
    let write_pdfs = |staged: &output::Staged<'_>| {
        let count = output::pdf::make_all(&pdfs, staged)?;
        made.store(count, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    };
    let written: Vec<String> = writer
        .written()
        .into_iter()
        .filter(|path| !path.starts_with(CACHE_DIR))
        .collect();
    let write_warnings = writer.finish(&write_pdfs).map_err(|error| vec![error])?;
    crate::phases::ended(crate::phases::Step::Written);
    warnings.extend(write_warnings);
    // After the site is in place, as mdBook runs them after its HTML; not for the sample.
    let mut renderer_outputs = Vec::new();
    let mut renderer_failure = None;
    let renders =
        site.book.config.renderer_tables().next().is_some() && options.edition == EditionKind::Full;
    if let (true, Some(build_dir)) = (renders, destination.parent()) {
        match renderers::run(&site.book, build_dir, engine.allow_preprocessors) {
            Ok((outputs, renderer_warnings)) => {
                renderer_outputs = outputs;
                warnings.extend(renderer_warnings);
            }
            Err(error) => renderer_failure = Some(error),
        }
    }
    let page_count = written
        .iter()
        .filter(|path| path.ends_with(".html"))
        .count();
    Ok(BuildReport {
        destination,
        page_count,
        file_count: written.len() + pdfs.len(),
        pdf_count: pdfs.len(),
        pdfs_made: made.into_inner(),
        warnings,
        renderers: renderer_outputs,
        renderer_failure,
    })
}

/// True when `[output.pdf]` asks for PDFs (made from the print page, so not when
/// `[output.html.print] enable = false`).
fn pdf_wanted(book: &Book) -> bool {
    let output = &book.config.output;
    output.html.print.enable && output.pdf.as_ref().is_some_and(|pdf| pdf.enable)
}

/// The engine that will write the PDFs, when `[output.pdf]` asks for them and one is
/// installed.
fn pdf_engine(book: &Book) -> Option<output::pdf::PdfEngine> {
    pdf_wanted(book).then(output::pdf::engine).flatten()
}

/// The PDFs to make from the print pages; a warning instead when `[output.pdf]` is set
/// but no engine is installed.
fn pdf_jobs(book: &Book, warnings: &mut Vec<Diagnostic>) -> Vec<output::pdf::PdfJob> {
    if !pdf_wanted(book) {
        return Vec::new();
    }
    let Some(engine) = output::pdf::engine() else {
        warnings.push(
            Diagnostic::warning("no-pdf-engine", "no PDF engine is installed: the PDFs were not written")
                .in_file(book.root.join(crate::config::CONFIG_FILE))
                .with_hint("install WeasyPrint (Debian: apt-get install weasyprint) or Chromium, or remove [output.pdf]"),
        );
        return Vec::new();
    };
    book.editions
        .iter()
        .map(|edition| {
            let prefix = &edition.language.url_prefix;
            // SOURCE_DATE_EPOCH cannot be before 1970 (a changelog may say year 1).
            let epoch = book
                .last_updated(edition)
                .map_or(0, |date| date.epoch_seconds().max(0));
            output::pdf::PdfJob {
                engine,
                print_page: format!("{prefix}{}", site::PRINT_PAGE),
                pdf: format!(
                    "{prefix}{}",
                    site::publication_name(&edition.language.title, "pdf")
                ),
                epoch,
            }
        })
        .collect()
}
