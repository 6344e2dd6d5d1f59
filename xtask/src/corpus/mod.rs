//! `cargo xtask corpus`: the corpus of contract edits (`edits.rs`), each
//! applied to a copy of the committed crate, judged by the semver gate,
//! built and tested (see `USAGE`).

mod edits;
mod target;
mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::run::Failure;
use edits::{Edit, Verdict};
use workspace::{Copy, Outcome};

const USAGE: &str = "\
usage: cargo xtask corpus [--only ID]... [--list] [--quick] [--semver-checks] [--keep] [--target-dir DIR]

Applies each edit of the corpus of contract edits (xtask/src/corpus/edits.rs)
to a copy of the committed crate (`git archive HEAD`: uncommitted work does not
leak in) and checks, against what the corpus expects of the edit:

  gate    the semver gate (xtask/src/gate.rs, as .ci/semver-gate runs it) with
          the unedited document as the released one, at the crate's own
          version: a compatible edit passes, a breaking one fails naming the
          expected rule ids
  check   `cargo check --all-features --all-targets` of the client, the
          emulator and the command: the facade, the emulator, the CLI, tests,
          benches and examples compile with the edit alone
          (judged where the Rust API stays compatible, reported otherwise)
  tests   an additive edit: the snapshot refreshed, then round_trip,
          emulator_end_to_end, quickstart, wire_request and cli pass

and then, with every additive edit applied together: the gate, the snapshot
refreshed, `cargo build --all-features --all-targets` and the full
`cargo test --all-features` of the three packages (doc tests included).

options:
  --only ID        run only this edit (repeatable)
  --list           list the edits and their expected verdicts, run nothing
  --quick          judge each edit by the gate alone (seconds each); the
                   additive edits together still get the full build and tests
                   (what CI runs: .ci/contract-corpus)
  --semver-checks  also run cargo-semver-checks on each edit (unedited crate to
                   edited crate, all features) and check its recorded verdict
  --keep           keep the copy (DIR/edits/work) for a look afterwards
  --target-dir DIR the copy's CARGO_TARGET_DIR, never the repository's own
                   (default: target/corpus, under $CARGO_TARGET_DIR if set).
                   The first run copies the repository's compiled
                   dependencies there; the copy keeps one path, so its builds
                   stay incremental from edit to edit and run to run. The
                   repository's target/ is never written: an interrupted run
                   leaves nothing to clean

Logs of every step: DIR/edits/logs/.
exit status: 0 every edit as expected; 1 an edit disagrees with its
expectation; 2 the setup failed (no git, no cargo-semver-checks, the
unedited copy does not build...)";

/// The tests run on each additive edit; the full suite runs once, on all of
/// them together.
const SUBSET: &[&str] = &[
    "generated_snapshot",
    "round_trip",
    "emulator_end_to_end",
    "quickstart",
    "wire_request",
    "cli",
];

struct Options {
    only: Vec<String>,
    list: bool,
    quick: bool,
    semver_checks: bool,
    keep: bool,
    target_dir: Option<PathBuf>,
}

fn options(args: &[String]) -> Result<Option<Options>, Failure> {
    let mut options = Options {
        only: Vec::new(),
        list: false,
        quick: false,
        semver_checks: false,
        keep: false,
        target_dir: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            "--list" => options.list = true,
            "--quick" => options.quick = true,
            "--semver-checks" => options.semver_checks = true,
            "--keep" => options.keep = true,
            "--only" | "--target-dir" => {
                let value = args
                    .next()
                    .ok_or_else(|| Failure::usage(format!("{arg} needs a value")))?;
                match arg.as_str() {
                    "--only" => options.only.push(value.clone()),
                    _ => options.target_dir = Some(value.into()),
                }
            }
            other => {
                return Err(Failure::usage(format!(
                    "unknown argument `{other}`\n\n{USAGE}"
                )))
            }
        }
    }
    Ok(Some(options))
}

pub fn main(args: &[String]) -> Result<ExitCode, Failure> {
    let Some(options) = options(args)? else {
        return Ok(ExitCode::SUCCESS);
    };
    let mut corpus = edits::corpus();
    if !options.only.is_empty() {
        if let Some(unknown) = options
            .only
            .iter()
            .find(|id| !corpus.iter().any(|e| &e.id == *id))
        {
            return Err(Failure::usage(format!(
                "no edit `{unknown}` in the corpus (see --list)"
            )));
        }
        corpus.retain(|e| options.only.contains(&e.id));
    }
    if options.list {
        list(&corpus);
        return Ok(ExitCode::SUCCESS);
    }

    let started = Instant::now();
    let repository = crate::run::target_dir();
    let target = target::choose(options.target_dir.clone(), &repository)?;
    target::seed(&target, &repository)?;
    eprintln!(
        "corpus: {} edits; copy of HEAD in {}",
        corpus.len(),
        target.join("edits/work").display()
    );
    let copy = Copy::create(&target, options.semver_checks)?;
    let setup = started.elapsed();
    eprintln!("corpus: setup done in {}", seconds(setup));

    let mut rows = Vec::new();
    for (n, edit) in corpus.iter().enumerate() {
        eprintln!("corpus: [{}/{}] {}", n + 1, corpus.len(), edit.id);
        rows.push(run_edit(&copy, edit, &options)?);
    }
    let additive: Vec<&Edit> = corpus.iter().filter(|e| e.is_additive()).collect();
    let together = if additive.is_empty() {
        None
    } else {
        eprintln!(
            "corpus: the {} additive edits together, full test suite",
            additive.len()
        );
        Some(run_together(&copy, &additive)?)
    };

    print_table(&corpus, &rows, together.as_ref(), options.semver_checks);
    let failed = rows.iter().filter(|r| !r.problems.is_empty()).count()
        + together
            .as_ref()
            .map_or(0, |t| usize::from(!t.problems.is_empty()));
    println!(
        "\nsetup {}, total {}; logs in {}",
        seconds(setup),
        seconds(started.elapsed()),
        copy.logs().display()
    );
    if options.keep {
        println!("copy kept: {}", copy.dir().display());
    } else {
        copy.remove();
    }
    if failed > 0 {
        println!("corpus: {failed} disagree with their expectation (see above)");
        Ok(ExitCode::from(1))
    } else {
        println!("corpus: every edit as expected");
        Ok(ExitCode::SUCCESS)
    }
}

fn list(corpus: &[Edit]) {
    for edit in corpus {
        println!(
            "{:<34} gate {:<48} semver-checks {}",
            edit.id,
            verdict(edit.gate),
            verdict(edit.semver)
        );
        println!("    {}", edit.what);
        if let Some(why) = edit.why_they_differ {
            println!("    the verdicts differ: {why}");
        }
    }
}

/// What one edit gave.
struct Row {
    gate: String,
    semver: Option<String>,
    check: String,
    tests: String,
    time: Duration,
    problems: Vec<String>,
}

fn run_edit(copy: &Copy, edit: &Edit, options: &Options) -> Result<Row, Failure> {
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut released = copy.unedited().clone();
    if let Some(base) = &edit.base {
        base(&mut released).map_err(|e| Failure::usage(format!("{} (base): {e}", edit.id)))?;
    }
    let mut current = released.clone();
    (edit.apply)(&mut current).map_err(|e| Failure::usage(format!("{}: {e}", edit.id)))?;
    copy.write_document(&current)?;

    let gate = copy.gate(&released, &edit.id)?;
    judge_verdict("gate", edit.gate, &gate, &mut problems);

    let rust_compatible = edit.semver.is_compatible();
    let check = if options.quick {
        None
    } else {
        Some(copy.check(&edit.id)?)
    };
    if let (Some(check), true) = (&check, rust_compatible) {
        judge_step("check", check, &mut problems);
    }
    let tests = match &check {
        Some(check) => edit_tests(copy, edit, check, &mut problems)?,
        None => "-".to_owned(),
    };

    let semver = if options.semver_checks {
        let baseline = match &edit.base {
            Some(_) => copy.rustdoc(&released, &format!("{}.base", edit.id))?,
            None => copy.unedited_rustdoc()?,
        };
        copy.write_document(&current)?;
        let verdict = copy.semver_checks(&baseline, &edit.id)?;
        judge_verdict("cargo-semver-checks", edit.semver, &verdict, &mut problems);
        Some(verdict.short())
    } else {
        None
    };

    Ok(Row {
        gate: gate.short(),
        semver,
        check: check.map_or_else(
            || "-".to_owned(),
            |check| informational(check.short(), rust_compatible),
        ),
        tests,
        time: started.elapsed(),
        problems,
    })
}

/// The subset of tests on one edit: run where the Rust API stays compatible
/// and the edit checks, judged where it is additive.
fn edit_tests(
    copy: &Copy,
    edit: &Edit,
    check: &Outcome,
    problems: &mut Vec<String>,
) -> Result<String, Failure> {
    if !edit.semver.is_compatible() {
        return Ok("-".to_owned());
    }
    if !check.passed {
        return Ok("not run".to_owned());
    }
    let tests = copy.tests(SUBSET, true, &edit.id)?;
    if edit.is_additive() {
        judge_step("tests", &tests, problems);
    }
    Ok(tests.short())
}

/// The additive edits applied together: gate, snapshot, every target, every test.
struct Together {
    steps: Vec<(&'static str, String)>,
    time: Duration,
    problems: Vec<String>,
}

fn run_together(copy: &Copy, additive: &[&Edit]) -> Result<Together, Failure> {
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut document = copy.unedited().clone();
    for edit in additive {
        if let Some(base) = &edit.base {
            base(&mut document).map_err(|e| Failure::usage(format!("{} (base): {e}", edit.id)))?;
        }
        (edit.apply)(&mut document).map_err(|e| Failure::usage(format!("{}: {e}", edit.id)))?;
    }
    copy.write_document(&document)?;
    let unedited = copy.unedited().clone();
    let mut steps = Vec::new();

    let gate = copy.gate(&unedited, "together")?;
    judge_verdict("gate", Verdict::Compatible, &gate, &mut problems);
    steps.push(("gate", gate.short()));

    let refresh = copy.tests(&["generated_snapshot"], true, "together.snapshot")?;
    judge_step("snapshot refresh", &refresh, &mut problems);
    steps.push(("snapshot", refresh.short()));
    if refresh.passed {
        let build = copy.build_all("together")?;
        judge_step("build --all-targets", &build, &mut problems);
        steps.push(("build --all-targets", build.short()));
        if build.passed {
            let tests = copy.tests(&[], false, "together.tests")?;
            judge_step("cargo test --all-features", &tests, &mut problems);
            steps.push(("cargo test --all-features", tests.short()));
        }
    }
    Ok(Together {
        steps,
        time: started.elapsed(),
        problems,
    })
}

fn judge_verdict(tool: &str, expected: Verdict, got: &Outcome, problems: &mut Vec<String>) {
    let ok = match (expected, got.verdict) {
        (Verdict::Compatible, Some(Verdict::Compatible)) => true,
        (Verdict::Breaking(want), Some(Verdict::Breaking(_))) => {
            want.iter().all(|id| got.names.iter().any(|n| n == id))
        }
        _ => false,
    };
    if !ok {
        problems.push(format!(
            "{tool}: expected {}, got {}",
            verdict(expected),
            got.detail
        ));
    }
}

fn judge_step(step: &str, got: &Outcome, problems: &mut Vec<String>) {
    if !got.passed {
        problems.push(format!("{step} failed: {}", got.detail));
    }
}

fn informational(text: String, judged: bool) -> String {
    if judged {
        text
    } else {
        format!("({text})")
    }
}

fn verdict(verdict: Verdict) -> String {
    match verdict {
        Verdict::Compatible => "compatible".into(),
        Verdict::Breaking([]) => "breaking".into(),
        Verdict::Breaking(ids) => format!("breaking [{}]", ids.join(", ")),
    }
}

fn seconds(time: Duration) -> String {
    format!("{:.0}s", time.as_secs_f64())
}

fn print_table(corpus: &[Edit], rows: &[Row], together: Option<&Together>, semver: bool) {
    let mut table = vec![vec![
        "edit".to_owned(),
        "expected (gate / semver-checks)".to_owned(),
        "gate".to_owned(),
        "semver-checks".to_owned(),
        "check".to_owned(),
        "tests".to_owned(),
        "time".to_owned(),
        "result".to_owned(),
    ]];
    for (edit, row) in corpus.iter().zip(rows) {
        table.push(vec![
            edit.id.clone(),
            format!(
                "{} / {}",
                short_verdict(edit.gate),
                short_verdict(edit.semver)
            ),
            row.gate.clone(),
            row.semver.clone().unwrap_or_else(|| "not run".into()),
            row.check.clone(),
            row.tests.clone(),
            seconds(row.time),
            if row.problems.is_empty() {
                "ok".into()
            } else {
                "MISMATCH".into()
            },
        ]);
    }
    if !semver {
        for line in &mut table {
            line.remove(3);
        }
    }
    let widths: Vec<usize> = (0..table[0].len())
        .map(|c| {
            table
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    println!();
    for line in &table {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
    println!("(a step in parentheses is reported, not judged: the edit breaks the Rust API)");
    for (edit, row) in corpus.iter().zip(rows) {
        for problem in &row.problems {
            println!("MISMATCH {}: {problem}", edit.id);
        }
    }
    if let Some(together) = together {
        println!(
            "\nall additive edits together ({}):",
            seconds(together.time)
        );
        for (step, outcome) in &together.steps {
            println!("  {step:<26} {outcome}");
        }
        for problem in &together.problems {
            println!("MISMATCH together: {problem}");
        }
    }
    let differ: Vec<&Edit> = corpus
        .iter()
        .filter(|e| e.why_they_differ.is_some())
        .collect();
    if !differ.is_empty() {
        println!("\nwhere the gate and cargo-semver-checks differ, by design:");
        for edit in differ {
            println!(
                "  {}: {}",
                edit.id,
                edit.why_they_differ.unwrap_or_default()
            );
        }
    }
}

fn short_verdict(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Compatible => "compatible",
        Verdict::Breaking(_) => "breaking",
    }
}

/// The document as written into the copy: JSON (which YAML reads), so that
/// no YAML scalar changes its type on the way.
fn document_text(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).expect("a JSON value");
    text.push('\n');
    text
}
