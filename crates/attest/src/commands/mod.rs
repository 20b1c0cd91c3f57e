//! One function per command family; each opens what it needs and calls the application layer.

pub mod access_reviews;
pub mod assets;
mod catalog;
mod checks;
mod collect;
mod controls;
mod evidence;
mod evidence_import;
mod gap;
pub mod incidents;
mod ledger;
pub mod people;
pub mod policies;
mod registers;
pub mod risks;
mod serve;
pub mod training;
pub mod vendors;
mod workspace;

use attest_app::{Actor, App, Location};

use crate::Failure;
use crate::cli::{Cli, Command, Global};

pub async fn run(cli: Cli) -> Result<(), Failure> {
    let g = &cli.global;
    match cli.command {
        Command::Init(args) => workspace::init(g, args).await,
        Command::Demo { scale } => workspace::demo(g, scale).await,
        Command::Orgs { json } => workspace::orgs(g, json).await,
        Command::Scope { categories, json } => workspace::scope(g, categories, json).await,
        Command::Log { control, json } => workspace::log(g, control, json).await,
        Command::Catalog(cmd) => catalog::run(g, cmd).await,
        Command::Controls(cmd) => controls::run(g, cmd).await,
        Command::People(cmd) => people::run(g, cmd).await,
        Command::Policies(cmd) => policies::run(g, cmd).await,
        Command::Training(cmd) => training::run(g, cmd).await,
        Command::AccessReviews(cmd) => access_reviews::run(g, cmd).await,
        Command::Risks(cmd) => risks::run(g, cmd).await,
        Command::Vendors(cmd) => vendors::run(g, cmd).await,
        Command::Incidents(cmd) => incidents::run(g, cmd).await,
        Command::Assets(cmd) => assets::run(g, cmd).await,
        Command::Gap { json, markdown } => gap::run(g, json, markdown).await,
        Command::Serve(args) => serve::run(g, args).await,
        Command::User(cmd) => serve::user(g, cmd).await,
        Command::Ledger(cmd) => ledger::run(g, cmd).await,
        Command::Evidence(cmd) => evidence::run(g, cmd).await,
        Command::Check(cmd) => checks::run(cmd),
        Command::Collect(args) => collect::collect(g, args).await,
        Command::Monitor(cmd) => collect::monitor(g, cmd).await,
        Command::VerifyPackage { file, key, json } => evidence::verify_package(&file, &key, json),
    }
}

/// Where the database is: `--database-url`, or `attest.db` in the data dir.
pub fn location(g: &Global) -> Result<Location, Failure> {
    match &g.database_url {
        Some(url) => Location::parse(url).map_err(Failure::usage),
        None => Ok(Location::default_in(&g.data_dir)),
    }
}

pub fn actor(g: &Global) -> Result<Actor, Failure> {
    let name = match &g.actor {
        Some(a) => a.clone(),
        None => format!(
            "cli:{}",
            std::env::var("USER").unwrap_or_else(|_| "unknown".into())
        ),
    };
    Ok(Actor::new(&name)?)
}

/// The actor as an email, for steps only a named person may take (approvals).
pub fn actor_email(g: &Global) -> Result<attest_core::Email, Failure> {
    let actor = actor(g)?;
    attest_core::Email::parse(actor.as_str()).map_err(|_| {
        Failure::usage(format!(
            "this step is taken by a named person: run it with --actor their@email (now `{}`)",
            actor.as_str()
        ))
    })
}

/// Opens the existing workspace and picks the org.
pub async fn open_org(g: &Global) -> Result<(App, attest_app::Org), Failure> {
    let app = open_app(g).await?;
    let org = app.org(g.org.as_deref()).await?;
    Ok((app, org))
}

/// Opens the existing workspace with its files (key files, evidence blobs).
pub async fn open_app(g: &Global) -> Result<App, Failure> {
    let location = location(g)?;
    let app = App::open(&location).await?;
    with_data_dir(g, &location, app)
}

/// Points the app at where its files live: beside a SQLite database (the default), in the
/// data dir with PostgreSQL.
pub fn with_data_dir(g: &Global, location: &Location, app: App) -> Result<App, Failure> {
    let app = match location {
        Location::Postgres(_) => {
            workspace::create_private_dir(&g.data_dir)?;
            app.with_key_file(g.data_dir.join("secret.key"))
        }
        Location::SqliteFile(_) => app,
    };
    let app = match &g.ledger_key_file {
        Some(path) => app.with_ledger_key_file(path.clone()),
        None => app,
    };
    Ok(match &g.evidence_url {
        Some(url) => app.with_evidence_url(url.clone()),
        None => app,
    })
}

/// Prints a value as pretty JSON, the stable machine-readable form of every listing.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure {
        code: 1,
        message: e.to_string(),
    })?;
    println!("{text}");
    Ok(())
}
