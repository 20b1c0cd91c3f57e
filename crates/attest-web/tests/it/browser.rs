//! Browser tests: headless Chromium (Debian's chromium and chromium-driver) signs in, walks the
//! dashboard, changes a control's status and enrolls in MFA. Each saves a screenshot of the
//! page it checks under `target/screenshots/`. Without chromedriver the test says so loudly and
//! skips, unless `ATTEST_REQUIRE_BROWSER=1` (set by `.ci/run`) makes that a failure.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use attest_store::testing::TestDb;
use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::{PASSWORD, World};

pub(crate) struct Driver {
    process: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

pub(crate) fn chromedriver() -> Option<Driver> {
    let path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(path) = path else {
        if std::env::var_os("ATTEST_REQUIRE_BROWSER").is_some() {
            panic!(
                "ATTEST_REQUIRE_BROWSER is set but chromedriver is missing: apt-get install chromium chromium-driver"
            );
        }
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED browser tests: chromedriver not found (apt-get install chromium chromium-driver) ***\n"
        );
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let process = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Some(Driver { process, port })
}

pub(crate) async fn browser(driver: &Driver, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    for _ in 0..50 {
        if let Ok(c) = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start on {url}");
}

pub(crate) async fn screenshot(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Signs in from the sign-in page and waits for the signed-in navigation.
pub(crate) async fn sign_in(c: &Client, base: &str, email: &str) {
    c.goto(&format!("{base}/signin")).await.unwrap();
    c.find(Locator::Css("#email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("nav.mainnav"))
        .await
        .unwrap();
}

/// An 8×8 PNG, as a person's screenshot would be (base64).
const SCREENSHOT_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGOQz7+AFTEMLQkABIZXgTD+O60AAAAASUVORK5CYII=";

pub(crate) async fn text_of(c: &Client, css: &str) -> String {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_in_walks_the_dashboard_changes_a_control_and_enrolls_in_mfa() {
    let Some(driver) = chromedriver() else { return };
    let world = World::build(TestDb::sqlite()).await;
    // Browsers keep Secure cookies on localhost, as on any HTTPS site.
    let base = world.server.base.replace("127.0.0.1", "localhost");
    let acme = world.acme.clone();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;

    c.goto(&format!("{base}/o/{acme}/dashboard")).await.unwrap();
    assert!(
        c.current_url().await.unwrap().path().starts_with("/signin"),
        "signed-out people are sent to sign in"
    );
    c.find(Locator::Css("#email"))
        .await
        .unwrap()
        .send_keys("owner@acme.example")
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    screenshot(&c, "01-signin").await;
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let readiness = text_of(&c, "[data-testid=readiness]").await;
    assert_eq!(readiness, "0%");
    assert_eq!(
        c.current_url().await.unwrap().path(),
        format!("/o/{acme}/dashboard"),
        "back where they were going"
    );
    let cells = c.find_all(Locator::Css("svg a rect")).await.unwrap();
    assert!(
        cells.len() >= 61,
        "the heatmap draws every criterion: {}",
        cells.len()
    );
    screenshot(&c, "02-dashboard").await;

    c.goto(&format!("{base}/o/{acme}/controls/IAM-01"))
        .await
        .unwrap();
    assert_eq!(
        text_of(&c, "[data-testid=control-status]").await,
        "not-started"
    );
    c.find(Locator::Css("#status option[value=implemented]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("[data-testid=control-form] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//*[@data-testid='control-status' and text()='implemented']",
        ))
        .await
        .unwrap();
    let history = text_of(&c, "ul.history").await;
    assert!(
        history.contains("owner@acme.example") && history.contains("implemented"),
        "{history}"
    );
    screenshot(&c, "03-control-implemented").await;

    // Evidence, dropped onto the form as a person drags a screenshot from their desktop: the
    // page's script puts it in the file input, the form records it, and the page shows a
    // preview served by Attest.
    c.execute(
        "const bytes = Uint8Array.from(atob(arguments[0]), ch => ch.charCodeAt(0));
         const file = new File([bytes], 'mfa-enforced.png', { type: 'image/png' });
         const drop = new DataTransfer();
         drop.items.add(file);
         document.querySelector('[data-dropzone]')
           .dispatchEvent(new DragEvent('drop', { dataTransfer: drop, bubbles: true, cancelable: true }));",
        vec![serde_json::json!(SCREENSHOT_PNG)],
    )
    .await
    .unwrap();
    assert!(
        text_of(&c, "[data-dropzone-name]")
            .await
            .contains("mfa-enforced.png"),
        "the drop zone names the dropped file"
    );
    c.find(Locator::Css("[data-testid=evidence-form] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let thumb = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("[data-testid=evidence-list] img.thumb"))
        .await
        .unwrap();
    // The image may still be loading when its element appears: give it a few seconds.
    let mut loaded = serde_json::Value::Null;
    for _ in 0..50 {
        loaded = c
            .execute(
                "const img = arguments[0]; return img.complete && img.naturalWidth;",
                vec![serde_json::to_value(&thumb).unwrap()],
            )
            .await
            .unwrap();
        if loaded == serde_json::json!(8) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        loaded,
        serde_json::json!(8),
        "the preview image loads through Attest"
    );
    assert!(
        text_of(&c, "[data-testid=freshness]")
            .await
            .contains("Fresh")
    );
    screenshot(&c, "04-evidence-uploaded").await;

    c.goto(&format!("{base}/account/security")).await.unwrap();
    c.find(Locator::Css("#mfa form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let secret = text_of(&c, "[data-testid=totp-secret]").await;
    assert!(
        c.find(Locator::Css(".qr svg")).await.is_ok(),
        "a QR code is drawn"
    );
    screenshot(&c, "05-mfa-enroll").await;
    let code = attest_app::current_totp_code(&secret).unwrap();
    c.find(Locator::Css("#code"))
        .await
        .unwrap()
        .send_keys(&code)
        .await
        .unwrap();
    c.find(Locator::Css("#mfa form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let codes = text_of(&c, "[data-testid=recovery-codes]").await;
    assert_eq!(codes.split_whitespace().count(), 10, "{codes}");
    screenshot(&c, "06-mfa-recovery-codes").await;

    c.close().await.unwrap();
    world.server.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_runs_the_checks_and_follows_a_failure_to_its_control() {
    let Some(driver) = chromedriver() else { return };
    let world = World::build(TestDb::sqlite()).await;
    let app = &world.server.app;
    let org = app.org(Some(&world.acme)).await.unwrap();
    let actor = attest_app::Actor::new("owner@acme.example").unwrap();
    app.add_demo_monitoring(&org, chrono::Utc::now(), &actor)
        .await
        .unwrap();
    let base = world.server.base.replace("127.0.0.1", "localhost");
    let acme = world.acme.clone();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    sign_in(&c, &base, "owner@acme.example").await;

    c.goto(&format!("{base}/o/{acme}/monitoring"))
        .await
        .unwrap();
    let failing = text_of(&c, "[data-testid=failing-now]").await;
    assert!(failing.contains("tomas.brandt@"), "{failing}");
    let runs = c
        .find_all(Locator::Css("[data-testid=recent-runs] tbody tr"))
        .await
        .unwrap();
    assert_eq!(runs.len(), 20, "the latest twenty of the quarter's runs");
    screenshot(&c, "07-monitoring").await;

    c.find(Locator::Css("[data-testid=run-now]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("[data-testid=run-results]"))
        .await
        .unwrap();
    assert!(
        text_of(&c, "[data-testid=run-counts]")
            .await
            .contains("failed")
    );
    screenshot(&c, "08-check-run").await;

    c.find(Locator::XPath(
        "//article[@id='check-soc2.identity.mfa_enabled']//a[text()='IAM-06']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let checks = text_of(&c, "[data-testid=control-checks]").await;
    assert!(checks.contains("ines.carvalho@"), "{checks}");
    assert!(
        checks.contains("Every active account signs in with a second factor"),
        "{checks}"
    );
    screenshot(&c, "09-control-checks").await;
}
