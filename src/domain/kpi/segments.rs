//! Denial rate by segment: how often claims of a payer, provider, facility or procedure
//! are denied, not only how much of the denied dollars they make up. Numerators are the
//! period's cohort of denials; denominators the claims (lines, for a procedure) first
//! adjudicated in the period, from the remittance counts.

use super::adjudication::AdjudicationDay;
use super::figures::Rate;
use super::root_cause::Dimension;
use crate::domain::denied_line::CLAIM_LEVEL;
use crate::domain::work_item::WorkItem;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One segment's denial rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentRate {
    /// The segment (a payer's name, a procedure code …).
    pub value: String,
    /// Denials in the period (denied lines, for a procedure) ÷ claims (lines) first
    /// adjudicated in the period.
    pub rate: Rate,
}

/// The procedure codes a denial denied, once per denied line: each line's code; for a
/// claim-level denial each procedure code of the claim once (the item keeps its codes,
/// not its lines).
pub fn denied_procedures(item: &WorkItem) -> Vec<&str> {
    let lines: Vec<&str> = item
        .denied_lines
        .iter()
        .map(|l| l.code.as_str())
        .filter(|c| *c != CLAIM_LEVEL)
        .collect();
    if lines.is_empty() {
        item.procedures.iter().map(String::as_str).collect()
    } else {
        lines
    }
}

/// The denominator of each segment of `dimension`; `None` for a dimension every claim
/// is out of (category, CARC, stage: a share of all claims first adjudicated).
fn adjudicated<'a>(
    dimension: Dimension,
    days: &[&'a AdjudicationDay],
) -> Option<BTreeMap<&'a str, u64>> {
    let mut out: BTreeMap<&str, u64> = BTreeMap::new();
    let mut add = |map: &'a BTreeMap<String, u64>| {
        for (k, v) in map {
            *out.entry(k.as_str()).or_default() += v;
        }
    };
    match dimension {
        Dimension::Payer => {
            // A day with no first adjudication (a 277CA's counts, under whoever sent it;
            // a secondary payer's payments) adds no segment of its own.
            for d in days.iter().filter(|d| d.claims > 0) {
                *out.entry(d.payer.as_str()).or_default() += d.claims;
            }
        }
        Dimension::Provider => days.iter().for_each(|d| add(&d.by_provider)),
        Dimension::Facility => days.iter().for_each(|d| add(&d.by_facility)),
        Dimension::Cpt => days.iter().for_each(|d| add(&d.lines_by_procedure)),
        Dimension::Category | Dimension::Carc | Dimension::Stage => return None,
    }
    Some(out)
}

/// Denied lines per procedure code in `cohort` (`denied_procedures`): the numerators of
/// the denial rate by CPT.
pub fn denied_lines_by_procedure<'a>(cohort: &[&'a WorkItem]) -> HashMap<&'a str, u64> {
    let mut out: HashMap<&str, u64> = HashMap::new();
    for item in cohort {
        for code in denied_procedures(item) {
            *out.entry(code).or_default() += 1;
        }
    }
    out
}

/// Every segment of `dimension` with denials (`denials`: value and count, from the
/// root-cause breakdown, or `denied_lines_by_procedure` by CPT) or adjudications in the
/// period, highest rate first (a zero denominator, "n/a", last).
pub fn segment_rates<'a>(
    dimension: Dimension,
    denials: impl IntoIterator<Item = (&'a str, u64)>,
    days: &[&'a AdjudicationDay],
) -> Vec<SegmentRate> {
    let denials: HashMap<&str, u64> = denials.into_iter().collect();
    let all_claims: i64 = days.iter().map(|d| d.claims as i64).sum();
    let denominators = adjudicated(dimension, days);
    let mut values: Vec<&str> = denials.keys().copied().collect();
    if let Some(map) = &denominators {
        values.extend(map.keys().copied().filter(|k| !denials.contains_key(k)));
    }
    let mut rows: Vec<SegmentRate> = values
        .into_iter()
        .map(|value| {
            let denominator = match &denominators {
                Some(map) => map.get(value).copied().unwrap_or(0) as i64,
                None => all_claims,
            };
            let numerator = denials.get(value).copied().unwrap_or(0) as i64;
            SegmentRate {
                value: value.to_string(),
                rate: Rate::new(numerator, denominator),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let key = |r: &SegmentRate| r.rate.percent().map_or(-1.0, |p| p);
        key(b)
            .total_cmp(&key(a))
            .then_with(|| b.rate.numerator.cmp(&a.rate.numerator))
            .then_with(|| a.value.cmp(&b.value))
    });
    rows
}
