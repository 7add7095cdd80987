//! What a claim status (STC) says, as 277CA claim acknowledgments and 277 claim status
//! responses write it: a category (X12 code list 507: accepted, rejected, pending,
//! finalized …), a status code (list 508: what exactly), and the entity the status is
//! about (the billing provider, the subscriber …). The tables hold the codes billing
//! teams meet every day; a code outside them is shown as the number it is, never guessed.

use super::taxonomy::Category;
use codes::{CATEGORIES, CODES};

#[path = "claim_status_codes.rs"]
mod codes;
use serde::{Deserialize, Serialize};

/// One STC01 (or STC10, STC11) composite: category, status code, entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimStatus {
    /// The claim status category ("A7").
    pub category: String,
    /// The claim status code ("21").
    pub code: String,
    /// The entity identifier the status is about ("85"), "" when none.
    pub entity: String,
}

/// What a status means for the work: the claim reached the payer's adjudication, was
/// turned back before it, or neither yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Received or forwarded (A0, A1): on its way, not yet accepted.
    Received,
    /// Accepted into adjudication (A2, A5).
    Accepted,
    /// Rejected before adjudication (A3, A4, A6, A7, A8; E3, E4 ask for a correction):
    /// correct it and submit it again before the filing limit.
    Rejected,
    /// Pending at the payer (P0–P5).
    Pending,
    /// Finalized by the payer (F0–F4): the remittance tells the money.
    Finalized,
    /// The payer asks for more information (R0–R16).
    InformationRequested,
    /// No answer possible (E0–E2) or no claim found by the search (D0).
    NoAnswer,
}

/// A category as written ("A7"), described, or `None` when the table does not know it.
pub fn category(code: &str) -> Option<(&'static str, Disposition)> {
    CATEGORIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, text, d)| (*text, *d))
}

/// A status code ("21") described, or `None` when the table does not hold it.
pub fn status_text(code: &str) -> Option<&'static str> {
    CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, t, _)| *t)
}

/// The entity a status is about, in words ("billing provider").
pub fn entity_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "03" => "dependent",
        "1P" => "provider",
        "40" => "receiver",
        "41" => "submitter",
        "71" => "attending physician",
        "72" => "operating physician",
        "77" => "service location",
        "82" => "rendering provider",
        "85" => "billing provider",
        "87" => "pay-to provider",
        "DN" => "referring provider",
        "DK" => "ordering physician",
        "FA" => "facility",
        "GB" => "other insured",
        "IL" => "insured or subscriber",
        "PR" => "payer",
        "QC" => "patient",
        "TT" => "transfer to",
        _ => return None,
    })
}

impl ClaimStatus {
    /// A status from its parts as the composite holds them.
    pub fn new(category: &str, code: &str, entity: &str) -> ClaimStatus {
        ClaimStatus {
            category: category.to_string(),
            code: code.to_string(),
            entity: entity.to_string(),
        }
    }

    /// What the status means for the work (`None`: a category outside the table).
    pub fn disposition(&self) -> Option<Disposition> {
        category(&self.category).map(|(_, d)| d)
    }

    /// As a work item keeps it, the X12 way: "A7:21:85" (entity left off when none).
    pub fn key(&self) -> String {
        if self.entity.is_empty() {
            format!("{}:{}", self.category, self.code)
        } else {
            format!("{}:{}:{}", self.category, self.code, self.entity)
        }
    }

    /// Parses `key`'s form back ("A7:21:85").
    pub fn parse_key(text: &str) -> ClaimStatus {
        let mut parts = text.splitn(3, ':');
        let category = parts.next().unwrap_or("");
        let code = parts.next().unwrap_or("");
        let entity = parts.next().unwrap_or("");
        ClaimStatus::new(category, code, entity)
    }

    /// In words, for timelines and the claim pane: "A7 rejected for invalid information:
    /// 21 missing or invalid information (billing provider)". Codes outside the tables
    /// are shown as codes, said to be so.
    pub fn describe(&self) -> String {
        let category =
            category(&self.category).map_or("category not in denialdesk's table", |(t, _)| t);
        let code = status_text(&self.code).unwrap_or("status code not in denialdesk's table");
        let mut text = format!("{} {category}: {} {code}", self.category, self.code);
        if !self.entity.is_empty() {
            match entity_text(&self.entity) {
                Some(e) => text.push_str(&format!(" ({e})")),
                None => text.push_str(&format!(" (entity {})", self.entity)),
            }
        }
        text
    }

    /// The kind of problem a rejection with this status points to.
    pub fn problem(&self) -> Category {
        CODES
            .iter()
            .find(|(c, _, _)| *c == self.code)
            .map_or(Category::MissingInformation, |(_, _, c)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections_acceptances_and_the_rest_are_told_apart() {
        for rejected in ["A3", "A4", "A6", "A7", "A8", "E3", "E4"] {
            assert_eq!(
                category(rejected).unwrap().1,
                Disposition::Rejected,
                "{rejected}"
            );
        }
        for accepted in ["A2", "A5"] {
            assert_eq!(category(accepted).unwrap().1, Disposition::Accepted);
        }
        assert_eq!(category("A1").unwrap().1, Disposition::Received);
        assert_eq!(category("P1").unwrap().1, Disposition::Pending);
        assert_eq!(category("F2").unwrap().1, Disposition::Finalized);
        assert_eq!(category("R4").unwrap().1, Disposition::InformationRequested);
        assert_eq!(category("Z9"), None);
    }

    #[test]
    fn descriptions_name_unknown_codes_as_codes() {
        let s = ClaimStatus::parse_key("A7:562:85");
        assert_eq!(
            s.describe(),
            "A7 rejected for invalid information: 562 entity's National Provider Identifier (NPI) (billing provider)"
        );
        assert_eq!(s.key(), "A7:562:85");
        assert_eq!(s.problem(), Category::Credentialing);
        let odd = ClaimStatus::new("A7", "9999", "ZZ");
        assert!(odd
            .describe()
            .contains("9999 status code not in denialdesk's table"));
        assert!(odd.describe().contains("(entity ZZ)"));
        assert_eq!(ClaimStatus::parse_key("P1:20").key(), "P1:20");
    }
}
