//! Provider-level adjustments (PLB) of an imported transaction set put on the claim they
//! name: by CLP01 of that payer, else by the payer's claim number; never guessed.

use super::core::{db_error, payer_index_name, SledStore};
use super::keys;
use super::set_batch::SetBatch;
use super::{SetOutcome, StoreError};
use crate::domain::claim_identity::ClaimIdentity;
use crate::domain::other_money::provider_adjustment;
use crate::domain::remittance::Remittance;

impl SledStore {
    /// PLB adjustments whose reference names a claim of this payer (by CLP01) go on that
    /// claim's timeline and money. Returns a note for the audit entry about those that
    /// name no work item or several (never guessed).
    pub(super) fn stage_provider_adjustments(
        &self,
        b: &mut SetBatch<'_>,
        remittance: &Remittance,
        user: &str,
        detail: &str,
        outcome: &mut SetOutcome,
    ) -> Result<String, StoreError> {
        let now = b.now;
        let mut unmatched = Vec::new();
        for adjustment in &remittance.provider_adjustments {
            let reference = adjustment.reference.trim();
            if reference.is_empty() {
                continue;
            }
            // Loaded whole (rejections too) as identity loads it: a later claim of the
            // batch under this CLP01 is identified against the same list.
            self.load_known(b, reference)?;
            let payer = ClaimIdentity::named(reference, &remittance.payer, "", "", "");
            // Claims this payer adjudicated: not a rejection no remittance has taken in.
            let keys: Vec<String> = b.known[reference]
                .iter()
                .filter(|(key, k)| !b.ack_only.contains(key) && k.same_payer(&payer))
                .map(|(key, _)| key.clone())
                .collect();
            let mut items = Vec::new();
            for key in &keys {
                if let Some(item) = self.pending_item(b, key)? {
                    items.push(item);
                }
            }
            if keys.is_empty() {
                // Not a CLP01 of this payer's: payers often name their own claim number
                // (CLP07), of an item changed in this batch or of one stored.
                let payer = payer_index_name(&remittance.payer.id, &remittance.payer.name);
                let staged = b.pending.values().find(|i| {
                    i.payer_claim_number == reference
                        && payer_index_name(&i.payer_id, &i.payer) == payer
                });
                match staged {
                    Some(item) => items.push(item.clone()),
                    None => {
                        let indexed = self
                            .db
                            .get(keys::payer_claim(payer, reference))
                            .map_err(db_error)?;
                        if let Some(key) = indexed {
                            let key = String::from_utf8_lossy(&key).into_owned();
                            if let Some(item) = self.pending_item(b, &key)? {
                                items.push(item);
                            }
                        }
                    }
                }
            }
            // A CLP01 must name one claim of this payer: a recoupment of another
            // patient's paid claim (no work item) must not land on this one's denial.
            if items.len() != 1 || keys.len() > 1 {
                let named = if keys.len() > 1 {
                    format!("{} claims", keys.len())
                } else {
                    format!("{} work items", items.len())
                };
                unmatched.push(format!(
                    "PLB {}:{} {} names {named}",
                    adjustment.reason,
                    reference,
                    crate::domain::money::format_cents(adjustment.amount_cents),
                ));
                continue;
            }
            let before = items.remove(0);
            let (mut item, events) =
                provider_adjustment(&before, adjustment, remittance.remit_date, now, user);
            outcome.updated += 1;
            self.stage_item_change(
                &mut b.batch,
                Some(&before),
                &mut item,
                events,
                "import",
                format!("provider-level adjustment by {detail}"),
                user,
                now,
            )?;
            b.pending.insert(item.key.to_string(), item);
        }
        Ok(if unmatched.is_empty() {
            String::new()
        } else {
            format!("; not applied to a claim: {}", unmatched.join(", "))
        })
    }
}
