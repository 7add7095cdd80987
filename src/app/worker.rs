//! The worker owns the store and runs effects off the UI thread; each result comes back
//! as an `Outcome`. `run_effect` is the same work, synchronously, for tests.

use super::effect::Effect;
use super::outcome::Outcome;
use super::state::ClaimDetail;
use crate::store::{StoreError, WorkStore};
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;

/// Runs one effect against the store.
pub fn run_effect(store: &dyn WorkStore, user: &str, effect: Effect) -> Vec<Outcome> {
    let one = match effect {
        Effect::Viewing(claim) => {
            // Presence is a courtesy: failing to send it must not disturb the user.
            let _ = store.set_viewing(claim.as_deref());
            return vec![];
        }
        Effect::OpenWorklist => {
            return match store.list_rows() {
                Ok(rows) => vec![Outcome::ListLoaded(rows)],
                // The whole load may still work (and says why if not).
                Err(_) => run_effect(store, user, Effect::LoadWorklist),
            };
        }
        Effect::LoadWorklist => {
            // The pane's longest period is 90 days: a little more covers any of them.
            let since = chrono::Utc::now().date_naive() - chrono::Duration::days(100);
            return match (store.work_items(), store.adjudication_days()) {
                (Ok(items), Ok(days)) => vec![
                    Outcome::Loaded(items),
                    Outcome::DaysLoaded(days),
                    // Productivity is a courtesy of the audit log: without it the pane
                    // still shows every other figure.
                    Outcome::ActivityLoaded(store.activity(since).unwrap_or_default()),
                    Outcome::SessionIs(store.session()),
                    // Prevention items too: the KPI pane marks the causes they cover.
                    Outcome::PreventionLoaded(store.prevention_items().unwrap_or_default()),
                ],
                (Err(e), _) | (_, Err(e)) => {
                    vec![Outcome::Failed(format!("cannot load the worklist: {e}"))]
                }
            };
        }
        Effect::LoadDetail(key) => {
            let detail = (|| {
                Ok::<_, crate::store::StoreError>(ClaimDetail {
                    history: store.claim_history(&key)?,
                    item: store.work_item(&key)?,
                    timeline: store.timeline(&key)?,
                    key: key.clone(),
                })
            })();
            match detail {
                Ok(d) => Outcome::DetailLoaded(Box::new(d)),
                Err(e) => Outcome::Failed(format!("cannot load claim {key}: {e}")),
            }
        }
        Effect::WriteLetter {
            key,
            settings,
            today,
        } => letter(store, user, &key, &settings, today),
        Effect::LoadPrevention => match store.prevention_items() {
            Ok(items) => Outcome::PreventionLoaded(items),
            Err(e) => Outcome::Failed(format!("cannot load the prevention items: {e}")),
        },
        Effect::SavePrevention { item, done } => match store.save_prevention(&item, user) {
            Ok(item) => Outcome::PreventionSaved {
                item: Box::new(item),
                message: done,
            },
            Err(e) => Outcome::Failed(format!("not saved: {e}")),
        },
        Effect::Apply {
            changes,
            today,
            done,
        } => {
            let total = changes.len();
            let mut saved = Vec::new();
            for (claim, action, version) in changes {
                match store.apply_at_version(&claim, &action, today, user, version) {
                    Ok(item) => saved.push(item),
                    Err(e) => {
                        let prefix = if saved.is_empty() {
                            "not saved".to_string()
                        } else {
                            format!("{} of {total} saved, then stopped", saved.len())
                        };
                        let failed = Outcome::Failed(format!("{prefix}: {e}"));
                        let kept = !saved.is_empty();
                        // On a conflict, show the other person's change at once.
                        if matches!(e, StoreError::Conflict { .. }) {
                            if let Ok(Some(fresh)) = store.work_item(&claim) {
                                saved.push(fresh);
                            }
                        }
                        // Report what did save so the list shows the truth.
                        if saved.is_empty() {
                            return vec![failed];
                        }
                        return vec![Outcome::ItemsChanged { items: saved, kept }, failed];
                    }
                }
            }
            Outcome::Saved {
                items: saved,
                message: done,
            }
        }
    };
    vec![one]
}

/// Writes a claim's letter into the letters folder, named by claim, kind and day: a PDF
/// when it is ready to send, else the editable text of the draft (its `[bracketed]`
/// parts to fill in), which `letter --text` turns into the PDF.
fn letter(
    store: &dyn WorkStore,
    user: &str,
    key: &str,
    settings: &crate::letter::LetterSettings,
    today: chrono::NaiveDate,
) -> Outcome {
    use crate::letter::{compose, letter_path, write_composed, LetterChoice};
    let written = (|| {
        let dir = settings
            .letters_dir
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("no home folder to keep letters in"))?;
        let composed = compose(store, key, settings, &LetterChoice::default(), today, user)?;
        let kind = if composed.item.kind == crate::domain::work_item::ItemKind::Underpayment {
            "dispute".to_string()
        } else {
            format!("appeal-l{}", composed.level)
        };
        let ext = if composed.placeholders.is_empty() {
            "pdf"
        } else {
            "txt"
        };
        let out = letter_path(dir, &composed.item.claim_id, &kind, today, ext)?;
        let blanks = composed.placeholders.len();
        write_composed(store, composed, Some(&out), today, user).map(|w| (w, out, blanks))
    })();
    match written {
        Ok((w, out, blanks)) if w.draft => Outcome::Saved {
            message: format!(
                "draft {} written to {}: fill in its {blanks} [bracketed] parts, then `denialdesk letter {} --text {} --out {}.pdf` makes the PDF to send",
                w.what,
                out.display(),
                w.item.claim_id,
                out.display(),
                out.with_extension("").display()
            ),
            items: vec![w.item],
        },
        Ok((w, out, _)) => Outcome::Saved {
            message: format!("{} written to {}", w.what, out.display()),
            items: vec![w.item],
        },
        Err(e) => Outcome::Failed(format!("letter not written: {e:#}")),
    }
}

/// Starts the worker thread. It stops when the effect channel closes or `send` fails.
pub fn spawn(
    store: Box<dyn WorkStore + Send>,
    user: String,
    effects: Receiver<Effect>,
    send: impl Fn(Outcome) -> bool + Send + 'static,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for effect in effects {
            for outcome in run_effect(store.as_ref(), &user, effect) {
                if !send(outcome) {
                    return;
                }
            }
        }
    })
}
