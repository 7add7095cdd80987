//! `denialdesk import FILE...` and `denialdesk batches`.

use super::context::{Context, Opened};
use super::progress;
use crate::import::{import_observed, FileSource, ImportError, ImportEvent, SetHeader, Source};
use crate::ingest::IngestError;
use crate::store::SetOutcome;
use crate::text::escape as esc;
use anyhow::{bail, Result};
use indicatif::ProgressBar;
use std::path::PathBuf;
use std::time::Instant;

/// A file whose reads move a progress bar (each reading starts it again).
struct Tracked<'a> {
    file: FileSource,
    bar: &'a ProgressBar,
}

impl Source for Tracked<'_> {
    fn name(&self) -> &str {
        self.file.name()
    }

    fn open(&self) -> Result<Box<dyn std::io::BufRead + '_>, IngestError> {
        self.bar.set_position(0);
        Ok(Box::new(Counted {
            inner: self.file.open()?,
            bar: self.bar,
            unshown: 0,
        }))
    }

    fn looks_cut_short(&self) -> bool {
        self.file.looks_cut_short()
    }
}

/// Moves the bar by what is consumed, every `SHOW_EVERY` bytes: the reader consumes a
/// segment at a time, and moving the bar reads the clock (6 % of a large import's time
/// when it moved per segment).
struct Counted<'a, R> {
    inner: R,
    bar: &'a ProgressBar,
    unshown: u64,
}

const SHOW_EVERY: u64 = 256 * 1024;

impl<R: std::io::BufRead> std::io::Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count(n);
        Ok(n)
    }
}

impl<R: std::io::BufRead> std::io::BufRead for Counted<'_, R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let buf = self.inner.fill_buf()?;
        if buf.is_empty() && self.unshown > 0 {
            // The end: show what is left.
            self.bar.inc(std::mem::take(&mut self.unshown));
        }
        Ok(buf)
    }

    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        self.count(n);
    }
}

impl<R> Counted<'_, R> {
    fn count(&mut self, n: usize) {
        self.unshown += n as u64;
        if self.unshown >= SHOW_EVERY {
            self.bar.inc(std::mem::take(&mut self.unshown));
        }
    }
}

/// One transaction set in `--verbose`: payer, trace, date and what storing it did.
fn set_line(set: &SetHeader, outcome: &SetOutcome) -> String {
    let did = if outcome.duplicate {
        "imported before: nothing changed".to_string()
    } else {
        format!(
            "{} new denials, {} new underpayments, {} work items updated",
            outcome.opened, outcome.underpaid, outcome.updated
        )
    };
    esc(&format!(
        "  set {} (ST02): {} trace {} of {}: {} claims, {did}",
        set.control_number, set.payer.name, set.trace_number, set.remit_date, outcome.claims
    ))
    .into_owned()
}

pub fn run(ctx: &Context, files: &[PathBuf]) -> Result<()> {
    let rules = ctx.payer_rules()?;
    if rules.payers.is_empty() && !ctx.verbosity.quiet {
        eprintln!(
            "note: no payer rules loaded (--payers, DENIALDESK_PAYERS or payer_rules in the config file): deadlines use the built-in defaults, marked *"
        );
    }
    let store = ctx.importer()?;
    let mut failed = 0;
    let mut already = 0;
    for path in files {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        let bar = progress::bytes_bar(ctx.verbosity, size, &path.display().to_string());
        let source = Tracked {
            file: FileSource::new(path),
            bar: &bar,
        };
        let started = Instant::now();
        let mut stored = 0;
        let verbose = ctx.verbosity.verbose;
        let mut observe = |event: ImportEvent| match event {
            // A large file is stored as it is read: the bar then says what is stored.
            ImportEvent::Read { claims } if stored == 0 => bar.set_message(format!(
                "reading: {}",
                progress::rate(claims, started.elapsed())
            )),
            ImportEvent::Read { .. } => {}
            // The bar starts again from the first byte: say why.
            ImportEvent::ReadingAgain => {
                bar.set_message("no IEA at its end, yet it read well: reading it again to store it")
            }
            ImportEvent::Stored { set, outcome } => {
                stored += outcome.claims;
                bar.set_message(format!(
                    "storing: {}",
                    progress::rate(stored, started.elapsed())
                ));
                if verbose {
                    println!("{}", set_line(&set, outcome));
                }
            }
        };
        let result = match &store {
            // The server reads the file itself: the bar follows the bytes sent, its message
            // the server's progress (a second reading included).
            Opened::Team(server) => {
                source
                    .open()
                    .map_err(ImportError::from)
                    .and_then(|mut file| {
                        server.import_file(source.name(), &mut file, size, &rules, &mut observe)
                    })
            }
            Opened::Here(store) => {
                import_observed(store.as_ref(), &source, &rules, &ctx.user, 0, &mut observe)
            }
        };
        bar.finish_and_clear();
        match result {
            Ok(report) => {
                already += usize::from(report.already_imported());
                println!("{}", report.summary());
            }
            Err(e) => {
                failed += 1;
                // A large file is stored as it is read: a malformed one (found before the
                // commit, always; `BadFile` when a team server found it) has the sets
                // `--verbose` listed undone.
                let malformed = matches!(e, ImportError::Ingest(_) | ImportError::BadFile(_));
                let undone = verbose && stored > 0 && malformed;
                let listed = if undone {
                    ": the sets listed above were undone"
                } else {
                    ""
                };
                eprintln!("error: {e}\n  (nothing from this file was imported{listed})");
            }
        }
    }
    // The next teammate's first frame should not replay this import's writes.
    if let Opened::Here(store) = store {
        store.settle();
    }
    if failed > 0 {
        bail!("{failed} of {} files failed to import", files.len());
    }
    if already == files.len() {
        // --quiet: the exit code says it.
        let note = if ctx.verbosity.quiet {
            String::new()
        } else {
            "nothing to do: every file was already imported (exit code 4)".into()
        };
        return Err(super::exit::NothingToDo(note).into());
    }
    Ok(())
}

/// `denialdesk batches`: the claim batches 999s answered, rejected ones with their findings.
pub fn batches(ctx: &Context, all: bool, as_json: bool) -> Result<()> {
    let store = ctx.store()?;
    let mut acks: Vec<_> = store
        .batch_acks()?
        .into_iter()
        .filter(|b| all || (b.rejected() && b.resolved.is_none()))
        .collect();
    // Open rejections first, then the rest, each in import order.
    acks.sort_by_key(|b| !(b.rejected() && b.resolved.is_none()));
    if as_json {
        for ack in &acks {
            let line = serde_json::json!({
                "file": ack.source_file,
                "transaction": ack.transaction,
                "date": ack.date,
                "batch": ack.group_control,
                "functional_group": ack.group_kind,
                "version": ack.group_version,
                "result": ack.result,
                "rejected": ack.rejected(),
                "sets_included": ack.counts.0,
                "sets_received": ack.counts.1,
                "sets_accepted": ack.counts.2,
                "findings": ack.findings(),
                "resolved": ack.resolved,
                "sets": ack.sets,
            });
            println!("{}", crate::text::json(line.to_string()));
        }
        return Ok(());
    }
    if acks.is_empty() {
        println!(
            "{}",
            if all {
                "No 999 or 997 acknowledgment imported yet."
            } else {
                "No rejected claim batch (denialdesk batches --all lists every batch)."
            }
        );
    }
    let esc = crate::text::escape;
    for ack in &acks {
        let open = ack.rejected() && ack.resolved.is_none();
        println!(
            "{}{} [{} {}]",
            if open { "!! " } else { "" },
            esc(&ack.summary()),
            ack.date,
            esc(&ack.source_file)
        );
        if let Some(r) = &ack.resolved {
            println!("   {}", esc(r));
        }
        for finding in ack.findings() {
            println!("   {}", esc(&finding));
        }
    }
    Ok(())
}

/// `denialdesk batches --resolve BATCH --reason TEXT`.
pub fn resolve_batch(ctx: &Context, batch: &str, reason: &str) -> Result<()> {
    let store = ctx.store()?;
    let resolved = store.resolve_batch(batch, reason, &ctx.user)?;
    println!(
        "done: claim batch {} marked resolved ({} acknowledgment{})",
        crate::text::escape(batch),
        resolved.len(),
        if resolved.len() == 1 { "" } else { "s" }
    );
    Ok(())
}
