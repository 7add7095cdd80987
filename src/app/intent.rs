//! What a person means by a key: the names bindings give. Deserialisable in kebab-case
//! (`log-call`, `next-claim`, `{ show-pane = "appeals" }`) so a user keymap can name any
//! of them; nothing internal (loads, saves, the idle clock) is an intent, so no key can
//! forge one.

use super::pane::Pane;
use crate::domain::queue::Queue;
use serde::Deserialize;

/// One intent. Which ones a mode heeds is decided by `update`, by type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Intent {
    /// The row (or line, or field) above.
    Up,
    /// The row (or line, or field) below.
    Down,
    /// Ten rows up.
    PageUp,
    /// Ten rows down.
    PageDown,
    /// The first row.
    Top,
    /// The last row.
    Bottom,
    /// The next claim in the current view, opened in place when the claim pane shows.
    NextClaim,
    /// The previous claim in the current view, likewise.
    PrevClaim,
    /// Enter: open the selected claim (KPIs: the claims behind a row).
    Open,
    /// Esc: back out one level (close a form or search, clear a filter or marks).
    Back,
    /// The next pane.
    NextPane,
    /// One pane by name.
    ShowPane(Pane),
    /// The next queue tab.
    NextQueue,
    /// The previous queue tab.
    PrevQueue,
    /// One queue by name.
    SetQueue(Queue),
    /// The next sort order (the appeals pane has its own).
    CycleSort,
    /// Reverses the worklist's sort.
    ReverseSort,
    /// `/`: find a claim in the list.
    StartSearch,
    /// `f`: narrow the list to matching claims.
    StartFilter,
    /// The next search match.
    NextMatch,
    /// The previous search match.
    PrevMatch,
    /// Marks or unmarks the selected claim for a bulk change.
    ToggleMark,
    /// Marks every claim shown (or, when all are marked, clears the marks).
    MarkAll,
    /// Clears every mark.
    ClearMarks,
    /// Opens the payer-call form.
    LogCall,
    /// Opens the follow-up form.
    SetFollowUp,
    /// Opens the status form.
    ChangeStatus,
    /// Opens the note form.
    AddNote,
    /// Opens the assign form.
    Assign,
    /// Opens the appeal form.
    FileAppeal,
    /// Opens the appeal-outcome form.
    AppealOutcome,
    /// Assigns the targets to the user at once.
    AssignToMe,
    /// Hides (or shows) patient names and member ids.
    TogglePrivacy,
    /// Check off the documents of the claim's next appeal packet (its checklist).
    CheckDocuments,
    /// KPIs: open a prevention item for the highlighted root cause.
    NewPrevention,
    /// Write the claim's appeal letter (a payment dispute for an underpayment) as a PDF
    /// in the letters folder, recorded on the timeline.
    WriteLetter,
    /// The key help.
    Help,
    /// Leaves the app (a form with unsaved text asks first).
    Quit,
    /// Reloads everything from the store.
    Refresh,
    /// KPI pane: next period (30 days, 90 days, this month).
    NextPeriod,
    /// KPI pane: next root-cause dimension.
    NextDimension,
    /// Forms: the next field.
    NextField,
    /// Forms: the previous field.
    PrevField,
    /// Forms and search: save, or search for what was typed.
    Submit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keymap_names_intents_in_kebab_case_with_their_argument() {
        let parse = |s: &str| serde_json::from_str::<Intent>(s).unwrap();
        assert_eq!(parse("\"log-call\""), Intent::LogCall);
        assert_eq!(parse("\"next-claim\""), Intent::NextClaim);
        assert_eq!(
            parse(r#"{"show-pane":"appeals"}"#),
            Intent::ShowPane(Pane::Appeals)
        );
        assert_eq!(
            parse(r#"{"set-queue":"follow-ups-due"}"#),
            Intent::SetQueue(Queue::FollowUpsDue)
        );
        // Results are not intents: no keymap can name one.
        assert!(serde_json::from_str::<Intent>("\"loaded\"").is_err());
        assert!(serde_json::from_str::<Intent>("\"idle\"").is_err());
    }
}
