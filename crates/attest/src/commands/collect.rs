//! `attest collect` and `attest monitor`: snapshots in, check runs and control health out.

use attest_app::Health;
use attest_collect::{Kind, Options};

use super::{actor, open_org, print_json};
use crate::Failure;
use crate::cli::{CollectArgs, MonitorCommand, MonitorSettingsArgs, PackCommand, ScheduleCommand};
use crate::output;

pub async fn collect(g: &crate::cli::Global, args: CollectArgs) -> Result<(), Failure> {
    if args.list {
        return list_kinds(args.json);
    }
    let (Some(kind), Some(path)) = (args.kind, args.path) else {
        return Err(Failure::usage(
            "give a kind and a file, e.g. `attest collect okta-users users.csv`, or `--list`",
        ));
    };
    let kind: Kind = kind
        .parse()
        .map_err(|e: attest_collect::CollectError| Failure::usage(e.to_string()))?;
    let mut options = Options::new(chrono::Utc::now());
    options.system = args.system;
    options.two_factor_disabled = args.two_factor_disabled;
    options.admins = args.admins;
    options.since = args.since;
    for entry in &args.map {
        options.map.push(
            attest_collect::parse_map_entry(entry).map_err(|e| Failure::usage(e.to_string()))?,
        );
    }
    if args.print {
        // No workspace: the snapshot goes to standard output for `attest check run --input`.
        let snapshot = attest_app::read_export(kind, &path, options).await?;
        return print_json(&snapshot.to_json());
    }
    let (app, org) = open_org(g).await?;
    let collected = app.collect(&org, kind, &path, options, &actor(g)?).await?;
    if args.json {
        return print_json(&collected);
    }
    println!(
        "Recorded {} ({} records from {}) as evidence {} for {} control(s), ledger entry {}.",
        collected.kind,
        collected.records,
        collected.system,
        collected.evidence.id,
        collected.evidence.controls.len(),
        collected.evidence.ledger_index
    );
    println!("Run the checks over it with `attest monitor run-once`.");
    Ok(())
}

fn list_kinds(json: bool) -> Result<(), Failure> {
    if json {
        let kinds: Vec<serde_json::Value> = Kind::ALL
            .iter()
            .map(|k| {
                serde_json::json!({
                    "kind": k.name(),
                    "version": k.version(),
                    "default_system": k.default_system(),
                    "reads": k.describe(),
                    "controls": attest_app::controls_for_kind(*k),
                    "schema": serde_json::from_str::<serde_json::Value>(k.schema()).unwrap_or_default(),
                })
            })
            .collect();
        return print_json(&kinds);
    }
    let mut table = output::table(["Kind", "Version", "Default system", "Reads"]);
    for k in Kind::ALL {
        table.add_row([
            k.name().to_owned(),
            k.version().to_string(),
            k.default_system().to_owned(),
            k.describe().to_owned(),
        ]);
    }
    println!("{table}");
    println!("Each kind's JSON schema: `attest collect --list --json`.");
    Ok(())
}

pub async fn monitor(g: &crate::cli::Global, cmd: MonitorCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    match cmd {
        MonitorCommand::RunOnce { json } => {
            let runs = app.run_monitoring_by(&org, &actor(g)?).await?;
            if json {
                return print_json(&attest_app::runs_json(&runs));
            }
            for run in &runs {
                if runs.len() > 1 {
                    println!("Pack {}:", run.run.pack);
                }
                let evaluation = attest_checks::Evaluation {
                    results: run.results.clone(),
                    problems: Vec::new(),
                };
                print!("{}", attest_checks::text(&evaluation));
                println!(
                    "Run {} recorded as ledger entry {} ({} new failure(s), {} recovered).",
                    run.run.id,
                    run.run.ledger_index,
                    run.newly_failing.len(),
                    run.recovered.len()
                );
            }
            Ok(())
        }
        MonitorCommand::Health { only, json } => {
            let only = only
                .map(|o| match o.as_str() {
                    "passing" => Ok(Health::Passing),
                    "at-risk" => Ok(Health::AtRisk),
                    "failing" => Ok(Health::Failing),
                    "not-monitored" => Ok(Health::NotMonitored),
                    other => Err(Failure::usage(format!(
                        "`{other}` is not a health; use passing, at-risk, failing or not-monitored"
                    ))),
                })
                .transpose()?;
            let health: Vec<_> = app
                .control_health(&org)
                .await?
                .into_iter()
                .filter(|h| only.is_none_or(|o| h.health == o))
                .collect();
            if json {
                return print_json(&health);
            }
            let mut table = output::table(["Control", "Health", "Checks"]);
            for h in &health {
                let checks = h
                    .checks
                    .iter()
                    .map(|c| format!("{} ({})", c.id, c.status))
                    .collect::<Vec<_>>()
                    .join(", ");
                table.add_row([h.control.to_string(), h.health.label().to_owned(), checks]);
            }
            println!("{table}");
            Ok(())
        }
        MonitorCommand::History { from, to, json } => {
            let today = chrono::Utc::now().date_naive();
            let to = to.unwrap_or(today);
            let from = from.unwrap_or(to - chrono::Days::new(89));
            let history = app.health_history(&org, from, to).await?;
            if json {
                return print_json(&history);
            }
            let mut table = output::table([
                "Control",
                "Days passed",
                "Days failed",
                "Days with no run",
                "Pass rate",
            ]);
            for h in &history {
                table.add_row([
                    h.control.to_string(),
                    h.days_passed.to_string(),
                    h.days_failed.to_string(),
                    h.days_without_run.to_string(),
                    h.pass_rate
                        .map_or("not judged".to_owned(), |r| format!("{r:.1}%")),
                ]);
            }
            println!("{table}");
            println!("From {from} to {to}.");
            Ok(())
        }
        MonitorCommand::Schedule(cmd) => schedule(g, &app, &org, cmd).await,
        MonitorCommand::Pack(cmd) => pack(g, &app, &org, cmd).await,
        MonitorCommand::Settings(args) => settings(g, &app, &org, args).await,
        MonitorCommand::Alerts { json } => {
            let alerts = app.undelivered_alerts(&org).await?;
            if json {
                return print_json(&alerts);
            }
            if alerts.is_empty() {
                println!("Every alert was delivered.");
                return Ok(());
            }
            let mut table = output::table(["Raised", "Tries", "Last problem", "Alert"]);
            for a in &alerts {
                let first_line = a.body["text"]
                    .as_str()
                    .unwrap_or_default()
                    .lines()
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                table.add_row([
                    a.created_at.format("%Y-%m-%d %H:%M").to_string(),
                    a.attempts.to_string(),
                    a.last_error
                        .clone()
                        .unwrap_or_else(|| "not tried yet".to_owned()),
                    first_line,
                ]);
            }
            println!("{table}");
            Ok(())
        }
        MonitorCommand::Runs { limit, json } => {
            let runs = app.monitor_runs(&org, limit).await?;
            if json {
                return print_json(&runs);
            }
            let mut table = output::table([
                "Run", "Started", "Trigger", "Passed", "Failed", "Errors", "Skipped", "Ledger",
            ]);
            for r in &runs {
                table.add_row([
                    r.id.clone(),
                    r.started_at.format("%Y-%m-%d %H:%M").to_string(),
                    r.trigger.clone(),
                    r.passed.to_string(),
                    r.failed.to_string(),
                    r.errors.to_string(),
                    r.skipped.to_string(),
                    r.ledger_index.to_string(),
                ]);
            }
            println!("{table}");
            Ok(())
        }
    }
}

async fn schedule(
    g: &crate::cli::Global,
    app: &attest_app::App,
    org: &attest_app::Org,
    cmd: ScheduleCommand,
) -> Result<(), Failure> {
    match cmd {
        ScheduleCommand::List { json } => {
            let schedules = app.schedules(org).await?;
            if json {
                return print_json(&schedules);
            }
            let mut table = output::table(["Id", "Runs", "Cron (UTC)", "Last run", "Last error"]);
            for s in &schedules {
                let what = match (&s.kind, &s.source_path, &s.pack) {
                    (Some(kind), Some(path), _) => format!("collect {kind} from {path}"),
                    (_, _, Some(pack)) => format!("the {pack} pack"),
                    _ => "the built-in pack".to_owned(),
                };
                table.add_row([
                    s.id.clone(),
                    what,
                    s.cron.clone(),
                    s.last_run_at.map_or("never".to_owned(), |t| {
                        t.format("%Y-%m-%d %H:%M").to_string()
                    }),
                    s.last_error.clone().unwrap_or_default(),
                ]);
            }
            println!("{table}");
            println!("`attest serve` runs what is due every minute.");
            Ok(())
        }
        ScheduleCommand::Add {
            pack,
            collect,
            path,
            system,
            cron,
            json,
        } => {
            let target = if let Some(name) = pack {
                attest_app::ScheduleTarget::Pack(Some(name))
            } else {
                let kind: Kind = collect
                    .unwrap_or_default()
                    .parse()
                    .map_err(|e: attest_collect::CollectError| Failure::usage(e.to_string()))?;
                attest_app::ScheduleTarget::Collect {
                    kind,
                    system,
                    path: path.unwrap_or_default(),
                }
            };
            let added = app.add_schedule(org, target, &cron, &actor(g)?).await?;
            if json {
                return print_json(&added);
            }
            println!("Added schedule {} ({}).", added.id, added.cron);
            Ok(())
        }
        ScheduleCommand::Remove { id } => {
            app.remove_schedule(org, &id, &actor(g)?).await?;
            println!("Removed schedule {id}.");
            Ok(())
        }
    }
}

async fn pack(
    g: &crate::cli::Global,
    app: &attest_app::App,
    org: &attest_app::Org,
    cmd: PackCommand,
) -> Result<(), Failure> {
    match cmd {
        PackCommand::Add { name, dir, json } => {
            let added = app.add_monitor_pack(org, &name, &dir, &actor(g)?).await?;
            if json {
                return print_json(&added);
            }
            let checks = match added.checks {
                1 => "1 check".to_owned(),
                n => format!("{n} checks"),
            };
            println!(
                "Added pack {} ({checks}, sha256 {}). It runs with the built-in pack unless it gets a schedule of its own (`attest monitor schedule add --pack {}`).",
                added.name, added.sha256, added.name
            );
            Ok(())
        }
        PackCommand::List { json } => {
            let packs = app.org_packs(org).await?;
            if json {
                return print_json(&packs);
            }
            let mut table = output::table(["Pack", "Checks", "SHA-256", "Added", "By"]);
            for p in &packs {
                table.add_row([
                    p.name.clone(),
                    p.checks.to_string(),
                    p.sha256.chars().take(12).collect(),
                    p.added_at.format("%Y-%m-%d %H:%M").to_string(),
                    p.added_by.clone(),
                ]);
            }
            println!("{table}");
            println!("The built-in pack runs too; `attest check list` shows its checks.");
            Ok(())
        }
        PackCommand::Remove { name } => {
            app.remove_monitor_pack(org, &name, &actor(g)?).await?;
            println!("Removed pack {name}; its past runs stay.");
            Ok(())
        }
    }
}

async fn settings(
    g: &crate::cli::Global,
    app: &attest_app::App,
    org: &attest_app::Org,
    args: MonitorSettingsArgs,
) -> Result<(), Failure> {
    let actor = actor(g)?;
    // Everything is checked before anything is saved.
    let webhook = match args.webhook_url.as_deref() {
        Some("-") => {
            let mut url = String::new();
            std::io::stdin().read_line(&mut url).map_err(|e| {
                Failure::usage(format!(
                    "cannot read the webhook URL from standard input ({e})"
                ))
            })?;
            Some(url.trim().to_owned())
        }
        other => other.map(str::to_owned),
    };
    if let Some(url) = &webhook {
        attest_app::check_webhook_url(url)?;
    }
    let mut settings = app.monitor_settings(org).await?;
    let before = settings.clone();
    if args.clear_lists {
        settings.alert_emails.clear();
        settings.checks.service_accounts.clear();
        settings.checks.public_repositories.clear();
    }
    if !args.alert_emails.is_empty() {
        settings.alert_emails = args.alert_emails;
    }
    let c = &mut settings.checks;
    for (flag, value) in [
        (&mut c.termination_sla_days, args.termination_sla_days),
        (&mut c.key_rotation_days, args.key_rotation_days),
        (&mut c.inactive_account_days, args.inactive_account_days),
        (&mut c.max_admins, args.max_admins),
    ] {
        if let Some(v) = value {
            *flag = v;
        }
    }
    if !args.service_accounts.is_empty() {
        c.service_accounts = args.service_accounts;
    }
    if !args.public_repositories.is_empty() {
        c.public_repositories = args.public_repositories;
    }
    let settings = set_numbers(settings, &args.set)?;
    if settings != before {
        app.save_monitor_settings(org, &settings, &actor).await?;
    }
    if args.remove_webhook {
        app.set_alert_webhook(org, None, &actor).await?;
    } else if let Some(url) = &webhook {
        app.set_alert_webhook(org, Some(url), &actor).await?;
    }
    let webhook = app.alert_webhook(org).await?.is_some();
    if args.json {
        return print_json(&serde_json::json!({ "settings": settings, "webhook": webhook }));
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&settings).unwrap_or_default()
    );
    println!(
        "Alert webhook: {}",
        if webhook {
            "set (sealed; not shown)"
        } else {
            "not set"
        }
    );
    Ok(())
}

/// Applies `KEY=NUMBER` arguments; which keys exist is the settings' own business.
fn set_numbers(
    mut settings: attest_app::MonitorSettings,
    entries: &[String],
) -> Result<attest_app::MonitorSettings, Failure> {
    for entry in entries {
        let Some((key, number)) = entry.split_once('=') else {
            return Err(Failure::usage(format!(
                "`{entry}` is not KEY=NUMBER, e.g. --set stale_repository_days=180"
            )));
        };
        let number: u32 = number.trim().parse().map_err(|_| {
            Failure::usage(format!(
                "`{number}` in `{entry}` is not a whole number of days or accounts"
            ))
        })?;
        settings.set_number(key.trim(), number)?;
    }
    Ok(settings)
}
