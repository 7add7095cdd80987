//! A 999 implementation acknowledgment (or 997) of a claim batch, and the X12 code
//! tables that put its findings in words (IK304, IK403, IK5/AK9, IK502, AK905).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A 999 (or 997): which claim batch it answers and what it found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchAck {
    /// The file it came from.
    pub source_file: String,
    /// ST02.
    pub control_number: String,
    /// "999" or "997".
    pub transaction: String,
    /// GS04: when it was made.
    pub date: NaiveDate,
    /// AK101: the functional group acknowledged ("HC": claims).
    pub group_kind: String,
    /// AK102: that group's control number (GS06 of the 837 file sent).
    pub group_control: String,
    /// AK103: its version ("005010X222A1").
    pub group_version: String,
    /// Each transaction set (837) of the batch.
    pub sets: Vec<SetAck>,
    /// AK901: the group's result (A, E, P, R …).
    pub result: String,
    /// AK902–AK904: sets included, received, accepted.
    pub counts: (u32, u32, u32),
    /// AK905–AK909: errors in the group's envelope.
    pub group_errors: Vec<String>,
    /// File position of the ST segment.
    pub first_segment: usize,
    /// Hash of the set's segments.
    pub fingerprint: u64,
    /// Whole-group rejections a 277CA reported (a batch, a billing provider's claims), in
    /// words; empty for a 999.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_rejections: Vec<String>,
    /// Set once someone fixed and sent the batch again (who, when, what they did): the
    /// rejection is no longer flagged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
}

/// One claim transaction set's answer (AK2 … IK5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetAck {
    /// AK201: "837".
    pub set_id: String,
    /// AK202: its ST02.
    pub control: String,
    /// IK501: A, E, R, M, W, X.
    pub result: String,
    /// IK502–IK506: why a set was rejected.
    pub errors: Vec<String>,
    /// IK3 segments in error, each with its IK4 element errors.
    pub segment_errors: Vec<SegmentError>,
}

/// An IK3 (AK3 in a 997): a segment of the sent claim file in error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentError {
    /// IK301: the segment's id ("NM1").
    pub segment_id: String,
    /// IK302: its position in the set.
    pub position: String,
    /// IK303: its loop ("2010AA").
    pub loop_id: String,
    /// IK304: the syntax error code.
    pub code: String,
    /// IK4 element errors in it.
    pub elements: Vec<ElementError>,
}

/// An IK4 (AK4): one element in error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementError {
    /// IK401: the element's position ("9", or "2:1" in a composite).
    pub position: String,
    /// IK402: the data element reference number.
    pub reference: String,
    /// IK403: the error code.
    pub code: String,
    /// IK404: a copy of the bad value, when given.
    pub value: String,
}

/// IK501 / AK901 (AK501 / AK901 in a 997): the result of a set or a group.
pub fn result_text(code: &str) -> &'static str {
    match code {
        "A" => "accepted",
        "E" => "accepted, with errors noted",
        "P" => "partially accepted: at least one transaction set was rejected",
        "R" => "rejected",
        "M" => "rejected: message authentication code failed",
        "W" => "rejected: assurance failed validity tests",
        "X" => "rejected: content after decryption could not be analysed",
        _ => "result code not in denialdesk's table",
    }
}

/// Whether a result code says the set or group was rejected (whole or in part).
pub fn is_rejected(code: &str) -> bool {
    matches!(code, "R" | "M" | "W" | "X" | "P")
}

/// IK304 (AK304): what is wrong with a segment.
pub fn segment_error_text(code: &str) -> &'static str {
    match code {
        "1" => "unrecognized segment id",
        "2" => "unexpected segment",
        "3" => "required segment missing",
        "4" => "loop occurs over maximum times",
        "5" => "segment exceeds maximum use",
        "6" => "segment not in defined transaction set",
        "7" => "segment not in proper sequence",
        "8" => "segment has data element errors",
        "I4" => "implementation \"not used\" segment present",
        "I6" => "implementation dependent segment missing",
        "I7" => "implementation loop occurs under minimum times",
        "I8" => "implementation segment below minimum use",
        "I9" => "implementation dependent \"not used\" segment present",
        _ => "segment error code not in denialdesk's table",
    }
}

/// IK403 (AK403): what is wrong with an element.
pub fn element_error_text(code: &str) -> &'static str {
    match code {
        "1" => "required data element missing",
        "2" => "conditional required data element missing",
        "3" => "too many data elements",
        "4" => "data element too short",
        "5" => "data element too long",
        "6" => "invalid character in data element",
        "7" => "invalid code value",
        "8" => "invalid date",
        "9" => "invalid time",
        "10" => "exclusion condition violated",
        "12" => "too many repetitions",
        "13" => "too many components",
        "I6" => "code value not used in implementation",
        "I9" => "implementation dependent data element missing",
        "I10" => "implementation \"not used\" data element present",
        "I11" => "implementation too few repetitions",
        "I12" => "implementation pattern match failure",
        "I13" => "implementation dependent \"not used\" data element present",
        _ => "element error code not in denialdesk's table",
    }
}

/// IK502–IK506 (AK502–AK506): why a transaction set was rejected.
pub fn set_error_text(code: &str) -> &'static str {
    match code {
        "1" => "transaction set not supported",
        "2" => "transaction set trailer missing",
        "3" => "transaction set control number in header and trailer do not match",
        "4" => "number of included segments does not match actual count",
        "5" => "one or more segments in error",
        "6" => "missing or invalid transaction set identifier",
        "7" => "missing or invalid transaction set control number",
        "18" => "transaction set not in functional group",
        "19" => "invalid transaction set implementation convention reference",
        "23" => "transaction set control number not unique within the functional group",
        "I5" => "implementation: one or more segments in error",
        "I6" => "implementation convention not supported",
        _ => "set error code not in denialdesk's table",
    }
}

/// AK905–AK909: what is wrong with the group's envelope.
pub fn group_error_text(code: &str) -> &'static str {
    match code {
        "1" => "functional group not supported",
        "2" => "functional group version not supported",
        "3" => "functional group trailer missing",
        "4" => "group control number in the header and trailer do not agree",
        "5" => "number of included transaction sets does not match actual count",
        "6" => "group control number violates syntax",
        "19" => "functional group control number not unique within interchange",
        _ => "group error code not in denialdesk's table",
    }
}

impl BatchAck {
    /// Whether the batch (or part of it) was turned back: its claims never reached a payer.
    pub fn rejected(&self) -> bool {
        !self.group_rejections.is_empty()
            || is_rejected(&self.result)
            || self.sets.iter().any(|s| is_rejected(&s.result))
    }

    /// Every finding, one line each, in words with the codes: what the import report and
    /// `denialdesk batches` show.
    pub fn findings(&self) -> Vec<String> {
        let mut out = self.group_rejections.clone();
        for code in &self.group_errors {
            out.push(format!("group error {code}: {}", group_error_text(code)));
        }
        for set in &self.sets {
            let mut line = format!(
                "{} {}: {} ({})",
                set.set_id,
                set.control,
                result_text(&set.result),
                set.result
            );
            for code in &set.errors {
                line.push_str(&format!("; {code} {}", set_error_text(code)));
            }
            out.push(line);
            for seg in &set.segment_errors {
                out.push(format!(
                    "  segment {} at position {}{}: {} ({})",
                    seg.segment_id,
                    seg.position,
                    if seg.loop_id.is_empty() {
                        String::new()
                    } else {
                        format!(" in loop {}", seg.loop_id)
                    },
                    segment_error_text(&seg.code),
                    seg.code
                ));
                for el in &seg.elements {
                    // X12 names an element NM109, a component CLM05-1.
                    let mut parts = el.position.split(':');
                    let element = parts.next().unwrap_or("");
                    let position = match (element.parse::<u32>(), parts.next()) {
                        (Ok(n), Some(c)) => format!("{n:02}-{c}"),
                        (Ok(n), None) => format!("{n:02}"),
                        _ => el.position.clone(),
                    };
                    out.push(format!(
                        "    element {}{}{}: {} ({}){}",
                        seg.segment_id,
                        position,
                        if el.reference.is_empty() {
                            String::new()
                        } else {
                            format!(" (data element {})", el.reference)
                        },
                        element_error_text(&el.code),
                        el.code,
                        if el.value.is_empty() {
                            String::new()
                        } else {
                            format!(", value {:?}", el.value)
                        }
                    ));
                }
            }
        }
        out
    }

    /// One line: "999 for claim batch 1234 (HC, 005010X222A1): rejected (R), 0 of 2 sets accepted".
    pub fn summary(&self) -> String {
        if !self.group_rejections.is_empty() {
            return format!(
                "{} {} of {}: {} group(s) of claims rejected as a whole (no claim listed)",
                self.transaction,
                self.control_number,
                self.date,
                self.group_rejections.len()
            );
        }
        format!(
            "{} for claim batch {} ({}, {}): {} ({}), {} of {} transaction sets accepted",
            self.transaction,
            self.group_control,
            self.group_kind,
            self.group_version,
            result_text(&self.result),
            self.result,
            self.counts.2,
            self.counts.0
        )
    }
}
