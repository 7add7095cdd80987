//! The prevention loop: a denial pattern (a root cause: payer, category, CARC, stage,
//! provider, facility or procedure, alone or together) becomes an operational fix with
//! an owner and a due date, and its effect is measured: the cause's denial rate and
//! denied dollars in equal periods before and after the fix started (`effect`).

use super::kpi::Dimension;
use super::work_item::WorkItem;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

pub mod effect;
#[cfg(test)]
mod tests;

pub use effect::{effect, effects, rank_causes, Effect, Fix, Window};

/// The denials a prevention item is about: every part must match (`payer=AETNA,
/// category=eligibility`). Values compare without regard to case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    /// (dimension, value) pairs, in the order given.
    pub parts: Vec<(Dimension, String)>,
}

impl Cause {
    /// Parses `payer=aetna,category=eligibility`; the error says what is wrong. A comma
    /// starts a new part only before a root cause's name and `=`: a provider's
    /// "DUBOIS, CLAIRE" stays one value.
    pub fn parse(text: &str) -> Result<Cause, String> {
        let mut pieces: Vec<String> = Vec::new();
        for piece in text.split(',') {
            let starts_part = piece
                .split_once('=')
                .is_some_and(|(d, _)| Dimension::parse(d).is_some());
            match pieces.last_mut() {
                Some(last) if !starts_part => {
                    last.push(',');
                    last.push_str(piece);
                }
                _ => pieces.push(piece.to_string()),
            }
        }
        let mut parts = Vec::new();
        for part in pieces.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            let (dim, value) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?}: write DIMENSION=VALUE, e.g. payer=AETNA"))?;
            let dim = Dimension::parse(dim).ok_or_else(|| {
                let names: Vec<&str> = Dimension::ALL.iter().map(|d| d.key()).collect();
                format!(
                    "{:?} is not a root cause; use {}",
                    dim.trim(),
                    names.join(", ")
                )
            })?;
            let value = value.trim();
            if value.is_empty() || value.chars().any(char::is_control) {
                return Err(format!("{}: give a plain value", dim.key()));
            }
            let value = match dim {
                // Categories are written as their keys (`eligibility`).
                Dimension::Category => super::taxonomy::Category::parse(value)
                    .map(|c| c.key().to_string())
                    .ok_or_else(|| format!("{value:?} is not a denial category"))?,
                Dimension::Carc => value.to_ascii_uppercase(),
                _ => value.to_string(),
            };
            if parts.iter().any(|(d, _)| *d == dim) {
                return Err(format!("{} is given twice", dim.key()));
            }
            if is_placeholder(&value) {
                return Err(format!(
                    "{}={value} is no cause to fix (it groups denials with no {} named)",
                    dim.key(),
                    dim.key()
                ));
            }
            parts.push((dim, value));
        }
        if parts.is_empty() {
            return Err("name the cause, e.g. payer=AETNA,category=eligibility".into());
        }
        Ok(Cause { parts })
    }

    /// Whether a denial is one of this cause's. A procedure matches each denied line of
    /// that code and, for a denial of the whole claim, each of the claim's procedures (as
    /// the KPI engine's denial rate by CPT counts them).
    pub fn matches(&self, item: &WorkItem) -> bool {
        // Compared field by field, without building value lists: the prevention pane
        // asks this of every denial in its periods.
        let is = |v: &str, value: &str| v.eq_ignore_ascii_case(value);
        self.parts.iter().all(|(dim, value)| match dim {
            Dimension::Payer => is(&item.payer, value),
            Dimension::Category => is(item.category.key(), value),
            Dimension::Stage => is(item.stage.key(), value),
            Dimension::Facility => is(&item.facility, value),
            Dimension::Provider => is(
                item.rendering_provider
                    .as_deref()
                    .unwrap_or(super::kpi::NO_PROVIDER),
                value,
            ),
            Dimension::Carc => item.carcs.iter().any(|c| is(c, value)),
            Dimension::Cpt => super::kpi::denied_procedures(item)
                .iter()
                .any(|c| is(c, value)),
        })
    }

    /// Checks the cause against the denials on record and spells each value as the
    /// remittances do (`aetna` → `AETNA`): a value no denial has is refused, naming the
    /// values there are (a misspelt payer would measure nothing, and a cause stays as
    /// opened).
    pub fn resolve(&mut self, items: &[WorkItem]) -> Result<(), String> {
        let denials: Vec<&WorkItem> = items
            .iter()
            .filter(|i| i.kind == super::work_item::ItemKind::Denial)
            .collect();
        for (dim, value) in self.parts.iter_mut() {
            let mut seen: Vec<&str> = denials
                .iter()
                .flat_map(|i| match dim {
                    Dimension::Cpt => super::kpi::denied_procedures(i),
                    _ => dim.values(i),
                })
                .filter(|v| !is_placeholder(v))
                .collect();
            if let Some(known) = seen.iter().find(|v| v.eq_ignore_ascii_case(value)) {
                *value = known.to_string();
                continue;
            }
            seen.sort_unstable();
            seen.dedup();
            let shown: Vec<&str> = seen.iter().take(12).copied().collect();
            return Err(format!(
                "no denial on record has {}={value}; known values: {}{}",
                dim.key(),
                shown.join(", "),
                if seen.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            ));
        }
        if !denials.iter().any(|i| self.matches(i)) {
            return Err(format!(
                "no denial on record matches {self} (each part does, but never together)"
            ));
        }
        Ok(())
    }

    /// The value the cause gives for `dim`, if any.
    pub fn value(&self, dim: Dimension) -> Option<&str> {
        self.parts
            .iter()
            .find(|(d, _)| *d == dim)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: Vec<String> = self
            .parts
            .iter()
            .map(|(d, v)| format!("{}={v}", d.key()))
            .collect();
        f.write_str(&text.join(","))
    }
}

/// The KPI engine's groups of denials with nothing named: no cause to fix.
pub fn is_placeholder(value: &str) -> bool {
    value == super::kpi::NO_PROVIDER || value == super::kpi::CLAIM_LEVEL_CPT
}

/// Where a prevention item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum PreventionStatus {
    /// Being worked on.
    #[default]
    Open,
    /// The fix is in place.
    Done,
    /// Given up (the reason is in its note).
    Dropped,
}

impl PreventionStatus {
    /// Every status, in form order.
    pub const ALL: [PreventionStatus; 3] = [
        PreventionStatus::Open,
        PreventionStatus::Done,
        PreventionStatus::Dropped,
    ];

    /// The name as typed and stored.
    pub fn key(self) -> &'static str {
        match self {
            PreventionStatus::Open => "open",
            PreventionStatus::Done => "done",
            PreventionStatus::Dropped => "dropped",
        }
    }

    /// The status a typed name means.
    pub fn parse(text: &str) -> Option<PreventionStatus> {
        let t = text.trim().to_ascii_lowercase();
        PreventionStatus::ALL.into_iter().find(|s| s.key() == t)
    }
}

impl fmt::Display for PreventionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One operational fix for a denial pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreventionItem {
    /// Its number (1, 2 …; 0 until saved).
    pub id: u64,
    /// The denials it is meant to stop.
    pub cause: Cause,
    /// What will be done ("verify eligibility at check-in").
    pub action: String,
    /// Who owns the fix.
    pub owner: String,
    /// When it should be in place.
    pub due: NaiveDate,
    /// Where it stands.
    pub status: PreventionStatus,
    /// The day it started: its effect is measured from here.
    pub start: NaiveDate,
    /// Who opened it.
    pub created_by: String,
    /// Why it was closed or dropped, or the latest word on it.
    #[serde(default)]
    pub note: String,
    /// Bumped by every save; a stale save is refused.
    pub version: u64,
}

impl PreventionItem {
    /// A new item started `today`, checked: an owner who could be a user, a due date not
    /// in the past, an action in plain words.
    pub fn new(
        cause: Cause,
        action: &str,
        owner: &str,
        due: NaiveDate,
        today: NaiveDate,
        user: &str,
    ) -> Result<PreventionItem, String> {
        let item = PreventionItem {
            id: 0,
            cause,
            action: action.trim().to_string(),
            owner: owner.trim().to_string(),
            due,
            status: PreventionStatus::Open,
            start: today,
            created_by: user.to_string(),
            note: String::new(),
            version: 0,
        };
        item.check()?;
        if due < today {
            return Err(format!("due {due} is in the past (today is {today})"));
        }
        Ok(item)
    }

    /// Checks what people type into it.
    pub fn check(&self) -> Result<(), String> {
        if !super::user::valid_user_name(&self.owner) {
            return Err(format!(
                "owner {:?} is not a user name (letters, digits, '.', '_' and '-')",
                self.owner
            ));
        }
        for (field, text) in [("action", &self.action), ("note", &self.note)] {
            if text.chars().any(char::is_control) {
                return Err(format!("{field}: type plain text on one line"));
            }
            if text.len() > super::action::TEXT_MAX {
                return Err(format!("{field} is too long"));
            }
        }
        if self.action.is_empty() {
            return Err("action: say what will be done".into());
        }
        if self.status == PreventionStatus::Dropped && self.note.is_empty() {
            return Err("note: say why it was dropped".into());
        }
        Ok(())
    }

    /// Open past its due date.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status == PreventionStatus::Open && self.due < today
    }
}

/// Puts `item` into `items` (the stored list): a new one (id 0) gets the next id, an
/// existing one replaces its stored self if nobody saved it since it was read. Returns
/// the item before (none when new) and as saved; the error says why it was refused.
pub fn place(
    items: &mut Vec<PreventionItem>,
    item: &PreventionItem,
) -> Result<(Option<PreventionItem>, PreventionItem), String> {
    item.check()?;
    let mut saved = item.clone();
    if item.id == 0 {
        saved.id = items.iter().map(|p| p.id).max().unwrap_or(0) + 1;
        saved.version = 1;
        items.push(saved.clone());
        return Ok((None, saved));
    }
    let Some(stored) = items.iter_mut().find(|p| p.id == item.id) else {
        return Err(format!("there is no prevention item {}", item.id));
    };
    if stored.version != item.version {
        return Err(format!(
            "prevention item {} was changed since you read it; look again (prevent list) and redo the change",
            item.id
        ));
    }
    if stored.cause != item.cause
        || stored.start != item.start
        || stored.created_by != item.created_by
    {
        return Err(
            "a prevention item's cause and start stay as opened: open a new one for another cause"
                .into(),
        );
    }
    let before = stored.clone();
    saved.version = item.version + 1;
    *stored = saved.clone();
    Ok((Some(before), saved))
}
