//! `contract-diff`: what changed for clients between two versions of an
//! OpenAPI 3.0.x document, and whether it breaks them.
//!
//! Exit status: 0 when nothing at or above `--fail-on` changed, 1 when
//! something did, 2 when a document, ignore file or option cannot be used.

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use contract_diff::ignore::IgnoreList;
use contract_diff::report::{Format, Overrides, Report, Selection};
use contract_diff::{
    compare, rules, Document, Level, Lines, Options, Profile, Source, DEFAULT_MAX_INPUT_BYTES,
};

#[derive(Parser)]
#[command(
    name = "contract-diff",
    version,
    about = "What changed for clients between two OpenAPI 3.0.x documents"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Changes that break (ERR) or may break (WARN) clients.
    Breaking(Compare),
    /// Every change, INFO included.
    Changelog(Compare),
    /// The rule catalogue: id, default level, profile.
    Rules,
}

#[derive(Args)]
struct Compare {
    /// The document before: a YAML or JSON file, or git:REV:PATH.
    base: String,
    /// The document after: a YAML or JSON file, or git:REV:PATH.
    revision: String,
    /// How to write the report.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Exit 1 when a change at or above this level is reported (ERR or WARN, any case).
    #[arg(long, value_enum, ignore_case = true)]
    fail_on: Option<LevelArg>,
    /// `wire`: oasdiff's rules; `codegen`: also what breaks the generated Rust API.
    #[arg(long, value_enum, default_value_t = ProfileArg::Wire)]
    profile: ProfileArg,
    /// A file of accepted changes, one `<operation> <rule-id> <reason>` per line.
    #[arg(long, value_name = "FILE")]
    ignore: Option<String>,
    /// Overrides a rule's level: RULE=ERR|WARN|INFO|NONE. Repeatable.
    #[arg(long, value_name = "RULE=LEVEL")]
    severity: Vec<String>,
    /// Days a beta item must stay deprecated before its sunset.
    #[arg(long, default_value_t = 0)]
    deprecation_days_beta: u32,
    /// Days any other item must stay deprecated before its sunset.
    #[arg(long, default_value_t = 0)]
    deprecation_days_stable: u32,
    /// Refuse (exit 2) a document larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_INPUT_BYTES)]
    max_input_bytes: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Markdown,
    Githubactions,
    Junit,
}

#[derive(Clone, Copy, ValueEnum)]
enum LevelArg {
    #[value(name = "ERR")]
    Err,
    #[value(name = "WARN")]
    Warn,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    Wire,
    Codegen,
}

/// A failure that makes the comparison impossible: printed, exit 2.
struct Unusable(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Breaking(args) => run(&args, Selection::Breaking),
        Command::Changelog(args) => run(&args, Selection::Changelog),
        Command::Rules => {
            let lines: String = rules::RULES
                .iter()
                .map(|rule| {
                    let profile = match rule.profile {
                        Profile::Wire => "wire",
                        Profile::Codegen => "codegen",
                    };
                    format!("{:<4} {:<8} {}\n", rule.level, profile, rule.id)
                })
                .collect();
            write_out(&lines);
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|Unusable(message)| {
        eprintln!("contract-diff: {message}");
        ExitCode::from(2)
    })
}

/// Writes to standard output; a closed pipe (`| head`) ends the output,
/// not the process with a panic.
fn write_out(text: &str) {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
}

fn run(args: &Compare, selection: Selection) -> Result<ExitCode, Unusable> {
    let mut overrides = Overrides::default();
    for spec in &args.severity {
        overrides
            .add(spec)
            .map_err(|e| Unusable(format!("--severity {spec}: {e}")))?;
    }
    let ignore = match &args.ignore {
        None => IgnoreList::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Unusable(format!("{path}: cannot read: {e}")))?;
            IgnoreList::parse(&text).map_err(|e| Unusable(format!("{path}: {e}")))?
        }
    };
    let base_source = Source::parse(&args.base);
    let revision_source = Source::parse(&args.revision);
    // The two documents load side by side: on large documents loading is
    // most of the work.
    let load = |source| Document::load_at_most(source, args.max_input_bytes);
    let (base, revision) = std::thread::scope(|scope| {
        let base = scope.spawn(|| load(&base_source));
        let revision = load(&revision_source);
        (base.join(), revision)
    });
    let base = base
        .map_err(|_| Unusable("loading the base document failed".to_owned()))?
        .map_err(|e| Unusable(e.to_string()))?;
    let revision = revision.map_err(|e| Unusable(e.to_string()))?;
    for document in [&base, &revision] {
        for defect in document.tolerated() {
            eprintln!(
                "contract-diff: {}: warning: {defect} (tolerated: not compared)",
                document.name()
            );
        }
    }

    let profile = match args.profile {
        ProfileArg::Wire => Profile::Wire,
        ProfileArg::Codegen => Profile::Codegen,
    };
    let mut options = Options::with_profile(profile);
    options.deprecation_days_beta = args.deprecation_days_beta;
    options.deprecation_days_stable = args.deprecation_days_stable;

    let changes = compare(&base, &revision, &options).map_err(|e| Unusable(e.to_string()))?;
    let mut report = Report::new(
        base.name(),
        revision.name(),
        changes,
        selection,
        &overrides,
        &ignore,
    );
    // The process ends soon: freeing two large documents value by value
    // would only add time. Only when the revision's text is read again, for
    // line numbers, does its tree go first: the two are never held at once.
    std::mem::forget(base);
    if let Source::File(path) = &revision_source {
        report.revision_file = Some(path.display().to_string());
    }
    if report.revision_file.is_some() && matches!(args.format, FormatArg::Githubactions) {
        drop(revision);
        let text = revision_source
            .read(args.max_input_bytes)
            .map_err(|e| Unusable(e.to_string()))?;
        let pointers = report.changes.iter().filter_map(|c| c.location.as_deref());
        report.revision_lines = Some(Lines::of(&text, pointers));
    } else {
        std::mem::forget(revision);
    }
    let threshold = args.fail_on.map(|level| match level {
        LevelArg::Err => Level::Err,
        LevelArg::Warn => Level::Warn,
    });
    report.fail_on = threshold;
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Githubactions => Format::GithubActions,
        FormatArg::Junit => Format::Junit,
    };
    write_out(&report.render(format));

    Ok(match threshold {
        Some(threshold) if report.fails(threshold) => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    })
}
