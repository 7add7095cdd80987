//! Importing X12 files, read once: 835 remittances (a small file in one atomic, flushed
//! batch after it was read whole; a large one as one journaled unit, parsed on one thread
//! and stored on another, undone whole if a later segment is malformed), then the file's
//! acknowledgments (999, 277CA, 277). A bad file changes nothing.

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

/// A file of up to this many claims is kept as read and stored in one batch; a larger one
/// is stored set by set as it is read, under an undo journal (sled
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

/// Where the file's bytes come from; opened once per import.
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
    /// A transaction set was read (and found well formed): claims read so far.
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
///
/// The file is read once, on a second thread, while this one stores what was read. Its
/// first sets are kept in memory; a file of at most `KEEP_PARSED_CLAIMS` claims is stored
/// after its last set was read, in one atomic batch. A larger one becomes a journaled
/// import as its claims pass that count: its sets are stored as they are read, and a
/// malformed segment found later refuses the file, undoing what was stored without an
/// audit entry, as nothing of the file stays (the error names file and segment).
pub fn import_observed(
    store: &dyn Store,
    source: &dyn Source,
    rules: &PayerRules,
    user: &str,
    shift_days: i64,
    observe: &mut dyn FnMut(ImportEvent),
) -> Result<FileReport, ImportError> {
    let file = source.name().to_string();
    let mut report = FileReport {
        file: file.clone(),
        ..FileReport::default()
    };
    let store_error = |source| ImportError::Store {
        file: file.clone(),
        source,
    };
    let mut kept: Vec<Remittance> = Vec::new();
    let mut read_claims = 0;
    let mut journaled: Option<u64> = None;
    let mut acks: Vec<Acknowledgment> = Vec::new();
    let read = read_beside(source, shift_days, &mut |parsed| {
        let set = match parsed {
            Parsed::Acknowledgment(ack) => {
                acks.push(ack);
                return Ok(Vec::new());
            }
            Parsed::Remittance(set) => set,
        };
        read_claims += set.claims.len();
        observe(ImportEvent::Read {
            claims: read_claims,
        });
        kept.push(set);
        let import = match journaled {
            Some(import) => import,
            None if read_claims <= KEEP_PARSED_CLAIMS => return Ok(Vec::new()),
            None => *journaled.insert(store.begin_file_import(&file, user).map_err(store_error)?),
        };
        for set in &kept {
            let outcome = store
                .import_remittance_in(import, set, rules, user)
                .map_err(store_error)?;
            observe(ImportEvent::Stored {
                set: SetHeader::of(set),
                outcome: &outcome,
            });
            report.count(outcome);
        }
        Ok(std::mem::take(&mut kept))
    });
    match (read, journaled) {
        (Ok(skipped), Some(import)) => {
            report.skipped = skipped;
            store.commit_file_import(import).map_err(store_error)?;
        }
        (Ok(skipped), None) => {
            report.skipped = skipped;
            let outcomes = store
                .import_remittances(&kept, rules, user)
                .map_err(store_error)?;
            for (set, outcome) in kept.iter().zip(outcomes) {
                observe(ImportEvent::Stored {
                    set: SetHeader::of(set),
                    outcome: &outcome,
                });
                report.count(outcome);
            }
        }
        (Err(e), Some(import)) => {
            // Best effort: if this fails too, the next open rolls the import back (audited
            // as interrupted).
            let _ = match e {
                ImportError::Ingest(_) => store.refuse_file_import(import),
                _ => store.roll_back_file_import(import, user),
            };
            return Err(e);
        }
        (Err(e), None) => return Err(e),
    }
    if !acks.is_empty() {
        let outcomes = crate::import_ack::store_acknowledgments(
            store,
            &report.file,
            &acks,
            rules,
            user,
            KEEP_PARSED_CLAIMS,
        )
        .map_err(store_error)?;
        for (set, outcome) in acks.iter().zip(outcomes) {
            report_acknowledgment(&mut report, set, outcome.duplicate);
            report.rejections_opened += outcome.opened;
            report.items_updated_by_acknowledgments += outcome.updated;
        }
    }
    Ok(report)
}

/// A transaction set as read.
enum Parsed {
    Remittance(Remittance),
    Acknowledgment(Acknowledgment),
}

// One thread parses the next transaction sets while the caller's thread stores the last,
// so the two halves of an import use both cores instead of taking turns. Sets the caller
// is done with go back to the parsing thread to be freed there, where they were allocated:
// freeing a thousand claims' strings is a tenth of an import's time, and it costs the
// storing thread nothing.

/// Sets parsed ahead of the one being stored: enough to keep the storing thread busy,
/// few enough that memory stays bounded by a handful of sets.
const SETS_AHEAD: usize = 2;

/// Parses `source` on a second thread (dates moved by `shift_days`), handing each set to
/// `each` here, in file order; `each` returns the sets it is done with. Stops at the first
/// error, `each`'s or the parser's, and returns it; else what the file held that is not
/// read (see `Reader835::skipped`).
fn read_beside(
    source: &dyn Source,
    shift_days: i64,
    each: &mut dyn FnMut(Parsed) -> Result<Vec<Remittance>, ImportError>,
) -> Result<Vec<String>, ImportError> {
    std::thread::scope(|scope| {
        let (parsed_tx, parsed_rx) = mpsc::sync_channel::<Parsed>(SETS_AHEAD);
        let (done_tx, done_rx) = mpsc::channel::<Vec<Remittance>>();
        let acks_tx = parsed_tx.clone();
        let parser = scope.spawn(move || {
            // The receiving side hung up: it failed, and says why itself.
            let mut ack_failed = false;
            let read = for_each_set(
                source,
                |mut set| {
                    done_rx.try_iter().for_each(drop);
                    set.shift_dates(shift_days);
                    parsed_tx
                        .send(Parsed::Remittance(set))
                        .map_err(|_| ImportError::Stopped)
                },
                |mut ack| {
                    ack.shift_dates(shift_days);
                    ack_failed |= acks_tx.send(Parsed::Acknowledgment(ack)).is_err();
                },
            );
            match read {
                Ok(_) if ack_failed => Err(ImportError::Stopped),
                read => read,
            }
        });
        let mut failed = None;
        for parsed in parsed_rx.iter() {
            match each(parsed) {
                // The parser may have finished; then the sets are freed here.
                Ok(done) => drop(done_tx.send(done)),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        drop(parsed_rx);
        let read = match parser.join() {
            Ok(read) => read,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        match failed {
            Some(e) => Err(e),
            None => read,
        }
    })
}
