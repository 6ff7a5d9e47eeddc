//! Passwords: Argon2id hashes in PHC strings, computed on the blocking thread pool so that a burst of
//! logins does not stall the async executor.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

/// The minimum length of a new password.
pub const MIN_LENGTH: usize = 10;

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Shorter than [`MIN_LENGTH`] characters.
    TooShort,
    /// The same as the username.
    SameAsUsername,
    /// Only one kind of character (all digits, say).
    TooSimple,
}

impl Weakness {
    /// The field error code.
    pub fn code(self) -> &'static str {
        match self {
            Weakness::TooShort => "password_too_short",
            Weakness::SameAsUsername => "password_is_username",
            Weakness::TooSimple => "password_too_simple",
        }
    }
}

/// Checks a new password against the rules.
pub fn check_strength(password: &str, username: &str) -> Result<(), Weakness> {
    if password.chars().count() < MIN_LENGTH {
        return Err(Weakness::TooShort);
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(Weakness::SameAsUsername);
    }
    let classes = [
        password.chars().any(char::is_lowercase),
        password.chars().any(char::is_uppercase),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 2 {
        return Err(Weakness::TooSimple);
    }
    Ok(())
}

/// Hashes a password with Argon2id (default parameters, a random salt).
pub async fn hash(password: String) -> Result<String, argon2::password_hash::Error> {
    tokio::task::spawn_blocking(move || Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()))
        .await
        .unwrap_or(Err(argon2::password_hash::Error::Crypto))
}

/// A valid hash of a random password, verified against when the account does not exist, so that an
/// unknown username takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(super::secret::random_hex(16).as_bytes())
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Verifies a password against a stored hash (or, when `stored` is `None`, against a dummy hash and
/// returns false).
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = Argon2::default().verify_password(password.as_bytes(), stored.as_str()).is_ok();
        known && ok
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash("Mật khẩu đủ dài 2026".to_owned()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Mật khẩu đủ dài 2026".to_owned(), Some(h.clone())).await);
        assert!(!verify("sai mật khẩu".to_owned(), Some(h)).await);
        assert!(!verify("anything".to_owned(), None).await);
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert_eq!(check_strength("ngan", "an"), Err(Weakness::TooShort));
        assert_eq!(check_strength("nguyenvanan", "nguyenvanan"), Err(Weakness::SameAsUsername));
        assert_eq!(check_strength("1234567890", "an"), Err(Weakness::TooSimple));
        assert_eq!(check_strength("hoabinh2026", "an"), Ok(()));
    }
}
