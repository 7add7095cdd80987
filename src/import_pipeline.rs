//! The storing pass of a file too large to keep parsed (see `import`): one thread parses
//! the next transaction sets while the caller's thread stores the last, so the two halves
//! of an import use both cores instead of taking turns. A set goes back to the parsing
//! thread to be freed there, where it was allocated: freeing a thousand claims' strings is
//! a tenth of an import's time, and it costs the storing thread nothing.

use crate::domain::payer_rules::PayerRules;
use crate::domain::remittance::Remittance;
use crate::import::{for_each_set, ImportError, Source};
use crate::store::{SetOutcome, Store};
use std::sync::mpsc;

/// Sets parsed ahead of the one being stored: enough to keep the storing thread busy,
/// few enough that memory stays bounded by a handful of sets.
const SETS_AHEAD: usize = 2;

/// Parses `source` again and stores each remittance under journaled import `import`,
/// calling `stored` after each. Stops at the first error, the store's or the parser's.
#[allow(clippy::too_many_arguments)]
pub(crate) fn store_set_by_set(
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
                    for old in done_rx.try_iter() {
                        drop(old);
                    }
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
