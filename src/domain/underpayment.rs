//! Underpayments: a primary payer's paid service line whose allowed amount falls below
//! the contract's, beyond the tolerance, opens an underpayment work item; the payer's
//! later remittances for the claim pay the variance down line by line.
//!
//! What a contract analyst checks, and so this does:
//! - Only the primary payer's adjudication (CLP02 1 or 19) is compared: a secondary pays
//!   by coordination of benefits, not by its own contract with the practice.
//! - The allowed amount is AMT*B6 when the payer sends it, else paid + the patient's share
//!   (PR adjustments) + sequestration (CO-253, which Medicare takes after the allowed
//!   amount, so it is no underpayment).
//! - The contract expects its rate × the units paid (SVC05), never more than the line's
//!   charge (payers allow the lesser of the charge and the fee schedule). A line with
//!   fractional units (anesthesia time, drug units) is not priced: its rate needs more
//!   than a row.
//! - A line the payer denied, in whole or part, or assigned to the patient as non-covered,
//!   is denial work, never an underpayment; so is any claim with a denial.

use super::claim::{Claim, ClaimStatusCode, GroupCode, ServiceLine};
use super::contract::{ContractIndex, PricedLine, Tolerance};
use super::denial::{meaning, DenialFinding, Meaning};
use super::denied_line::{DeniedLine, ItemKind};
use super::line_match::match_lines;
use super::money::format_cents;
use super::payer_rules::PayerRules;
use super::rarc::AppealRights;
use super::reconcile::{
    adjudicated, answers_open_appeal, finish, move_to, pays_open_appeal, reconcile_found,
    Reconciled,
};
use super::status::Status;
use super::taxonomy::{Category, Hardness, Stage};
use super::timeline::EventKind;
pub use super::underpaid_line::describe;
use super::underpaid_line::{allowed, UnderpaidLine, Underpayment};
use super::work_item::{Payment, WorkItem};
use chrono::{DateTime, Utc};

/// Adjustments whose line no contract row can price: 24 capitation (paid by the month,
/// not by the line), 59 and B10 multiple- or concurrent-procedure reductions (a share of
/// the rate by rank that the row does not say).
const NOT_PRICED: [&str; 3] = ["24", "59", "B10"];

/// Modifier 51: multiple procedures, reduced by rank like CARC 59.
const MULTIPLE_PROCEDURES: &str = "51";

/// The lines of a claim paid below their contract, or `None` when none is (or the claim
/// is not a primary adjudication, or no contract is loaded).
pub fn detect(
    claim: &Claim,
    contracts: &ContractIndex,
    tolerance: Tolerance,
) -> Option<Underpayment> {
    // An inpatient claim is paid by its DRG (or per diem), never line by line.
    if claim.status_code != ClaimStatusCode::ProcessedPrimary
        || contracts.is_empty()
        || claim.drg.is_some()
        || claim.inpatient_adjudication
    {
        return None;
    }
    let institutional = claim.is_institutional();
    let mut lines: Vec<(usize, UnderpaidLine)> = claim
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            underpaid_line(claim, line, contracts, tolerance, institutional).map(|u| (i, u))
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    // Line refs (allocated strings) only for the rare claim with an underpaid line.
    let refs = claim.line_refs();
    for (i, l) in &mut lines {
        l.line = refs[*i].clone();
    }
    let lines: Vec<UnderpaidLine> = lines.into_iter().map(|(_, l)| l).collect();
    Some(Underpayment {
        contract_file: contracts.file.clone(),
        tolerance,
        lines,
    })
}

/// One line compared with its contract row; its `line` ref is filled in by `detect`.
fn underpaid_line(
    claim: &Claim,
    line: &ServiceLine,
    contracts: &ContractIndex,
    tolerance: Tolerance,
    institutional: bool,
) -> Option<UnderpaidLine> {
    if line
        .adjustments
        .iter()
        .any(|a| meaning(a, institutional) != Meaning::NoWork)
    {
        return None;
    }
    if line
        .adjustments
        .iter()
        .any(|a| NOT_PRICED.contains(&a.carc.as_str()))
        || line
            .procedure
            .modifiers
            .iter()
            .any(|m| m == MULTIPLE_PROCEDURES)
    {
        return None;
    }
    let patient_share = line.adjustments.iter().any(|a| a.group == GroupCode::PR);
    if line.paid_cents <= 0 && line.allowed_cents.is_none() && !patient_share {
        return None;
    }
    let units = whole_units(line.units)?;
    let row = contracts.price(&PricedLine {
        payer: &claim.remit.payer,
        procedure: &line.procedure.code,
        modifiers: &line.procedure.modifiers,
        date: line.service_date.or_else(|| claim.date_of_service()),
        place_of_service: &claim.facility_code,
        revenue_code: line.revenue_code.as_deref(),
    })?;
    // An outpatient facility claim is paid by revenue code and facility type: only a row
    // naming one of them prices its lines (a physician's fee schedule row never does).
    if institutional && row.revenue_code.is_none() && row.place_of_service.is_none() {
        return None;
    }
    let expected = row
        .allowed_cents
        .checked_mul(i64::from(units))?
        .min(line.charge_cents);
    let (allowed, allowed_source) = allowed(line);
    let variance = expected - allowed;
    tolerance
        .exceeded(variance, expected)
        .then(|| UnderpaidLine {
            line: String::new(),
            procedure: line.procedure.to_string(),
            service_date: line.service_date,
            units,
            charge_cents: line.charge_cents,
            rate_cents: row.allowed_cents,
            expected_cents: expected,
            allowed_cents: allowed,
            allowed_source,
            paid_cents: line.paid_cents,
            variance_cents: variance,
            recovered_cents: 0,
            allowed_now_cents: allowed,
            row: row.clone(),
        })
}

/// Units paid as a whole number (none sent: one); `None` for fractional or absurd units.
fn whole_units(units: Option<f64>) -> Option<u32> {
    match units {
        None => Some(1),
        Some(u) if (1.0..=9999.0).contains(&u) && u.fract() == 0.0 => Some(u as u32),
        Some(_) => None,
    }
}

/// The work an underpayment makes, in the shape every work item kind shares: one line
/// per underpaid service line whose "denied" money is the variance, so the worklist's
/// outstanding dollars, ranking and filters work unchanged.
pub fn finding(claim: &Claim, underpayment: &Underpayment) -> DenialFinding {
    let refs = claim.line_refs();
    let mut lines = Vec::new();
    let mut carcs: Vec<(String, i64)> = Vec::new();
    for u in &underpayment.lines {
        let Some(at) = refs.iter().position(|r| *r == u.line) else {
            continue;
        };
        let line = &claim.lines[at];
        lines.push(DeniedLine::service(&u.line, line, u.variance_cents));
        // The payer's reductions on the line (CO-45 …): what a dispute argues against.
        for a in line
            .adjustments
            .iter()
            .filter(|a| a.group != GroupCode::PR && a.amount_cents > 0)
        {
            match carcs.iter_mut().find(|(c, _)| *c == a.code()) {
                Some((_, cents)) => *cents += a.amount_cents,
                None => carcs.push((a.code(), a.amount_cents)),
            }
        }
    }
    carcs.sort_by_key(|c| std::cmp::Reverse(c.1));
    DenialFinding {
        kind: ItemKind::Underpayment,
        denied_cents: underpayment.variance_cents(),
        carcs: carcs.into_iter().map(|(c, _)| c).collect(),
        category: Category::Contractual,
        hardness: Hardness::Soft,
        stage: Stage::Payer,
        procedures: underpayment
            .lines
            .iter()
            .map(|l| l.procedure.clone())
            .collect(),
        lines,
        appeal_rights: AppealRights::Appealable,
        mixed_appeal_rights: false,
    }
}

/// The timeline entry saying what was found.
pub fn found_event(underpayment: &Underpayment) -> EventKind {
    EventKind::Underpaid {
        contract_file: underpayment.contract_file.clone(),
        rows: underpayment.lines.iter().map(|l| l.row.line).collect(),
        expected_cents: underpayment.expected_cents(),
        allowed_cents: underpayment.allowed_cents(),
        paid_cents: underpayment.paid_cents(),
        variance_cents: underpayment.variance_cents(),
    }
}

/// Opens the underpayment work item for a claim no denial opened one for: the appeal
/// (payment dispute) deadline runs from the remittance, by the payer's rules.
pub fn open(
    key: &str,
    claim: &Claim,
    underpayment: Underpayment,
    rules: &PayerRules,
    now: DateTime<Utc>,
    user: &str,
) -> Reconciled {
    let found = finding(claim, &underpayment);
    match reconcile_found(key, None, claim, Some(found), rules, now, user) {
        Reconciled::Opened(mut item, _) => {
            // The remittance paid the claim: its entry says so, not "denied".
            let events = vec![adjudicated(claim, None), found_event(&underpayment)];
            item.underpayment = Some(underpayment);
            Reconciled::Opened(item, events)
        }
        other => other,
    }
}

/// A later remittance from the payer for a claim it underpaid. A correction (TR3: a
/// reversal, then the claim adjudicated again in full) says what the payer now allows on
/// each underpaid line: the variance left is the contract less that; the money it pays
/// (less what a reversal takes back) is recorded as recovered. A denial of the claim
/// makes the item that denial (same key and owner, the timeline kept).
pub fn reconcile(
    key: &str,
    item: &WorkItem,
    claim: &Claim,
    denial: Option<DenialFinding>,
    rules: &PayerRules,
    now: DateTime<Utc>,
    user: &str,
) -> Reconciled {
    let on = claim.remit.remit_date;
    if let Some(f) = denial.filter(|f| f.kind == ItemKind::Denial) {
        if let Reconciled::Opened(mut denied, more) =
            reconcile_found(key, None, claim, Some(f), rules, now, user)
        {
            // The remittance's own entry (denied, with its codes) says why.
            denied.owner = item.owner.clone();
            denied.created_at = item.created_at;
            return Reconciled::Updated(denied, more);
        }
    }
    let mut item = item.clone();
    let mut events = vec![adjudicated(claim, None)];
    let Some(mut detail) = item.underpayment.take() else {
        return finish(item, events, claim, now, user);
    };
    let reversal = claim.status_code == ClaimStatusCode::Reversal;
    let before = detail.still_owed_cents();
    let tolerance = detail.tolerance;
    let matched = match_lines(&item.denied_lines, claim);
    let mut paid_now = 0;
    for ((denied, at), underpaid) in item
        .denied_lines
        .iter_mut()
        .zip(matched)
        .zip(detail.lines.iter_mut())
    {
        let Some(i) = at else { continue };
        let line = &claim.lines[i];
        underpaid.recovered_cents += line.paid_cents;
        paid_now += line.paid_cents;
        if !reversal {
            underpaid.allowed_now_cents = allowed(line).0;
        }
        denied.still_denied_cents = underpaid.still_owed_cents(tolerance);
    }
    let left = detail.still_owed_cents();
    item.underpayment = Some(detail);
    if paid_now != 0 {
        item.recovered_cents += paid_now;
        item.payments.push(Payment {
            date: on,
            cents: paid_now,
        });
    }
    if left < before {
        pays_open_appeal(&mut item, &mut events, on, paid_now.max(0), left == 0);
        let (to, reason) = if left == 0 {
            (
                Status::Paid,
                "the payer now allows the contract rate".to_string(),
            )
        } else {
            (
                Status::PartiallyPaid,
                format!(
                    "the payer allows more; {} still below contract",
                    format_cents(left)
                ),
            )
        };
        move_to(&mut item, &mut events, to, on, &reason);
    } else if left > before {
        if matches!(item.status, Status::Paid | Status::PartiallyPaid) {
            let why = "the payer lowered its allowed amount again";
            move_to(&mut item, &mut events, Status::InProgress, on, why);
        }
    } else if !reversal {
        // Adjudicated again at the same rate while disputed: the payer kept its payment.
        let why = "the payer adjudicated the claim again at the same rate";
        if !answers_open_appeal(&mut item, &mut events, rules, on, why)
            && matches!(
                item.status,
                Status::Resubmitted | Status::Appealed | Status::AwaitingPayer
            )
        {
            move_to(&mut item, &mut events, Status::Upheld, on, why);
        }
    }
    finish(item, events, claim, now, user)
}

#[cfg(test)]
#[path = "underpayment_tests.rs"]
mod tests;
