//! Causes parsed and matched, items checked and saved, and a fix's effect computed by
//! hand: equal periods before and after its start, the KPI engine's denominators.

use super::*;
use crate::domain::kpi::{AdjudicationDay, RootCauseRow};
use crate::domain::taxonomy::Category;
use crate::domain::test_support::{set_denied, work_item};
use crate::domain::work_item::ItemKind;
use chrono::Duration;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A payer denial of `category` by `payer`, first remitted on `on`, for `cents`.
fn denial(id: &str, payer: &str, category: Category, on: &str, cents: i64) -> WorkItem {
    let mut item = work_item(id);
    item.payer = payer.into();
    item.category = category;
    item.denied_on = d(on);
    set_denied(&mut item, cents);
    item
}

fn day(on: &str, payer: &str, claims: u64) -> AdjudicationDay {
    let mut day = AdjudicationDay::new(d(on), payer);
    day.claims = claims;
    day
}

fn fix(cause: &str, start: &str) -> PreventionItem {
    let start = d(start);
    PreventionItem::new(
        Cause::parse(cause).unwrap(),
        "verify eligibility at check-in",
        "maria",
        start + Duration::days(30),
        start,
        "lee",
    )
    .unwrap()
}

#[test]
fn causes_are_parsed_checked_and_matched_whatever_the_case() {
    let c = Cause::parse(" payer=AETNA , category=Eligibility,carc=co-27").unwrap();
    assert_eq!(c.to_string(), "payer=AETNA,category=eligibility,carc=CO-27");
    let mut item = denial("C1", "Aetna", Category::Eligibility, "2026-11-02", 100);
    item.carcs = vec!["CO-27".into()];
    assert!(c.matches(&item));
    item.carcs = vec!["CO-16".into()];
    assert!(!c.matches(&item));
    for (bad, says) in [
        ("", "name the cause"),
        ("payer", "write DIMENSION=VALUE"),
        (
            "color=red",
            "\"color\" is not a root cause; use payer, category",
        ),
        ("category=cardiology", "not a denial category"),
        ("payer=A,payer=B", "payer is given twice"),
        ("payer=", "give a plain value"),
    ] {
        let e = Cause::parse(bad).unwrap_err();
        assert!(e.contains(says), "{bad}: {e}");
    }
}

#[test]
fn an_item_needs_an_owner_an_action_and_a_due_date_ahead() {
    let cause = Cause::parse("category=coding").unwrap();
    let today = d("2026-12-02");
    let new = |action: &str, owner: &str, due: &str| {
        PreventionItem::new(cause.clone(), action, owner, d(due), today, "lee")
    };
    assert!(new("coding class", "maria", "2026-12-30").is_ok());
    assert!(new("", "maria", "2026-12-30")
        .unwrap_err()
        .contains("action: say what will be done"));
    assert!(new("x", "ma ria", "2026-12-30")
        .unwrap_err()
        .contains("not a user name"));
    assert!(new("x", "maria", "2026-12-01")
        .unwrap_err()
        .contains("in the past"));
    let mut dropped = new("coding class", "maria", "2026-12-30").unwrap();
    dropped.status = PreventionStatus::Dropped;
    assert_eq!(dropped.check().unwrap_err(), "note: say why it was dropped");
    dropped.note = "coder left".into();
    assert!(dropped.check().is_ok());
    assert!(new("a\u{1b}[2Jb", "maria", "2026-12-30")
        .unwrap_err()
        .contains("plain text"));
    let item = new("coding class", "maria", "2026-12-30").unwrap();
    assert!(!item.overdue(d("2026-12-30")));
    assert!(item.overdue(d("2026-12-31")));
}

#[test]
fn saving_numbers_new_items_and_refuses_a_stale_or_recaused_one() {
    let mut stored = Vec::new();
    let (before, one) = place(&mut stored, &fix("category=coding", "2026-11-01")).unwrap();
    assert!(before.is_none());
    assert_eq!((one.id, one.version), (1, 1));
    let (_, two) = place(&mut stored, &fix("payer=AETNA", "2026-11-01")).unwrap();
    assert_eq!(two.id, 2);
    let mut done = one.clone();
    done.status = PreventionStatus::Done;
    let (before, saved) = place(&mut stored, &done).unwrap();
    assert_eq!(before.unwrap().status, PreventionStatus::Open);
    assert_eq!(saved.version, 2);
    // Saved from the version read before: someone else's save would be lost.
    assert!(place(&mut stored, &done)
        .unwrap_err()
        .contains("changed since you read it"));
    let mut recaused = saved.clone();
    recaused.cause = Cause::parse("category=bundling").unwrap();
    assert!(place(&mut stored, &recaused)
        .unwrap_err()
        .contains("open a new one"));
}

/// Started 2026-11-11, seen 2026-11-20: ten days after (11-11..11-20) against the ten
/// before (11-01..11-10).
///
/// Before: AETNA eligibility denials on 11-02 ($100) and 11-09 ($300) → 2 denials,
/// $400; AETNA adjudicated 20 (11-02) + 30 (11-09) = 50 claims → 4.0 %.
/// After: one on 11-15 ($50) → 1 denial, $50; AETNA adjudicated 40 (11-15) → 2.5 %.
/// Not counted: another payer's, another category's, the day before the before period,
/// a patient-responsibility item, and a denial after today.
#[test]
fn the_effect_is_hand_computable() {
    let item = fix("payer=aetna,category=eligibility", "2026-11-11");
    let mut pr = denial("PR1", "AETNA", Category::Eligibility, "2026-11-12", 999);
    pr.kind = ItemKind::PatientResponsibility;
    let denials = vec![
        denial("A1", "AETNA", Category::Eligibility, "2026-11-02", 100),
        denial("A2", "AETNA", Category::Eligibility, "2026-11-09", 300),
        denial("A3", "AETNA", Category::Eligibility, "2026-11-15", 50),
        denial("X1", "CIGNA", Category::Eligibility, "2026-11-15", 700),
        denial("X2", "AETNA", Category::Coding, "2026-11-15", 800),
        denial("X3", "AETNA", Category::Eligibility, "2026-10-31", 900),
        denial("X4", "AETNA", Category::Eligibility, "2026-11-21", 600),
        pr,
    ];
    let days = vec![
        day("2026-10-31", "AETNA", 99),
        day("2026-11-02", "AETNA", 20),
        day("2026-11-09", "AETNA", 30),
        day("2026-11-09", "CIGNA", 70),
        day("2026-11-15", "AETNA", 40),
        day("2026-11-21", "AETNA", 99),
    ];
    let e = effect(&item, &denials, &days, d("2026-11-20"));
    assert_eq!(
        (e.before.from, e.before.to),
        (d("2026-11-01"), d("2026-11-10"))
    );
    assert_eq!(
        (e.after.from, e.after.to),
        (d("2026-11-11"), d("2026-11-20"))
    );
    assert_eq!((e.before.denials, e.before.denied_cents), (2, 400));
    assert_eq!(
        (e.before.rate.numerator, e.before.rate.denominator),
        (2, 50)
    );
    assert_eq!(e.before.rate.display(), "4.0%");
    assert_eq!((e.after.denials, e.after.denied_cents), (1, 50));
    assert_eq!((e.after.rate.numerator, e.after.rate.denominator), (1, 40));
    assert_eq!(e.after.rate.display(), "2.5%");
    assert_eq!(e.trend(), Some(std::cmp::Ordering::Less));
    // Ten days in: too early to tell.
    assert!(!e.settled());
    assert_eq!(e.verdict(), "too early to tell");

    // A cause without a payer is counted out of every claim adjudicated.
    let all = fix("category=eligibility", "2026-11-11");
    let e = effect(&all, &denials, &days, d("2026-11-20"));
    assert_eq!(
        (e.before.rate.numerator, e.before.rate.denominator),
        (2, 120)
    );
    assert_eq!((e.after.rate.numerator, e.after.rate.denominator), (2, 40));
    assert_eq!(e.trend(), Some(std::cmp::Ordering::Greater));

    // Seen 2026-11-24, fourteen days in: 11-11..11-24 against 10-28..11-10.
    // Before: A1 $100, A2 $300 and X3 (10-31) $900 → 3, $1,300, out of 99 + 20 + 30 = 149.
    // After: A3 $50 and X4 (11-21) $600 → 2, $650, out of 40 + 99 = 139.
    let e = effect(&item, &denials, &days, d("2026-11-24"));
    assert_eq!(
        (e.before.from, e.after.to),
        (d("2026-10-28"), d("2026-11-24"))
    );
    assert_eq!((e.before.denials, e.before.denied_cents), (3, 1_300));
    assert_eq!(
        (e.before.rate.numerator, e.before.rate.denominator),
        (3, 149)
    );
    assert_eq!((e.after.denials, e.after.denied_cents), (2, 650));
    assert_eq!((e.after.rate.numerator, e.after.rate.denominator), (2, 139));
    assert!(e.settled());
    assert_eq!(e.verdict(), "fewer denials per claim");
}

fn row(value: &str, cents: i64, count: u64, repeats: u64) -> RootCauseRow {
    RootCauseRow {
        value: value.into(),
        count,
        denied_cents: cents,
        share: 0.0,
        previous_count: 0,
        previous_cents: 0,
        repeats,
    }
}

#[test]
fn root_causes_with_a_fix_are_marked_and_the_rest_ranked_with_repeats_counted_twice() {
    let rows = [
        row("coding", 10_000, 10, 0),
        row("eligibility", 9_000, 9, 3),
        row("authorization", 5_000, 5, 0),
        row("bundling", 4_000, 4, 0),
    ];
    let mut fixes = vec![fix("category=authorization", "2026-11-01")];
    fixes[0].id = 7;
    let mut dropped = fix("category=bundling", "2026-11-01");
    dropped.id = 8;
    dropped.status = PreventionStatus::Dropped;
    fixes.push(dropped);
    let ranks = rank_causes(&rows, Dimension::Category, &fixes);
    // Eligibility: $9,000 + 3 repeats × $1,000 = $12,000 outranks coding's $10,000.
    assert_eq!(
        ranks,
        [Fix::Rank(2), Fix::Rank(1), Fix::Covered(7), Fix::Rank(3)]
    );
    // One payer's coding denials: the coding row is covered in part.
    let mut aetna = fix("payer=AETNA,category=coding", "2026-11-01");
    aetna.id = 9;
    fixes.push(aetna);
    let ranks = rank_causes(&rows, Dimension::Category, &fixes);
    assert_eq!(
        ranks,
        [
            Fix::Partly(9, 2),
            Fix::Rank(1),
            Fix::Covered(7),
            Fix::Rank(3)
        ]
    );
    // Denials with no provider named are no cause to fix.
    let none = [
        row("(none)", 20_000, 20, 0),
        row("DUBOIS, CLAIRE", 1_000, 1, 0),
    ];
    assert_eq!(
        rank_causes(&none, Dimension::Provider, &[]),
        [Fix::None, Fix::Rank(1)]
    );
}

#[test]
fn a_providers_comma_stays_in_its_value_and_placeholders_are_no_cause() {
    let c = Cause::parse("provider=DUBOIS, CLAIRE,payer=AETNA").unwrap();
    assert_eq!(c.value(Dimension::Provider), Some("DUBOIS, CLAIRE"));
    assert_eq!(c.value(Dimension::Payer), Some("AETNA"));
    assert_eq!(c.to_string(), "provider=DUBOIS, CLAIRE,payer=AETNA");
    assert!(Cause::parse("provider=(none)")
        .unwrap_err()
        .contains("no cause to fix"));
    assert!(Cause::parse("cpt=(claim level)")
        .unwrap_err()
        .contains("no cause to fix"));
}

#[test]
fn a_cause_is_spelled_as_the_remittances_spell_it_or_refused() {
    let items = vec![
        denial("A1", "AETNA", Category::Eligibility, "2026-11-02", 100),
        denial("C1", "CIGNA", Category::Coding, "2026-11-02", 100),
    ];
    let mut c = Cause::parse("payer=aetna,category=eligibility").unwrap();
    c.resolve(&items).unwrap();
    assert_eq!(c.to_string(), "payer=AETNA,category=eligibility");
    let e = Cause::parse("payer=NOPE")
        .unwrap()
        .resolve(&items)
        .unwrap_err();
    assert_eq!(
        e,
        "no denial on record has payer=NOPE; known values: AETNA, CIGNA"
    );
    let e = Cause::parse("payer=aetna,category=coding")
        .unwrap()
        .resolve(&items)
        .unwrap_err();
    assert!(e.contains("never together"), "{e}");
}

/// A procedure's denials are its denied lines with their own dollars; a denial of the
/// whole claim counts once for each of its procedures (the KPI rate by CPT), its dollars
/// staying at the claim level.
#[test]
fn a_procedure_cause_counts_lines_as_the_kpi_rate_by_cpt_does() {
    use crate::domain::work_item::DeniedLine;
    let mut lines = denial("L1", "AETNA", Category::Coding, "2026-11-15", 0);
    lines.denied_lines = vec![
        DeniedLine::new("1", "80053", 6_000),
        DeniedLine::new("2", "99214", 20_000),
    ];
    lines.procedures = vec!["80053".into(), "99214".into()];
    let mut whole = denial("W1", "AETNA", Category::Coding, "2026-11-15", 50_000);
    whole.procedures = vec!["80053".into()];
    let mut day = day("2026-11-15", "AETNA", 2);
    day.lines_by_procedure.insert("80053".into(), 10);
    let item = fix("cpt=80053", "2026-11-11");
    let e = effect(&item, &[lines, whole], &[day], d("2026-11-20"));
    assert_eq!((e.after.denials, e.after.denied_cents), (2, 6_000));
    assert_eq!((e.after.rate.numerator, e.after.rate.denominator), (2, 10));
}
