//! Hand-computed fixtures: every KPI checked to the cent and the tenth of a percent.

use super::*;
use crate::domain::appeal::{Appeal, AppealDecision, Channel};
use crate::domain::taxonomy::Category;
use crate::domain::test_support::work_item;
use crate::domain::work_item::Payment;
use chrono::{DateTime, Utc};

pub(super) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(super) fn at(s: &str) -> DateTime<Utc> {
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
pub(super) fn item(
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
    crate::domain::test_support::set_denied(&mut i, cents);
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
    // Denied line by line: $300.00 on 97110, $200.00 on 97140.
    b.denied_lines = vec![
        crate::domain::work_item::DeniedLine::new("1", "97110", 30_000),
        crate::domain::work_item::DeniedLine::new("2", "97140", 20_000),
    ];
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
    // Upheld at level 1 with a level left: open, not resolved.
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
    // Each day: claims first adjudicated, their gross charges, one denied claim with its
    // denied $ and its own gross charge, and whether it was paid nothing (a full denial).
    let day = |date: &str, payer: &str, claims, billed, denied_cents, charge, full: bool| {
        AdjudicationDay {
            claims,
            billed_cents: billed,
            denied: 1,
            denied_cents,
            denied_billed_cents: charge,
            full_denied: u64::from(full),
            full_denied_billed_cents: if full { charge } else { 0 },
            ..AdjudicationDay::new(d(date), payer)
        }
    };
    let days = vec![
        day("2026-10-01", "CIGNA", 20, 900_000, 30_000, 30_000, true),
        day(
            "2026-11-01",
            "AETNA",
            10,
            1_000_000,
            100_000,
            120_000,
            false,
        ),
        day("2026-11-10", "AETNA", 5, 400_000, 50_000, 60_000, true),
        day("2026-11-15", "CIGNA", 4, 200_000, 20_000, 25_000, true),
        day("2026-11-20", "AETNA", 1, 10_000, 10_000, 10_000, true),
    ];
    (vec![a, b, c, dd, e], days)
}

pub(super) fn today() -> NaiveDate {
    d("2026-11-24")
}

/// Maria called on C and noted it (one claim, one call); the importer's work is nobody's.
fn activity() -> Vec<Activity> {
    let did = |user: &str, action: &str, claim: &str| Activity {
        user: user.into(),
        date: d("2026-11-23"),
        action: action.into(),
        claim: claim.into(),
    };
    vec![
        did("maria", "call", "C"),
        did("maria", "note", "C"),
        did("importer", "import", "A"),
    ]
}

#[test]
fn every_kpi_matches_the_hand_computed_value() {
    let (items, days) = fixture();
    let k = compute(
        &items,
        &days,
        &activity(),
        PeriodChoice::Last30.period(today()),
        today(),
    );
    assert_eq!(
        k.first_adjudicated,
        Tally {
            count: 20,
            cents: 1_610_000
        }
    );
    // 4 of the 20 claims first adjudicated in the period were denied: 3 paid nothing.
    let i = k.initial_denials;
    assert_eq!(
        (i.all.display(), i.full.display(), i.partial.display()),
        ("20.0%".into(), "15.0%".into(), "5.0%".into())
    );
    // Gross charges: (120,000 + 60,000 + 25,000 + 10,000) / 1,610,000 = 13.35 %; full
    // 95,000 / 1,610,000 = 5.90 %; partial 120,000 / 1,610,000 = 7.45 %.
    assert_eq!(i.all_dollars, Rate::new(215_000, 1_610_000));
    assert_eq!(
        (
            i.all_dollars.display(),
            i.full_dollars.display(),
            i.partial_dollars.display()
        ),
        ("13.4%".into(), "5.9%".into(), "7.5%".into())
    );
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
    // Appeals decided in the period: A won, D upheld. HFMA's overturn rate: of the four
    // cohort denials only A was paid since.
    assert_eq!(k.appeal_win_rate.display(), "50.0%");
    assert_eq!(k.overturn_rate, Rate::new(1, 4));
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
    // A: 11-01 → 11-22 = 21 days; B: 11-10 → 11-20 = 10 days.
    assert_eq!(k.days_to_resolution.count, 2);
    assert_eq!(k.days_to_resolution.mean, Some(15.5));
    assert_eq!(k.days_to_resolution.median, Some(15.5));
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
            maria.touched_in_period,
            maria.calls_in_period
        ),
        (1, 0, 1, 1)
    );
    assert!(k.workload.iter().all(|o| o.owner != "importer"));
    let devon = k.workload.iter().find(|o| o.owner == "devon").unwrap();
    assert_eq!((devon.follow_ups_overdue, devon.touched_in_period), (1, 0));
}

#[test]
fn root_causes_have_shares_and_changes_against_the_previous_period() {
    let (items, days) = fixture();
    let k = compute(
        &items,
        &days,
        &[],
        PeriodChoice::Last30.period(today()),
        today(),
    );
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
    // By CPT each denied line counts its own dollars: B's 97110 $300.00 and 97140
    // $200.00, the other four claim-level denials $1,300.00 together; shares sum to 100 %.
    let cpts = k.root_cause(Dimension::Cpt);
    assert!(cpts
        .iter()
        .any(|r| r.value == "97140" && r.denied_cents == 20_000));
    let claim_level = cpts.iter().find(|r| r.value == CLAIM_LEVEL_CPT).unwrap();
    assert_eq!(claim_level.denied_cents, 130_000);
    assert_eq!(
        cpts.iter().map(|r| r.denied_cents).sum::<i64>(),
        k.denied.cents
    );
    let shares: f64 = cpts.iter().map(|r| r.share).sum();
    assert!((shares - 1.0).abs() < 1e-5, "{shares}");
    let stages = k.root_cause(Dimension::Stage);
    assert_eq!(stages.iter().map(|r| r.count).sum::<u64>(), 4);
    assert!(Dimension::Payer.matches(&items[0], "AETNA"));
}

#[test]
fn weekly_trend_places_each_denial_in_its_week() {
    let (items, days) = fixture();
    let k = compute(
        &items,
        &days,
        &[],
        PeriodChoice::Last30.period(today()),
        today(),
    );
    let counts: Vec<u64> = k.weekly.iter().map(|t| t.count).collect();
    assert_eq!(counts, vec![0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
    assert_eq!(k.weekly[11].cents, 10_000);
}

#[test]
fn empty_denominators_are_not_applicable_never_zero_or_nan() {
    let k = compute(&[], &[], &[], PeriodChoice::Last30.period(today()), today());
    for rate in [
        k.initial_denials.all,
        k.initial_denials.all_dollars,
        k.primary_denial_rate,
        k.write_offs_to_payments,
        k.appeal_win_rate,
        k.appeal_rate,
        k.overturn_rate,
        k.recovery_rate,
        k.write_off_rate,
    ] {
        assert_eq!(rate.percent(), None);
        assert_eq!(rate.display(), "n/a");
    }
    assert_eq!(k.days_to_resolution, Spread::default());
    assert_eq!(k.days_to_appeal.display(), "n/a");
}
