use super::*;
use crate::domain::appeal::{Appeal, AppealResult, Channel};
use crate::domain::contract::{ContractRow, ContractSet};
use crate::domain::underpaid_line::AllowedSource;
use crate::domain::work_item::RowFields;

/// Prices through the index the importer uses.
fn detect(claim: &Claim, set: &ContractSet, tolerance: Tolerance) -> Option<Underpayment> {
    super::detect(claim, &ContractIndex::new(set), tolerance)
}
use crate::domain::test_support::{adj, claim, line};
use chrono::NaiveDate;

fn contracts(rate_cents: i64) -> ContractSet {
    ContractSet {
        file: "contracts.csv".into(),
        rows: vec![ContractRow {
            payer: "ACME HEALTH".into(),
            procedure: "99214".into(),
            modifier: String::new(),
            allowed_cents: rate_cents,
            effective_from: None,
            effective_to: None,
            place_of_service: None,
            revenue_code: None,
            line: 2,
        }],
    }
}

/// A primary payment of one 99214 billed $300: allowed `allowed`, paid `paid`, the rest
/// of the allowed amount the patient's coinsurance.
fn paid(allowed: i64, paid: i64, b6: bool) -> Claim {
    let mut c = claim("U1", 1, 30_000, paid);
    let mut l = line("99214", 30_000, paid);
    l.adjustments = vec![adj("CO", "45", 30_000 - allowed)];
    if allowed > paid {
        l.adjustments.push(adj("PR", "2", allowed - paid));
    }
    l.allowed_cents = b6.then_some(allowed);
    l.service_date = NaiveDate::from_ymd_opt(2026, 10, 1);
    c.lines = vec![l];
    c
}

fn now() -> DateTime<Utc> {
    "2026-11-02T10:00:00Z".parse().unwrap()
}

fn opened(c: &Claim, rate: i64) -> WorkItem {
    let u = detect(c, &contracts(rate), Tolerance::default()).expect("underpaid");
    match open("U1#k", c, u, &PayerRules::default(), now(), "ana") {
        Reconciled::Opened(item, events) => {
            assert!(events[1].summary().starts_with("paid below contract"));
            item
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_tolerance_is_exceeded_only_past_both_the_dollars_and_the_percent() {
    let t = Tolerance::default();
    // $200 expected: 2 % is $4.00, so $4.00 short is within, $4.01 is not.
    assert!(!t.exceeded(400, 20_000));
    assert!(t.exceeded(401, 20_000));
    // $20 expected: 2 % is 40¢, the dollar part decides: $1.00 within, $1.01 not.
    assert!(!t.exceeded(100, 2_000));
    assert!(t.exceeded(101, 2_000));
    assert!(!t.exceeded(0, 2_000));
    assert!(!t.exceeded(-500, 2_000), "paid above contract");
    assert_eq!(t.describe(), "$1.00 and 2%");
    let half = Tolerance {
        cents: 0,
        basis_points: 250,
    };
    assert_eq!(half.describe(), "$0.00 and 2.5%");
}

#[test]
fn a_line_allowed_below_contract_opens_an_underpayment_to_the_cent() {
    // Contract $200.00, allowed $150.00 (AMT*B6), paid $120.00 + $30.00 coinsurance.
    let c = paid(15_000, 12_000, true);
    let item = opened(&c, 20_000);
    assert_eq!(item.kind, ItemKind::Underpayment);
    assert_eq!(item.status, Status::New);
    assert_eq!(item.denied_cents, 5_000);
    assert_eq!(item.outstanding_cents(), 5_000);
    assert_eq!(item.carcs, vec!["CO-45"]);
    assert_eq!(item.category, Category::Contractual);
    assert!(item.appealable());
    let u = item.underpayment.as_ref().unwrap();
    let l = &u.lines[0];
    assert_eq!(
        (
            l.expected_cents,
            l.allowed_cents,
            l.paid_cents,
            l.variance_cents
        ),
        (20_000, 15_000, 12_000, 5_000)
    );
    assert_eq!(l.allowed_source, AllowedSource::Remittance);
    assert_eq!(l.row.line, 2);
    let text = describe(u).join("\n");
    assert!(
        text.contains("99214 2026-10-01: contract expects $200.00 (contracts.csv line 2), payer allowed $150.00 (AMT*B6), paid $120.00, variance $50.00, still below contract $50.00"),
        "{text}"
    );
}

#[test]
fn without_amt_b6_the_allowed_amount_is_paid_plus_the_patients_share_and_sequestration() {
    // Allowed $196.00: paid $153.66, coinsurance $39.20, sequestration $3.14.
    let mut c = claim("U1", 1, 30_000, 15_366);
    let mut l = line("99214", 30_000, 15_366);
    l.adjustments = vec![
        adj("CO", "45", 10_400),
        adj("PR", "2", 3_920),
        adj("CO", "253", 314),
    ];
    c.lines = vec![l];
    // Contract $200: $4.00 short is exactly 2 %: within the tolerance.
    assert_eq!(detect(&c, &contracts(20_000), Tolerance::default()), None);
    // Contract $210: $14.00 short.
    let u = detect(&c, &contracts(21_000), Tolerance::default()).unwrap();
    assert_eq!(u.lines[0].allowed_cents, 19_600);
    assert_eq!(u.lines[0].allowed_source, AllowedSource::PaidPlusPatient);
    assert_eq!(u.variance_cents(), 1_400);
}

#[test]
fn the_contract_never_expects_more_than_the_charge_and_units_multiply_the_rate() {
    // Billed $180 against a $200 rate, allowed $180: paid in full.
    let mut c = paid(18_000, 18_000, true);
    c.lines[0].charge_cents = 18_000;
    c.lines[0].adjustments.clear();
    assert_eq!(detect(&c, &contracts(20_000), Tolerance::default()), None);
    // Three units at $80 = $240 expected, $210 allowed.
    let mut c = paid(21_000, 21_000, true);
    c.lines[0].units = Some(3.0);
    let u = detect(&c, &contracts(8_000), Tolerance::default()).unwrap();
    assert_eq!(
        (u.lines[0].expected_cents, u.lines[0].variance_cents),
        (24_000, 3_000)
    );
    assert!(describe(&u)[1].contains("contract expects $240.00 ($80.00 × 3 units)"));
    // Fractional units are not priced by a row.
    c.lines[0].units = Some(2.5);
    assert_eq!(detect(&c, &contracts(8_000), Tolerance::default()), None);
}

#[test]
fn secondary_payments_denied_lines_and_unpriced_lines_are_never_underpayments() {
    let mut secondary = paid(15_000, 12_000, true);
    secondary.status_code = ClaimStatusCode::ProcessedSecondary;
    assert_eq!(
        detect(&secondary, &contracts(20_000), Tolerance::default()),
        None
    );
    let mut denied = paid(15_000, 12_000, true);
    denied.lines[0].adjustments.push(adj("CO", "97", 1_000));
    assert_eq!(
        detect(&denied, &contracts(20_000), Tolerance::default()),
        None
    );
    let mut other_code = paid(15_000, 12_000, true);
    other_code.lines[0].procedure.code = "99213".into();
    assert_eq!(
        detect(&other_code, &contracts(20_000), Tolerance::default()),
        None
    );
    assert_eq!(
        detect(
            &paid(15_000, 12_000, true),
            &ContractSet::default(),
            Tolerance::default()
        ),
        None,
        "no contracts loaded"
    );
}

#[test]
fn a_reversal_and_correction_pay_the_variance_down_in_either_order() {
    let first = paid(15_000, 12_000, true);
    let item = opened(&first, 20_000);
    let mut reversal = paid(15_000, 12_000, true);
    reversal.status_code = ClaimStatusCode::Reversal;
    reversal.paid_cents = -12_000;
    reversal.lines[0].paid_cents = -12_000;
    reversal.remit.remit_date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut corrected = paid(20_000, 17_000, true);
    corrected.remit.remit_date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let rules = PayerRules::default();
    let step =
        |item: &WorkItem, c: &Claim| match reconcile("U1#k", item, c, None, &rules, now(), "ana") {
            Reconciled::Updated(next, _) => next,
            other => panic!("{other:?}"),
        };
    for order in [[&reversal, &corrected], [&corrected, &reversal]] {
        let done = step(&step(&item, order[0]), order[1]);
        assert_eq!(done.status, Status::Paid, "{order:?}");
        assert_eq!(done.outstanding_cents(), 0);
        // $170.00 paid for $120.00 taken back: $50.00 more from the payer.
        assert_eq!(done.recovered_cents, 5_000);
        assert_eq!(
            done.underpayment.as_ref().unwrap().lines[0].recovered_cents,
            5_000
        );
    }
    // The reversal alone changes nothing owed (the correction says what is allowed).
    let reversed = step(&item, &reversal);
    assert_eq!(reversed.outstanding_cents(), 5_000);
    assert_eq!(reversed.status, Status::New);
    // Corrected to $180.00 allowed: $20.00 still below contract.
    let mut part = paid(18_000, 14_400, true);
    part.remit.remit_date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let partly = step(&step(&item, &reversal), &part);
    assert_eq!(partly.status, Status::PartiallyPaid);
    assert_eq!(partly.outstanding_cents(), 2_000);
    assert_eq!(partly.recovered_cents, 2_400);
}

#[test]
fn a_dispute_answered_at_the_same_rate_is_upheld_and_a_later_denial_becomes_the_denial() {
    let first = paid(15_000, 12_000, true);
    let mut item = opened(&first, 20_000);
    item.owner = Some("maria".into());
    item.appeals.push(Appeal {
        level: 1,
        channel: Channel::Portal,
        submitted: NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(),
        response_due: NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(),
        documents: String::new(),
        decision: None,
    });
    item.status = Status::Appealed;
    // Reversed and adjudicated again at the same $150.00.
    let mut again = paid(15_000, 12_000, true);
    again.remit.remit_date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let rules = PayerRules::default();
    let Reconciled::Updated(upheld, _) =
        reconcile("U1#k", &item, &again, None, &rules, now(), "ana")
    else {
        panic!()
    };
    assert_eq!(upheld.status, Status::Upheld);
    assert_eq!(
        upheld.appeals[0].decision.as_ref().unwrap().result,
        AppealResult::Upheld
    );
    let mut denied = claim("U1", 4, 30_000, 0);
    let mut l = line("99214", 30_000, 0);
    l.adjustments = vec![adj("CO", "50", 30_000)];
    denied.lines = vec![l];
    let finding = crate::domain::denial::classify_work(&denied);
    let Reconciled::Updated(now_denied, _) =
        reconcile("U1#k", &item, &denied, finding, &rules, now(), "ana")
    else {
        panic!()
    };
    assert_eq!(now_denied.kind, ItemKind::Denial);
    assert_eq!(now_denied.owner.as_deref(), Some("maria"));
    assert_eq!(now_denied.denied_cents, 30_000);
}

#[test]
fn reductions_no_row_can_price_are_left_alone() {
    let rate = contracts(20_000);
    let t = Tolerance::default();
    // A second procedure at 50 % (CO-59), or billed with modifier 51.
    let mut second = paid(10_000, 10_000, true);
    second.lines[0].adjustments.push(adj("CO", "59", 0));
    second.lines[0].adjustments[1].amount_cents = 10_000;
    assert_eq!(detect(&second, &rate, t), None);
    let mut with_51 = paid(10_000, 10_000, true);
    with_51.lines[0].procedure.modifiers = vec!["51".into()];
    assert_eq!(detect(&with_51, &rate, t), None);
    // A professional component (26) is never priced by the global rate.
    let mut component = paid(6_000, 6_000, true);
    component.lines[0].procedure.modifiers = vec!["26".into()];
    assert_eq!(detect(&component, &rate, t), None);
    let mut component_rate = contracts(8_000);
    component_rate.rows[0].modifier = "26".into();
    let u = detect(&component, &component_rate, t).expect("its own row prices it");
    assert_eq!(u.variance_cents(), 2_000);
    // Capitated (CO-24): paid by the month.
    let mut capitated = paid(0, 0, true);
    capitated.lines[0].adjustments = vec![adj("CO", "24", 30_000)];
    assert_eq!(detect(&capitated, &rate, t), None);
    // An inpatient claim is paid by its DRG.
    let mut inpatient = paid(15_000, 12_000, true);
    inpatient.drg = Some("470".into());
    assert_eq!(detect(&inpatient, &rate, t), None);
    // A facility's line needs a row naming its revenue code or facility type.
    let mut facility = paid(15_000, 12_000, true);
    facility.lines[0].revenue_code = Some("0510".into());
    assert_eq!(detect(&facility, &rate, t), None);
    let mut by_revenue = contracts(20_000);
    by_revenue.rows[0].revenue_code = Some("0510".into());
    assert!(detect(&facility, &by_revenue, t).is_some());
}

#[test]
fn a_withhold_is_added_back_and_a_deductible_only_line_is_still_priced() {
    // No AMT*B6: paid $184.00 + withhold (CO-104) $16.00 = $200.00 allowed: at contract.
    let mut withheld = paid(20_000, 18_400, false);
    withheld.lines[0]
        .adjustments
        .retain(|a| a.group != GroupCode::PR);
    withheld.lines[0].adjustments.push(adj("CO", "104", 1_600));
    withheld.lines[0].adjustments[0].amount_cents = 10_000;
    assert_eq!(
        detect(&withheld, &contracts(20_000), Tolerance::default()),
        None
    );
    // Nothing paid, all $150.00 to the deductible: $50.00 below contract all the same.
    let mut deductible = paid(15_000, 0, false);
    deductible.lines[0].adjustments = vec![adj("CO", "45", 15_000), adj("PR", "1", 15_000)];
    let u = detect(&deductible, &contracts(20_000), Tolerance::default()).unwrap();
    assert_eq!(u.variance_cents(), 5_000);
}

#[test]
fn a_correction_within_the_tolerance_settles_and_patient_share_moves_recover_nothing() {
    let rules = PayerRules::default();
    let step =
        |item: &WorkItem, c: &Claim| match reconcile("U1#k", item, c, None, &rules, now(), "ana") {
            Reconciled::Updated(next, _) => next,
            other => panic!("{other:?}"),
        };
    let mut reversal = paid(15_000, 12_000, true);
    reversal.status_code = ClaimStatusCode::Reversal;
    reversal.paid_cents = -12_000;
    reversal.lines[0].paid_cents = -12_000;
    let item = opened(&paid(15_000, 12_000, true), 20_000);
    // Corrected to $199.50: 50¢ short is within the tolerance: paid.
    let done = step(&step(&item, &reversal), &paid(19_950, 15_960, true));
    assert_eq!(done.status, Status::Paid);
    assert_eq!(done.outstanding_cents(), 0);
    assert!(describe(done.underpayment.as_ref().unwrap())[1]
        .contains("now allowed $199.50, still below contract $0.00"));
    // First all to the deductible, then the same $150.00 allowed paid by the payer: the
    // variance is still owed whatever cash moved.
    let mut deductible = paid(15_000, 0, true);
    deductible.lines[0].adjustments = vec![adj("CO", "45", 15_000), adj("PR", "1", 15_000)];
    let item = opened(&deductible, 20_000);
    let moved = step(&item, &paid(15_000, 12_000, true));
    assert_eq!(moved.recovered_cents, 12_000);
    assert_eq!(moved.outstanding_cents(), 5_000);
    assert_eq!(moved.status, Status::New);
}
