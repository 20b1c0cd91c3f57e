//! `attest serve` on loopback: cold start to the first answer, and pages under wrk with a
//! signed-in session, with the server's memory sampled while the load runs.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use attest_app::{SessionPolicy, SignIn};
use attest_store::Org;

use crate::Res;
use crate::machine;
use crate::target::Workspace;

/// A running `attest serve`, stopped when dropped.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Server {
    /// Starts the server on a free loopback port and waits for `/health` to answer 200.
    /// Returns it with the time from spawning the process to that answer.
    pub fn start(attest: &Path, workspace: &Workspace) -> Res<(Server, Duration)> {
        let port = free_port()?;
        let started = Instant::now();
        let child = Command::new(attest)
            .args(workspace.cli_args())
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            // The server prints a one-time setup link: nothing of it is kept.
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let mut server = Server { child, port };
        loop {
            if get_status(port, "/health") == Some(200) {
                return Ok((server, started.elapsed()));
            }
            if let Some(status) = server.child.try_wait()? {
                return Err(format!("`attest serve` exited before answering: {status}").into());
            }
            if started.elapsed() > Duration::from_secs(60) {
                return Err("`attest serve` did not answer /health within 60 s".into());
            }
            std::thread::sleep(Duration::from_micros(500));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn rss_mb(&self) -> f64 {
        machine::process_kb(self.pid(), "VmRSS") as f64 / 1024.0
    }
}

fn free_port() -> Res<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// The status code of a plain `GET`, or `None` when nothing answers.
fn get_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// Start-up of `attest --version`: the cost of starting the binary at all, the floor under
/// any cold start. In milliseconds.
pub fn exec_floor(attest: &Path, runs: usize) -> Res<Vec<f64>> {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(attest)
                .arg("--version")
                .stdout(Stdio::null())
                .status()?;
            if !status.success() {
                return Err(format!("`attest --version` failed: {status}").into());
            }
            Ok(started.elapsed().as_secs_f64() * 1000.0)
        })
        .collect()
}

/// A session cookie for the demo's owner, signed in with a password as the sign-in form does
/// (the accounts are the ones `attest serve --demo` creates).
pub async fn owner_session(workspace: &Workspace, org: &Org) -> Res<String> {
    let app = workspace.open().await?;
    let logins = app.create_demo_logins(org).await?;
    let owner = logins
        .iter()
        .find(|l| l.role == attest_core::Role::Owner)
        .ok_or("the demo has no owner account")?;
    let policy = SessionPolicy::default();
    let user = match app
        .sign_in(owner.email.as_str(), &owner.password, &policy)
        .await?
    {
        SignIn::Done(user) => user,
        SignIn::NeedsSecondFactor(_) => return Err("the demo owner has a second factor".into()),
    };
    let session = app.start_session(&user, false, &policy).await?;
    app.close().await;
    Ok(session.cookie)
}

/// One wrk run: latency percentiles in milliseconds and requests a second.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests_per_s: f64,
    /// The server's highest RSS while the load ran, MB.
    pub peak_rss_mb: f64,
}

/// `wrk` with `connections` clients for `seconds` on `path`, with the session cookie. Every
/// answer must be a success: a page that fails fast is not a fast page.
pub fn load(
    server: &Server,
    path: &str,
    cookie: &str,
    connections: usize,
    seconds: u64,
) -> Res<Load> {
    let sampling = Arc::new(AtomicBool::new(true));
    let peak_kb = Arc::new(AtomicU64::new(0));
    let sampler = {
        let sampling = Arc::clone(&sampling);
        let peak_kb = Arc::clone(&peak_kb);
        let pid = server.pid();
        std::thread::spawn(move || {
            while sampling.load(Ordering::Relaxed) {
                peak_kb.fetch_max(machine::process_kb(pid, "VmRSS"), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let output = Command::new("wrk")
        .args([
            "--threads",
            "2",
            "--connections",
            &connections.to_string(),
            "--duration",
            &format!("{seconds}s"),
            "--latency",
            "--header",
            &format!("Cookie: attest_session={cookie}"),
            &format!("http://127.0.0.1:{}{path}", server.port),
        ])
        .output();
    sampling.store(false, Ordering::Relaxed);
    sampler.join().ok();
    let output = output.map_err(|e| {
        format!("cannot run wrk ({e}): install it (Debian: apt-get install wrk) or use bench/run, which does")
    })?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("wrk failed on {path}: {text}").into());
    }
    if let Some(line) = text
        .lines()
        .find(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
    {
        return Err(format!(
            "{path} did not answer every request with success: {}",
            line.trim()
        )
        .into());
    }
    let percentile = |label: &str| -> Res<f64> {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(str::trim)
            .and_then(duration_ms)
            .ok_or_else(|| format!("wrk printed no {label} latency for {path}: {text}").into())
    };
    let requests_per_s = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("wrk printed no request rate for {path}: {text}"))?;
    Ok(Load {
        p50_ms: percentile("50%")?,
        p99_ms: percentile("99%")?,
        requests_per_s,
        peak_rss_mb: peak_kb.load(Ordering::Relaxed) as f64 / 1024.0,
    })
}

/// A wrk duration (`812.00us`, `3.61ms`, `1.02s`) in milliseconds.
fn duration_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (value, unit) = text.split_at(split);
    let value: f64 = value.parse().ok()?;
    match unit {
        "us" => Some(value / 1000.0),
        "ms" => Some(value),
        "s" => Some(value * 1000.0),
        "m" => Some(value * 60_000.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::duration_ms;

    #[test]
    fn wrk_durations_read_in_milliseconds() {
        assert_eq!(duration_ms("812.00us"), Some(0.812));
        assert_eq!(duration_ms("3.61ms"), Some(3.61));
        assert_eq!(duration_ms("1.02s"), Some(1020.0));
        assert_eq!(duration_ms("fast"), None);
    }
}
