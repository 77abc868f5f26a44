//! What the user runs, one file per command: each takes its options, runs the pipeline
//! (through [`crate::build`]) or a report over the loaded book, prints its results and
//! diagnostics, and returns the process exit code (0 success, 1 errors).

pub mod build;
pub mod check;
pub mod clean;
pub mod init;
pub mod serve;
pub mod snippets;
pub mod translations;

use crate::book::{self, Book};
use crate::diagnostic::{self, Diagnostic};
use std::path::Path;
use std::process::ExitCode;

/// How a report (`snippets`, `translations`) is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Aligned text for people.
    Text,
    /// JSON for tools.
    Json,
}

/// Loads the book, printing its warnings, or its errors when it cannot be loaded.
fn load_book(book_dir: &Path) -> Option<Book> {
    match book::load(book_dir) {
        Ok((book, warnings)) => {
            print_diagnostics(warnings);
            Some(book)
        }
        Err(diagnostics) => {
            print_diagnostics(diagnostics);
            None
        }
    }
}

/// Prints a report's rows as pretty JSON.
fn print_json(rows: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(rows).expect("the report is plain data")
    );
}

/// Exit code 0, or 1 after printing the error.
fn report_error(result: Result<(), Diagnostic>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn print_diagnostics(diagnostics: Vec<Diagnostic>) {
    diagnostic::print_sorted(diagnostics);
}
