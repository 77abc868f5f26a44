//! The command line: clap's types and the dispatch to [`crate::commands`], which does
//! the work and gives the exit code (0 success, 1 errors; clap exits 2 on bad usage).
//! No clap type is used below this module.

use crate::build::{BuildOptions, EditionKind};
use crate::commands::check::CheckFormat;
use crate::commands::serve::ServeOptions;
use crate::commands::snippets::Action as SnippetsAction;
use crate::commands::{self, ReportFormat};
use crate::trust;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// folio: builds bilingual books and runbooks into websites.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What the person running folio lets a book do beyond its repository.
#[derive(Debug, Args)]
struct Grants {
    /// Let the book read this directory outside its repository (a snippet source in a
    /// sibling clone); repeatable. `FOLIO_ALLOW` lists more, `:`-separated.
    #[arg(long, value_name = "PATH")]
    allow_source: Vec<PathBuf>,
    /// Run the book's mdBook preprocessors (`[preprocessor.*]` commands): a book's
    /// commands are its author's code. `FOLIO_ALLOW_PREPROCESSORS=1` does the same.
    #[arg(long)]
    allow_preprocessors: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the book into a website.
    Build {
        /// The book's directory (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        #[command(flatten)]
        grants: Grants,
        /// Write the site here instead of [build] build-dir.
        #[arg(short = 'd', long)]
        dest_dir: Option<PathBuf>,
        /// Build the full book or its free sample (pages with `sample = true`).
        #[arg(long, value_enum, default_value_t = EditionArg::Full)]
        edition: EditionArg,
        /// The path the site is published under (e.g. `/book/` for a GitHub Pages project site).
        #[arg(long)]
        base_url: Option<String>,
        /// Print only problems: no progress line, no summary.
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        /// Print notes too: which book.toml keys the environment (`MDBOOK_*`) set.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Build the book into memory, serve it, and rebuild and reload pages on every change.
    Serve {
        /// The book's directory (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        #[command(flatten)]
        grants: Grants,
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
        #[arg(long, value_enum, default_value_t = EditionArg::Full)]
        edition: EditionArg,
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
        #[command(flatten)]
        grants: Grants,
        /// Output format: text, json, or GitHub Actions annotations.
        #[arg(long, value_enum, default_value_t = CheckFormatArg::Text)]
        format: CheckFormatArg,
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
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// Record that this translated page translates the current source (repeatable).
        #[arg(long, value_name = "PATH")]
        mark: Vec<PathBuf>,
    },
    /// List every snippet and include directive with its source and status, or pin them.
    Snippets {
        /// The book's directory (holding book.toml).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Let the book read this directory outside its repository (a snippet source in a
        /// sibling clone); repeatable. `FOLIO_ALLOW` lists more, `:`-separated.
        #[arg(long, value_name = "PATH")]
        allow_source: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// Record each selection's current content hash in its directive (`hash=`), and
        /// its text in `.folio/pinned/` (commit it with the book) for `--diff`.
        #[arg(long, conflicts_with = "diff")]
        pin: bool,
        /// Show, for each stale snippet, its pinned text against its current one.
        #[arg(long)]
        diff: bool,
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

/// The full book, or its free sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum EditionArg {
    /// Every chapter.
    Full,
    /// Only the pages marked `sample = true`; written to `BUILD_DIR-sample` by default.
    Sample,
}

impl From<EditionArg> for EditionKind {
    fn from(edition: EditionArg) -> Self {
        match edition {
            EditionArg::Full => EditionKind::Full,
            EditionArg::Sample => EditionKind::Sample,
        }
    }
}

/// How `folio check` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CheckFormatArg {
    /// One line per problem, then a count.
    Text,
    /// A JSON array.
    Json,
    /// GitHub Actions annotations (`::error file=...,line=...::`).
    Github,
}

impl From<CheckFormatArg> for CheckFormat {
    fn from(format: CheckFormatArg) -> Self {
        match format {
            CheckFormatArg::Text => CheckFormat::Text,
            CheckFormatArg::Json => CheckFormat::Json,
            CheckFormatArg::Github => CheckFormat::Github,
        }
    }
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    /// Aligned text for people.
    Text,
    /// JSON for tools.
    Json,
}

impl From<FormatArg> for ReportFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Text => ReportFormat::Text,
            FormatArg::Json => ReportFormat::Json,
        }
    }
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    crate::subprocess::end_groups_on_termination();
    match cli.command {
        Command::Build {
            book_dir,
            grants,
            dest_dir,
            edition,
            base_url,
            quiet,
            verbose,
        } => commands::build::run(
            &book_dir,
            &BuildOptions {
                destination: dest_dir,
                edition: edition.into(),
                base_url,
                granted: trust::granted(&grants.allow_source),
                allow_preprocessors: grants.allow_preprocessors,
            },
            commands::build::Output { quiet, verbose },
        ),
        Command::Serve {
            book_dir,
            grants,
            port,
            hostname,
            open,
            edition,
        } => commands::serve::run(&ServeOptions {
            book_dir,
            port,
            host: hostname,
            open,
            edition: edition.into(),
            granted: trust::granted(&grants.allow_source),
            allow_preprocessors: grants.allow_preprocessors,
        }),
        Command::Init { dir } => commands::init::run(&dir),
        Command::Clean { book_dir, dest_dir } => {
            commands::clean::run(&book_dir, dest_dir, &trust::granted(&[]))
        }
        Command::Check {
            book_dir,
            grants,
            format,
            deny_warnings,
            external,
        } => commands::check::run(
            &book_dir,
            &trust::granted(&grants.allow_source),
            grants.allow_preprocessors,
            format.into(),
            deny_warnings,
            external,
        ),
        Command::Snippets {
            book_dir,
            allow_source,
            format,
            pin,
            diff,
        } => commands::snippets::run(
            &book_dir,
            &trust::granted(&allow_source),
            format.into(),
            match (pin, diff) {
                (true, _) => SnippetsAction::Pin,
                (_, true) => SnippetsAction::Diff,
                _ => SnippetsAction::Report,
            },
        ),
        Command::Translations {
            book_dir,
            format,
            mark,
        } => commands::translations::run(&book_dir, format.into(), &mark),
    }
}
