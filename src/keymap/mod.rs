//! Key bindings as data: each with its action, a one-line description and whether it
//! changes data. Help, footer hints and the README's key table are generated from here,
//! and `--readonly` drops every data-changing binding in one place.

use crate::app::{Action, Mode, Pane};
use crate::domain::queue::Queue;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One normal-mode binding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: &'static [KeyCode],
    /// How the keys are written in help ("j ↓").
    pub label: &'static str,
    pub action: Action,
    pub description: &'static str,
    /// Changes data: in read-only mode the key answers "read-only" and is not hinted.
    pub mutating: bool,
}

const fn b(
    keys: &'static [KeyCode],
    label: &'static str,
    action: Action,
    description: &'static str,
    mutating: bool,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        description,
        mutating,
    }
}

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, PageDown, PageUp, Tab, Up};

/// The normal-mode bindings, in help order.
#[rustfmt::skip]
pub fn default_bindings() -> Vec<Binding> {
    vec![
        b(&[Char('j'), Down], "j ↓", Action::Down, "next claim", false),
        b(&[Char('k'), Up], "k ↑", Action::Up, "previous claim", false),
        b(&[PageDown], "PgDn", Action::PageDown, "page down", false),
        b(&[PageUp], "PgUp", Action::PageUp, "page up", false),
        b(&[Char('g'), Home], "g Home", Action::Top, "first claim", false),
        b(&[Char('G'), End], "G End", Action::Bottom, "last claim", false),
        b(&[Char('J')], "J", Action::NextClaim, "next claim, opened in the claim pane", false),
        b(&[Char('K')], "K", Action::PrevClaim, "previous claim, opened in the claim pane", false),
        b(&[Enter], "Enter", Action::Open, "open the claim (KPIs: the claims behind a row)", false),
        b(&[Esc], "Esc", Action::Back, "back / clear filter / clear marks", false),
        b(&[Tab], "Tab", Action::NextPane, "next pane", false),
        b(&[Char('1')], "1", Action::ShowPane(Pane::Worklist), "worklist", false),
        b(&[Char('2')], "2", Action::ShowPane(Pane::Claim), "claim detail", false),
        b(&[Char('3')], "3", Action::ShowPane(Pane::Appeals), "appeals", false),
        b(&[Char('4')], "4", Action::ShowPane(Pane::Kpi), "KPIs", false),
        b(&[Char(']')], "]", Action::NextQueue, "next queue", false),
        b(&[Char('[')], "[", Action::PrevQueue, "previous queue", false),
        b(&[Char('0')], "0", Action::SetQueue(Queue::All), "queue: all claims", false),
        b(&[Char('s')], "s", Action::CycleSort, "sort: priority, deadline, amount, age, follow-up, payer", false),
        b(&[Char('S')], "S", Action::ReverseSort, "reverse the sort", false),
        b(&[Char('/')], "/", Action::StartSearch, "search claim, patient, payer, CARC", false),
        b(&[Char('n')], "n", Action::NextMatch, "next match", false),
        b(&[Char('N')], "N", Action::PrevMatch, "previous match", false),
        b(&[Char('f')], "f", Action::StartFilter, "filter the list", false),
        b(&[Char(' ')], "Space", Action::ToggleMark, "mark for a bulk change", false),
        b(&[Char('*')], "*", Action::MarkAll, "mark every claim shown (again: clear)", false),
        b(&[Char('c')], "c", Action::LogCall, "log a payer call", true),
        b(&[Char('d')], "d", Action::SetFollowUp, "set follow-up date", true),
        b(&[Char('t')], "t", Action::ChangeStatus, "change status", true),
        b(&[Char('a')], "a", Action::Assign, "assign to a user", true),
        b(&[Char('m')], "m", Action::AssignToMe, "assign to me", true),
        b(&[Char('i')], "i", Action::AddNote, "add a note", true),
        b(&[Char('A')], "A", Action::FileAppeal, "record an appeal", true),
        b(&[Char('O')], "O", Action::AppealOutcome, "record an appeal's outcome", true),
        b(&[Char('P')], "P", Action::NextPeriod, "KPIs: next period (30 days, 90 days, month)", false),
        b(&[Char('b')], "b", Action::NextDimension, "KPIs: next root-cause breakdown", false),
        b(&[Char('p')], "p", Action::TogglePrivacy, "privacy: hide names and member IDs", false),
        b(&[Char('r')], "r", Action::Refresh, "reload from the store", false),
        b(&[Char('?')], "?", Action::Help, "help", false),
        b(&[Char('q')], "q", Action::Quit, "quit", false),
    ]
}

/// Keys while typing in a search box or a form, for help.
pub const TEXT_KEYS: [(&str, &str); 6] = [
    ("Enter", "save / search"),
    ("Esc", "cancel"),
    ("Tab ↓", "next field"),
    ("S-Tab ↑", "previous field"),
    ("← →", "choose in a pick list"),
    ("Backspace", "delete"),
];

/// The active bindings.
pub struct Keymap {
    pub bindings: Vec<Binding>,
    /// Read-only: data-changing keys are kept (so pressing one says "read-only" instead of
    /// nothing happening) but not offered in hints, and marked off in help.
    pub readonly: bool,
}

impl Keymap {
    /// The default bindings.
    pub fn new(readonly: bool) -> Keymap {
        Keymap {
            bindings: default_bindings(),
            readonly,
        }
    }

    /// Turns a key into an action for the current mode.
    pub fn action(&self, mode: &Mode, key: KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == Char('c') {
            return Some(Action::Quit);
        }
        match mode {
            Mode::Search { .. } | Mode::Form(_) => match key.code {
                Esc => Some(Action::Back),
                Enter => Some(Action::Submit),
                KeyCode::Backspace => Some(Action::Backspace),
                Tab | Down => Some(Action::NextField),
                BackTab | Up => Some(Action::PrevField),
                KeyCode::Left => Some(Action::ChoicePrev),
                KeyCode::Right => Some(Action::ChoiceNext),
                Char(c) if !ctrl => Some(Action::Input(c)),
                _ => None,
            },
            Mode::Normal | Mode::Help => {
                if ctrl {
                    return None;
                }
                self.bindings
                    .iter()
                    .find(|b| b.keys.contains(&key.code))
                    .map(|b| b.action.clone())
            }
        }
    }

    /// The label of the first binding for an action ("c"), for footer hints.
    pub fn label(&self, action: &Action) -> Option<&'static str> {
        self.bindings
            .iter()
            .find(|b| &b.action == action)
            .map(|b| b.label)
    }

    /// Short hints for the footer of a pane.
    pub fn hints(&self, pane: Pane) -> Vec<(&'static str, &'static str)> {
        let wanted: &[(Action, &str)] = match pane {
            Pane::Worklist => &[
                (Action::Open, "open"),
                (Action::LogCall, "call"),
                (Action::SetFollowUp, "follow-up"),
                (Action::ChangeStatus, "status"),
                (Action::StartSearch, "search"),
                (Action::NextQueue, "queue"),
                (Action::CycleSort, "sort"),
                (Action::Help, "help"),
                (Action::Quit, "quit"),
            ],
            Pane::Claim => &[
                (Action::Back, "back"),
                (Action::NextClaim, "next"),
                (Action::LogCall, "call"),
                (Action::SetFollowUp, "follow-up"),
                (Action::ChangeStatus, "status"),
                (Action::AddNote, "note"),
                (Action::FileAppeal, "appeal"),
                (Action::Help, "help"),
            ],
            Pane::Kpi => &[
                (Action::NextPeriod, "period"),
                (Action::NextDimension, "breakdown"),
                (Action::Open, "claims behind row"),
                (Action::Back, "back"),
                (Action::Help, "help"),
            ],
            Pane::Appeals => &[
                (Action::Back, "back"),
                (Action::NextPane, "next pane"),
                (Action::Help, "help"),
                (Action::Quit, "quit"),
            ],
        };
        wanted
            .iter()
            .filter(|(a, _)| {
                !(self.readonly && self.bindings.iter().any(|b| &b.action == a && b.mutating))
            })
            .filter_map(|(a, text)| {
                self.label(a)
                    .map(|l| (l.split(' ').next().unwrap_or(l), *text))
            })
            .collect()
    }
}

/// The key table as Markdown, for the README (kept in sync by a test).
pub fn markdown_table() -> String {
    let mut out = String::from("| key | action | changes data |\n|---|---|---|\n");
    for b in default_bindings() {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            b.label,
            b.description,
            if b.mutating { "yes" } else { "" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = std::collections::HashSet::new();
        for b in default_bindings() {
            for k in b.keys {
                assert!(seen.insert(format!("{k:?}")), "{k:?} bound twice");
            }
        }
    }

    #[test]
    fn readonly_keeps_data_changing_keys_to_say_so_but_never_hints_them() {
        let ro = Keymap::new(true);
        assert_eq!(
            ro.action(&Mode::Normal, key(Char('c'))),
            Some(Action::LogCall)
        );
        assert!(ro.hints(Pane::Worklist).iter().all(|(k, _)| *k != "c"));
        assert!(Keymap::new(false)
            .hints(Pane::Worklist)
            .iter()
            .any(|(k, _)| *k == "c"));
    }

    #[test]
    fn text_modes_take_characters_and_q_does_not_quit_there() {
        let km = Keymap::new(false);
        let search = Mode::Search {
            input: String::new(),
            filter: false,
        };
        assert_eq!(km.action(&search, key(Char('q'))), Some(Action::Input('q')));
        assert_eq!(km.action(&search, key(Esc)), Some(Action::Back));
        assert_eq!(km.action(&Mode::Normal, key(Char('q'))), Some(Action::Quit));
    }
}
