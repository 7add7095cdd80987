//! The KPI report as CSV: one tidy table (`section,key,count,cents,percent,previous_count,
//! previous_cents`), filterable in any spreadsheet. A rate puts its numerator in `count`
//! and its denominator in `cents`; a spread its count, and its mean and median in
//! `percent` and `previous_count`, as labelled by `key`.

use crate::domain::kpi::{Dimension, Kpis, Rate, Tally, AGING_BUCKETS};
use crate::text::escape;

struct Table(csv::Writer<Vec<u8>>);

impl Table {
    fn row(&mut self, cells: [&str; 7]) -> Result<(), csv::Error> {
        self.0.write_record(cells)
    }

    fn rate(&mut self, key: &str, r: Rate) -> Result<(), csv::Error> {
        let pct = r.percent().map_or(String::new(), |p| format!("{p:.1}"));
        self.row([
            "rate",
            key,
            &r.numerator.to_string(),
            &r.denominator.to_string(),
            &pct,
            "",
            "",
        ])
    }

    fn tally(&mut self, section: &str, key: &str, t: Tally) -> Result<(), csv::Error> {
        self.row([
            section,
            key,
            &t.count.to_string(),
            &t.cents.to_string(),
            "",
            "",
            "",
        ])
    }
}

/// The whole report as CSV; root causes and segment rates for the `by` dimensions.
pub fn csv(k: &Kpis, by: &[Dimension]) -> Result<String, csv::Error> {
    let mut t = Table(csv::Writer::from_writer(Vec::new()));
    t.row([
        "section",
        "key",
        "count",
        "cents",
        "percent",
        "previous_count",
        "previous_cents",
    ])?;
    let i = &k.initial_denials;
    for (key, r) in [
        ("initial_denial_rate", i.all),
        ("initial_denial_rate_full", i.full),
        ("initial_denial_rate_partial", i.partial),
        ("initial_denial_rate_dollars", i.all_dollars),
        ("initial_denial_rate_dollars_full", i.full_dollars),
        ("initial_denial_rate_dollars_partial", i.partial_dollars),
        ("primary_denial_rate", k.primary_denial_rate),
        ("rejection_rate", k.acknowledgments.rejection_rate),
        ("clean_claim_rate", k.acknowledgments.clean_claim_rate),
        (
            "underpaid_variance_recovery_rate",
            k.underpayments.variance_recovery_rate,
        ),
        ("appeal_rate", k.appeal_rate),
        ("overturn_rate", k.overturn_rate),
        ("appeal_win_rate", k.appeal_win_rate),
        ("recovery_rate", k.recovery_rate),
        ("write_off_rate", k.write_off_rate),
        ("write_offs_to_payments", k.write_offs_to_payments),
    ] {
        t.rate(key, r)?;
    }
    for (key, v) in [
        ("first_adjudicated", k.first_adjudicated),
        ("denied", k.denied),
        ("written_off", k.written_off),
        ("written_off_in_period", k.written_off_in_period),
        ("open", k.open),
        ("open_rejections", k.open_rejections),
        ("underpayments_found", k.underpayments.found),
        ("underpayments_open", k.underpayments.open),
        ("at_risk_7", k.at_risk_7),
        ("at_risk_14", k.at_risk_14),
        ("missed", k.missed),
    ] {
        t.tally("total", key, v)?;
    }
    for (key, cents) in [
        ("recovered_in_period", k.recovered_in_period_cents),
        (
            "underpaid_recovered_in_period",
            k.underpayments.recovered_in_period_cents,
        ),
        ("payments_posted", k.payments_posted_cents),
        ("overturned_amount", k.overturned_amount_cents),
    ] {
        t.row(["total", key, "", &cents.to_string(), "", "", ""])?;
    }
    for (key, s) in [
        ("days_to_appeal", k.days_to_appeal),
        ("days_to_resolution", k.days_to_resolution),
    ] {
        let f = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.2}"));
        t.row([
            "days",
            &format!("{key} (count, mean, median)"),
            &s.count.to_string(),
            "",
            &f(s.mean),
            &f(s.median),
            "",
        ])?;
    }
    for (section, buckets) in [("aging", &k.aging), ("ar_aging", &k.ar_aging)] {
        for (n, (label, _, _)) in AGING_BUCKETS.iter().enumerate() {
            t.tally(section, label, buckets[n])?;
        }
    }
    for dim in by {
        for r in k.root_cause(*dim) {
            t.row([
                &format!("by_{}", dim.key()),
                &escape(&r.value),
                &r.count.to_string(),
                &r.denied_cents.to_string(),
                &format!("{:.1}", r.share * 100.0),
                &r.previous_count.to_string(),
                &r.previous_cents.to_string(),
            ])?;
        }
        for s in k.segment(*dim) {
            let pct = s
                .rate
                .percent()
                .map_or(String::new(), |p| format!("{p:.1}"));
            t.row([
                &format!("rate_by_{}", dim.key()),
                &escape(&s.value),
                &s.rate.numerator.to_string(),
                &s.rate.denominator.to_string(),
                &pct,
                "",
                "",
            ])?;
        }
    }
    for w in &k.workload {
        let owner = escape(&w.owner);
        for (what, n) in [
            ("touched", w.touched_in_period as i64),
            ("calls", w.calls_in_period as i64),
            ("resolved", w.resolved_in_period as i64),
            ("follow_ups_due_today", w.follow_ups_due_today as i64),
            ("follow_ups_overdue", w.follow_ups_overdue as i64),
        ] {
            t.row([
                &format!("person_{what}"),
                &owner,
                &n.to_string(),
                "",
                "",
                "",
                "",
            ])?;
        }
        t.row([
            "person_recovered",
            &owner,
            "",
            &w.recovered_in_period_cents.to_string(),
            "",
            "",
            "",
        ])?;
    }
    for (n, week) in k.weekly.iter().enumerate() {
        t.tally("week", &(n + 1).to_string(), *week)?;
    }
    let bytes = t.0.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
