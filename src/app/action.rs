//! Everything that can happen to the app: a person's intent (from the keymap), typed
//! text, and results coming back from the worker.

use super::state::{ClaimDetail, Pane};
use crate::domain::kpi::AdjudicationDay;
use crate::domain::presence::Viewer;
use crate::domain::queue::Queue;
use crate::domain::work_item::WorkItem;

/// One input to `update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// The next claim in the current view, opened in place when the claim pane shows.
    NextClaim,
    /// The previous claim in the current view, likewise.
    PrevClaim,
    /// Enter: open the selected claim.
    Open,
    /// Esc: back out one level.
    Back,
    NextPane,
    ShowPane(Pane),
    NextQueue,
    PrevQueue,
    SetQueue(Queue),
    CycleSort,
    /// Reverses the worklist's sort.
    ReverseSort,
    /// `/`: find a claim in the list.
    StartSearch,
    /// `f`: narrow the list to matching claims.
    StartFilter,
    NextMatch,
    PrevMatch,
    ToggleMark,
    /// Marks every claim shown (or, when all are marked, clears the marks).
    MarkAll,
    ClearMarks,
    LogCall,
    SetFollowUp,
    ChangeStatus,
    AddNote,
    Assign,
    FileAppeal,
    AppealOutcome,
    AssignToMe,
    TogglePrivacy,
    Help,
    Quit,
    Refresh,
    /// Typed into the search box or a form field.
    Input(char),
    Backspace,
    NextField,
    PrevField,
    /// Left/right in a pick list.
    ChoicePrev,
    ChoiceNext,
    Submit,
    /// No key for a while: hide PHI until the next key.
    Idle,
    /// A key arrived while the idle screen was up: it only unlocks.
    Unlock,
    /// KPI pane: next period (30 days, 90 days, this month).
    NextPeriod,
    /// KPI pane: next root-cause dimension.
    NextDimension,
    // Worker results.
    /// The worklist as list rows only (`ListRow::into_list_item`): enough to show, rank,
    /// filter and act on; the whole items follow as `Loaded`.
    ListLoaded(Vec<WorkItem>),
    Loaded(Vec<WorkItem>),
    DaysLoaded(Vec<AdjudicationDay>),
    /// This UI's session on the team server now (it changes when the store reconnects
    /// to a restarted server): presence must never show the UI itself as a teammate.
    SessionIs(Option<u64>),
    DetailLoaded(Box<ClaimDetail>),
    Saved {
        items: Vec<WorkItem>,
        message: String,
    },
    /// Items saved by a bulk change that then stopped on an error.
    ItemsChanged(Vec<WorkItem>),
    /// Items a teammate just saved (team mode).
    TeamChanged(Vec<WorkItem>),
    /// Who has which claim open (team mode).
    Presence(Vec<Viewer>),
    Failed(String),
}
