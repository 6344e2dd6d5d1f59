//! `linkedin-invitations`: accept or ignore invitations in bulk, from a JSON
//! Lines or CSV file, with a journal that makes a crashed run resumable.
//!
//! Exit codes: 0 every invitation ended closed; 1 some failed, were not
//! applied, are unknown or invalid; 2 bad usage or unreadable input,
//! journal or credentials (nothing was sent; or the input failed to read
//! midway: what was read before is reported); 130 stopped by Ctrl-C.

mod connect;
mod input;
mod outcome;
mod paths;
mod report;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use clap::builder::TypedValueParser;
use clap::Parser;
use futures_util::StreamExt;
use linkedin_invitations::bulk::{Journal, JournalState, Recorded};
use linkedin_invitations::defaults::{DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY};
use linkedin_invitations::{Disposition, Invitation, InviteeAction};

use input::Record;
use outcome::Outcome;
use report::Report;

#[derive(Debug, Parser)]
#[command(
    version,
    about = "Accept or ignore LinkedIn invitations in bulk through Microsoft Graph",
    after_help = "Exit status:\n  0    every invitation ended closed\n  1    some failed, were not applied, are unknown or invalid\n  2    bad usage, or unreadable input, journal or credentials (nothing was sent)\n  130  stopped by Ctrl-C"
)]
pub struct Args {
    /// What to do with the invitations: a member of the contract's
    /// `InviteeActionType`, in any case (`accept`, `ignore`).
    #[arg(value_parser = action_parser(), ignore_case = true)]
    action: InviteeAction,
    /// JSON Lines ({"id","validationToken","trackingId"?}) or CSV with a
    /// header (id,validationToken[,trackingId]); `-` reads standard input.
    #[arg(long)]
    input: PathBuf,
    /// Write the results (JSON Lines) here instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Record every batch before it is sent and once it is answered; a run
    /// with the same journal skips what it knows.
    #[arg(long)]
    journal: Option<PathBuf>,
    /// Send again the invitations the journal lists as unknown.
    #[arg(long, requires = "journal")]
    resend_unknown: bool,
    #[command(flatten)]
    target: connect::Target,
    #[arg(
        long,
        default_value_t = DEFAULT_BATCH_SIZE,
        value_parser = |t: &str| within(t, MAX_BATCH_SIZE),
        help = format!("Invitations per request, from 1 to {MAX_BATCH_SIZE} (the contract's maxItems, at most 5000)")
    )]
    batch_size: usize,
    #[arg(
        long,
        default_value_t = DEFAULT_CONCURRENCY,
        value_parser = |t: &str| within(t, MAX_CONCURRENCY),
        help = format!("Most requests in flight, from 1 to {MAX_CONCURRENCY}")
    )]
    concurrency: usize,
    /// Never draw the progress bar.
    #[arg(long)]
    no_progress: bool,
}

/// The largest `--batch-size`: the contract's `maxItems`
/// (`defaults::MAX_BATCH_SIZE`), and never more than 5000 (a lost answer
/// leaves a whole batch uncertain).
#[allow(clippy::absurd_extreme_comparisons)]
const MAX_BATCH_SIZE: usize = if linkedin_invitations::defaults::MAX_BATCH_SIZE < 5000 {
    linkedin_invitations::defaults::MAX_BATCH_SIZE
} else {
    5000
};
/// The largest `--concurrency`.
const MAX_CONCURRENCY: usize = 64;

/// A whole number from 1 to `max`.
fn within(text: &str, max: usize) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from 1 to {max}")),
    }
}

/// The actions the contract lists, by their wire names in lower case and
/// taken in any case: a member added to the document is a command-line
/// action without an edit, however the document spells it (`markAsSpam`).
fn action_parser() -> impl TypedValueParser<Value = InviteeAction> {
    let names = InviteeAction::ALL
        .iter()
        .map(|a| a.to_string().to_lowercase());
    clap::builder::PossibleValuesParser::new(names).try_map(|name: String| {
        named(InviteeAction::ALL, &name).ok_or(format!("no action is named {name}"))
    })
}

/// The member of `all` whose wire name is `name`, in any case.
fn named<T: Copy + std::fmt::Display>(all: &[T], name: &str) -> Option<T> {
    all.iter()
        .copied()
        .find(|member| member.to_string().eq_ignore_ascii_case(name))
}

/// A failure before anything was sent: exit code 2.
struct Usage(String);

impl<E: std::fmt::Display> From<E> for Usage {
    fn from(error: E) -> Self {
        Self(error.to_string())
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return usage(Usage::from(error)),
    };
    match runtime.block_on(run(args)) {
        Ok(code) => code,
        Err(error) => usage(error),
    }
}

fn usage(Usage(message): Usage) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

async fn run(args: Args) -> Result<ExitCode, Usage> {
    let action = args.action;
    // What a journal records of its input: the canonical path, `-` for stdin.
    let input_name = match args.input.to_str() {
        Some("-") => "-".to_owned(),
        _ => paths::resolved(&args.input)
            .unwrap_or_else(|| args.input.clone())
            .display()
            .to_string(),
    };
    // The output is created (truncated) once the rest is read: never over
    // the journal or the input.
    let from_stdin = args.input.to_str() == Some("-");
    if let Some(output) = &args.output {
        paths::refuse_overwrite(
            output,
            &[
                ("journal", args.journal.as_deref()),
                ("input", (!from_stdin).then_some(args.input.as_path())),
            ],
        )?;
    }
    let journal = match &args.journal {
        Some(path) => Some(Journal::open(path, action, &input_name)?),
        None => None,
    };
    let records =
        input::open(&args.input).map_err(|e| format!("input {}: {e}", args.input.display()))?;
    let (client, records, _emulator) = connect::client(&args.target, records).await?;
    let out: Box<dyn std::io::Write + Send> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| format!("output {}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::stdout()),
    };
    let mut bulk = client
        .bulk(action)
        .batch_size(args.batch_size)?
        .concurrency(args.concurrency);
    let known = journal
        .as_ref()
        .map(|j| j.state().clone())
        .unwrap_or_default();
    if let Some(journal) = journal {
        let (path, repair) = (journal.path().to_owned(), journal.repair());
        bulk = bulk.observer(journal.observer()?);
        if let Some(repair) = repair {
            eprintln!("journal {}: {repair}", path.display());
        }
    } else {
        eprintln!(
            "warning: no --journal: the results are only in the output; if it cannot be \
             written, the invitations closed are listed here, on stderr"
        );
    }
    let report = Arc::new(Mutex::new(Report::new(
        out,
        input::count(&args.input),
        !args.no_progress,
        args.journal.clone(),
    )));
    let input_failed = Arc::new(Mutex::new(None));
    let to_send = Selection {
        known: known.clone(),
        seen: Seen::default(),
        resend_unknown: args.resend_unknown,
        report: Arc::clone(&report),
        input_failed: Arc::clone(&input_failed),
    };
    let mut results = bulk.close_stream(to_send.stream(records));

    let interrupted = Arc::new(AtomicBool::new(false));
    let stop = results.stop_handle();
    let flag = Arc::clone(&interrupted);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, Ordering::SeqCst);
            stop.stop();
            eprintln!(
                "stopping: waiting for the requests in flight; interrupt again to quit at once"
            );
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });

    while let Some(item) = results.next().await {
        let outcome = Outcome::of(&item, known.is_uncertain(item.id()));
        let mut report = report.lock().unwrap_or_else(|e| e.into_inner());
        report.record(&outcome);
        if report.write_failed() {
            results.stop_handle().stop();
        }
    }
    let mut report = report.lock().unwrap_or_else(|e| e.into_inner());
    let interrupted = interrupted.load(Ordering::SeqCst);
    report.finish(interrupted);
    if let Some(error) = input_failed
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    {
        eprintln!(
            "error: input {}: {error}; the invitations after it were not read",
            args.input.display()
        );
        return Ok(ExitCode::from(2));
    }
    Ok(match (interrupted, report.all_closed()) {
        (true, _) => ExitCode::from(130),
        (false, true) => ExitCode::SUCCESS,
        (false, false) => ExitCode::from(1),
    })
}

/// The ids read so far, each as a 128-bit fingerprint: 16 bytes an id
/// (at most about 40 with the set's overhead), whatever the id's length.
struct Seen {
    ids: HashSet<u128>,
    keys: (std::hash::RandomState, std::hash::RandomState),
}

impl Default for Seen {
    fn default() -> Self {
        Self {
            ids: HashSet::new(),
            keys: (std::hash::RandomState::new(), std::hash::RandomState::new()),
        }
    }
}

impl Seen {
    /// Whether `id` is new; remembers it.
    fn insert(&mut self, id: &str) -> bool {
        use std::hash::BuildHasher;
        let (a, b) = &self.keys;
        self.ids
            .insert((u128::from(a.hash_one(id)) << 64) | u128::from(b.hash_one(id)))
    }
}

/// Chooses which input records to send: not those the journal knows the end
/// of, not the unknown ones unless asked, not an id seen before in the input.
/// Reports every record it does not send.
struct Selection {
    known: JournalState,
    seen: Seen,
    resend_unknown: bool,
    report: Arc<Mutex<Report>>,
    input_failed: Arc<Mutex<Option<std::io::Error>>>,
}

impl Selection {
    fn stream(
        mut self,
        records: input::Records,
    ) -> impl futures_util::Stream<Item = Invitation> + Send {
        let (sender, receiver) = tokio::sync::mpsc::channel(1024);
        // A file or a pipe is read on a thread of its own, never blocking the
        // runtime; the bounded channel keeps the reading lazy.
        std::thread::spawn(move || {
            for record in records {
                // An I/O error ends the input: nothing after it is read.
                let failed = record.is_err();
                if sender.blocking_send(record).is_err() || failed {
                    break;
                }
            }
        });
        futures_util::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|record| (record, receiver))
        })
        .filter_map(move |record| std::future::ready(self.select(record)))
    }

    fn select(&mut self, record: std::io::Result<Record>) -> Option<Invitation> {
        let skipped = match record {
            Err(error) => {
                *self.input_failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(error);
                return None;
            }
            Ok(Record::Invalid { line, id, problem }) => Outcome {
                id: id.unwrap_or_default(),
                disposition: Disposition::Invalid,
                line: Some(line),
                message: Some(problem),
                ..Outcome::default()
            },
            Ok(Record::Invitation { line, invitation }) => {
                let id = invitation.id().to_owned();
                let known = self.known.get(&id);
                if !self.seen.insert(&id) {
                    Outcome {
                        id,
                        disposition: Disposition::Invalid,
                        line: Some(line),
                        message: Some("the id repeats an earlier line".into()),
                        ..Outcome::default()
                    }
                } else {
                    // What the journal settled is reported from it; what it
                    // left uncertain is sent again only when asked.
                    let disposition = match known {
                        Some(recorded @ Recorded::Answered(d)) if recorded.is_settled() => d,
                        Some(Recorded::Uncertain) if !self.resend_unknown => Disposition::Unknown,
                        _ => return Some(invitation),
                    };
                    Outcome {
                        id,
                        disposition,
                        from_journal: true,
                        ..Outcome::default()
                    }
                }
            }
        };
        self.report
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .record(&skipped);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::named;

    /// A stand-in for a contract whose members are not all upper case.
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Member {
        Accept,
        MarkAsSpam,
    }

    impl std::fmt::Display for Member {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(match self {
                Self::Accept => "ACCEPT",
                Self::MarkAsSpam => "markAsSpam",
            })
        }
    }

    #[test]
    fn an_action_is_named_in_any_case_as_the_document_spells_it() {
        let all = [Member::Accept, Member::MarkAsSpam];
        for name in ["accept", "ACCEPT", "Accept"] {
            assert_eq!(named(&all, name), Some(Member::Accept), "{name}");
        }
        for name in ["markasspam", "MARKASSPAM", "markAsSpam"] {
            assert_eq!(named(&all, name), Some(Member::MarkAsSpam), "{name}");
        }
        assert_eq!(named(&all, "decline"), None);
    }
}
