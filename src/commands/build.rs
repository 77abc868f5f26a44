//! `folio build`: the book (or its sample) into its build directory, with a summary
//! line; on failure every problem, and the previous output left as it was.

use super::print_diagnostics;
use crate::build::{BuildOptions, build};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Builds the book at `book_dir` and reports how it went.
pub fn run(book_dir: &Path, options: &BuildOptions) -> ExitCode {
    let started = Instant::now();
    match build(book_dir, options) {
        Ok(report) => {
            print_diagnostics(report.warnings);
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
            print_diagnostics(diagnostics);
            eprintln!(
                "Build failed with {errors} error(s); the previous output, if any, is unchanged."
            );
            ExitCode::FAILURE
        }
    }
}
