//! A server on a free port, a world of orgs and members, and a cookie-keeping client.

use std::collections::BTreeMap;
use std::sync::Mutex;

use attest_app::{App, LinkPurpose, Principal, SessionPolicy};
use attest_core::{Email, Role, Scope};
use attest_store::testing::TestDb;
use attest_web::{Config, Server};
use reqwest::header::{HeaderMap, HeaderValue};

pub const PASSWORD: &str = "correct horse battery staple";

/// A running server over its own database.
pub struct TestServer {
    pub base: String,
    pub app: App,
    pub setup_url: Option<String>,
    db: Option<TestDb>,
    /// Holds the key that seals stored secrets (with PostgreSQL there is no data dir).
    _keys: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub async fn start(db: TestDb) -> TestServer {
        Self::start_with(db, |_| {}).await
    }

    pub async fn start_with(db: TestDb, configure: impl FnOnce(&mut Config)) -> TestServer {
        let keys = tempfile::tempdir().unwrap();
        let app = App::open_or_create(&db.location)
            .await
            .unwrap()
            .with_key_file(keys.path().join("secret.key"));
        let mut config = Config::new("127.0.0.1:0".parse().unwrap());
        // Monitoring runs on a clock; tests that want it turn it on.
        config.monitor_every = None;
        configure(&mut config);
        let server = Server::bind(config, app.clone()).await.unwrap();
        let base = format!("http://{}", server.local_addr());
        let setup_url = server.setup_url();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server
                .serve(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        TestServer {
            base,
            app,
            setup_url,
            db: Some(db),
            _keys: keys,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// The database, for looking at what the server stored.
    pub async fn store(&self) -> attest_store::Store {
        let db = self.db.as_ref().unwrap();
        attest_store::Store::open(&db.location).await.unwrap()
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Stops the server and drops a PostgreSQL test database.
    pub async fn finish(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.app.close().await;
        if let Some(db) = self.db.take() {
            db.finish().await;
        }
    }
}

/// Runs a test body on SQLite, then on PostgreSQL when configured.
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = attest_store::testing::TestDb::sqlite();
                    super::$name(db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = attest_store::testing::TestDb::postgres().await else { return };
                    super::$name(db).await;
                }
            )*
        }
    };
}
pub(crate) use on_both_databases;

/// Two orgs: Acme with one member per role, and Globex with its own owner.
pub struct World {
    pub server: TestServer,
    pub acme: String,
    pub globex: String,
}

pub fn email(local: &str) -> Email {
    Email::parse(&format!("{local}@acme.example")).unwrap()
}

impl World {
    pub async fn build(db: TestDb) -> World {
        Self::build_with(db, |_| {}).await
    }

    pub async fn build_with(db: TestDb, configure: impl FnOnce(&mut Config)) -> World {
        let server = TestServer::start_with(db, configure).await;
        let app = &server.app;
        let (owner, acme) = app
            .setup_first_owner(
                "Acme Cloud",
                Scope::security_only(),
                &email("owner"),
                "Olive Owner",
                PASSWORD,
            )
            .await
            .unwrap();
        let owner_p = principal(app, &owner.email, acme.slug.as_ref()).await;
        for (local, role) in [
            ("admin", Role::Admin),
            ("contributor", Role::Contributor),
            ("employee", Role::Employee),
            ("auditor", Role::Auditor),
        ] {
            let inv = app
                .invite_member(&owner_p, &email(local), local, role)
                .await
                .unwrap();
            app.complete_link(&inv.link.unwrap().token, LinkPurpose::Invite, PASSWORD)
                .await
                .unwrap();
        }
        // Globex: another tenant, whose owner also exists.
        let globex = app
            .create_named_org(
                "Globex",
                Scope::security_only(),
                &attest_app::Actor::new("test").unwrap(),
            )
            .await
            .unwrap();
        let mut globex_owner = owner_p.clone();
        globex_owner.membership = Some(attest_app::Membership {
            org: globex.clone(),
            role: Role::Owner,
        });
        // Acme's owner is not a member of Globex: hand it to a Globex person instead.
        let inv = app
            .invite_member(
                &globex_owner,
                &Email::parse("boss@globex.example").unwrap(),
                "Gina Globex",
                Role::Owner,
            )
            .await
            .unwrap();
        app.complete_link(&inv.link.unwrap().token, LinkPurpose::Invite, PASSWORD)
            .await
            .unwrap();
        World {
            acme: acme.slug.to_string(),
            globex: globex.slug.to_string(),
            server,
        }
    }

    /// A client signed in as `local@acme.example` (or any full email).
    pub async fn signed_in(&self, who: &str) -> Client {
        let email = if who.contains('@') {
            who.to_string()
        } else {
            format!("{who}@acme.example")
        };
        let client = self.server.client();
        client.sign_in(&email, PASSWORD).await;
        client
    }
}

/// The principal of a member, as the server would resolve it, for setting up fixtures.
pub async fn principal(app: &App, email: &Email, org: &str) -> Principal {
    let started = {
        let user = match app
            .sign_in(email.as_str(), PASSWORD, &SessionPolicy::default())
            .await
            .unwrap()
        {
            attest_app::SignIn::Done(u) | attest_app::SignIn::NeedsSecondFactor(u) => u,
        };
        app.start_session(&user, true, &SessionPolicy::default())
            .await
            .unwrap()
    };
    app.session(&started.cookie, Some(org), &SessionPolicy::default())
        .await
        .unwrap()
        .unwrap()
}

/// An HTTP response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The CSRF token in the page's forms, if any.
    pub fn csrf(&self) -> Option<String> {
        let at = self.body.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
        let end = self.body[at..].find('"')?;
        Some(self.body[at..at + end].to_string())
    }
}

/// A browser-like client: keeps cookies (whatever their Secure flag, as a browser on
/// localhost does), does not follow redirects, and remembers the last CSRF token it saw.
pub struct Client {
    base: String,
    http: reqwest::Client,
    cookies: Mutex<BTreeMap<String, String>>,
    csrf: Mutex<Option<String>>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        // The server's TLS uses ring; the test client shares reqwest with it (plain HTTP here).
        let _ = rustls::crypto::ring::default_provider().install_default();
        Client {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Mutex::new(BTreeMap::new()),
            csrf: Mutex::new(None),
        }
    }

    fn cookie_header(&self) -> Option<HeaderValue> {
        let cookies = self.cookies.lock().unwrap();
        if cookies.is_empty() {
            return None;
        }
        let joined: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        HeaderValue::from_str(&joined.join("; ")).ok()
    }

    async fn send(&self, mut req: reqwest::RequestBuilder) -> Resp {
        if let Some(c) = self.cookie_header() {
            req = req.header("cookie", c);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        for value in headers.get_all("set-cookie") {
            let raw = value.to_str().unwrap();
            let pair = raw.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let mut cookies = self.cookies.lock().unwrap();
            if value.is_empty() || raw.contains("Max-Age=0") {
                cookies.remove(name);
            } else {
                cookies.insert(name.to_string(), value.to_string());
            }
        }
        let body = resp.text().await.unwrap();
        let resp = Resp {
            status,
            headers,
            body,
        };
        if let Some(token) = resp.csrf() {
            *self.csrf.lock().unwrap() = Some(token);
        }
        resp
    }

    /// A path on the server, or an absolute URL the server redirected to.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    /// Visits another site (an identity provider) without this server's cookies.
    pub async fn get_elsewhere(&self, url: &str) -> Resp {
        let resp = self.http.get(url).send().await.unwrap();
        Resp {
            status: resp.status().as_u16(),
            headers: resp.headers().clone(),
            body: resp.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.http.get(self.url(path))).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut req = self.http.get(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req).await
    }

    pub fn csrf(&self) -> String {
        self.csrf.lock().unwrap().clone().unwrap_or_default()
    }

    /// Posts a form with the CSRF token a browser's page would carry.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, String)> =
            fields.iter().map(|(k, v)| (*k, v.to_string())).collect();
        let token = self.csrf();
        all.push(("_csrf", token));
        self.post_raw(
            path,
            &serde_urlencoded::to_string(&all).unwrap(),
            "application/x-www-form-urlencoded",
            &[],
        )
        .await
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_raw(
        &self,
        path: &str,
        body: &str,
        content_type: &str,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self
            .http
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body.to_string());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req).await
    }

    /// Posts a multipart form as a browser without script would: the fields, an optional
    /// file (`file` field: name and bytes), and the CSRF token as a field of the body.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Resp {
        let token = self.csrf();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        let (body, content_type) = multipart_body(&all, file);
        let req = self
            .http
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body);
        self.send(req).await
    }

    /// Posts a multipart form with the CSRF token in the header, as a page's script calling
    /// the API would.
    pub async fn post_multipart_with_header(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let (body, content_type) = multipart_body(fields, None);
        let req = self
            .http
            .post(self.url(path))
            .header("content-type", content_type)
            .header("x-csrf-token", self.csrf())
            .body(body);
        self.send(req).await
    }

    /// Any method with a raw body.
    pub async fn post_raw_method(
        &self,
        method: &str,
        path: &str,
        body: &str,
        content_type: &str,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self
            .http
            .request(method.parse().unwrap(), self.url(path))
            .header("content-type", content_type)
            .body(body.to_string());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req).await
    }

    /// A JSON request with the session's CSRF header (as the pages' htmx requests send it).
    pub async fn json(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> Resp {
        let mut req = self
            .http
            .request(method.parse().unwrap(), self.url(path))
            .header("x-csrf-token", self.csrf());
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        self.send(req).await
    }

    /// A multipart API upload with a bearer token and no cookies.
    pub async fn bearer_multipart(
        &self,
        token: &str,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Resp {
        let (body, content_type) = multipart_body(fields, file);
        let req = self
            .http
            .post(self.url(path))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", content_type)
            .body(body);
        self.send(req).await
    }

    /// An API request with a bearer token and no cookies.
    pub async fn bearer(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Resp {
        let mut req = self
            .http
            .request(method.parse().unwrap(), self.url(path))
            .header("authorization", format!("Bearer {token}"));
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let resp = req.send().await.unwrap();
        Resp {
            status: resp.status().as_u16(),
            headers: resp.headers().clone(),
            body: resp.text().await.unwrap(),
        }
    }

    /// Signs in through the form, as a person would.
    pub async fn sign_in(&self, email: &str, password: &str) -> Resp {
        let page = self.get("/signin").await;
        assert_eq!(
            page.status,
            200,
            "sign-in page for {email}: {} {}",
            page.header("location"),
            page.body
        );
        self.post_form(
            "/signin",
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }

    /// Loads a page to pick up the session's CSRF token.
    pub async fn refresh_csrf(&self) {
        let r = self.get("/account/security").await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    pub fn has_session(&self) -> bool {
        self.cookies.lock().unwrap().contains_key("attest_session")
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.to_string(), value.to_string());
    }
}

/// Every (METHOD, path) in `routes.rs`, read from its source.
pub fn routes_in_table() -> std::collections::BTreeSet<(String, String)> {
    let flat: String = attest_web::ROUTE_TABLE_SOURCE
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(");
    let mut routes = std::collections::BTreeSet::new();
    for chunk in flat.split(".route(\"").skip(1) {
        let path = &chunk[..chunk.find('"').unwrap()];
        let call = &chunk[..chunk.find(".route(").unwrap_or(chunk.len())];
        for method in ["get", "post", "patch", "put", "delete"] {
            if call.contains(&format!("{method}(")) {
                routes.insert((method.to_uppercase(), path.to_string()));
            }
        }
    }
    routes
}

/// A `multipart/form-data` body and its content type.
pub fn multipart_body(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (Vec<u8>, String) {
    let boundary = "----attest-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, content)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}
