//! Email for password resets and invitations, sent over SMTP when `--smtp-url` is configured.
//!
//! Sending happens in the background, so the answer to "forgot password" takes the same time
//! whether or not the account exists; a failure is logged (without the link) for the operator.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Where and as whom to send mail.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password: never print it.
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// `url` is `smtp://host:port` (STARTTLS when offered), `smtps://…` (TLS) or with
    /// `?tls=required`, and may carry `user:password@`; `from` is the sender, e.g.
    /// `Attest <attest@example.com>`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("the SMTP URL is not valid ({e}); use smtp://host:587 or smtps://user:password@host:465"))?
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("the sender `{from}` is not an email address ({e}); use e.g. \"Attest <attest@example.com>\""))?;
        Ok(Mailer { transport, from })
    }

    /// Sends a password-reset link to `to`, in the background.
    pub(crate) fn send_reset_link(&self, to: &str, link: String) {
        self.send(
            to,
            "Reset your Attest password",
            format!(
                "Someone asked to reset the password of this Attest account.\n\n\
                 To choose a new password, open this link within the hour:\n{link}\n\n\
                 If it was not you, ignore this email: your password stays as it is.\n"
            ),
            "a password-reset email",
        );
    }

    /// Tells `to` they were added to an org: with the link to choose a password for a new
    /// account, or where to sign in for an existing one.
    pub(crate) fn send_invitation(&self, invitation: Invitation<'_>) {
        let Invitation {
            to,
            org,
            inviter,
            role,
            link,
            sign_in,
        } = invitation;
        let next = match link {
            Some(link) => format!(
                "To choose your password and sign in, open this link within 7 days (it works once):\n{link}\n"
            ),
            None => format!("Sign in with your existing Attest account:\n{sign_in}\n"),
        };
        self.send(
            to,
            &format!("{inviter} added you to {org} in Attest"),
            format!(
                "{inviter} added you to {org}'s compliance program in Attest, as {role}.\n\n{next}\n\
                 If you did not expect this, ignore this email or tell {inviter}.\n"
            ),
            "an invitation email",
        );
    }

    fn send(&self, to: &str, subject: &str, body: String, what: &'static str) {
        let mailer = self.clone();
        let (to, subject) = (to.to_owned(), subject.to_owned());
        tokio::spawn(async move {
            if let Err(e) = mailer.send_now(&to, &subject, body).await {
                tracing::error!(error = %e, "sending {what} failed");
            }
        });
    }

    /// Sends one message and waits for the server to take it.
    pub(crate) async fn send_now(
        &self,
        to: &str,
        subject: &str,
        body: String,
    ) -> Result<(), String> {
        let to = to
            .parse::<Mailbox>()
            .map_err(|_| "the recipient address is not one SMTP accepts".to_owned())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .body(body)
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// What an invitation email says.
pub(crate) struct Invitation<'a> {
    pub(crate) to: &'a str,
    pub(crate) org: &'a str,
    pub(crate) inviter: &'a str,
    pub(crate) role: &'a str,
    /// The one-time link for a new account.
    pub(crate) link: Option<&'a str>,
    /// Where an existing account signs in.
    pub(crate) sign_in: &'a str,
}
