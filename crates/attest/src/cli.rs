//! The command line: every command, flag and help text, declared with clap.

use std::path::PathBuf;

use attest_app::demo::Scale;
use attest_core::{
    ControlId, ControlKind, ControlNature, ControlStatus, CriterionId, Frequency, OwnerRole,
};
use clap::{Args, Parser, Subcommand};

/// Attest: a self-hosted SOC 2 compliance platform.
///
/// Start with `attest demo` to explore a fictional company, or `attest init --org NAME` to begin
/// your own program. Exit codes: 0 success, 2 bad usage or bad input, 1 other failure.
#[derive(Debug, Parser)]
#[command(name = "attest", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The workspace folder (the SQLite database and, later, evidence live here).
    #[arg(
        long,
        global = true,
        env = "ATTEST_DATA_DIR",
        default_value = "./attest-data"
    )]
    pub data_dir: PathBuf,
    /// Database URL: postgres://USER@HOST:PORT/DB for PostgreSQL, or sqlite://PATH.
    /// Default: attest.db in the data dir.
    #[arg(
        long,
        global = true,
        env = "ATTEST_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// The org: its name for `init`; for other commands, the org to act on when the workspace
    /// holds several (its slug or name; see `attest orgs`).
    #[arg(long = "org", global = true, env = "ATTEST_ORG", value_name = "ORG")]
    pub org: Option<String>,
    /// Who is acting, recorded with every change. Default: cli:$USER.
    #[arg(long, global = true, env = "ATTEST_ACTOR")]
    pub actor: Option<String>,
    /// Sign ledger checkpoints with the key in this file (made by `attest ledger
    /// generate-key`, kept in a secret store) instead of `ledger.key` in the data dir.
    #[arg(long, global = true, env = "ATTEST_LEDGER_KEY_FILE")]
    pub ledger_key_file: Option<PathBuf>,
    /// Keep evidence content in an S3-compatible bucket (`s3://bucket/prefix`, credentials
    /// and endpoint from the usual AWS_* environment variables) instead of `blobs/` in the
    /// data dir.
    #[arg(long, global = true, env = "ATTEST_EVIDENCE_URL")]
    pub evidence_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the workspace (if needed) and an org with the whole control library:
    /// `attest init --org "Northwind Cloud" --scope security,availability`.
    Init(InitArgs),
    /// Create a realistic fictional company to explore (deterministic).
    Demo {
        /// small (30 people), medium (200 people, 12 custom controls) or large (1,500, 80).
        #[arg(long, default_value = "small")]
        scale: Scale,
    },
    /// The shipped SOC 2 catalog: criteria, controls, policy templates, licensed text.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// The org's controls: list, show, set status and owner, add custom ones, edit mappings.
    #[command(subcommand)]
    Controls(ControlsCommand),
    /// The people register: the roster (by hand, from an HR export or the HR roster evidence)
    /// and each person's onboarding and offboarding checklist.
    #[command(subcommand)]
    People(crate::commands::people::PeopleCommand),
    /// The org's policies: adopt a template or write your own, edit drafts, approve (the named
    /// approver only), publish, review yearly, diff versions, and see who acknowledged them.
    #[command(subcommand)]
    Policies(crate::commands::policies::PoliciesCommand),
    /// Security awareness training: the modules, who passed them within the year, your own.
    #[command(subcommand)]
    Training(crate::commands::training::TrainingCommand),
    /// User access reviews: a campaign per system over its account inventory, reviewers per
    /// group, decisions with reasons, revocations tracked to closure, a report as evidence.
    #[command(subcommand)]
    AccessReviews(crate::commands::access_reviews::AccessReviewsCommand),
    /// The risk register: start from the library, rate inherent and residual risk, see the
    /// heatmap, and run the annual risk assessment (approved by management, kept as evidence).
    #[command(subcommand)]
    Risks(crate::commands::risks::RisksCommand),
    /// Vendors: the inventory with each vendor's tier, its SOC 2 reports (reminders before they
    /// expire) and its reviews with the customer-side controls they ask of you.
    #[command(subcommand)]
    Vendors(crate::commands::vendors::VendorsCommand),
    /// Incidents: the log with timelines and postmortems, the population of a period for the
    /// auditor, and incident-response and recovery exercises.
    #[command(subcommand)]
    Incidents(crate::commands::incidents::IncidentsCommand),
    /// Assets: the systems inventory, the data flows between systems and their diagram.
    #[command(subcommand)]
    Assets(crate::commands::assets::AssetsCommand),
    /// Gap analysis: which criteria are met, which controls are missing, what to do next.
    Gap {
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// A report to share, in Markdown.
        #[arg(long)]
        markdown: bool,
    },
    /// Show the org's scope, or change it: `attest scope security,availability,privacy`.
    /// Security is always in scope.
    Scope {
        /// The categories to cover, comma-separated; omit to show the current scope.
        categories: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The orgs in this workspace.
    Orgs {
        #[arg(long)]
        json: bool,
    },
    /// Serve the web app and the JSON API: `attest serve`, then open the link it prints.
    Serve(ServeArgs),
    /// Accounts: print a password-reset link for someone who is locked out.
    #[command(subcommand)]
    User(UserCommand),
    /// Check an auditor package offline against the ledger's public key; exits 1 and names
    /// the first thing that does not hold. Needs no workspace.
    VerifyPackage {
        /// The package (a zip written by `attest evidence export`).
        file: std::path::PathBuf,
        /// The ledger's public key, as `attest ledger public-key` prints it, or a file
        /// holding it.
        #[arg(long)]
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// The tamper-evident ledger: verify it, sign a checkpoint, prove an entry, print the key.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Evidence: record files and links for controls, with the period they cover; list them.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Record a snapshot of an export (HR roster, AWS IAM credential report, Google Workspace,
    /// Okta and GitHub user lists, a git repository's history) as evidence for the checks:
    /// `attest collect okta-users users.csv`. `attest collect --list` shows the kinds.
    Collect(CollectArgs),
    /// Continuous monitoring: run every check now, see control health and its history, and
    /// the recent runs.
    #[command(subcommand)]
    Monitor(MonitorCommand),
    /// Rego checks: evaluate a pack over a document (no workspace needed, a CI gate like
    /// conftest), run a pack's unit tests, list the built-in checks.
    #[command(subcommand)]
    Check(CheckCommand),
    /// The audit log: every change, with who and when.
    Log {
        /// Only the changes to one control.
        #[arg(long)]
        control: Option<ControlId>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Loopback by default; put a TLS proxy in front before listening
    /// on other interfaces.
    #[arg(long, env = "ATTEST_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Start on the demo company (created in the data dir if there is no workspace yet), with
    /// one sign-in per role printed on the console.
    #[arg(long)]
    pub demo: bool,
    /// The address people use to reach Attest, for the links it prints
    /// (e.g. `https://attest.example.com`).
    #[arg(long, env = "ATTEST_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Send session cookies over plain HTTP too. Only for a trusted network without TLS:
    /// browsers otherwise keep them only over HTTPS or on localhost.
    #[arg(long)]
    pub insecure_cookies: bool,
    /// Send password-reset links by email through this SMTP server:
    /// `smtp://host:587` (STARTTLS) or `smtps://user:password@host:465`.
    #[arg(
        long,
        env = "ATTEST_SMTP_URL",
        hide_env_values = true,
        requires = "mail_from"
    )]
    pub smtp_url: Option<String>,
    /// The sender of that email, e.g. "Attest <attest@example.com>".
    #[arg(long, env = "ATTEST_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Offer single sign-on with this OpenID Connect provider (its issuer URL, e.g.
    /// `https://login.example.com/realms/acme`). Register `{public URL}/sso/callback` as the
    /// redirect URI there. Accounts are matched by verified email; invite people first.
    #[arg(long, env = "ATTEST_OIDC_ISSUER", requires = "oidc_client_id")]
    pub oidc_issuer: Option<String>,
    /// The client id of the Attest application at the provider. Its client secret, if it has
    /// one, is read from the ATTEST_OIDC_CLIENT_SECRET environment variable, never a flag
    /// (flags show in the process list).
    #[arg(long, env = "ATTEST_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,
    /// The provider's name on the sign-in button.
    #[arg(long, env = "ATTEST_OIDC_NAME", default_value = "single sign-on")]
    pub oidc_name: String,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Print a one-time link (valid for an hour) that lets a person choose a new password.
    ResetLink {
        email: attest_core::Email,
        /// The address people use to reach Attest.
        #[arg(
            long,
            env = "ATTEST_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
    /// Turn off a person's second factor (lost phone and recovery codes): they sign in with
    /// their password and enroll again. Ends their sessions; recorded in the audit log.
    ResetMfa { email: attest_core::Email },
    /// Remove the links between an account and its single sign-on identities, e.g. when the
    /// identity provider gave the address to someone new. The next SSO sign-in with a
    /// verified matching email links again.
    SsoUnlink { email: attest_core::Email },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Record a file (a screenshot, a PDF, an export) as evidence for controls.
    Add {
        file: std::path::PathBuf,
        /// A control it supports; repeat for several. With --revises, the revised item's
        /// controls by default.
        #[arg(long = "control", required_unless_present = "revises")]
        controls: Vec<ControlId>,
        /// Record it as a new revision of this item (its id from `attest evidence list`);
        /// the earlier one is kept, marked as superseded.
        #[arg(long)]
        revises: Option<String>,
        /// Keep it at least until this day (YYYY-MM-DD); three years after its period by
        /// default. `attest evidence purge` deletes what is past it.
        #[arg(long)]
        retain_until: Option<chrono::NaiveDate>,
        /// The days it covers, FROM..TO (e.g. 2026-01-01..2026-03-31) or one date; today by
        /// default. This, not the upload time, decides the audit window it supports.
        #[arg(long)]
        period: Option<attest_core::Period>,
        /// A title; the file name by default.
        #[arg(long)]
        title: Option<String>,
        /// The file is a JSON snapshot of a system (checks read these).
        #[arg(long)]
        snapshot: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record a link to where evidence lives.
    Link {
        url: String,
        #[arg(long = "control", required = true)]
        controls: Vec<ControlId>,
        #[arg(long)]
        period: Option<attest_core::Period>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The org's evidence, newest first.
    List {
        /// Only what supports this control.
        #[arg(long)]
        control: Option<ControlId>,
        /// Include deleted items (their records stay; their content is gone).
        #[arg(long)]
        deleted: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete an item: its content leaves the evidence store, its record stays with who
    /// deleted it and why, and the deletion is a ledger entry.
    Delete {
        id: String,
        /// Why; an auditor will read it.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Record many files at once from a CSV with the columns `file,control,period,title`
    /// (`control` may list several, separated by spaces; `period` and `title` may be empty;
    /// paths are relative to the CSV). Every row is checked before anything is recorded; each
    /// item is committed and printed as it goes, and rows already recorded (same content,
    /// period and controls) are skipped, so an interrupted import is finished by running it
    /// again.
    Import {
        csv: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Apply the retention rule: delete every item kept past its keep-until day.
    Purge {
        /// Only list what would be deleted.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Implemented controls whose evidence is missing, expired or about to expire, worst
    /// first: the reminders for control owners (script a mail with `--owner` and `--json`).
    Due {
        /// Only the controls this person owns.
        #[arg(long)]
        owner: Option<attest_core::Email>,
        #[arg(long)]
        json: bool,
    },
    /// Write an auditor package: the evidence filed by criterion and control, with a manifest
    /// of hashes, periods and ledger proofs against a signed checkpoint.
    Export {
        /// The controls whose evidence to include; repeat for several.
        #[arg(
            long = "control",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        controls: Vec<ControlId>,
        /// Every control's evidence.
        #[arg(long)]
        all: bool,
        /// The zip file to write (refused when it exists).
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute the whole log from its entries and check every signed checkpoint; exits 1
    /// and names the first entry that does not match.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Sign a checkpoint of the log as it is now (C2SP tlog-checkpoint, signed note).
    Checkpoint {
        #[arg(long)]
        json: bool,
    },
    /// Write a new checkpoint-signing key for this workspace's log to a file (0600, never
    /// overwritten), to keep in a secret store and pass with --ledger-key-file. Prints its
    /// public key. Checkpoints already signed stay verifiable only with the old key.
    GenerateKey {
        #[arg(long)]
        out: PathBuf,
    },
    /// The inclusion proof of one entry against a fresh signed checkpoint.
    Prove {
        /// The entry's index in the log.
        index: u64,
        #[arg(long)]
        json: bool,
    },
    /// Print the key that verifies checkpoints, in signed-note form, for auditors.
    PublicKey,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Trust Services categories in scope, comma-separated: security, availability,
    /// confidentiality, processing-integrity, privacy. Security is always included.
    #[arg(long, default_value = "security")]
    pub scope: String,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// The 61 SOC 2 criteria with our plain-language guidance.
    Criteria {
        #[arg(long)]
        json: bool,
    },
    /// One criterion: guidance, what an auditor inspects, controls, and licensed text if imported.
    Criterion {
        id: CriterionId,
        #[arg(long)]
        json: bool,
    },
    /// The control library.
    Controls {
        /// Only controls mapped to this criterion.
        #[arg(long)]
        criterion: Option<CriterionId>,
        #[arg(long)]
        json: bool,
    },
    /// The policy templates.
    Policies {
        #[arg(long)]
        json: bool,
    },
    /// Print one policy template as Markdown.
    Policy {
        id: String,
        /// Fill in the variables (company name from the org; others from the flags below).
        #[arg(long)]
        render: bool,
        #[arg(long, default_value = "the Security Lead")]
        owner: String,
        #[arg(long, default_value = "the CEO")]
        approver: String,
        #[arg(long, default_value = "the date of approval")]
        effective_date: String,
        #[arg(long, default_value = "12 months")]
        review_cadence: String,
        #[arg(long, default_value = "1.0")]
        version: String,
    },
    /// Load official criterion text you hold a licence for (CSV with id,text columns, or
    /// CISO Assistant's SOC 2 library YAML); shown beside our guidance.
    ImportText { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum ControlsCommand {
    /// The org's controls (those for criteria in scope, unless --all).
    List {
        #[arg(long)]
        status: Option<ControlStatus>,
        /// Only controls owned by this person.
        #[arg(long)]
        owner: Option<String>,
        /// Only controls with no owner.
        #[arg(long, conflicts_with = "owner")]
        unowned: bool,
        #[arg(long)]
        domain: Option<String>,
        /// Include controls whose criteria are all out of scope.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// One control: statement, status, owner, criteria, policies, guidance, history.
    Show {
        id: ControlId,
        #[arg(long)]
        json: bool,
    },
    /// Change a control's status, owner or notes.
    Set {
        id: ControlId,
        /// not-started, in-progress, implemented or not-applicable.
        #[arg(long)]
        status: Option<ControlStatus>,
        /// Why the control does not apply (required with --status not-applicable).
        #[arg(long)]
        justification: Option<String>,
        /// The owner's email, or `none` to unassign.
        #[arg(long)]
        owner: Option<String>,
        /// Free-form notes ("" clears them).
        #[arg(long)]
        notes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add a control of your own.
    Add {
        /// A new ID with your own prefix, e.g. NWC-001.
        id: ControlId,
        #[arg(long)]
        title: String,
        /// The control as an auditor reads it: who does what, how often.
        #[arg(long)]
        statement: String,
        /// Criteria it supports, comma-separated, e.g. CC6.1,CC6.2.
        #[arg(long, value_delimiter = ',', required = true)]
        criteria: Vec<CriterionId>,
        #[arg(long, default_value = "custom")]
        domain: String,
        #[arg(long, default_value = "procedural")]
        kind: ControlKind,
        #[arg(long, default_value = "preventive")]
        nature: ControlNature,
        #[arg(long, default_value = "annual")]
        frequency: Frequency,
        #[arg(long)]
        owner_role: Option<OwnerRole>,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add or remove criteria a control maps to.
    Map {
        id: ControlId,
        #[arg(long, value_delimiter = ',')]
        add: Vec<CriterionId>,
        #[arg(long, value_delimiter = ',')]
        remove: Vec<CriterionId>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CheckCommand {
    /// Evaluate a pack over an input document and print what is denied; exits 1 when any check
    /// denies something or cannot be evaluated. Needs no workspace:
    /// `attest check run --pack policies/ --input snapshot.json --format sarif`.
    Run {
        /// The pack: a directory of .rego files. Default: the built-in SOC 2 pack.
        #[arg(long)]
        pack: Option<PathBuf>,
        /// The document checks read as `input` (`-` for standard input). Repeat to gather
        /// several snapshots written by `attest collect --print` into one input.
        #[arg(long, required = true)]
        input: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
        /// Seconds one check may run before it is stopped and reported as an error.
        #[arg(long, default_value = "10", value_parser = clap::value_parser!(u64).range(1..=600))]
        timeout: u64,
    },
    /// Run the Rego unit tests of a pack (every rule named test_… must be true), as `opa test`
    /// does. Default: the built-in pack.
    Test {
        /// The pack directory.
        pack: Option<PathBuf>,
        /// Only the tests whose name contains this text.
        #[arg(long = "run", value_name = "TEXT")]
        filter: Option<String>,
        /// List passing tests too.
        #[arg(short, long)]
        verbose: bool,
        #[arg(long)]
        json: bool,
        /// Seconds one test may run.
        #[arg(long, default_value = "10", value_parser = clap::value_parser!(u64).range(1..=600))]
        timeout: u64,
    },
    /// List the checks of a pack (the built-in one by default) with their controls, severity
    /// and the evidence they read.
    List {
        #[arg(long)]
        pack: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

/// How `attest check run` prints results.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CheckFormat {
    /// For people and CI logs.
    Text,
    /// Every result with every violation.
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// hr-roster, aws-iam-credential-report, google-workspace-users, okta-users,
    /// github-members, github-repos or git-repo.
    #[arg(required_unless_present = "list")]
    pub kind: Option<String>,
    /// The export file, or for git-repo the repository's directory.
    #[arg(required_unless_present = "list")]
    pub path: Option<PathBuf>,
    /// The system the export came from (default: the vendor, e.g. google-workspace), so two
    /// AWS accounts or two GitHub orgs stay apart: `--system aws-prod`.
    #[arg(long)]
    pub system: Option<String>,
    /// hr-roster: read a column as a field, e.g. `--map "Work Email=email"`; repeat.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// github-members: the `?filter=2fa_disabled` listing, so members without 2FA are known.
    #[arg(long, value_name = "FILE")]
    pub two_factor_disabled: Option<PathBuf>,
    /// github-members: the `?role=admin` listing, so org owners are known.
    #[arg(long, value_name = "FILE")]
    pub admins: Option<PathBuf>,
    /// git-repo: the first day of history to read (default: a year ago).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<chrono::NaiveDate>,
    /// Print the snapshot as JSON instead of recording it (needs no workspace), e.g. to give
    /// `attest check run --input` in CI.
    #[arg(long, conflicts_with = "json")]
    pub print: bool,
    /// List the kinds with what each reads and its schema version.
    #[arg(long, conflicts_with_all = ["kind", "path", "print"])]
    pub list: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum MonitorCommand {
    /// Run every check now over the latest snapshots and the program's records; the run is
    /// recorded and ledgered. Exits 0 whatever the checks find (see `attest check run` for a
    /// gate).
    RunOnce {
        #[arg(long)]
        json: bool,
    },
    /// Each control's health from its checks: passing, at risk, failing or not monitored.
    Health {
        /// Only controls with this health (passing, at-risk, failing, not-monitored).
        #[arg(long)]
        only: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Each monitored control's record day by day: the share of days it passed and the days
    /// with no run, for a Type II period.
    History {
        /// First day (default: 90 days ago).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day (default: today).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// The latest runs.
    Runs {
        #[arg(long, default_value = "20")]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// When `attest serve` runs the checks and re-reads exports (cron patterns; the built-in
    /// pack runs hourly by default, with every added pack that has no schedule of its own).
    #[command(subcommand)]
    Schedule(ScheduleCommand),
    /// The org's own check packs, which monitoring runs beside the built-in one.
    #[command(subcommand)]
    Pack(PackCommand),
    /// Show or change thresholds, alert recipients and the alert webhook.
    Settings(MonitorSettingsArgs),
    /// Alerts not delivered yet, with how often each was tried and why it failed.
    Alerts {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// The org's schedules, with when each last ran.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Run a check pack on a schedule (`--pack` for the built-in one, `--pack NAME` for one the
    /// org added), or re-read an export or a repository that something else keeps current
    /// (`--collect KIND --path PATH`):
    /// `attest monitor schedule add --collect git-repo --path /srv/app --cron "*/30 * * * *"`.
    Add {
        #[arg(
            long,
            value_name = "NAME",
            num_args = 0..=1,
            default_missing_value = "builtin",
            conflicts_with = "collect",
            required_unless_present = "collect"
        )]
        pack: Option<String>,
        /// The kind of export to re-read.
        #[arg(long, value_name = "KIND", requires = "path")]
        collect: Option<String>,
        /// The file or repository to re-read.
        #[arg(long)]
        path: Option<PathBuf>,
        /// The system it describes (default: the vendor).
        #[arg(long)]
        system: Option<String>,
        /// Five fields (minute hour day month weekday), e.g. "0 6 * * *" for 06:00 UTC daily.
        #[arg(long)]
        cron: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a schedule by its id. Removing the built-in pack's schedule (`default` included)
    /// leaves it to run only when asked.
    Remove { id: String },
}

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Add a directory of Rego checks (or replace the org's pack of that name). It is refused
    /// unless each check's METADATA names controls the org has, its check ids are its own, and
    /// every Rego test in it passes (`attest check test DIR` shows them).
    Add {
        /// Up to 40 lowercase letters, digits and dashes.
        name: String,
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The org's packs, with their checks and when each was added.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a pack and its schedules; its past runs and results stay.
    Remove { name: String },
}

#[derive(Debug, Args)]
pub struct MonitorSettingsArgs {
    /// Post alerts to this URL (a Slack incoming webhook or anything that takes `{"text"}`);
    /// `-` reads it from standard input, so it stays out of shell history and `ps`. It is
    /// sealed in the database and never shown again.
    #[arg(
        long,
        env = "ATTEST_ALERT_WEBHOOK_URL",
        hide_env_values = true,
        conflicts_with = "remove_webhook"
    )]
    pub webhook_url: Option<String>,
    #[arg(long)]
    pub remove_webhook: bool,
    /// Who gets alert emails (repeat); the org's owners and admins when none is given.
    #[arg(long = "alert-email", value_name = "EMAIL")]
    pub alert_emails: Vec<String>,
    /// Days after a person's last day within which every account must be disabled.
    #[arg(long)]
    pub termination_sla_days: Option<u32>,
    /// Days after which an access key must have been rotated.
    #[arg(long)]
    pub key_rotation_days: Option<u32>,
    /// Days without activity after which an account counts as unused.
    #[arg(long)]
    pub inactive_account_days: Option<u32>,
    /// The most administrators one system should have.
    #[arg(long)]
    pub max_admins: Option<u32>,
    /// An account that belongs to no person on purpose (a bot, break-glass); repeat.
    #[arg(long = "service-account", value_name = "ID")]
    pub service_accounts: Vec<String>,
    /// A repository that is public on purpose; repeat.
    #[arg(long = "public-repository", value_name = "NAME")]
    pub public_repositories: Vec<String>,
    /// Any other number, e.g. `--set stale_repository_days=180` or `--set grace_days.high=3`
    /// (`attest monitor settings --json` lists them); repeat.
    #[arg(long = "set", value_name = "KEY=NUMBER")]
    pub set: Vec<String>,
    /// Empty the alert recipients (back to the org's owners and admins), the service accounts
    /// and the public repositories.
    #[arg(long)]
    pub clear_lists: bool,
    #[arg(long)]
    pub json: bool,
}
