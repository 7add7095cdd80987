//! The worklist row: the part of a work item the worklist ranks, counts, filters, searches
//! and shows. The store keeps one beside every work item, so opening the app decodes ~120
//! bytes per denial instead of the whole item (appeals, payments, remarks, procedures…),
//! and the first frame does not wait for the rest.

use super::payer_rules::{AppealDeadline, DeadlineSource};
use super::rarc::AppealRights;
use super::status::Status;
use super::taxonomy::{Category, Hardness, Stage};
use super::work_item::{DeniedLine, ItemKind, WorkItem};
use chrono::{DateTime, NaiveDate, Utc};
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
        }
    }
}

impl ListRow {
    /// A work item holding only this row's fields, everything else empty: what the
    /// worklist works on until the full items have loaded (the app knows which it has,
    /// see `app::worklist::LoadPhase`). Never saved: every change re-reads the stored item.
    pub fn into_list_item(self) -> WorkItem {
        WorkItem {
            key: self.key,
            claim_id: self.claim_id,
            kind: self.kind,
            appeal_rights: self.appeal_rights,
            // One line standing for the whole claim, so `outstanding_cents` gives what the
            // full item gives.
            denied_lines: vec![DeniedLine::whole_claim(
                self.denied_cents,
                self.outstanding_cents,
            )],
            other_payer_cents: 0,
            version: self.version,
            status: self.status,
            owner: self.owner,
            follow_up: self.follow_up,
            appeal_deadline: AppealDeadline {
                date: self.deadline,
                window_days: self.deadline_window_days,
                source: self.deadline_source,
            },
            denied_cents: self.denied_cents,
            recovered_cents: self.recovered_cents,
            carcs: self.carcs,
            remarks: Vec::new(),
            category: self.category,
            hardness: self.hardness,
            stage: self.stage,
            denied_on: self.denied_on,
            payer: self.payer,
            payer_id: String::new(),
            filing_indicator: String::new(),
            payer_claim_number: self.payer_claim_number,
            patient_name: self.patient_name,
            member_id: self.member_id,
            date_of_service: self.date_of_service,
            billed_cents: 0,
            rendering_provider: None,
            facility: String::new(),
            write_off_reason: None,
            appeals: Vec::new(),
            payments: Vec::new(),
            resolved_on: None,
            procedures: Vec::new(),
            times_denied: 1,
            second_deadline: None,
            awaiting_payer_since: self.awaiting_payer_since,
            underpayment: None,
            priority_boost: self.priority_boost,
            packets: Vec::new(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
            updated_by: String::new(),
        }
    }
}

/// A stored list row decoded straight into the work item standing for it
/// (`ListRow::into_list_item`): the worklist opens on these, and making them as each row
/// is decoded, on every core, saved a pass over ~120,000 rows on one (~50 ms of a first
/// frame at 1M claims, most of it first touches of the 85 MB they take).
#[derive(Debug, Deserialize)]
#[serde(from = "ListRow")]
#[repr(transparent)]
pub struct ListItem(pub WorkItem);

impl From<ListRow> for ListItem {
    fn from(row: ListRow) -> ListItem {
        ListItem(row.into_list_item())
    }
}

/// The work items of decoded `ListItem`s: each moved out of its wrapper, into the same
/// allocation where std's in-place collection applies (it does for a wrapper of the
/// same size and alignment), so no second vector is touched.
pub fn list_items(decoded: Vec<ListItem>) -> Vec<WorkItem> {
    decoded.into_iter().map(|ListItem(item)| item).collect()
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

    #[test]
    fn a_row_survives_its_stored_form() {
        let row = ListRow::from(&busy_item());
        let bytes = bincode::serialize(&row).unwrap();
        assert_eq!(bincode::deserialize::<ListRow>(&bytes).unwrap(), row);
        // The point of the row: a fraction of the full item.
        let full = bincode::serialize(&busy_item()).unwrap();
        assert!(
            bytes.len() * 2 < full.len(),
            "{} vs {}",
            bytes.len(),
            full.len()
        );
    }

    #[test]
    fn the_list_item_ranks_counts_and_matches_like_the_full_one() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let full = busy_item();
        let listed = ListRow::from(&full).into_list_item();
        assert_eq!(priority_score(&listed, today), priority_score(&full, today));
        assert_eq!(search_text(&listed, true), search_text(&full, true));
        for queue in Queue::ALL {
            assert_eq!(
                queue.contains(&listed, "maria", today),
                queue.contains(&full, "maria", today),
                "{queue:?}"
            );
        }
        assert_eq!(listed.appeal_deadline, full.appeal_deadline);
        assert_eq!(listed.outstanding_cents(), full.outstanding_cents());
        assert_eq!(listed.date_of_service, full.date_of_service);
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
