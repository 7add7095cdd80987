//! Every intent a key can be bound to, by the name a keymap file uses, with its default
//! keys, what it does, and whether it changes data. The README's key table, `denialdesk
//! keys` and help are all generated from this table (through the effective keymap).

use super::key::Key;
use crate::app::{Intent, Pane};
use crate::domain::queue::Queue;

/// One bindable intent and its keys.
#[derive(Debug, Clone)]
pub struct Binding {
    /// Its name in a keymap file (`log-call`, `queue-mine`).
    pub name: String,
    /// What it means.
    pub intent: Intent,
    /// The keys that trigger it (none: unbound until a keymap names keys for it).
    pub keys: Vec<Key>,
    /// One line for help and the README.
    pub description: String,
    /// Changes data: in read-only mode the key answers "read-only" and is not hinted.
    pub mutating: bool,
}

impl Binding {
    /// How the keys are written in help ("j ↓"); empty when unbound.
    pub fn label(&self) -> String {
        self.keys
            .iter()
            .map(Key::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn b(name: &str, intent: Intent, keys: &[&str], description: &str, mutating: bool) -> Binding {
    Binding {
        name: name.to_string(),
        intent,
        // The names below are fixed and tested; a typo fails every test that builds a keymap.
        keys: keys
            .iter()
            .map(|k| Key::parse(k).expect("default key name"))
            .collect(),
        description: description.to_string(),
        mutating,
    }
}

/// A pane's or queue's name as a keymap spells it (`kpi`, `follow-ups-due`).
pub fn kebab<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The normal-mode bindings, in help order: the panes, queues and everything a key does
/// on a claim. Intents without keys come last (bind them in keymap.toml).
#[rustfmt::skip]
pub fn normal() -> Vec<Binding> {
    let mut all = vec![
        b("down", Intent::Down, &["j", "down"], "next claim", false),
        b("up", Intent::Up, &["k", "up"], "previous claim", false),
        b("page-down", Intent::PageDown, &["pagedown"], "page down", false),
        b("page-up", Intent::PageUp, &["pageup"], "page up", false),
        b("top", Intent::Top, &["g", "home"], "first claim", false),
        b("bottom", Intent::Bottom, &["G", "end"], "last claim", false),
        b("next-claim", Intent::NextClaim, &["J"], "next claim, opened in the claim pane", false),
        b("prev-claim", Intent::PrevClaim, &["K"], "previous claim, opened in the claim pane", false),
        b("open", Intent::Open, &["enter"], "open the claim (KPIs: the claims behind a row)", false),
        b("back", Intent::Back, &["esc"], "back / clear filter / clear marks", false),
        b("next-pane", Intent::NextPane, &["tab"], "next pane", false),
        b("show-worklist", Intent::ShowPane(Pane::Worklist), &["1"], "worklist", false),
        b("show-claim", Intent::ShowPane(Pane::Claim), &["2"], "claim detail", false),
        b("show-appeals", Intent::ShowPane(Pane::Appeals), &["3"], "appeals", false),
        b("show-kpi", Intent::ShowPane(Pane::Kpi), &["4"], "KPIs", false),
        b("show-prevention", Intent::ShowPane(Pane::Prevention), &["5"], "prevention items", false),
        b("next-queue", Intent::NextQueue, &["]"], "next queue (then the saved views)", false),
        b("prev-queue", Intent::PrevQueue, &["["], "previous queue or saved view", false),
        b("queue-all", Intent::SetQueue(Queue::All), &["0"], "queue: all claims", false),
        b("cycle-sort", Intent::CycleSort, &["s"], "sort: priority, deadline, amount, age, follow-up, payer", false),
        b("reverse-sort", Intent::ReverseSort, &["S"], "reverse the sort", false),
        b("start-search", Intent::StartSearch, &["/"], "search claim, patient, payer, CARC", false),
        b("next-match", Intent::NextMatch, &["n"], "next match", false),
        b("prev-match", Intent::PrevMatch, &["N"], "previous match", false),
        b("start-filter", Intent::StartFilter, &["f"], "filter the list", false),
        b("toggle-mark", Intent::ToggleMark, &["space"], "mark for a bulk change", false),
        b("mark-all", Intent::MarkAll, &["*"], "mark every claim shown (again: clear)", false),
        b("log-call", Intent::LogCall, &["c"], "log a payer call", true),
        b("set-follow-up", Intent::SetFollowUp, &["d"], "set follow-up date", true),
        b("change-status", Intent::ChangeStatus, &["t"], "change status", true),
        b("assign", Intent::Assign, &["a"], "assign to a user", true),
        b("assign-to-me", Intent::AssignToMe, &["m"], "assign to me", true),
        b("add-note", Intent::AddNote, &["i"], "add a note", true),
        b("file-appeal", Intent::FileAppeal, &["A"], "record an appeal", true),
        b("check-documents", Intent::CheckDocuments, &["D"], "check off the appeal packet's documents", true),
        b("write-letter", Intent::WriteLetter, &["L"], "write the appeal letter (draft to fill in, letters folder)", true),
        b("appeal-outcome", Intent::AppealOutcome, &["O"], "record an appeal's outcome, or correct the last one", true),
        b("next-period", Intent::NextPeriod, &["P"], "KPIs: next period (30 days, 90 days, month)", false),
        b("new-prevention", Intent::NewPrevention, &["F"], "KPIs: open a prevention item for the root cause", true),
        b("next-dimension", Intent::NextDimension, &["b"], "KPIs: next root-cause breakdown, then people", false),
        b("toggle-privacy", Intent::TogglePrivacy, &["p"], "privacy: hide names and member IDs", false),
        b("refresh", Intent::Refresh, &["r"], "reload from the store", false),
        b("help", Intent::Help, &["?"], "help", false),
        b("quit", Intent::Quit, &["q"], "quit", false),
        b("clear-marks", Intent::ClearMarks, &[], "clear every mark", false),
    ];
    for q in Queue::ALL {
        if q != Queue::All {
            all.push(b(&format!("queue-{}", kebab(q)), Intent::SetQueue(q), &[], &format!("queue: {}", q.label()), false));
        }
    }
    all
}

/// What the help overlay heeds; unless `[help]` names them, they take their normal keys.
pub const HELP_INTENTS: [Intent; 9] = [
    Intent::Back,
    Intent::Help,
    Intent::Quit,
    Intent::Down,
    Intent::Up,
    Intent::PageDown,
    Intent::PageUp,
    Intent::Top,
    Intent::Bottom,
];

/// The form and search keys that are not typing.
pub fn form() -> Vec<Binding> {
    vec![
        b("submit", Intent::Submit, &["enter"], "save / search", false),
        b("back", Intent::Back, &["esc"], "cancel", false),
        b(
            "next-field",
            Intent::NextField,
            &["tab", "down"],
            "next field",
            false,
        ),
        b(
            "prev-field",
            Intent::PrevField,
            &["shift-tab", "up"],
            "previous field",
            false,
        ),
    ]
}

/// A built-in preset: keymap entries applied over the defaults before the user's own.
/// `emacs` adds Emacs motion keys beside the defaults (nothing is taken away).
pub fn preset(name: &str) -> Option<&'static str> {
    match name {
        "default" => Some(""),
        "emacs" => Some(EMACS),
        _ => None,
    }
}

/// The presets, for messages and `config --default`.
pub const PRESETS: [&str; 2] = ["default", "emacs"];

const EMACS: &str = r#"
[normal]
down = ["j", "down", "ctrl-n"]
up = ["k", "up", "ctrl-p"]
page-down = ["pagedown", "ctrl-v"]
page-up = ["pageup", "alt-v"]
top = ["g", "home", "alt-<"]
bottom = ["G", "end", "alt->"]
back = ["esc", "ctrl-g"]
start-search = ["/", "ctrl-s"]
prev-match = ["N", "ctrl-r"]
next-pane = ["tab", "ctrl-o"]

[form]
back = ["esc", "ctrl-g"]
next-field = ["tab", "down", "ctrl-n"]
prev-field = ["shift-tab", "up", "ctrl-p"]
submit = ["enter", "ctrl-j"]
"#;
