//! The command's report: a JSON line per invitation (stdout or a file), a
//! progress bar on stderr when it is a terminal, and a summary at the end.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::outcome::Outcome;
use linkedin_invitations::Disposition;

pub struct Report {
    out: Box<dyn Write + Send>,
    counts: BTreeMap<Disposition, u64>,
    bar: ProgressBar,
    started: Instant,
    /// The first write that failed; nothing is written after it.
    write_failed: Option<io::Error>,
    /// The invitations this run closed whose lines were not written: told
    /// on stderr, so that no close goes unreported.
    unwritten_closes: Vec<String>,
    /// The journal, where every answer is kept whatever the output does.
    journal: Option<PathBuf>,
}

impl Report {
    pub fn new(
        out: Box<dyn Write + Send>,
        total: Option<u64>,
        progress: bool,
        journal: Option<PathBuf>,
    ) -> Self {
        let target = match progress {
            // indicatif draws nothing when stderr is not a terminal.
            true => ProgressDrawTarget::stderr(),
            false => ProgressDrawTarget::hidden(),
        };
        let bar = ProgressBar::with_draw_target(total, target);
        let template = match total {
            Some(_) => "{bar:30} {pos}/{len} {rate} ETA {remaining} {msg}",
            None => "{spinner} {pos} {rate} {elapsed} {msg}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            let style = style
                .with_key(
                    "rate",
                    |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&rate_text(state.pos(), state.elapsed()));
                    },
                )
                .with_key(
                    "remaining",
                    |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let len = state.len().unwrap_or(0);
                        let _ = w.write_str(&eta_text(state.pos(), len, state.elapsed()));
                    },
                );
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Self {
            out,
            counts: BTreeMap::new(),
            bar,
            started: Instant::now(),
            write_failed: None,
            unwritten_closes: Vec::new(),
            journal,
        }
    }

    /// Writes one outcome (flushed: a crash loses no reported line).
    pub fn record(&mut self, outcome: &Outcome) {
        *self.counts.entry(outcome.disposition).or_default() += 1;
        self.bar.inc(1);
        self.bar.set_message(self.counts_text());
        if self.write_failed.is_none() {
            if let Err(error) = self.write(outcome) {
                self.write_failed = Some(error);
            }
        }
        if self.write_failed.is_some()
            && outcome.disposition == Disposition::Closed
            && !outcome.from_journal
        {
            self.unwritten_closes.push(outcome.id.clone());
        }
    }

    fn write(&mut self, outcome: &Outcome) -> io::Result<()> {
        let mut line = serde_json::to_vec(outcome)?;
        line.push(b'\n');
        self.out.write_all(&line)?;
        self.out.flush()
    }

    /// Whether writing the results failed.
    pub fn write_failed(&self) -> bool {
        self.write_failed.is_some()
    }

    fn counts_text(&self) -> String {
        let parts: Vec<String> = Disposition::ALL
            .iter()
            .filter_map(|v| self.counts.get(v).map(|n| format!("{} {n}", v.as_str())))
            .collect();
        parts.join(" · ")
    }

    /// Whether every invitation reported ended closed.
    pub fn all_closed(&self) -> bool {
        self.write_failed.is_none() && self.counts.keys().all(|v| v.is_closed())
    }

    /// Ends the progress bar and prints the summary on stderr.
    pub fn finish(&mut self, interrupted: bool) {
        self.bar.finish_and_clear();
        let total: u64 = self.counts.values().sum();
        let elapsed = self.started.elapsed().as_secs_f64();
        eprintln!(
            "{total} {} in {elapsed:.1} s: {}",
            match total {
                1 => "invitation",
                _ => "invitations",
            },
            match self.counts.is_empty() {
                true => "nothing to do".to_owned(),
                false => self.counts_text(),
            }
        );
        if self.counts.contains_key(&Disposition::Unknown) {
            eprintln!(
                "unknown: may have been closed without an answer; run again with the same \
                 --journal and --resend-unknown to send them again (a 409 then confirms \
                 they were closed)"
            );
        }
        if self.counts.contains_key(&Disposition::NotApplied) {
            eprintln!(
                "not_applied: nothing took effect; run again with the same --journal to send them"
            );
        }
        if let Some(error) = &self.write_failed {
            eprintln!("error: the results could not all be written: {error}");
            let closes = &self.unwritten_closes;
            if !closes.is_empty() {
                let kept = match &self.journal {
                    Some(journal) => format!("journal {} holds every answer", journal.display()),
                    None => "there is no journal: this list is their only record".to_owned(),
                };
                eprintln!(
                    "closed by this run but not written ({}; {kept}): {}",
                    closes.len(),
                    closes.join(", ")
                );
            }
        }
        if interrupted {
            eprintln!("stopped: input after the last batch sent was not read");
        }
    }
}

/// Results come a batch at a time: before this long, or before the first
/// result, a rate or a time left would be a guess.
const SETTLING: Duration = Duration::from_secs(2);

/// The average rate so far, rounded: `340/s`, `2.5/s`; `-/s` at first.
fn rate_text(done: u64, elapsed: Duration) -> String {
    if done == 0 || elapsed < SETTLING {
        return "-/s".to_owned();
    }
    let rate = done as f64 / elapsed.as_secs_f64();
    match rate >= 10.0 {
        true => format!("{rate:.0}/s"),
        false => format!("{rate:.1}/s"),
    }
}

/// The time left at the average rate so far (`1h 5m`, `3m 20s`, `45s`);
/// `-` until there is a rate to go by.
fn eta_text(done: u64, total: u64, elapsed: Duration) -> String {
    if done == 0 || elapsed < SETTLING {
        return "-".to_owned();
    }
    let left = total.saturating_sub(done) as f64 * elapsed.as_secs_f64() / done as f64;
    let seconds = left.round().min(u64::MAX as f64) as u64;
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m {}s", seconds / 60, seconds % 60),
        _ => format!("{}h {}m", seconds / 3600, seconds % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_rounded_and_shown_only_once_there_is_one() {
        assert_eq!(rate_text(0, Duration::from_secs(5)), "-/s");
        assert_eq!(rate_text(300, Duration::from_millis(500)), "-/s");
        assert_eq!(rate_text(1000, Duration::from_secs(3)), "333/s");
        assert_eq!(rate_text(5, Duration::from_secs(2)), "2.5/s");
    }

    #[test]
    fn the_time_left_waits_for_the_first_results_and_reads_plainly() {
        assert_eq!(eta_text(0, 1000, Duration::from_secs(1)), "-");
        assert_eq!(eta_text(100, 1000, Duration::from_millis(200)), "-");
        assert_eq!(eta_text(100, 1000, Duration::from_secs(5)), "45s");
        assert_eq!(eta_text(100, 1000, Duration::from_secs(20)), "3m 0s");
        assert_eq!(eta_text(1, 10_000, Duration::from_secs(3)), "8h 19m");
        assert_eq!(eta_text(1000, 1000, Duration::from_secs(3)), "0s");
    }
}
