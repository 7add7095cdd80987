//! The demo's prevention items: what a revenue-cycle manager opened from the KPI pane in
//! the past weeks, so the prevention view has before-and-after figures to show: one
//! done, one overdue, one just started.

use crate::domain::prevention::{Cause, PreventionItem, PreventionStatus};
use crate::store::{StoreError, WorkStore};
use chrono::{Duration, NaiveDate};

/// Opens the demo's prevention items; returns how many.
pub fn seed_prevention(
    store: &dyn WorkStore,
    today: NaiveDate,
    user: &str,
) -> Result<usize, StoreError> {
    let items = [
        (
            "category=authorization",
            "check the authorization on file before scheduling imaging and surgery",
            "maria",
            60,
            -30,
            PreventionStatus::Done,
            "authorization log checked at scheduling since the start date",
        ),
        (
            "payer=MEDICARE PART B,category=medical-necessity",
            "check the LCD's covered diagnoses (and get an ABN) before ordering",
            "devon",
            45,
            -5,
            PreventionStatus::Open,
            "",
        ),
        (
            "category=coding",
            "coding education: modifier 25 on same-day E/M",
            "priya",
            10,
            20,
            PreventionStatus::Open,
            "",
        ),
    ];
    for (cause, action, owner, started_ago, due_in, status, note) in items {
        let cause = Cause::parse(cause).expect("the demo's causes parse");
        let start = today - Duration::days(started_ago);
        let mut item = PreventionItem::new(cause, action, owner, start, start, user)
            .expect("the demo's items are valid");
        item.due = today + Duration::days(due_in);
        item.status = status;
        item.note = note.to_string();
        store.save_prevention(&item, user)?;
    }
    Ok(items.len())
}
