//! `attest serve` as a person starts it, and `attest user reset-link`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Stdio};

use crate::support::{Attest, bare};

/// A running `attest serve` that is killed when dropped.
struct Serving {
    child: Child,
    lines: Vec<String>,
    addr: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `attest serve` on a free port and reads its console up to the "listening" line and
/// the setup link, if one follows.
fn serve(data_dir: &std::path::Path, extra: &[&str]) -> Serving {
    let mut child = bare()
        .env("ATTEST_DATA_DIR", data_dir)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    let mut addr = String::new();
    for _ in 0..40 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(rest) = line.strip_prefix("Attest is listening on http://") {
            addr = rest.split_whitespace().next().unwrap().to_string();
        }
        // The setup link is the last thing printed; with --demo, the listening line is.
        let last = line.contains("/setup?token=") || (!addr.is_empty() && !extra.is_empty());
        lines.push(line);
        if last {
            break;
        }
    }
    assert!(!addr.is_empty(), "no listening line in {lines:?}");
    Serving { child, lines, addr }
}

fn get(addr: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn serve_on_an_empty_data_dir_prints_a_one_time_setup_link() {
    let attest = Attest::sqlite();
    let s = serve(&attest.data_dir(), &[]);
    let link = s
        .lines
        .iter()
        .find(|l| l.contains("/setup?token="))
        .unwrap_or_else(|| panic!("{:?}", s.lines));
    assert!(
        link.trim()
            .starts_with(&format!("http://{}/setup?token=", s.addr))
    );
    let health = get(&s.addr, "/health");
    assert!(
        health.starts_with("HTTP/1.1 200") && health.contains("\"ok\""),
        "{health}"
    );
    let page = get(&s.addr, "/o/anything");
    assert!(
        page.starts_with("HTTP/1.1 303") && page.to_lowercase().contains("location: /signin"),
        "{page}"
    );
}

#[test]
fn serve_demo_prints_one_sign_in_per_role_and_reset_links_work_from_the_cli() {
    let attest = Attest::sqlite();
    let s = serve(&attest.data_dir(), &["--demo"]);
    let text = s.lines.join("");
    for role in ["owner", "admin", "contributor", "employee", "auditor"] {
        assert!(
            text.contains(&format!("  {role} ")),
            "{role} missing from {text}"
        );
    }
    assert!(
        !text.contains("/setup?token="),
        "the demo has accounts already"
    );
    drop(s);

    let link = attest.run(&[
        "user",
        "reset-link",
        "daniel.okoro@harborline.example",
        "--public-url",
        "https://attest.example.com/",
    ]);
    let url = link.ok().trim().to_string();
    assert!(
        url.starts_with("https://attest.example.com/reset/"),
        "{url}"
    );
    attest
        .run(&["user", "reset-link", "nobody@harborline.example"])
        .bad_input("no account has the email nobody@harborline.example");
}
