//! A store held in memory, for tests of the app's flows (no sled, no files): work items,
//! adjudication histories and first-adjudication days are given to it; actions are applied
//! with the same domain rules, version checks and timeline events as the real stores, and
//! each change gets an audit entry. It never imports files and is never opened by the CLI.

use super::audit::{diff, AuditEntry};
use super::{StoreError, WorkStore};
use crate::domain::action::{self, WorkAction};
use crate::domain::claim::Claim;
use crate::domain::claim_identity::ClaimRef;
use crate::domain::kpi::{Activity, AdjudicationDay};
use crate::domain::timeline::{Event, EventKind};
use crate::domain::work_item::WorkItem;
use chrono::{NaiveDate, Utc};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// What the store holds.
#[derive(Debug, Default)]
struct Held {
    items: BTreeMap<String, WorkItem>,
    histories: BTreeMap<String, Vec<Claim>>,
    timelines: BTreeMap<String, Vec<Event>>,
    days: Vec<AdjudicationDay>,
    audit: Vec<AuditEntry>,
    prevention: Vec<crate::domain::prevention::PreventionItem>,
}

/// A `WorkStore` in memory.
#[derive(Debug, Default)]
pub struct MemoryStore {
    held: Mutex<Held>,
}

impl MemoryStore {
    /// A store holding these work items (keyed by `WorkItem::key`).
    pub fn with_items(items: Vec<WorkItem>) -> MemoryStore {
        let store = MemoryStore::default();
        store.held().items = items.into_iter().map(|i| (i.key.to_string(), i)).collect();
        store
    }

    /// Adds a claim's adjudication to its history (oldest first), as an import would.
    pub fn add_adjudication(&self, key: &str, claim: Claim) {
        self.held()
            .histories
            .entry(key.to_string())
            .or_default()
            .push(claim);
    }

    /// Sets the first-adjudication counts (the initial denial rate's base).
    pub fn set_adjudication_days(&self, days: Vec<AdjudicationDay>) {
        self.held().days = days;
    }

    /// Every audit entry written, oldest first.
    pub fn audit_log(&self) -> Vec<AuditEntry> {
        self.held().audit.clone()
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        // A test that panicked while holding the lock leaves data that is still whole:
        // every change below is made on a copy and put back in one assignment.
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The key a person's name for a claim means (see `ClaimRef`): a key, `CLP01@N` (in
    /// key order), or a CLP01 only one work item has; `Ambiguous` when several have it.
    fn resolve(held: &Held, claim: &str) -> Result<Option<String>, StoreError> {
        let mut parsed = ClaimRef::parse(claim);
        if let ClaimRef::Key(key) = parsed {
            if held.items.contains_key(key) {
                return Ok(Some(key.to_string()));
            }
            // Not a key after all: a CLP01 that itself ends in "#" and eight hex digits
            // (as the real stores read it), never another claim sharing its prefix.
            parsed = ClaimRef::ClaimId(claim);
        }
        let candidates: Vec<&compact_str::CompactString> = held
            .items
            .values()
            .filter(|i| i.claim_id == parsed.claim_id())
            .map(|i| &i.key)
            .collect();
        match (parsed, candidates.as_slice()) {
            (ClaimRef::Nth(_, n), _) => Ok(candidates.get(n - 1).map(|k| k.to_string())),
            (_, [] | [_]) => Ok(candidates.first().map(|k| k.to_string())),
            (_, many) => Err(StoreError::Ambiguous {
                claim: claim.to_string(),
                candidates: many.iter().map(|k| k.to_string()).collect(),
            }),
        }
    }
}

impl WorkStore for MemoryStore {
    fn prevention_items(
        &self,
    ) -> Result<Vec<crate::domain::prevention::PreventionItem>, StoreError> {
        Ok(self.held().prevention.clone())
    }

    fn save_prevention(
        &self,
        item: &crate::domain::prevention::PreventionItem,
        user: &str,
    ) -> Result<crate::domain::prevention::PreventionItem, StoreError> {
        let mut held = self.held();
        let (before, saved) = crate::domain::prevention::place(&mut held.prevention, item)
            .map_err(StoreError::Refused)?;
        let seq = held.audit.len() as u64 + 1;
        let entry = super::prevention::audit_entry(seq, before.as_ref(), &saved, user);
        held.audit.push(entry);
        Ok(saved)
    }

    fn work_items(&self) -> Result<Vec<WorkItem>, StoreError> {
        Ok(self.held().items.values().cloned().collect())
    }

    fn work_item(&self, claim: &str) -> Result<Option<WorkItem>, StoreError> {
        let held = self.held();
        let key = MemoryStore::resolve(&held, claim)?;
        Ok(key.and_then(|k| held.items.get(&k).cloned()))
    }

    fn claim_history(&self, claim: &str) -> Result<Vec<Claim>, StoreError> {
        let held = self.held();
        let key = MemoryStore::resolve(&held, claim)?;
        Ok(key
            .and_then(|k| held.histories.get(&k).cloned())
            .unwrap_or_default())
    }

    fn timeline(&self, claim: &str) -> Result<Vec<Event>, StoreError> {
        let held = self.held();
        let key = MemoryStore::resolve(&held, claim)?;
        Ok(key
            .and_then(|k| held.timelines.get(&k).cloned())
            .unwrap_or_default())
    }

    fn apply_at_version(
        &self,
        claim_id: &str,
        work: &WorkAction,
        today: NaiveDate,
        user: &str,
        expected: Option<u64>,
    ) -> Result<WorkItem, StoreError> {
        let mut held = self.held();
        let key = MemoryStore::resolve(&held, claim_id)?
            .ok_or_else(|| StoreError::UnknownClaim(claim_id.to_string()))?;
        let before = held.items[&key].clone();
        // The same rule as the real stores: notes and calls only append, so they never
        // conflict; anything else saved since the user looked is refused.
        if !work.appends_only() && expected.is_some_and(|v| v != before.version) {
            return Err(StoreError::conflict(&before));
        }
        let (mut after, kinds) = action::apply(&before, work, today)?;
        let now = Utc::now();
        after.version = before.version + 1;
        after.updated_at = now;
        after.updated_by = user.to_string();
        let detail = kinds
            .iter()
            .map(EventKind::summary)
            .collect::<Vec<_>>()
            .join("; ");
        let timeline = held.timelines.entry(key.clone()).or_default();
        timeline.extend(kinds.into_iter().map(|kind| Event {
            key: key.clone(),
            at: now,
            user: user.to_string(),
            kind,
        }));
        let seq = held.audit.len() as u64 + 1;
        held.audit.push(AuditEntry {
            seq,
            at: now,
            user: user.to_string(),
            action: work.name().to_string(),
            claim_id: Some(key.clone()),
            detail,
            changes: diff(Some(&before), &after),
            opened: Vec::new(),
        });
        held.items.insert(key, after.clone());
        Ok(after)
    }

    fn adjudication_days(&self) -> Result<Vec<AdjudicationDay>, StoreError> {
        Ok(self.held().days.clone())
    }

    fn activity(&self, since: chrono::NaiveDate) -> Result<Vec<Activity>, StoreError> {
        Ok(self
            .held()
            .audit
            .iter()
            .filter(|e| e.at.date_naive() >= since)
            .filter_map(AuditEntry::activity)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::work_item;

    #[test]
    fn claims_are_named_as_in_the_real_stores_and_changes_are_versioned_and_audited() {
        let a = work_item("SHARED");
        let mut b = work_item("SHARED");
        b.key = compact_str::format_compact!("{}#00000001", b.claim_id);
        let store = MemoryStore::with_items(vec![a.clone(), b.clone()]);
        assert!(matches!(
            store.work_item("SHARED"),
            Err(StoreError::Ambiguous { .. })
        ));
        let first = if a.key < b.key { &a } else { &b };
        assert_eq!(store.work_item("SHARED@1").unwrap().unwrap().key, first.key);
        assert_eq!(store.work_item(&b.key).unwrap().unwrap().key, b.key);
        assert!(store.work_item("NOPE").unwrap().is_none());
        // A key of no stored claim names none, not another claim under its CLP01.
        assert!(store.work_item("SHARED#deadbeef").unwrap().is_none());

        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let owner = WorkAction::Assign(Some("maria".into()));
        let saved = store
            .apply_at_version(&a.key, &owner, today, "maria", Some(a.version))
            .unwrap();
        assert_eq!(saved.version, a.version + 1);
        let stale = store.apply_at_version(&a.key, &owner, today, "devon", Some(a.version));
        assert!(matches!(stale, Err(StoreError::Conflict { .. })));
        // A note never conflicts.
        let note = WorkAction::AddNote("left a voicemail".into());
        store
            .apply_at_version(&a.key, &note, today, "devon", Some(a.version))
            .unwrap();
        let audit = store.audit_log();
        assert_eq!(audit.len(), 2);
        assert!(audit[0].changes.iter().any(|c| c.field == "owner"));
        let timeline = store.timeline(&a.key).unwrap();
        assert!(timeline
            .iter()
            .any(|e| e.user == "devon" && e.kind.summary() == "note: left a voicemail"));
    }
}
