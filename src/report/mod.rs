//! Non-interactive output: the KPI report (text here, CSV in `kpi_csv`, JSON) and the
//! worklist export (`export`). Both read the same engine the KPI pane uses, and the
//! definitions printed with them are the engine's own (`kpi::definitions`).

mod export;
mod kpi_csv;

pub use export::{export_csv, export_row};
pub use kpi_csv::csv;

use crate::domain::kpi::{definitions, Dimension, Kpis, Tally, AGING_BUCKETS};
use crate::domain::money::format_dollars;
use crate::text::escape;
use serde_json::{json, Value};
use std::fmt::Write as _;

fn tally(t: Tally) -> String {
    format!("{} ({})", t.count, format_dollars(t.cents))
}

/// A one-page text summary, definitions at its foot.
pub fn text(k: &Kpis, by: &[Dimension], top: usize) -> String {
    let mut o = String::new();
    let i = &k.initial_denials;
    let _ = writeln!(
        o,
        "denialdesk KPI report · {} · as of {}\n",
        k.period, k.today
    );
    let mut line = |label: &str, value: String| {
        let _ = writeln!(o, "{label:<27}{value}");
    };
    line(
        "Claims first adjudicated",
        format!(
            "{} · gross charges {} · payments posted {}",
            k.first_adjudicated.count,
            format_dollars(k.first_adjudicated.cents),
            format_dollars(k.payments_posted_cents)
        ),
    );
    line(
        "Initial denial rate",
        format!(
            "{} (full {}, partial {})",
            i.all.display(),
            i.full.display(),
            i.partial.display()
        ),
    );
    line(
        "  by gross charges",
        format!(
            "{} (full {}, partial {})",
            i.all_dollars.display(),
            i.full_dollars.display(),
            i.partial_dollars.display()
        ),
    );
    line("Primary denial rate", k.primary_denial_rate.display());
    line(
        "Rejections (277CA)",
        format!(
            "{} rejection rate ({} of {} claims rejected on their first answer), clean-claim {} · {} rejections in all (a claim rejected again counts again) · open {} ({} billed)",
            k.acknowledgments.rejection_rate.display(),
            k.acknowledgments.rejection_rate.numerator,
            k.acknowledgments.claims,
            k.acknowledgments.clean_claim_rate.display(),
            k.acknowledgments.rejections,
            k.open_rejections.count,
            format_dollars(k.open_rejections.cents)
        ),
    );
    let u = &k.underpayments;
    line(
        "Underpayments",
        format!(
            "{} found · variance {} · {} recovered ({} paid in period) · open {} ({})",
            u.found.count,
            format_dollars(u.found.cents),
            u.variance_recovery_rate.display(),
            format_dollars(u.recovered_in_period_cents),
            u.open.count,
            format_dollars(u.open.cents)
        ),
    );
    for p in u.by_payer.iter().take(5) {
        line(
            &format!("  {}", escape(&p.payer)),
            format!(
                "{} found, variance {} · paid {} · open {} ({})",
                p.found.count,
                format_dollars(p.found.cents),
                format_dollars(p.recovered_cents),
                p.open.count,
                format_dollars(p.open.cents)
            ),
        );
    }
    line(
        "Denials in period",
        format!(
            "{} · denied {}",
            k.denied.count,
            format_dollars(k.denied.cents)
        ),
    );
    line("Appeal rate", k.appeal_rate.display());
    line(
        "Overturn rate",
        format!(
            "{} · appeal win rate {} (agreed on appeal {})",
            k.overturn_rate.display(),
            k.appeal_win_rate.display(),
            format_dollars(k.overturned_amount_cents)
        ),
    );
    line(
        "Recovered in period",
        format!(
            "{} · recovery rate {}",
            format_dollars(k.recovered_in_period_cents),
            k.recovery_rate.display()
        ),
    );
    line(
        "Denial write-offs",
        format!(
            "{} in period = {} of payments posted · cohort write-off {} ({})",
            format_dollars(k.written_off_in_period.cents),
            k.write_offs_to_payments.display(),
            k.write_off_rate.display(),
            format_dollars(k.written_off.cents)
        ),
    );
    line(
        "Days to appeal",
        format!(
            "{} ({} appeals)",
            k.days_to_appeal.display(),
            k.days_to_appeal.count
        ),
    );
    line(
        "Days to resolution",
        format!(
            "{} ({} resolved)",
            k.days_to_resolution.display(),
            k.days_to_resolution.count
        ),
    );
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Open denials {}; follow-ups {} due today, {} overdue",
        tally(k.open),
        k.follow_ups_due_today,
        k.follow_ups_overdue
    );
    let _ = writeln!(
        o,
        "Deadlines within 7 days {}, within 14 days {}, missed {}",
        tally(k.at_risk_7),
        tally(k.at_risk_14),
        tally(k.missed)
    );
    for (title, buckets) in [
        ("Denial age of open $", &k.aging),
        ("A/R age (from service)", &k.ar_aging),
    ] {
        let _ = write!(o, "{:<24}", format!("{title}:"));
        for (n, (label, _, _)) in AGING_BUCKETS.iter().enumerate() {
            let _ = write!(o, "  {label} {}", format_dollars(buckets[n].cents));
        }
        let _ = writeln!(o);
    }
    for dim in by {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "Root cause by {:<17} denied  count  share   vs previous",
            dim.key()
        );
        for r in k.root_cause(*dim).iter().take(top) {
            let _ = writeln!(
                o,
                "  {:<30} {:>9} {:>6} {:>5.1}% {:>+11}",
                escape(&r.value),
                format_dollars(r.denied_cents),
                r.count,
                r.share * 100.0,
                format_dollars(r.change_cents())
            );
        }
        let _ = writeln!(
            o,
            "Denial rate by {:<16} denials  adjudicated    rate",
            dim.key()
        );
        for s in k.segment(*dim).iter().take(top) {
            let _ = writeln!(
                o,
                "  {:<30} {:>7} {:>12} {:>7}",
                escape(&s.value),
                s.rate.numerator,
                s.rate.denominator,
                s.rate.display()
            );
        }
    }
    if !k.workload.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "Productivity    touched  calls  resolved   recovered  due today  overdue"
        );
        for w in &k.workload {
            let _ = writeln!(
                o,
                "  {:<14} {:>6} {:>6} {:>9} {:>11} {:>10} {:>8}",
                escape(&w.owner),
                w.touched_in_period,
                w.calls_in_period,
                w.resolved_in_period,
                format_dollars(w.recovered_in_period_cents),
                w.follow_ups_due_today,
                w.follow_ups_overdue
            );
        }
    }
    let _ = writeln!(o);
    let weeks: Vec<String> = k.weekly.iter().map(|t| t.count.to_string()).collect();
    let _ = writeln!(
        o,
        "Denials per week (12, oldest first): {}",
        weeks.join(" ")
    );
    let _ = writeln!(o);
    let _ = write!(o, "{}", definitions::text());
    o
}

/// The JSON report: the `Kpis` structure itself (fields documented in the README), with
/// the aging buckets' labels and every definition.
pub fn json(k: &Kpis) -> Value {
    let mut v = serde_json::to_value(k).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        let defs: Vec<Value> = definitions::DEFINITIONS
            .iter()
            .map(|d| {
                json!({"key": d.key, "name": d.name, "formula": d.formula,
                       "source": d.source, "differs": d.differs})
            })
            .collect();
        map.insert("definitions".into(), Value::from(defs));
        let labels: Vec<&str> = AGING_BUCKETS.iter().map(|(l, _, _)| *l).collect();
        map.insert("aging_buckets".into(), json!(labels));
    }
    v
}
