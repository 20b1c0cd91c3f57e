//! `init`, `demo`, `orgs` and `log`.

use attest_app::demo::Scale;
use attest_app::{App, AuditView, OrgView};
use attest_core::{ControlId, Scope};

use super::{actor, location, open_org, print_json};
use crate::Failure;
use crate::cli::{Global, InitArgs};
use crate::output;

/// Creates the data dir readable by its owner only: it will hold a company's evidence.
pub(super) fn prepare_data_dir(g: &Global) -> Result<(), Failure> {
    if g.database_url.is_some() {
        return Ok(());
    }
    create_private_dir(&g.data_dir)
}

/// Creates `dir` (and its parents) readable by its owner only, if it is not there yet.
pub(super) fn create_private_dir(dir: &std::path::Path) -> Result<(), Failure> {
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::usage(format!(
            "{} is a file, not a folder; choose another --data-dir",
            dir.display()
        )));
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| {
        Failure::usage(format!(
            "cannot create the data dir {}: {e}; choose another --data-dir",
            dir.display()
        ))
    })
}

pub async fn init(g: &Global, args: InitArgs) -> Result<(), Failure> {
    let name = g.org.as_deref().ok_or_else(|| {
        Failure::usage("init needs the company's name: attest init --org \"Northwind Cloud\"")
    })?;
    let scope = Scope::parse(&args.scope).map_err(|e| Failure::usage(e.to_string()))?;
    let actor = actor(g)?;
    let location = location(g)?;
    prepare_data_dir(g)?;
    let (app, org) = App::init(&location, name, scope, &actor).await?;
    let controls = app.controls(&org).await?;
    let in_scope = controls.iter().filter(|c| c.in_scope).count();
    println!(
        "Created org `{}` ({}) in {location} [{}].",
        org.slug,
        org.name,
        app.dialect()
    );
    println!("Scope: {}", output::scope_labels(&org.scope));
    println!(
        "Adopted {} controls from the library; {in_scope} support criteria in scope.",
        controls.len()
    );
    println!();
    println!("Next:");
    println!(
        "  attest gap                                   where you stand against each criterion"
    );
    println!("  attest controls list --unowned               controls that need an owner");
    println!("  attest controls set IAM-06 --status implemented --owner you@company.com");
    app.close().await;
    Ok(())
}

pub async fn demo(g: &Global, scale: Scale) -> Result<(), Failure> {
    let actor = actor(g)?;
    let location = location(g)?;
    prepare_data_dir(g)?;
    let (app, org) = App::create_demo(&location, scale, &actor).await?;
    let app = super::with_data_dir(g, &location, app)?;
    let evidence = app
        .add_demo_evidence(&org, chrono::Utc::now().date_naive(), &actor)
        .await?;
    let monitoring = app
        .add_demo_monitoring(&org, chrono::Utc::now(), &actor)
        .await?;
    let register = app
        .add_demo_people(&org, chrono::Utc::now(), &actor)
        .await?;
    let people = register.people;
    let gap = app.gap(&org).await?;
    println!(
        "Created the demo company `{}` ({}, {} scale): {people} people ({} on the roster with the quarter's joiners and leavers, {} onboarding and offboarding steps, {} policy acknowledgments, {} training attempts), {} controls, {evidence} evidence items over the past year, {} system exports and {} daily check runs over the last quarter, in {location}.",
        org.slug,
        org.name,
        scale.as_str(),
        register.roster,
        register.steps,
        register.acknowledgments,
        register.completions,
        app.controls(&org).await?.len(),
        monitoring.snapshots,
        monitoring.runs
    );
    println!();
    output::print_gap(&gap);
    println!();
    println!(
        "Explore: attest controls list, attest controls show IAM-06, attest gap --markdown, attest monitor health, attest people list, attest log"
    );
    if g.database_url.is_none() {
        println!(
            "(using --data-dir {}; pass the same flag, or set ATTEST_DATA_DIR, on later commands)",
            g.data_dir.display()
        );
    }
    app.close().await;
    Ok(())
}

pub async fn orgs(g: &Global, json: bool) -> Result<(), Failure> {
    let app = App::open(&location(g)?).await?;
    let orgs: Vec<OrgView> = app.orgs().await?.iter().map(OrgView::from).collect();
    app.close().await;
    if json {
        return print_json(&orgs);
    }
    let mut table = output::table(["Slug", "Name", "Scope", "Created"]);
    for o in &orgs {
        table.add_row([
            o.slug.clone(),
            o.name.clone(),
            o.scope.to_string(),
            o.created_at.format("%Y-%m-%d").to_string(),
        ]);
    }
    println!("{table}");
    Ok(())
}

pub async fn log(g: &Global, control: Option<ControlId>, json: bool) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let entries: Vec<AuditView> = app.audit_log(&org, control.as_ref()).await?;
    app.close().await;
    if json {
        return print_json(&entries);
    }
    let mut table = output::table(["When (UTC)", "Who", "Action", "Target", "Detail"]);
    for e in &entries {
        table.add_row([
            e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            e.actor.clone(),
            e.action.clone(),
            e.target.clone().unwrap_or_default(),
            output::describe_detail(&e.detail),
        ]);
    }
    println!("{table}");
    Ok(())
}

pub async fn scope(g: &Global, categories: Option<String>, json: bool) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let result = async {
        let org = match categories {
            Some(raw) if raw.trim().is_empty() => {
                return Err(Failure::usage(
                    "give the categories to cover, e.g. `attest scope security,availability`",
                ));
            }
            Some(raw) => {
                let scope = Scope::parse(&raw).map_err(|e| Failure::usage(e.to_string()))?;
                app.set_scope(&org, scope, &actor(g)?).await?
            }
            None => org,
        };
        if json {
            return print_json(&OrgView::from(&org));
        }
        println!(
            "{} ({}): scope {}",
            org.name,
            org.slug,
            output::scope_labels(&org.scope)
        );
        Ok(())
    }
    .await;
    app.close().await;
    result
}
