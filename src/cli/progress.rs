//! Progress for long operations (import, backup, restore, bench-data), drawn on stderr
//! only when it is a terminal and `--quiet` is not given: a script's output and a log
//! stay clean. `--verbose` prints per-set detail instead of hiding it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// How much a command says on stderr as it works.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verbosity {
    /// `--quiet`: no progress, no notes.
    pub quiet: bool,
    /// `--verbose`: one line per transaction set (and per step elsewhere).
    pub verbose: bool,
}

impl Verbosity {
    /// Whether to draw progress: stderr is a terminal, and neither quiet nor verbose (the
    /// verbose lines would tear a bar).
    pub fn bars(self) -> bool {
        !self.quiet && !self.verbose && std::io::stderr().is_terminal()
    }
}

/// A bar over `total` bytes (a file being read), with the rate and what remains.
pub fn bytes_bar(v: Verbosity, total: u64, what: &str) -> ProgressBar {
    let bar = hidden_unless(v, ProgressBar::new(total));
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:24}] {bytes}/{total_bytes} {msg} ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix(what.to_string());
    bar
}

/// A counter with no known end (a backup being written): how many and how fast.
pub fn counter(v: Verbosity, what: &str) -> ProgressBar {
    let bar = hidden_unless(v, ProgressBar::no_length());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_prefix(what.to_string());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// A bar over `total` items (claims generated).
pub fn items_bar(v: Verbosity, total: u64, what: &str) -> ProgressBar {
    let bar = hidden_unless(v, ProgressBar::new(total));
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:24}] {pos}/{len} {msg} ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix(what.to_string());
    bar
}

fn hidden_unless(v: Verbosity, bar: ProgressBar) -> ProgressBar {
    if v.bars() {
        bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(5));
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

fn per_sec(items: usize, elapsed: Duration) -> f64 {
    items as f64 / elapsed.as_secs_f64().max(1e-3)
}

/// Items per second over `elapsed` ("1840/s"), for a bar's message.
pub fn per_second(items: usize, elapsed: Duration) -> String {
    format!("{:.0}/s", per_sec(items, elapsed))
}

/// Claims so far and their rate ("4000 claims, 760 claims/s"), for a bar's message.
pub fn rate(claims: usize, elapsed: Duration) -> String {
    // Under 50 ms a rate says nothing yet.
    if elapsed.as_secs_f64() < 0.05 {
        return format!("{claims} claims");
    }
    format!("{claims} claims, {:.0} claims/s", per_sec(claims, elapsed))
}

/// Shows a migration at open (a store from an older release) as it runs: a spinner with
/// the step and the time it has taken on a terminal, a line per step with `--verbose`.
/// (Through a team server the server migrates; its log says so.)
pub fn show_migrations(v: Verbosity) {
    use crate::store::MigrationStep;
    let bar: std::sync::Mutex<Option<ProgressBar>> = std::sync::Mutex::new(None);
    crate::store::on_migration_step(move |step| {
        let Ok(mut bar) = bar.lock() else { return };
        match step {
            MigrationStep::Started { from, what } => {
                if v.verbose {
                    eprintln!("migrating the database from schema {from}: {what}");
                }
                bar.get_or_insert_with(|| counter(v, "migrating the database"))
                    .set_message(format!("from schema {from}: {what}"));
            }
            MigrationStep::Progress {
                from,
                what,
                done,
                total,
            } => {
                if v.verbose {
                    eprintln!("  {what}: {done} of {total}");
                }
                if let Some(b) = bar.as_ref() {
                    b.set_message(format!("from schema {from}: {what} ({done} of {total})"));
                }
            }
            MigrationStep::Done => {
                if let Some(b) = bar.take() {
                    b.finish_and_clear();
                }
                if v.verbose {
                    eprintln!(
                        "database migrated to schema {}",
                        crate::store::SCHEMA_VERSION
                    );
                }
            }
        }
    });
}
