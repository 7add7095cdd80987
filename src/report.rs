//! Non-interactive output: the KPI report (text, CSV, JSON) and the worklist export. Both
//! read the same engine the KPI pane uses.

use crate::domain::kpi::{Dimension, Kpis, AGING_BUCKETS};
use crate::domain::money::format_dollars;
use crate::domain::priority::priority;
use crate::domain::work_item::WorkItem;
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// The definitions, as printed by `report --help` and at the foot of the text report.
pub const DEFINITIONS: &str = "\
Definitions (period ends included; cohort = denials whose remittance date is in the period):
  initial denial rate  claims whose first adjudication carried a denial / claims first adjudicated
  appeal rate          cohort soft denials appealed / cohort soft denials
  overturn rate        appeals decided overturned or partially / appeals decided in the period
  recovered            payments received in the period after a denial (reversals subtract)
  recovery rate        cohort recovered $ to date / cohort denied $
  write-off            cohort denied $ written off / cohort denied $
  days to resolution   mean days from denial to paid, upheld or written off (resolved in period)
  aging, at risk       open denied $ today by days since denial; deadlines within 7/14 days
  root cause           cohort denied $ by dimension, share of total, change vs previous period
  n/a                  the denominator is zero
Payer denials only: patient-responsibility items (PR non-covered) count nowhere, and a
secondary or tertiary payer's adjudication is the claim's other coverage, not a first one.";

/// A one-page text summary.
pub fn text(k: &Kpis, by: &[Dimension], top: usize) -> String {
    let mut o = String::new();
    let days = k
        .average_days_to_resolution
        .map_or("n/a".to_string(), |d| format!("{d:.1}"));
    let _ = writeln!(
        o,
        "denialdesk KPI report · {} · as of {}",
        k.period, k.today
    );
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Claims first adjudicated  {:>8}   billed {}",
        k.first_adjudicated.count,
        format_dollars(k.first_adjudicated.cents)
    );
    let _ = writeln!(
        o,
        "Initial denial rate       {:>8}   by $ {}",
        k.initial_denial_rate.display(),
        k.initial_denial_rate_dollars.display()
    );
    let _ = writeln!(
        o,
        "Denials in period         {:>8}   denied {}",
        k.denied.count,
        format_dollars(k.denied.cents)
    );
    let _ = writeln!(
        o,
        "Appeal rate               {:>8}",
        k.appeal_rate.display()
    );
    let _ = writeln!(
        o,
        "Overturn rate             {:>8}   agreed on appeal {}",
        k.overturn_rate.display(),
        format_dollars(k.overturned_amount_cents)
    );
    let _ = writeln!(
        o,
        "Recovered in period       {:>8}   recovery rate {}",
        format_dollars(k.recovered_in_period_cents),
        k.recovery_rate.display()
    );
    let _ = writeln!(
        o,
        "Written off               {:>8}   write-off {}",
        format_dollars(k.written_off.cents),
        k.write_off_rate.display()
    );
    let _ = writeln!(
        o,
        "Days to resolution        {:>8}   ({} resolved)",
        days, k.resolved
    );
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Open denials {} ({}); follow-ups {} due today, {} overdue",
        k.open.count,
        format_dollars(k.open.cents),
        k.follow_ups_due_today,
        k.follow_ups_overdue
    );
    let _ = writeln!(
        o,
        "Deadlines within 7 days {} ({}), within 14 days {} ({}), missed {} ({})",
        k.at_risk_7.count,
        format_dollars(k.at_risk_7.cents),
        k.at_risk_14.count,
        format_dollars(k.at_risk_14.cents),
        k.missed.count,
        format_dollars(k.missed.cents)
    );
    let _ = write!(o, "Aging of open $:");
    for (n, (label, _, _)) in AGING_BUCKETS.iter().enumerate() {
        let _ = write!(o, "  {label} {}", format_dollars(k.aging[n].cents));
    }
    let _ = writeln!(o);
    for dim in by {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "Root cause by {}            denied  count  share   vs previous",
            dim.key()
        );
        for r in k.root_cause(*dim).iter().take(top) {
            let _ = writeln!(
                o,
                "  {:<30} {:>9} {:>6} {:>5.1}% {:>+11}",
                crate::text::escape(&r.value),
                format_dollars(r.denied_cents),
                r.count,
                r.share * 100.0,
                format_dollars(r.change_cents())
            );
        }
    }
    if !k.workload.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Workload        due today  overdue  touched in period");
        for w in &k.workload {
            let _ = writeln!(
                o,
                "  {:<14} {:>8} {:>8} {:>8}",
                crate::text::escape(&w.owner),
                w.follow_ups_due_today,
                w.follow_ups_overdue,
                w.touched_in_period
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
    let _ = writeln!(o, "{DEFINITIONS}");
    o
}

/// CSV in one tidy table: section, key, count, cents, percent, previous_count,
/// previous_cents — filterable in any spreadsheet.
pub fn csv(k: &Kpis, by: &[Dimension]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "section",
        "key",
        "count",
        "cents",
        "percent",
        "previous_count",
        "previous_cents",
    ])?;
    let pct = |p: Option<f64>| p.map_or(String::new(), |p| format!("{p:.1}"));
    let mut row = |section: &str,
                   key: &str,
                   count: String,
                   cents: String,
                   percent: String,
                   pc: String,
                   pcents: String| {
        w.write_record([section, key, &count, &cents, &percent, &pc, &pcents])
    };
    let rates = [
        ("initial_denial_rate", k.initial_denial_rate),
        ("initial_denial_rate_dollars", k.initial_denial_rate_dollars),
        ("appeal_rate", k.appeal_rate),
        ("overturn_rate", k.overturn_rate),
        ("recovery_rate", k.recovery_rate),
        ("write_off_rate", k.write_off_rate),
    ];
    for (name, r) in rates {
        row(
            "rate",
            name,
            r.numerator.to_string(),
            r.denominator.to_string(),
            pct(r.percent()),
            String::new(),
            String::new(),
        )?;
    }
    let tallies = [
        ("first_adjudicated", k.first_adjudicated),
        ("denied", k.denied),
        ("written_off", k.written_off),
        ("open", k.open),
        ("at_risk_7", k.at_risk_7),
        ("at_risk_14", k.at_risk_14),
        ("missed", k.missed),
    ];
    for (name, t) in tallies {
        row(
            "total",
            name,
            t.count.to_string(),
            t.cents.to_string(),
            String::new(),
            String::new(),
            String::new(),
        )?;
    }
    row(
        "total",
        "recovered_in_period",
        String::new(),
        k.recovered_in_period_cents.to_string(),
        String::new(),
        String::new(),
        String::new(),
    )?;
    let days = k
        .average_days_to_resolution
        .map_or(String::new(), |d| format!("{d:.2}"));
    row(
        "total",
        "average_days_to_resolution",
        k.resolved.to_string(),
        String::new(),
        days,
        String::new(),
        String::new(),
    )?;
    for (n, (label, _, _)) in AGING_BUCKETS.iter().enumerate() {
        row(
            "aging",
            label,
            k.aging[n].count.to_string(),
            k.aging[n].cents.to_string(),
            String::new(),
            String::new(),
            String::new(),
        )?;
    }
    for dim in by {
        for r in k.root_cause(*dim) {
            row(
                &format!("by_{}", dim.key()),
                &crate::text::escape(&r.value),
                r.count.to_string(),
                r.denied_cents.to_string(),
                format!("{:.1}", r.share * 100.0),
                r.previous_count.to_string(),
                r.previous_cents.to_string(),
            )?;
        }
    }
    for (n, t) in k.weekly.iter().enumerate() {
        row(
            "week",
            &(n + 1).to_string(),
            t.count.to_string(),
            t.cents.to_string(),
            String::new(),
            String::new(),
            String::new(),
        )?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The JSON report: the `Kpis` structure itself (field names documented in the README).
pub fn json(k: &Kpis) -> Value {
    let mut v = serde_json::to_value(k).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert("definitions".into(), Value::from(DEFINITIONS));
        let labels: Vec<&str> = AGING_BUCKETS.iter().map(|(l, _, _)| *l).collect();
        map.insert("aging_buckets".into(), json!(labels));
    }
    v
}

/// Every field of a work item, flat, for spreadsheets and BI tools.
pub fn export_row(i: &WorkItem, today: NaiveDate) -> Value {
    let p = priority(i, today);
    let last_appeal = i.appeals.last();
    json!({
        "claim_id": i.claim_id,
        "payer_claim_number": i.payer_claim_number,
        "payer": i.payer,
        "payer_id": i.payer_id,
        "filing_indicator": i.filing_indicator,
        "patient": i.patient_name,
        "member_id": i.member_id,
        "rendering_provider": i.rendering_provider,
        "facility": i.facility,
        "date_of_service": i.date_of_service,
        "billed_cents": i.billed_cents,
        "denied_cents": i.denied_cents,
        "recovered_cents": i.recovered_cents,
        "outstanding_cents": i.outstanding_cents(),
        "carcs": i.carcs.join(";"),
        "remarks": i.remarks.join(";"),
        "procedures": i.procedures.join(";"),
        "category": i.category,
        "hardness": i.hardness,
        "stage": i.stage,
        "status": i.status,
        "owner": i.owner,
        "follow_up": i.follow_up,
        "denied_on": i.denied_on,
        "times_denied": i.times_denied,
        "appeal_deadline": i.appeal_deadline.date,
        "deadline_is_default": i.appeal_deadline.source.is_default(),
        "appeals": i.appeals.len(),
        "last_appeal_level": last_appeal.map(|a| a.level),
        "last_appeal_outcome": last_appeal.and_then(|a| a.decision.as_ref()).map(|d| d.result.key()),
        "resolved_on": i.resolved_on,
        "write_off_reason": i.write_off_reason,
        "priority": p.score,
        "priority_explanation": p.explanation,
        "version": i.version,
        "updated_at": i.updated_at,
        "updated_by": i.updated_by,
    })
}

/// The export as CSV, one column per `export_row` field (alphabetical).
/// Text from outside made safe for a CSV that lands in a terminal or a spreadsheet:
/// control and bidirectional characters escaped, and a cell a spreadsheet would run as a
/// formula (`=`, `+`, `@` first) prefixed with `'`, as OWASP advises.
fn csv_text(s: &str) -> String {
    let safe = crate::text::escape(s);
    if safe.starts_with(['=', '+', '@']) {
        format!("'{safe}")
    } else {
        safe.into_owned()
    }
}

/// Every work item with every field, as CSV for a spreadsheet (text escaped, no cell starts a formula).
pub fn export_csv(items: &[WorkItem], today: NaiveDate) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header_written = false;
    for item in items {
        let Value::Object(map) = export_row(item, today) else {
            continue;
        };
        if !header_written {
            w.write_record(map.keys())?;
            header_written = true;
        }
        w.write_record(map.values().map(|v| match v {
            Value::Null => String::new(),
            Value::String(s) => csv_text(s),
            other => other.to_string(),
        }))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
