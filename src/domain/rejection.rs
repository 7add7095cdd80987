//! What a claim acknowledgment (277CA) or status response (277) does to the worklist.
//! A rejected claim never reached adjudication: it opens a **rejection** work item
//! (never a denial: correct the claim and submit it again before the filing limit). An
//! accepted 277CA, or any remittance for the claim, closes it. Every other status lands
//! on the claim's timeline, and a payer asking for information brings it back to work.

use super::acknowledgment::{ClaimAck, ClaimAckKind, ClaimAckSet};
use super::claim::Claim;
use super::claim_status::{ClaimStatus, Disposition};
use super::denial::DenialFinding;
use super::payer_rules::{resubmit_deadline, PayerRules};
use super::rarc::AppealRights;
use super::reconcile::{adjudicated, move_to, reconcile_found, Reconciled};
use super::status::Status;
use super::taxonomy::{Category, Hardness, Stage};
use super::timeline::EventKind;
use super::work_item::{ItemKind, WorkItem};
use chrono::{DateTime, NaiveDate, Utc};

/// The workflow stage a rejection's problem points back to.
fn stage_of(category: Category) -> Stage {
    match category {
        Category::Eligibility | Category::CoordinationOfBenefits => Stage::Registration,
        Category::Authorization => Stage::Authorization,
        Category::Coding | Category::Bundling => Stage::Coding,
        Category::Credentialing => Stage::Credentialing,
        _ => Stage::Billing,
    }
}

/// The timeline entry for one claim's status.
fn reported(set: &ClaimAckSet, ack: &ClaimAck) -> EventKind {
    EventKind::ClaimStatusReported {
        transaction: set.kind.name().to_string(),
        source_file: set.source_file.clone(),
        date: ack.status_date,
        statuses: ack.status_keys(),
        paid_cents: ack.paid_cents,
        message: ack.message.clone(),
    }
}

/// The problem the first rejecting status names (the category of the work).
fn problem(ack: &ClaimAck) -> Category {
    ack.statuses
        .iter()
        .chain(ack.line_statuses.iter().map(|(_, s)| s))
        .find(|s| s.disposition() == Some(Disposition::Rejected))
        .map_or(Category::MissingInformation, ClaimStatus::problem)
}

/// A new rejection work item for a claim the payer (or clearinghouse) turned back.
pub fn open_rejection(
    key: &str,
    ack: &ClaimAck,
    rules: &PayerRules,
    now: DateTime<Utc>,
    user: &str,
) -> WorkItem {
    let category = problem(ack);
    // A 277CA does not say the claim's filing indicator: the payer's rules (its
    // `timely_filing_days` or `program`) decide, else the documented default.
    let served = ack.date_of_service.unwrap_or(ack.status_date);
    let deadline = resubmit_deadline(rules, &ack.payer, "", served);
    let codes = ack.status_keys();
    WorkItem {
        key: key.into(),
        claim_id: ack.claim_id.as_str().into(),
        kind: ItemKind::Rejection,
        appeal_rights: AppealRights::ResubmitOnly,
        denied_lines: Vec::new(),
        other_payer_cents: 0,
        version: 0,
        status: Status::New,
        owner: None,
        follow_up: None,
        appeal_deadline: deadline,
        // What is at stake is the whole claim: the payer never looked at it.
        denied_cents: ack.billed_cents,
        recovered_cents: 0,
        carcs: codes.into_iter().map(Into::into).collect(),
        remarks: Vec::new(),
        category,
        hardness: Hardness::Soft,
        stage: stage_of(category),
        denied_on: ack.status_date,
        payer: ack.payer.name.as_str().into(),
        payer_id: ack.payer.id.clone(),
        filing_indicator: String::new(),
        payer_claim_number: ack.payer_claim_number.as_str().into(),
        patient_name: ack.patient_name.as_str().into(),
        member_id: ack.member_id.as_str().into(),
        date_of_service: ack.date_of_service,
        billed_cents: ack.billed_cents,
        rendering_provider: None,
        facility: ack.provider.clone(),
        write_off_reason: None,
        appeals: Vec::new(),
        payments: Vec::new(),
        resolved_on: None,
        procedures: Vec::new(),
        times_denied: 1,
        created_at: now,
        updated_at: now,
        updated_by: user.to_string(),
        second_deadline: None,
        awaiting_payer_since: None,
        underpayment: None,
        priority_boost: 0,
        packets: Vec::new(),
    }
}

/// What one claim's status does to its work item (`existing`, at `key`), if it has one.
pub fn acknowledge(
    key: &str,
    existing: Option<&WorkItem>,
    set: &ClaimAckSet,
    ack: &ClaimAck,
    rules: &PayerRules,
    now: DateTime<Utc>,
    user: &str,
) -> Reconciled {
    let disposition = meaning(set, ack);
    let on = ack.status_date;
    let Some(existing) = existing else {
        // Only a 277CA opens a rejection: a 277 answers a status request about a claim
        // the worklist should already hold.
        return if disposition == Some(Disposition::Rejected)
            && set.kind == ClaimAckKind::Acknowledgment
        {
            let item = open_rejection(key, ack, rules, now, user);
            Reconciled::Opened(item, vec![reported(set, ack)])
        } else {
            Reconciled::NoWork
        };
    };
    let mut item = existing.clone();
    let mut events = vec![reported(set, ack)];
    let rejection = item.kind == ItemKind::Rejection;
    match disposition {
        Some(Disposition::Rejected) if rejection => {
            let codes = ack.status_keys();
            if !item.status.is_open() || item.status == Status::Resubmitted {
                // Rejected again after it was accepted or sent again: new work.
                item.times_denied += 1;
                let to = if item.owner.is_some() {
                    Status::InProgress
                } else {
                    Status::New
                };
                let why = format!("rejected again by {}: {}", set.kind.name(), codes.join(" "));
                // An import may move it back to new, which people cannot.
                move_to(&mut item, &mut events, to, on, &why);
                item.denied_on = on;
                // New work today: a follow-up set for the resubmission must not park it.
                if item.follow_up.is_some() {
                    due_now(&mut item, &mut events, on);
                }
            }
            item.carcs = codes.into_iter().map(Into::into).collect();
            item.category = problem(ack);
            item.stage = stage_of(item.category);
        }
        Some(Disposition::Rejected) if item.status == Status::Resubmitted => {
            // A denial's corrected claim was turned back: the resubmission never reached
            // the payer, and its filing clock still runs.
            let why = format!(
                "the resubmitted claim was rejected ({}): correct it and send it again",
                ack.status_keys().join(" ")
            );
            move_to(&mut item, &mut events, Status::InProgress, on, &why);
        }
        Some(Disposition::Accepted) if rejection && item.status.is_open() => {
            let why = format!("accepted into adjudication by {} of {on}", set.kind.name());
            move_to(&mut item, &mut events, Status::Accepted, on, &why);
            item.await_remittance(on);
        }
        // A 277 saying the payer is working on it or has finished it: the payer has the
        // claim, so it was not (or no longer) rejected.
        Some(Disposition::Pending | Disposition::Finalized)
            if rejection && item.status.is_open() && set.kind == ClaimAckKind::StatusResponse =>
        {
            let why = format!(
                "the payer has the claim: {} {} of {on}",
                set.kind.name(),
                ack.status_keys().join(" ")
            );
            move_to(&mut item, &mut events, Status::Accepted, on, &why);
            item.await_remittance(on);
        }
        // The payer waits on the provider, or a denial's claim was rejected while nobody
        // had sent it again: the claim is due for work now.
        Some(Disposition::InformationRequested | Disposition::Rejected)
            if item.status.is_open() =>
        {
            due_now(&mut item, &mut events, on);
        }
        _ => {}
    }
    // A status from the payer (or the clearinghouse) is an answer: the no-response clock
    // restarts while the claim is with the payer (an accepted rejection now waits for its
    // remittance).
    item.restart_payer_clock(on);
    Reconciled::Updated(item, events)
}

/// Makes the item due for work on `on`: a follow-up later than that (or none) moves
/// to it, with its timeline entry; an earlier one stays.
fn due_now(item: &mut WorkItem, events: &mut Vec<EventKind>, on: NaiveDate) {
    if item.follow_up.is_none_or(|d| d > on) {
        events.push(EventKind::FollowUpSet {
            from: item.follow_up,
            to: Some(on),
        });
        item.follow_up = Some(on);
    }
}

/// What a claim's statuses mean for the work, by who sent them. A clearinghouse's
/// acceptance only says the claim passed its edits (the payer may still reject it); a
/// 277's error categories (E0–E4) are about the status request, not the claim, and its
/// rejection categories say the payer has no usable claim: work to do, never a new item.
fn meaning(set: &ClaimAckSet, ack: &ClaimAck) -> Option<Disposition> {
    let d = ack.disposition();
    match (set.kind, d) {
        (ClaimAckKind::Acknowledgment, Some(Disposition::Accepted)) if ack.from_clearinghouse => {
            Some(Disposition::Received)
        }
        (ClaimAckKind::StatusResponse, _)
            if ack.statuses.iter().any(|s| s.category.starts_with('E')) =>
        {
            Some(Disposition::NoAnswer)
        }
        (ClaimAckKind::StatusResponse, Some(Disposition::Rejected)) => {
            Some(Disposition::InformationRequested)
        }
        _ => d,
    }
}

/// Whether a claim's acknowledgment decides its first submission for the clean-claim
/// proxy: the payer's acceptance or rejection, or a clearinghouse's rejection (a
/// clearinghouse's acceptance is only a step on the way).
pub fn decisive(set: &ClaimAckSet, ack: &ClaimAck) -> Option<bool> {
    if set.kind != ClaimAckKind::Acknowledgment {
        return None;
    }
    match meaning(set, ack) {
        Some(Disposition::Accepted) => Some(true),
        Some(Disposition::Rejected) => Some(false),
        _ => None,
    }
}

/// A remittance for a claim that was rejected: the payer took it in after all, so the
/// rejection closes (`accepted`). When the remittance denies the claim, the work item
/// becomes that denial (same key, same owner; the timeline keeps the rejection).
pub fn adjudicated_after_rejection(
    key: &str,
    rejection: &WorkItem,
    claim: &Claim,
    finding: Option<DenialFinding>,
    rules: &PayerRules,
    now: DateTime<Utc>,
    user: &str,
) -> Reconciled {
    let on = claim.remit.remit_date;
    let mut closed = rejection.clone();
    let mut events = Vec::new();
    let why = format!("the payer adjudicated the claim: remittance of {on}");
    move_to(&mut closed, &mut events, Status::Accepted, on, &why);
    match reconcile_found(key, None, claim, finding.clone(), rules, now, user) {
        Reconciled::Opened(mut denial, more) => {
            denial.owner = rejection.owner.clone();
            denial.created_at = rejection.created_at;
            events.extend(more);
            Reconciled::Updated(denial, events)
        }
        _ => {
            events.push(adjudicated(claim, finding.as_ref()));
            // Adjudicated: nothing more is awaited from the payer.
            closed.awaiting_payer_since = None;
            Reconciled::Updated(closed, events)
        }
    }
}

#[cfg(test)]
#[path = "rejection_tests.rs"]
mod tests;
