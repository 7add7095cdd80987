//! Synthesis of one claim's adjudication: paid, denied, packaged, paid on appeal, reversed.

use super::catalog::{
    Location, PayerDef, Scope, FIRST_NAMES, LAST_NAMES, OFFICE_PROCEDURES, OUTPATIENT_LINES,
    OUTPATIENT_MAIN, PROVIDERS,
};
use super::rng::Rng;
use chrono::NaiveDate;

/// One CAS triple.
#[derive(Clone)]
pub struct Cas {
    pub group: &'static str,
    pub carc: &'static str,
    pub cents: i64,
}

#[derive(Clone)]
pub struct GenLine {
    pub code: &'static str,
    pub modifier: &'static str,
    pub revenue: Option<&'static str>,
    pub charge: i64,
    pub paid: i64,
    pub cas: Vec<Cas>,
    pub remark: Option<&'static str>,
}

#[derive(Clone)]
pub struct GenClaim {
    pub pcn: String,
    pub status: i8,
    pub payer_claim_number: String,
    pub patient: (&'static str, &'static str, String),
    pub provider: usize,
    pub institutional: bool,
    pub dos: NaiveDate,
    pub lines: Vec<GenLine>,
    /// Claim-level CAS (institutional whole-claim denials).
    pub cas: Vec<Cas>,
    pub remarks: Vec<&'static str>,
}

/// A denial to apply: (group, CARC, RARC, scope).
pub type DenialDef = (&'static str, &'static str, &'static str, Scope);

impl GenClaim {
    pub fn billed(&self) -> i64 {
        self.lines.iter().map(|l| l.charge).sum()
    }

    pub fn paid(&self) -> i64 {
        self.lines.iter().map(|l| l.paid).sum()
    }

    pub fn patient_share(&self) -> i64 {
        self.lines
            .iter()
            .flat_map(|l| l.cas.iter())
            .filter(|c| c.group == "PR")
            .map(|c| c.cents)
            .sum()
    }
}

pub fn member_id(rng: &mut Rng, payer: &PayerDef) -> String {
    const LETTERS: &[u8] = b"ACDEFGHJKMNPQRTUVWXY";
    let letter = |rng: &mut Rng| LETTERS[rng.below(LETTERS.len() as u64) as usize] as char;
    match payer.filing {
        // Shaped like a Medicare beneficiary identifier.
        "MB" => format!(
            "{}{}{}{}{}{}{:02}",
            rng.range(1, 9),
            letter(rng),
            letter(rng),
            rng.below(10),
            letter(rng),
            letter(rng),
            rng.below(100)
        ),
        "MC" => format!("{:010}", rng.below(10_000_000_000)),
        _ => format!("{}{:09}", letter(rng), rng.below(1_000_000_000)),
    }
}

/// Pays one line normally: contractual write-down, patient share, Medicare sequestration.
fn pay_line(rng: &mut Rng, payer: &PayerDef, line: &mut GenLine, allowed_pct: (i64, i64)) {
    let allowed = line.charge * rng.range(allowed_pct.0, allowed_pct.1) / 100;
    let mut cas = vec![Cas {
        group: "CO",
        carc: "45",
        cents: line.charge - allowed,
    }];
    let share = match payer.filing {
        "MB" => allowed / 5,
        "MC" => 0,
        _ if line.code.starts_with("992") => allowed.min(2_500),
        _ if rng.chance(150) => allowed.min(rng.range(2_000, 15_000)),
        _ => 0,
    };
    if share > 0 {
        let carc = match payer.filing {
            "MB" => "2",
            _ if line.code.starts_with("992") => "3",
            _ => "1",
        };
        cas.push(Cas {
            group: "PR",
            carc,
            cents: share,
        });
    }
    let mut paid = allowed - share;
    if payer.filing == "MB" {
        let sequestration = paid * 2 / 100;
        cas.push(Cas {
            group: "CO",
            carc: "253",
            cents: sequestration,
        });
        paid -= sequestration;
    }
    line.paid = paid;
    line.cas = cas;
    line.remark = None;
}

fn deny_line(line: &mut GenLine, d: DenialDef) {
    line.paid = 0;
    line.cas = vec![Cas {
        group: d.0,
        carc: d.1,
        cents: line.charge,
    }];
    line.remark = (!d.2.is_empty()).then_some(d.2);
}

/// Builds one claim's first adjudication.
pub fn make_claim(
    rng: &mut Rng,
    payer: &PayerDef,
    loc: &Location,
    pcn: String,
    dos: NaiveDate,
    denial: Option<DenialDef>,
) -> GenClaim {
    let mut lines: Vec<GenLine> = Vec::new();
    if loc.institutional {
        let main = *rng.pick(&OUTPATIENT_MAIN[..]);
        let ancillary_chance = if main.0 == "0450" { 450 } else { 150 };
        for (i, &(rev, code, charge)) in std::iter::once(&main)
            .chain(OUTPATIENT_LINES.iter())
            .enumerate()
        {
            if i == 0 || rng.chance(ancillary_chance) {
                lines.push(GenLine {
                    code,
                    modifier: "",
                    revenue: Some(rev),
                    charge,
                    paid: 0,
                    cas: vec![],
                    remark: None,
                });
            }
        }
    } else {
        let count = rng.range(1, 3);
        let mut e_m = true;
        for _ in 0..count {
            let &(code, modifier, charge) = if e_m {
                &OFFICE_PROCEDURES[rng.below(4) as usize]
            } else {
                rng.pick(&OFFICE_PROCEDURES[4..])
            };
            e_m = false;
            if lines.iter().all(|l| l.code != code) {
                lines.push(GenLine {
                    code,
                    modifier,
                    revenue: None,
                    charge,
                    paid: 0,
                    cas: vec![],
                    remark: None,
                });
            }
        }
    }
    for (i, line) in lines.iter_mut().enumerate() {
        if loc.institutional && i > 0 && rng.chance(700) {
            // Packaged into the main service's APC payment: expected, not a denial.
            line.paid = 0;
            line.cas = vec![Cas {
                group: "CO",
                carc: "97",
                cents: line.charge,
            }];
        } else {
            let pct = if loc.institutional {
                (35, 55)
            } else {
                (50, 75)
            };
            pay_line(rng, payer, line, pct);
        }
    }
    let mut claim = GenClaim {
        pcn,
        status: 1,
        payer_claim_number: format!("{}{:011}", &payer.id[..2], rng.below(100_000_000_000)),
        patient: (
            *rng.pick(&LAST_NAMES[..]),
            *rng.pick(&FIRST_NAMES[..]),
            member_id(rng, payer),
        ),
        provider: rng.below(PROVIDERS.len() as u64) as usize,
        institutional: loc.institutional,
        dos,
        lines,
        cas: vec![],
        remarks: vec![],
    };
    if let Some(d) = denial {
        deny(rng, &mut claim, d);
    }
    claim
}

fn deny(rng: &mut Rng, claim: &mut GenClaim, d: DenialDef) {
    if d.3 == Scope::OneLine && !claim.institutional {
        if claim.lines.len() == 1 {
            let &(code, modifier, charge) = &OFFICE_PROCEDURES[5 + rng.below(3) as usize];
            claim.lines.push(GenLine {
                code,
                modifier,
                revenue: None,
                charge,
                paid: 0,
                cas: vec![],
                remark: None,
            });
        }
        let last = claim.lines.len() - 1;
        deny_line(&mut claim.lines[last], d);
        return;
    }
    if claim.institutional {
        for line in &mut claim.lines {
            line.paid = 0;
            line.cas.clear();
        }
        claim.cas = vec![Cas {
            group: d.0,
            carc: d.1,
            cents: claim.billed(),
        }];
        claim.remarks = if d.2.is_empty() { vec![] } else { vec![d.2] };
    } else {
        for line in &mut claim.lines {
            deny_line(line, d);
        }
    }
    // Most payers send denials as status 1 with CAS; some use CLP02 = 4.
    claim.status = if rng.chance(150) { 4 } else { 1 };
}

/// The same claim paid on appeal: every line paid normally, or all but the last when the
/// appeal only partly succeeded.
pub fn paid_on_appeal(
    rng: &mut Rng,
    payer: &PayerDef,
    original: &GenClaim,
    partial: bool,
) -> GenClaim {
    let mut claim = original.clone();
    claim.status = 1;
    claim.cas.clear();
    claim.remarks.clear();
    claim.payer_claim_number = format!("{}{:011}", &payer.id[..2], rng.below(100_000_000_000));
    let keep_denied = if partial && claim.lines.len() > 1 {
        claim.lines.len() - 1
    } else {
        usize::MAX
    };
    let pct = if claim.institutional {
        (35, 55)
    } else {
        (50, 75)
    };
    for (i, line) in claim.lines.iter_mut().enumerate() {
        if i != keep_denied {
            pay_line(rng, payer, line, pct);
        }
    }
    claim
}

/// The reversal (CLP02 = 22) of an earlier adjudication: every amount negated.
pub fn reversal_of(original: &GenClaim) -> GenClaim {
    let mut claim = original.clone();
    claim.status = 22;
    let negate = |cas: &mut Vec<Cas>| cas.iter_mut().for_each(|c| c.cents = -c.cents);
    negate(&mut claim.cas);
    for line in &mut claim.lines {
        line.charge = -line.charge;
        line.paid = -line.paid;
        negate(&mut line.cas);
    }
    claim
}

/// The other coverage's remittance for a claim the primary adjudicated: each line paid
/// `pay(line)` (at most what the primary left), the rest the prior payer's impact (OA-23),
/// under the other payer's own claim number and member id. CLP02 = 2 for a secondary
/// (Medigap crossover), 1 when the other payer turns out to be primary (COB).
pub fn other_coverage(
    rng: &mut Rng,
    payer: &PayerDef,
    primary: &GenClaim,
    status: i8,
    pay: impl Fn(&GenLine) -> i64,
) -> GenClaim {
    let mut claim = primary.clone();
    claim.status = status;
    claim.cas.clear();
    claim.remarks.clear();
    claim.payer_claim_number = format!("{}{:011}", &payer.id[..2], rng.below(100_000_000_000));
    claim.patient.2 = member_id(rng, payer);
    for line in &mut claim.lines {
        let paid = pay(line).clamp(0, line.charge);
        line.cas = vec![Cas {
            group: "OA",
            carc: "23",
            cents: line.charge - paid,
        }];
        line.paid = paid;
        line.remark = None;
    }
    claim
}
