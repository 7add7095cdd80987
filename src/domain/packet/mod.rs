//! Appeal packets: what goes to the payer with an appeal at one level. The checklist
//! (`checklist`: the documents a payer expects for the denial's category and level) is
//! checked off item by item with a reference (a file path, a document id, "faxed
//! 2026-12-02"), letters written for the level are linked, and an appeal is recorded as
//! sent only when every required document is there, or with the reason it went without.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod checklist;
#[cfg(test)]
mod tests;

pub use checklist::{ChecklistDoc, Checklists, APPEAL_LETTER};

/// One document checked off, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentCheck {
    /// The checklist item's id ("medical-records").
    pub id: String,
    /// Its wording when it was checked off (checklists may change later).
    pub label: String,
    /// Where it is: a file path, a document id, "faxed 2026-12-02".
    pub reference: String,
    /// When it was checked off.
    pub checked_on: NaiveDate,
}

/// A letter written for the level (`denialdesk letter --out`, `L` in the app).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterRecord {
    /// "level 1 appeal letter", "payment dispute letter".
    pub what: String,
    /// The template it was made from.
    pub template: String,
    /// The file written; `None` when it was only printed.
    pub path: Option<String>,
    /// When.
    pub written_on: NaiveDate,
    /// It still has `[bracketed]` parts to fill in: not ready to send, so it does not
    /// check off the packet's appeal letter.
    #[serde(default)]
    pub draft: bool,
}

/// The packet for one appeal level.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AppealPacket {
    /// The appeal level it goes with.
    pub level: u8,
    /// Documents checked off, in the order they were first checked.
    pub documents: Vec<DocumentCheck>,
    /// Letters written for the level, oldest first.
    pub letters: Vec<LetterRecord>,
    /// Required documents missing when the appeal was sent, and why they were not needed.
    pub sent_without: Option<SentWithout>,
}

/// Required documents an appeal went without, confirmed by the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentWithout {
    /// The missing documents' wording.
    pub documents: Vec<String>,
    /// Why it was sent anyway.
    pub reason: String,
}

/// One checklist item and where its document is, if anywhere yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistState {
    /// The item.
    pub doc: ChecklistDoc,
    /// Its reference: typed when checked off, or the letter's file for the appeal letter.
    pub reference: Option<String>,
}

impl AppealPacket {
    /// An empty packet for `level`.
    pub fn new(level: u8) -> AppealPacket {
        AppealPacket {
            level,
            ..AppealPacket::default()
        }
    }

    /// The reference recorded for checklist item `id`: typed, or for the appeal letter
    /// the newest letter written (its file, or "printed on …").
    pub fn reference(&self, id: &str) -> Option<String> {
        if let Some(d) = self.documents.iter().find(|d| d.id == id) {
            return Some(d.reference.clone());
        }
        if id == APPEAL_LETTER {
            return self
                .letters
                .iter()
                .rev()
                .find(|l| !l.draft)
                .map(|l| match &l.path {
                    Some(p) => p.clone(),
                    None => format!("printed on {}", l.written_on),
                });
        }
        None
    }

    /// The newest letter, when it is a draft still to fill in (no finished one since).
    pub fn draft(&self) -> Option<&LetterRecord> {
        self.letters.last().filter(|l| l.draft)
    }

    /// Each item of `checklist` with its reference.
    pub fn state(&self, checklist: &[ChecklistDoc]) -> Vec<ChecklistState> {
        checklist
            .iter()
            .map(|doc| ChecklistState {
                doc: doc.clone(),
                reference: self.reference(&doc.id),
            })
            .collect()
    }

    /// The required items of `checklist` with no reference yet.
    pub fn missing(&self, checklist: &[ChecklistDoc]) -> Vec<ChecklistDoc> {
        checklist
            .iter()
            .filter(|d| d.required && self.reference(&d.id).is_none())
            .cloned()
            .collect()
    }

    /// Records `reference` for `doc` (an empty one unchecks it); the reference it had
    /// before, or `None` when nothing changed.
    pub fn check(
        &mut self,
        doc: &ChecklistDoc,
        reference: &str,
        on: NaiveDate,
    ) -> Option<Option<String>> {
        let reference = reference.trim();
        let at = self.documents.iter().position(|d| d.id == doc.id);
        let before = at.map(|i| self.documents[i].reference.clone());
        match (at, reference.is_empty()) {
            (None, true) => return None,
            (Some(i), true) => {
                self.documents.remove(i);
            }
            (Some(i), false) if self.documents[i].reference == reference => return None,
            (Some(i), false) => {
                self.documents[i].reference = reference.to_string();
                self.documents[i].label = doc.label.clone();
                self.documents[i].checked_on = on;
            }
            (None, false) => self.documents.push(DocumentCheck {
                id: doc.id.clone(),
                label: doc.label.clone(),
                reference: reference.to_string(),
                checked_on: on,
            }),
        }
        Some(before)
    }

    /// What was sent, for the appeal record: each document with its reference.
    pub fn sent_list(&self) -> String {
        let letters = self.letters.iter().rev().find(|l| !l.draft).map(|l| {
            format!(
                "{} ({})",
                l.what,
                l.path.clone().unwrap_or_else(|| "printed".into())
            )
        });
        let has_letter_item = self.documents.iter().any(|d| d.id == APPEAL_LETTER);
        self.documents
            .iter()
            .map(|d| format!("{} ({})", d.label, d.reference))
            .chain(letters.filter(|_| !has_letter_item))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A reference typed for a checklist item (empty: uncheck it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEntry {
    /// The item.
    pub doc: ChecklistDoc,
    /// Where its document is; empty to uncheck.
    pub reference: String,
}

/// What sending an appeal checks its packet against: the level's checklist (from the
/// config or the built-ins, resolved where the appeal is recorded, as deadlines are),
/// references typed with it, and the reason when required documents are missing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PacketCheck {
    /// The level's checklist; empty checks nothing (records from before checklists).
    #[serde(default)]
    pub checklist: Vec<ChecklistDoc>,
    /// References typed in the appeal form, recorded first.
    #[serde(default)]
    pub checks: Vec<DocumentEntry>,
    /// Why it goes without the required documents still missing (the confirmation).
    #[serde(default)]
    pub sent_without: Option<String>,
}
