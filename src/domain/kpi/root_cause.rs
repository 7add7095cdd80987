//! Root-cause breakdowns: denied dollars and counts by payer, category, CARC, workflow
//! stage, rendering provider, facility and CPT, with each value's share and its change
//! against the previous period.

use crate::domain::denied_line::CLAIM_LEVEL;
use crate::domain::work_item::WorkItem;
use serde::Serialize;
use std::collections::HashMap;

/// What a breakdown groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    #[default]
    /// By payer.
    Payer,
    /// By denial category.
    Category,
    /// By CARC (group and code).
    Carc,
    /// By the workflow stage that caused it.
    Stage,
    /// By rendering provider.
    Provider,
    /// By facility.
    Facility,
    /// By procedure code.
    Cpt,
}

impl Dimension {
    /// Every dimension, in the order the pane cycles them.
    pub const ALL: [Dimension; 7] = [
        Dimension::Payer,
        Dimension::Category,
        Dimension::Carc,
        Dimension::Stage,
        Dimension::Provider,
        Dimension::Facility,
        Dimension::Cpt,
    ];

    /// The name as `--by` takes it.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Payer => "payer",
            Dimension::Category => "category",
            Dimension::Carc => "carc",
            Dimension::Stage => "stage",
            Dimension::Provider => "provider",
            Dimension::Facility => "facility",
            Dimension::Cpt => "cpt",
        }
    }

    /// The dimension a `--by` value names.
    pub fn parse(text: &str) -> Option<Dimension> {
        let t = text.trim().to_ascii_lowercase();
        Dimension::ALL.into_iter().find(|d| d.key() == t)
    }

    /// The values an item counts under. A claim denied with two CARCs counts under each,
    /// so that breakdown can add up to more than the total; by CPT each denied line
    /// counts under its own code with its own dollars (a claim-level denial under
    /// `CLAIM_LEVEL_CPT`), so CPT shares add up to exactly 100 %.
    pub fn values(self, item: &WorkItem) -> Vec<&str> {
        match self {
            Dimension::Payer => vec![item.payer.as_str()],
            Dimension::Category => vec![item.category.key()],
            Dimension::Carc => item.carcs.iter().map(|c| c.as_str()).collect(),
            Dimension::Stage => vec![item.stage.key()],
            Dimension::Provider => vec![item.rendering_provider.as_deref().unwrap_or("(none)")],
            Dimension::Facility => vec![item.facility.as_str()],
            Dimension::Cpt => cpt_parts(item).into_iter().map(|(v, _)| v).collect(),
        }
    }

    /// Whether an item counts under `value` (drill-down from a KPI row to the worklist).
    pub fn matches(self, item: &WorkItem, value: &str) -> bool {
        self.values(item).contains(&value)
    }
}

/// The CPT root-cause value of a claim-level denial (no line to name).
pub const CLAIM_LEVEL_CPT: &str = "(claim level)";

/// A denial's dollars by denied line's procedure code, lines of one code together.
fn cpt_parts(item: &WorkItem) -> Vec<(&str, i64)> {
    let mut parts: Vec<(&str, i64)> = Vec::new();
    for line in &item.denied_lines {
        let code = if line.code == CLAIM_LEVEL {
            CLAIM_LEVEL_CPT
        } else {
            line.code.as_str()
        };
        match parts.iter_mut().find(|(c, _)| *c == code) {
            Some((_, cents)) => *cents += line.denied_cents,
            None => parts.push((code, line.denied_cents)),
        }
    }
    if parts.is_empty() {
        parts.push((CLAIM_LEVEL_CPT, item.denied_cents));
    }
    parts
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RootCauseRow {
    /// The value (a payer's name, "CO-197" …).
    pub value: String,
    /// Denials in the period with it.
    pub count: u64,
    /// Their denied dollars.
    pub denied_cents: i64,
    /// Share of the period's denied dollars, 0–1.
    pub share: f64,
    /// Denials in the previous period of the same length.
    pub previous_count: u64,
    /// Their denied dollars.
    pub previous_cents: i64,
    /// Of the period's denials, those whose claim was denied again (a repeat denial:
    /// denied after a resubmission or an appeal).
    pub repeats: u64,
}

impl RootCauseRow {
    /// Denied dollars against the previous period (positive: more).
    pub fn change_cents(&self) -> i64 {
        self.denied_cents - self.previous_cents
    }
}

#[derive(Default, Clone, Copy)]
struct Acc {
    count: u64,
    cents: i64,
    prev_count: u64,
    prev_cents: i64,
    repeats: u64,
}

/// Accumulates one dimension without copying strings (this runs over every denial).
pub struct Breakdown<'a> {
    dimension: Dimension,
    acc: HashMap<&'a str, Acc>,
}

impl<'a> Breakdown<'a> {
    /// An empty breakdown.
    pub fn new(dimension: Dimension) -> Breakdown<'a> {
        Breakdown {
            dimension,
            acc: HashMap::new(),
        }
    }

    /// Counts one denial (in the previous period when `previous`).
    pub fn add(&mut self, item: &'a WorkItem, previous: bool) {
        let mut count = |v: &'a str, cents: i64| {
            let a = self.acc.entry(v).or_default();
            if previous {
                a.prev_count += 1;
                a.prev_cents += cents;
            } else {
                a.count += 1;
                a.cents += cents;
                a.repeats += u64::from(item.times_denied > 1);
            }
        };
        // One allocation-free path for the common dimensions: this runs over every denial
        // of two periods, seven times.
        match self.dimension {
            Dimension::Payer => count(&item.payer, item.denied_cents),
            Dimension::Category => count(item.category.key(), item.denied_cents),
            Dimension::Stage => count(item.stage.key(), item.denied_cents),
            Dimension::Facility => count(&item.facility, item.denied_cents),
            Dimension::Provider => count(
                item.rendering_provider.as_deref().unwrap_or("(none)"),
                item.denied_cents,
            ),
            Dimension::Carc => item.carcs.iter().for_each(|c| count(c, item.denied_cents)),
            Dimension::Cpt => cpt_parts(item)
                .into_iter()
                .for_each(|(v, cents)| count(v, cents)),
        }
    }

    /// The dimension it groups by.
    pub fn dimension(&self) -> Dimension {
        self.dimension
    }

    /// Denials in the period per value (the numerators of the denial rates by segment).
    pub fn counts(&self) -> impl Iterator<Item = (&'a str, u64)> + '_ {
        self.acc
            .iter()
            .filter(|(_, a)| a.count > 0)
            .map(|(v, a)| (*v, a.count))
    }

    /// Rows with denials in the period, largest dollars first.
    pub fn rows(self, total_cents: i64) -> (Dimension, Vec<RootCauseRow>) {
        let mut rows: Vec<RootCauseRow> = self
            .acc
            .into_iter()
            .filter(|(_, a)| a.count > 0)
            .map(|(value, a)| RootCauseRow {
                value: value.to_string(),
                count: a.count,
                denied_cents: a.cents,
                // Six decimals: plenty for a share, and exact through JSON and back.
                share: if total_cents > 0 {
                    (a.cents as f64 / total_cents as f64 * 1e6).round() / 1e6
                } else {
                    0.0
                },
                previous_count: a.prev_count,
                previous_cents: a.prev_cents,
                repeats: a.repeats,
            })
            .collect();
        rows.sort_by(|a, b| {
            b.denied_cents
                .cmp(&a.denied_cents)
                .then_with(|| a.value.cmp(&b.value))
        });
        (self.dimension, rows)
    }
}
