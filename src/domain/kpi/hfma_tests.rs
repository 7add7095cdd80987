//! The industry-defined KPIs, each on a small hand-made case with the arithmetic shown:
//! what the remittances count (full and partial denials, primary remits, duplicates,
//! payments posted), and what the work items give (overturns against appeal wins, the
//! recovery basis, write-offs against payments, time to appeal and to resolution, denial
//! rates by segment, A/R age, productivity).

use super::*;
use crate::domain::appeal::{Appeal, AppealDecision, Channel};
use crate::domain::denial::classify_work;
use crate::domain::test_support::{adj, claim, line, set_denied, work_item};
use crate::domain::work_item::{DeniedLine, Payment};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    d("2026-11-24")
}

fn period() -> Period {
    PeriodChoice::Last30.period(today())
}

/// The remittance counts of one day, from real-shaped claims as the importer counts them.
fn counted(claims: &[crate::domain::claim::Claim]) -> AdjudicationDay {
    let mut day = AdjudicationDay::new(d("2026-11-10"), "ACME HEALTH");
    for c in claims {
        day.count_payment(c);
        if counts_as_first(c) {
            day.count_first(c, classify_work(c).as_ref());
        }
    }
    day
}

#[test]
fn initial_and_primary_denial_rates_count_full_partial_and_duplicates_as_defined() {
    // Four primary claims: paid in full ($100, paid $80 after CO-45), denied whole
    // ($200, CO-197, paid $0), denied on one of two lines ($300: 99213 paid $120,
    // 97110 $150 denied CO-50), and a duplicate ($400, CO-18, paid $0).
    let paid = {
        let mut c = claim("P1", 1, 10_000, 8_000);
        c.adjustments = vec![adj("CO", "45", 2_000)];
        c.lines = vec![line("99213", 10_000, 8_000)];
        c
    };
    let denied = {
        let mut c = claim("P2", 1, 20_000, 0);
        c.adjustments = vec![adj("CO", "197", 20_000)];
        c.lines = vec![line("99214", 20_000, 0)];
        c
    };
    let partial = {
        let mut c = claim("P3", 1, 30_000, 12_000);
        let mut paid_line = line("99213", 15_000, 12_000);
        paid_line.adjustments = vec![adj("CO", "45", 3_000)];
        let mut denied_line = line("97110", 15_000, 0);
        denied_line.adjustments = vec![adj("CO", "50", 15_000)];
        c.lines = vec![paid_line, denied_line];
        c
    };
    let duplicate = {
        let mut c = claim("P4", 1, 40_000, 0);
        c.adjustments = vec![adj("CO", "18", 40_000)];
        c
    };
    let day = counted(&[paid, denied, partial, duplicate]);
    assert_eq!((day.claims, day.billed_cents), (4, 100_000));
    // Denied on first adjudication: P2 (full), P3 (partial), P4 (full, a duplicate).
    assert_eq!((day.denied, day.full_denied), (3, 2));
    assert_eq!(day.denied_billed_cents, 20_000 + 30_000 + 40_000);
    assert_eq!(day.full_denied_billed_cents, 20_000 + 40_000);
    let i = initial_denials(std::iter::once(&day));
    // Claims: 3 / 4 = 75 %, full 2 / 4 = 50 %, partial 1 / 4 = 25 %.
    assert_eq!(
        (i.all, i.full, i.partial),
        (Rate::new(3, 4), Rate::new(2, 4), Rate::new(1, 4))
    );
    // Gross charges: 90,000 / 100,000 = 90 %, full 60 %, partial 30 %.
    assert_eq!(i.all_dollars.display(), "90.0%");
    assert_eq!(i.full_dollars.display(), "60.0%");
    assert_eq!(i.partial_dollars.display(), "30.0%");
    // Primary: 4 remits, one a duplicate (out of both), one zero-pay denial (P2):
    // 1 / (4 - 1) = 33.3 %.
    assert_eq!(
        (day.primary, day.primary_zero_pay, day.primary_duplicates),
        (4, 1, 1)
    );
    assert_eq!(primary_denial_rate(std::iter::once(&day)), Rate::new(1, 3));
    // Payments posted: 80 + 0 + 120 + 0 = $200.00; a reversal of P1 takes $80.00 back.
    assert_eq!(day.paid_cents, 20_000);
    let reversal = claim("P1", 22, -10_000, -8_000);
    let with_reversal = counted(&[reversal]);
    assert_eq!(with_reversal.paid_cents, -8_000);
    assert_eq!(
        with_reversal.claims, 0,
        "a reversal is no first adjudication"
    );
    // Denominators by segment: one facility, lines by procedure code.
    assert_eq!(day.by_facility.get("NORTH CLINIC"), Some(&4));
    assert_eq!(day.lines_by_procedure.get("99213"), Some(&2));
    assert_eq!(day.by_provider.get(NO_PROVIDER), Some(&4));
}

fn denial(id: &str, denied_on: &str, cents: i64) -> WorkItem {
    let mut i = work_item(id);
    i.denied_on = d(denied_on);
    set_denied(&mut i, cents);
    i.appeal_deadline.date = d("2027-03-01");
    i
}

fn appeal(level: u8, submitted: &str, decided: Option<(&str, AppealResult)>) -> Appeal {
    Appeal {
        level,
        channel: Channel::Mail,
        submitted: d(submitted),
        response_due: d(submitted) + Duration::days(60),
        documents: String::new(),
        decision: decided.map(|(on, result)| AppealDecision {
            result,
            decided: d(on),
            amount_cents: 0,
        }),
    }
}

/// Four denials of November 2026 (the cohort), each $400.00:
/// - W: appealed 11-04 (3 days after its 11-01 denial), won 11-14, paid $250.00 in full
///   on 11-20 (the rest contractual): resolved, 19 days;
/// - X: never appealed, paid $100.00 on 11-12 on one of its two $200.00 lines: partly
///   overturned, still open for $200.00;
/// - Y: appealed 11-08 (7 days after), upheld 11-18, closed final-upheld 11-19 and
///   written off 11-21 ($400.00): resolved, 20 days;
/// - Z: appealed 11-22 (12 days after its 11-10 denial), waiting.
fn cohort() -> Vec<WorkItem> {
    let mut w = denial("W", "2026-11-01", 40_000);
    w.appeals = vec![appeal(
        1,
        "2026-11-04",
        Some(("2026-11-14", AppealResult::Overturned)),
    )];
    w.denied_lines[0].still_denied_cents = 0;
    w.payments = vec![Payment {
        date: d("2026-11-20"),
        cents: 25_000,
    }];
    w.recovered_cents = 25_000;
    w.status = Status::Paid;
    w.resolved_on = Some(d("2026-11-20"));
    w.owner = Some("maria".into());
    let mut x = denial("X", "2026-11-01", 40_000);
    x.denied_lines = vec![
        DeniedLine::new("1", "97110", 20_000),
        DeniedLine::new("2", "97140", 20_000),
    ];
    x.denied_lines[0].still_denied_cents = 0;
    x.procedures = vec!["97110".into(), "97140".into()];
    x.payments = vec![Payment {
        date: d("2026-11-12"),
        cents: 10_000,
    }];
    x.recovered_cents = 10_000;
    x.status = Status::PartiallyPaid;
    x.owner = Some("maria".into());
    x.payer = "CIGNA".into();
    let mut y = denial("Y", "2026-11-01", 40_000);
    y.appeals = vec![appeal(
        1,
        "2026-11-08",
        Some(("2026-11-18", AppealResult::Upheld)),
    )];
    y.status = Status::WrittenOff;
    y.resolved_on = Some(d("2026-11-21"));
    y.owner = Some("devon".into());
    let mut z = denial("Z", "2026-11-10", 40_000);
    z.appeals = vec![appeal(1, "2026-11-22", None)];
    z.status = Status::Appealed;
    z.date_of_service = Some(d("2026-07-01"));
    vec![w, x, y, z]
}

#[test]
fn overturns_recovery_write_offs_and_times_follow_their_definitions() {
    let items = cohort();
    // Payments posted in the period: $5,000.00 on the day's remittances.
    let mut day = AdjudicationDay::new(d("2026-11-10"), "ACME HEALTH");
    day.claims = 20;
    day.paid_cents = 500_000;
    let k = compute(&items, &[day], &[], period(), today());
    // HFMA overturn rate: W and X were paid after their denial (X without an appeal),
    // Y and Z not: 2 / 4 = 50 %. Appeal win rate: W won, Y lost: 1 / 2 = 50 %, and X's
    // payment is in the first, never in the second.
    assert_eq!(k.overturn_rate, Rate::new(2, 4));
    assert_eq!(k.appeal_win_rate, Rate::new(1, 2));
    // Recovered $: 250 + 100 = $350.00 of payments. Recovery rate on the denied-dollar
    // basis: W's $400.00 all paid (100 % whatever the allowed amount) + X's $200.00 line
    // = 600 / 1,600 = 37.5 %.
    assert_eq!(k.recovered_in_period_cents, 35_000);
    assert_eq!(k.recovery_rate, Rate::new(60_000, 160_000));
    assert_eq!(k.recovery_rate.display(), "37.5%");
    // Write-offs: Y's $400.00 in the period ÷ $5,000.00 posted = 8.0 % (MAP AR-6 proxy);
    // of the cohort's denied $: 400 / 1,600 = 25.0 %.
    assert_eq!(k.written_off_in_period.cents, 40_000);
    assert_eq!(k.write_offs_to_payments.display(), "8.0%");
    assert_eq!(k.write_off_rate.display(), "25.0%");
    // Days from denial to first appeal: W 3, Y 7, Z 12 → mean 22 / 3 = 7.33, median 7.
    assert_eq!(k.days_to_appeal.count, 3);
    assert_eq!(format!("{:.2}", k.days_to_appeal.mean.unwrap()), "7.33");
    assert_eq!(k.days_to_appeal.median, Some(7.0));
    // To final disposition: W 19, Y 20 → mean 19.5, median (19 + 20) / 2 = 19.5.
    assert_eq!(k.days_to_resolution.count, 2);
    assert_eq!(k.days_to_resolution.median, Some(19.5));
    // Denial age and A/R age of the open dollars: X $200.00 (denied 23 days ago,
    // served 10-01: 54 days), Z $400.00 (denied 14 days ago, served 07-01: 146 days).
    assert_eq!(
        k.aging[0],
        Tally {
            count: 2,
            cents: 60_000
        }
    );
    assert_eq!(
        k.ar_aging[1],
        Tally {
            count: 1,
            cents: 20_000
        }
    );
    assert_eq!(
        k.ar_aging[4],
        Tally {
            count: 1,
            cents: 40_000
        }
    );
    // Productivity by owner: maria resolved W and recovered 250 + 100 on W and X; devon
    // resolved Y.
    let maria = k.workload.iter().find(|o| o.owner == "maria").unwrap();
    assert_eq!(
        (maria.resolved_in_period, maria.recovered_in_period_cents),
        (1, 35_000)
    );
    let devon = k.workload.iter().find(|o| o.owner == "devon").unwrap();
    assert_eq!(
        (devon.resolved_in_period, devon.recovered_in_period_cents),
        (1, 0)
    );
}

#[test]
fn denial_rates_by_segment_divide_by_what_was_adjudicated_in_it() {
    let items = cohort();
    // ACME HEALTH adjudicated 20 claims with 30 lines (97110 on 4, 97140 on 2), CIGNA 5.
    let mut acme = AdjudicationDay::new(d("2026-11-10"), "ACME HEALTH");
    acme.claims = 20;
    acme.lines_by_procedure.insert("97110".into(), 4);
    acme.lines_by_procedure.insert("97140".into(), 2);
    let mut cigna = AdjudicationDay::new(d("2026-11-10"), "CIGNA");
    cigna.claims = 5;
    let k = compute(&items, &[acme, cigna], &[], period(), today());
    let payers = k.segment(Dimension::Payer);
    // ACME: W, Y, Z denied of 20 = 15 %; CIGNA: X of 5 = 20 % (highest first).
    assert_eq!(payers[0].value, "CIGNA");
    assert_eq!(payers[0].rate, Rate::new(1, 5));
    assert_eq!(payers[1].rate, Rate::new(3, 20));
    // Categories are shares of all 25 claims adjudicated: all four are the same category.
    assert_eq!(k.segment(Dimension::Category)[0].rate, Rate::new(4, 25));
    // CPT, line by line: X's two denied lines; 97110 1 of 4 lines, 97140 1 of 2.
    let cpt = k.segment(Dimension::Cpt);
    let rate = |code: &str| cpt.iter().find(|s| s.value == code).unwrap().rate;
    assert_eq!(rate("97140"), Rate::new(1, 2));
    assert_eq!(rate("97110"), Rate::new(1, 4));
    // Claim-level denials name the claim's procedures (99214 here) with no lines counted
    // for it: n/a, listed last, never a made-up 100 %.
    assert_eq!(rate("99214").denominator, 0);
    assert_eq!(cpt.last().unwrap().rate.percent(), None);
}

#[test]
fn a_spread_has_its_mean_and_its_median() {
    assert_eq!(Spread::of(vec![]), Spread::default());
    let odd = Spread::of(vec![9, 1, 5]);
    assert_eq!((odd.mean, odd.median), (Some(5.0), Some(5.0)));
    let even = Spread::of(vec![10, 1, 3, 2]);
    // Sorted 1, 2, 3, 10: mean 16 / 4 = 4.0, median (2 + 3) / 2 = 2.5.
    assert_eq!((even.mean, even.median), (Some(4.0), Some(2.5)));
    assert_eq!(even.display(), "4.0 mean · 2.5 median");
}

#[test]
fn rejection_and_clean_claim_rates_count_first_acknowledgments_only() {
    // Day 1: 8 claims first acknowledged, 2 rejected on it; day 2: 2 more, none rejected
    // first, but one earlier claim rejected again. 2/10 = 20 %, clean 8/10 = 80 %.
    let day = |acknowledged, rejected_first, rejections| AdjudicationDay {
        acknowledged,
        rejected_first,
        rejections,
        ..AdjudicationDay::default()
    };
    let days = [day(8, 2, 2), day(2, 0, 1)];
    let a = crate::domain::kpi::acknowledgments(days.iter());
    assert_eq!(a.claims, 10);
    assert_eq!(a.rejection_rate, Rate::new(2, 10));
    assert_eq!(a.clean_claim_rate, Rate::new(8, 10));
    assert_eq!(a.rejections, 3);
    let none = crate::domain::kpi::acknowledgments(std::iter::empty());
    assert_eq!(none.rejection_rate.display(), "n/a");
}
