//! `folio snippets`: every directive of the book with its source, ref and status;
//! `--pin`, which records each selection's current hash in its directive (and its text
//! in [`pins`]); `--diff`, which shows what changed in each stale one.

pub mod pins;

use super::{ReportFormat, load_book, print_diagnostics, print_json};
use crate::book::{Book, PageContent};
use crate::diagnostic::Diagnostic;
use crate::snippets::directive;
use crate::snippets::embed::{Embedder, include_root};
use crate::snippets::sources::Sources;
use crate::trust::Trust;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `folio snippets` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Lists every directive with its status.
    Report,
    /// Pins every selection that resolves (`--pin`).
    Pin,
    /// Shows what changed in each stale selection (`--diff`).
    Diff,
}

/// Lists every directive of the book at `book_dir` with its status, pins them, or
/// shows what changed in the stale ones.
pub fn run(book_dir: &Path, granted: &[PathBuf], format: ReportFormat, action: Action) -> ExitCode {
    let Some(book) = load_book(book_dir) else {
        return ExitCode::FAILURE;
    };
    let config_file = book.root.join(crate::config::CONFIG_FILE);
    let trust = Trust::new(&book.root, granted);
    let sources = match Sources::open(
        &book.config.snippets.sources,
        &book.root,
        &config_file,
        &trust,
    ) {
        Ok(sources) => sources,
        Err(diagnostics) => {
            print_diagnostics(diagnostics);
            return ExitCode::FAILURE;
        }
    };
    let include_root = match include_root(
        &book.root,
        book.config.build.include_root.as_deref(),
        &trust,
        &config_file,
    ) {
        Ok(root) => root,
        Err(error) => {
            print_diagnostics(vec![error]);
            return ExitCode::FAILURE;
        }
    };
    let rows = report(
        &book,
        &Embedder::new(&sources, &book.allowed, &include_root),
    );
    if action == Action::Diff {
        return match pins::diffs(&book.root, &rows) {
            Ok(report) => {
                print!("{report}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                print_diagnostics(vec![error]);
                ExitCode::FAILURE
            }
        };
    }
    if action == Action::Pin {
        let pinned = pins::open_for_pinning(&book.root)
            .map_err(|error| vec![error])
            .and_then(|state| {
                let pinned = pin(&rows)?;
                pins::keep(&state, &rows).map_err(|error| vec![error])?;
                Ok(pinned)
            });
        return match pinned {
            Ok((files, unpinnable)) => {
                println!(
                    "Pinned {} directives in {} files.",
                    rows.len() - unpinnable.len(),
                    files.len()
                );
                if unpinnable.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    eprintln!("{} could not be pinned:", unpinnable.len());
                    print_diagnostics(unpinnable);
                    ExitCode::FAILURE
                }
            }
            Err(diagnostics) => {
                print_diagnostics(diagnostics);
                ExitCode::FAILURE
            }
        };
    }
    match format {
        ReportFormat::Text => print!("{}", text_table(&rows, &book.root)),
        ReportFormat::Json => print_json(&rows),
    }
    ExitCode::SUCCESS
}

/// Where a snippet stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SnippetStatus {
    /// Pinned, and the selection still has the pinned content.
    UpToDate,
    /// Resolves, but no hash is pinned.
    Unpinned,
    /// Pinned, and the selection changed or is gone.
    Stale,
    /// Cannot be resolved at all.
    Broken,
}

/// One directive of the book.
#[derive(Debug, Clone, Serialize)]
pub struct SnippetRow {
    /// The page's file.
    pub file: PathBuf,
    /// The directive's line in that file.
    pub line: usize,
    /// The directive as written.
    pub directive: String,
    /// The source name, or `book` for includes.
    pub source: String,
    /// The git ref and commit, when the source is git.
    pub rev: Option<String>,
    /// The commit the ref resolved to.
    pub commit: Option<String>,
    /// Where it stands.
    pub status: SnippetStatus,
    /// Why it is stale or broken.
    pub detail: Option<String>,
    /// The current content's hash, when it resolves.
    pub hash: Option<String>,
    /// The current content, when it resolves.
    #[serde(skip)]
    pub text: Option<String>,
}

/// Every snippet and include directive of every written page.
pub fn report(book: &Book, embedder: &Embedder<'_>) -> Vec<SnippetRow> {
    let mut rows = Vec::new();
    for edition in &book.editions {
        for page in &edition.pages {
            let PageContent::Written(written) = &page.content else {
                continue;
            };
            for (text, line) in crate::markdown::scan::embed_directives(&written.markdown) {
                let parsed = directive::parse(&text).ok();
                let source = parsed
                    .as_ref()
                    .and_then(|d| d.source.clone())
                    .unwrap_or_else(|| "book".to_string());
                let pinned = parsed.as_ref().is_some_and(|d| d.pinned.is_some());
                let mut row = SnippetRow {
                    file: written.file.clone(),
                    line: line + written.first_line - 1,
                    directive: text.clone(),
                    source,
                    rev: None,
                    commit: None,
                    status: SnippetStatus::Broken,
                    detail: None,
                    hash: None,
                    text: None,
                };
                match embedder.embed(&text, &written.file) {
                    Ok(embedded) => {
                        row.rev = embedded.origin.rev.clone();
                        row.commit = embedded.origin.commit.clone();
                        row.status = match (embedded.warnings.first(), pinned) {
                            (Some(warning), _) => {
                                row.detail = Some(warning.message.clone());
                                SnippetStatus::Stale
                            }
                            (None, true) => SnippetStatus::UpToDate,
                            (None, false) => SnippetStatus::Unpinned,
                        };
                        row.hash = (!embedded.text.is_empty()).then_some(embedded.hash);
                        row.text = Some(embedded.text);
                    }
                    Err(error) => row.detail = Some(error.message),
                }
                rows.push(row);
            }
        }
    }
    rows
}

/// Writes each resolvable directive's current hash into its page (`hash=...`),
/// changing nothing else. Returns the files changed, or the directives it could not pin.
/// Pins every row that has a current hash; returns the files changed and, for the
/// rows that could not be pinned (their selection is broken or gone), why.
pub fn pin(rows: &[SnippetRow]) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let unpinnable: Vec<Diagnostic> = rows
        .iter()
        .filter(|row| row.hash.is_none())
        .map(|row| {
            Diagnostic::error(
                "snippet",
                format!(
                    "cannot pin `{}`: {}",
                    row.directive,
                    row.detail.clone().unwrap_or_default()
                ),
            )
            .in_file(&row.file)
            .at_line(row.line)
            .with_hint("fix the directive (the others are pinned), then pin again")
        })
        .collect();
    let mut by_file: BTreeMap<&PathBuf, Vec<&SnippetRow>> = BTreeMap::new();
    for row in rows.iter().filter(|row| row.hash.is_some()) {
        by_file.entry(&row.file).or_default().push(row);
    }
    let mut changed = Vec::new();
    for (file, rows) in by_file {
        let original = crate::source_file::read_text(file).map_err(|error| vec![error])?;
        let mut text = original.clone();
        for row in rows {
            let hash = row
                .hash
                .as_deref()
                .expect("only rows with a hash are pinned");
            text = text.replace(&row.directive, &with_hash(&row.directive, hash));
        }
        if text != original {
            crate::output::write_file_atomically(file, text.as_bytes())
                .map_err(|error| vec![error])?;
            changed.push(file.clone());
        }
    }
    Ok((changed, unpinnable))
}

/// The directive with `hash=` set to `hash`.
fn with_hash(directive: &str, hash: &str) -> String {
    let body = directive.trim().strip_suffix("}}").unwrap_or(directive);
    let kept: Vec<&str> = body
        .split(' ')
        .filter(|word| !word.starts_with("hash="))
        .collect();
    format!("{} hash={hash}}}}}", kept.join(" "))
}

/// The report as an aligned text table.
pub fn text_table(rows: &[SnippetRow], root: &std::path::Path) -> String {
    let mut table = String::new();
    for row in rows {
        let file = row
            .file
            .strip_prefix(root)
            .unwrap_or(&row.file)
            .display()
            .to_string();
        let status = serde_json::to_value(row.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let at = match (&row.rev, &row.commit) {
            (Some(rev), Some(commit)) => format!(" @ {rev} ({commit})"),
            _ => String::new(),
        };
        table.push_str(&format!(
            "{file}:{}  {status:10}  {}{at}  {}\n",
            row.line, row.source, row.directive
        ));
        if let Some(detail) = &row.detail {
            table.push_str(&format!("    {detail}\n"));
        }
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows {
        let status = serde_json::to_value(row.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        *counts.entry(status).or_default() += 1;
    }
    let summary: Vec<String> = counts
        .iter()
        .map(|(status, count)| format!("{count} {status}"))
        .collect();
    table.push_str(&format!(
        "\n{} directives: {}\n",
        rows.len(),
        summary.join(", ")
    ));
    table
}

#[cfg(test)]
mod tests {
    use super::with_hash;

    #[test]
    fn pinning_sets_or_replaces_the_hash_only() {
        assert_eq!(
            with_hash("{{#snippet p:a.tf block=module.vpc}}", "abc"),
            "{{#snippet p:a.tf block=module.vpc hash=abc}}"
        );
        assert_eq!(
            with_hash("{{#snippet p:a.tf hash=old lang=hcl}}", "new"),
            "{{#snippet p:a.tf lang=hcl hash=new}}"
        );
    }
}
