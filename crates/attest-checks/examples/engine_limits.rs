//! What the Rego engine allows at scale: measured on the input `monitor_bench` generates, to
//! decide how checks can get faster.
//!
//!   ATTEST_BENCH_WRITE_INPUT=/tmp/input.json cargo run --release -p attest-app --example monitor_bench
//!   cargo run --release -p attest-checks --example engine_limits -- /tmp/input.json [PACK_DIR]
//!
//! 1. Every check of the pack (default `content/checks/soc2`) evaluated by regorus's interpreter,
//!    as `evaluate` does, and by its register VM (RVM, compiled per check): the time of each and
//!    whether both give the same `deny` and `resources`.
//! 2. One pass over the largest account list of the input keeping the active accounts: a Rego
//!    comprehension, and the same filter as a native Rust function registered with
//!    `Engine::add_extension`, so the share of a pass that interpretation costs is known.

use std::error::Error;
use std::time::Instant;

use attest_checks::Pack;
use regorus::{Engine, Value};

type Res<T> = Result<T, Box<dyn Error>>;

fn main() -> Res<()> {
    let mut args = std::env::args().skip(1);
    let input_path = args
        .next()
        .ok_or("usage: engine_limits INPUT.json [PACK_DIR] (INPUT from monitor_bench's ATTEST_BENCH_WRITE_INPUT)")?;
    let pack_dir = args
        .next()
        .unwrap_or_else(|| format!("{}/../../content/checks/soc2", env!("CARGO_MANIFEST_DIR")));
    let pack = Pack::load_dir(std::path::Path::new(&pack_dir))?;
    let input = Value::from_json_str(&std::fs::read_to_string(&input_path)?)?;
    let mut base = Engine::new();
    for f in pack.files.iter().filter(|f| !f.is_test()) {
        base.add_policy(f.path.clone(), f.source.clone())?;
    }

    println!("| Rule | Interpreter | RVM | Same result |");
    println!("|---|---|---|---|");
    let (mut total_interp, mut total_rvm, mut differ) = (0.0, 0.0, Vec::new());
    for check in pack.checks() {
        for rule in ["deny", "resources"] {
            let path = format!("data.{}.{rule}", check.id);
            let mut engine = base.clone();
            engine.set_input(input.clone());
            let started = Instant::now();
            let interpreted = engine.eval_rule(path.clone())?;
            let interp_s = started.elapsed().as_secs_f64();
            if interpreted == Value::Undefined && rule == "resources" {
                continue;
            }
            let started = Instant::now();
            let by_rvm = rvm(&base, &path, &input);
            let rvm_s = started.elapsed().as_secs_f64();
            let same = match &by_rvm {
                Ok(v) => (v == &interpreted).to_string(),
                Err(e) => format!("RVM error: {e}"),
            };
            if same != "true" {
                differ.push(path.clone());
            }
            total_interp += interp_s;
            total_rvm += rvm_s;
            println!("| {path} | {interp_s:.3} s | {rvm_s:.3} s | {same} |");
        }
    }
    println!(
        "\nAll rules: interpreter {total_interp:.2} s, RVM {total_rvm:.2} s ({:.2}×); results differ for: {}",
        total_interp / total_rvm,
        if differ.is_empty() {
            "none".to_owned()
        } else {
            differ.join(", ")
        }
    );

    // One filter pass, interpreted and native.
    let largest = largest_account_list(&input).ok_or("the input holds no account list")?;
    let mut engine = Engine::new();
    engine.add_extension(
        "native.active".to_owned(),
        1,
        Box::new(|args: Vec<Value>| {
            let active = Value::from("active");
            let kept: Vec<Value> = args[0]
                .as_array()?
                .iter()
                .filter(|a| a[&active] == Value::Bool(true))
                .cloned()
                .collect();
            Ok(Value::from(kept))
        }),
    )?;
    engine.add_policy(
        "pass.rego".to_owned(),
        "package pass\n\ninterpreted := count([a | some a in input.accounts; a.active == true])\n\nnative := count(native.active(input.accounts))\n".to_owned(),
    )?;
    let mut doc = Value::new_object();
    doc.as_object_mut()?
        .insert(Value::from("accounts"), largest.clone());
    engine.set_input(doc);
    let n = largest.as_array()?.len();
    let mut times = Vec::new();
    for rule in ["interpreted", "native"] {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let started = Instant::now();
            engine.eval_rule(format!("data.pass.{rule}"))?;
            best = best.min(started.elapsed().as_secs_f64());
        }
        times.push(best);
    }
    println!(
        "\nKeeping the active accounts of {n} (best of 5): Rego comprehension {:.1} ms ({:.0} ns per account), native function {:.1} ms ({:.0} ns per account), {:.2}×",
        times[0] * 1e3,
        times[0] * 1e9 / n as f64,
        times[1] * 1e3,
        times[1] * 1e9 / n as f64,
        times[0] / times[1]
    );
    Ok(())
}

fn rvm(base: &Engine, path: &str, input: &Value) -> Res<Value> {
    let mut engine = base.clone();
    let compiled = engine.compile_with_entrypoint(&path.into())?;
    let program =
        regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[path])?;
    let mut vm = regorus::rvm::vm::RegoVM::new();
    vm.set_max_instructions(usize::MAX);
    vm.load_program(program);
    vm.set_input(input.clone());
    Ok(vm.execute()?)
}

/// The longest `data.accounts` list of any snapshot.
fn largest_account_list(input: &Value) -> Option<Value> {
    let mut best: Option<Value> = None;
    for (_, snapshots) in input["snapshots"].as_object().ok()? {
        for snap in snapshots.as_array().ok()? {
            let accounts = &snap["data"]["accounts"];
            let len = accounts.as_array().map_or(0, |a| a.len());
            if len
                > best
                    .as_ref()
                    .and_then(|b| b.as_array().ok())
                    .map_or(0, |b| b.len())
            {
                best = Some(accounts.clone());
            }
        }
    }
    best
}
