//! Reading a file's transaction sets on a second thread while the caller's thread stores
//! them (see `import_observed`).

use crate::domain::acknowledgment::Acknowledgment;
use crate::domain::remittance::Remittance;
use crate::import_source::{ImportError, Source};
use crate::ingest::x12::reader::Transaction;
use crate::ingest::Reader835;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// Reads every transaction set, calling `each` on each remittance and `ack` on each
/// acknowledgment. Stops at the first error, theirs or the reader's. Returns what the file
/// held that is not read (see `Reader835::skipped`).
pub fn for_each_set(
    source: &dyn Source,
    mut each: impl FnMut(Remittance) -> Result<(), ImportError>,
    mut ack: impl FnMut(Acknowledgment) -> Result<(), ImportError>,
) -> Result<Vec<String>, ImportError> {
    let mut reader = Reader835::new(source.open()?, source.name());
    while let Some(set) = reader.next_transaction()? {
        match set {
            Transaction::Remittance(r) => each(r)?,
            Transaction::Acknowledgment(a) => ack(a)?,
        }
    }
    Ok(reader.skipped().to_vec())
}

/// A transaction set as read.
pub(crate) enum Parsed {
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
/// read (see `Reader835::skipped`). Sets read before a parser's error are not handed on:
/// a bad file is given up at once, not stored further.
pub(crate) fn read_beside(
    source: &dyn Source,
    shift_days: i64,
    each: &mut dyn FnMut(Parsed) -> Result<Vec<Remittance>, ImportError>,
) -> Result<Vec<String>, ImportError> {
    let parse_failed = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (parsed_tx, parsed_rx) = mpsc::sync_channel::<Parsed>(SETS_AHEAD);
        let (done_tx, done_rx) = mpsc::channel::<Vec<Remittance>>();
        let acks_tx = parsed_tx.clone();
        let parse_failed = &parse_failed;
        let parser = scope.spawn(move || {
            // A send fails when the receiving side hung up: it failed, and says why itself.
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
                    acks_tx
                        .send(Parsed::Acknowledgment(ack))
                        .map_err(|_| ImportError::Stopped)
                },
            );
            if read.is_err() {
                parse_failed.store(true, Ordering::SeqCst);
            }
            // The channel closes here, ending the loop below.
            drop((parsed_tx, acks_tx));
            read
        });
        let mut failed = None;
        for parsed in parsed_rx.iter() {
            if parse_failed.load(Ordering::SeqCst) {
                break;
            }
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
