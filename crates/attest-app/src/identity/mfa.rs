//! TOTP multi-factor authentication (RFC 6238, the codes authenticator apps show) and the
//! recovery codes that stand in for a lost phone.

use attest_core::Email;
use attest_store::User;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::account_entry;
use super::secrets::{random_bytes, secret_hash};
use super::sessions::Principal;
use crate::error::AppError;
use crate::workspace::{Actor, App};

/// What a person needs to add Attest to an authenticator app.
#[derive(Debug, Clone)]
pub struct TotpEnrollment {
    /// The shared secret in base32, for typing in by hand.
    pub secret: String,
    /// The `otpauth://` URL a QR code carries.
    pub url: String,
}

const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Attest";

fn totp(secret: &Secret, email: &str) -> Result<Totp, AppError> {
    // SHA-1, 6 digits, 30 s steps: the only settings every authenticator app honours.
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_skew(1)
        .with_secret(secret.clone())
        .with_issuer(Some(ISSUER))
        .with_account_name(email)
        .build()
        .map_err(|e| AppError::Internal(format!("building the TOTP generator: {e}")))
}

fn stored_totp(secret_base32: &str, email: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(|e| AppError::Internal(format!("the stored TOTP secret is unreadable: {e}")))?;
    totp(&secret, email)
}

/// A recovery code as people type it: ten characters in two groups.
fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bytes: [u8; 10] = random_bytes();
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

fn normalize_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn normalize_totp_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

impl App {
    /// Starts enrolling TOTP: a fresh secret, kept pending until a code from it is confirmed.
    pub async fn begin_totp(&self, user: &User) -> Result<TotpEnrollment, AppError> {
        if user.mfa_enabled {
            return Err(AppError::Conflict(
                "multi-factor authentication is already on for this account".into(),
            ));
        }
        let secret = Secret::from(random_bytes::<20>().to_vec());
        let t = totp(&secret, user.email.as_str())?;
        let base32 = secret.to_base32();
        let sealed = self.sealing_key().await?.seal(&base32, &user.id)?;
        self.store.set_pending_totp(&user.id, &sealed).await?;
        Ok(TotpEnrollment {
            secret: base32,
            url: t
                .to_url()
                .map_err(|e| AppError::Internal(format!("building the otpauth URL: {e}")))?,
        })
    }

    /// The enrollment in progress, to show again (after a typo in the confirmation code).
    pub async fn pending_totp(&self, user: &User) -> Result<Option<TotpEnrollment>, AppError> {
        let creds = self.store.credentials(&user.id).await?;
        match (creds.totp_secret, creds.totp_enabled) {
            (Some(sealed), false) => {
                let secret = self.sealing_key().await?.open(&sealed, &user.id)?;
                let t = stored_totp(&secret, user.email.as_str())?;
                Ok(Some(TotpEnrollment {
                    url: t.to_url().map_err(|e| {
                        AppError::Internal(format!("building the otpauth URL: {e}"))
                    })?,
                    secret,
                }))
            }
            _ => Ok(None),
        }
    }

    /// Confirms enrollment with a current code; returns the recovery codes, shown once.
    pub async fn confirm_totp(
        &self,
        principal: &Principal,
        code: &str,
    ) -> Result<Vec<String>, AppError> {
        let user = &principal.user;
        let creds = self.store.credentials(&user.id).await?;
        let Some(sealed) = creds.totp_secret.filter(|_| !creds.totp_enabled) else {
            return Err(AppError::Invalid(
                "there is no enrollment in progress; start again from the security page".into(),
            ));
        };
        let secret = self.sealing_key().await?.open(&sealed, &user.id)?;
        let t = stored_totp(&secret, user.email.as_str())?;
        let Some(step) = t.check_current(&normalize_totp_code(code)) else {
            return Err(AppError::Invalid(
                "that code does not match; check the phone's clock and type the 6 digits the app shows now".into(),
            ));
        };
        self.store.record_totp_step(&user.id, step as i64).await?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| secret_hash(&normalize_recovery_code(c)))
            .collect();
        self.store
            .enable_totp(
                &user.id,
                &hashes,
                &account_entry(user.email.as_str(), "user.mfa-enabled", user.email.as_str()),
            )
            .await?;
        if let Some(session) = &principal.session {
            self.store.pass_session_mfa(session).await?;
        }
        Ok(codes)
    }

    /// Checks the second factor for a session: a current TOTP code (each accepted once) or an
    /// unused recovery code (spent by using it).
    pub async fn pass_second_factor(
        &self,
        principal: &Principal,
        code: &str,
    ) -> Result<(), AppError> {
        let user = &principal.user;
        let creds = self.store.credentials(&user.id).await?;
        let wrong = || {
            AppError::Unauthenticated(
                "that code is not valid; type the 6 digits your authenticator app shows now, or one of your recovery codes".into(),
            )
        };
        let (Some(sealed), true) = (creds.totp_secret, creds.totp_enabled) else {
            return Err(wrong());
        };
        let digits = normalize_totp_code(code);
        let accepted = if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let secret = self.sealing_key().await?.open(&sealed, &user.id)?;
            let t = stored_totp(&secret, user.email.as_str())?;
            match t.check_current(&digits) {
                Some(step) => self.store.record_totp_step(&user.id, step as i64).await?,
                None => false,
            }
        } else {
            let hash = secret_hash(&normalize_recovery_code(code));
            self.store.use_recovery_code(&user.id, &hash).await?
        };
        if !accepted {
            return Err(wrong());
        }
        if let Some(session) = &principal.session {
            self.store.pass_session_mfa(session).await?;
        }
        Ok(())
    }

    /// Turns a person's second factor off (a lost phone and lost recovery codes, or a lost
    /// key file): they sign in with their password and enroll again. Ends their sessions.
    pub async fn reset_second_factor(&self, email: &Email, actor: &Actor) -> Result<(), AppError> {
        let user = self.user_for_admin(email).await?;
        let entry = account_entry(actor.as_str(), "user.mfa-reset", email.as_str());
        Ok(self.store.reset_second_factor(&user.id, &entry).await?)
    }

    /// An account named by an administrator at the server; an unknown email says so.
    pub(crate) async fn user_for_admin(&self, email: &Email) -> Result<User, AppError> {
        match self.store.user_by_email(email).await {
            Ok(user) => Ok(user),
            Err(attest_store::StoreError::NotFound) => Err(AppError::NotFound(format!(
                "no account has the email {email}; check the spelling (Settings → Members lists who is in each org)"
            ))),
            Err(e) => Err(e.into()),
        }
    }

    /// Recovery codes the user has not spent yet.
    pub async fn recovery_codes_left(&self, user: &User) -> Result<i64, AppError> {
        Ok(self.store.recovery_codes_left(&user.id).await?)
    }
}

/// The current code for a base32 secret: what an authenticator app would show. Tests and the
/// browser tests use it to play the phone.
pub fn current_totp_code(secret_base32: &str) -> Result<String, AppError> {
    let t = stored_totp(secret_base32, "someone@example.com")?;
    Ok(t.generate_current().to_string())
}
