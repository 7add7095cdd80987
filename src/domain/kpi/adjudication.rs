//! What the remittances themselves say, counted per remittance day and payer as they are
//! imported: the denominators of the denial rates (every claim adjudicated, paid ones
//! too), the gross charges HFMA's dollar rate uses, and the payments posted. Work items
//! only exist for denials, so these counts are the only record of what was paid.

use crate::domain::claim::{Claim, ClaimStatusCode};
use crate::domain::denial::DenialFinding;
use crate::domain::work_item::ItemKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The key a claim without a rendering provider counts under (as in the breakdowns).
pub const NO_PROVIDER: &str = "(none)";

/// Claims adjudicated on one remittance day by one payer. Counts of first adjudications
/// (a claim's first answer from its payer; a secondary or tertiary payer's and a reversal
/// are not) except `paid_cents`, which counts every claim's payment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjudicationDay {
    /// The remittance date.
    pub date: NaiveDate,
    /// The payer's name.
    pub payer: String,
    /// Claims first adjudicated that day by that payer.
    pub claims: u64,
    /// Their gross charges (CLP03).
    pub billed_cents: i64,
    /// Of those, how many carried a payer denial (the whole claim or some lines).
    pub denied: u64,
    /// The denied dollars (CARC amounts) on them.
    pub denied_cents: i64,
    /// The gross charges of the claims that carried a denial: HFMA's dollar numerator.
    #[serde(default)]
    pub denied_billed_cents: i64,
    /// Of the denied claims, those paid nothing (a full denial; the rest are partial,
    /// line-level denials).
    #[serde(default)]
    pub full_denied: u64,
    /// Their gross charges.
    #[serde(default)]
    pub full_denied_billed_cents: i64,
    /// First adjudications processed as primary (CLP02 1, 19) or denied outright (4).
    #[serde(default)]
    pub primary: u64,
    /// Of those, paid nothing with a payer denial, other than a duplicate-claim one.
    #[serde(default)]
    pub primary_zero_pay: u64,
    /// Of those, paid nothing as duplicates (CARC 18): out of the primary denial rate.
    #[serde(default)]
    pub primary_duplicates: u64,
    /// Payments posted: CLP04 of every claim remitted that day (reversals subtract).
    #[serde(default)]
    pub paid_cents: i64,
    /// First adjudications per rendering provider (`NO_PROVIDER` without one).
    #[serde(default)]
    pub by_provider: BTreeMap<String, u64>,
    /// First adjudications per facility (the payee).
    #[serde(default)]
    pub by_facility: BTreeMap<String, u64>,
    /// Service lines first adjudicated, per procedure code (without modifiers).
    #[serde(default)]
    pub lines_by_procedure: BTreeMap<String, u64>,
    /// Claims whose first decisive 277CA answer (accepted or rejected) came that day from
    /// that payer or clearinghouse: the clean-claim proxy's denominator.
    #[serde(default)]
    pub acknowledged: u64,
    /// Of those, rejected on that first answer.
    #[serde(default)]
    pub rejected_first: u64,
    /// Every claim-level rejection that day (a claim rejected twice counts twice).
    #[serde(default)]
    pub rejections: u64,
}

/// Whether a claim's first adjudication under its key counts as a first adjudication: a
/// reversal takes money back, and a secondary or tertiary payer's answer is the claim's
/// other coverage, not a new submission. The importer and the schema 5 rebuild both ask.
pub fn counts_as_first(claim: &Claim) -> bool {
    !matches!(
        claim.status_code,
        ClaimStatusCode::Reversal
            | ClaimStatusCode::ProcessedSecondary
            | ClaimStatusCode::ProcessedTertiary
    )
}

impl AdjudicationDay {
    /// An empty day for `payer` on `date`.
    pub fn new(date: NaiveDate, payer: &str) -> AdjudicationDay {
        AdjudicationDay {
            date,
            payer: payer.to_string(),
            ..AdjudicationDay::default()
        }
    }

    /// Counts any claim's payment (every adjudication posts what it paid).
    pub fn count_payment(&mut self, claim: &Claim) {
        self.paid_cents += claim.paid_cents;
    }

    /// Counts a claim's first adjudication by its payer, with what the classifier found.
    pub fn count_first(&mut self, claim: &Claim, finding: Option<&DenialFinding>) {
        self.claims += 1;
        self.billed_cents += claim.billed_cents;
        let provider = claim
            .rendering_provider
            .as_ref()
            .map_or(NO_PROVIDER, |p| p.name.as_str());
        *self.by_provider.entry(provider.to_string()).or_default() += 1;
        *self
            .by_facility
            .entry(claim.remit.payee.name.clone())
            .or_default() += 1;
        for line in &claim.lines {
            *self
                .lines_by_procedure
                .entry(line.procedure.code.clone())
                .or_default() += 1;
        }
        let denial = finding.filter(|f| f.kind == ItemKind::Denial);
        let zero_pay = claim.paid_cents == 0;
        if let Some(f) = denial {
            self.denied += 1;
            self.denied_cents += f.denied_cents;
            self.denied_billed_cents += claim.billed_cents;
            if zero_pay {
                self.full_denied += 1;
                self.full_denied_billed_cents += claim.billed_cents;
            }
        }
        if matches!(
            claim.status_code,
            ClaimStatusCode::ProcessedPrimary | ClaimStatusCode::Denied
        ) {
            self.primary += 1;
            match denial.filter(|_| zero_pay) {
                Some(f) if f.carcs.iter().any(|c| c.ends_with("-18")) => {
                    self.primary_duplicates += 1
                }
                Some(_) => self.primary_zero_pay += 1,
                None => {}
            }
        }
    }

    /// Adds another day's counts (the same day and payer, from another batch).
    pub fn merge(&mut self, other: &AdjudicationDay) {
        self.claims += other.claims;
        self.billed_cents += other.billed_cents;
        self.denied += other.denied;
        self.denied_cents += other.denied_cents;
        self.denied_billed_cents += other.denied_billed_cents;
        self.full_denied += other.full_denied;
        self.full_denied_billed_cents += other.full_denied_billed_cents;
        self.primary += other.primary;
        self.primary_zero_pay += other.primary_zero_pay;
        self.primary_duplicates += other.primary_duplicates;
        self.paid_cents += other.paid_cents;
        self.acknowledged += other.acknowledged;
        self.rejected_first += other.rejected_first;
        self.rejections += other.rejections;
        for (into, from) in [
            (&mut self.by_provider, &other.by_provider),
            (&mut self.by_facility, &other.by_facility),
            (&mut self.lines_by_procedure, &other.lines_by_procedure),
        ] {
            for (k, v) in from {
                *into.entry(k.clone()).or_default() += v;
            }
        }
    }
}
