//! `folio build`: the book (or its sample) into its build directory, with a summary
//! line; on failure every problem, and the previous output left as it was.

use super::print_diagnostics;
use crate::build::{BuildOptions, build};
use crate::diagnostic::{Diagnostic, Severity};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How much `folio build` prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct Output {
    /// Only the problems: no progress, no summary line.
    pub quiet: bool,
    /// Notes too (keys the environment set).
    pub verbose: bool,
}

/// Builds the book at `book_dir` and reports how it went, as `output` says.
pub fn run(book_dir: &Path, options: &BuildOptions, output: Output) -> ExitCode {
    let Output { quiet, verbose } = output;
    let started = Instant::now();
    let progress = (!quiet && std::io::stderr().is_terminal()).then(progress_display);
    let result = build(book_dir, options);
    if let Some(progress) = progress {
        progress.finish_and_clear();
    }
    let shown = |diagnostics: Vec<Diagnostic>| -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter(|diagnostic| verbose || diagnostic.severity != Severity::Note)
            .collect()
    };
    match result {
        Ok(report) => {
            for renderer in &report.renderers {
                if !renderer.text.is_empty() {
                    eprintln!("renderer `{}`:\n{}", renderer.name, renderer.text);
                }
            }
            print_diagnostics(shown(report.warnings));
            if let Some(failure) = report.renderer_failure {
                eprintln!("{failure}");
                eprintln!(
                    "The site was written to {}, but a renderer failed.",
                    report.destination.display()
                );
                return ExitCode::FAILURE;
            }
            if quiet {
                return ExitCode::SUCCESS;
            }
            let pdfs = |count: usize| format!("{count} PDF{}", if count == 1 { "" } else { "s" });
            let pdfs = match (report.pdf_count, report.pdfs_made) {
                (0, _) => String::new(),
                (count, made) if made == count => format!(", {} made", pdfs(count)),
                (count, 0) => format!(", {} unchanged", pdfs(count)),
                (count, made) => format!(", {} made, {} unchanged", pdfs(made), count - made),
            };
            println!(
                "Built {} pages ({} files) into {} in {:.2} s{pdfs}.",
                report.page_count,
                report.file_count,
                report.destination.display(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            print_diagnostics(shown(diagnostics));
            eprintln!(
                "Build failed with {errors} error(s); the previous output, if any, is unchanged."
            );
            ExitCode::FAILURE
        }
    }
}

/// A line on standard error saying what the build is doing and for how long, as the
/// pipeline's steps end (only on a terminal: CI logs stay clean).
fn progress_display() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed:>3} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message("loading the book");
    bar.enable_steady_tick(Duration::from_millis(120));
    let shown = bar.clone();
    crate::phases::observe(Box::new(move |step| {
        use crate::phases::Step;
        let next = match step {
            Step::Started => "loading the book",
            Step::Loaded => "rendering the markdown",
            Step::MarkdownBodies => "laying out and writing the pages",
            Step::PagesRendered => "finishing the search index",
            Step::SearchFinished => "writing the PDFs and swapping the site in",
            Step::SearchPagesAdded | Step::Written => return,
        };
        shown.set_message(next);
    }));
    bar
}
