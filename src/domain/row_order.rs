//! How worklist rows are ordered: the sorts a specialist picks (`s`, `--sort`), and the
//! one ordering `denialdesk list` and the worklist UI share, ties by claim id.

use super::work_item::RowFields;
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
    pub fn compare<R: RowFields>(self, a: (&R, u32, i64), b: (&R, u32, i64)) -> std::cmp::Ordering {
        match self {
            SortKey::Priority => b.1.cmp(&a.1),
            SortKey::Deadline => a.0.deadline().cmp(&b.0.deadline()),
            SortKey::Amount => b.2.cmp(&a.2),
            SortKey::Age => a.0.denied_on().cmp(&b.0.denied_on()),
            // `None` sorts after every date.
            SortKey::FollowUp => match (a.0.follow_up(), b.0.follow_up()) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            SortKey::Payer => {
                a.0.payer()
                    .to_ascii_lowercase()
                    .cmp(&b.0.payer().to_ascii_lowercase())
            }
        }
    }
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
pub fn sort_rows<R: RowFields>(
    rows: &mut [usize],
    items: &[R],
    scores: &[u32],
    owed: &[i64],
    sort: SortKey,
    reverse: bool,
) {
    // Rank by claim id, ties (one CLP01, several claims) in the order given.
    let mut by_id: Vec<usize> = rows.to_vec();
    by_id.sort_by(|&a, &b| items[a].claim_id().cmp(items[b].claim_id()));
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
                SortKey::Deadline => day(item.deadline()),
                // Largest first: the amount's order flipped.
                SortKey::Amount => !((owed[i] as u64) ^ (1 << 63)),
                SortKey::Age => day(item.denied_on()),
                SortKey::FollowUp => item.follow_up().map_or(u64::MAX, day),
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
fn payer_ranks<R: RowFields>(rows: &[usize], items: &[R]) -> Vec<u64> {
    let lower: Vec<(usize, compact_str::CompactString)> = rows
        .iter()
        .map(|&i| {
            let mut payer = compact_str::CompactString::from(items[i].payer());
            payer.make_ascii_lowercase();
            (i, payer)
        })
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
pub fn compare_rows<R: RowFields>(
    a: usize,
    b: usize,
    items: &[R],
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
    order.then_with(|| items[a].claim_id().cmp(items[b].claim_id()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::work_item;
    use crate::domain::work_item::WorkItem;
    use chrono::Duration;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
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
                item.key = compact_str::format_compact!("{}#{n:04}", item.claim_id);
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
