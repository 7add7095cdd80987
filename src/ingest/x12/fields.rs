//! Typed reads of single elements, each failing with the exact place: segment number,
//! segment id and element name (CLP04), and what was expected.

use super::tokenizer::Segment;
use crate::domain::claim::{Adjustment, GroupCode, Procedure};
use crate::domain::dates::parse_d8;
use crate::domain::money::parse_cents;
use crate::ingest::error::IngestError;
use chrono::NaiveDate;

/// Builds located errors for one file.
#[derive(Clone)]
pub struct Locator {
    /// Shared: the locator is cloned for every segment.
    pub file: std::sync::Arc<str>,
}

impl Locator {
    /// Where an element is, for an error naming file, segment and element.
    pub fn at(
        &self,
        seg: &Segment,
        element: Option<usize>,
        message: impl Into<String>,
    ) -> IngestError {
        IngestError {
            file: self.file.to_string(),
            segment: Some(seg.number),
            segment_id: Some(seg.id().to_string()),
            element: element.map(|i| format!("{}{:02}", seg.id(), i)),
            message: message.into(),
        }
    }

    /// A required element.
    pub fn required<'a>(
        &self,
        seg: &Segment<'a>,
        i: usize,
        what: &str,
    ) -> Result<&'a str, IngestError> {
        let v = seg.element(i);
        if v.is_empty() {
            Err(self.at(seg, Some(i), format!("{what} is missing")))
        } else {
            Ok(v)
        }
    }

    /// A required amount in cents.
    pub fn amount(&self, seg: &Segment, i: usize, what: &str) -> Result<i64, IngestError> {
        let v = self.required(seg, i, what)?;
        parse_cents(v).map_err(|e| self.at(seg, Some(i), format!("{what}: {e}")))
    }

    /// An optional amount: empty is zero.
    pub fn optional_amount(&self, seg: &Segment, i: usize, what: &str) -> Result<i64, IngestError> {
        if seg.element(i).is_empty() {
            return Ok(0);
        }
        self.amount(seg, i, what)
    }

    /// An optional quantity (units), decimal.
    pub fn quantity(
        &self,
        seg: &Segment,
        i: usize,
        what: &str,
    ) -> Result<Option<f64>, IngestError> {
        let v = seg.element(i);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<f64>()
            .ok()
            .filter(|q| q.is_finite())
            .map(Some)
            .ok_or_else(|| {
                self.at(
                    seg,
                    Some(i),
                    format!("{what}: expected a number, found {v:?}"),
                )
            })
    }

    /// A required CCYYMMDD date.
    pub fn date(&self, seg: &Segment, i: usize, what: &str) -> Result<NaiveDate, IngestError> {
        let v = self.required(seg, i, what)?;
        parse_d8(v).ok_or_else(|| {
            self.at(
                seg,
                Some(i),
                format!("{what}: expected a date as CCYYMMDD, found {v:?}"),
            )
        })
    }

    /// CAS: a group code then up to six reason/amount/quantity triples.
    pub fn adjustments(&self, seg: &Segment, out: &mut Vec<Adjustment>) -> Result<(), IngestError> {
        let group_text = self.required(seg, 1, "claim adjustment group code")?;
        let group = GroupCode::parse(group_text).ok_or_else(|| {
            self.at(
                seg,
                Some(1),
                format!("expected group code CO, PR, OA, PI or CR, found {group_text:?}"),
            )
        })?;
        for triple in 0..6 {
            let reason_at = 2 + triple * 3;
            let reason = seg.element(reason_at);
            let amount_text = seg.element(reason_at + 1);
            if reason.is_empty() {
                if !amount_text.is_empty() {
                    return Err(self.at(
                        seg,
                        Some(reason_at),
                        "an adjustment amount has no reason code",
                    ));
                }
                continue;
            }
            out.push(Adjustment {
                group,
                carc: reason.to_string(),
                amount_cents: self.amount(seg, reason_at + 1, "adjustment amount")?,
                quantity: self.quantity(seg, reason_at + 2, "adjustment quantity")?,
            });
        }
        Ok(())
    }

    /// A composite procedure (SVC01/SVC06): qualifier:code:modifiers….
    pub fn procedure(&self, seg: &Segment, i: usize) -> Result<Procedure, IngestError> {
        let mut parts = seg.components(i);
        let qualifier = parts.next().unwrap_or("").to_string();
        let code = parts.next().unwrap_or("").to_string();
        if qualifier.is_empty() || code.is_empty() {
            return Err(self.at(
                seg,
                Some(i),
                "expected a procedure as qualifier and code (HC:99213)",
            ));
        }
        let modifiers = parts
            .take(4)
            .filter(|m| !m.is_empty())
            .map(String::from)
            .collect();
        Ok(Procedure {
            qualifier,
            code,
            modifiers,
        })
    }
}
