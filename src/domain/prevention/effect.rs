//! Whether a fix worked: its cause's denial rate and denied dollars in equal periods
//! before and after the day it started, with the KPI engine's definitions (denials first
//! adjudicated in the period ÷ claims first adjudicated in it, scoped by the cause's
//! payer, provider, facility or procedure as the segment rates are); and which root
//! causes most need one.

use super::{PreventionItem, PreventionStatus};
use crate::domain::kpi::{denied_procedures, AdjudicationDay, Dimension, Rate, RootCauseRow};
use crate::domain::work_item::{ItemKind, WorkItem};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// Days since the start before a verdict is given.
pub const MIN_DAYS: i64 = 14;
/// Claims adjudicated in each period (within the cause's scope) before a verdict.
pub const MIN_CLAIMS: i64 = 30;

/// One period's figures for a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The first day.
    pub from: NaiveDate,
    /// The last day (included).
    pub to: NaiveDate,
    /// Payer denials of the cause first remitted in the period (denied lines when the
    /// cause names a procedure).
    pub denials: u64,
    /// Their denied dollars.
    pub denied_cents: i64,
    /// Denials ÷ claims (lines) first adjudicated in the period within the cause's
    /// payer, provider, facility or procedure.
    pub rate: Rate,
}

/// A fix's before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Effect {
    /// The period just before the start, as long as `after`.
    pub before: Window,
    /// From the start to today.
    pub after: Window,
}

impl Effect {
    /// The denial rate after against before: less, more or equal (`None` while either
    /// rate is undefined).
    pub fn trend(&self) -> Option<std::cmp::Ordering> {
        let (after, before) = (self.after.rate, self.before.rate);
        if after.denominator == 0 || before.denominator == 0 {
            return None;
        }
        // Compared as fractions, exactly: a/b against c/d is a·d against c·b.
        Some(
            (i128::from(after.numerator) * i128::from(before.denominator))
                .cmp(&(i128::from(before.numerator) * i128::from(after.denominator))),
        )
    }

    /// Enough behind both rates to say anything: at least `MIN_DAYS` since the start and
    /// `MIN_CLAIMS` adjudicated in each period.
    pub fn settled(&self) -> bool {
        let days = (self.after.to - self.after.from).num_days() + 1;
        days >= MIN_DAYS
            && self.before.rate.denominator >= MIN_CLAIMS
            && self.after.rate.denominator >= MIN_CLAIMS
    }

    /// "fewer denials per claim", "more denials per claim", "no change", or "too early
    /// to tell" (see `settled`).
    pub fn verdict(&self) -> &'static str {
        if !self.settled() {
            return "too early to tell";
        }
        match self.trend() {
            Some(std::cmp::Ordering::Less) => "fewer denials per claim",
            Some(std::cmp::Ordering::Greater) => "more denials per claim",
            Some(std::cmp::Ordering::Equal) => "no change",
            None => "too early to tell",
        }
    }
}

/// A denial's share of a cause: how many denials (denied lines, for a procedure) and
/// dollars it adds, if it is one of the cause's. A procedure's denials are its denied
/// lines with their own dollars (a denial of the whole claim counts for each of the
/// claim's procedures, its dollars stay at the claim level, as in the KPI breakdown by
/// CPT).
fn share(cause: &super::Cause, d: &WorkItem) -> Option<(u64, i64)> {
    if !cause.matches(d) {
        return None;
    }
    Some(match cause.value(Dimension::Cpt) {
        Some(code) => (
            denied_procedures(d)
                .iter()
                .filter(|c| c.eq_ignore_ascii_case(code))
                .count() as u64,
            d.denied_lines
                .iter()
                .filter(|l| l.code.eq_ignore_ascii_case(code))
                .map(|l| l.denied_cents)
                .sum::<i64>(),
        ),
        None => (1, d.denied_cents),
    })
}

/// Claims (lines, for a procedure) first adjudicated in `from..=to` within the cause's
/// payer, provider, facility or procedure.
fn adjudicated(
    cause: &super::Cause,
    days: &[AdjudicationDay],
    from: NaiveDate,
    to: NaiveDate,
) -> u64 {
    let sum = |map: &std::collections::BTreeMap<String, u64>, value: &str| -> u64 {
        map.iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(value))
            .map(|(_, v)| v)
            .sum()
    };
    days.iter()
        .filter(|d| d.date >= from && d.date <= to)
        .filter(|d| {
            cause
                .value(Dimension::Payer)
                .is_none_or(|p| d.payer.eq_ignore_ascii_case(p))
        })
        .map(|d| {
            if let Some(code) = cause.value(Dimension::Cpt) {
                sum(&d.lines_by_procedure, code)
            } else if let Some(p) = cause.value(Dimension::Provider) {
                sum(&d.by_provider, p)
            } else if let Some(f) = cause.value(Dimension::Facility) {
                sum(&d.by_facility, f)
            } else {
                d.claims
            }
        })
        .sum()
}

/// The item's effect on `today`: from its start to today against the same number of
/// days just before it. Only payer denials count (not patient responsibility,
/// rejections or underpayments).
pub fn effect(
    item: &PreventionItem,
    items: &[WorkItem],
    days: &[AdjudicationDay],
    today: NaiveDate,
) -> Effect {
    effects(std::slice::from_ref(item), items, days, today)
        .pop()
        .expect("one item, one effect")
}

/// Each prevention item's effect, in one pass over the work items (at a million claims
/// they do not fit in the cache: each is read once, in the order they are held, for
/// every item's periods at once).
pub fn effects(
    prevention: &[PreventionItem],
    items: &[WorkItem],
    days: &[AdjudicationDay],
    today: NaiveDate,
) -> Vec<Effect> {
    // Each item's two periods: the days from its start to today, and as many before.
    let periods: Vec<[(NaiveDate, NaiveDate); 2]> = prevention
        .iter()
        .map(|p| {
            let end = today.max(p.start);
            let length = (end - p.start).num_days() + 1;
            [
                (
                    p.start - Duration::days(length),
                    p.start - Duration::days(1),
                ),
                (p.start, end),
            ]
        })
        .collect();
    let mut tallies = vec![[(0u64, 0i64); 2]; prevention.len()];
    for d in items.iter().filter(|i| i.kind == ItemKind::Denial) {
        for ((p, windows), tally) in prevention.iter().zip(&periods).zip(tallies.iter_mut()) {
            for (w, (from, to)) in windows.iter().enumerate() {
                if d.denied_on < *from || d.denied_on > *to {
                    continue;
                }
                if let Some((n, cents)) = share(&p.cause, d) {
                    tally[w].0 += n;
                    tally[w].1 += cents;
                }
            }
        }
    }
    prevention
        .iter()
        .zip(&periods)
        .zip(&tallies)
        .map(|((p, windows), tally)| {
            let window = |w: usize| {
                let (from, to) = windows[w];
                let (count, cents) = tally[w];
                Window {
                    from,
                    to,
                    denials: count,
                    denied_cents: cents,
                    rate: Rate::new(count as i64, adjudicated(&p.cause, days, from, to) as i64),
                }
            };
            Effect {
                before: window(0),
                after: window(1),
            }
        })
        .collect()
}

/// What a root-cause row of the KPI pane says about fixing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// A prevention item (open or done) covers it: its id.
    Covered(u64),
    /// A prevention item covers part of it (its cause names this value and narrows it
    /// further: one payer's eligibility denials, on the eligibility row): its id, and the
    /// row's rank, as the rest of it is still to fix.
    Partly(u64, usize),
    /// Not covered: its rank among the rows to fix (1 most needs one).
    Rank(usize),
    /// Denials with nothing named (no provider, a denial of the whole claim): no cause
    /// to fix.
    None,
}

/// For each row of a breakdown by `dimension`: the prevention item that covers it (an
/// open or done item whose cause is this value), else its rank among the rows not
/// wholly covered, by denied dollars with repeat denials counted twice (a cause that
/// keeps coming back costs rework too), then by how often it was denied; with the item
/// that covers part of it, if one does.
pub fn rank_causes(
    rows: &[RootCauseRow],
    dimension: Dimension,
    prevention: &[PreventionItem],
) -> Vec<Fix> {
    let naming = |value: &str| -> Vec<&PreventionItem> {
        prevention
            .iter()
            .filter(|p| {
                p.status != PreventionStatus::Dropped
                    && p.cause
                        .value(dimension)
                        .is_some_and(|v| v.eq_ignore_ascii_case(value))
            })
            .collect()
    };
    let exact = |value: &str| {
        naming(value)
            .into_iter()
            .find(|p| p.cause.parts.len() == 1)
            .map(|p| p.id)
    };
    let weight = |r: &RootCauseRow| {
        let per_denial = r.denied_cents / (r.count.max(1) as i64);
        r.denied_cents + per_denial * r.repeats as i64
    };
    let mut open: Vec<usize> = (0..rows.len())
        .filter(|&n| !super::is_placeholder(&rows[n].value) && exact(&rows[n].value).is_none())
        .collect();
    open.sort_by(|&a, &b| {
        weight(&rows[b])
            .cmp(&weight(&rows[a]))
            .then(rows[b].count.cmp(&rows[a].count))
            .then(a.cmp(&b))
    });
    rows.iter()
        .enumerate()
        .map(|(n, r)| {
            if super::is_placeholder(&r.value) {
                return Fix::None;
            }
            if let Some(id) = exact(&r.value) {
                return Fix::Covered(id);
            }
            let rank = open.iter().position(|&u| u == n).unwrap_or(0) + 1;
            match naming(&r.value).first() {
                Some(p) => Fix::Partly(p.id, rank),
                None => Fix::Rank(rank),
            }
        })
        .collect()
}
