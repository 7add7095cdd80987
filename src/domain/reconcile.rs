//! What a newly imported adjudication by the denying payer does to the worklist: open a
//! work item for a new denial, resolve one line by line when that payer pays, reopen on a
//! reversal, record a repeated denial in the item's history. (Other payers' payments and
//! PLB adjustments: `other_money`.)

use super::claim::{Claim, ClaimStatusCode, GroupCode};
use super::denial::{classify_work, decision_maintained, DenialFinding};
use super::line_match::{new_denied_lines, paid_on_denied_lines, still_denied};
use super::money::format_cents;
use super::payer_rules::{appeal_deadline, resubmit_deadline, PayerRules};
use super::rarc::AppealRights;
use super::status::Status;
use super::taxonomy::Category;
use super::timeline::EventKind;
use super::work_item::ItemKind;
use super::work_item::Payment;
use super::work_item::WorkItem;
use chrono::{DateTime, NaiveDate, Utc};

/// What the import of one claim changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Reconciled {
    /// Normal adjudication of a claim with no work item: store the claim, nothing more.
    NoWork,
    /// A new denial: a new work item.
    Opened(WorkItem, Vec<EventKind>),
    /// A later remittance for a claim already in the worklist.
    Updated(WorkItem, Vec<EventKind>),
}

fn adjudicated(claim: &Claim, finding: Option<&DenialFinding>) -> EventKind {
    EventKind::Adjudicated {
        source_file: claim.remit.source_file.clone(),
        trace_number: claim.remit.trace_number.clone(),
        remit_date: claim.remit.remit_date,
        claim_status: claim.status_code.label(),
        billed_cents: claim.billed_cents,
        paid_cents: claim.paid_cents,
        denied_cents: finding.map_or(0, |f| f.denied_cents),
        carcs: finding.map_or_else(Vec::new, |f| f.carcs.clone()),
    }
}

pub(super) fn move_to(
    item: &mut WorkItem,
    events: &mut Vec<EventKind>,
    to: Status,
    on: NaiveDate,
    reason: &str,
) {
    if item.status != to {
        events.push(EventKind::StatusChanged {
            from: item.status,
            to,
            reason: Some(reason.to_string()),
        });
        item.transition(to, on);
    }
}

/// Reconciles one imported claim with its work item (`key`), if it has one.
pub fn reconcile(
    key: &str,
    existing: Option<&WorkItem>,
    claim: &Claim,
    rules: &PayerRules,
    now: DateTime<Utc>,
    user: &str,
) -> Reconciled {
    reconcile_found(key, existing, claim, classify_work(claim), rules, now, user)
}

/// As `reconcile`, with the claim already classified (`classify_work`).
pub fn reconcile_found(
    key: &str,
    existing: Option<&WorkItem>,
    claim: &Claim,
    finding: Option<DenialFinding>,
    rules: &PayerRules,
    now: DateTime<Utc>,
    user: &str,
) -> Reconciled {
    let Some(existing) = existing else {
        return match finding {
            None => Reconciled::NoWork,
            Some(f) => {
                let payer = &claim.remit.payer;
                let filing = &claim.filing_indicator;
                let appeal = || appeal_deadline(rules, payer, filing, claim.remit.remit_date);
                // No appeal rights: a corrected new claim must reach the payer within its
                // filing limit, counted from the date of service (CMS counts an
                // institutional claim from its through date).
                let resubmit = || {
                    let served = claim
                        .service_to
                        .filter(|_| claim.is_institutional())
                        .or(claim.date_of_service())
                        .unwrap_or(claim.remit.remit_date);
                    resubmit_deadline(rules, payer, filing, served)
                };
                let (deadline, second) = match f.appeal_rights {
                    AppealRights::Appealable if f.mixed_appeal_rights => {
                        // Both clocks run: the one that runs out first leads.
                        let (a, r) = (appeal(), resubmit());
                        if r.date < a.date {
                            (r, Some(a))
                        } else {
                            (a, Some(r))
                        }
                    }
                    AppealRights::Appealable => (appeal(), None),
                    AppealRights::ResubmitOnly | AppealRights::NotAppealable => (resubmit(), None),
                };
                let mut item = WorkItem::open(key, claim, &f, deadline, now, user);
                item.second_deadline = second;
                Reconciled::Opened(item, vec![adjudicated(claim, Some(&f))])
            }
        };
    };

    let mut item = existing.clone();
    let mut events = vec![adjudicated(claim, finding.as_ref())];
    let on = claim.remit.remit_date;
    let payer_denial = finding.as_ref().filter(|f| f.kind == ItemKind::Denial);
    if claim.status_code == ClaimStatusCode::Reversal {
        // A reversal takes back an earlier payment; the corrected claim usually follows.
        // One that takes nothing back (the reversal of the original denial, often sent
        // after the correction) changes nothing.
        let taken_back = paid_on_denied_lines(claim, &item.denied_lines).min(0);
        if taken_back != 0 {
            item.recovered_cents += taken_back;
            item.payments.push(Payment {
                date: on,
                cents: taken_back,
            });
            // Until the correction arrives, every line is denied again, unless the
            // correction came first (a reprocessed claim's two CLPs arrive in either
            // order): then the money it paid is still in.
            if matches!(item.status, Status::Paid | Status::PartiallyPaid)
                && item.recovered_cents <= 0
            {
                for line in &mut item.denied_lines {
                    line.still_denied_cents = line.denied_cents;
                }
                move_to(
                    &mut item,
                    &mut events,
                    Status::InProgress,
                    on,
                    "payer reversed its payment",
                );
            }
        }
        return finish(item, events, claim, now, user);
    }
    if claim.paid_cents <= 0
        && payer_denial.is_some_and(|f| f.category == Category::Duplicate)
        && matches!(item.status, Status::Paid | Status::PartiallyPaid)
    {
        // A duplicate of a claim already paid (CO-18, B13) only says a resubmission was
        // refused: the money is in, so it is recorded and nothing is reopened.
        return finish(item, events, claim, now, user);
    }
    // The payer's newest claim number (a reprocessed claim gets a new one): what its
    // later recoupments name.
    if !claim.payer_claim_number.is_empty() {
        item.payer_claim_number = claim.payer_claim_number.clone();
    }
    // Any later adjudication by the denying payer is compared line by line: what it
    // still denies, and denials on lines the item did not have yet.
    let recovered = paid_on_denied_lines(claim, &item.denied_lines);
    let still = still_denied(claim, &item.denied_lines);
    for (line, cents) in item.denied_lines.iter_mut().zip(still) {
        line.still_denied_cents = cents;
    }
    if payer_denial.is_some() {
        for line in new_denied_lines(claim, &item.denied_lines) {
            item.denied_cents += line.denied_cents;
            item.denied_lines.push(line);
        }
    }
    let left: i64 = item.denied_lines.iter().map(|l| l.still_denied_cents).sum();
    // Money on the denied lines resolves them; money only on other lines with the denial
    // still there is a denial again.
    if recovered > 0 {
        // "Paid" means the denied lines were paid (at the allowed amount: compare what is
        // still denied, not dollars). A payment that leaves a denied line unpaid is partial.
        item.recovered_cents += recovered;
        item.payments.push(Payment {
            date: on,
            cents: recovered,
        });
        let reason = if left == 0 {
            "payment received on remittance".to_string()
        } else {
            let lines: Vec<&str> = item
                .denied_lines
                .iter()
                .filter(|l| l.still_denied_cents > 0)
                .map(|l| l.label())
                .collect();
            format!(
                "payment received on remittance; {} still denied on {}",
                format_cents(left),
                lines.join(", ")
            )
        };
        let to = if left == 0 {
            Status::Paid
        } else {
            Status::PartiallyPaid
        };
        add_codes(&mut item, payer_denial);
        move_to(&mut item, &mut events, to, on, &reason);
    } else if let Some(f) = payer_denial {
        add_codes(&mut item, Some(f));
        item.times_denied += 1;
        let to = match item.status {
            Status::Resubmitted | Status::Appealed | Status::AwaitingPayer => Status::Upheld,
            Status::Paid | Status::PartiallyPaid | Status::WrittenOff => Status::InProgress,
            other => other,
        };
        move_to(&mut item, &mut events, to, on, "denied again on remittance");
    } else if decision_maintained(claim)
        && matches!(
            item.status,
            Status::Resubmitted | Status::Appealed | Status::AwaitingPayer
        )
    {
        move_to(
            &mut item,
            &mut events,
            Status::Upheld,
            on,
            "payer maintained its decision on review (CARC 193)",
        );
    } else if let Some(f) = finding
        .as_ref()
        .filter(|f| left == 0 && f.kind == ItemKind::PatientResponsibility)
    {
        // Reprocessed as non-covered care the patient owes (PR-50, PR-204 …): the payer's
        // denial is gone, but the work is not. It moves to the patient-responsibility
        // queue: check the ABN, then bill the patient (or appeal the assignment).
        item.kind = ItemKind::PatientResponsibility;
        item.category = f.category;
        item.denied_lines = f.lines.clone();
        add_codes(&mut item, Some(f));
        let reason = format!(
            "payer moved {} to the patient ({}): check the ABN, then bill the patient",
            format_cents(f.denied_cents),
            f.carcs.join(" ")
        );
        move_to(&mut item, &mut events, Status::InProgress, on, &reason);
    } else if left == 0 && item.status.is_open() {
        // Reprocessed with no payer denial left and nothing paid: the denial is
        // overturned and the balance went to the patient (deductible, coinsurance, or
        // non-covered care the patient owes). Resolved on the payer's side.
        let patient: Vec<String> = claim
            .all_adjustments()
            .filter(|a| a.group == GroupCode::PR && a.amount_cents > 0)
            .map(|a| a.code())
            .collect();
        let reason = if patient.is_empty() {
            "payer reprocessed the claim without a denial; nothing paid".to_string()
        } else {
            format!(
                "payer reprocessed the claim without a denial; the balance is the patient's ({})",
                patient.join(" ")
            )
        };
        move_to(&mut item, &mut events, Status::Paid, on, &reason);
    }
    finish(item, events, claim, now, user)
}

/// Adds a later denial's codes to the item's.
fn add_codes(item: &mut WorkItem, finding: Option<&DenialFinding>) {
    for code in finding.iter().flat_map(|f| f.carcs.iter()) {
        if !item.carcs.contains(code) {
            item.carcs.push(code.clone());
        }
    }
}

fn finish(
    mut item: WorkItem,
    events: Vec<EventKind>,
    claim: &Claim,
    now: DateTime<Utc>,
    user: &str,
) -> Reconciled {
    for r in claim.all_remarks() {
        if !item.remarks.contains(&r) {
            item.remarks.push(r);
        }
    }
    item.updated_at = now;
    item.updated_by = user.to_string();
    Reconciled::Updated(item, events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{adj, claim};

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn denied_claim() -> Claim {
        let mut c = claim("PCN9", 1, 50000, 0);
        c.adjustments = vec![adj("CO", "197", 50000)];
        c
    }

    fn opened() -> WorkItem {
        match reconcile(
            "PCN9#0",
            None,
            &denied_claim(),
            &PayerRules::default(),
            now(),
            "importer",
        ) {
            Reconciled::Opened(item, events) => {
                assert_eq!(events.len(), 1);
                item
            }
            other => panic!("expected a new work item, got {other:?}"),
        }
    }

    #[test]
    fn new_denial_opens_an_item_with_default_deadline() {
        let item = opened();
        assert_eq!(item.status, Status::New);
        assert_eq!(item.denied_cents, 50000);
        assert_eq!(item.appeal_deadline.window_days, 90);
        assert!(item.appeal_deadline.source.is_default());
    }

    #[test]
    fn paid_claim_without_item_makes_no_work() {
        let mut c = claim("PCN1", 1, 10000, 8000);
        c.adjustments = vec![adj("CO", "45", 2000)];
        assert_eq!(
            reconcile("K", None, &c, &PayerRules::default(), now(), "u"),
            Reconciled::NoWork
        );
    }

    #[test]
    fn payment_after_appeal_resolves_as_paid_and_records_recovery() {
        let mut item = opened();
        item.status = Status::Appealed;
        // Paid at the allowed amount, the rest contractual: the denial is overturned.
        let mut paid = claim("PCN9", 1, 50000, 32000);
        paid.adjustments = vec![adj("CO", "45", 18000)];
        let Reconciled::Updated(next, events) =
            reconcile("K", Some(&item), &paid, &PayerRules::default(), now(), "u")
        else {
            panic!("expected update");
        };
        assert_eq!(next.status, Status::Paid);
        assert_eq!(next.recovered_cents, 32000);
        assert_eq!(
            next.payments,
            vec![Payment {
                date: paid.remit.remit_date,
                cents: 32000
            }]
        );
        assert_eq!(next.resolved_on, Some(paid.remit.remit_date));
        assert_eq!(events.len(), 2);
    }

    #[test]
    fn payment_with_denial_codes_left_is_partial() {
        let item = opened();
        let mut paid = claim("PCN9", 1, 50000, 20000);
        paid.adjustments = vec![adj("CO", "45", 10000), adj("CO", "50", 20000)];
        let Reconciled::Updated(next, _) =
            reconcile("K", Some(&item), &paid, &PayerRules::default(), now(), "u")
        else {
            panic!("expected update");
        };
        assert_eq!(next.status, Status::PartiallyPaid);
        assert_eq!(next.recovered_cents, 20000);
        // CO-50 $200 is still denied; the CO-45 is the contract, not a denial.
        assert_eq!(next.outstanding_cents(), 20000);
    }

    #[test]
    fn second_denial_after_appeal_is_upheld_and_added_to_history() {
        let mut item = opened();
        item.status = Status::Appealed;
        let mut again = claim("PCN9", 1, 50000, 0);
        again.adjustments = vec![adj("CO", "50", 50000)];
        let Reconciled::Updated(next, events) =
            reconcile("K", Some(&item), &again, &PayerRules::default(), now(), "u")
        else {
            panic!("expected update");
        };
        assert_eq!(next.status, Status::Upheld);
        assert_eq!(next.times_denied, 2);
        assert!(next.resolved_on.is_some(), "upheld counts as resolved");
        assert_eq!(next.carcs, vec!["CO-197", "CO-50"]);
        assert!(matches!(
            &events[0],
            EventKind::Adjudicated {
                denied_cents: 50000,
                ..
            }
        ));
    }

    #[test]
    fn reversal_then_corrected_payment_nets_the_recovery() {
        let mut item = opened();
        item.status = Status::Paid;
        item.recovered_cents = 50000;
        let reversal = claim("PCN9", 22, -50000, -50000);
        let Reconciled::Updated(after_reversal, _) = reconcile(
            "K",
            Some(&item),
            &reversal,
            &PayerRules::default(),
            now(),
            "u",
        ) else {
            panic!("expected update");
        };
        assert_eq!(after_reversal.status, Status::InProgress);
        assert_eq!(after_reversal.recovered_cents, 0);
        let corrected = claim("PCN9", 1, 50000, 45000);
        let Reconciled::Updated(after, _) = reconcile(
            "K",
            Some(&after_reversal),
            &corrected,
            &PayerRules::default(),
            now(),
            "u",
        ) else {
            panic!("expected update");
        };
        assert_eq!(after.recovered_cents, 45000);
        assert_eq!(after.status, Status::Paid);
        let cents: Vec<i64> = after.payments.iter().map(|p| p.cents).collect();
        assert_eq!(cents, vec![-50000, 45000]);
        assert_eq!(after_reversal.resolved_on, None, "reopened");
    }
}
