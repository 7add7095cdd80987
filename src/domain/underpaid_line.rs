//! What an underpayment work item records about each line paid below its contract: the
//! contract row used, what it expected, what the payer allowed and paid, the variance,
//! and what has been paid on the line since (net of reversals); how a line's allowed
//! amount is read from a remittance; and the comparison in words.

use super::claim::{GroupCode, ServiceLine};
use super::contract::{ContractRow, Tolerance};
use super::money::format_cents;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a line's allowed amount came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AllowedSource {
    /// The payer said it (AMT*B6 on the service line).
    Remittance,
    /// No AMT*B6: what the payer paid plus the patient's share (PR adjustments) plus the
    /// sequestration reduction (CO-253), which is taken after the allowed amount.
    PaidPlusPatient,
}

impl AllowedSource {
    /// For people and JSON.
    pub fn key(self) -> &'static str {
        match self {
            AllowedSource::Remittance => "AMT*B6",
            AllowedSource::PaidPlusPatient => "paid + patient share",
        }
    }
}

/// One service line paid below its contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnderpaidLine {
    /// The line's `line_ref` (as the item's denied line of the same name).
    pub line: String,
    /// "99214-25".
    pub procedure: String,
    /// The line's date of service.
    pub service_date: Option<NaiveDate>,
    /// Units paid (SVC05, 1 when absent).
    pub units: u32,
    /// The line's charge.
    pub charge_cents: i64,
    /// The contract's allowed amount per unit.
    pub rate_cents: i64,
    /// What the contract says the payer should allow: rate × units, never more than the
    /// charge (payers allow the lesser of the charge and the fee schedule).
    pub expected_cents: i64,
    /// What the payer allowed.
    pub allowed_cents: i64,
    /// Where `allowed_cents` came from.
    pub allowed_source: AllowedSource,
    /// What the payer paid on the line.
    pub paid_cents: i64,
    /// Expected less allowed: the money the contract still owes.
    pub variance_cents: i64,
    /// Paid on the line by the payer's later remittances (reversals subtract).
    pub recovered_cents: i64,
    /// What the payer's latest adjudication of the line allows (a reversal changes
    /// nothing: the correction that comes with it does).
    pub allowed_now_cents: i64,
    /// The contract row that priced the line.
    pub row: ContractRow,
}

impl UnderpaidLine {
    /// The variance the payer's latest adjudication still leaves below the contract: none
    /// once it is within the tolerance (a correction to $199.50 on a $200.00 rate settles
    /// it, as a first payment of $199.50 would have opened nothing).
    pub fn still_owed_cents(&self, tolerance: Tolerance) -> i64 {
        let left = (self.expected_cents - self.allowed_now_cents).clamp(0, self.variance_cents);
        if tolerance.exceeded(left, self.expected_cents) {
            left
        } else {
            0
        }
    }
}

/// The contract comparison that opened an underpayment work item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Underpayment {
    /// The contract file the rows came from.
    pub contract_file: String,
    /// The tolerance in force when it was found.
    pub tolerance: Tolerance,
    /// The lines paid below contract, in claim order.
    pub lines: Vec<UnderpaidLine>,
}

impl Underpayment {
    /// Expected across its lines.
    pub fn expected_cents(&self) -> i64 {
        self.lines.iter().map(|l| l.expected_cents).sum()
    }

    /// Allowed across its lines.
    pub fn allowed_cents(&self) -> i64 {
        self.lines.iter().map(|l| l.allowed_cents).sum()
    }

    /// Paid across its lines when it was found.
    pub fn paid_cents(&self) -> i64 {
        self.lines.iter().map(|l| l.paid_cents).sum()
    }

    /// The variance across its lines.
    pub fn variance_cents(&self) -> i64 {
        self.lines.iter().map(|l| l.variance_cents).sum()
    }

    /// The variance still below contract across its lines.
    pub fn still_owed_cents(&self) -> i64 {
        self.lines
            .iter()
            .map(|l| l.still_owed_cents(self.tolerance))
            .sum()
    }
}

/// Reductions taken from the payment after the allowed amount: 253 sequestration, 104
/// managed care withholding, 237 legislated/regulatory penalty, 245 provider
/// performance program withhold. Added back when the allowed amount is not sent.
const AFTER_ALLOWED: [&str; 4] = ["253", "104", "237", "245"];

/// What the payer allowed on a line, and where that came from.
pub(crate) fn allowed(line: &ServiceLine) -> (i64, AllowedSource) {
    match line.allowed_cents {
        Some(a) => (a, AllowedSource::Remittance),
        None => {
            let after_allowed: i64 = line
                .adjustments
                .iter()
                .filter(|a| a.group == GroupCode::PR || AFTER_ALLOWED.contains(&a.carc.as_str()))
                .map(|a| a.amount_cents)
                .sum();
            (
                line.paid_cents + after_allowed,
                AllowedSource::PaidPlusPatient,
            )
        }
    }
}

/// The contract comparison in words, one line per underpaid line after a heading: for
/// the claim pane and `show`.
pub fn describe(underpayment: &Underpayment) -> Vec<String> {
    // The file's name is enough to find the row; its folder only makes the line longer.
    let file = std::path::Path::new(&underpayment.contract_file)
        .file_name()
        .map_or(underpayment.contract_file.as_str(), |f| {
            f.to_str().unwrap_or(&underpayment.contract_file)
        });
    let mut out = vec![format!(
        "Paid below contract ({file}, tolerance {}):",
        underpayment.tolerance.describe()
    )];
    for l in &underpayment.lines {
        // How the expectation was reached, when it is not simply the row's rate.
        let basis = if l.expected_cents < l.rate_cents * i64::from(l.units) {
            format!(
                " (the charge: less than {}{})",
                format_cents(l.rate_cents),
                if l.units == 1 {
                    String::new()
                } else {
                    format!(" × {} units", l.units)
                }
            )
        } else if l.units == 1 {
            String::new()
        } else {
            format!(" ({} × {} units)", format_cents(l.rate_cents), l.units)
        };
        let now = if l.allowed_now_cents == l.allowed_cents {
            String::new()
        } else {
            format!(", now allowed {}", format_cents(l.allowed_now_cents))
        };
        out.push(format!(
            "  {} {}: contract expects {}{basis} ({} line {}), payer allowed {} ({}), paid {}, variance {}{now}, still below contract {}",
            l.procedure,
            l.service_date.map_or("-".to_string(), |d| d.to_string()),
            format_cents(l.expected_cents),
            file,
            l.row.line,
            format_cents(l.allowed_cents),
            l.allowed_source.key(),
            format_cents(l.paid_cents),
            format_cents(l.variance_cents),
            format_cents(l.still_owed_cents(underpayment.tolerance)),
        ));
    }
    out
}
