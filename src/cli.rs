//! The command line: parses arguments, runs one command, prints diagnostics, and
//! turns the outcome into an exit code (0 success, 1 errors, 2 usage).

use crate::build::{BuildOptions, build};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::{init, output};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// folio: builds bilingual books and runbooks into websites.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the book into a website.
    Build {
        /// The book's directory (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Write the site here instead of [build] build-dir.
        #[arg(short = 'd', long)]
        dest_dir: Option<PathBuf>,
    },
    /// Create a new bilingual book skeleton.
    Init {
        /// The directory to create.
        dir: PathBuf,
    },
    /// Remove the output directory (and nothing else).
    Clean {
        /// The book's directory (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// The output directory to remove instead of [build] build-dir.
        #[arg(short = 'd', long)]
        dest_dir: Option<PathBuf>,
    },
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { book_dir, dest_dir } => run_build(&book_dir, dest_dir),
        Command::Init { dir } => report(init::init(&dir).map(|created| {
            println!(
                "Created a new book in {} ({} files).",
                dir.display(),
                created.len()
            );
            println!("Build it with: folio build {}", dir.display());
        })),
        Command::Clean { book_dir, dest_dir } => report(clean(&book_dir, dest_dir)),
    }
}

fn run_build(book_dir: &Path, dest_dir: Option<PathBuf>) -> ExitCode {
    let started = Instant::now();
    match build(
        book_dir,
        &BuildOptions {
            destination: dest_dir,
        },
    ) {
        Ok(report) => {
            print_diagnostics(report.warnings);
            println!(
                "Built {} pages ({} files) into {} in {:.2} s.",
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

fn clean(book_dir: &Path, dest_dir: Option<PathBuf>) -> Result<(), Diagnostic> {
    let destination = match dest_dir {
        Some(directory) => directory,
        None => Config::load(book_dir)?.0.build_dir(book_dir),
    };
    if output::clean(&destination)? {
        println!("Removed {}.", destination.display());
    } else {
        println!(
            "Nothing to remove: {} does not exist.",
            destination.display()
        );
    }
    Ok(())
}

fn report(result: Result<(), Diagnostic>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn print_diagnostics(mut diagnostics: Vec<Diagnostic>) {
    diagnostic::sort(&mut diagnostics);
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
}
