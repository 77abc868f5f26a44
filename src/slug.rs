//! Stable ids for headings, one per page: folio's ASCII ids (accents folded, "réseau" ->
//! `reseau`), or mdBook's, which an mdBook book's links are written against.

use std::collections::{HashMap, HashSet};

/// How a book's headings get their ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingIds {
    /// folio's: ASCII, accents folded, runs of other characters one dash ([`slugify`]).
    Folded,
    /// mdBook 0.5's: lowercase, letters of any script kept, each space a dash, other
    /// punctuation dropped ([`mdbook_id`]): `Foo - Bar` is `foo---bar`, `原生标识符` stays.
    Mdbook,
}

impl HeadingIds {
    /// The id of a heading whose text is `text`.
    pub fn of(self, text: &str) -> String {
        match self {
            HeadingIds::Folded => slugify(text),
            HeadingIds::Mdbook => mdbook_id(text),
        }
    }
}

/// mdBook 0.5's id of a heading: its text trimmed and lowercased, alphanumeric
/// characters (of any script), `_` and `-` kept, each whitespace a `-`, the rest dropped.
pub fn mdbook_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|character| {
            if character.is_alphanumeric() || character == '_' || character == '-' {
                Some(character)
            } else if character.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// Turns heading text into an ASCII id: lowercase letters, digits and single dashes.
pub fn slugify(text: &str) -> String {
    let folded = deunicode::deunicode(text).to_ascii_lowercase();
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Hands out ids that are unique within one page (`setup`, `setup-1`, `setup-2`).
#[derive(Debug, Default)]
pub struct UniqueIds {
    taken: HashSet<String>,
    /// The last suffix handed out for a base, so that the next search starts after it
    /// (linear time for thousands of identical headings).
    last_suffix: HashMap<String, usize>,
}

impl UniqueIds {
    /// Reserves `wanted` (or `section` when it is empty), suffixing `-1`, `-2`... if taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() { "section" } else { wanted };
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let suffix = self.last_suffix.entry(base.to_string()).or_default();
        loop {
            *suffix += 1;
            let candidate = format!("{base}-{suffix}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_french_accents_and_punctuation() {
        assert_eq!(
            slugify("Le réseau : état des lieux"),
            "le-reseau-etat-des-lieux"
        );
        assert_eq!(slugify("Œuvre à l'été 2018 !"), "oeuvre-a-l-ete-2018");
        assert_eq!(slugify("  "), "");
    }

    #[test]
    fn mdbook_ids_keep_every_script_and_each_space() {
        assert_eq!(mdbook_id("Foo - Bar"), "foo---bar");
        assert_eq!(mdbook_id("操作 UTF-8 字符串"), "操作-utf-8-字符串");
        assert_eq!(mdbook_id("Le réseau : état"), "le-réseau--état");
        assert_eq!(mdbook_id("The `match` Construct!"), "the-match-construct");
    }

    #[test]
    fn suffixes_repeated_ids() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.claim("setup"), "setup");
        assert_eq!(ids.claim("setup"), "setup-1");
        assert_eq!(ids.claim("setup"), "setup-2");
        assert_eq!(ids.claim(""), "section");
        // A heading whose text is itself a suffixed id: the next suffix skips it.
        assert_eq!(ids.claim("setup-3"), "setup-3");
        assert_eq!(ids.claim("setup"), "setup-4");
    }
}
