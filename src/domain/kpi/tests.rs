//! Hand-computed fixtures: every KPI checked to the cent and the tenth of a percent.

use super::*;
use crate::domain::appeal::{Appeal, AppealDecision, Channel};
use crate::domain::taxonomy::Category;
use crate::domain::test_support::work_item;
use crate::domain::work_item::Payment;
use chrono::{DateTime, Utc};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{s}T12:00:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

fn appeal(submitted: &str, decided: &str, result: AppealResult, amount_cents: i64) -> Appeal {
    Appeal {
        level: 1,
        channel: Channel::Portal,
        submitted: d(submitted),
        response_due: d(submitted) + Duration::days(30),
        documents: String::new(),
        decision: Some(AppealDecision {
            result,
            decided: d(decided),
            amount_cents,
        }),
    }
}

#[allow(clippy::too_many_arguments)]
fn item(
    id: &str,
    denied_on: &str,
    cents: i64,
    hardness: Hardness,
    category: Category,
    payer: &str,
    status: Status,
) -> WorkItem {
    let mut i = work_item(id);
    i.denied_on = d(denied_on);
    i.denied_cents = cents;
    i.hardness = hardness;
    i.category = category;
    i.payer = payer.into();
    i.status = status;
    i.updated_at = at("2026-10-01");
    i.appeal_deadline.date = d("2027-03-01");
    i
}

fn fixture() -> (Vec<WorkItem>, Vec<AdjudicationDay>) {
    let mut a = item(
        "A",
        "2026-11-01",
        100_000,
        Hardness::Soft,
        Category::Authorization,
        "AETNA",
        Status::Paid,
    );
    a.carcs = vec!["CO-197".into()];
    a.appeals = vec![appeal(
        "2026-11-05",
        "2026-11-20",
        AppealResult::Overturned,
        60_000,
    )];
    a.payments = vec![Payment {
        date: d("2026-11-22"),
        cents: 60_000,
    }];
    a.recovered_cents = 60_000;
    a.resolved_on = Some(d("2026-11-22"));
    let mut b = item(
        "B",
        "2026-11-10",
        50_000,
        Hardness::Soft,
        Category::MissingInformation,
        "AETNA",
        Status::WrittenOff,
    );
    b.carcs = vec!["CO-16".into(), "CO-50".into()];
    b.procedures = vec!["97110".into(), "97140".into()];
    b.resolved_on = Some(d("2026-11-20"));
    let mut c = item(
        "C",
        "2026-10-01",
        30_000,
        Hardness::Hard,
        Category::Eligibility,
        "CIGNA",
        Status::New,
    );
    c.appeal_deadline.date = d("2026-11-28");
    c.follow_up = Some(d("2026-11-24"));
    c.owner = Some("maria".into());
    c.updated_at = at("2026-11-23");
    let mut dd = item(
        "D",
        "2026-11-15",
        20_000,
        Hardness::Soft,
        Category::Coding,
        "CIGNA",
        Status::Upheld,
    );
    dd.appeals = vec![appeal("2026-11-16", "2026-11-18", AppealResult::Upheld, 0)];
    dd.resolved_on = Some(d("2026-11-18"));
    dd.appeal_deadline.date = d("2026-11-20");
    dd.owner = Some("devon".into());
    dd.follow_up = Some(d("2026-11-20"));
    let mut e = item(
        "E",
        "2026-11-20",
        10_000,
        Hardness::Hard,
        Category::Duplicate,
        "AETNA",
        Status::New,
    );
    e.times_denied = 2;
    let day =
        |date: &str, payer: &str, claims, billed_cents, denied, denied_cents| AdjudicationDay {
            date: d(date),
            payer: payer.into(),
            claims,
            billed_cents,
            denied,
            denied_cents,
        };
    let days = vec![
        day("2026-10-01", "CIGNA", 20, 900_000, 1, 30_000),
        day("2026-11-01", "AETNA", 10, 1_000_000, 1, 100_000),
        day("2026-11-10", "AETNA", 5, 400_000, 1, 50_000),
        day("2026-11-15", "CIGNA", 4, 200_000, 1, 20_000),
        day("2026-11-20", "AETNA", 1, 10_000, 1, 10_000),
    ];
    (vec![a, b, c, dd, e], days)
}

fn today() -> NaiveDate {
    d("2026-11-24")
}

#[test]
fn every_kpi_matches_the_hand_computed_value() {
    let (items, days) = fixture();
    let k = compute(&items, &days, PeriodChoice::Last30.period(today()), today());
    assert_eq!(
        k.first_adjudicated,
        Tally {
            count: 20,
            cents: 1_610_000
        }
    );
    assert_eq!(k.initial_denial_rate.display(), "20.0%");
    assert_eq!(k.initial_denial_rate_dollars.display(), "11.2%");
    assert_eq!(
        k.denied,
        Tally {
            count: 4,
            cents: 180_000
        },
        "a claim denied twice counts once"
    );
    assert_eq!((k.appeal_rate.numerator, k.appeal_rate.denominator), (2, 3));
    assert_eq!(k.appeal_rate.display(), "66.7%");
    assert_eq!(k.overturn_rate.display(), "50.0%");
    assert_eq!(k.overturned_amount_cents, 60_000);
    assert_eq!(k.recovered_in_period_cents, 60_000);
    assert_eq!(k.recovery_rate.display(), "33.3%");
    assert_eq!(
        k.written_off,
        Tally {
            count: 1,
            cents: 50_000
        }
    );
    assert_eq!(k.write_off_rate.display(), "27.8%");
    assert_eq!(k.resolved, 3);
    assert_eq!(
        format!("{:.2}", k.average_days_to_resolution.unwrap()),
        "11.33"
    );
    assert_eq!(
        k.open,
        Tally {
            count: 3,
            cents: 60_000
        }
    );
    assert_eq!(
        k.aging[0],
        Tally {
            count: 2,
            cents: 30_000
        }
    );
    assert_eq!(
        k.aging[1],
        Tally {
            count: 1,
            cents: 30_000
        }
    );
    assert_eq!(k.aging[4], Tally::default());
    assert_eq!(
        k.at_risk_7,
        Tally {
            count: 1,
            cents: 30_000
        }
    );
    assert_eq!(
        k.at_risk_14,
        Tally {
            count: 1,
            cents: 30_000
        }
    );
    assert_eq!(
        k.missed,
        Tally {
            count: 1,
            cents: 20_000
        }
    );
    assert_eq!((k.follow_ups_due_today, k.follow_ups_overdue), (1, 1));
    let maria = k.workload.iter().find(|o| o.owner == "maria").unwrap();
    assert_eq!(
        (
            maria.follow_ups_due_today,
            maria.follow_ups_overdue,
            maria.touched_in_period
        ),
        (1, 0, 1)
    );
    let devon = k.workload.iter().find(|o| o.owner == "devon").unwrap();
    assert_eq!((devon.follow_ups_overdue, devon.touched_in_period), (1, 0));
}

#[test]
fn root_causes_have_shares_and_changes_against_the_previous_period() {
    let (items, days) = fixture();
    let k = compute(&items, &days, PeriodChoice::Last30.period(today()), today());
    let payers = k.root_cause(Dimension::Payer);
    assert_eq!(payers[0].value, "AETNA");
    assert_eq!((payers[0].count, payers[0].denied_cents), (3, 160_000));
    assert_eq!(format!("{:.3}", payers[0].share), "0.889");
    let cigna = &payers[1];
    assert_eq!(
        (
            cigna.denied_cents,
            cigna.previous_cents,
            cigna.change_cents()
        ),
        (20_000, 30_000, -10_000)
    );
    let carcs = k.root_cause(Dimension::Carc);
    assert_eq!(carcs[0].value, "CO-197");
    assert!(carcs
        .iter()
        .any(|r| r.value == "CO-50" && r.denied_cents == 50_000));
    let cpts = k.root_cause(Dimension::Cpt);
    assert!(cpts.iter().any(|r| r.value == "97140"));
    let stages = k.root_cause(Dimension::Stage);
    assert_eq!(stages.iter().map(|r| r.count).sum::<u64>(), 4);
    assert!(Dimension::Payer.matches(&items[0], "AETNA"));
}

#[test]
fn weekly_trend_places_each_denial_in_its_week() {
    let (items, days) = fixture();
    let k = compute(&items, &days, PeriodChoice::Last30.period(today()), today());
    let counts: Vec<u64> = k.weekly.iter().map(|t| t.count).collect();
    assert_eq!(counts, vec![0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
    assert_eq!(k.weekly[11].cents, 10_000);
}

#[test]
fn empty_denominators_are_not_applicable_never_zero_or_nan() {
    let k = compute(&[], &[], PeriodChoice::Last30.period(today()), today());
    for rate in [
        k.initial_denial_rate,
        k.appeal_rate,
        k.overturn_rate,
        k.recovery_rate,
        k.write_off_rate,
    ] {
        assert_eq!(rate.percent(), None);
        assert_eq!(rate.display(), "n/a");
    }
    assert_eq!(k.average_days_to_resolution, None);
}

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
    let k = compute(&[after], &[], PeriodChoice::Last30.period(today()), today());
    assert_eq!(k.written_off, Tally::default());
    assert_eq!(k.recovered_in_period_cents, 25_000);
    assert_eq!(k.recovery_rate.display(), "62.5%");
    assert_eq!(k.resolved, 1, "resolved again, on the payment date");
    assert_eq!(k.average_days_to_resolution, Some(19.0));
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
        PeriodChoice::Last30.period(today()),
        today(),
    );
    // missed = N + L = 2 × $100.00; at risk within 7 days: none (S was appealed).
    assert_eq!((k.missed.count, k.missed.cents), (2, 20_000));
    assert_eq!((k.at_risk_7.count, k.at_risk_14.count), (0, 0));
}
