//! Email for password resets, sent over SMTP when `--smtp-url` is configured.
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
        let Ok(to) = to.parse::<Mailbox>() else {
            return;
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject("Reset your Attest password")
            .body(format!(
                "Someone asked to reset the password of this Attest account.\n\n\
                 To choose a new password, open this link within the hour:\n{link}\n\n\
                 If it was not you, ignore this email: your password stays as it is.\n"
            ));
        let transport = self.transport.clone();
        tokio::spawn(async move {
            let result = match message {
                Ok(m) => transport
                    .send(m)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            if let Err(e) = result {
                tracing::error!(error = %e, "sending a password-reset email failed");
            }
        });
    }
}
