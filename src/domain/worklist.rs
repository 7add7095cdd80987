//! Choosing the rows of the worklist: filters, and the priority attached to each row, in
//! the order `row_order` gives. Pure, so the CLI, the TUI and the reports rank identically.

use super::priority::{priority, Priority};
use super::row_order::{sort_rows, SortKey};
use super::status::Status;
use super::taxonomy::Category;
use super::work_item::{ItemKind, WorkItem};
use chrono::NaiveDate;

/// Which rows to show. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Exact status; `None` shows open items only unless `include_resolved`.
    pub status: Option<Status>,
    /// Show paid and written-off items too.
    pub include_resolved: bool,
    /// Case-insensitive substring of the payer name, or the exact payer id.
    pub payer: Option<String>,
    /// Only this category.
    pub category: Option<Category>,
    /// Only this owner's items.
    pub owner: Option<String>,
    /// Follow-up or appeal deadline on or before this date.
    pub due_before: Option<NaiveDate>,
    /// Denials or patient-responsibility items; `None` shows both.
    pub kind: Option<ItemKind>,
}

impl Filter {
    /// Whether an item passes every field of the filter.
    pub fn matches(&self, item: &WorkItem) -> bool {
        let status_ok = match self.status {
            Some(s) => item.status == s,
            None => self.include_resolved || item.status.is_open(),
        };
        let payer_ok = self.payer.as_ref().is_none_or(|p| {
            item.payer_id.eq_ignore_ascii_case(p)
                || item
                    .payer
                    .to_ascii_lowercase()
                    .contains(&p.to_ascii_lowercase())
        });
        let owner_ok = self
            .owner
            .as_ref()
            .is_none_or(|o| item.owner.as_deref() == Some(o.as_str()));
        let due_ok = self.due_before.is_none_or(|d| {
            item.appeal_deadline.date <= d || item.follow_up.is_some_and(|f| f <= d)
        });
        status_ok
            && payer_ok
            && owner_ok
            && due_ok
            && self.category.is_none_or(|c| item.category == c)
            && self.kind.is_none_or(|k| item.kind == k)
    }
}

/// One worklist row: the item and its rank today.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The work item.
    pub item: WorkItem,
    /// Its rank today, with the reasons.
    pub priority: Priority,
}

/// Filters, ranks and sorts (reversed when `reverse`; see `sort_rows`).
pub fn select(
    items: Vec<WorkItem>,
    filter: &Filter,
    sort: SortKey,
    reverse: bool,
    today: NaiveDate,
) -> Vec<Row> {
    let items: Vec<WorkItem> = items.into_iter().filter(|i| filter.matches(i)).collect();
    let priorities: Vec<Priority> = items.iter().map(|i| priority(i, today)).collect();
    let scores: Vec<u32> = priorities.iter().map(|p| p.score).collect();
    let owed: Vec<i64> = items.iter().map(WorkItem::outstanding_cents).collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_rows(&mut order, &items, &scores, &owed, sort, reverse);
    let mut slots: Vec<Option<(WorkItem, Priority)>> =
        items.into_iter().zip(priorities).map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots[i].take())
        .map(|(item, priority)| Row { item, priority })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::work_item;
    use chrono::Duration;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn items() -> Vec<WorkItem> {
        let mut a = work_item("A");
        a.denied_cents = 10_000;
        a.appeal_deadline.date = today() + Duration::days(5);
        a.payer = "AETNA".into();
        let mut b = work_item("B");
        b.denied_cents = 900_000;
        b.appeal_deadline.date = today() + Duration::days(60);
        b.owner = Some("maria".into());
        b.category = Category::Authorization;
        let mut c = work_item("C");
        c.status = Status::Paid;
        vec![a, b, c]
    }

    fn ids(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.item.claim_id.as_str()).collect()
    }

    #[test]
    fn default_shows_open_items_by_priority() {
        let rows = select(
            items(),
            &Filter::default(),
            SortKey::Priority,
            false,
            today(),
        );
        assert_eq!(ids(&rows), vec!["B", "A"]);
        assert!(rows[0].priority.score >= rows[1].priority.score);
    }

    #[test]
    fn sorts_by_deadline_amount_and_age() {
        assert_eq!(
            ids(&select(
                items(),
                &Filter::default(),
                SortKey::Deadline,
                false,
                today()
            )),
            vec!["A", "B"]
        );
        assert_eq!(
            ids(&select(
                items(),
                &Filter::default(),
                SortKey::Amount,
                false,
                today()
            )),
            vec!["B", "A"]
        );
    }

    #[test]
    fn filters_by_status_payer_owner_category_and_due_date() {
        let f = |f: Filter| ids(&select(items(), &f, SortKey::Priority, false, today())).join(",");
        assert_eq!(
            f(Filter {
                status: Some(Status::Paid),
                ..Filter::default()
            }),
            "C"
        );
        assert_eq!(
            f(Filter {
                include_resolved: true,
                ..Filter::default()
            }),
            "B,A,C"
        );
        assert_eq!(
            f(Filter {
                payer: Some("aet".into()),
                ..Filter::default()
            }),
            "A"
        );
        assert_eq!(
            f(Filter {
                owner: Some("maria".into()),
                ..Filter::default()
            }),
            "B"
        );
        assert_eq!(
            f(Filter {
                category: Some(Category::Authorization),
                ..Filter::default()
            }),
            "B"
        );
        assert_eq!(
            f(Filter {
                due_before: Some(today() + Duration::days(7)),
                ..Filter::default()
            }),
            "A"
        );
    }
}
