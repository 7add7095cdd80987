//! Money on a claim from outside the denying payer's own adjudications: another payer's
//! payment for the same claim (secondary, tertiary, crossover, COB) and the provider-level
//! adjustments (PLB) a payer makes on a claim it names.

use super::claim::{Claim, ClaimStatusCode};
use super::denial::{classify, is_denial_adjustment, CLAIM_LEVEL};
use super::line_match::match_lines;
use super::reconcile::move_to;
use super::remittance::ProviderAdjustment;
use super::status::Status;
use super::taxonomy::Category;
use super::timeline::EventKind;
use super::work_item::ItemKind;
use super::work_item::{Payment, WorkItem};
use chrono::{DateTime, NaiveDate, Utc};

/// "Secondary payer", "Tertiary payer" … from CLP02.
fn payer_role(status: ClaimStatusCode) -> &'static str {
    match status {
        ClaimStatusCode::ProcessedPrimary => "Primary payer",
        ClaimStatusCode::ProcessedSecondary => "Secondary payer",
        ClaimStatusCode::ProcessedTertiary => "Tertiary payer",
        ClaimStatusCode::Reversal => "Other payer (reversal)",
        ClaimStatusCode::Denied | ClaimStatusCode::Other(_) => "Other payer",
    }
}

/// Another payer's remittance for the claim `item` tracks (same CLP01 and patient): its
/// payment is recorded and reduces what is owed on the denied lines it covers, but never
/// resolves the denying payer's denial unless nothing is left owed. `None` when the other
/// payer paid nothing.
pub fn other_payer_paid(
    item: &WorkItem,
    claim: &Claim,
    now: DateTime<Utc>,
    user: &str,
) -> Option<(WorkItem, Vec<EventKind>)> {
    if item.kind == ItemKind::Underpayment {
        // The variance is the primary payer's under its contract: a secondary payer's
        // money (the patient's coinsurance, by coordination of benefits) never pays it.
        return None;
    }
    let cob = item.category == Category::CoordinationOfBenefits;
    let institutional = claim.is_institutional();
    // The right payer adjudicating a claim without a denial settles a coordination-of-
    // benefits denial even when it paid nothing (all to the deductible).
    let clean = claim.status_code != ClaimStatusCode::Reversal && classify(claim).is_none();
    if claim.paid_cents == 0 && !(cob && clean) {
        return None;
    }
    let mut next = item.clone();
    let mut applied = 0;
    if claim.paid_cents < 0 {
        // The other payer took its payment back: what it had covered is owed again.
        let mut take = -claim.paid_cents;
        for line in &mut next.denied_lines {
            let back = take.min(line.other_payer_cents);
            line.other_payer_cents -= back;
            applied -= back;
            take -= back;
        }
    } else {
        // Line payments go to the matching denied line. Money the other payer paid on
        // the claim as a whole (no lines), or on a claim the payer denied as a whole,
        // goes to what is still owed in line order; a payment on a line that was never
        // denied (the patient's coinsurance on a paid line) covers no denial.
        //
        // A coordination-of-benefits denial ("another payer may cover this") is settled
        // when that payer adjudicates the line and pays it without denying it: what it
        // did not pay is its contract and the patient's share, not the first payer's debt.
        // What the other payer paid is recorded as paid (never more); whether a line is
        // settled is separate.
        let adjudicated_clean = |l: &crate::domain::claim::ServiceLine| {
            !l.adjustments
                .iter()
                .any(|a| is_denial_adjustment(a, institutional))
        };
        let mut unplaced = claim.paid_cents;
        let matched = match_lines(&next.denied_lines, claim);
        for (line, at) in next.denied_lines.iter_mut().zip(matched) {
            if let Some(i) = at {
                let paid = &claim.lines[i];
                let add = paid
                    .paid_cents
                    .clamp(0, line.still_denied_cents - line.other_payer_cents);
                line.other_payer_cents += add;
                line.settled_by_other_payer |= cob && clean && adjudicated_clean(paid);
                applied += add;
                unplaced -= paid.paid_cents;
            }
        }
        let as_a_whole =
            claim.lines.is_empty() || next.denied_lines.iter().any(|l| l.line == CLAIM_LEVEL);
        if as_a_whole {
            for line in &mut next.denied_lines {
                let add = unplaced.clamp(0, line.still_denied_cents - line.other_payer_cents);
                line.other_payer_cents += add;
                line.settled_by_other_payer |= cob && clean;
                applied += add;
                unplaced -= add;
            }
        }
    }
    next.other_payer_cents = next.denied_lines.iter().map(|l| l.other_payer_cents).sum();
    let mut events = vec![EventKind::OtherPayerPaid {
        payer: claim.remit.payer.name.clone(),
        role: payer_role(claim.status_code).to_string(),
        remit_date: claim.remit.remit_date,
        paid_cents: claim.paid_cents,
        applied_cents: applied,
        source_file: claim.remit.source_file.clone(),
        settles_cob: cob && next.denied_lines.iter().any(|l| l.settled_by_other_payer),
    }];
    if next.status.is_open() && next.outstanding_cents() == 0 {
        move_to(
            &mut next,
            &mut events,
            Status::Paid,
            claim.remit.remit_date,
            &if cob {
                format!("settled by {}, the payer to bill", claim.remit.payer.name)
            } else {
                format!("denied lines paid in full by {}", claim.remit.payer.name)
            },
        );
    }
    next.updated_at = now;
    next.updated_by = user.to_string();
    Some((next, events))
}

/// A provider-level adjustment (PLB) that names this claim: a recoupment (WO), interest
/// (L6) or forwarding balance (FB) moves money on the claim, so it goes on its timeline
/// and into its recovered money (a PLB amount is what the payer withheld: positive takes
/// money back, negative pays more).
pub fn provider_adjustment(
    item: &WorkItem,
    adjustment: &ProviderAdjustment,
    remit_date: NaiveDate,
    now: DateTime<Utc>,
    user: &str,
) -> (WorkItem, Vec<EventKind>) {
    let mut next = item.clone();
    let mut events = vec![EventKind::ProviderAdjustment {
        reason: adjustment.reason.clone(),
        reference: adjustment.reference.clone(),
        amount_cents: adjustment.amount_cents,
        remit_date,
    }];
    // Interest (L6) is the payer's penalty for paying late, not the denied money won back:
    // on the timeline only, so it does not inflate the recovery rate.
    if adjustment.reason != "L6" {
        let cents = -adjustment.amount_cents;
        next.recovered_cents += cents;
        next.payments.push(Payment {
            date: remit_date,
            cents,
        });
        // A recoupment that takes back all that was recovered reopens a paid denial.
        if cents < 0 && next.recovered_cents <= 0 && next.status == Status::Paid {
            for line in &mut next.denied_lines {
                line.still_denied_cents = line.denied_cents;
            }
            move_to(
                &mut next,
                &mut events,
                Status::InProgress,
                remit_date,
                "payer recouped its payment",
            );
        }
    }
    next.updated_at = now;
    next.updated_by = user.to_string();
    (next, events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{adj, claim, line};

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    /// A primary claim paying 99214 and denying 93000 ($100), and its work item.
    fn primary() -> (Claim, WorkItem) {
        let mut c = claim("P1", 1, 30000, 12000);
        let mut paid = line("99214", 20000, 12000);
        paid.adjustments = vec![adj("CO", "45", 4000), adj("PR", "2", 4000)];
        let mut denied = line("93000", 10000, 0);
        denied.adjustments = vec![adj("CO", "50", 10000)];
        c.lines = vec![paid, denied];
        let f = classify(&c).unwrap();
        let deadline = crate::domain::payer_rules::appeal_deadline(
            &Default::default(),
            &c.remit.payer,
            "CI",
            c.remit.remit_date,
        );
        let item = WorkItem::open("P1#1", &c, &f, deadline, now(), "t");
        (c, item)
    }

    #[test]
    fn a_secondary_line_payment_covers_only_its_denied_line() {
        let (primary, item) = primary();
        let mut secondary = primary.clone();
        secondary.status_code = ClaimStatusCode::ProcessedSecondary;
        secondary.lines[0].paid_cents = 4000; // the patient's coinsurance
        secondary.lines[1].paid_cents = 2500;
        secondary.paid_cents = 6500;
        let (next, events) = other_payer_paid(&item, &secondary, now(), "t").unwrap();
        assert_eq!(next.other_payer_cents, 2500);
        assert_eq!(next.outstanding_cents(), 7500);
        assert_eq!(next.status, Status::New, "still the primary's denial");
        assert!(events[0]
            .summary()
            .starts_with("Secondary payer ACME HEALTH paid $65.00"));
        // Paying the rest resolves it, and a take-back reopens what it covered.
        secondary.lines[1].paid_cents = 7500;
        secondary.paid_cents = 7500;
        let (paid, _) = other_payer_paid(&next, &secondary, now(), "t").unwrap();
        assert_eq!((paid.outstanding_cents(), paid.status), (0, Status::Paid));
        let mut reversal = secondary.clone();
        reversal.status_code = ClaimStatusCode::Reversal;
        reversal.paid_cents = -2500;
        let (back, _) = other_payer_paid(&next, &reversal, now(), "t").unwrap();
        assert_eq!(back.other_payer_cents, 0);
        assert!(other_payer_paid(&item, &claim("P1", 2, 100, 0), now(), "t").is_none());
    }

    #[test]
    fn a_plb_recoupment_takes_recovered_money_back() {
        let (_, item) = primary();
        let wo = ProviderAdjustment {
            provider_id: "1".into(),
            reason: "WO".into(),
            reference: "P1".into(),
            amount_cents: 2500,
        };
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let (next, events) = provider_adjustment(&item, &wo, day, now(), "t");
        assert_eq!(next.recovered_cents, -2500);
        assert!(events[0].summary().contains("took back $25.00"));
    }
}
