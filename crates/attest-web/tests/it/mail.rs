//! Password-reset and invitation email over SMTP, received by a small SMTP server in the test that speaks the
//! protocol as a mail server does (greeting, EHLO, MAIL, RCPT, DATA, QUIT).

use attest_store::testing::TestDb;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::support::World;

/// Accepts one message and sends its DATA back through the channel.
async fn smtp_sink() -> (u16, tokio::sync::oneshot::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let _ = tx.send(receive(stream).await);
    });
    (port, rx)
}

/// Accepts messages until the test ends, each one's DATA sent through the channel.
pub(crate) async fn smtp_inbox() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = tx.send(receive(stream).await);
        }
    });
    (port, rx)
}

/// Speaks SMTP as a mail server does for one session and returns the message's DATA.
async fn receive(stream: tokio::net::TcpStream) -> String {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink.test ESMTP\r\n").await.unwrap();
    let mut data = String::new();
    let mut in_data = false;
    while let Ok(Some(line)) = lines.next_line().await {
        if in_data {
            if line == "." {
                in_data = false;
                write.write_all(b"250 queued\r\n").await.unwrap();
            } else {
                data.push_str(&line);
                data.push('\n');
            }
            continue;
        }
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 sink.test\r\n",
            "DATA" => {
                in_data = true;
                b"354 go ahead\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await.unwrap();
                break;
            }
            _ => b"250 ok\r\n",
        };
        write.write_all(reply).await.unwrap();
    }
    data
}

async fn world_with_mail(port: u16) -> World {
    World::build_with(TestDb::sqlite(), |c| {
        c.mailer = Some(
            attest_web::Mailer::new(
                &format!("smtp://127.0.0.1:{port}"),
                "Attest <attest@acme.example>",
            )
            .unwrap(),
        );
    })
    .await
}

/// The message as a mail client shows it: quoted-printable soft line breaks joined.
async fn delivered(received: tokio::sync::oneshot::Receiver<String>) -> String {
    tokio::time::timeout(std::time::Duration::from_secs(10), received)
        .await
        .unwrap()
        .unwrap()
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// The first path starting with `prefix` in a message.
fn path_in(mail: &str, prefix: &str) -> String {
    let at = mail
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {mail}"));
    mail[at..]
        .chars()
        .take_while(|ch| !ch.is_whitespace())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_is_mailed_with_a_link_that_opens_the_account() {
    let (port, received) = smtp_sink().await;
    let world = world_with_mail(port).await;
    let owner = world.signed_in("owner").await;
    let members = format!("/o/{}/settings/members", world.acme);
    owner.get(&members).await;
    let invited = owner
        .post_form(
            &members,
            &[
                ("email", "newbie@acme.example"),
                ("name", "Nell Newbie"),
                ("role", "contributor"),
            ],
        )
        .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    assert!(
        invited.body.contains("We are emailing them"),
        "{}",
        invited.body
    );
    let mail = delivered(received).await;
    assert!(
        mail.contains("To: newbie@acme.example")
            && mail.contains("Subject: Olive Owner added you to Acme Cloud in Attest"),
        "{mail}"
    );
    assert!(mail.contains("as contributor"), "{mail}");
    let path = path_in(&mail, "/invite/");
    let c = world.server.client();
    assert_eq!(c.get(&path).await.status, 200);
    let set = c
        .post_form(
            &path,
            &[
                ("password", "invited passphrase 9"),
                ("password_again", "invited passphrase 9"),
            ],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    assert_eq!(
        c.get(&format!("/o/{}/controls", world.acme)).await.status,
        200,
        "the new member is in"
    );
    world.server.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgot_password_mails_a_link_that_sets_a_new_password() {
    let (port, received) = smtp_sink().await;
    let world = world_with_mail(port).await;
    let c = world.server.client();
    assert!(
        c.get("/forgot")
            .await
            .body
            .contains("we will send you a link")
    );
    let sent = c
        .post_form("/forgot", &[("email", "auditor@acme.example")])
        .await;
    assert_eq!(sent.status, 200);
    assert!(sent.body.contains("If an account has this email"));
    let mail = delivered(received).await;
    assert!(
        mail.contains("To: auditor@acme.example")
            && mail.contains("Subject: Reset your Attest password"),
        "{mail}"
    );
    let path = path_in(&mail, "/reset/");
    let page = c.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let set = c
        .post_form(
            &path,
            &[
                ("password", "mailed passphrase 7"),
                ("password_again", "mailed passphrase 7"),
            ],
        )
        .await;
    assert_eq!(set.status, 303);
    assert_eq!(
        world
            .server
            .client()
            .sign_in("auditor@acme.example", "mailed passphrase 7")
            .await
            .status,
        303
    );
    world.server.finish().await;
}
