//! A keymap file (`keymap.toml`) read over the defaults: a preset, then the user's entries,
//! each overriding only the intent it names. Every mistake (an unknown intent or table, a
//! bad key name, a key bound twice) is reported with its line, and then none of the file
//! applies: a half-applied keymap would leave keys doing what the user did not expect.

pub use super::checks::Problem;
use super::checks::{conflicts, form_keys, form_needs, help_closes};
use super::defaults::{self, Binding, HELP_INTENTS};
use super::key::Key;
use crate::app::Pane;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The effective bindings of every mode.
#[derive(Debug, Clone)]
pub struct Layers {
    /// Normal mode, in help order.
    pub normal: Vec<Binding>,
    /// Per pane: bindings that win over `normal` while that pane shows.
    pub panes: Vec<(Pane, Vec<Binding>)>,
    /// Forms and search: the keys that are not typing.
    pub form: Vec<Binding>,
    /// The help overlay.
    pub help: Vec<Binding>,
    /// The preset applied (`default` unless the file names one).
    pub preset: String,
}

impl Default for Layers {
    fn default() -> Layers {
        let normal = defaults::normal();
        let help = help_from(&normal);
        Layers {
            normal,
            panes: Vec::new(),
            form: defaults::form(),
            help,
            preset: "default".into(),
        }
    }
}

/// The help overlay's bindings: the normal keys of the intents it heeds.
fn help_from(normal: &[Binding]) -> Vec<Binding> {
    use crate::app::Intent;
    normal
        .iter()
        .filter(|b| HELP_INTENTS.contains(&b.intent))
        .map(|b| {
            // What each does in the help overlay, not on the worklist.
            let description = match b.intent {
                Intent::Down => "scroll down",
                Intent::Up => "scroll up",
                Intent::PageDown => "scroll a page down",
                Intent::PageUp => "scroll a page up",
                Intent::Top => "to the top",
                Intent::Bottom => "to the end",
                Intent::Back | Intent::Help => "close help",
                _ => b.description.as_str(),
            };
            Binding {
                description: description.to_string(),
                ..b.clone()
            }
        })
        .collect()
}

type Table = BTreeMap<String, Spanned<toml::Value>>;

/// What a keymap file may hold at its top.
const TOP: [&str; 9] = [
    "preset",
    "normal",
    "worklist",
    "claim",
    "appeals",
    "kpi",
    "prevention",
    "form",
    "help",
];

// Unknown names are found by `read` first, each with its line.
#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct RawFile {
    preset: Option<Spanned<String>>,
    #[serde(default)]
    normal: Table,
    #[serde(default)]
    worklist: Table,
    #[serde(default)]
    claim: Table,
    #[serde(default)]
    appeals: Table,
    #[serde(default)]
    kpi: Table,
    #[serde(default)]
    prevention: Table,
    #[serde(default)]
    form: Table,
    #[serde(default)]
    help: Table,
}

/// One entry read: which intent, its keys, and where it was written.
struct Entry {
    binding: Binding,
    line: usize,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Reads one table's entries against the bindings it may name.
fn entries(text: &str, table: &Table, names: &[Binding], what: &str) -> (Vec<Entry>, Vec<Problem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (name, value) in table {
        let line = line_of(text, value.span().start);
        let Some(base) = names.iter().find(|b| &b.name == name) else {
            problems.push(Problem {
                line,
                text: format!("{name:?} is not {what} (`denialdesk keys` lists every intent)"),
            });
            continue;
        };
        let names: Vec<&str> = match value.get_ref() {
            toml::Value::String(s) => vec![s.as_str()],
            toml::Value::Array(a) if a.iter().all(|v| v.is_str()) => {
                a.iter().filter_map(|v| v.as_str()).collect()
            }
            _ => {
                problems.push(Problem {
                    line,
                    text: format!("{name}: give a key name or a list of them ([] unbinds it)"),
                });
                continue;
            }
        };
        let mut keys: Vec<Key> = Vec::new();
        let before = problems.len();
        for k in names {
            match Key::parse(k) {
                Ok(key) if key == Key::CTRL_C => problems.push(Problem {
                    line,
                    text: format!("{name}: ctrl-c always quits; choose another key"),
                }),
                Ok(key) if !keys.contains(&key) => keys.push(key),
                Ok(_) => {}
                Err(e) => problems.push(Problem {
                    line,
                    text: format!("{name}: {e}"),
                }),
            }
        }
        // An entry with a bad key is left out (the rest still apply for the checks).
        if problems.len() > before {
            continue;
        }
        out.push(Entry {
            binding: Binding {
                keys,
                ..base.clone()
            },
            line,
        });
    }
    (out, problems)
}

/// Puts each entry's keys in place of its intent's.
fn apply(bindings: &mut [Binding], entries: &[Entry]) {
    for e in entries {
        if let Some(b) = bindings.iter_mut().find(|b| b.name == e.binding.name) {
            b.keys = e.binding.keys.clone();
        }
    }
}

/// Layers the preset and the file's entries over the defaults, or says what is wrong.
pub fn read(text: &str) -> Result<Layers, Vec<Problem>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        vec![Problem {
            line: e.span().map_or(0, |s| line_of(text, s.start)),
            text: e.message().trim_end().replace('\n', "; "),
        }]
    })?;
    let mut problems = Vec::new();
    let top: toml::Table = toml::from_str(text).unwrap_or_default();
    for name in top.keys().filter(|k| !TOP.contains(&k.as_str())) {
        let line = text
            .lines()
            .position(|l| {
                let l = l.trim_start();
                l.starts_with(&format!("[{name}]"))
                    || l.starts_with(&format!("{name} "))
                    || l.starts_with(&format!("{name}="))
            })
            .map_or(0, |n| n + 1);
        problems.push(Problem {
            line,
            text: format!(
                "[{name}] is not a keymap table; the tables are [normal], [worklist], [claim], [appeals], [kpi], [prevention], [form] and [help] (and preset = …)"
            ),
        });
    }
    let mut layers = Layers::default();
    if let Some(preset) = &raw.preset {
        let Some(preset_text) = defaults::preset(preset.get_ref()) else {
            return Err(vec![Problem {
                line: line_of(text, preset.span().start),
                text: format!(
                    "preset {:?} is not one of {}",
                    preset.get_ref(),
                    defaults::PRESETS.join(", ")
                ),
            }]);
        };
        // A preset is written as a keymap file itself, read the same way.
        layers = read(preset_text).map_err(|p| {
            p.into_iter()
                .map(|p| Problem {
                    line: 0,
                    text: format!("preset {}: line {}: {}", preset.get_ref(), p.line, p.text),
                })
                .collect::<Vec<_>>()
        })?;
        layers.preset = preset.get_ref().clone();
    }
    let mut take = |(entries, found): (Vec<Entry>, Vec<Problem>)| {
        problems.extend(found);
        entries
    };
    let all_normal = defaults::normal();
    let normal = take(entries(text, &raw.normal, &all_normal, "a key's intent"));
    let form = take(entries(
        text,
        &raw.form,
        &defaults::form(),
        "a form intent (submit, back, next-field, prev-field)",
    ));
    let help_names = help_from(&all_normal);
    let help = take(entries(
        text,
        &raw.help,
        &help_names,
        "a help intent (back, help, quit, up, down, page-up, page-down, top, bottom)",
    ));
    let panes: Vec<(Pane, Vec<Entry>)> = [
        (Pane::Worklist, &raw.worklist),
        (Pane::Claim, &raw.claim),
        (Pane::Appeals, &raw.appeals),
        (Pane::Kpi, &raw.kpi),
        (Pane::Prevention, &raw.prevention),
    ]
    .into_iter()
    .map(|(pane, table)| {
        (
            pane,
            take(entries(text, table, &all_normal, "a key's intent")),
        )
    })
    .collect();
    // Entries with mistakes are left out; the rest are checked too, so every mistake is
    // listed at once.
    let lines = |e: &[Entry]| -> BTreeMap<String, usize> {
        e.iter().map(|e| (e.binding.name.clone(), e.line)).collect()
    };

    apply(&mut layers.normal, &normal);
    problems.extend(conflicts(&layers.normal, &lines(&normal), "[normal]"));
    // Help follows the normal keys unless [help] names its own (presets name none).
    let mut help_layer = help_from(&layers.normal);
    let mut help_lines = lines(&normal);
    apply(&mut help_layer, &help);
    help_lines.extend(lines(&help));
    problems.extend(conflicts(&help_layer, &help_lines, "[help]"));
    problems.extend(help_closes(&help_layer, &help_lines));
    layers.help = help_layer;

    apply(&mut layers.form, &form);
    let form_lines = lines(&form);
    problems.extend(conflicts(&layers.form, &form_lines, "[form]"));
    problems.extend(form_keys(form.iter().map(|e| (&e.binding, e.line))));
    problems.extend(form_needs(&layers.form, &form_lines));

    for (pane, entries) in panes {
        if entries.is_empty() {
            continue;
        }
        let table = format!("[{}]", defaults::kebab(pane));
        let bindings: Vec<Binding> = entries.iter().map(|e| e.binding.clone()).collect();
        problems.extend(conflicts(&bindings, &lines(&entries), &table));
        layers.panes.retain(|(p, _)| *p != pane);
        layers.panes.push((pane, bindings));
    }
    if problems.is_empty() {
        Ok(layers)
    } else {
        problems.sort_by_key(|p| p.line);
        problems.dedup();
        Err(problems)
    }
}
