//! What `update` asks the worker to do. The worker owns the store; drawing never waits.

use crate::domain::action::WorkAction;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadWorklist,
    /// Tell teammates which claim this session has open (`None`: none).
    Viewing(Option<String>),
    LoadDetail(String),
    /// Apply each action to its claim, in order, durably; then report `Saved` or `Failed`.
    /// Each change carries the version the user saw: a claim saved by someone else since
    /// is refused, not overwritten.
    Apply {
        changes: Vec<(String, WorkAction, Option<u64>)>,
        today: NaiveDate,
        /// What to say when everything saved ("call logged on C1").
        done: String,
    },
}
