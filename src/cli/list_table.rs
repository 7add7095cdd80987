//! `denialdesk list` as a table: the columns a saved view chooses (all by default), in its
//! order. Claim ids, amounts and statuses are printed whole (their column is as wide as
//! the widest); names are abbreviated with "…", never cut silently.

use crate::domain::money::{format_cents, format_dollars};
use crate::domain::row_order::SortKey;
use crate::domain::saved_view::ListColumn;
use crate::domain::work_item::{Clock, RowFields};
use crate::domain::worklist::Row;
use crate::text::escape as esc;
use crate::ui::mask::cut;
use chrono::NaiveDate;
use std::collections::HashMap;

/// The CLI's default columns: the screen's, less category and date of service.
pub fn default_columns() -> Vec<ListColumn> {
    ListColumn::ALL
        .into_iter()
        .filter(|c| !matches!(c, ListColumn::Category | ListColumn::Dos))
        .collect()
}

/// A column's header, whether it is right-aligned, and the widest an abbreviable value
/// may be (`None`: printed whole, the column as wide as the widest value).
fn spec(c: ListColumn) -> (&'static str, bool, Option<usize>) {
    match c {
        ListColumn::Pri => ("PRI", true, None),
        ListColumn::Claim => ("CLAIM", false, None),
        ListColumn::Patient => ("PATIENT", false, Some(18)),
        ListColumn::Payer => ("PAYER", false, Some(14)),
        ListColumn::Owed => ("OWED", true, None),
        ListColumn::Carc => ("CARC", false, Some(14)),
        ListColumn::Status => ("STATUS", false, None),
        ListColumn::Category => ("CATEGORY", false, Some(14)),
        ListColumn::Owner => ("OWNER", false, Some(8)),
        ListColumn::Dos => ("DOS", false, None),
        ListColumn::FollowUp => ("FOLLOW-UP", true, None),
        ListColumn::Due => ("DEADLINE", true, None),
    }
}

/// One cell's text, whole (abbreviated later if its column allows).
fn cell(c: ListColumn, row: &Row, shared: &HashMap<String, usize>, today: NaiveDate) -> String {
    let i = &row.item;
    match c {
        ListColumn::Pri => row.priority.score.to_string(),
        ListColumn::Claim => match shared.get(i.key.as_str()) {
            Some(n) => format!("{}@{n}", esc(&i.claim_id)),
            None => esc(&i.claim_id).into_owned(),
        },
        ListColumn::Patient => esc(&i.patient_name).into_owned(),
        ListColumn::Payer => esc(&i.payer).into_owned(),
        ListColumn::Owed => format_cents(i.outstanding_cents()),
        ListColumn::Carc => esc(&i.carcs.join(",")).into_owned(),
        ListColumn::Status => i.status_label().into_owned(),
        ListColumn::Category => i.category.label().to_string(),
        ListColumn::Owner => esc(i.owner.as_deref().unwrap_or("-")).into_owned(),
        ListColumn::Dos => i.date_of_service.map_or("-".into(), |d| d.to_string()),
        ListColumn::FollowUp => match i.follow_up {
            Some(d) if d <= today => format!("{}!", d.format("%m-%d")),
            Some(d) => d.format("%m-%d").to_string(),
            None => "-".to_string(),
        },
        ListColumn::Due => deadline(row, today),
    }
}

/// Days to the deadline with a marker, not only a number: "!" within 7 days, "x" passed,
/// "R" resubmit by (no appeal rights), "*" default window; as in the worklist, "P" once
/// appealed in time (the payer has it), "-" resolved.
fn deadline(row: &Row, today: NaiveDate) -> String {
    let i = &row.item;
    let mut deadline = String::new();
    if let Clock::Deadline { days } = i.clock(today) {
        deadline = format!("{days}d");
        if days < 0 {
            deadline.push('x');
        } else if days <= 7 {
            deadline.push('!');
        }
        if i.appeal_deadline.source.is_resubmission() {
            deadline.push('R');
        }
        if i.appeal_deadline.source.is_default() {
            deadline.push('*');
        }
    } else if i.clock(today) == Clock::WithPayer {
        deadline.push('P');
    } else {
        deadline.push('-');
    }
    deadline
}

/// What the table is about: all the rows that matched (before `--limit`), how many are
/// parked, what they are called, and their outstanding total.
pub struct Totals<'a> {
    /// Rows that matched.
    pub total: usize,
    /// Of them, parked until a future follow-up.
    pub parked: usize,
    /// "denials", "work items" …
    pub noun: &'a str,
    /// Outstanding cents of all that matched.
    pub cents: i64,
}

/// Prints the rows as a table of `columns`.
pub fn print_table(
    rows: &[Row],
    shared: &HashMap<String, usize>,
    totals: Totals,
    (sort, view): (SortKey, Option<&str>),
    columns: &[ListColumn],
    today: NaiveDate,
) {
    let Totals {
        total,
        parked,
        noun,
        cents,
    } = totals;
    let counted = if parked > 0 {
        format!(
            "{total} {noun} ({} workable, {parked} parked until their follow-up)",
            total - parked
        )
    } else {
        format!("{total} {noun}")
    };
    let view = view.map_or(String::new(), |v| format!("view {v} · "));
    println!(
        "{view}{counted} · {} outstanding · sorted by {} · today {today}",
        format_dollars(cents),
        sort.key()
    );
    if rows.is_empty() {
        println!("(nothing matches)");
        return;
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|&c| {
                    let text = cell(c, r, shared, today);
                    match spec(c).2 {
                        Some(max) => cut(&text, max),
                        None => text,
                    }
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            cells
                .iter()
                .map(|r| r[k].chars().count())
                .chain([spec(c).0.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |texts: Vec<&str>| {
        let parts: Vec<String> = texts
            .iter()
            .zip(columns)
            .zip(&widths)
            .map(|((t, &c), &w)| {
                if spec(c).1 {
                    format!("{t:>w$}")
                } else {
                    format!("{t:<w$}")
                }
            })
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(columns.iter().map(|&c| spec(c).0).collect());
    for r in &cells {
        line(r.iter().map(String::as_str).collect());
    }
    if rows.len() < total {
        println!("… {} more (use --limit)", total - rows.len());
    }
    if columns.contains(&ListColumn::Due) {
        println!("deadline: days left; ! within 7 days, x passed, R resubmit by (no appeal rights), * payer default used");
    }
}
