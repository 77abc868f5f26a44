//! The command line: parses arguments, runs one command, prints diagnostics, and
//! turns the outcome into an exit code (0 success, 1 errors, 2 usage).

use crate::book::{self, translation};
use crate::build::{BuildOptions, EditionKind, build};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::snippets::embed::Embedder;
use crate::snippets::report;
use crate::snippets::sources::Sources;
use crate::{check, init, output, serve};
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
        /// Build the full book or its free sample (pages with `sample = true`).
        #[arg(long, value_enum, default_value_t = EditionKind::Full)]
        edition: EditionKind,
        /// The path the site is published under (e.g. `/book/` for a GitHub Pages project site).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Build the book into memory, serve it, and rebuild and reload pages on every change.
    Serve {
        /// The book's directory (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// The port to listen on (0: any free port).
        #[arg(short = 'p', long, default_value_t = 3000)]
        port: u16,
        /// The interface to listen on; anything but loopback exposes the book to the network.
        #[arg(short = 'n', long, default_value = "127.0.0.1")]
        hostname: String,
        /// Open the book in a web browser.
        #[arg(long)]
        open: bool,
        /// Serve the full book or its free sample.
        #[arg(long, value_enum, default_value_t = EditionKind::Full)]
        edition: EditionKind,
    },
    /// Create a new bilingual book skeleton.
    Init {
        /// The directory to create.
        dir: PathBuf,
    },
    /// Report every problem of the book at once, without writing the site.
    Check {
        /// The book's directory (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Output format: text, json, or GitHub Actions annotations.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Count warnings as errors (exit 1).
        #[arg(long)]
        deny_warnings: bool,
        /// Also fetch links to other sites (off by default: CI often has no network).
        #[arg(long)]
        external: bool,
    },
    /// Show where each translation stands, or mark translations up to date.
    Translations {
        /// The book's directory (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Record that this translated page translates the current source (repeatable).
        #[arg(long, value_name = "PATH")]
        mark: Vec<PathBuf>,
    },
    /// List every snippet and include directive with its source and status, or pin them.
    Snippets {
        /// The book's directory (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Record each selection's current content hash in its directive (`hash=`).
        #[arg(long)]
        pin: bool,
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

/// How `folio check` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CheckFormat {
    /// One line per problem, then a count.
    Text,
    /// A JSON array.
    Json,
    /// GitHub Actions annotations (`::error file=...,line=...::`).
    Github,
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Aligned text for people.
    Text,
    /// JSON for tools.
    Json,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            book_dir,
            dest_dir,
            edition,
            base_url,
        } => run_build(
            &book_dir,
            &BuildOptions {
                destination: dest_dir,
                edition,
                base_url,
            },
        ),
        Command::Serve {
            book_dir,
            port,
            hostname,
            open,
            edition,
        } => report(serve::serve(&serve::ServeOptions {
            book_dir,
            port,
            host: hostname,
            open,
            edition,
        })),
        Command::Init { dir } => report(init::init(&dir).map(|created| {
            println!(
                "Created a new book in {} ({} files).",
                dir.display(),
                created.len()
            );
            println!("Build it with: folio build {}", dir.display());
        })),
        Command::Clean { book_dir, dest_dir } => report(clean(&book_dir, dest_dir)),
        Command::Check {
            book_dir,
            format,
            deny_warnings,
            external,
        } => run_check(&book_dir, format, deny_warnings, external),
        Command::Snippets {
            book_dir,
            format,
            pin,
        } => run_snippets(&book_dir, format, pin),
        Command::Translations {
            book_dir,
            format,
            mark,
        } => run_translations(&book_dir, format, &mark),
    }
}

fn run_build(book_dir: &Path, options: &BuildOptions) -> ExitCode {
    let started = Instant::now();
    match build(book_dir, options) {
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

fn run_translations(book_dir: &Path, format: Format, marks: &[PathBuf]) -> ExitCode {
    let Some(book) = load_book(book_dir) else {
        return ExitCode::FAILURE;
    };
    if !marks.is_empty() {
        for mark in marks {
            let path = if mark.exists() {
                mark.clone()
            } else {
                book_dir.join(mark)
            };
            match translation::mark_up_to_date(&book, &path) {
                Ok(file) => println!("Marked {} as up to date.", file.display()),
                Err(error) => return report(Err(error)),
            }
        }
        return ExitCode::SUCCESS;
    }
    let rows = translation::report(&book);
    match format {
        Format::Text => print!(
            "{}",
            translation::text_table(&rows, &book.source().language.code)
        ),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&rows).expect("the report is plain data")
        ),
    }
    ExitCode::SUCCESS
}

fn run_check(
    book_dir: &Path,
    format: CheckFormat,
    deny_warnings: bool,
    external: bool,
) -> ExitCode {
    let problems = check::check(book_dir, external);
    let report = match format {
        CheckFormat::Text => check::text(&problems),
        CheckFormat::Json => check::json(&problems) + "\n",
        CheckFormat::Github => check::github(&problems),
    };
    print!("{report}");
    let failing = problems
        .iter()
        .any(|problem| problem.is_error() || deny_warnings);
    if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_snippets(book_dir: &Path, format: Format, pin: bool) -> ExitCode {
    let Some(book) = load_book(book_dir) else {
        return ExitCode::FAILURE;
    };
    let config_file = book.root.join(crate::config::CONFIG_FILE);
    let sources = match Sources::open(&book.config.snippets.sources, &book.root, &config_file) {
        Ok(sources) => sources,
        Err(diagnostics) => {
            print_diagnostics(diagnostics);
            return ExitCode::FAILURE;
        }
    };
    let rows = report::report(&book, &Embedder::new(&sources, &book.allowed));
    if pin {
        return match report::pin(&rows) {
            Ok(files) => {
                println!("Pinned {} directives in {} files.", rows.len(), files.len());
                ExitCode::SUCCESS
            }
            Err(diagnostics) => {
                print_diagnostics(diagnostics);
                ExitCode::FAILURE
            }
        };
    }
    match format {
        Format::Text => print!("{}", report::text_table(&rows, &book.root)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&rows).expect("the report is plain data")
        ),
    }
    ExitCode::SUCCESS
}

/// Loads the book, printing its warnings, or its errors when it cannot be loaded.
fn load_book(book_dir: &Path) -> Option<book::Book> {
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

fn clean(book_dir: &Path, dest_dir: Option<PathBuf>) -> Result<(), Diagnostic> {
    let config = Config::load(book_dir).map(|(config, _)| config);
    let destination = match (dest_dir, &config) {
        (Some(directory), _) => directory,
        (None, Ok(config)) => config.build_dir(book_dir),
        (None, Err(error)) => return Err(error.clone()),
    };
    let sources = config.map_or_else(
        |_| book_dir.to_path_buf(),
        |config| book_dir.join(&config.book.src),
    );
    output::check_outside_sources(&destination, book_dir, &sources)?;
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

fn print_diagnostics(diagnostics: Vec<Diagnostic>) {
    diagnostic::print_sorted(diagnostics);
}
