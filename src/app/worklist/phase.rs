//! How much of the worklist has loaded: rows first, whole items after.

/// How much of the worklist has arrived. At start-up the store sends list rows first
/// (`ListRow`: what the worklist ranks, filters and shows), then the whole items. What
/// needs more than a row (appeals, payments, procedure codes, KPIs, a KPI drill) asks for
/// `whole_item`/`whole_items`, which are `None` until then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadPhase {
    /// Nothing yet.
    Waiting,
    /// List rows only.
    Rows,
    /// Whole work items.
    Whole,
}
