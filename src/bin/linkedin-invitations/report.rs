//! The command's report: a JSON line per invitation (stdout or a file), a
//! progress bar on stderr when it is a terminal, and a summary at the end.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::outcome::{Outcome, Verdict};

pub struct Report {
    out: Box<dyn Write + Send>,
    counts: BTreeMap<Verdict, u64>,
    bar: ProgressBar,
    started: Instant,
    /// The first write that failed; nothing is written after it.
    write_failed: Option<io::Error>,
}

impl Report {
    pub fn new(out: Box<dyn Write + Send>, total: Option<u64>, progress: bool) -> Self {
        let target = match progress {
            // indicatif draws nothing when stderr is not a terminal.
            true => ProgressDrawTarget::stderr(),
            false => ProgressDrawTarget::hidden(),
        };
        let bar = ProgressBar::with_draw_target(total, target);
        let template = match total {
            Some(_) => "{bar:30} {pos}/{len} {per_sec} ETA {eta} {msg}",
            None => "{spinner} {pos} {per_sec} {elapsed} {msg}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Self {
            out,
            counts: BTreeMap::new(),
            bar,
            started: Instant::now(),
            write_failed: None,
        }
    }

    /// Writes one outcome (flushed: a crash loses no reported line).
    pub fn record(&mut self, outcome: &Outcome) {
        *self.counts.entry(outcome.verdict).or_default() += 1;
        self.bar.inc(1);
        self.bar.set_message(self.counts_text());
        if self.write_failed.is_none() {
            if let Err(error) = self.write(outcome) {
                self.write_failed = Some(error);
            }
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
        let parts: Vec<String> = Verdict::ALL
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
            "{total} invitations in {elapsed:.1} s: {}",
            match self.counts.is_empty() {
                true => "nothing to do".to_owned(),
                false => self.counts_text(),
            }
        );
        if self.counts.contains_key(&Verdict::Unknown) {
            eprintln!(
                "unknown: may have been closed without an answer; run again with the same \
                 --journal and --resend-unknown to send them again (a 409 then confirms \
                 they were closed)"
            );
        }
        if self.counts.contains_key(&Verdict::NotApplied) {
            eprintln!(
                "not_applied: nothing took effect; run again with the same --journal to send them"
            );
        }
        if let Some(error) = &self.write_failed {
            eprintln!("error: the results could not all be written: {error}");
        }
        if interrupted {
            eprintln!("stopped: input after the last batch sent was not read");
        }
    }
}
