//! Choosing and ordering the rows of the worklist: filters, sort orders, and the priority
//! attached to each row. Pure, so the CLI, the TUI and the reports rank identically.

use super::priority::{priority, Priority};
use super::status::Status;
use super::taxonomy::Category;
use super::work_item::{ItemKind, WorkItem};
use chrono::{Datelike, NaiveDate};

/// How the worklist is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Highest priority first.
    #[default]
    Priority,
    /// Nearest appeal deadline first.
    Deadline,
    /// Largest outstanding amount first.
    Amount,
    /// Oldest denial first.
    Age,
    /// Soonest follow-up first (claims without one last).
    FollowUp,
    /// Payer name, A to Z.
    Payer,
}

impl SortKey {
    /// The name used on the command line.
    pub fn key(self) -> &'static str {
        match self {
            SortKey::Priority => "priority",
            SortKey::Deadline => "deadline",
            SortKey::Amount => "amount",
            SortKey::Age => "age",
            SortKey::FollowUp => "follow-up",
            SortKey::Payer => "payer",
        }
    }

    /// The sort a `--sort` value names.
    pub fn parse(text: &str) -> Option<SortKey> {
        match text.trim().to_ascii_lowercase().as_str() {
            "priority" => Some(SortKey::Priority),
            "deadline" => Some(SortKey::Deadline),
            "amount" => Some(SortKey::Amount),
            "age" => Some(SortKey::Age),
            "follow-up" | "followup" => Some(SortKey::FollowUp),
            "payer" => Some(SortKey::Payer),
            _ => None,
        }
    }

    /// Every sort, in the order `s` cycles through them.
    pub const ALL: [SortKey; 6] = [
        SortKey::Priority,
        SortKey::Deadline,
        SortKey::Amount,
        SortKey::Age,
        SortKey::FollowUp,
        SortKey::Payer,
    ];

    /// The next sort in `ALL`.
    pub fn next(self) -> SortKey {
        let at = SortKey::ALL.iter().position(|s| *s == self).unwrap_or(0);
        SortKey::ALL[(at + 1) % SortKey::ALL.len()]
    }

    /// How two rows compare under this sort — the one ordering the worklist UI and
    /// `denialdesk list` share. `score` is the row's priority, `owed` its outstanding
    /// cents (both computed once by the caller); ties are left to the caller.
    pub fn compare(self, a: (&WorkItem, u32, i64), b: (&WorkItem, u32, i64)) -> std::cmp::Ordering {
        match self {
            SortKey::Priority => b.1.cmp(&a.1),
            SortKey::Deadline => a.0.appeal_deadline.date.cmp(&b.0.appeal_deadline.date),
            SortKey::Amount => b.2.cmp(&a.2),
            SortKey::Age => a.0.denied_on.cmp(&b.0.denied_on),
            // `None` sorts after every date.
            SortKey::FollowUp => match (a.0.follow_up, b.0.follow_up) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            SortKey::Payer => {
                a.0.payer
                    .to_ascii_lowercase()
                    .cmp(&b.0.payer.to_ascii_lowercase())
            }
        }
    }
}

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

/// Orders rows (indices into `items`, with each item's priority score and amount owed) by
/// `sort`, reversed when `reverse`, ties by claim id so the order is stable: the one
/// ordering of `denialdesk list` and the worklist UI.
///
/// The same order as sorting by `compare_rows`, computed without comparing strings in the
/// sort: each row's claim id is ranked once (the rows come in key order, which is nearly
/// claim id order, so ranking is one pass), the sort field becomes a number, and rows
/// sort by (number, rank). A sort of 117,000 rows by priority took ~100 ms comparing
/// claim ids and payer names pair by pair (BENCHMARKS.md, "change sort").
pub fn sort_rows(
    rows: &mut [usize],
    items: &[WorkItem],
    scores: &[u32],
    owed: &[i64],
    sort: SortKey,
    reverse: bool,
) {
    // Rank by claim id, ties (one CLP01, several claims) in the order given.
    let mut by_id: Vec<usize> = rows.to_vec();
    by_id.sort_by(|&a, &b| items[a].claim_id.cmp(&items[b].claim_id));
    let mut rank = vec![0u32; items.len()];
    for (n, &i) in by_id.iter().enumerate() {
        rank[i] = n as u32;
    }
    let payers = (sort == SortKey::Payer).then(|| payer_ranks(rows, items));
    let day = |d: NaiveDate| (i64::from(d.num_days_from_ce()) + (1 << 40)) as u64;
    let mut keyed: Vec<(u64, u32, usize)> = rows
        .iter()
        .map(|&i| {
            let item = &items[i];
            let field = match sort {
                SortKey::Priority => u64::from(u32::MAX - scores[i]),
                SortKey::Deadline => day(item.appeal_deadline.date),
                // Largest first: the amount's order flipped.
                SortKey::Amount => !((owed[i] as u64) ^ (1 << 63)),
                SortKey::Age => day(item.denied_on),
                SortKey::FollowUp => item.follow_up.map_or(u64::MAX, day),
                SortKey::Payer => payers.as_ref().expect("ranked above")[i],
            };
            (if reverse { !field } else { field }, rank[i], i)
        })
        .collect();
    keyed.sort_unstable();
    for (slot, (_, _, i)) in rows.iter_mut().zip(keyed) {
        *slot = i;
    }
}

/// Each row's payer, case-insensitively, as its rank among the rows' payers (by item).
fn payer_ranks(rows: &[usize], items: &[WorkItem]) -> Vec<u64> {
    let lower: Vec<(usize, String)> = rows
        .iter()
        .map(|&i| (i, items[i].payer.to_ascii_lowercase()))
        .collect();
    let mut names: Vec<&str> = lower.iter().map(|(_, p)| p.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let mut rank = vec![0; items.len()];
    for (i, p) in &lower {
        rank[*i] = names.binary_search(&p.as_str()).expect("listed") as u64;
    }
    rank
}

/// How rows `a` and `b` (indices into `items`) compare in `sort_rows`'s order.
#[allow(clippy::too_many_arguments)]
pub fn compare_rows(
    a: usize,
    b: usize,
    items: &[WorkItem],
    scores: &[u32],
    owed: &[i64],
    sort: SortKey,
    reverse: bool,
) -> std::cmp::Ordering {
    let order = sort.compare(
        (&items[a], scores[a], owed[a]),
        (&items[b], scores[b], owed[b]),
    );
    let order = if reverse { order.reverse() } else { order };
    order.then_with(|| items[a].claim_id.cmp(&items[b].claim_id))
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

    #[test]
    fn sorting_by_numbers_orders_exactly_as_comparing_rows_does() {
        // Many ties (shared claim ids, equal scores, amounts and dates, no follow-up),
        // payers differing only in case, negative amounts, claim ids with a space (which
        // sorts before the `#` of the keys), a subset of the rows in any order.
        let mut next = crate::domain::test_support::numbers(7);
        let mut items: Vec<WorkItem> = (0..400)
            .map(|n| {
                let id = ["A", "A B", "AB", "B", "C-1"][next(5) as usize];
                let mut item = work_item(&format!("{id}{}", next(40)));
                item.key = format!("{}#{n:04}", item.claim_id);
                item.payer = ["aetna", "AETNA", "Bcbs", "cigna"][next(4) as usize].into();
                item.appeal_deadline.date = today() + Duration::days(next(5) as i64);
                item.denied_on = today() - Duration::days(next(5) as i64);
                item.follow_up = (next(3) == 0).then(|| today() + Duration::days(next(3) as i64));
                item
            })
            .collect();
        items.sort_by(|a, b| a.key.cmp(&b.key));
        let scores: Vec<u32> = items.iter().map(|_| next(4) as u32 * 10).collect();
        let owed: Vec<i64> = items.iter().map(|_| next(5) as i64 * 1000 - 1500).collect();
        for sort in SortKey::ALL {
            for reverse in [false, true] {
                let mut rows: Vec<usize> = (0..items.len()).filter(|_| next(4) != 0).collect();
                if next(2) == 0 {
                    rows.reverse();
                }
                let mut compared = rows.clone();
                compared
                    .sort_by(|&a, &b| compare_rows(a, b, &items, &scores, &owed, sort, reverse));
                sort_rows(&mut rows, &items, &scores, &owed, sort, reverse);
                assert_eq!(rows, compared, "{sort:?} reversed {reverse}");
            }
        }
    }
}
