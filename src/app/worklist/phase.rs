//! How much of the worklist has loaded: rows first, whole items after.

/// How much of the worklist has arrived. At start-up the store sends list rows first
/// (`ListRow::into_list_item`: what the worklist ranks, filters and shows, every other
/// field empty), then the whole items. What needs more than a row (appeals, payments,
/// payer ids, KPIs) asks for `whole_item`/`whole_items`, which are `None` until then:
/// nothing can read an empty stand-in field as if it were the claim's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadPhase {
    /// Nothing yet.
    Waiting,
    /// List rows only.
    Rows,
    /// Whole work items.
    Whole,
}
