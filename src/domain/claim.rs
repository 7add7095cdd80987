//! A claim as one remittance adjudicated it: header, patient, provider, service lines and
//! adjustments. Money is integer cents; dates are calendar dates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// CAS01: who the adjustment is assigned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupCode {
    /// Contractual obligation (provider writes off).
    CO,
    /// Patient responsibility.
    PR,
    /// Other adjustment.
    OA,
    /// Payer-initiated reduction.
    PI,
    /// Correction or reversal (4010).
    CR,
}

impl GroupCode {
    /// The group code as written in CAS01, if it is one of the five.
    pub fn parse(text: &str) -> Option<GroupCode> {
        match text {
            "CO" => Some(GroupCode::CO),
            "PR" => Some(GroupCode::PR),
            "OA" => Some(GroupCode::OA),
            "PI" => Some(GroupCode::PI),
            "CR" => Some(GroupCode::CR),
            _ => None,
        }
    }

    /// The code as written ("CO").
    pub fn as_str(self) -> &'static str {
        match self {
            GroupCode::CO => "CO",
            GroupCode::PR => "PR",
            GroupCode::OA => "OA",
            GroupCode::PI => "PI",
            GroupCode::CR => "CR",
        }
    }
}

impl fmt::Display for GroupCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason/amount triple of a CAS segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    /// CAS01: who is responsible for the amount.
    pub group: GroupCode,
    /// The Claim Adjustment Reason Code ("197").
    pub carc: String,
    /// How much was adjusted (negative: given back).
    pub amount_cents: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Units adjusted, when the payer says.
    pub quantity: Option<f64>,
}

impl Adjustment {
    /// "CO-197": how billing people say it.
    pub fn code(&self) -> String {
        format!("{}-{}", self.group, self.carc)
    }
}

/// CLP02: what the payer did with the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimStatusCode {
    /// CLP02 1 or 19: processed as primary (19: and forwarded).
    ProcessedPrimary,
    /// CLP02 2 or 20: processed as secondary.
    ProcessedSecondary,
    /// CLP02 3 or 21: processed as tertiary.
    ProcessedTertiary,
    /// CLP02 4: denied.
    Denied,
    /// Pended, forwarded or other codes we keep but do not act on.
    Other(u8),
    /// CLP02 = 22: reversal of a previous payment.
    Reversal,
}

impl ClaimStatusCode {
    /// The status for a CLP02 value.
    pub fn from_code(code: u8) -> ClaimStatusCode {
        match code {
            1 | 19 => ClaimStatusCode::ProcessedPrimary,
            2 | 20 => ClaimStatusCode::ProcessedSecondary,
            3 | 21 => ClaimStatusCode::ProcessedTertiary,
            4 => ClaimStatusCode::Denied,
            22 => ClaimStatusCode::Reversal,
            other => ClaimStatusCode::Other(other),
        }
    }

    /// How the status reads on a timeline ("processed as primary").
    pub fn label(self) -> String {
        match self {
            ClaimStatusCode::ProcessedPrimary => "processed as primary".into(),
            ClaimStatusCode::ProcessedSecondary => "processed as secondary".into(),
            ClaimStatusCode::ProcessedTertiary => "processed as tertiary".into(),
            ClaimStatusCode::Denied => "denied".into(),
            ClaimStatusCode::Reversal => "reversal of previous payment".into(),
            ClaimStatusCode::Other(c) => format!("status code {c}"),
        }
    }
}

/// Procedure from SVC01 (or SVC06 when the payer changed it): qualifier, code, modifiers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Procedure {
    /// SVC01-1: the code list (HC for HCPCS/CPT, NU revenue code …).
    pub qualifier: String,
    /// The procedure or revenue code.
    pub code: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    /// Up to four modifiers ("25", "59").
    pub modifiers: Vec<String>,
}

impl fmt::Display for Procedure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        for m in &self.modifiers {
            write!(f, "-{m}")?;
        }
        Ok(())
    }
}

/// One SVC loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceLine {
    /// What was billed (as adjudicated).
    pub procedure: Procedure,
    /// SVC02: the line's charge.
    pub charge_cents: i64,
    /// SVC03: what the payer paid on it.
    pub paid_cents: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// SVC04: the revenue code of an institutional line.
    pub revenue_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// SVC05: units paid.
    pub units: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// DTM*472: the line's date of service.
    pub service_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// REF*6R: the provider's line item control number.
    pub control_number: Option<String>,
    /// The line's CAS adjustments.
    pub adjustments: Vec<Adjustment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// AMT*B6: the payer's allowed amount for the line, when it says (the contract
    /// comparison falls back to paid + patient responsibility without it).
    pub allowed_cents: Option<i64>,
    /// LQ remark codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
}

impl ServiceLine {
    /// What names this line across remittances: its line item control number (REF*6R)
    /// when the payer echoes one, else procedure, modifiers and date of service.
    pub fn line_ref(&self) -> String {
        match &self.control_number {
            Some(c) if !c.is_empty() => format!("6R:{c}"),
            _ => format!(
                "{}@{}",
                self.procedure,
                self.service_date.map_or("-".to_string(), |d| d.to_string())
            ),
        }
    }

    /// "99214-25   $200.00 billed   $120.00 paid · rev 0450" for claim screens.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{:<16}{:>11} billed {:>11} paid",
            self.procedure.to_string(),
            super::money::format_cents(self.charge_cents),
            super::money::format_cents(self.paid_cents)
        );
        if let Some(r) = &self.revenue_code {
            s.push_str(&format!(" · rev {r}"));
        }
        s
    }
}

/// A person named on the claim (NM1*QC patient, NM1*IL insured).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Person {
    /// NM103: family name (or an organisation's name).
    pub last_name: String,
    /// NM104: given name.
    pub first_name: String,
    /// Member or subscriber ID (NM109).
    pub member_id: String,
}

impl Person {
    /// "LAST, FIRST" as billing screens show it.
    pub fn display_name(&self) -> String {
        if self.first_name.is_empty() {
            self.last_name.clone()
        } else {
            format!("{}, {}", self.last_name, self.first_name)
        }
    }
}

/// A provider or organisation with its NPI (or other identifier).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Party {
    /// NM103: the name.
    pub name: String,
    /// NM109: the NPI, payer id or other identifier.
    pub id: String,
}

/// Which remittance this adjudication arrived in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemitRef {
    /// DTM*405 production date, else BPR16.
    pub remit_date: NaiveDate,
    /// TRN02: check or EFT trace number.
    pub trace_number: String,
    /// TRN03: the payer's originating company identifier (part of the payer's identity).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub payer_originator: String,
    /// N1*PR: the payer.
    pub payer: Party,
    /// N1*PE: the payee, which is the billing location.
    pub payee: Party,
    /// The file the set came from.
    pub source_file: String,
}

/// One claim as adjudicated by one remittance (one CLP loop).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// CLP01: the provider's patient control number, the id specialists use.
    pub patient_control_number: String,
    /// CLP02: what the payer did with the claim.
    pub status_code: ClaimStatusCode,
    /// CLP03: the claim's total charge.
    pub billed_cents: i64,
    /// CLP04: what the payer paid.
    pub paid_cents: i64,
    /// CLP05: what the patient owes.
    pub patient_responsibility_cents: i64,
    /// CLP06: MA/MB Medicare, MC Medicaid, CI commercial, BL Blue Cross, HM HMO …
    pub filing_indicator: String,
    /// CLP07: the payer's claim control number.
    pub payer_claim_number: String,
    /// CLP08: facility type / place of service code.
    pub facility_code: String,
    /// CLP09: claim frequency (1 original, 7 replacement, 8 void).
    pub frequency: String,
    /// NM1*QC: the patient.
    pub patient: Person,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// NM1*IL: the insured, when not the patient.
    pub insured: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// NM1*82: the rendering provider.
    pub rendering_provider: Option<Party>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// DTM*232: first day of service.
    pub service_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// DTM*233: last day of service.
    pub service_to: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// DTM*050: when the payer received the claim.
    pub received: Option<NaiveDate>,
    /// Claim-level CAS.
    pub adjustments: Vec<Adjustment>,
    /// MOA remark codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
    /// The service lines (SVC loops).
    pub lines: Vec<ServiceLine>,
    /// The remittance that carried this adjudication.
    pub remit: RemitRef,
    /// CLP11: the DRG of an inpatient institutional claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drg: Option<String>,
    /// An MIA segment (inpatient adjudication) was present.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inpatient_adjudication: bool,
}

impl Claim {
    /// Institutional (UB-04) or professional, from the claim as a whole: a DRG or an
    /// inpatient adjudication (MIA), a line billed by revenue code (SVC01 qualifier NU), or
    /// revenue codes on every line. One stray SVC04 on a professional line does not make
    /// the claim institutional (it would turn a CO-97 bundling denial into packaging).
    pub fn is_institutional(&self) -> bool {
        self.drg.is_some()
            || self.inpatient_adjudication
            || self.lines.iter().any(|l| l.procedure.qualifier == "NU")
            || (!self.lines.is_empty() && self.lines.iter().all(|l| l.revenue_code.is_some()))
    }

    /// First date of service: the statement period, else the earliest line date.
    pub fn date_of_service(&self) -> Option<NaiveDate> {
        self.service_from
            .or_else(|| self.lines.iter().filter_map(|l| l.service_date).min())
    }

    /// Each line's `line_ref`, with a repeat of the same ref numbered (`97110@2026-10-01#2`)
    /// so two identical lines (the same code twice on one day) stay two lines.
    pub fn line_refs(&self) -> Vec<String> {
        let bases: Vec<String> = self.lines.iter().map(ServiceLine::line_ref).collect();
        bases
            .iter()
            .enumerate()
            .map(
                |(i, base)| match bases[..i].iter().filter(|b| *b == base).count() {
                    0 => base.clone(),
                    seen => format!("{base}#{}", seen + 1),
                },
            )
            .collect()
    }

    /// Every adjustment on the claim, claim level first, then each line's.
    pub fn all_adjustments(&self) -> impl Iterator<Item = &Adjustment> {
        self.adjustments
            .iter()
            .chain(self.lines.iter().flat_map(|l| l.adjustments.iter()))
    }

    /// Every remark code, claim level (MOA) then line level (LQ), without repeats.
    pub fn all_remarks(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in self
            .remarks
            .iter()
            .chain(self.lines.iter().flat_map(|l| l.remarks.iter()))
        {
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
        out
    }

    /// Moves every date by `days` (used to keep the demo queue current).
    pub fn shift_dates(&mut self, days: i64) {
        let shift = |d: &mut NaiveDate| *d += chrono::Duration::days(days);
        for d in [
            &mut self.service_from,
            &mut self.service_to,
            &mut self.received,
        ]
        .into_iter()
        .flatten()
        {
            shift(d);
        }
        for line in &mut self.lines {
            if let Some(d) = &mut line.service_date {
                shift(d);
            }
        }
        shift(&mut self.remit.remit_date);
    }
}
