//! What a newly imported adjudication by the denying payer does to the worklist: open a
//! work item for a new denial, resolve one line by line when that payer pays, reopen on a
//! reversal, record a repeated denial in the item's history. (Other payers' payments and
//! PLB adjustments: `other_money`.)

use super::action::uphold;
use super::appeal::{AppealDecision, AppealResult};
use super::claim::{Claim, ClaimStatusCode, GroupCode};
use super::denial::{classify_work, decision_maintained, DenialFinding};
use super::line_match::{new_denied_lines, paid_on_denied_lines, still_denied};
use super::money::format_cents;
use super::payer_rules::{appeal_deadline, next_level_deadline, resubmit_deadline, PayerRules};
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

/// The timeline entry for a remittance's adjudication of the claim.
pub(crate) fn adjudicated(claim: &Claim, finding: Option<&DenialFinding>) -> EventKind {
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

/// Moves the item to `to` with a timeline entry saying why (nothing when already there).
pub(crate) fn move_to(
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
        item.payer_claim_number = claim.payer_claim_number.as_str().into();
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
        // Paid while an appeal is open: that payment is the payer's answer to it.
        pays_open_appeal(&mut item, &mut events, on, recovered, left == 0);
        add_codes(&mut item, payer_denial);
        move_to(&mut item, &mut events, to, on, &reason);
    } else if let Some(f) = payer_denial {
        add_codes(&mut item, Some(f));
        item.times_denied += 1;
        let why = "denied again on remittance";
        if !answers_open_appeal(&mut item, &mut events, rules, on, why) {
            let to = match item.status {
                Status::Resubmitted | Status::Appealed | Status::AwaitingPayer => Status::Upheld,
                Status::Paid | Status::PartiallyPaid | Status::WrittenOff => Status::InProgress,
                other => other,
            };
            move_to(&mut item, &mut events, to, on, why);
        }
    } else if decision_maintained(claim)
        && matches!(
            item.status,
            Status::Resubmitted | Status::Appealed | Status::AwaitingPayer
        )
    {
        let why = "payer maintained its decision on review (CARC 193)";
        if !answers_open_appeal(&mut item, &mut events, rules, on, why) {
            move_to(&mut item, &mut events, Status::Upheld, on, why);
        }
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

/// Records a remittance as the payer's answer to the appeal open when it was issued (sent
/// on or before `on`): the decision on the remittance's date, on the timeline. The
/// appeal's level, or `None` when none was open.
fn record_answer(
    item: &mut WorkItem,
    events: &mut Vec<EventKind>,
    on: NaiveDate,
    result: AppealResult,
    amount_cents: i64,
) -> Option<u8> {
    let appeal = item
        .appeals
        .iter_mut()
        .rev()
        .find(|a| a.decision.is_none() && a.submitted <= on)?;
    let decision = AppealDecision {
        result,
        decided: on,
        amount_cents,
    };
    appeal.decision = Some(decision.clone());
    events.push(EventKind::AppealDecided {
        level: appeal.level,
        decision,
    });
    Some(appeal.level)
}

/// A payment on the denied lines while an appeal is open is the payer's answer to it: the
/// appeal is recorded overturned (or partially, when lines stay denied) for what was
/// paid, so appeal win rates count it.
pub(crate) fn pays_open_appeal(
    item: &mut WorkItem,
    events: &mut Vec<EventKind>,
    on: NaiveDate,
    paid_cents: i64,
    in_full: bool,
) {
    let result = if in_full {
        AppealResult::Overturned
    } else {
        AppealResult::PartiallyOverturned
    };
    record_answer(item, events, on, result, paid_cents);
}

/// A remittance that denies again while an appeal is open is the payer's answer to it:
/// the appeal is recorded upheld and the next level opens with its own deadline (or the
/// denial is final at the last level). False when no appeal was open (or it was sent
/// after this remittance), so the caller moves the status itself.
pub(crate) fn answers_open_appeal(
    item: &mut WorkItem,
    events: &mut Vec<EventKind>,
    rules: &PayerRules,
    on: NaiveDate,
    why: &str,
) -> bool {
    let Some(level) = record_answer(item, events, on, AppealResult::Upheld, 0) else {
        return false;
    };
    let payer = item.payer_party();
    let next = next_level_deadline(rules, &payer, &item.filing_indicator, level, on);
    uphold(item, level, on, next, why, events);
    true
}

/// Adds a later denial's codes to the item's.
fn add_codes(item: &mut WorkItem, finding: Option<&DenialFinding>) {
    for code in finding.iter().flat_map(|f| f.carcs.iter()) {
        if !item.carcs.iter().any(|c| c == code) {
            item.carcs.push(code.as_str().into());
        }
    }
}

pub(crate) fn finish(
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
    // The payer answered: the no-response clock restarts if the claim is still with it.
    item.restart_payer_clock(claim.remit.remit_date);
    Reconciled::Updated(item, events)
}

#[cfg(test)]
mod tests;
