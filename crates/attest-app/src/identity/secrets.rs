//! Random secrets, their stored hashes, and password hashing (argon2id).

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::AppError;

/// A random secret of 32 bytes, URL-safe: session cookies, CSRF tokens, links, API tokens.
pub fn new_secret() -> String {
    random_token()
}

/// Compares two secrets without leaking through timing where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    constant_time_eq::constant_time_eq(a, b)
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// What the database keeps of a high-entropy secret: its SHA-256, in hex. (A slow hash would
/// add nothing for 256 random bits, and every request looks a session up.)
pub(crate) fn secret_hash(secret: &str) -> String {
    crate::evidence::sha256_hex(secret.as_bytes())
}

pub(crate) const MIN_PASSWORD_CHARS: usize = 12;
const MAX_PASSWORD_BYTES: usize = 1024;

/// Checks a new password against the policy: long enough to resist guessing, short enough
/// that hashing it cannot be used to tie up the server.
pub(crate) fn check_new_password(password: &str, email: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::Invalid(format!(
            "the password must be at least {MIN_PASSWORD_CHARS} characters; a few unrelated words make a strong one"
        )));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::Invalid(format!(
            "the password must be at most {MAX_PASSWORD_BYTES} bytes"
        )));
    }
    if password.eq_ignore_ascii_case(email) {
        return Err(AppError::Invalid(
            "the password must not be your email address".into(),
        ));
    }
    Ok(())
}

/// Hashes a password with argon2id at the crate's defaults (19 MiB, 2 passes), which follow
/// the OWASP recommendation. Blocking: call from a blocking thread in servers.
pub(crate) fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
}

/// Checks a password against a stored hash; a malformed hash counts as a mismatch.
pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a password nobody has, checked when the email is unknown so that the answer
/// takes as long as for a known one and does not reveal which accounts exist.
pub(crate) fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password(&random_token()).unwrap_or_default());
    &DUMMY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery staple").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("correct horse battery stapler", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn short_passwords_and_the_email_itself_are_refused() {
        assert!(check_new_password("short", "a@b.co").is_err());
        assert!(check_new_password("ada@example.com", "ada@example.com").is_err());
        assert!(check_new_password("four unrelated words here", "a@b.co").is_ok());
    }

    #[test]
    fn tokens_are_distinct_and_hashes_are_stable() {
        assert_ne!(random_token(), random_token());
        assert_eq!(secret_hash("x"), secret_hash("x"));
        assert_eq!(secret_hash("x").len(), 64);
    }
}
