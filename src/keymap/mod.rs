//! Key bindings as data: each with its intent, a one-line description and whether it
//! changes data. The defaults (`defaults`) are layered with a preset and the user's
//! `keymap.toml` (`file`); help, footer hints, `denialdesk keys` and the README's key
//! table are generated from the result, and `--readonly` drops every data-changing binding
//! in one place.

mod checks;
pub mod defaults;
pub mod file;
pub mod key;
pub mod text;

use crate::app::{Intent, Mode, Msg, Pane};
use crossterm::event::KeyEvent;
pub use defaults::Binding;
use file::Layers;
use key::Key;
use std::path::Path;
pub use text::TEXT_KEYS;

/// The active bindings.
pub struct Keymap {
    /// Every mode's bindings.
    pub layers: Layers,
    /// Read-only: data-changing keys are kept (so pressing one says "read-only" instead of
    /// nothing happening) but not offered in hints, and marked off in help.
    pub readonly: bool,
}

/// The longest a keymap file may be (a keymap is a few hundred bytes).
const MAX_FILE: u64 = 256 * 1024;

impl Keymap {
    /// The default bindings.
    pub fn new(readonly: bool) -> Keymap {
        Keymap {
            layers: Layers::default(),
            readonly,
        }
    }

    /// The bindings a keymap file gives over the defaults. A missing file is the defaults;
    /// a file with any mistake is the defaults too, with every mistake as
    /// `path:line: what` for the user to read.
    pub fn load(path: &Path, readonly: bool) -> (Keymap, Vec<String>) {
        use crate::small_file::{read, SmallFileError};
        let shown = path.display();
        let text = match read(path, MAX_FILE) {
            Err(SmallFileError::Open(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Keymap::new(readonly), vec![])
            }
            Err(e) => return (Keymap::new(readonly), vec![format!("{shown}: {e}")]),
            Ok(text) => text,
        };
        match file::read(&text) {
            Ok(layers) => (Keymap { layers, readonly }, vec![]),
            Err(problems) => (
                Keymap::new(readonly),
                problems
                    .into_iter()
                    .map(|p| match p.line {
                        0 => format!("{shown}: {}", p.text),
                        n => format!("{shown}:{n}: {}", p.text),
                    })
                    .collect(),
            ),
        }
    }

    /// The normal-mode bindings, in help order.
    pub fn bindings(&self) -> &[Binding] {
        &self.layers.normal
    }

    /// The bindings a pane adds over the normal ones (`[kpi]` in keymap.toml).
    fn pane_bindings(&self, pane: Pane) -> &[Binding] {
        self.layers
            .panes
            .iter()
            .find(|(p, _)| *p == pane)
            .map_or(&[], |(_, b)| b.as_slice())
    }

    /// What a key means in the current mode and pane: an intent, or an edit while typing.
    pub fn msg(&self, mode: &Mode, pane: Pane, event: KeyEvent) -> Option<Msg> {
        let key = Key::from_event(event);
        // Ctrl-C always quits (a form with unsaved text asks first): no keymap can take it.
        if key == Key::CTRL_C {
            return Some(Intent::Quit.into());
        }
        let find = |bindings: &[Binding]| {
            bindings
                .iter()
                .find(|b| b.keys.contains(&key))
                .map(|b| Msg::Intent(b.intent))
        };
        match mode {
            Mode::Search { .. } | Mode::Form(_) => {
                find(&self.layers.form).or_else(|| text::text_edit(event).map(Msg::Edit))
            }
            Mode::Help => find(&self.layers.help),
            Mode::Normal => find(self.pane_bindings(pane)).or_else(|| find(&self.layers.normal)),
        }
    }

    /// The first key bound to an intent in a pane ("c"), for footer hints: the pane's own
    /// binding, else a normal key the pane's table has not taken for something else.
    pub fn label(&self, pane: Pane, intent: &Intent) -> Option<String> {
        let own = self.pane_bindings(pane);
        if let Some(b) = own
            .iter()
            .find(|b| &b.intent == intent && !b.keys.is_empty())
        {
            return Some(b.keys[0].to_string());
        }
        let taken = |k: &Key| own.iter().any(|b| b.keys.contains(k));
        self.layers
            .normal
            .iter()
            .filter(|b| &b.intent == intent)
            .flat_map(|b| b.keys.iter())
            .find(|k| !taken(k))
            .map(Key::to_string)
    }

    /// The first key of a form intent (submit, back, next-field), for the form's hints.
    pub fn form_key(&self, intent: Intent) -> String {
        first(&self.layers.form, intent).unwrap_or_else(|| "(none)".into())
    }

    /// The first key of an intent in the help overlay, if it has one.
    pub fn help_key(&self, intent: Intent) -> Option<String> {
        first(&self.layers.help, intent)
    }

    /// Short hints for the footer of a pane.
    pub fn hints(&self, pane: Pane) -> Vec<(String, String)> {
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
                (Intent::ShowPane(Pane::Kpi), "KPIs"),
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
            .filter(|(a, _)| !(self.readonly && self.changes_data(a)))
            .filter_map(|(a, text)| {
                let mut text = text.to_string();
                // Prevention items are opened from the KPI pane: say with which key.
                if pane == Pane::Prevention && *a == Intent::ShowPane(Pane::Kpi) {
                    if let Some(new) = self.label(Pane::Kpi, &Intent::NewPrevention) {
                        text = format!("{text} ({new}: new)");
                    }
                }
                self.label(pane, a).map(|l| (l, text))
            })
            .collect()
    }

    fn changes_data(&self, intent: &Intent) -> bool {
        self.layers
            .normal
            .iter()
            .any(|b| &b.intent == intent && b.mutating)
    }

    /// Help's entries, "key(s)  what it does", the keys padded to one width; unbound
    /// intents are left out, pane-only keys follow with their pane.
    pub fn help_entries(&self) -> Vec<String> {
        let bound = |b: &&Binding| !b.keys.is_empty();
        let width = self
            .layers
            .normal
            .iter()
            .chain(self.layers.panes.iter().flat_map(|(_, b)| b))
            .filter(bound)
            .map(|b| b.label().chars().count())
            .max()
            .unwrap_or(0)
            .max(7);
        let entry = |b: &Binding, pane: Option<Pane>| {
            let off = if self.readonly && b.mutating {
                " (off)"
            } else {
                ""
            };
            let only = pane.map_or(String::new(), |p| format!(" (in {})", p.title()));
            format!("{:<width$} {}{only}{off}", b.label(), b.description)
        };
        let mut out: Vec<String> = self
            .layers
            .normal
            .iter()
            .filter(bound)
            .map(|b| entry(b, None))
            .collect();
        for (pane, bindings) in &self.layers.panes {
            out.extend(bindings.iter().filter(bound).map(|b| entry(b, Some(*pane))));
        }
        out
    }

    /// The form and search keys that are not typing, for help ("Enter save / search").
    pub fn form_entries(&self) -> Vec<String> {
        self.layers
            .form
            .iter()
            .filter(|b| !b.keys.is_empty())
            .map(|b| format!("{} {}", b.label(), b.description))
            .chain(TEXT_KEYS.iter().map(|(k, d)| format!("{k} {d}")))
            .collect()
    }

    /// Every intent with its keys, as a table to read in a terminal (`denialdesk keys`).
    pub fn listing(&self) -> String {
        let mut out = format!("preset: {}\n\n", self.layers.preset);
        let mut section = |title: &str, bindings: &[Binding]| {
            out.push_str(&format!("[{title}]\n"));
            for b in bindings {
                let keys = if b.keys.is_empty() {
                    "(none)".to_string()
                } else {
                    b.label()
                };
                out.push_str(&format!(
                    "  {:<29} {:<14} {}\n",
                    b.name, keys, b.description
                ));
            }
            out.push('\n');
        };
        section("normal", &self.layers.normal);
        for (pane, bindings) in &self.layers.panes {
            section(&defaults::kebab(*pane), bindings);
        }
        section("form", &self.layers.form);
        section("help", &self.layers.help);
        out
    }
}

fn first(bindings: &[Binding], intent: Intent) -> Option<String> {
    bindings
        .iter()
        .find(|b| b.intent == intent)
        .and_then(|b| b.keys.first())
        .map(Key::to_string)
}

/// The default key tables as Markdown, for the README (kept in sync by a test): every
/// intent by its keymap name, with its default keys.
pub fn markdown_table() -> String {
    let keymap = Keymap::new(false);
    let row = |b: &Binding| {
        let keys = if b.keys.is_empty() {
            "(none)".to_string()
        } else {
            format!("`{}`", b.label())
        };
        format!(
            "| {keys} | `{}` | {} | {} |\n",
            b.name,
            b.description,
            if b.mutating { "yes" } else { "" }
        )
    };
    let mut out = String::from("| key | intent | action | changes data |\n|---|---|---|---|\n");
    out.extend(keymap.layers.normal.iter().map(row));
    out.push_str("\nIn forms and search (`[form]`):\n\n| key | intent | action | changes data |\n|---|---|---|---|\n");
    out.extend(keymap.layers.form.iter().map(row));
    out
}

#[cfg(test)]
mod tests;
