//! The sample edition: only the pages marked `sample = true` (in their own front matter
//! or their source page's) keep their text; every other page stays in the table of
//! contents as a notice that it is not part of the sample, so no link leads to a 404.

use super::{Book, PageContent};
use crate::diagnostic::Diagnostic;
use std::collections::HashSet;

/// Turns `book` into its sample edition.
pub fn restrict_to_sample(book: &mut Book) -> Result<(), Diagnostic> {
    let marked: HashSet<String> = book
        .editions
        .iter()
        .flat_map(|edition| &edition.pages)
        .filter(|page| matches!(&page.content, PageContent::Written(written) if written.front_matter.sample))
        .map(|page| page.path.clone())
        .collect();
    if marked.is_empty() {
        return Err(
            Diagnostic::error("empty-sample", "no page is marked `sample = true`")
                .in_file(book.root.join(crate::config::CONFIG_FILE))
                .with_hint(
                    "add `sample = true` to the front matter of the chapters the free sample holds",
                ),
        );
    }
    for edition in &mut book.editions {
        for page in &mut edition.pages {
            if !marked.contains(&page.path) {
                page.content = PageContent::NotInSample;
            }
        }
    }
    Ok(())
}
