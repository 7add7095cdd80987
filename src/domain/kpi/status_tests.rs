//! KPIs following a claim through time: a payment after a write-off, a denial appealed
//! in time against one appealed late (hand-computed, like `tests`).

use super::tests::{at, d, item, today};
use super::*;
use crate::domain::appeal::{Appeal, Channel};
use crate::domain::taxonomy::Category;
use crate::domain::test_support::work_item;

#[test]
fn a_payment_after_write_off_counts_as_recovered_not_written_off() {
    use crate::domain::payer_rules::PayerRules;
    use crate::domain::reconcile::{reconcile, Reconciled};
    use crate::domain::test_support::{adj, claim};
    let mut written = item(
        "W",
        "2026-11-01",
        40_000,
        Hardness::Soft,
        Category::Coding,
        "AETNA",
        Status::WrittenOff,
    );
    written.resolved_on = Some(d("2026-11-05"));
    let before = compute(
        std::slice::from_ref(&written),
        &[],
        &[],
        PeriodChoice::Last30.period(today()),
        today(),
    );
    assert_eq!(
        before.written_off,
        Tally {
            count: 1,
            cents: 40_000
        }
    );
    let mut paid = claim("W", 1, 40_000, 25_000);
    paid.adjustments = vec![adj("CO", "45", 15_000)];
    paid.remit.remit_date = d("2026-11-20");
    let Reconciled::Updated(after, _) = reconcile(
        &written.key,
        Some(&written),
        &paid,
        &PayerRules::default(),
        at("2026-11-20"),
        "importer",
    ) else {
        panic!("expected an update");
    };
    assert_eq!(after.status, Status::Paid);
    let k = compute(
        &[after],
        &[],
        &[],
        PeriodChoice::Last30.period(today()),
        today(),
    );
    assert_eq!(k.written_off, Tally::default());
    assert_eq!(k.recovered_in_period_cents, 25_000);
    // Paid in full ($250.00 allowed against the $400.00 denied, the rest contractual):
    // 100 % recovered on the denied-dollar basis.
    assert_eq!(k.recovery_rate.display(), "100.0%");
    assert_eq!(
        k.days_to_resolution.count, 1,
        "resolved again, on the payment date"
    );
    assert_eq!(k.days_to_resolution.mean, Some(19.0));
}

#[test]
fn a_denial_appealed_in_time_is_neither_at_risk_nor_missed() {
    // Three open $100.00 denials whose appeal deadline passed yesterday: one never
    // appealed (missed), one appealed before the deadline (met: not missed), one appealed
    // after it (still missed). One due in 3 days and appealed: not at risk either.
    let open = |id: &str, days_left: i64| {
        let mut i = work_item(id);
        crate::domain::test_support::set_denied(&mut i, 10_000);
        i.appeal_deadline.date = today() + Duration::days(days_left);
        i
    };
    let appealed = |mut i: WorkItem, submitted: NaiveDate| {
        i.status = Status::Appealed;
        i.appeals.push(Appeal {
            level: 1,
            channel: Channel::Fax,
            submitted,
            response_due: submitted + Duration::days(60),
            documents: String::new(),
            decision: None,
        });
        i
    };
    let never = open("N", -1);
    let in_time = appealed(open("T", -1), today() - Duration::days(5));
    let late = appealed(open("L", -1), today());
    let soon = appealed(open("S", 3), today());
    let k = compute(
        &[never, in_time, late, soon],
        &[],
        &[],
        PeriodChoice::Last30.period(today()),
        today(),
    );
    // missed = N + L = 2 × $100.00; at risk within 7 days: none (S was appealed).
    assert_eq!((k.missed.count, k.missed.cents), (2, 20_000));
    assert_eq!((k.at_risk_7.count, k.at_risk_14.count), (0, 0));
}
