//! What makes a keymap unusable, found after its entries are layered: a key bound to two
//! intents in one table, a form key that types or edits text, a form without a key to
//! save or cancel, help without a key to close it. Each is a `Problem` at a line.

use super::defaults::Binding;
use super::text::text_edit;
use crate::app::Intent;
use std::collections::BTreeMap;

/// A mistake in a keymap file, at a line (0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// What is wrong and how to put it right.
    pub text: String,
}

/// A key bound to two intents in one mode, reported at the user's entry for either.
pub fn conflicts(
    bindings: &[Binding],
    lines: &BTreeMap<String, usize>,
    mode: &str,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, a) in bindings.iter().enumerate() {
        for b in &bindings[i + 1..] {
            for key in a.keys.iter().filter(|k| b.keys.contains(k)) {
                // The entry written last took the key: it is the one to change.
                let (named, other) = match (lines.get(&a.name), lines.get(&b.name)) {
                    (Some(la), Some(lb)) if la > lb => (a, b),
                    (_, Some(_)) => (b, a),
                    _ => (a, b),
                };
                let line = lines.get(&named.name).copied().unwrap_or(0);
                problems.push(Problem {
                    line,
                    text: format!(
                        "{key} is bound to both {} and {} in {mode}; give {} another key (or [] to unbind it)",
                        named.name, other.name, other.name
                    ),
                });
            }
        }
    }
    problems
}

/// Form keys that would type or edit text instead of acting (`entries`: each binding the
/// file gave `[form]`, with its line).
pub fn form_keys<'a>(entries: impl Iterator<Item = (&'a Binding, usize)>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (binding, line) in entries {
        for key in &binding.keys {
            if key.types_text() || text_edit(key.event()).is_some() {
                problems.push(Problem {
                    line,
                    text: format!(
                        "{}: {key} {} in a form; choose another key (an F key, or a ctrl- or alt- key that does not edit text)",
                        binding.name,
                        if key.types_text() { "types itself" } else { "edits the text" }
                    ),
                });
            }
        }
    }
    problems
}

/// A form must keep a key to save and one to cancel.
pub fn form_needs(form: &[Binding], lines: &BTreeMap<String, usize>) -> Vec<Problem> {
    ["submit", "back"]
        .into_iter()
        .filter(|required| {
            form.iter()
                .any(|b| b.name == *required && b.keys.is_empty())
        })
        .map(|required| Problem {
            line: lines.get(required).copied().unwrap_or(0),
            text: format!("[form] {required} needs a key"),
        })
        .collect()
}

/// Help closes with back or help: one of them must keep a key.
pub fn help_closes(help: &[Binding], lines: &BTreeMap<String, usize>) -> Option<Problem> {
    let bound = |intent| {
        help.iter()
            .any(|b| b.intent == intent && !b.keys.is_empty())
    };
    (!bound(Intent::Back) && !bound(Intent::Help)).then(|| Problem {
        line: lines.get("back").copied().unwrap_or(0),
        text: "[help] back (or help) needs a key, or help could never be closed".into(),
    })
}
