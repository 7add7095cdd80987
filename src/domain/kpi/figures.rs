//! The KPI value types (a count with dollars, a rate that may be undefined, a mean with
//! its median) and the measures computed straight from the remittance counts, each a pure
//! function with its definition (see `definitions` for the wording everyone reads).

use super::adjudication::AdjudicationDay;
use crate::domain::work_item::WorkItem;
use serde::Serialize;

/// Count and dollars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// How many.
    pub count: u64,
    /// How many dollars, in cents.
    pub cents: i64,
}

impl Tally {
    pub(super) fn add(&mut self, cents: i64) {
        self.count += 1;
        self.cents += cents;
    }
}

/// A ratio that may be undefined. Serialises as `{numerator, denominator, percent}` with
/// `percent` null when the denominator is zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rate {
    /// The part counted.
    pub numerator: i64,
    /// What it is counted out of (zero: undefined).
    pub denominator: i64,
}

impl Rate {
    /// `numerator` out of `denominator`.
    pub fn new(numerator: i64, denominator: i64) -> Rate {
        Rate {
            numerator,
            denominator,
        }
    }

    /// Percent, or `None` ("n/a") when nothing is in the denominator.
    pub fn percent(&self) -> Option<f64> {
        (self.denominator != 0).then(|| self.numerator as f64 * 100.0 / self.denominator as f64)
    }

    /// "12.5%" or "n/a".
    pub fn display(&self) -> String {
        self.percent()
            .map_or_else(|| "n/a".to_string(), |p| format!("{p:.1}%"))
    }
}

impl Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Rate", 3)?;
        s.serialize_field("numerator", &self.numerator)?;
        s.serialize_field("denominator", &self.denominator)?;
        s.serialize_field(
            "percent",
            &self.percent().map(|p| (p * 10.0).round() / 10.0),
        )?;
        s.end()
    }
}

/// A duration's mean and median over some items, in days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spread {
    /// How many items were measured.
    pub count: u64,
    /// Mean days (`None`: nothing measured).
    pub mean: Option<f64>,
    /// Median days: the middle value, or the mean of the two middle ones.
    pub median: Option<f64>,
}

impl Spread {
    /// The mean and median of `days` (in any order).
    pub fn of(mut days: Vec<i64>) -> Spread {
        if days.is_empty() {
            return Spread::default();
        }
        days.sort_unstable();
        let n = days.len();
        let mean = days.iter().sum::<i64>() as f64 / n as f64;
        let median = if n % 2 == 1 {
            days[n / 2] as f64
        } else {
            (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
        };
        Spread {
            count: n as u64,
            mean: Some(mean),
            median: Some(median),
        }
    }

    /// "12.3 mean · 10.0 median" or "n/a".
    pub fn display(&self) -> String {
        match (self.mean, self.median) {
            (Some(mean), Some(median)) => format!("{mean:.1} mean · {median:.1} median"),
            _ => "n/a".to_string(),
        }
    }
}

/// HFMA's initial denial rate, by claims and by gross charges, for full denials (nothing
/// paid), partial ones (some lines denied, some paid) and both together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InitialDenials {
    /// Claims denied on first adjudication ÷ claims first adjudicated.
    pub all: Rate,
    /// Of them, zero-pay denials ÷ claims first adjudicated.
    pub full: Rate,
    /// Of them, line-level denials on paid claims ÷ claims first adjudicated.
    pub partial: Rate,
    /// Gross charges of the claims denied ÷ gross charges first adjudicated.
    pub all_dollars: Rate,
    /// The same for zero-pay denials.
    pub full_dollars: Rate,
    /// The same for partial denials.
    pub partial_dollars: Rate,
}

/// The initial denial rates over the days of a period (see `InitialDenials`).
pub fn initial_denials<'a>(days: impl Iterator<Item = &'a AdjudicationDay>) -> InitialDenials {
    let (mut claims, mut billed) = (0i64, 0i64);
    let (mut denied, mut denied_billed) = (0i64, 0i64);
    let (mut full, mut full_billed) = (0i64, 0i64);
    for d in days {
        claims += d.claims as i64;
        billed += d.billed_cents;
        denied += d.denied as i64;
        denied_billed += d.denied_billed_cents;
        full += d.full_denied as i64;
        full_billed += d.full_denied_billed_cents;
    }
    InitialDenials {
        all: Rate::new(denied, claims),
        full: Rate::new(full, claims),
        partial: Rate::new(denied - full, claims),
        all_dollars: Rate::new(denied_billed, billed),
        full_dollars: Rate::new(full_billed, billed),
        partial_dollars: Rate::new(denied_billed - full_billed, billed),
    }
}

/// Primary denial rate: zero-pay primary remits with a payer denial ÷ primary remits,
/// duplicate-claim denials (CARC 18) left out of both (a duplicate is not a new claim).
pub fn primary_denial_rate<'a>(days: impl Iterator<Item = &'a AdjudicationDay>) -> Rate {
    let (mut zero_pay, mut primary) = (0i64, 0i64);
    for d in days {
        zero_pay += d.primary_zero_pay as i64;
        primary += d.primary as i64 - d.primary_duplicates as i64;
    }
    Rate::new(zero_pay, primary)
}

/// What 277CA claim acknowledgments say about the front end: claims rejected on their
/// first acknowledgment ÷ claims first acknowledged, and its complement, the clean-claim
/// proxy (accepted on first submission ÷ acknowledged). Rejections are never denials.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Acknowledgments {
    /// Claims whose first decisive 277CA answer came in the period.
    pub claims: u64,
    /// Of those rejected on it ÷ `claims`.
    pub rejection_rate: Rate,
    /// Of those accepted on it ÷ `claims`.
    pub clean_claim_rate: Rate,
    /// Every claim rejection in the period (a claim rejected twice counts twice).
    pub rejections: u64,
}

/// The acknowledgment rates over the period's days.
pub fn acknowledgments<'a>(days: impl Iterator<Item = &'a AdjudicationDay>) -> Acknowledgments {
    let (mut claims, mut rejected, mut rejections) = (0u64, 0u64, 0u64);
    for d in days {
        claims += d.acknowledged;
        rejected += d.rejected_first;
        rejections += d.rejections;
    }
    Acknowledgments {
        claims,
        rejection_rate: Rate::new(rejected as i64, claims as i64),
        clean_claim_rate: Rate::new((claims - rejected) as i64, claims as i64),
        rejections,
    }
}

/// HFMA's overturn rate: initial denials later paid (in full or in part, after an appeal
/// or without one) ÷ initial denials. Over the period's cohort of denials.
pub fn overturn_rate(cohort: &[&WorkItem]) -> Rate {
    // Some of its denied dollars no longer stand: paid by the denying payer (or, for a
    // coordination-of-benefits denial, by the right one), or reprocessed away.
    let paid = cohort
        .iter()
        .filter(|i| i.outstanding_cents() < i.denied_cents)
        .count();
    Rate::new(paid as i64, cohort.len() as i64)
}

/// Recovery rate on the denied-dollar basis: the denied dollars the payer has since paid
/// (no longer outstanding, recoupments and reversals counted back) ÷ denied dollars. A
/// denial paid in full is 100 % recovered whatever the payment was against the charge.
pub fn recovery_rate(cohort: &[&WorkItem]) -> Rate {
    let denied: i64 = cohort.iter().map(|i| i.denied_cents).sum();
    // Written off or finally upheld, what is left is still outstanding: never recovered.
    let recovered: i64 = cohort
        .iter()
        .map(|i| i.denied_cents - i.outstanding_cents())
        .sum();
    Rate::new(recovered, denied)
}
