//! Which claims the worklist shows and in what order: a queue tab, a saved view's tab, or
//! a KPI drill in place of either; the filter typed with `f` on top; the sort.

use crate::domain::filter_expr::FilterExpr;
use crate::domain::kpi::{Dimension, Period};
use crate::domain::list_row::ListRow;
use crate::domain::queue::Queue;
use crate::domain::row_order::SortKey;
use crate::domain::saved_view::{ListColumn, SavedView};
use crate::domain::work_item::{ItemKind, WorkItem};
use chrono::NaiveDate;

/// A worklist narrowed to the claims behind one KPI root-cause row.
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    /// The breakdown the row belongs to (payer, CARC, category…).
    pub dimension: Dimension,
    /// The row's value ("AETNA", "CO-197").
    pub value: String,
    /// The KPI period the row counted.
    pub period: Period,
}

/// What is shown.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The queue tab (a view's own queue while a view is shown).
    pub queue: Queue,
    /// The order.
    pub sort: SortKey,
    /// Backwards.
    pub reverse: bool,
    /// The filter typed with `f`.
    pub filter: String,
    /// The KPI drill shown instead of a tab.
    pub drill: Option<Drill>,
    /// The saved views (config file), as tabs after the queues.
    pub views: Vec<SavedView>,
    /// The saved view shown, an index into `views`.
    pub view: Option<usize>,
}

impl Selection {
    /// The saved view shown, if any.
    pub fn active_view(&self) -> Option<&SavedView> {
        self.view.and_then(|v| self.views.get(v))
    }

    /// Whether the claim of `row` belongs to the tab (or drill), before the typed filter.
    /// A drill reads the whole work item (`whole`: a breakdown may be by procedure code or
    /// provider, which rows do not carry); until the whole items load it admits nothing.
    pub fn admits(
        &self,
        row: &ListRow,
        whole: Option<&WorkItem>,
        user: &str,
        today: NaiveDate,
        no_response_days: i64,
    ) -> bool {
        match &self.drill {
            // The KPIs count payer denials only: so does the drill.
            Some(d) => whole.is_some_and(|item| {
                item.kind == ItemKind::Denial
                    && d.period.contains(item.denied_on)
                    && d.dimension.matches(item, &d.value)
            }),
            None => self
                .queue
                .contains_after(row, user, today, no_response_days),
        }
    }

    /// The filter in force: the view's terms and the typed ones, all of which must hold.
    pub fn filter_text(&self) -> String {
        match self.active_view().filter(|_| self.drill.is_none()) {
            Some(v) if !v.filter.is_empty() => format!("{} {}", v.filter, self.filter),
            _ => self.filter.clone(),
        }
    }

    /// The columns to show, in order.
    pub fn columns(&self) -> &[ListColumn] {
        self.active_view()
            .map_or(&ListColumn::ALL, |v| v.columns.as_slice())
    }

    /// How many tabs there are: the queues, then the views.
    pub fn tab_count(&self) -> usize {
        Queue::ALL.len() + self.views.len()
    }

    /// The tab shown (queues first, then views).
    pub fn tab(&self) -> usize {
        match self.view {
            Some(v) => Queue::ALL.len() + v,
            None => Queue::ALL
                .iter()
                .position(|q| *q == self.queue)
                .unwrap_or(0),
        }
    }

    /// Shows tab `n` (wrapping): a queue as it is, or a view with its queue and order.
    pub fn show_tab(&mut self, n: usize) {
        let n = n % self.tab_count();
        self.drill = None;
        match n.checked_sub(Queue::ALL.len()) {
            None => {
                self.queue = Queue::ALL[n];
                self.view = None;
            }
            Some(v) => {
                let view = &self.views[v];
                (self.queue, self.sort, self.reverse) = (view.queue, view.sort, view.reverse);
                self.view = Some(v);
            }
        }
    }
}

/// How many claims each saved view holds; `None` while its filter needs the search texts
/// and they are not built yet (they are when the UI is first idle).
pub fn view_counts(
    views: &[SavedView],
    items: &[ListRow],
    texts: &[Box<str>],
    owed: &[i64],
    (user, today, no_response_days): (&str, NaiveDate, i64),
) -> Vec<Option<usize>> {
    views
        .iter()
        .map(|v| {
            let filter = FilterExpr::parse_lenient(&v.filter, user);
            if filter.needs_search_text() && texts.len() != items.len() {
                return None;
            }
            Some(
                (0..items.len())
                    .filter(|&i| {
                        v.queue
                            .contains_after(&items[i], user, today, no_response_days)
                            && filter.matches(&items[i], texts.get(i).map_or("", |t| t), owed[i])
                    })
                    .count(),
            )
        })
        .collect()
}
