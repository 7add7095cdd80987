//! Key bindings as data: each with its intent, a one-line description and whether it
//! changes data. Help, footer hints and the README's key table are generated from here,
//! and `--readonly` drops every data-changing binding in one place.

use crate::app::{Edit, Intent, Mode, Msg, Pane};
use crate::domain::queue::Queue;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One normal-mode binding.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The keys that trigger it.
    pub keys: &'static [KeyCode],
    /// How the keys are written in help ("j ↓").
    pub label: &'static str,
    /// What it means.
    pub intent: Intent,
    /// One line for help and the README.
    pub description: &'static str,
    /// Changes data: in read-only mode the key answers "read-only" and is not hinted.
    pub mutating: bool,
}

const fn b(
    keys: &'static [KeyCode],
    label: &'static str,
    intent: Intent,
    description: &'static str,
    mutating: bool,
) -> Binding {
    Binding {
        keys,
        label,
        intent,
        description,
        mutating,
    }
}

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, PageDown, PageUp, Tab, Up};

/// The normal-mode bindings, in help order.
#[rustfmt::skip]
pub fn default_bindings() -> Vec<Binding> {
    vec![
        b(&[Char('j'), Down], "j ↓", Intent::Down, "next claim", false),
        b(&[Char('k'), Up], "k ↑", Intent::Up, "previous claim", false),
        b(&[PageDown], "PgDn", Intent::PageDown, "page down", false),
        b(&[PageUp], "PgUp", Intent::PageUp, "page up", false),
        b(&[Char('g'), Home], "g Home", Intent::Top, "first claim", false),
        b(&[Char('G'), End], "G End", Intent::Bottom, "last claim", false),
        b(&[Char('J')], "J", Intent::NextClaim, "next claim, opened in the claim pane", false),
        b(&[Char('K')], "K", Intent::PrevClaim, "previous claim, opened in the claim pane", false),
        b(&[Enter], "Enter", Intent::Open, "open the claim (KPIs: the claims behind a row)", false),
        b(&[Esc], "Esc", Intent::Back, "back / clear filter / clear marks", false),
        b(&[Tab], "Tab", Intent::NextPane, "next pane", false),
        b(&[Char('1')], "1", Intent::ShowPane(Pane::Worklist), "worklist", false),
        b(&[Char('2')], "2", Intent::ShowPane(Pane::Claim), "claim detail", false),
        b(&[Char('3')], "3", Intent::ShowPane(Pane::Appeals), "appeals", false),
        b(&[Char('4')], "4", Intent::ShowPane(Pane::Kpi), "KPIs", false),
        b(&[Char('5')], "5", Intent::ShowPane(Pane::Prevention), "prevention items (t: status)", false),
        b(&[Char(']')], "]", Intent::NextQueue, "next queue", false),
        b(&[Char('[')], "[", Intent::PrevQueue, "previous queue", false),
        b(&[Char('0')], "0", Intent::SetQueue(Queue::All), "queue: all claims", false),
        b(&[Char('s')], "s", Intent::CycleSort, "sort: priority, deadline, amount, age, follow-up, payer", false),
        b(&[Char('S')], "S", Intent::ReverseSort, "reverse the sort", false),
        b(&[Char('/')], "/", Intent::StartSearch, "search claim, patient, payer, CARC", false),
        b(&[Char('n')], "n", Intent::NextMatch, "next match", false),
        b(&[Char('N')], "N", Intent::PrevMatch, "previous match", false),
        b(&[Char('f')], "f", Intent::StartFilter, "filter the list", false),
        b(&[Char(' ')], "Space", Intent::ToggleMark, "mark for a bulk change", false),
        b(&[Char('*')], "*", Intent::MarkAll, "mark every claim shown (again: clear)", false),
        b(&[Char('c')], "c", Intent::LogCall, "log a payer call", true),
        b(&[Char('d')], "d", Intent::SetFollowUp, "set follow-up date", true),
        b(&[Char('t')], "t", Intent::ChangeStatus, "change status", true),
        b(&[Char('a')], "a", Intent::Assign, "assign to a user", true),
        b(&[Char('m')], "m", Intent::AssignToMe, "assign to me", true),
        b(&[Char('i')], "i", Intent::AddNote, "add a note", true),
        b(&[Char('A')], "A", Intent::FileAppeal, "record an appeal", true),
        b(&[Char('D')], "D", Intent::CheckDocuments, "check off the appeal packet's documents", true),
        b(&[Char('L')], "L", Intent::WriteLetter, "write the appeal letter (draft to fill in, letters folder)", true),
        b(&[Char('O')], "O", Intent::AppealOutcome, "record an appeal's outcome, or correct the last one", true),
        b(&[Char('P')], "P", Intent::NextPeriod, "KPIs: next period (30 days, 90 days, month)", false),
        b(&[Char('F')], "F", Intent::NewPrevention, "KPIs: open a prevention item for the root cause", true),
        b(&[Char('b')], "b", Intent::NextDimension, "KPIs: next root-cause breakdown, then people", false),
        b(&[Char('p')], "p", Intent::TogglePrivacy, "privacy: hide names and member IDs", false),
        b(&[Char('r')], "r", Intent::Refresh, "reload from the store", false),
        b(&[Char('?')], "?", Intent::Help, "help", false),
        b(&[Char('q')], "q", Intent::Quit, "quit", false),
    ]
}

/// Keys while typing in a search box or a form, for help.
pub const TEXT_KEYS: [(&str, &str); 9] = [
    ("Enter", "save / search"),
    ("Esc", "cancel"),
    ("Tab ↓", "next field"),
    ("S-Tab ↑", "previous field"),
    ("← →", "move, or choose in a pick list (→ completes a name)"),
    ("Home End C-a C-e", "start / end"),
    ("C-← C-→ M-b M-f", "word back / forward"),
    ("Bksp Del C-w", "delete char / word"),
    ("C-u C-k", "delete to start / end"),
];

/// What a key does to the text being typed (search box, form field), if anything.
fn text_edit(key: KeyEvent) -> Option<Edit> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    Some(match key.code {
        KeyCode::Backspace if ctrl || alt => Edit::DeleteWordBack,
        KeyCode::Backspace => Edit::DeleteBack,
        KeyCode::Delete => Edit::DeleteForward,
        KeyCode::Left if ctrl || alt => Edit::WordLeft,
        KeyCode::Right if ctrl || alt => Edit::WordRight,
        KeyCode::Left => Edit::Left,
        KeyCode::Right => Edit::Right,
        Home => Edit::Home,
        End => Edit::End,
        Char('a') if ctrl => Edit::Home,
        Char('e') if ctrl => Edit::End,
        Char('b') if ctrl => Edit::Left,
        Char('f') if ctrl => Edit::Right,
        Char('w') if ctrl => Edit::DeleteWordBack,
        Char('u') if ctrl => Edit::DeleteToStart,
        Char('k') if ctrl => Edit::DeleteToEnd,
        Char('h') if ctrl => Edit::DeleteBack,
        Char('d') if ctrl => Edit::DeleteForward,
        Char('b') if alt => Edit::WordLeft,
        Char('f') if alt => Edit::WordRight,
        Char(c) if !ctrl && !alt => Edit::Insert(c),
        _ => return None,
    })
}

/// The active bindings.
pub struct Keymap {
    /// Every binding, in help order.
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

    /// What a key means in the current mode: an intent, or an edit while typing.
    pub fn msg(&self, mode: &Mode, key: KeyEvent) -> Option<Msg> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == Char('c') {
            return Some(Intent::Quit.into());
        }
        match mode {
            Mode::Search { .. } | Mode::Form(_) => match key.code {
                Esc => Some(Intent::Back.into()),
                Enter => Some(Intent::Submit.into()),
                Tab | Down => Some(Intent::NextField.into()),
                BackTab | Up => Some(Intent::PrevField.into()),
                _ => text_edit(key).map(Msg::Edit),
            },
            Mode::Normal | Mode::Help => {
                if ctrl {
                    return None;
                }
                self.bindings
                    .iter()
                    .find(|b| b.keys.contains(&key.code))
                    .map(|b| Msg::Intent(b.intent))
            }
        }
    }

    /// The label of the first binding for an intent ("c"), for footer hints.
    pub fn label(&self, intent: &Intent) -> Option<&'static str> {
        self.bindings
            .iter()
            .find(|b| &b.intent == intent)
            .map(|b| b.label)
    }

    /// Short hints for the footer of a pane.
    pub fn hints(&self, pane: Pane) -> Vec<(&'static str, &'static str)> {
        let wanted: &[(Intent, &str)] = match pane {
            Pane::Worklist => &[
                (Intent::Open, "open"),
                (Intent::LogCall, "call"),
                (Intent::SetFollowUp, "follow-up"),
                (Intent::ChangeStatus, "status"),
                (Intent::StartSearch, "search"),
                (Intent::NextQueue, "queue"),
                (Intent::CycleSort, "sort"),
                (Intent::Help, "help"),
                (Intent::Quit, "quit"),
            ],
            Pane::Claim => &[
                (Intent::Back, "back"),
                (Intent::NextClaim, "next"),
                (Intent::LogCall, "call"),
                (Intent::SetFollowUp, "follow-up"),
                (Intent::ChangeStatus, "status"),
                (Intent::AddNote, "note"),
                (Intent::FileAppeal, "appeal"),
                (Intent::Help, "help"),
            ],
            Pane::Kpi => &[
                (Intent::NextPeriod, "period"),
                (Intent::NextDimension, "breakdown"),
                (Intent::Open, "claims behind row"),
                (Intent::NewPrevention, "fix"),
                (Intent::Back, "back"),
                (Intent::Help, "help"),
            ],
            Pane::Prevention => &[
                (Intent::ChangeStatus, "status"),
                (Intent::ShowPane(Pane::Kpi), "KPIs (F: new)"),
                (Intent::Back, "back"),
                (Intent::Help, "help"),
            ],
            Pane::Appeals => &[
                (Intent::Back, "back"),
                (Intent::NextPane, "next pane"),
                (Intent::Help, "help"),
                (Intent::Quit, "quit"),
            ],
        };
        wanted
            .iter()
            .filter(|(a, _)| {
                !(self.readonly && self.bindings.iter().any(|b| &b.intent == a && b.mutating))
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
            ro.msg(&Mode::Normal, key(Char('c'))),
            Some(Msg::Intent(Intent::LogCall))
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
            input: Default::default(),
            filter: false,
        };
        assert_eq!(
            km.msg(&search, key(Char('q'))),
            Some(Edit::Insert('q').into())
        );
        assert_eq!(km.msg(&search, key(Esc)), Some(Intent::Back.into()));
        assert_eq!(
            km.msg(&Mode::Normal, key(Char('q'))),
            Some(Intent::Quit.into())
        );
        let ctrl = |c| KeyEvent::new(Char(c), KeyModifiers::CONTROL);
        assert_eq!(
            km.msg(&search, ctrl('w')),
            Some(Edit::DeleteWordBack.into())
        );
        assert_eq!(km.msg(&search, ctrl('u')), Some(Edit::DeleteToStart.into()));
        assert_eq!(km.msg(&search, ctrl('a')), Some(Edit::Home.into()));
        assert_eq!(km.msg(&search, key(KeyCode::Left)), Some(Edit::Left.into()));
    }
}
