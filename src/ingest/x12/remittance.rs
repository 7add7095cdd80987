//! Builds one 835 transaction set (ST…SE) into a domain remittance: the payment header, payer
//! and payee, every CLP loop with its CAS, NM1, MOA, DTM and SVC loops, and PLB.

use super::fields::Locator;
use super::tokenizer::Segment;
use crate::domain::claim::{Claim, ClaimStatusCode, Party, Person, RemitRef, ServiceLine};
use crate::domain::remittance::{ProviderAdjustment, Remittance};
use crate::ingest::error::IngestError;
use chrono::NaiveDate;

#[derive(PartialEq)]
enum HeaderParty {
    None,
    Payer,
    Payee,
}

/// Accumulates one transaction set, segment by segment.
pub struct RemittanceBuilder {
    loc: Locator,
    control_number: String,
    version: String,
    /// Segments read so far in the set (checked against SE01).
    pub segment_count: usize,
    first_segment: usize,
    fingerprint: u64,
    total_paid_cents: i64,
    bpr_date: Option<NaiveDate>,
    production_date: Option<NaiveDate>,
    trace_number: String,
    payer_originator: String,
    payer: Party,
    payee: Party,
    party: HeaderParty,
    remit: Option<RemitRef>,
    claims: Vec<Claim>,
    provider_adjustments: Vec<ProviderAdjustment>,
}

pub(super) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// An FNV-style hash taken eight bytes at a time (byte-wise FNV costs a quarter of the
/// parse time on big files). It only has to be stable for the store's lifetime: it is
/// part of schema 1.
pub(super) fn fingerprint(mut hash: u64, bytes: &[u8]) -> u64 {
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let word = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        hash = (hash ^ word).wrapping_mul(MIX);
        hash ^= hash >> 32;
    }
    for &b in words.remainder() {
        hash = (hash ^ u64::from(b)).wrapping_mul(MIX);
    }
    hash ^ bytes.len() as u64
}

impl RemittanceBuilder {
    /// Starts at an ST segment whose ST01 has been checked to be 835.
    pub fn start(loc: Locator, st: &Segment, version: &str) -> RemittanceBuilder {
        RemittanceBuilder {
            loc,
            control_number: st.element(2).to_string(),
            version: version.to_string(),
            segment_count: 1,
            first_segment: st.number,
            fingerprint: fingerprint(FNV_OFFSET, st.text().as_bytes()),
            total_paid_cents: 0,
            bpr_date: None,
            production_date: None,
            trace_number: String::new(),
            payer_originator: String::new(),
            payer: Party::default(),
            payee: Party::default(),
            party: HeaderParty::None,
            remit: None,
            claims: Vec::new(),
            provider_adjustments: Vec::new(),
        }
    }

    /// ST02 of the set being read.
    pub fn control_number(&self) -> &str {
        &self.control_number
    }

    /// Feeds one segment between ST and SE.
    pub fn feed(&mut self, seg: &Segment) -> Result<(), IngestError> {
        self.segment_count += 1;
        self.fingerprint = fingerprint(self.fingerprint, seg.text().as_bytes());
        let loc = self.loc.clone();
        match seg.id() {
            "BPR" => {
                self.total_paid_cents = loc.amount(seg, 2, "total actual provider payment")?;
                if !seg.element(16).is_empty() {
                    self.bpr_date = Some(loc.date(seg, 16, "payment effective date")?);
                }
            }
            "TRN" => {
                self.trace_number = loc
                    .required(seg, 2, "check or EFT trace number")?
                    .to_string();
                self.payer_originator = seg.element(3).to_string();
            }
            "N1" if self.claims.is_empty() => {
                let party = Party {
                    name: seg.element(2).to_string(),
                    id: seg.element(4).to_string(),
                };
                self.party = match seg.element(1) {
                    "PR" => {
                        self.payer = party;
                        HeaderParty::Payer
                    }
                    "PE" => {
                        self.payee = party;
                        HeaderParty::Payee
                    }
                    _ => HeaderParty::None,
                };
            }
            "REF"
                if self.claims.is_empty()
                    && self.party == HeaderParty::Payer
                    && seg.element(1) == "2U"
                    && self.payer.id.is_empty() =>
            {
                self.payer.id = seg.element(2).to_string();
            }
            "DTM" if self.claims.is_empty() && seg.element(1) == "405" => {
                self.production_date = Some(loc.date(seg, 2, "production date")?);
            }
            "CLP" => self.start_claim(seg)?,
            "PLB" => self.provider_adjustment(seg)?,
            _ if !self.claims.is_empty() => self.claim_segment(seg)?,
            // Header segments we do not need (CUR, REF*EV, N3, N4, PER, RDM, LX, TS3…).
            _ => {}
        }
        Ok(())
    }

    fn start_claim(&mut self, seg: &Segment) -> Result<(), IngestError> {
        let loc = &self.loc;
        if self.remit.is_none() {
            let remit_date = self.production_date.or(self.bpr_date).ok_or_else(|| {
                loc.at(
                    seg,
                    None,
                    "no remittance date before the first claim: expected DTM*405 or BPR16",
                )
            })?;
            self.remit = Some(RemitRef {
                remit_date,
                trace_number: self.trace_number.clone(),
                payer_originator: self.payer_originator.clone(),
                payer: self.payer.clone(),
                payee: self.payee.clone(),
                source_file: loc.file.to_string(),
            });
        }
        let status_text = loc.required(seg, 2, "claim status code")?;
        let status = status_text.parse::<u8>().map_err(|_| {
            loc.at(
                seg,
                Some(2),
                format!(
                    "expected a claim status code such as 1, 2, 4 or 22, found {status_text:?}"
                ),
            )
        })?;
        let claim = Claim {
            patient_control_number: loc.required(seg, 1, "patient control number")?.to_string(),
            status_code: ClaimStatusCode::from_code(status),
            billed_cents: loc.amount(seg, 3, "total claim charge")?,
            paid_cents: loc.amount(seg, 4, "claim payment amount")?,
            patient_responsibility_cents: loc.optional_amount(seg, 5, "patient responsibility")?,
            filing_indicator: seg.element(6).to_string(),
            payer_claim_number: seg.element(7).to_string(),
            facility_code: seg.element(8).to_string(),
            frequency: seg.element(9).to_string(),
            patient: Person::default(),
            insured: None,
            rendering_provider: None,
            service_from: None,
            service_to: None,
            received: None,
            adjustments: Vec::new(),
            remarks: Vec::new(),
            lines: Vec::new(),
            remit: self.remit.clone().expect("set above"),
            drg: Some(seg.element(11).to_string()).filter(|d| !d.is_empty()),
            inpatient_adjudication: false,
        };
        self.claims.push(claim);
        Ok(())
    }

    fn claim_segment(&mut self, seg: &Segment) -> Result<(), IngestError> {
        let loc = &self.loc;
        let claim = self.claims.last_mut().expect("inside a claim");
        match seg.id() {
            "CAS" => match claim.lines.last_mut() {
                Some(line) => loc.adjustments(seg, &mut line.adjustments)?,
                None => loc.adjustments(seg, &mut claim.adjustments)?,
            },
            "NM1" => {
                let person = || Person {
                    last_name: seg.element(3).to_string(),
                    first_name: seg.element(4).to_string(),
                    member_id: seg.element(9).to_string(),
                };
                match seg.element(1) {
                    "QC" => claim.patient = person(),
                    "IL" => claim.insured = Some(person()),
                    "82" => {
                        let name = if seg.element(2) == "1" && !seg.element(4).is_empty() {
                            format!("{}, {}", seg.element(3), seg.element(4))
                        } else {
                            seg.element(3).to_string()
                        };
                        claim.rendering_provider = Some(Party {
                            name,
                            id: seg.element(9).to_string(),
                        });
                    }
                    _ => {}
                }
            }
            "MOA" => push_remarks(&mut claim.remarks, seg, &[3, 4, 5, 6, 7]),
            "MIA" => {
                claim.inpatient_adjudication = true;
                push_remarks(&mut claim.remarks, seg, &[5, 20, 21, 22, 23])
            }
            "DTM" => match claim.lines.last_mut() {
                Some(line) => {
                    if matches!(seg.element(1), "472" | "150") && line.service_date.is_none() {
                        line.service_date = Some(loc.date(seg, 2, "service date")?);
                    }
                }
                None => match seg.element(1) {
                    "232" => {
                        claim.service_from =
                            Some(loc.date(seg, 2, "claim statement period start")?)
                    }
                    "233" => {
                        claim.service_to = Some(loc.date(seg, 2, "claim statement period end")?)
                    }
                    "050" => claim.received = Some(loc.date(seg, 2, "claim received date")?),
                    _ => {}
                },
            },
            "SVC" => {
                let revenue = seg.element(4);
                claim.lines.push(ServiceLine {
                    procedure: loc.procedure(seg, 1)?,
                    charge_cents: loc.amount(seg, 2, "line charge amount")?,
                    paid_cents: loc.amount(seg, 3, "line payment amount")?,
                    revenue_code: (!revenue.is_empty()).then(|| revenue.to_string()),
                    units: loc.quantity(seg, 5, "units of service paid")?,
                    service_date: None,
                    control_number: None,
                    adjustments: Vec::new(),
                    allowed_cents: None,
                    remarks: Vec::new(),
                });
            }
            // AMT*B6 in the service payment loop: the allowed amount, what a contract is
            // compared with. Other amounts (KH late-filing reduction, T tax) change nothing.
            "AMT" if seg.element(1) == "B6" => {
                if let Some(line) = claim.lines.last_mut() {
                    line.allowed_cents = Some(loc.amount(seg, 2, "service line allowed amount")?);
                }
            }
            "REF" if seg.element(1) == "6R" => {
                if let Some(line) = claim.lines.last_mut() {
                    line.control_number = Some(seg.element(2).to_string());
                }
            }
            "LQ" => {
                if let Some(line) = claim.lines.last_mut() {
                    push_remarks(&mut line.remarks, seg, &[2]);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn provider_adjustment(&mut self, seg: &Segment) -> Result<(), IngestError> {
        for pair in 0..6 {
            let at = 3 + pair * 2;
            if seg.element(at).is_empty() {
                continue;
            }
            let mut reason = seg.components(at);
            self.provider_adjustments.push(ProviderAdjustment {
                provider_id: seg.element(1).to_string(),
                reason: reason.next().unwrap_or("").to_string(),
                reference: reason.next().unwrap_or("").to_string(),
                amount_cents: self.loc.amount(seg, at + 1, "provider adjustment amount")?,
            });
        }
        Ok(())
    }

    /// Closes the set at its SE. `se_count` and `se_control` are SE01 and SE02.
    pub fn finish(mut self, se: &Segment) -> Result<Remittance, IngestError> {
        self.segment_count += 1;
        self.fingerprint = fingerprint(self.fingerprint, se.text().as_bytes());
        let count_text = self.loc.required(se, 1, "number of included segments")?;
        let count: usize = count_text.parse().map_err(|_| {
            self.loc.at(
                se,
                Some(1),
                format!("expected a segment count, found {count_text:?}"),
            )
        })?;
        if count != self.segment_count {
            return Err(self.loc.at(
                se,
                Some(1),
                format!(
                    "SE01 says {count} segments but transaction set {} has {}: the file is damaged or truncated",
                    self.control_number, self.segment_count
                ),
            ));
        }
        if se.element(2) != self.control_number {
            return Err(self.loc.at(
                se,
                Some(2),
                format!(
                    "expected control number {:?} (from ST02), found {:?}",
                    self.control_number,
                    se.element(2)
                ),
            ));
        }
        let remit_date = match &self.remit {
            Some(r) => r.remit_date,
            None => self.production_date.or(self.bpr_date).ok_or_else(|| {
                self.loc.at(
                    se,
                    None,
                    "transaction set has no remittance date: expected DTM*405 or BPR16",
                )
            })?,
        };
        Ok(Remittance {
            source_file: self.loc.file.to_string(),
            control_number: self.control_number,
            version: self.version,
            total_paid_cents: self.total_paid_cents,
            remit_date,
            trace_number: self.trace_number,
            payer: self.payer,
            payee: self.payee,
            claims: self.claims,
            provider_adjustments: self.provider_adjustments,
            first_segment: self.first_segment,
            fingerprint: self.fingerprint,
        })
    }
}

fn push_remarks(out: &mut Vec<String>, seg: &Segment, at: &[usize]) {
    for &i in at {
        let code = seg.element(i);
        if !code.is_empty() && !out.iter().any(|r| r == code) {
            out.push(code.to_string());
        }
    }
}
