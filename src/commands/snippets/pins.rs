//! The pinned texts kept beside the book, so that a stale snippet can show what
//! changed: `folio snippets --pin` writes each pinned selection to
//! `.folio/pinned/HASH` (commit it with the book), and `--diff` compares the text a
//! directive pinned with the text it selects now. Both go through
//! [`StateDir`](crate::state_dir::StateDir): never through a link the book ships.

use super::{SnippetRow, SnippetStatus};
use crate::diagnostic::Diagnostic;
use crate::snippets::directive;
use crate::state_dir::StateDir;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where the pinned texts are kept, under the book's directory.
pub const PINNED_DIR: &str = ".folio/pinned";

/// True for a name `--pin` can have written: the hex digits of a content hash. A hash
/// read from a page (a stranger's text) never names any other file.
fn is_hash(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_hexdigit())
}

/// The directory of pinned texts, created: checked before `--pin` changes a page, so a
/// refused directory leaves the pages as they were.
pub fn open_for_pinning(book_root: &Path) -> Result<StateDir, Diagnostic> {
    StateDir::open(book_root, PINNED_DIR, true)
        .map(|state| state.expect("a created directory exists"))
}

/// Keeps the current text of every pinned row, and removes the texts no directive pins
/// any more (only files named like a hash, in [`PINNED_DIR`]).
pub fn keep(state: &StateDir, rows: &[SnippetRow]) -> Result<(), Diagnostic> {
    let mut pinned = BTreeSet::new();
    for row in rows {
        let (Some(hash), Some(text)) = (&row.hash, &row.text) else {
            // Not pinned again (its selection is gone): what it pinned stays, for --diff.
            pinned.extend(pinned_hash(row));
            continue;
        };
        if !is_hash(hash) {
            continue;
        }
        if !state.holds(hash) {
            state.write(hash, text.as_bytes())?;
        }
        pinned.insert(hash.clone());
    }
    for name in state.file_names()? {
        if is_hash(&name) && !pinned.contains(&name) {
            state.remove(&name)?;
        }
    }
    Ok(())
}

/// For each stale row (changed, or gone while pinned): where it is, and a unified diff
/// of its pinned text against its current one. A pinned text that is a link, or a
/// [`PINNED_DIR`] reached through one, is an error: nothing outside the book is shown.
pub fn diffs(book_root: &Path, rows: &[SnippetRow]) -> Result<String, Diagnostic> {
    let state = StateDir::open(book_root, PINNED_DIR, false)?;
    let mut report = String::new();
    let stale = rows.iter().filter(|row| {
        row.status == SnippetStatus::Stale
            || (row.status == SnippetStatus::Broken && pinned_hash(row).is_some())
    });
    for row in stale {
        let file: PathBuf = row
            .file
            .strip_prefix(book_root)
            .unwrap_or(&row.file)
            .to_path_buf();
        let pinned = pinned_hash(row).unwrap_or_default();
        let now = row.hash.as_deref().unwrap_or("gone");
        report.push_str(&format!(
            "{}:{}: {} (pinned {pinned}, now {now})\n",
            file.display(),
            row.line,
            row.directive.trim()
        ));
        let before = match &state {
            Some(state) if is_hash(&pinned) => state.read(&pinned)?,
            _ => None,
        };
        match before {
            Some(before) => {
                let after = row.text.as_deref().unwrap_or_default();
                let diff = similar::TextDiff::from_lines(before.as_str(), after);
                report.push_str(
                    &diff
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("pinned {pinned}"), &format!("now {now}"))
                        .to_string(),
                );
            }
            None => report.push_str(&format!(
                "  the pinned text was not kept ({PINNED_DIR}/{pinned} is missing: pinned by hand or by an older folio); check the selection, then `folio snippets --pin`\n"
            )),
        }
        report.push('\n');
    }
    if report.is_empty() {
        report.push_str("No stale snippets.\n");
    }
    Ok(report)
}

/// The hash a row's directive pins.
fn pinned_hash(row: &SnippetRow) -> Option<String> {
    directive::parse(&row.directive).ok()?.pinned
}
