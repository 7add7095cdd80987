//! Builds one 277CA claim acknowledgment (005010X214) or 277 claim status response
//! (005010X212): the HL hierarchy (information source, receiver, provider, patient),
//! and for each claim (TRN at the patient level) its statuses (STC), ids (REF), service
//! dates (DTP*472) and service-line statuses (SVC, STC).

use super::fields::Locator;
use super::remittance::{fingerprint, FNV_OFFSET};
use super::segment_ids::{check_ack_segment_id, check_trailer, SEGMENTS_277};
use super::tokenizer::Segment;
use crate::domain::acknowledgment::{
    Acknowledgment, ClaimAck, ClaimAckKind, ClaimAckSet, GroupRejection,
};
use crate::domain::claim::Party;
use crate::domain::claim_status::{category, ClaimStatus, Disposition};
use crate::domain::dates::parse_d8;
use crate::ingest::error::IngestError;
use chrono::NaiveDate;

/// Which loop the reader is in, from the last HL's level code.
#[derive(PartialEq, Clone, Copy)]
enum Level {
    Header,
    Source,
    Receiver,
    Provider,
    Patient,
}

/// Accumulates one 277CA or 277, segment by segment.
pub struct ClaimAckBuilder {
    loc: Locator,
    set: ClaimAckSet,
    segment_count: usize,
    seen_bht: bool,
    level: Level,
    payer: Party,
    /// The information source is a clearinghouse (NM1*AY), not the payer.
    clearinghouse: bool,
    /// The submitter's name (receiver level, NM1*41) and the last TRN02 outside a claim.
    receiver: String,
    trace: String,
    provider: String,
    patient: (String, String),
    claim: Option<Open>,
}

/// The claim being read, with what only its end decides.
struct Open {
    ack: ClaimAck,
    trace: String,
    account: String,
    in_line: Option<String>,
    /// The earliest service-line date (DTP*472 in 2220D): the claim's date of service
    /// when the claim level gives none.
    first_line_date: Option<NaiveDate>,
}

/// The kind of a 277 from its implementation guide (ST03, else GS08).
pub fn kind_of(version: &str) -> Option<ClaimAckKind> {
    if version.contains("X214") {
        Some(ClaimAckKind::Acknowledgment)
    } else if version.contains("X212") {
        Some(ClaimAckKind::StatusResponse)
    } else {
        None
    }
}

impl ClaimAckBuilder {
    /// Starts at an ST*277 whose guide (ST03 or GS08) said `kind`.
    pub fn start(loc: Locator, st: &Segment, kind: ClaimAckKind) -> ClaimAckBuilder {
        ClaimAckBuilder {
            set: ClaimAckSet {
                kind,
                source_file: loc.file.to_string(),
                control_number: st.element(2).to_string(),
                date: NaiveDate::MIN,
                first_segment: st.number,
                fingerprint: fingerprint(FNV_OFFSET, st.text().as_bytes()),
                claims: Vec::new(),
                group_rejections: Vec::new(),
                part: None,
            },
            loc,
            segment_count: 1,
            seen_bht: false,
            level: Level::Header,
            payer: Party::default(),
            clearinghouse: false,
            receiver: String::new(),
            trace: String::new(),
            provider: String::new(),
            patient: (String::new(), String::new()),
            claim: None,
        }
    }

    /// The set's control number (ST02).
    pub fn control_number(&self) -> &str {
        &self.set.control_number
    }

    fn date(&self, seg: &Segment, i: usize, what: &str) -> Result<Option<NaiveDate>, IngestError> {
        let text = seg.element(i);
        if text.is_empty() {
            return Ok(None);
        }
        // RD8 ranges ("20261101-20261103") are read from their first day.
        let first = text.split('-').next().unwrap_or("");
        parse_d8(first).map(Some).ok_or_else(|| {
            self.loc.at(
                seg,
                Some(i),
                format!("{what}: expected a date as CCYYMMDD, found {text:?}"),
            )
        })
    }

    /// A status composite (STC01, STC10, STC11): the category must be one the tables
    /// know, or the import stops: a guessed status could close or open work wrongly.
    fn status(&self, seg: &Segment, i: usize) -> Result<Option<ClaimStatus>, IngestError> {
        let mut parts = seg.components(i);
        let cat = parts.next().unwrap_or("");
        let code = parts.next().unwrap_or("");
        let entity = parts.next().unwrap_or("");
        if cat.is_empty() && code.is_empty() {
            return Ok(None);
        }
        if category(cat).is_none() {
            return Err(self.loc.at(
                seg,
                Some(i),
                format!("claim status category {cat:?} is not a known category (A0–A8, P0–P5, F0–F4, R0–R16, E0–E4, D0)"),
            ));
        }
        if code.is_empty() {
            return Err(self
                .loc
                .at(seg, Some(i), "the claim status code is missing"));
        }
        Ok(Some(ClaimStatus::new(cat, code, entity)))
    }

    fn close_claim(&mut self) {
        if let Some(open) = self.claim.take() {
            let mut ack = open.ack;
            ack.claim_id = if open.account.is_empty() {
                open.trace
            } else {
                open.account
            };
            if ack.date_of_service.is_none() {
                ack.date_of_service = open.first_line_date;
            }
            self.set.claims.push(ack);
        }
    }

    /// One segment of the set.
    pub fn feed(&mut self, seg: &Segment) -> Result<(), IngestError> {
        self.segment_count += 1;
        self.set.fingerprint = fingerprint(self.set.fingerprint, seg.text().as_bytes());
        check_ack_segment_id(&self.loc, seg, SEGMENTS_277, "a 277 claim status")?;
        let loc = self.loc.clone();
        match seg.id() {
            "BHT" => {
                self.set.date = self
                    .date(seg, 4, "transaction set creation date")?
                    .ok_or_else(|| {
                        loc.at(seg, Some(4), "transaction set creation date is missing")
                    })?;
                self.seen_bht = true;
            }
            "HL" => {
                self.close_claim();
                self.level = match loc.required(seg, 3, "hierarchical level code")? {
                    "20" => Level::Source,
                    "21" => Level::Receiver,
                    "19" => Level::Provider,
                    "PT" | "22" | "23" => Level::Patient,
                    other => {
                        return Err(loc.at(
                            seg,
                            Some(3),
                            format!("hierarchical level {other:?} is not one a 277 has (20, 21, 19, PT, 22, 23)"),
                        ))
                    }
                };
                if self.level == Level::Patient {
                    self.patient = (String::new(), String::new());
                }
            }
            "NM1" => {
                let name = || {
                    let last = seg.element(3);
                    let first = seg.element(4);
                    if first.is_empty() {
                        last.to_string()
                    } else {
                        format!("{last}, {first}")
                    }
                };
                match (self.level, seg.element(1)) {
                    (Level::Source, code @ ("PR" | "AY")) => {
                        self.payer = Party {
                            name: loc.required(seg, 3, "information source name")?.into(),
                            id: seg.element(9).to_string(),
                        };
                        self.clearinghouse = code == "AY";
                    }
                    (Level::Receiver, "41") => self.receiver = name(),
                    (Level::Provider, "85" | "1P") => self.provider = name(),
                    // The dependent (QC) is the patient when given; else the subscriber.
                    (Level::Patient, code @ ("QC" | "IL"))
                        if code == "QC" || self.patient.0.is_empty() =>
                    {
                        self.patient = (name(), seg.element(9).to_string());
                    }
                    _ => {}
                }
            }
            "TRN" if self.level != Level::Patient => {
                self.trace = seg.element(2).to_string();
            }
            "TRN" => {
                self.close_claim();
                if self.patient.0.is_empty() {
                    return Err(loc.at(seg, None, "claim before its patient (NM1*QC or NM1*IL)"));
                }
                self.claim = Some(Open {
                    ack: ClaimAck {
                        claim_id: String::new(),
                        payer: self.payer.clone(),
                        provider: self.provider.clone(),
                        from_clearinghouse: self.clearinghouse,
                        patient_name: self.patient.0.clone(),
                        member_id: self.patient.1.clone(),
                        payer_claim_number: String::new(),
                        billed_cents: 0,
                        paid_cents: None,
                        date_of_service: None,
                        status_date: self.set.date,
                        statuses: Vec::new(),
                        line_statuses: Vec::new(),
                        message: String::new(),
                        segment: seg.number,
                    },
                    trace: loc
                        .required(seg, 2, "claim trace number (the patient control number)")?
                        .into(),
                    account: String::new(),
                    in_line: None,
                    first_line_date: None,
                });
            }
            "STC" => {
                let statuses: Vec<ClaimStatus> = [1, 10, 11]
                    .into_iter()
                    .map(|i| self.status(seg, i))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .flatten()
                    .collect();
                if statuses.is_empty() {
                    return Err(loc.at(
                        seg,
                        Some(1),
                        "the claim status (category:code) is missing",
                    ));
                }
                let date = self.date(seg, 2, "status effective date")?;
                let billed = loc.optional_amount(seg, 4, "total claim charge amount")?;
                let paid = if seg.element(5).is_empty() {
                    None
                } else {
                    Some(loc.amount(seg, 5, "claim payment amount")?)
                };
                let message = seg.element(12).to_string();
                // Statuses of the batch or provider levels count claims; the claims' own
                // statuses follow, unless the level is rejected as a whole (no claim is
                // listed then), which must not go unseen.
                let Some(open) = self.claim.as_mut() else {
                    let rejected: Vec<ClaimStatus> = statuses
                        .into_iter()
                        .filter(|s| s.disposition() == Some(Disposition::Rejected))
                        .collect();
                    if !rejected.is_empty() && self.set.kind == ClaimAckKind::Acknowledgment {
                        let (level, name) = match self.level {
                            Level::Provider => ("billing provider", self.provider.clone()),
                            _ => ("claim batch", self.receiver.clone()),
                        };
                        self.set.group_rejections.push(GroupRejection {
                            level: level.to_string(),
                            name,
                            trace: self.trace.clone(),
                            statuses: rejected,
                            billed_cents: billed,
                        });
                    }
                    return Ok(());
                };
                if let Some(line) = &open.in_line {
                    for s in statuses {
                        open.ack.line_statuses.push((line.clone(), s));
                    }
                    return Ok(());
                }
                if open.ack.statuses.is_empty() {
                    if self.set.kind == ClaimAckKind::Acknowledgment && seg.element(4).is_empty() {
                        return Err(loc.at(
                            seg,
                            Some(4),
                            "the claim's total charge is missing: a 277CA gives it for every claim",
                        ));
                    }
                    if let Some(d) = date {
                        open.ack.status_date = d;
                    }
                    open.ack.billed_cents = billed;
                    open.ack.paid_cents = paid;
                    open.ack.message = message;
                }
                open.ack.statuses.extend(statuses);
            }
            "REF" => {
                if let Some(open) = self.claim.as_mut().filter(|o| o.in_line.is_none()) {
                    match seg.element(1) {
                        "1K" => open.ack.payer_claim_number = seg.element(2).to_string(),
                        "EJ" => open.account = seg.element(2).to_string(),
                        _ => {}
                    }
                }
            }
            "DTP" if seg.element(1) == "472" => {
                let date = self.date(seg, 3, "service date")?;
                if let Some(open) = self.claim.as_mut() {
                    if open.in_line.is_none() {
                        open.ack.date_of_service = date;
                    } else if let Some(d) = date {
                        open.first_line_date = Some(open.first_line_date.map_or(d, |f| f.min(d)));
                    }
                }
            }
            "SVC" => match self.claim.as_mut() {
                Some(open) => open.in_line = Some(seg.element(1).to_string()),
                None => return Err(loc.at(seg, None, "service line outside a claim")),
            },
            _ => {} // QTY, AMT, PER, DMG, addresses and other DTPs: batch totals and contacts.
        }
        Ok(())
    }

    /// Ends the set at its SE: counts checked, every claim with a status of its own.
    pub fn finish(mut self, se: &Segment) -> Result<Acknowledgment, IngestError> {
        self.segment_count += 1;
        self.set.fingerprint = fingerprint(self.set.fingerprint, se.text().as_bytes());
        self.close_claim();
        check_trailer(&self.loc, se, self.segment_count, &self.set.control_number)?;
        if !self.seen_bht {
            return Err(self
                .loc
                .at(se, None, "the 277 has no BHT: its date is unknown"));
        }
        let undated = self.set.kind == ClaimAckKind::Acknowledgment;
        if let Some(c) = self
            .set
            .claims
            .iter()
            .find(|c| undated && c.date_of_service.is_none())
        {
            return Err(IngestError {
                segment: Some(c.segment),
                segment_id: Some("TRN".into()),
                ..IngestError::file(
                    &self.loc.file,
                    format!(
                        "claim {:?} has no date of service (DTP*472 at the claim or a line): its filing limit cannot be counted",
                        c.claim_id
                    ),
                )
            });
        }
        if let Some(c) = self.set.claims.iter().find(|c| c.statuses.is_empty()) {
            return Err(IngestError {
                segment: Some(c.segment),
                segment_id: Some("TRN".into()),
                ..IngestError::file(
                    &self.loc.file,
                    format!("claim {:?} has no claim-level STC status", c.claim_id),
                )
            });
        }
        Ok(Acknowledgment::Claims(self.set))
    }
}
