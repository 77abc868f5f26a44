//! Stable ASCII ids for headings: accents folded ("réseau" -> `reseau`), one per page.

use std::collections::HashSet;

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
}

impl UniqueIds {
    /// Reserves `wanted` (or `section` when it is empty), suffixing `-1`, `-2`... if taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() { "section" } else { wanted };
        let mut candidate = base.to_string();
        let mut suffix = 0;
        while !self.taken.insert(candidate.clone()) {
            suffix += 1;
            candidate = format!("{base}-{suffix}");
        }
        candidate
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
    fn suffixes_repeated_ids() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.claim("setup"), "setup");
        assert_eq!(ids.claim("setup"), "setup-1");
        assert_eq!(ids.claim("setup"), "setup-2");
        assert_eq!(ids.claim(""), "section");
    }
}
