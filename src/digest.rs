//! SHA-256 digests written as hex, for content hashes, fingerprints and cache keys
//! kept on disk; [`hash_of`] for keys that live only as long as the process.

use sha2::{Digest, Sha256};
use std::hash::{DefaultHasher, Hash, Hasher};

/// The first `bytes` bytes (at most 32) of the SHA-256 of `data`, as lowercase hex.
pub fn sha256_hex(data: &[u8], bytes: usize) -> String {
    hex(&Sha256::digest(data)[..bytes.min(32)])
}

/// `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A hash of anything hashable, for cache keys within one process.
pub fn hash_of(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_digest() {
        assert_eq!(super::sha256_hex(b"abc", 4), "ba7816bf");
        assert_eq!(super::sha256_hex(b"abc", 64).len(), 64);
    }
}
