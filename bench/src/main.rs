//! `attest-bench`: every performance figure of Attest at the small, medium and large demo
//! scales, each beside a reference measured on this machine in the same run, as one Markdown
//! table. Run it through `bench/run`, which builds the release binaries first.

use std::path::PathBuf;

use attest_app::demo::Scale;
use attest_bench::stats::{Figure, furthest, number, table};
use attest_bench::target::Database;
use attest_bench::{Res, http, machine, pack, program, references};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(about = "Attest's benchmark suite: every figure beside this machine's own limits")]
struct Args {
    #[command(subcommand)]
    probe: Option<Probe>,
    /// The demo scales to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "small,medium,large")]
    scales: Vec<Scale>,
    /// Measure on PostgreSQL: a server URL where the user may create databases (each
    /// workspace gets a fresh one, dropped afterwards). SQLite otherwise.
    #[arg(long, env = "ATTEST_BENCH_POSTGRES_URL")]
    postgres: Option<String>,
    /// Samples per figure (the slowest steps at the larger scales take at most 3).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Seconds of load per wrk run.
    #[arg(long, default_value_t = 5)]
    http_seconds: u64,
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 20)]
    clients: usize,
    /// The `attest` binary to measure.
    #[arg(long, default_value = "target/release/attest")]
    attest: PathBuf,
    /// Also write the report (machine, table, furthest figures) to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Probe {
    /// (Internal) the check pack measured in a process of its own.
    #[command(hide = true)]
    PackProbe {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long)]
        database_url: Option<String>,
        #[arg(long)]
        runs: usize,
    },
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();
    let result = match &args.probe {
        Some(Probe::PackProbe {
            data_dir,
            database_url,
            runs,
        }) => pack::probe(data_dir, database_url.as_deref(), *runs).await,
        None => suite(&args).await,
    };
    if let Err(e) = result {
        eprintln!("attest-bench: {e}");
        std::process::exit(1);
    }
}

/// Progress goes to standard error; the report to standard output.
fn step(scale: &str, what: &str) {
    eprintln!(
        "[{}] {scale}: {what}",
        chrono::Local::now().format("%H:%M:%S")
    );
}

async fn suite(args: &Args) -> Res<()> {
    if args.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    if !args.attest.is_file() {
        return Err(format!(
            "{} is not there: build it with `cargo build --release -p attest`, or run bench/run",
            args.attest.display()
        )
        .into());
    }
    let db = Database::connect(args.postgres.as_deref()).await?;
    let started = std::time::Instant::now();
    let machine_line = machine::describe();
    let database_line = db.describe().await?;
    step("machine", &machine_line);

    step(
        "machine",
        "references: SHA-256, raw inserts, starting the binary",
    );
    let sha256 = references::sha256_rate(args.runs);
    let inserts = references::insert_rate(&db, args.runs).await?;
    let exec = Figure::new(
        "Reference: `attest --version`, spawn to exit",
        "machine",
        http::exec_floor(&args.attest, args.runs)?,
        "ms",
    );
    let mut figures = vec![sha256.clone(), inserts.clone(), exec.clone()];
    let refs = Machine {
        sha256: &sha256,
        inserts: &inserts,
        exec: &exec,
    };
    for &scale in &args.scales {
        figures.extend(scale_figures(&db, args, scale, refs).await?);
    }

    let mut report = format!(
        "Machine: {machine_line}.\nDatabase: {database_line}.\nLoad: wrk, {} clients, {} s a run, on the same machine as the server.\nTook {:.0} s.\n\n",
        args.clients,
        args.http_seconds,
        started.elapsed().as_secs_f64()
    );
    report.push_str(&table(&figures));
    report.push_str("\nFurthest from their reference (median over reference):\n");
    for f in furthest(&figures, 3) {
        report.push_str(&format!(
            "- {} ({}): {:.1}× from its reference\n",
            f.name,
            f.scale,
            f.distance().unwrap_or(f64::NAN)
        ));
    }
    println!("{report}");
    if let Some(path) = &args.out {
        std::fs::write(path, &report)
            .map_err(|e| format!("cannot write the report to {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The references measured once for the whole run.
#[derive(Clone, Copy)]
struct Machine<'a> {
    sha256: &'a Figure,
    inserts: &'a Figure,
    exec: &'a Figure,
}

async fn scale_figures(
    db: &Database,
    args: &Args,
    scale: Scale,
    refs: Machine<'_>,
) -> Res<Vec<Figure>> {
    let name = scale.as_str();
    let runs = args.runs;
    // Creating the larger demos takes tens of seconds each; three samples are enough there.
    let slow_runs = if scale == Scale::Small {
        runs
    } else {
        runs.min(3)
    };
    let mut figures = Vec::new();

    step(name, "workspace generation (`attest demo`)");
    let (seconds, workspace, rows) =
        program::generation(db, &args.attest, scale, slow_runs).await?;
    let rate: Vec<f64> = seconds.iter().map(|s| rows as f64 / s).collect();
    figures.push(
        Figure::new("Workspace generation: `attest demo`", name, seconds, "s")
            .note(format!("{} rows written", number(rows as f64))),
    );
    figures.push(
        Figure::new("Workspace generation, rows written", name, rate, "rows/s")
            .against("raw inserts", refs.inserts),
    );

    let app = workspace.open().await?;
    let org = app.org(None).await?;
    let people = app
        .people(&org, chrono::Utc::now().date_naive())
        .await?
        .len();
    step(name, &format!("import of a {people}-person roster"));
    figures.push(
        Figure::new(
            format!(
                "Import: `people import` of a {people}-row BambooHR roster into a new workspace"
            ),
            name,
            program::import(db, people, runs).await?,
            "rows/s",
        )
        .against("raw inserts", refs.inserts),
    );

    step(name, "gap analysis and readiness");
    let readiness_input = program::ReadinessInput::new(scale)?;
    let computation = Figure::new(
        "Gap analysis and readiness, computation alone (in memory)",
        name,
        program::readiness(&readiness_input, runs * 4),
        "µs",
    );
    let gap = Figure::new(
        "Gap analysis and readiness, read from the database (`attest gap`, dashboard)",
        name,
        program::gap(&app, &org, runs * 4).await?,
        "ms",
    )
    .note(format!(
        "computation alone {} µs",
        number(computation.median())
    ));
    figures.push(gap);
    figures.push(computation);

    step(name, "check pack (in a process of its own)");
    figures.extend(pack_figures(name, &workspace, slow_runs)?);

    step(name, "ledger verification and append");
    let (verify, entries, megabytes) = program::verify(&app, &workspace, runs).await?;
    figures.push(
        Figure::new(
            format!(
                "Ledger: full verification of {} entries, {} MB hashed",
                number(entries as f64),
                number(megabytes)
            ),
            name,
            verify,
            "MB/s",
        )
        .against("raw SHA-256", refs.sha256),
    );
    figures.push(
        Figure::new(
            "Ledger: append, 1,000 entries a durable commit",
            name,
            program::append(&workspace, &org, runs).await?,
            "entries/s",
        )
        .against("raw inserts", refs.inserts),
    );

    step(name, "cold start of `attest serve`");
    let mut starts = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (server, took) = http::Server::start(&args.attest, &workspace)?;
        drop(server);
        starts.push(took.as_secs_f64() * 1000.0);
    }
    figures.push(
        Figure::new(
            "Cold start: `attest serve` to its first answer",
            name,
            starts,
            "ms",
        )
        .against("`attest --version`", refs.exec),
    );

    step(name, "pages under load (wrk)");
    let cookie = http::owner_session(&workspace, &org).await?;
    app.close().await;
    figures.extend(http_figures(
        args, name, &workspace, &org, &cookie, slow_runs,
    )?);
    db.discard(workspace).await;
    Ok(figures)
}

fn pack_figures(
    scale: &str,
    workspace: &attest_bench::target::Workspace,
    runs: usize,
) -> Res<Vec<Figure>> {
    let p = pack::measure(workspace, runs)?;
    let mb = number(p.input_mb);
    let raw = Figure::new(
        format!("Reference: raw JSON parse of the check input ({mb} MB)"),
        scale,
        p.raw_parse.clone(),
        "MB/s",
    );
    // The same reference as a time, to compare the evaluation with.
    let raw_ms = Figure::new(
        "raw parse",
        scale,
        p.raw_parse
            .iter()
            .map(|r| p.input_mb / r * 1000.0)
            .collect(),
        "ms",
    );
    Ok(vec![
        Figure::new(
            "Check pack: parse the input into Rego values",
            scale,
            p.parse,
            "MB/s",
        )
        .against("raw JSON parse", &raw),
        Figure::new(
            format!(
                "Check pack: evaluate {} checks, one core ({} violations)",
                p.checks, p.violations
            ),
            scale,
            p.evaluate,
            "ms",
        )
        .against("raw JSON parse of the same input", &raw_ms),
        Figure::new(
            "Check pack: store the run (results, states, tasks, ledger entry)",
            scale,
            p.store,
            "ms",
        ),
        Figure::new(
            "Check pack: peak memory through parse, evaluation and storage",
            scale,
            vec![p.peak_mb],
            "MB",
        )
        .note(format!(
            "input {mb} MB; the process held {} MB before opening the workspace",
            number(p.rss_before_mb)
        )),
        raw,
    ])
}

fn http_figures(
    args: &Args,
    scale: &str,
    workspace: &attest_bench::target::Workspace,
    org: &attest_store::Org,
    cookie: &str,
    runs: usize,
) -> Res<Vec<Figure>> {
    let (server, _) = http::Server::start(&args.attest, workspace)?;
    let idle_mb = server.rss_mb();
    let slug = org.slug.as_str();
    let pages = [
        ("Reference: `/health`", "/health".to_owned()),
        ("Dashboard", format!("/o/{slug}/dashboard")),
        ("Control list", format!("/o/{slug}/controls")),
        (
            "Evidence list (API)",
            format!("/api/v1/orgs/{slug}/evidence"),
        ),
    ];
    let clients = args.clients;
    let mut figures = Vec::new();
    let mut reference: Option<[Figure; 3]> = None;
    let mut peaks = Vec::new();
    for (label, path) in pages {
        // A short warm-up: the first requests fill the server's caches.
        http::load(&server, &path, cookie, clients, 1)?;
        let loads: Vec<http::Load> = (0..runs)
            .map(|_| http::load(&server, &path, cookie, clients, args.http_seconds))
            .collect::<Res<_>>()?;
        peaks.extend(loads.iter().map(|l| l.peak_rss_mb));
        let of = |f: fn(&http::Load) -> f64| loads.iter().map(f).collect::<Vec<f64>>();
        let mut three = [
            Figure::new(
                if path == "/health" {
                    format!("{label}, p50, {clients} clients")
                } else {
                    format!("{label} `{path}`, p50, {clients} clients")
                },
                scale,
                of(|l| l.p50_ms),
                "ms",
            ),
            Figure::new(
                format!("{label}, p99, {clients} clients"),
                scale,
                of(|l| l.p99_ms),
                "ms",
            ),
            Figure::new(
                format!("{label}, throughput, {clients} clients"),
                scale,
                of(|l| l.requests_per_s),
                "requests/s",
            ),
        ];
        match &reference {
            None => reference = Some(three.clone()),
            Some(r) => {
                for (figure, against) in three.iter_mut().zip(r) {
                    *figure = figure.clone().against("`/health`", against);
                }
            }
        }
        figures.extend(three);
    }
    figures.push(
        Figure::new(
            "Server RSS under load, highest per wrk run",
            scale,
            peaks,
            "MB",
        )
        .note(format!("{} MB idle after start", number(idle_mb))),
    );
    Ok(figures)
}
