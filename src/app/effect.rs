//! What `update` asks the worker to do. The worker owns the store; drawing never waits.

use crate::domain::action::WorkAction;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
/// What the worker does for `update`, off the UI thread.
pub enum Effect {
    /// At start-up: the list rows alone (`ListLoaded`), so the first frame waits for no
    /// more than the worklist shows; the whole items follow.
    OpenWorklist,
    /// Every work item (`Loaded`) and the first-adjudication counts (`DaysLoaded`).
    LoadWorklist,
    /// Tell teammates which claim this session has open (`None`: none).
    Viewing(Option<String>),
    /// The claim pane's content for a key (`DetailLoaded`).
    LoadDetail(String),
    /// Write a claim's letter (`letter::write_letter`) into the letters folder; report
    /// `Saved` with where, or `Failed`.
    WriteLetter {
        /// The claim's key.
        key: String,
        /// What letters are made with.
        settings: Box<crate::letter::LetterSettings>,
        /// The user's today.
        today: NaiveDate,
    },
    /// Every prevention item (`PreventionLoaded`).
    LoadPrevention,
    /// Save a prevention item (`PreventionSaved`, or `Failed`).
    SavePrevention {
        /// The item as changed (id 0: new).
        item: Box<crate::domain::prevention::PreventionItem>,
        /// What to say when saved.
        done: String,
    },
    /// Apply each action to its claim, in order, durably; then report `Saved` or `Failed`.
    /// Each change carries the version the user saw: a claim saved by someone else since
    /// is refused, not overwritten.
    Apply {
        /// Each claim, its action and the version the user saw.
        changes: Vec<(String, WorkAction, Option<u64>)>,
        /// The user's today.
        today: NaiveDate,
        /// What to say when everything saved ("call logged on C1").
        done: String,
    },
}
