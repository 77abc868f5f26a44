//! `folio clean`: removes the build directory, and only when folio wrote it.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::output;
use crate::trust::Trust;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Removes `dest_dir`, else the book's `[build] build-dir` when the book may reach it
/// (its repository, or what `granted` adds).
pub fn run(book_dir: &Path, dest_dir: Option<PathBuf>, granted: &[PathBuf]) -> ExitCode {
    super::report_error(clean(book_dir, dest_dir, granted))
}

fn clean(
    book_dir: &Path,
    dest_dir: Option<PathBuf>,
    granted: &[PathBuf],
) -> Result<(), Diagnostic> {
    let config = Config::load(book_dir).map(|(config, _)| config);
    let destination = match (dest_dir, &config) {
        (Some(directory), Ok(config)) => config.site_dir(&directory),
        (Some(directory), Err(_)) => directory,
        (None, Ok(config)) => {
            let destination = config.site_dir(&config.build_dir(book_dir));
            let trust = Trust::new(book_dir, granted);
            let config_file = book_dir.join(crate::config::CONFIG_FILE);
            output::check_trusted(&destination, &trust, &config_file)?;
            destination
        }
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
