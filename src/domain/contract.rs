//! Expected reimbursement: the contract rows a practice loads (`contracts import`), and
//! which row prices a paid service line. A row names a payer (id or name), a procedure
//! code, optionally a modifier, dates it is in force and narrower keys (place of service,
//! revenue code); the most specific row in force on the date of service wins.

use super::claim::Party;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One row of the contract file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRow {
    /// The payer's id or name, as the file gives it.
    pub payer: String,
    /// The procedure code (CPT/HCPCS), without modifiers.
    pub procedure: String,
    /// The modifier the rate is for ("" for any).
    pub modifier: String,
    /// The allowed amount the contract sets, in cents.
    pub allowed_cents: i64,
    /// First day in force (none: always before `effective_to`).
    pub effective_from: Option<NaiveDate>,
    /// Last day in force (none: still in force).
    pub effective_to: Option<NaiveDate>,
    /// Only for this place of service (CLP08), when given.
    pub place_of_service: Option<String>,
    /// Only for this revenue code, when given.
    pub revenue_code: Option<String>,
    /// The row's line in the file (the header is line 1), to name it.
    pub line: usize,
}

/// The contract rows in force, from one file (re-importing replaces them all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractSet {
    /// The file they came from.
    pub file: String,
    /// Its rows, in file order.
    pub rows: Vec<ContractRow>,
}

/// What a paid service line is looked up by.
#[derive(Debug, Clone, Copy)]
pub struct PricedLine<'a> {
    /// The payer that paid it.
    pub payer: &'a Party,
    /// The procedure code.
    pub procedure: &'a str,
    /// Its modifiers.
    pub modifiers: &'a [String],
    /// Its date of service.
    pub date: Option<NaiveDate>,
    /// The claim's place of service / facility code (CLP08).
    pub place_of_service: &'a str,
    /// Its revenue code, on institutional claims.
    pub revenue_code: Option<&'a str>,
}

impl ContractRow {
    /// Whether the row prices `line`, and how specifically (more keys matched is more
    /// specific); `None` when it does not apply.
    fn specificity(&self, line: &PricedLine) -> Option<u8> {
        let payer = self.payer.trim();
        let same_payer = (!line.payer.id.trim().is_empty() && payer == line.payer.id.trim())
            || payer.eq_ignore_ascii_case(line.payer.name.trim());
        if !same_payer || !self.procedure.eq_ignore_ascii_case(line.procedure) {
            return None;
        }
        let in_force = |d: NaiveDate| {
            self.effective_from.is_none_or(|f| d >= f) && self.effective_to.is_none_or(|t| d <= t)
        };
        match line.date {
            Some(d) if !in_force(d) => return None,
            None if self.effective_from.is_some() || self.effective_to.is_some() => return None,
            _ => {}
        }
        let mut score = 0;
        if self.modifier.is_empty()
            && line
                .modifiers
                .iter()
                .any(|m| PRICING_MODIFIERS.iter().any(|p| p.eq_ignore_ascii_case(m)))
        {
            // A global rate never prices a professional or technical component, a
            // bilateral, reduced, discontinued, co- or assistant surgeon's service: their
            // allowed amounts are a share of it. Only a row naming the modifier does.
            return None;
        }
        if !self.modifier.is_empty() {
            if !line
                .modifiers
                .iter()
                .any(|m| m.eq_ignore_ascii_case(&self.modifier))
            {
                return None;
            }
            score += 1;
        }
        if let Some(pos) = &self.place_of_service {
            if pos != line.place_of_service {
                return None;
            }
            score += 1;
        }
        if let Some(rev) = &self.revenue_code {
            if Some(rev.as_str()) != line.revenue_code {
                return None;
            }
            score += 1;
        }
        Some(score)
    }
}

impl ContractSet {
    /// The row that prices `line`: the most specific in force; on a tie the first in the
    /// file. `None` when no row applies (no expectation: never an underpayment).
    pub fn price(&self, line: &PricedLine) -> Option<&ContractRow> {
        best_row(&self.rows, line)
    }
}

/// The most specific of `rows` in force for `line`; on a tie the first.
fn best_row<'a>(rows: &'a [ContractRow], line: &PricedLine) -> Option<&'a ContractRow> {
    let mut best: Option<(&ContractRow, u8)> = None;
    for row in rows {
        if let Some(score) = row.specificity(line) {
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((row, score));
            }
        }
    }
    best.map(|(row, _)| row)
}

/// The contract rows grouped by procedure code, so an import prices each paid line by
/// looking at its own code's rows only (an 835 of 100,000 claims against a fee schedule of
/// thousands of rows). Prices exactly as `ContractSet::price`: file order is kept within a
/// code.
#[derive(Debug, Clone, Default)]
pub struct ContractIndex {
    /// The file the rows came from.
    pub file: String,
    by_code: std::collections::HashMap<String, Vec<ContractRow>>,
}

impl ContractIndex {
    /// Indexes a contract set.
    pub fn new(set: &ContractSet) -> ContractIndex {
        let mut by_code: std::collections::HashMap<String, Vec<ContractRow>> =
            std::collections::HashMap::new();
        for row in &set.rows {
            by_code
                .entry(row.procedure.to_ascii_uppercase())
                .or_default()
                .push(row.clone());
        }
        ContractIndex {
            file: set.file.clone(),
            by_code,
        }
    }

    /// Whether it holds no row.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// The row that prices `line` (see `ContractSet::price`).
    pub fn price(&self, line: &PricedLine) -> Option<&ContractRow> {
        // Codes come upper case from nearly every payer: no allocation for those.
        let rows = if line.procedure.bytes().any(|b| b.is_ascii_lowercase()) {
            self.by_code.get(&line.procedure.to_ascii_uppercase())?
        } else {
            self.by_code.get(line.procedure)?
        };
        best_row(rows, line)
    }
}

/// Modifiers that change what a service is paid (a share or a multiple of the global
/// rate): 26 professional and TC technical component, 50 bilateral, 52/53/73/74 reduced
/// or discontinued, 54–56 surgical care only, 62 co-surgeons, 80/81/82/AS assistants,
/// QK/QX/QY/QZ anesthesia medical direction, FY and CT imaging reductions.
pub const PRICING_MODIFIERS: [&str; 21] = [
    "26", "TC", "50", "52", "53", "54", "55", "56", "62", "73", "74", "80", "81", "82", "AS", "QK",
    "QX", "QY", "QZ", "FY", "CT",
];

/// How far below the contract a line's allowed amount may fall before it is an
/// underpayment: the shortfall must exceed both the dollar amount and the share of the
/// expected amount (default $1.00 and 2 %), so rounding and small fee-schedule drift are
/// not worked. Set in `config.toml` (`[underpayment]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tolerance {
    /// The dollar part, in cents.
    pub cents: i64,
    /// The share of the expected amount, in basis points (200 = 2 %).
    pub basis_points: i64,
}

impl Default for Tolerance {
    fn default() -> Tolerance {
        Tolerance {
            cents: 100,
            basis_points: 200,
        }
    }
}

impl Tolerance {
    /// Whether a shortfall of `variance_cents` on `expected_cents` is an underpayment:
    /// more than both parts of the tolerance (exactly at either is within it).
    pub fn exceeded(&self, variance_cents: i64, expected_cents: i64) -> bool {
        variance_cents > self.cents
            && i128::from(variance_cents) * 10_000
                > i128::from(expected_cents) * i128::from(self.basis_points)
    }

    /// Whether it is the default (not written out with the payer rules).
    pub fn is_default(&self) -> bool {
        *self == Tolerance::default()
    }

    /// "$1.00 and 2%" for people.
    pub fn describe(&self) -> String {
        let whole = self.basis_points / 100;
        let part = self.basis_points % 100;
        let percent = if part == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{part:02}")
                .trim_end_matches('0')
                .to_string()
        };
        format!("{} and {percent}%", super::money::format_cents(self.cents))
    }
}

#[cfg(test)]
#[path = "contract_tests.rs"]
mod tests;
