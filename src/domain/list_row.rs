//! The worklist row: the part of a work item the worklist ranks, counts, filters, searches
//! and shows, and what the worklist holds in memory (read through `RowFields`, as whole
//! items are). The store keeps one beside every work item, so opening the app decodes ~120
//! stored bytes per denial instead of the whole item (appeals, payments, remarks,
//! procedures…), and the first frame does not wait for the rest.

use super::appeal::Appeal;
use super::payer_rules::DeadlineSource;
use super::rarc::AppealRights;
use super::status::Status;
use super::taxonomy::{Category, Hardness, Stage};
use super::work_item::{same_named_fields, ItemKind, RowFields, WorkItem};
use chrono::NaiveDate;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// What the worklist needs of one work item. Stored compactly (dates as day numbers), never
/// shown as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListRow {
    /// CLP01.
    pub claim_id: CompactString,
    /// The work item's version.
    pub version: u64,
    /// Where the work stands.
    pub status: Status,
    /// Who works it.
    pub owner: Option<CompactString>,
    #[serde(with = "day_number::option")]
    /// When to look at it again.
    pub follow_up: Option<NaiveDate>,
    #[serde(with = "day_number")]
    /// The clock that runs out first (appeal or resubmission).
    pub deadline: NaiveDate,
    /// The window that clock was counted with.
    pub deadline_window_days: u32,
    /// Where that window came from.
    pub deadline_source: DeadlineSource,
    /// What the payer denied.
    pub denied_cents: i64,
    /// What was recovered since.
    pub recovered_cents: i64,
    /// The denial codes.
    pub carcs: Vec<CompactString>,
    /// What kind of denial.
    pub category: Category,
    /// Soft or hard.
    pub hardness: Hardness,
    /// The workflow stage that caused it.
    pub stage: Stage,
    #[serde(with = "day_number")]
    /// The remittance date of the denial.
    pub denied_on: NaiveDate,
    /// The payer's name.
    pub payer: CompactString,
    /// The payer's claim number.
    pub payer_claim_number: CompactString,
    /// "LAST, FIRST".
    pub patient_name: CompactString,
    /// The payer's member id.
    pub member_id: CompactString,
    #[serde(with = "day_number::option")]
    /// The first day of service.
    pub date_of_service: Option<NaiveDate>,
    /// The work item's unique key (see `WorkItem::key`).
    pub key: CompactString,
    /// Denial or patient responsibility.
    pub kind: ItemKind,
    /// Whether the payer allows an appeal.
    pub appeal_rights: AppealRights,
    /// `WorkItem::outstanding_cents`, which needs the denied lines the row leaves out.
    pub outstanding_cents: i64,
    #[serde(with = "day_number::option")]
    /// The no-response clock (`WorkItem::awaiting_payer_since`).
    pub awaiting_payer_since: Option<NaiveDate>,
    /// `WorkItem::priority_boost`.
    pub priority_boost: u8,
    /// The payer's id, for the filter's `payer:` term. Not stored (rows read from the
    /// store have it empty until the whole items load, as they always had): only a row
    /// made from a whole item carries it.
    #[serde(skip)]
    pub payer_id: CompactString,
    /// `WorkItem::deadline_met_with_payer`, which needs the appeals: known for a row made
    /// from a whole item, not stored (`deadline_met_with_payer` of `impl RowFields for
    /// ListRow` gives the rule a stored row is read by).
    #[serde(skip)]
    pub met_with_payer: Option<bool>,
}

impl From<&WorkItem> for ListRow {
    fn from(item: &WorkItem) -> ListRow {
        ListRow {
            claim_id: item.claim_id.clone(),
            version: item.version,
            status: item.status,
            owner: item.owner.clone(),
            follow_up: item.follow_up,
            deadline: item.appeal_deadline.date,
            deadline_window_days: item.appeal_deadline.window_days,
            deadline_source: item.appeal_deadline.source.clone(),
            denied_cents: item.denied_cents,
            recovered_cents: item.recovered_cents,
            carcs: item.carcs.clone(),
            category: item.category,
            hardness: item.hardness,
            stage: item.stage,
            denied_on: item.denied_on,
            payer: item.payer.clone(),
            payer_claim_number: item.payer_claim_number.clone(),
            patient_name: item.patient_name.clone(),
            member_id: item.member_id.clone(),
            date_of_service: item.date_of_service,
            key: item.key.clone(),
            kind: item.kind,
            appeal_rights: item.appeal_rights,
            outstanding_cents: item.outstanding_cents(),
            awaiting_payer_since: item.awaiting_payer_since,
            priority_boost: item.priority_boost,
            payer_id: item.payer_id.as_str().into(),
            met_with_payer: Some(item.deadline_met_with_payer()),
        }
    }
}

impl ListRow {
    /// The row as the store keeps it, without what only a whole item tells (`payer_id`,
    /// `met_with_payer`): what a worklist opening reads back.
    pub fn as_stored(&self) -> ListRow {
        ListRow {
            payer_id: CompactString::default(),
            met_with_payer: None,
            ..self.clone()
        }
    }
}

impl RowFields for ListRow {
    same_named_fields!();
    fn deadline(&self) -> NaiveDate {
        self.deadline
    }
    fn deadline_source(&self) -> &DeadlineSource {
        &self.deadline_source
    }
    fn owed_cents(&self) -> i64 {
        self.outstanding_cents
    }
    /// A row read from the store carries no appeals: until the whole items load, an
    /// appealed or resubmitted claim counts as sent in time, and one awaiting the money of
    /// a won appeal as still on its deadline.
    fn deadline_met_with_payer(&self) -> bool {
        self.met_with_payer.unwrap_or(matches!(
            self.status,
            Status::Appealed | Status::Resubmitted
        ))
    }
    fn open_appeal(&self) -> Option<&Appeal> {
        None
    }
    fn last_appeal(&self) -> Option<&Appeal> {
        None
    }
}

/// Dates as days since 1 January of year 1: four bytes, no text to parse (chrono's own
/// serde form is a string, which dominated decoding time).
mod day_number {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(date.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let days = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(days)
            .ok_or_else(|| serde::de::Error::custom(format!("day number {days} is not a date")))
    }

    pub mod option {
        use chrono::{Datelike, NaiveDate};
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match date {
                Some(d) => s.serialize_some(&d.num_days_from_ce()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            match Option::<i32>::deserialize(d)? {
                Some(days) => NaiveDate::from_num_days_from_ce_opt(days)
                    .map(Some)
                    .ok_or_else(|| {
                        serde::de::Error::custom(format!("day number {days} is not a date"))
                    }),
                None => Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::priority::priority_score;
    use crate::domain::queue::{search_text, Queue};
    use crate::domain::test_support::work_item;
    use crate::domain::work_item::Clock;

    fn busy_item() -> WorkItem {
        let mut item = work_item("PCN-7");
        item.version = 4;
        item.status = Status::InProgress;
        item.owner = Some("maria".into());
        item.follow_up = NaiveDate::from_ymd_opt(2026, 11, 20);
        item.recovered_cents = 1250;
        item.carcs.push("CO-197".into());
        item
    }

    /// A row as the worklist reads it from the store.
    fn stored(row: &ListRow) -> ListRow {
        bincode::deserialize(&bincode::serialize(row).unwrap()).unwrap()
    }

    #[test]
    fn a_row_survives_its_stored_form() {
        let row = ListRow::from(&busy_item());
        assert_eq!(stored(&row), row.as_stored());
        // The point of the row: a fraction of the full item.
        let bytes = bincode::serialize(&row).unwrap();
        let full = bincode::serialize(&busy_item()).unwrap();
        assert!(
            bytes.len() * 2 < full.len(),
            "{} vs {}",
            bytes.len(),
            full.len()
        );
    }

    #[test]
    fn a_row_ranks_counts_and_matches_like_the_whole_item() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let full = busy_item();
        let made = ListRow::from(&full);
        for row in [&made, &stored(&made)] {
            assert_eq!(priority_score(row, today), priority_score(&full, today));
            assert_eq!(search_text(row, true), search_text(&full, true));
            assert_eq!(search_text(row, false), search_text(&full, false));
            for queue in Queue::ALL {
                assert_eq!(
                    queue.contains(row, "maria", today),
                    queue.contains(&full, "maria", today),
                    "{queue:?}"
                );
            }
            assert_eq!(row.clock(today), full.clock(today));
            assert_eq!(row.status_label(), full.status_label());
            assert_eq!(row.deadline(), full.appeal_deadline.date);
            assert_eq!(row.owed_cents(), full.outstanding_cents());
            assert_eq!(row.date_of_service, full.date_of_service);
        }
    }

    #[test]
    fn only_a_row_made_from_the_whole_item_knows_an_appeal_was_late() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut full = busy_item();
        full.status = Status::Appealed;
        full.appeals.push(Appeal {
            level: 1,
            channel: crate::domain::appeal::Channel::Portal,
            submitted: full.appeal_deadline.date + chrono::Duration::days(3),
            response_due: full.appeal_deadline.date + chrono::Duration::days(33),
            documents: String::new(),
            decision: None,
        });
        // Sent after its deadline: still counted on it (missed), not with the payer.
        assert!(matches!(full.clock(today), Clock::Deadline { .. }));
        let made = ListRow::from(&full);
        assert_eq!(made.clock(today), full.clock(today));
        assert_eq!(priority_score(&made, today), priority_score(&full, today));
        // A stored row has no appeals: it counts as sent in time until whole items load.
        assert_eq!(stored(&made).clock(today), Clock::WithPayer);
        // And the payer id only a row made from the whole item carries.
        assert_eq!(made.payer_id(), full.payer_id);
        assert_eq!(stored(&made).payer_id(), "");
    }

    #[test]
    fn a_damaged_day_number_is_an_error_not_a_panic() {
        let mut bytes = bincode::serialize(&ListRow::from(&busy_item())).unwrap();
        // claim id (8-byte length + 5), version 8, status 4, owner (1 + 8 + 5), then the
        // follow-up: Some + its day number.
        let at = 8 + 5 + 8 + 4 + 1 + 8 + 5 + 1;
        bytes[at..at + 4].copy_from_slice(&i32::MAX.to_le_bytes());
        let err = bincode::deserialize::<ListRow>(&bytes).unwrap_err();
        assert!(err.to_string().contains("not a date"), "{err}");
    }
}
