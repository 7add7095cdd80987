//! Per-person productivity for a period: claims each person changed and calls logged
//! (from the audit log, who really did it), and claims resolved and dollars recovered on
//! the claims each one owns; with the follow-ups waiting on them today.

use super::period::Period;
use crate::domain::work_item::{ItemKind, WorkItem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One change a person saved, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// Who (the OS user).
    pub user: String,
    /// The day.
    pub date: NaiveDate,
    /// The audit log's action name ("call", "status", "appeal" …).
    pub action: String,
    /// The work item's key.
    pub claim: String,
}

impl Activity {
    /// Imports are the importing user's only by accident: not anyone's work on a claim.
    pub fn is_work(&self) -> bool {
        !self.action.starts_with("import")
    }
}

/// One person's figures (an owner of open work, or someone who worked in the period).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OwnerLoad {
    /// The user name.
    pub owner: String,
    /// Open items they own with a follow-up due today.
    pub follow_ups_due_today: u64,
    /// Open items they own with a follow-up before today.
    pub follow_ups_overdue: u64,
    /// Distinct claims they changed in the period.
    pub touched_in_period: u64,
    /// Payer calls they logged in the period.
    pub calls_in_period: u64,
    /// Claims they own that reached a final disposition in the period.
    pub resolved_in_period: u64,
    /// Payments received in the period on claims they own (reversals subtract).
    pub recovered_in_period_cents: i64,
}

/// Everyone's figures, by user name.
pub fn productivity(
    items: &[WorkItem],
    activity: &[Activity],
    period: Period,
    today: NaiveDate,
) -> Vec<OwnerLoad> {
    let mut people: BTreeMap<&str, OwnerLoad> = BTreeMap::new();
    let mut touched: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    fn person<'a, 'p>(
        people: &'p mut BTreeMap<&'a str, OwnerLoad>,
        user: &'a str,
    ) -> &'p mut OwnerLoad {
        people.entry(user).or_insert_with(|| OwnerLoad {
            owner: user.to_string(),
            ..OwnerLoad::default()
        })
    }
    for a in activity
        .iter()
        .filter(|a| a.is_work() && period.contains(a.date))
    {
        touched.entry(&a.user).or_default().insert(&a.claim);
        let p = person(&mut people, &a.user);
        if a.action == "call" {
            p.calls_in_period += 1;
        }
    }
    for (user, claims) in touched {
        person(&mut people, user).touched_in_period = claims.len() as u64;
    }
    for item in items.iter().filter(|i| i.kind == ItemKind::Denial) {
        let Some(owner) = item.owner.as_deref() else {
            continue;
        };
        let p = person(&mut people, owner);
        if item.resolved_on.is_some_and(|d| period.contains(d)) {
            p.resolved_in_period += 1;
        }
        p.recovered_in_period_cents += item
            .payments
            .iter()
            .filter(|pay| period.contains(pay.date))
            .map(|pay| pay.cents)
            .sum::<i64>();
        if item.status.is_open() {
            match item.follow_up {
                Some(d) if d == today => p.follow_ups_due_today += 1,
                Some(d) if d < today => p.follow_ups_overdue += 1,
                _ => {}
            }
        }
    }
    people.into_values().collect()
}
