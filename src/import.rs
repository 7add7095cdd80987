//! Importing X12 files: parse the whole file first (so a bad file stores nothing), then
//! store it: 835 remittances (each set one atomic, flushed batch, or the whole file as one
//! journaled unit), then the file's acknowledgments (999, 277CA, 277) in one batch.

use crate::domain::acknowledgment::{Acknowledgment, ClaimAckKind};
use crate::domain::payer_rules::PayerRules;
use crate::domain::rejection::decisive;
use crate::domain::remittance::Remittance;
use crate::ingest::x12::reader::Transaction;
use crate::ingest::{IngestError, Reader835};
use crate::store::{SetOutcome, Store, StoreError};
use std::io::BufRead;

/// A file of up to this many claims is kept from the checking pass and stored in one
/// batch; a larger one is parsed again and stored set by set under an undo journal (sled
/// holds a whole batch in memory, hundreds of MB for tens of thousands of claims: see
/// BENCHMARKS.md, "Figures behind choices in the code"). Either way the
/// file is imported whole or not at all.
const KEEP_PARSED_CLAIMS: usize = 2_000;

/// Rejected claims an import summary names, beyond which it gives the count.
const SHOWN_REJECTIONS: usize = 12;

/// What importing one file did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    /// The file's name as given.
    pub file: String,
    /// Transaction sets (ST*835) in it.
    pub sets: usize,
    /// Claims (CLP loops) in it.
    pub claims: usize,
    /// Work items it opened.
    pub denials_opened: usize,
    /// Work items it changed.
    pub denials_updated: usize,
    /// Underpayment work items it opened (lines paid below the contracts).
    pub underpayments_opened: usize,
    /// Transaction sets already imported before (by content), skipped.
    pub duplicate_sets: usize,
    /// Claims in those skipped sets.
    pub duplicate_claims: usize,
    /// What the file held that is not read (TA1, 837, 270 …), skipped, one line each.
    pub skipped: Vec<String>,
    /// One line per acknowledgment set read (999, 277CA, 277), and under a rejected
    /// claim batch each of its findings.
    pub acknowledgments: Vec<String>,
    /// Claim batches a 999 or 997 rejected (whole or in part): never reached a payer.
    pub batches_rejected: usize,
    /// Claims a 277CA or 277 reported on.
    pub claims_acknowledged: usize,
    /// Of those, rejected before adjudication.
    pub claims_rejected: usize,
    /// Work items the acknowledgments opened (rejections).
    pub rejections_opened: usize,
    /// Work items the acknowledgments changed.
    pub items_updated_by_acknowledgments: usize,
}

impl FileReport {
    /// One line for the terminal.
    pub fn summary(&self) -> String {
        if self.sets > 0 && self.duplicate_sets == self.sets {
            return format!(
                "{}: already imported ({} claims in {} transaction sets): nothing changed",
                self.file, self.duplicate_claims, self.sets
            );
        }
        let mut s = if self.sets == 0 && self.claims_acknowledged == 0 {
            format!(
                "{}: {} acknowledgment(s) read",
                self.file,
                self.acknowledgments
                    .iter()
                    .filter(|l| !l.starts_with(' '))
                    .count()
            )
        } else if self.sets == 0 {
            format!(
                "{}: {} claims acknowledged, {} rejected, {} new rejections, {} work items updated",
                self.file,
                self.claims_acknowledged,
                self.claims_rejected,
                self.rejections_opened,
                self.items_updated_by_acknowledgments
            )
        } else {
            format!(
                "{}: {} claims read, {} new denials, {} work items updated",
                self.file, self.claims, self.denials_opened, self.denials_updated
            )
        };
        if self.underpayments_opened > 0 {
            s.push_str(&format!(
                ", {} new underpayments (paid below contract)",
                self.underpayments_opened
            ));
        }
        if self.duplicate_sets > 0 {
            s.push_str(&format!(
                ", {} duplicate claims skipped ({} transaction sets imported before)",
                self.duplicate_claims, self.duplicate_sets
            ));
        }
        for line in &self.acknowledgments {
            s.push_str(&format!("\n  {line}"));
        }
        if self.batches_rejected > 0 {
            s.push_str(&format!(
                "\n  !! {} CLAIM BATCH{} REJECTED: the claims in {} never reached a payer; fix and send again (denialdesk batches)",
                self.batches_rejected,
                if self.batches_rejected == 1 { "" } else { "ES" },
                if self.batches_rejected == 1 { "it" } else { "them" }
            ));
        }
        for skipped in &self.skipped {
            s.push_str(&format!("\n  not read: {skipped}"));
        }
        // File names and codes come from outside: escaped line by line, the breaks kept.
        s.split('\n')
            .map(crate::text::escape)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

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
}

/// Where the file's bytes come from; opened once per pass.
pub trait Source {
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

/// The report's line for one acknowledgment set, and its counts.
fn report_acknowledgment(report: &mut FileReport, set: &Acknowledgment, duplicate: bool) {
    let again = if duplicate {
        " (imported before: nothing changed)"
    } else {
        ""
    };
    match set {
        Acknowledgment::Batch(batch) => {
            let rejected = batch.rejected();
            report.acknowledgments.push(format!(
                "{}{}{again}",
                if rejected { "!! " } else { "" },
                batch.summary()
            ));
            if rejected {
                report.batches_rejected += 1;
                for finding in batch.findings() {
                    report.acknowledgments.push(format!("   {finding}"));
                }
            }
        }
        Acknowledgment::Claims(claims) => {
            // The store's own rule (`decisive`): a clearinghouse's acceptance is no
            // acceptance, and a 277 accepts or rejects nothing.
            let decided: Vec<Option<bool>> =
                claims.claims.iter().map(|c| decisive(claims, c)).collect();
            let accepted = decided.iter().filter(|d| **d == Some(true)).count();
            let rejected = decided.iter().filter(|d| **d == Some(false)).count();
            report.claims_acknowledged += claims.claims.len();
            report.claims_rejected += rejected;
            let what = match claims.kind {
                ClaimAckKind::Acknowledgment => format!("{accepted} accepted, {rejected} rejected"),
                ClaimAckKind::StatusResponse => "statuses on the claims' timelines".to_string(),
            };
            report.acknowledgments.push(format!(
                "{} {} of {}: {} claims, {what}{again}",
                claims.kind.name(),
                claims.control_number,
                claims.date,
                claims.claims.len()
            ));
            // Which claims were turned back, so the specialist knows where to start.
            if claims.kind == ClaimAckKind::Acknowledgment && !duplicate {
                let named: Vec<String> = claims
                    .claims
                    .iter()
                    .zip(&decided)
                    .filter(|(_, d)| **d == Some(false))
                    .map(|(c, _)| c)
                    .map(|c| format!("{} ({})", c.claim_id, c.status_keys().join(" ")))
                    .collect();
                for chunk in named
                    .iter()
                    .take(SHOWN_REJECTIONS)
                    .collect::<Vec<_>>()
                    .chunks(4)
                {
                    let line: Vec<&str> = chunk.iter().map(|s| s.as_str()).collect();
                    report
                        .acknowledgments
                        .push(format!("   rejected: {}", line.join(", ")));
                }
                if named.len() > SHOWN_REJECTIONS {
                    report.acknowledgments.push(format!(
                        "   and {} more: denialdesk list --kind rejection",
                        named.len() - SHOWN_REJECTIONS
                    ));
                }
            }
            // A whole batch or a provider's claims rejected at once: loud, like a 999.
            for group in &claims.group_rejections {
                report.batches_rejected += 1;
                report
                    .acknowledgments
                    .push(format!("!! {}", group.summary()));
            }
        }
    }
}

/// Imports one file atomically per the rules above. `shift_days` moves every date (demo).
pub fn import_source(
    store: &dyn Store,
    source: &dyn Source,
    rules: &PayerRules,
    user: &str,
    shift_days: i64,
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
        for outcome in outcomes {
            count(&mut report, outcome);
        }
    } else {
        let file = report.file.clone();
        let import = store
            .begin_file_import(&file, user)
            .map_err(store_error(&file))?;
        let stored = for_each_set(
            source,
            |mut set| {
                set.shift_dates(shift_days);
                let outcome = store
                    .import_remittance_in(import, &set, rules, user)
                    .map_err(store_error(&file))?;
                count(&mut report, outcome);
                Ok(())
            },
            |_| {},
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
