//! Builds one 999 implementation acknowledgment (or 997 functional acknowledgment) of a
//! claim batch: which group it answers (AK1), each transaction set's result (AK2 … IK5)
//! with the segments and elements in error (IK3, IK4), and the group's result (AK9).

use super::fields::Locator;
use super::remittance::{fingerprint, FNV_OFFSET};
use super::segment_ids::{check_ack_segment_id, SEGMENTS_999};
use super::tokenizer::Segment;
use crate::domain::acknowledgment::{Acknowledgment, BatchAck, ElementError, SegmentError, SetAck};
use crate::ingest::error::IngestError;
use chrono::NaiveDate;

/// Result codes IK501/AK501 may hold; AK901 may also say P (partially accepted).
const SET_RESULTS: &[&str] = &["A", "E", "M", "R", "W", "X"];

/// Accumulates one 999 or 997 transaction set, segment by segment.
pub struct BatchAckBuilder {
    loc: Locator,
    ack: BatchAck,
    segment_count: usize,
    seen_ak1: bool,
    seen_ak9: bool,
}

impl BatchAckBuilder {
    /// Starts at an ST*999 or ST*997 in a group made on `date` (GS04).
    pub fn start(loc: Locator, st: &Segment, date: NaiveDate) -> BatchAckBuilder {
        BatchAckBuilder {
            ack: BatchAck {
                source_file: loc.file.to_string(),
                control_number: st.element(2).to_string(),
                transaction: st.element(1).to_string(),
                date,
                group_kind: String::new(),
                group_control: String::new(),
                group_version: String::new(),
                sets: Vec::new(),
                result: String::new(),
                counts: (0, 0, 0),
                group_errors: Vec::new(),
                first_segment: st.number,
                fingerprint: fingerprint(FNV_OFFSET, st.text().as_bytes()),
                group_rejections: Vec::new(),
                resolved: None,
            },
            loc,
            segment_count: 1,
            seen_ak1: false,
            seen_ak9: false,
        }
    }

    /// The set's control number (ST02).
    pub fn control_number(&self) -> &str {
        &self.ack.control_number
    }

    fn count(&self, seg: &Segment, i: usize, what: &str) -> Result<u32, IngestError> {
        let text = self.loc.required(seg, i, what)?;
        text.parse().map_err(|_| {
            self.loc.at(
                seg,
                Some(i),
                format!("{what}: expected a count, found {text:?}"),
            )
        })
    }

    fn result(&self, seg: &Segment, i: usize, allowed: &[&str]) -> Result<String, IngestError> {
        let code = self.loc.required(seg, i, "acknowledgment code")?;
        if !allowed.contains(&code) {
            return Err(self.loc.at(
                seg,
                Some(i),
                format!(
                    "expected an acknowledgment code ({}), found {code:?}",
                    allowed.join(", ")
                ),
            ));
        }
        Ok(code.to_string())
    }

    fn current_set(&mut self, seg: &Segment) -> Result<&mut SetAck, IngestError> {
        let loc = self.loc.clone();
        self.ack
            .sets
            .last_mut()
            .ok_or_else(|| loc.at(seg, None, "comes before any AK2 transaction set response"))
    }

    /// One segment of the set.
    pub fn feed(&mut self, seg: &Segment) -> Result<(), IngestError> {
        self.segment_count += 1;
        self.ack.fingerprint = fingerprint(self.ack.fingerprint, seg.text().as_bytes());
        check_ack_segment_id(&self.loc, seg, SEGMENTS_999, "a 999 or 997 acknowledgment")?;
        let loc = self.loc.clone();
        match seg.id() {
            "AK1" => {
                self.ack.group_kind = loc.required(seg, 1, "functional identifier code")?.into();
                self.ack.group_control = loc.required(seg, 2, "group control number")?.into();
                self.ack.group_version = seg.element(3).to_string();
                self.seen_ak1 = true;
            }
            "AK2" => self.ack.sets.push(SetAck {
                set_id: loc
                    .required(seg, 1, "transaction set identifier code")?
                    .into(),
                control: loc
                    .required(seg, 2, "transaction set control number")?
                    .into(),
                result: String::new(),
                errors: Vec::new(),
                segment_errors: Vec::new(),
            }),
            "IK3" | "AK3" => {
                let error = SegmentError {
                    segment_id: loc.required(seg, 1, "segment id code")?.into(),
                    position: loc
                        .required(seg, 2, "segment position in transaction set")?
                        .into(),
                    loop_id: seg.element(3).to_string(),
                    code: seg.element(4).to_string(),
                    elements: Vec::new(),
                };
                self.current_set(seg)?.segment_errors.push(error);
            }
            "IK4" | "AK4" => {
                let error = ElementError {
                    position: seg
                        .components(1)
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join(":"),
                    reference: seg.element(2).to_string(),
                    code: loc
                        .required(seg, 3, "data element syntax error code")?
                        .into(),
                    value: seg.element(4).to_string(),
                };
                if error.position.is_empty() {
                    return Err(loc.at(seg, Some(1), "position in segment is missing"));
                }
                let set = self.current_set(seg)?;
                let Some(segment) = set.segment_errors.last_mut() else {
                    return Err(loc.at(seg, None, "comes before any IK3 segment in error"));
                };
                segment.elements.push(error);
            }
            "IK5" | "AK5" => {
                let result = self.result(seg, 1, SET_RESULTS)?;
                let errors = (2..=6)
                    .map(|i| seg.element(i))
                    .filter(|e| !e.is_empty())
                    .map(String::from)
                    .collect();
                let set = self.current_set(seg)?;
                if !set.result.is_empty() {
                    return Err(loc.at(seg, None, "a second result for one transaction set"));
                }
                set.result = result;
                set.errors = errors;
            }
            "AK9" => {
                let mut allowed = SET_RESULTS.to_vec();
                allowed.push("P");
                self.ack.result = self.result(seg, 1, &allowed)?;
                self.ack.counts = (
                    self.count(seg, 2, "number of transaction sets included")?,
                    self.count(seg, 3, "number of received transaction sets")?,
                    self.count(seg, 4, "number of accepted transaction sets")?,
                );
                self.ack.group_errors = (5..=9)
                    .map(|i| seg.element(i))
                    .filter(|e| !e.is_empty())
                    .map(String::from)
                    .collect();
                self.seen_ak9 = true;
            }
            _ => {} // CTX: context of an error, kept out of the record.
        }
        Ok(())
    }

    /// Ends the set at its SE: counts checked, every answer complete.
    pub fn finish(mut self, se: &Segment) -> Result<Acknowledgment, IngestError> {
        self.segment_count += 1;
        self.ack.fingerprint = fingerprint(self.ack.fingerprint, se.text().as_bytes());
        super::segment_ids::check_trailer(
            &self.loc,
            se,
            self.segment_count,
            &self.ack.control_number,
        )?;
        if !self.seen_ak1 {
            return Err(self.loc.at(
                se,
                None,
                "the acknowledgment has no AK1: which claim batch it answers is unknown",
            ));
        }
        if !self.seen_ak9 {
            return Err(self.loc.at(
                se,
                None,
                "the acknowledgment has no AK9: the batch's result is unknown",
            ));
        }
        if let Some(set) = self.ack.sets.iter().find(|s| s.result.is_empty()) {
            return Err(self.loc.at(
                se,
                None,
                format!(
                    "transaction set {} {} has no IK5 result",
                    set.set_id, set.control
                ),
            ));
        }
        Ok(Acknowledgment::Batch(self.ack))
    }
}
