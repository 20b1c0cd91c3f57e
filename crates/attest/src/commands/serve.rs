//! `serve` (the web app and API) and `user reset-link`.

use attest_app::demo::Scale;
use attest_app::{Actor, App};
use attest_web::{Config, Server};

use super::{actor, location};
use crate::Failure;
use crate::cli::{Global, ServeArgs, UserCommand};

pub async fn run(g: &Global, args: ServeArgs) -> Result<(), Failure> {
    init_logging();
    let location = location(g)?;
    super::workspace::prepare_data_dir(g)?;
    // The key that seals stored secrets stays out of the database: beside a SQLite file, in
    // the data dir with PostgreSQL.
    let app = if args.demo {
        demo_app(g, &location).await?
    } else {
        super::with_data_dir(g, &location, App::open_or_create(&location).await?)?
    };
    let mut config = Config::new(args.listen);
    config.public_url = args.public_url.clone();
    config.secure_cookies = !args.insecure_cookies;
    if let (Some(url), Some(from)) = (&args.smtp_url, &args.mail_from) {
        config.mailer = Some(attest_web::Mailer::new(url, from).map_err(Failure::usage)?);
    }
    if let (Some(issuer), Some(client_id)) = (&args.oidc_issuer, &args.oidc_client_id) {
        let sso = attest_web::SsoConfig {
            issuer: issuer.clone(),
            client_id: client_id.clone(),
            client_secret: std::env::var("ATTEST_OIDC_CLIENT_SECRET")
                .ok()
                .filter(|s| !s.is_empty()),
            name: args.oidc_name.clone(),
        };
        sso.check().map_err(Failure::usage)?;
        config.sso = Some(sso);
    }
    // Read (or make) the sealing key now: a lost key must stop the start, not surface later
    // as failed sign-ins.
    let key_file = app
        .sealing_key_file()
        .await
        .map_err(|e| Failure::usage(e.to_string()))?;
    let key_note = format!(
        "Stored secrets are sealed with {}; back it up apart from the database.",
        key_file.display()
    );
    let server = Server::bind(config, app)
        .await
        .map_err(|e| Failure::usage(e.to_string()))?;
    let addr = server.local_addr();
    println!("Attest is listening on http://{addr} [{location}]");
    println!("{key_note}");
    if !addr.ip().is_loopback()
        && args
            .public_url
            .as_deref()
            .is_none_or(|u| !u.starts_with("https://"))
    {
        eprintln!(
            "warning: listening beyond this machine over plain HTTP; serve Attest behind TLS and pass --public-url https://…"
        );
    }
    if let Some(url) = server.setup_url() {
        println!();
        println!("No account exists yet. Open this one-time link to create the first owner:");
        println!("  {url}");
    }
    server.serve(shutdown_signal()).await.map_err(|e| Failure {
        code: 1,
        message: format!("the server stopped: {e}"),
    })
}

/// Opens the demo workspace, creating it with one sign-in per role the first time.
async fn demo_app(g: &Global, location: &attest_app::Location) -> Result<App, Failure> {
    match App::open(location).await {
        Ok(app) => {
            println!(
                "Using the existing workspace at {location}; its demo sign-ins were printed when it was created."
            );
            return super::with_data_dir(g, location, app);
        }
        Err(e) if e.is_no_workspace() => {}
        Err(e) => return Err(e.into()),
    }
    let actor = Actor::new("demo")?;
    let (app, org) = App::create_demo(location, Scale::Small, &actor).await?;
    let app = super::with_data_dir(g, location, app)?;
    app.add_demo_evidence(&org, chrono::Utc::now().date_naive(), &actor)
        .await?;
    app.add_demo_monitoring(&org, chrono::Utc::now(), &actor)
        .await?;
    app.add_demo_people(&org, chrono::Utc::now(), &actor)
        .await?;
    let logins = app.create_demo_logins(&org).await?;
    println!(
        "Created the demo company {} ({}). Sign in as:",
        org.name, org.slug
    );
    for l in &logins {
        println!(
            "  {:<12} {:<40} password: {}",
            l.role.as_str(),
            l.email,
            l.password
        );
    }
    println!("These passwords are shown only now.");
    println!();
    Ok(app)
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ATTEST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

pub async fn user(g: &Global, cmd: UserCommand) -> Result<(), Failure> {
    match cmd {
        UserCommand::ResetLink { email, public_url } => {
            let app = App::open(&location(g)?).await?;
            let actor = actor(g)?;
            let Some(link) = app.password_reset_link(&email, &actor).await? else {
                return Err(Failure::usage(format!(
                    "no account has the email {email}; check the spelling (Settings → Members lists who is in each org)"
                )));
            };
            println!("{}{}", public_url.trim_end_matches('/'), link.path());
            eprintln!(
                "This link lets {email} choose a new password until {} UTC. Send it privately.",
                link.expires_at.format("%Y-%m-%d %H:%M")
            );
            Ok(())
        }
        UserCommand::ResetMfa { email } => {
            let app = App::open(&location(g)?).await?;
            app.reset_second_factor(&email, &actor(g)?).await?;
            println!(
                "The second factor of {email} is off and their sessions ended; they sign in with their password and enroll again."
            );
            Ok(())
        }
        UserCommand::SsoUnlink { email } => {
            let app = App::open(&location(g)?).await?;
            let removed = app.unlink_sso(&email, &actor(g)?).await?;
            println!("Removed {removed} single sign-on link(s) of {email}.");
            Ok(())
        }
    }
}
