//! Highlighted code blocks kept on disk between builds, keyed by a hash of the language
//! and the code: a rebuild highlights only the blocks it has not seen. The cache is one
//! file under the build directory, safe to delete; a file folio cannot read (another
//! version, damage) is ignored and rewritten.

use super::Highlighted;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// What the file starts with; another folio version (other grammars) starts otherwise.
const HEADER: &str = concat!("folio highlight cache 1 ", env!("CARGO_PKG_VERSION"), "\n");

/// A block's key: the first 16 bytes of SHA-256 over its language and code.
type Key = [u8; 16];

/// The blocks known from the last build and those highlighted in this one.
#[derive(Default)]
pub struct HighlightCache {
    known: HashMap<Key, Highlighted>,
    state: Mutex<Session>,
}

/// What this build looked up and added.
#[derive(Default)]
struct Session {
    used: HashSet<Key>,
    added: HashMap<Key, Highlighted>,
}

impl HighlightCache {
    /// The cache read from `bytes` (a cache file's contents); empty if they are not one.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self {
            known: parse(bytes).unwrap_or_default(),
            state: Mutex::default(),
        }
    }

    /// The block for `code` in `language`, highlighted by `highlight` when not cached.
    pub fn get_or_insert(
        &self,
        code: &str,
        language: &str,
        highlight: impl FnOnce() -> Highlighted,
    ) -> Highlighted {
        let key = key_of(code, language);
        if let Some(known) = self.known.get(&key) {
            self.session().used.insert(key);
            return known.clone();
        }
        if let Some(added) = self.session().added.get(&key) {
            return added.clone();
        }
        let highlighted = highlight();
        self.session().added.insert(key, highlighted.clone());
        highlighted
    }

    /// The cache file for the next build: the blocks this build used, sorted by key so
    /// that the same book gives the same bytes. Resets the session.
    pub fn take_file(&mut self) -> Vec<u8> {
        let session = std::mem::take(&mut *self.session());
        let mut entries: Vec<(Key, Highlighted)> = session.added.into_iter().collect();
        entries.extend(
            session
                .used
                .into_iter()
                .filter_map(|key| Some((key, self.known.get(&key)?.clone()))),
        );
        entries.sort_by_key(|(key, _)| *key);
        let mut bytes = HEADER.as_bytes().to_vec();
        for (key, entry) in &entries {
            bytes.extend_from_slice(key);
            bytes.push(u8::from(entry.known_language));
            bytes.extend_from_slice(&(entry.html.len() as u64).to_le_bytes());
            bytes.extend_from_slice(entry.html.as_bytes());
        }
        self.known = entries.into_iter().collect();
        bytes
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        // A panic elsewhere cannot leave the maps half-updated: each update is one insert.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn key_of(code: &str, language: &str) -> Key {
    let digest = Sha256::new()
        .chain_update(language.as_bytes())
        .chain_update([0])
        .chain_update(code.as_bytes())
        .finalize();
    let mut key = Key::default();
    key.copy_from_slice(&digest[..16]);
    key
}

/// The entries of a cache file, or None when it is not one this version wrote.
fn parse(bytes: &[u8]) -> Option<HashMap<Key, Highlighted>> {
    let mut rest = bytes.strip_prefix(HEADER.as_bytes())?;
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let (key, after) = rest.split_first_chunk::<16>()?;
        let (&known_language, after) = after.split_first()?;
        let (length, after) = after.split_first_chunk::<8>()?;
        let length = usize::try_from(u64::from_le_bytes(*length)).ok()?;
        let html = after.get(..length)?;
        entries.insert(
            *key,
            Highlighted {
                html: String::from_utf8(html.to_vec()).ok()?,
                known_language: known_language == 1,
            },
        );
        rest = &after[length..];
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighted(html: &str) -> Highlighted {
        Highlighted {
            html: html.to_string(),
            known_language: true,
        }
    }

    #[test]
    fn a_saved_block_is_not_highlighted_again() {
        let mut cache = HighlightCache::default();
        cache.get_or_insert("a: 1", "yaml", || highlighted("<b>a</b>"));
        let reloaded = HighlightCache::from_bytes(&cache.take_file());
        let again = reloaded.get_or_insert("a: 1", "yaml", || panic!("highlighted twice"));
        assert_eq!(again.html, "<b>a</b>");
        let other = reloaded.get_or_insert("a: 1", "json", || highlighted("json"));
        assert_eq!(other.html, "json", "the language is part of the key");
    }

    #[test]
    fn only_the_blocks_a_build_used_are_kept() {
        let mut cache = HighlightCache::default();
        cache.get_or_insert("old", "sh", || highlighted("old"));
        let mut next = HighlightCache::from_bytes(&cache.take_file());
        next.get_or_insert("new", "sh", || highlighted("new"));
        let kept = HighlightCache::from_bytes(&next.take_file());
        assert!(kept.known.len() == 1 && kept.known.contains_key(&key_of("new", "sh")));
    }

    #[test]
    fn a_damaged_or_foreign_file_is_ignored() {
        let mut cache = HighlightCache::default();
        cache.get_or_insert("x", "sh", || highlighted("x"));
        let bytes = cache.take_file();
        assert!(
            HighlightCache::from_bytes(&bytes[..bytes.len() - 1])
                .known
                .is_empty()
        );
        assert!(
            HighlightCache::from_bytes(b"something else")
                .known
                .is_empty()
        );
    }
}
