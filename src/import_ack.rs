//! Storing a file's acknowledgments (999, 277CA, 277) whole or not at all: one batch when
//! small, one journaled file import in parts when large.

use crate::domain::acknowledgment::Acknowledgment;
use crate::domain::payer_rules::PayerRules;
use crate::store::{SetOutcome, Store, StoreError};

/// Stores a file's acknowledgments: in one batch when they are small, else as one
/// journaled file import, large 277CA sets cut into parts of `keep` claims
/// (memory stays bounded, and each request to a team server stays small). Either way
/// the file is stored whole or not at all. One outcome per set.
pub fn store_acknowledgments(
    store: &dyn Store,
    file: &str,
    acks: &[Acknowledgment],
    rules: &PayerRules,
    user: &str,
    keep: usize,
) -> Result<Vec<SetOutcome>, StoreError> {
    let claims: usize = acks
        .iter()
        .map(|a| match a {
            Acknowledgment::Claims(c) => c.claims.len(),
            Acknowledgment::Batch(_) => 0,
        })
        .sum();
    if claims <= keep {
        return store.import_acknowledgments(acks, rules, user);
    }
    let import = store.begin_file_import(file, user)?;
    let stored = (|| {
        let mut outcomes = Vec::with_capacity(acks.len());
        for set in acks {
            let parts = match set {
                Acknowledgment::Claims(c) => c
                    .clone()
                    .into_parts(keep)
                    .into_iter()
                    .map(Acknowledgment::Claims)
                    .collect(),
                Acknowledgment::Batch(_) => vec![set.clone()],
            };
            let mut whole = SetOutcome::default();
            for (n, part) in parts.iter().enumerate() {
                let outcome = store.import_acknowledgments_in(
                    import,
                    std::slice::from_ref(part),
                    rules,
                    user,
                )?[0];
                if n == 0 && outcome.duplicate {
                    // Imported before: its other parts are too.
                    whole = outcome;
                    break;
                }
                whole.claims += outcome.claims;
                whole.opened += outcome.opened;
                whole.updated += outcome.updated;
            }
            outcomes.push(whole);
        }
        Ok(outcomes)
    })();
    match stored {
        Ok(outcomes) => {
            store.commit_file_import(import)?;
            Ok(outcomes)
        }
        Err(e) => {
            // Best effort: if this fails too, the next open rolls the import back.
            let _ = store.roll_back_file_import(import, user);
            Err(e)
        }
    }
}
