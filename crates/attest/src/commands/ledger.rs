//! `attest ledger`: verify the log, sign a checkpoint, prove an entry, print the public key.

use super::{open_app, print_json};
use crate::Failure;
use crate::cli::{Global, LedgerCommand};

pub async fn run(g: &Global, cmd: LedgerCommand) -> Result<(), Failure> {
    let app = open_app(g).await?;
    match cmd {
        LedgerCommand::Verify { json } => match app.verify_ledger().await? {
            Ok(report) if json => print_json(&report),
            Ok(report) => {
                println!(
                    "The ledger verifies: {} entries, root {}, {} signed checkpoint(s) checked.",
                    report.size, report.root, report.checkpoints
                );
                Ok(())
            }
            Err(problem) => Err(Failure {
                code: 1,
                message: problem,
            }),
        },
        LedgerCommand::Checkpoint { json } => {
            let checkpoint = app.checkpoint_ledger().await?;
            if json {
                return print_json(&checkpoint);
            }
            print!("{}", checkpoint.note);
            Ok(())
        }
        LedgerCommand::Prove { index, json } => {
            let proof = app.prove_ledger_entry(index).await?;
            if json {
                return print_json(&proof);
            }
            println!(
                "Entry {} ({} {}), recorded {}",
                proof.index, proof.kind, proof.subject, proof.recorded_at
            );
            println!("leaf hash: {}", proof.leaf_hash);
            println!("audit path ({} hashes):", proof.proof.len());
            for h in &proof.proof {
                println!("  {h}");
            }
            println!("against this checkpoint:");
            print!("{}", proof.checkpoint.note);
            Ok(())
        }
        LedgerCommand::GenerateKey { out } => {
            let public = app.generate_ledger_key(&out).await?;
            println!(
                "Wrote a new ledger key to {}. Its public key:",
                out.display()
            );
            println!("{public}");
            println!(
                "Move it to your secret store and start Attest with --ledger-key-file (or ATTEST_LEDGER_KEY_FILE)."
            );
            Ok(())
        }
        LedgerCommand::PublicKey => {
            println!("{}", app.ledger_public_key().await?);
            Ok(())
        }
    }
}
