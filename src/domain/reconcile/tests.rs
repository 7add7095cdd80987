use super::*;
use crate::domain::test_support::{adj, claim};
use crate::domain::work_item::RowFields;

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
    assert!(
        next.resolved_on.is_none(),
        "upheld is not final while a higher level remains"
    );
    assert_eq!(next.carcs, vec!["CO-197", "CO-50"]);
    assert!(matches!(
        &events[0],
        EventKind::Adjudicated {
            denied_cents: 50000,
            ..
        }
    ));
}

/// The opened item with a level-1 appeal sent the day of the denial, undecided.
fn appealed() -> WorkItem {
    let mut item = opened();
    item.status = Status::Appealed;
    item.appeals.push(crate::domain::appeal::Appeal {
        level: 1,
        channel: crate::domain::appeal::Channel::Portal,
        submitted: item.denied_on,
        response_due: item.denied_on + chrono::Duration::days(30),
        documents: String::new(),
        decision: None,
    });
    item
}

#[test]
fn a_denial_again_while_an_appeal_is_open_is_its_upheld_answer_and_opens_the_next_level() {
    let item = appealed();
    let mut again = claim("PCN9", 1, 50000, 0);
    again.adjustments = vec![adj("CO", "50", 50000)];
    let on = again.remit.remit_date;
    let Reconciled::Updated(next, events) =
        reconcile("K", Some(&item), &again, &PayerRules::default(), now(), "u")
    else {
        panic!("expected update");
    };
    let decision = next.appeals[0].decision.as_ref().expect("recorded");
    assert_eq!(
        (decision.result, decision.decided),
        (AppealResult::Upheld, on)
    );
    // A commercial payer not in the rules: level 2 within 60 days of the decision.
    assert_eq!(next.status_label(), "upheld-l1");
    assert_eq!(next.appeal_deadline.date, on + chrono::Duration::days(60));
    assert!(events
        .iter()
        .any(|e| matches!(e, EventKind::DeadlineMoved { .. })));
}

#[test]
fn a_payment_while_an_appeal_is_open_is_recorded_as_its_won_answer() {
    let item = appealed();
    // The whole $500.00 paid at $300.00 allowed, the rest contractual.
    let mut paid = claim("PCN9", 1, 50000, 30000);
    paid.adjustments = vec![adj("CO", "45", 20000)];
    let on = paid.remit.remit_date;
    let Reconciled::Updated(next, events) =
        reconcile("K", Some(&item), &paid, &PayerRules::default(), now(), "u")
    else {
        panic!("expected update");
    };
    assert_eq!(next.status, Status::Paid);
    let decision = next.appeals[0].decision.as_ref().expect("recorded");
    assert_eq!(
        (decision.result, decision.decided, decision.amount_cents),
        (AppealResult::Overturned, on, 30000)
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, EventKind::AppealDecided { level: 1, .. })));
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
