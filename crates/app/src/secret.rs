//! Random secrets (session ids, CSRF tokens, API tokens, reset links) and their stored hashes.

use sha2::{Digest, Sha256};

/// `n` random bytes from the operating system, as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    hex(&bytes)
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a secret, as stored in the database. The secrets are 128 bits or more of randomness,
/// so a fast hash is enough (unlike passwords).
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// The prefix of personal API tokens, so that leaked tokens are easy to recognise in logs and scanners.
pub const TOKEN_PREFIX: &str = "tdk_";

/// A new personal API token: `tdk_` and 40 hex characters (160 bits).
pub fn new_api_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_hex(20))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_hex() {
        let a = random_hex(32);
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, random_hex(32));
        assert!(new_api_token().starts_with("tdk_"));
        assert_eq!(digest("x"), "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
    }
}
