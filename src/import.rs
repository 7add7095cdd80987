//! Importing X12 files: parse the whole file first (so a bad file stores nothing), then
//! store it: 835 remittances (each set one atomic, flushed batch, or the whole file as one
//! journaled unit, parsed on one thread and stored on another), then the file's
//! acknowledgments (999, 277CA, 277) in one batch.

use crate::domain::acknowledgment::Acknowledgment;
use crate::domain::payer_rules::PayerRules;
use crate::domain::remittance::Remittance;
use crate::import_report::report_acknowledgment;
pub use crate::import_report::FileReport;
use crate::ingest::x12::reader::Transaction;
use crate::ingest::{IngestError, Reader835};
use crate::store::{SetOutcome, Store, StoreError};
use std::io::BufRead;
use std::sync::mpsc;

/// A file of up to this many claims is kept from the checking pass and stored in one
/// batch; a larger one is parsed again and stored set by set under an undo journal (sled
/// holds a whole batch in memory, hundreds of MB for tens of thousands of claims: see
/// BENCHMARKS.md, "Figures behind choices in the code"). Either way the
/// file is imported whole or not at all.
const KEEP_PARSED_CLAIMS: usize = 2_000;

/// Why a file did not import.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    /// The file could not be read or parsed (the error names file, segment and element).
    Ingest(#[from] IngestError),
    #[error("{file}: {source}")]
    /// The store refused or failed; nothing of the file was kept.
    Store {
        /// The file.
        file: String,
        /// What the store said.
        source: StoreError,
    },
    #[error("{0}")]
    /// The team server refused the file as it stands (its message names the place).
    BadFile(String),
    #[error("the import stopped")]
    /// Parsing stopped because storing failed (the store's error is the one reported).
    Stopped,
}

/// Where the file's bytes come from; opened once per pass.
pub trait Source: Sync {
    /// The name errors and the audit log use.
    fn name(&self) -> &str;
    /// The bytes from the start.
    fn open(&self) -> Result<Box<dyn BufRead + '_>, IngestError>;
}

/// A file on disk.
pub struct FileSource(pub std::path::PathBuf, pub String);

impl FileSource {
    /// The file at `path`, named as given.
    pub fn new(path: &std::path::Path) -> FileSource {
        FileSource(path.to_path_buf(), path.display().to_string())
    }
}

impl Source for FileSource {
    fn name(&self) -> &str {
        &self.1
    }

    fn open(&self) -> Result<Box<dyn BufRead + '_>, IngestError> {
        let file = std::fs::File::open(&self.0)
            .map_err(|e| IngestError::file(&self.1, format!("cannot open: {e}")))?;
        Ok(Box::new(std::io::BufReader::with_capacity(
            256 * 1024,
            file,
        )))
    }
}

/// Bytes already in memory (embedded demo data, tests).
pub struct BytesSource<'a>(pub String, pub &'a [u8]);

impl Source for BytesSource<'_> {
    fn name(&self) -> &str {
        &self.0
    }

    fn open(&self) -> Result<Box<dyn BufRead + '_>, IngestError> {
        Ok(Box::new(self.1))
    }
}

/// Reads every transaction set, calling `each` on each remittance and `ack` on each
/// acknowledgment. Stops at the first error. Returns what the file held that is not read
/// (see `Reader835::skipped`).
pub fn for_each_set(
    source: &dyn Source,
    mut each: impl FnMut(Remittance) -> Result<(), ImportError>,
    mut ack: impl FnMut(Acknowledgment),
) -> Result<Vec<String>, ImportError> {
    let mut reader = Reader835::new(source.open()?, source.name());
    while let Some(set) = reader.next_transaction()? {
        match set {
            Transaction::Remittance(r) => each(r)?,
            Transaction::Acknowledgment(a) => ack(a),
        }
    }
    Ok(reader.skipped().to_vec())
}

/// What a transaction set is called in progress lines (`--verbose`): its ST02, payer,
/// trace and date. A team server sends it back for each set it stores.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SetHeader {
    /// ST02.
    pub control_number: String,
    /// N1*PR.
    pub payer: crate::domain::claim::Party,
    /// TRN02.
    pub trace_number: String,
    /// BPR16.
    pub remit_date: chrono::NaiveDate,
}

impl SetHeader {
    /// The header of `set`.
    pub fn of(set: &Remittance) -> SetHeader {
        SetHeader {
            control_number: set.control_number.clone(),
            payer: set.payer.clone(),
            trace_number: set.trace_number.clone(),
            remit_date: set.remit_date,
        }
    }
}

/// What an import says as it goes, for a progress bar and `--verbose`.
pub enum ImportEvent<'a> {
    /// The checking pass read a transaction set: claims read so far.
    Read {
        /// Claims read so far in the file.
        claims: usize,
    },
    /// A transaction set was stored, or found imported before.
    Stored {
        /// The set.
        set: SetHeader,
        /// What storing it did.
        outcome: &'a SetOutcome,
    },
}

/// Imports one file atomically per the rules above. `shift_days` moves every date (demo).
pub fn import_source(
    store: &dyn Store,
    source: &dyn Source,
    rules: &PayerRules,
    user: &str,
    shift_days: i64,
) -> Result<FileReport, ImportError> {
    import_observed(store, source, rules, user, shift_days, &mut |_| {})
}

/// `import_source`, telling `observe` how far it is.
pub fn import_observed(
    store: &dyn Store,
    source: &dyn Source,
    rules: &PayerRules,
    user: &str,
    shift_days: i64,
    observe: &mut dyn FnMut(ImportEvent),
) -> Result<FileReport, ImportError> {
    // Pass 1: the whole file must parse before anything is stored.
    let mut kept: Vec<Remittance> = Vec::new();
    let mut kept_claims = 0;
    let mut keep = true;
    let mut acks: Vec<Acknowledgment> = Vec::new();
    let skipped = for_each_set(
        source,
        |set| {
            kept_claims += set.claims.len();
            observe(ImportEvent::Read {
                claims: kept_claims,
            });
            keep = keep && kept_claims <= KEEP_PARSED_CLAIMS;
            if keep {
                kept.push(set);
            } else {
                kept.clear();
            }
            Ok(())
        },
        |ack| acks.push(ack),
    )?;

    let mut report = FileReport {
        file: source.name().to_string(),
        skipped,
        ..FileReport::default()
    };
    let count = |report: &mut FileReport, outcome: SetOutcome| {
        report.sets += 1;
        if outcome.duplicate {
            report.duplicate_sets += 1;
            report.duplicate_claims += outcome.claims;
        } else {
            report.claims += outcome.claims;
            report.denials_opened += outcome.opened;
            report.underpayments_opened += outcome.underpaid;
            report.denials_updated += outcome.updated;
        }
    };
    let store_error = |file: &str| {
        let file = file.to_string();
        move |source| ImportError::Store { file, source }
    };
    // Pass 2: store. A file small enough to keep goes in as one atomic batch; a larger one
    // set by set as one journaled file import. After a crash either is fully imported or
    // not at all.
    if keep {
        for set in &mut kept {
            set.shift_dates(shift_days);
        }
        let outcomes = store
            .import_remittances(&kept, rules, user)
            .map_err(store_error(&report.file))?;
        for (set, outcome) in kept.iter().zip(outcomes) {
            observe(ImportEvent::Stored {
                set: SetHeader::of(set),
                outcome: &outcome,
            });
            count(&mut report, outcome);
        }
    } else {
        let file = report.file.clone();
        let import = store
            .begin_file_import(&file, user)
            .map_err(store_error(&file))?;
        let stored = store_set_by_set(
            store,
            source,
            rules,
            user,
            shift_days,
            import,
            &file,
            &mut |set, outcome| {
                observe(ImportEvent::Stored {
                    set: SetHeader::of(set),
                    outcome: &outcome,
                });
                count(&mut report, outcome);
            },
        );
        match stored {
            Ok(_) => store
                .commit_file_import(import)
                .map_err(store_error(&file))?,
            Err(e) => {
                // Best effort: if this fails too, the next open rolls the import back.
                let _ = store.roll_back_file_import(import, user);
                return Err(e);
            }
        }
    }
    if !acks.is_empty() {
        for set in &mut acks {
            set.shift_dates(shift_days);
        }
        let outcomes = crate::import_ack::store_acknowledgments(
            store,
            &report.file,
            &acks,
            rules,
            user,
            KEEP_PARSED_CLAIMS,
        )
        .map_err(store_error(&report.file))?;
        for (set, outcome) in acks.iter().zip(outcomes) {
            report_acknowledgment(&mut report, set, outcome.duplicate);
            report.rejections_opened += outcome.opened;
            report.items_updated_by_acknowledgments += outcome.updated;
        }
    }
    Ok(report)
}

// The storing pass of a file too large to keep parsed: one thread parses the next
// transaction sets while the caller's thread stores the last, so the two halves of an
// import use both cores instead of taking turns. A set goes back to the parsing thread to
// be freed there, where it was allocated: freeing a thousand claims' strings is a tenth of
// an import's time, and it costs the storing thread nothing.

/// Sets parsed ahead of the one being stored: enough to keep the storing thread busy,
/// few enough that memory stays bounded by a handful of sets.
const SETS_AHEAD: usize = 2;

/// Parses `source` again and stores each remittance under journaled import `import`,
/// calling `stored` after each. Stops at the first error, the store's or the parser's.
#[allow(clippy::too_many_arguments)]
fn store_set_by_set(
    store: &dyn Store,
    source: &dyn Source,
    rules: &PayerRules,
    user: &str,
    shift_days: i64,
    import: u64,
    file: &str,
    stored: &mut dyn FnMut(&Remittance, SetOutcome),
) -> Result<(), ImportError> {
    std::thread::scope(|scope| {
        let (parsed_tx, parsed_rx) = mpsc::sync_channel::<Remittance>(SETS_AHEAD);
        let (done_tx, done_rx) = mpsc::channel::<Remittance>();
        let parser = scope.spawn(move || {
            for_each_set(
                source,
                |mut set| {
                    done_rx.try_iter().for_each(drop);
                    set.shift_dates(shift_days);
                    // The storing side hung up: it failed, and says why itself.
                    parsed_tx.send(set).map_err(|_| ImportError::Stopped)
                },
                |_| {},
            )
        });
        let mut failed = None;
        for set in parsed_rx.iter() {
            match store.import_remittance_in(import, &set, rules, user) {
                Ok(outcome) => stored(&set, outcome),
                Err(source) => {
                    failed = Some(ImportError::Store {
                        file: file.to_string(),
                        source,
                    });
                    break;
                }
            }
            // The parser may have finished; then the set is freed here.
            let _ = done_tx.send(set);
        }
        drop(parsed_rx);
        let parsed = match parser.join() {
            Ok(parsed) => parsed,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        match (failed, parsed) {
            (Some(e), _) => Err(e),
            (None, Err(e)) => Err(e),
            (None, Ok(_)) => Ok(()),
        }
    })
}
