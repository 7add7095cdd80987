//! Importing X12 files: 835 remittances (a small file in one atomic, flushed batch after
//! it was read whole; a large one as one journaled unit, stored as it is read, parsed on
//! one thread and stored on another, undone whole if a later segment is malformed; one
//! that looks cut short is read whole first), then the file's acknowledgments (999,
//! 277CA, 277). A bad file changes nothing.

use crate::domain::acknowledgment::Acknowledgment;
use crate::domain::payer_rules::PayerRules;
use crate::domain::remittance::Remittance;
pub use crate::import_read::for_each_set;
use crate::import_read::{read_beside, Parsed};
use crate::import_report::report_acknowledgment;
pub use crate::import_report::FileReport;
pub use crate::import_source::{BytesSource, FileSource, ImportError, Source};
use crate::store::{SetOutcome, Store, StoreError};

/// A file of up to this many claims is kept as read and stored in one batch; a larger one
/// is stored set by set as it is read, under an undo journal (sled
/// holds a whole batch in memory, hundreds of MB for tens of thousands of claims: see
/// BENCHMARKS.md, "Figures behind choices in the code"). Either way the
/// file is imported whole or not at all.
const KEEP_PARSED_CLAIMS: usize = 2_000;

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
    /// A large file that looked cut short read well whole: it is read again to be stored.
    ReadingAgain,
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
/// The file is read on a second thread while this one stores what was read. Its
/// first sets are kept in memory; a file of at most `KEEP_PARSED_CLAIMS` claims is stored
/// after its last set was read, in one atomic batch. A larger one becomes a journaled
/// import as its claims pass that count: its sets are stored as they are read, and a
/// malformed segment found later refuses the file, undoing what was stored without an
/// audit entry, as nothing of the file stays (the error names file and segment). A large
/// file that looks cut short (`Source::looks_cut_short`) is read whole first, storing
/// nothing, and read again to be stored only if it turns out well formed.
pub fn import_observed(
    store: &dyn Store,
    source: &dyn Source,
    rules: &PayerRules,
    user: &str,
    shift_days: i64,
    observe: &mut dyn FnMut(ImportEvent),
) -> Result<FileReport, ImportError> {
    let file = source.name().to_string();
    let mut storing = Storing {
        store,
        rules,
        user,
        report: FileReport {
            file: file.clone(),
            ..FileReport::default()
        },
        import: None,
    };
    let mut kept: Vec<Remittance> = Vec::new();
    let mut read_claims = 0;
    let mut checking = false;
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
        if storing.import.is_none() {
            if read_claims <= KEEP_PARSED_CLAIMS {
                return Ok(Vec::new());
            }
            if checking || source.looks_cut_short() {
                checking = true;
                return Ok(std::mem::take(&mut kept));
            }
            storing.begin()?;
        }
        storing.store(&kept, observe)?;
        Ok(std::mem::take(&mut kept))
    });
    storing.report.skipped = read.map_err(|e| storing.abandon(e))?;
    if checking {
        // It did not look whole, yet it read well: stored now, read a second time.
        observe(ImportEvent::ReadingAgain);
        storing.begin()?;
        let again = read_beside(source, shift_days, &mut |parsed| match parsed {
            // Kept from the first reading.
            Parsed::Acknowledgment(_) => Ok(Vec::new()),
            Parsed::Remittance(set) => {
                storing.store(std::slice::from_ref(&set), observe)?;
                Ok(vec![set])
            }
        });
        again.map_err(|e| storing.abandon(e))?;
    }
    match storing.import.take() {
        Some(import) => store
            .commit_file_import(import)
            .map_err(|e| storing.error(e))?,
        None => {
            let outcomes = store
                .import_remittances(&kept, rules, user)
                .map_err(|e| storing.error(e))?;
            for (set, outcome) in kept.iter().zip(outcomes) {
                storing.stored(set, outcome, observe);
            }
        }
    }
    if !acks.is_empty() {
        let outcomes = crate::import_ack::store_acknowledgments(
            store,
            &file,
            &acks,
            rules,
            user,
            KEEP_PARSED_CLAIMS,
        )
        .map_err(|e| storing.error(e))?;
        let report = &mut storing.report;
        for (set, outcome) in acks.iter().zip(outcomes) {
            report_acknowledgment(report, set, outcome.duplicate);
            report.rejections_opened += outcome.opened;
            report.items_updated_by_acknowledgments += outcome.updated;
        }
    }
    Ok(std::mem::take(&mut storing.report))
}

/// The storing side of an import: what it stored so far, and its journaled import once
/// the file is too large for one batch.
struct Storing<'a> {
    store: &'a dyn Store,
    rules: &'a PayerRules,
    user: &'a str,
    report: FileReport,
    /// The journaled import, until it is committed or undone.
    import: Option<u64>,
}

impl Storing<'_> {
    /// A store error, naming the file.
    fn error(&self, source: StoreError) -> ImportError {
        ImportError::Store {
            file: self.report.file.clone(),
            source,
        }
    }

    /// Begins the journaled import.
    fn begin(&mut self) -> Result<(), ImportError> {
        let import = self.store.begin_file_import(&self.report.file, self.user);
        self.import = Some(import.map_err(|e| self.error(e))?);
        Ok(())
    }

    /// Stores `sets` under the journaled import.
    fn store(
        &mut self,
        sets: &[Remittance],
        observe: &mut dyn FnMut(ImportEvent),
    ) -> Result<(), ImportError> {
        let import = self.import.expect("begun before storing");
        for set in sets {
            let outcome = self
                .store
                .import_remittance_in(import, set, self.rules, self.user);
            self.stored(set, outcome.map_err(|e| self.error(e))?, observe);
        }
        Ok(())
    }

    /// Counts a stored set and tells `observe`.
    fn stored(
        &mut self,
        set: &Remittance,
        outcome: SetOutcome,
        observe: &mut dyn FnMut(ImportEvent),
    ) {
        observe(ImportEvent::Stored {
            set: SetHeader::of(set),
            outcome: &outcome,
        });
        self.report.count(outcome);
    }

    /// Undoes the journaled import, if one was begun, because of `e`: a malformed file is
    /// refused (nothing audited), anything else rolled back (audited). Best effort: if this
    /// fails too, the next open rolls the import back. Returns `e`.
    fn abandon(&mut self, e: ImportError) -> ImportError {
        if let Some(import) = self.import.take() {
            let _ = match e {
                ImportError::Ingest(_) => self.store.refuse_file_import(import),
                _ => self.store.roll_back_file_import(import, self.user),
            };
        }
        e
    }
}

impl Drop for Storing<'_> {
    /// A journaled import still open here was cut short by a panic: rolled back at once
    /// (audited), rather than holding other writers off until its lease runs out.
    fn drop(&mut self) {
        if let Some(import) = self.import.take() {
            let _ = self.store.roll_back_file_import(import, self.user);
        }
    }
}
