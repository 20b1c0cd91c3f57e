//! Encryption of the secrets the server must read back, such as TOTP seeds (passwords and
//! tokens are only hashed; a seed cannot be, since codes are computed from it).
//!
//! XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`) with a random 192-bit nonce per value
//! and the owning record's id as associated data, so a sealed value copied onto another
//! account does not open. The 256-bit key lives in a file outside the database (`secret.key`
//! in the data dir, mode 0600): a copy of the database alone, such as a backup or a PostgreSQL
//! dump, does not give away anyone's second factor. The key is created on first use, but
//! never while sealed values exist: a missing key file then means a lost one, and is an error
//! rather than a silent lock-out of everyone enrolled.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use super::secrets::random_bytes;
use crate::error::AppError;

/// The prefix of a sealed value, naming the scheme so it can change later.
const SCHEME: &str = "v1.";
const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

/// The key that seals and opens stored secrets.
pub(crate) struct SealingKey {
    cipher: XChaCha20Poly1305,
    path: PathBuf,
}

impl std::fmt::Debug for SealingKey {
    /// Never prints the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealingKey")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SealingKey {
    /// Reads the key file; `None` when there is none yet.
    pub(crate) fn load(path: &Path) -> Result<Option<SealingKey>, AppError> {
        match std::fs::read(path) {
            Ok(bytes) => Self::from_bytes(&bytes, path).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::Invalid(format!(
                "cannot read the key file {} ({e}); check its permissions",
                path.display()
            ))),
        }
    }

    /// Creates the key file, readable by this user only (or reads the one another process
    /// created a moment ago).
    pub(crate) fn create(path: &Path) -> Result<SealingKey, AppError> {
        let bytes = create_key_file(path)?;
        Self::from_bytes(&bytes, path)
    }

    fn from_bytes(bytes: &[u8], path: &Path) -> Result<SealingKey, AppError> {
        let key: [u8; KEY_LEN] = bytes.try_into().map_err(|_| {
            AppError::Invalid(format!(
                "the key file {} holds {} bytes, not {KEY_LEN}: it is damaged or not Attest's; restore it from your backup",
                path.display(),
                bytes.len()
            ))
        })?;
        Ok(SealingKey {
            cipher: XChaCha20Poly1305::new(&key.into()),
            path: path.to_path_buf(),
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Encrypts `secret` for the record `owner` (its id).
    pub(crate) fn seal(&self, secret: &str, owner: &str) -> Result<String, AppError> {
        let nonce: [u8; NONCE_LEN] = random_bytes();
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| AppError::Internal("sealing a secret failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{SCHEME}{}", URL_SAFE_NO_PAD.encode(out)))
    }

    /// Decrypts a value sealed for `owner`. A value without the scheme prefix is a seed
    /// stored in the clear by a version before sealing, and is returned as it is.
    pub(crate) fn open(&self, sealed: &str, owner: &str) -> Result<String, AppError> {
        let Some(body) = sealed.strip_prefix(SCHEME) else {
            return Ok(sealed.to_string());
        };
        let unreadable = || {
            AppError::Internal(format!(
                "a stored secret of account {owner} does not open with the key in {}: the key file was replaced, or the database comes from another installation; restore the key file, or turn the person's second factor off with `attest user reset-mfa EMAIL` so they enroll again",
                self.path.display()
            ))
        };
        let raw = Some(body)
            .and_then(|b64| URL_SAFE_NO_PAD.decode(b64).ok())
            .filter(|raw| raw.len() > NONCE_LEN)
            .ok_or_else(unreadable)?;
        let (nonce, ciphertext) = raw.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| unreadable())?;
        let plain = self
            .cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| unreadable())?;
        String::from_utf8(plain).map_err(|_| unreadable())
    }
}

/// Writes a fresh random key (or reads the one another process wrote a moment ago).
fn create_key_file(path: &Path) -> Result<Vec<u8>, AppError> {
    let key: [u8; KEY_LEN] = random_bytes();
    if crate::keyfile::create_private_file(path, &key)? {
        return Ok(key.to_vec());
    }
    std::fs::read(path).map_err(|e| {
        AppError::Invalid(format!("cannot read the key file {} ({e})", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_for_its_owner() {
        let dir = tempfile::tempdir().unwrap();
        let key = SealingKey::create(&dir.path().join("secret.key")).unwrap();
        let sealed = key.seal("JBSWY3DPEHPK3PXP", "user-1").unwrap();
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(
            sealed,
            key.seal("JBSWY3DPEHPK3PXP", "user-1").unwrap(),
            "fresh nonce"
        );
        assert_eq!(key.open(&sealed, "user-1").unwrap(), "JBSWY3DPEHPK3PXP");
        assert!(key.open(&sealed, "user-2").is_err(), "bound to its owner");

        let again = SealingKey::load(&dir.path().join("secret.key"))
            .unwrap()
            .unwrap();
        assert_eq!(again.open(&sealed, "user-1").unwrap(), "JBSWY3DPEHPK3PXP");
        let other_dir = tempfile::tempdir().unwrap();
        let other = SealingKey::create(&other_dir.path().join("secret.key")).unwrap();
        let err = other.open(&sealed, "user-1").unwrap_err().to_string();
        assert!(err.contains("restore the key file"), "{err}");
        assert_eq!(
            key.open("JBSWY3DPEHPK3PXP", "user-1").unwrap(),
            "JBSWY3DPEHPK3PXP",
            "a seed from before sealing"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_private_and_a_damaged_one_is_named() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        SealingKey::create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::write(&path, b"short").unwrap();
        let err = SealingKey::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("secret.key") && err.contains("5 bytes"),
            "{err}"
        );
    }
}
