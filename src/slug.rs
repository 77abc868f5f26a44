//! Stable ASCII ids for headings: accents folded ("réseau" -> `reseau`), one per page.

use std::collections::{HashMap, HashSet};

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
