//! The append-only audit log: who (the OS user), when (UTC), what, and each changed field
//! before → after.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One field that changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field's name (as in JSON).
    pub field: String,
    /// Its value before (null: none).
    pub before: Value,
    /// Its value after.
    pub after: Value,
}

/// One audited change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its place in the log.
    pub seq: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (the OS user).
    pub user: String,
    /// "call", "status", "import", …
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The work item's key (`None`: about the database as a whole).
    pub claim_id: Option<String>,
    /// What happened, in words.
    pub detail: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Field by field, what changed.
    pub changes: Vec<FieldChange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// The work items an imported set opened, each audited by this one entry instead of one
    /// of its own (a tenth of a large import's writes). Their starting values are not
    /// repeated: what the set said of each claim is its adjudication history (`show`), and
    /// every later change is an entry of its own with each field before and after, so a
    /// starting value is the `before` of the first change to that field (or the value now,
    /// if none). An item routed to someone as it opened still has its own entry, naming
    /// the rule, with every field.
    pub opened: Vec<String>,
}

impl AuditEntry {
    /// Whether this entry is about the work item `key`: its own, or the set that opened it.
    pub fn is_about(&self, key: &str) -> bool {
        self.claim_id.as_deref() == Some(key) || self.opened.iter().any(|k| k == key)
    }

    /// This entry as the work item `key`'s own: a set's entry, for an item it opened, reads
    /// as an "import" entry of that item, "opened by" the set's description, with no field
    /// changes (its starting values are not repeated: see `opened`). Items a set opened
    /// share its `seq`.
    pub fn as_about(&self, key: &str) -> AuditEntry {
        if self.claim_id.is_some() || !self.opened.iter().any(|k| k == key) {
            return self.clone();
        }
        AuditEntry {
            seq: self.seq,
            at: self.at,
            user: self.user.clone(),
            action: "import".into(),
            claim_id: Some(key.to_string()),
            detail: format!("opened by {}", self.detail),
            changes: Vec::new(),
            opened: Vec::new(),
        }
    }

    /// The change as the productivity KPIs count it; `None` for an entry about the
    /// database as a whole.
    pub fn activity(&self) -> Option<crate::domain::kpi::Activity> {
        Some(crate::domain::kpi::Activity {
            user: self.user.clone(),
            date: self.at.date_naive(),
            action: self.action.clone(),
            claim: self.claim_id.clone()?,
        })
    }

    /// An entry about the database as a whole (an imported set, a backup, a restore, a
    /// rolled-back import) rather than one claim.
    pub fn about_database(
        seq: u64,
        at: DateTime<Utc>,
        user: &str,
        action: &str,
        detail: String,
    ) -> AuditEntry {
        AuditEntry {
            seq,
            at,
            user: user.to_string(),
            action: action.to_string(),
            claim_id: None,
            detail,
            changes: Vec::new(),
            opened: Vec::new(),
        }
    }
}

/// Bookkeeping fields that change on every save and say nothing on their own.
const NOT_AUDITED: [&str; 3] = ["version", "updated_at", "updated_by"];

/// Field-by-field differences between two serialised records (`None` = did not exist).
pub fn diff<T: Serialize>(before: Option<&T>, after: &T) -> Vec<FieldChange> {
    let to_map = |v: Value| match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    let before = before
        .map(|b| to_map(serde_json::to_value(b).unwrap_or(Value::Null)))
        .unwrap_or_default();
    let after = to_map(serde_json::to_value(after).unwrap_or(Value::Null));
    let mut changes = Vec::new();
    for (field, new) in &after {
        if NOT_AUDITED.contains(&field.as_str()) {
            continue;
        }
        let old = before.get(field).cloned().unwrap_or(Value::Null);
        if &old != new {
            changes.push(FieldChange {
                field: field.clone(),
                before: old,
                after: new.clone(),
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Rec {
        status: &'static str,
        owner: Option<&'static str>,
        version: u64,
    }

    #[test]
    fn diff_lists_changed_fields_only() {
        let a = Rec {
            status: "new",
            owner: None,
            version: 1,
        };
        let b = Rec {
            status: "in-progress",
            owner: None,
            version: 2,
        };
        let changes = diff(Some(&a), &b);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "status");
        assert_eq!(changes[0].before, Value::from("new"));
        assert_eq!(changes[0].after, Value::from("in-progress"));
        assert_eq!(
            diff(None, &a).len(),
            1,
            "a new record lists its non-null fields"
        );
    }
}
