//! The merge fields of a letter, from a work item and the claim's latest remittance: what
//! a template may name (README, "Appeal letters", lists them). Money is written as people
//! read it ("$1,240.00"), dates as `YYYY-MM-DD`.

use crate::domain::claim::Claim;
use crate::domain::denial::meaning;
use crate::domain::denial::Meaning;
use crate::domain::money::format_cents;
use crate::domain::work_item::{ItemKind, RowFields, WorkItem};
use crate::domain::{carc, rarc};
use chrono::NaiveDate;
use serde::Serialize;

/// What a letter is made from.
pub struct LetterInput<'a> {
    /// The work item appealed (or disputed).
    pub item: &'a WorkItem,
    /// The claim as its latest remittance gave it, when there is one.
    pub claim: Option<&'a Claim>,
    /// The appeal level the letter is for.
    pub level: u8,
    /// The practice's letterhead, first line its name (config `[letterhead] lines`).
    pub letterhead: &'a [String],
    /// The payer's appeals address lines (payers.toml `appeals_address`), if known.
    pub appeals_address: &'a [String],
    /// Who signs it (the specialist).
    pub specialist: &'a str,
    /// The letter's date.
    pub today: NaiveDate,
    /// The documents checked off in the level's packet (their wording).
    pub enclosed: &'a [String],
}

/// A code and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct Code {
    /// "CO-197", "N30".
    pub code: String,
    /// Its description.
    pub description: String,
}

/// One service line at issue.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// "99214-25", or "whole claim".
    pub procedure: String,
    /// Its date of service.
    pub date: String,
    /// Its charge.
    pub billed: String,
    /// "denied" or "below contract by".
    pub what: String,
    /// The amount in dispute on it.
    pub amount: String,
    /// The codes on it (CARCs, then remark codes) with their meaning.
    pub codes: Vec<Code>,
}

/// Every merge field, as templates see them.
#[derive(Debug, Clone, Serialize)]
pub struct LetterData {
    /// The letter's date.
    pub today: String,
    /// The specialist's name.
    pub specialist: String,
    /// `name`, `lines` (the letterhead).
    pub practice: Practice,
    /// `name`, `id`, `appeals_address` (lines; empty when unknown).
    pub payer: Payer,
    /// `name`, `member_id`, `id_label` ("Member ID", or "Medicare number (MBI)").
    pub patient: Patient,
    /// `name`, `npi`: the rendering provider, else the payee.
    pub provider: Provider,
    /// `id`, `payer_claim_number`, `billed`, `dates_of_service`, `denied`, `outstanding`.
    pub claim: ClaimFields,
    /// `date`, `codes`, `category`.
    pub denial: Denial,
    /// `level`, `deadline`, `title`.
    pub appeal: Appeal,
    /// The lines at issue.
    pub lines: Vec<Line>,
}

/// See `LetterData::practice`.
#[derive(Debug, Clone, Serialize)]
pub struct Practice {
    /// The practice's name.
    pub name: String,
    /// The letterhead lines.
    pub lines: Vec<String>,
}

/// See `LetterData::payer`.
#[derive(Debug, Clone, Serialize)]
pub struct Payer {
    /// N1*PR name.
    pub name: String,
    /// Payer id.
    pub id: String,
    /// The appeals address lines.
    pub appeals_address: Vec<String>,
}

/// See `LetterData::patient`.
#[derive(Debug, Clone, Serialize)]
pub struct Patient {
    /// "LAST, FIRST".
    pub name: String,
    /// Member id.
    pub member_id: String,
    /// What the payer calls that id.
    pub id_label: String,
}

/// See `LetterData::provider`.
#[derive(Debug, Clone, Serialize)]
pub struct Provider {
    /// The rendering provider's name, else the payee's.
    pub name: String,
    /// Its NPI.
    pub npi: String,
}

/// See `LetterData::claim`.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimFields {
    /// CLP01.
    pub id: String,
    /// CLP07.
    pub payer_claim_number: String,
    /// Total charge.
    pub billed: String,
    /// "2026-10-01" or "2026-10-01 to 2026-10-03".
    pub dates_of_service: String,
    /// Denied (an underpayment: the variance).
    pub denied: String,
    /// Still owed.
    pub outstanding: String,
}

/// See `LetterData::denial`.
#[derive(Debug, Clone, Serialize)]
pub struct Denial {
    /// Remittance date of the denial.
    pub date: String,
    /// "CO-197, N30".
    pub codes: String,
    /// "authorization".
    pub category: String,
}

/// See `LetterData::appeal`.
#[derive(Debug, Clone, Serialize)]
pub struct Appeal {
    /// 1, 2 …
    pub level: u8,
    /// The appeal deadline ("none" without appeal rights).
    pub deadline: String,
    /// "Level 1 appeal", Medicare's "Request for Redetermination", or "Payment dispute".
    pub title: String,
    /// Whether the payer gave appeal rights (else the letter says so, loudly).
    pub appealable: bool,
    /// Medicare (CLP06 MA, MB): its own appeal names, forms and rules.
    pub medicare: bool,
    /// The documents checked off in the level's packet (not the letter itself), as
    /// their wording: what "Enclosed:" lists when there are any.
    pub enclosed: Vec<String>,
}

impl LetterData {
    /// The merge fields for `input`.
    pub fn new(input: &LetterInput) -> LetterData {
        let i = input.item;
        let claim = input.claim;
        let underpaid = i.kind == ItemKind::Underpayment;
        // CLP06 MA / MB: Medicare Part A / B, whose appeal levels have their own names.
        let medicare = matches!(i.filing_indicator.as_str(), "MA" | "MB");
        let dates = match claim.map(|c| (c.date_of_service(), c.service_to)) {
            Some((Some(from), Some(to))) if to != from => format!("{from} to {to}"),
            _ => i.date_of_service.map_or("-".into(), |d| d.to_string()),
        };
        let refs = claim.map(Claim::line_refs).unwrap_or_default();
        let institutional = claim.is_some_and(Claim::is_institutional);
        let lines =
            i.open_lines()
                .map(|l| {
                    let adjustments = claim.map(|c| match refs.iter().position(|r| *r == l.line) {
                        Some(at) => &c.lines[at].adjustments,
                        None => &c.adjustments,
                    });
                    let remarks = claim.and_then(|c| {
                        refs.iter()
                            .position(|r| *r == l.line)
                            .map(|at| &c.lines[at].remarks)
                    });
                    let mut codes: Vec<Code> = adjustments
                        .into_iter()
                        .flatten()
                        .filter(|a| underpaid || meaning(a, institutional) != Meaning::NoWork)
                        .filter(|a| a.amount_cents > 0)
                        .map(|a| Code {
                            code: a.code(),
                            description: carc::describe(&a.carc).to_string(),
                        })
                        .collect();
                    // A whole-claim denial's remark codes are the claim's own (MOA, MIA).
                    let claim_remarks = claim.filter(|_| l.is_claim_level()).map(|c| &c.remarks);
                    codes.extend(remarks.into_iter().chain(claim_remarks).flatten().map(|r| {
                        Code {
                            code: r.clone(),
                            description: rarc::describe(r).to_string(),
                        }
                    }));
                    // An underpayment's line: the contract it is measured against.
                    if let Some(u) = i
                        .underpayment
                        .as_ref()
                        .and_then(|u| u.lines.iter().find(|u| u.line == l.line))
                    {
                        codes.push(Code {
                            code: "contract".into(),
                            // The practice's contract file is its own business: the
                            // payer reads the rate.
                            description: format!(
                                "contracted rate {}, payer allowed {}",
                                format_cents(u.expected_cents),
                                format_cents(u.allowed_now_cents)
                            ),
                        });
                    }
                    Line {
                        procedure: l.label().to_string(),
                        date: l
                            .service_date
                            .or(i.date_of_service)
                            .map_or("-".into(), |d| d.to_string()),
                        billed: format_cents(if l.is_claim_level() {
                            i.billed_cents
                        } else {
                            l.charge_cents
                        }),
                        what: if underpaid {
                            "below contract by".into()
                        } else {
                            "in dispute".into()
                        },
                        amount: format_cents(l.outstanding_cents()),
                        codes,
                    }
                })
                .collect();
        let mut all_codes = i
            .carcs
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<String>>();
        all_codes.extend(i.remarks.iter().cloned());
        LetterData {
            today: input.today.to_string(),
            specialist: input.specialist.to_string(),
            practice: Practice {
                name: input
                    .letterhead
                    .first()
                    .cloned()
                    .unwrap_or_else(|| i.facility.clone()),
                lines: if input.letterhead.is_empty() {
                    vec![i.facility.clone()]
                } else {
                    input.letterhead.to_vec()
                },
            },
            payer: Payer {
                name: i.payer.to_string(),
                id: i.payer_id.clone(),
                appeals_address: input.appeals_address.to_vec(),
            },
            patient: Patient {
                name: i.patient_name.to_string(),
                member_id: i.member_id.to_string(),
                id_label: if medicare {
                    "Medicare number (MBI)".into()
                } else {
                    "Member ID".into()
                },
            },
            provider: match claim.and_then(|c| c.rendering_provider.as_ref()) {
                Some(p) => Provider {
                    name: p.name.clone(),
                    npi: p.id.clone(),
                },
                None => Provider {
                    name: i.facility.clone(),
                    npi: claim.map_or_else(|| "[NPI]".into(), |c| c.remit.payee.id.clone()),
                },
            },
            claim: ClaimFields {
                id: i.claim_id.to_string(),
                payer_claim_number: i.payer_claim_number.to_string(),
                billed: format_cents(i.billed_cents),
                dates_of_service: dates,
                denied: format_cents(i.denied_cents),
                outstanding: format_cents(i.outstanding_cents()),
            },
            denial: Denial {
                date: i.denied_on.to_string(),
                codes: all_codes.join(", "),
                category: i.category.label().to_string(),
            },
            appeal: Appeal {
                level: input.level,
                deadline: i.appeal_by().map_or("none".into(), |d| d.date.to_string()),
                title: match (underpaid, medicare, input.level) {
                    (true, _, _) => "Payment dispute".into(),
                    (false, true, 1) => "Request for Redetermination (level 1 appeal)".into(),
                    (false, true, 2) => {
                        "Request for Reconsideration by the QIC (level 2 appeal)".into()
                    }
                    (false, _, level) => format!("Level {level} appeal"),
                },
                appealable: i.appealable(),
                medicare,
                enclosed: input.enclosed.to_vec(),
            },
            lines,
        }
    }
}
