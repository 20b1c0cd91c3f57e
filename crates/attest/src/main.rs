//! The `attest` binary: parses the command line, opens the workspace, calls one use case and
//! prints the result. Rules live in `attest-app`; this crate is glue and presentation.
#![forbid(unsafe_code)]

mod cli;
mod commands;
mod output;

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

/// A failure with the exit code it deserves: 2 when the user can fix the input, 1 otherwise.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    /// Says where the failure happened, e.g. which line of an import.
    pub fn context(self, at: &str) -> Self {
        Failure {
            code: self.code,
            message: format!("{at}: {}", self.message),
        }
    }
}

impl From<attest_app::AppError> for Failure {
    fn from(e: attest_app::AppError) -> Self {
        Failure {
            code: if e.is_user_error() { 2 } else { 1 },
            message: e.to_string(),
        }
    }
}

fn main() -> ExitCode {
    let matches = cli::Cli::command().get_matches();
    let cli = match cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // ATTEST_ORG selects an existing org; it must never silently name a new one.
    let init_org_from_env = matches
        .subcommand_matches("init")
        .and_then(|m| m.value_source("org"))
        == Some(ValueSource::EnvVariable);
    if init_org_from_env {
        eprintln!(
            "error: init takes the company's name from --org on the command line, not from ATTEST_ORG"
        );
        return ExitCode::from(2);
    }
    // The server wants every core; a one-shot command starts faster on one thread.
    let mut builder = if matches!(cli.command, cli::Command::Serve(_)) {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
