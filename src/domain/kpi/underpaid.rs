//! Underpayment KPIs: lines paid below contract found in the period, what the payers
//! paid on them since, the variance still open, and all of it by payer, so a manager sees
//! which contracts are not being honoured. Never part of any denial figure.

use super::figures::{Rate, Tally};
use super::period::Period;
use crate::domain::work_item::{ItemKind, WorkItem};
use serde::Serialize;

/// One payer's underpayments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnderpaidPayer {
    /// The payer's name.
    pub payer: String,
    /// Found in the period: claims and variance.
    pub found: Tally,
    /// Paid by the payer in the period on its underpaid claims (reversals subtract).
    pub recovered_cents: i64,
    /// Open today: claims and the variance still below contract.
    pub open: Tally,
}

/// Every underpayment figure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Underpayments {
    /// Underpayments found in the period (by remittance date): claims and variance.
    pub found: Tally,
    /// Paid in the period on underpaid claims after they were found (reversals subtract).
    pub recovered_in_period_cents: i64,
    /// The period's underpayments: variance no longer below contract ÷ variance found.
    pub variance_recovery_rate: Rate,
    /// Open today: claims and the variance still below contract.
    pub open: Tally,
    /// By payer, most open variance first (then most found).
    pub by_payer: Vec<UnderpaidPayer>,
}

/// The underpayment figures over `items` for `period`.
pub fn underpayments(items: &[WorkItem], period: Period) -> Underpayments {
    let mut u = Underpayments::default();
    let (mut closed, mut found) = (0i64, 0i64);
    for item in items.iter().filter(|i| i.kind == ItemKind::Underpayment) {
        let pos = match u.by_payer.iter().position(|p| p.payer == item.payer) {
            Some(pos) => pos,
            None => {
                u.by_payer.push(UnderpaidPayer {
                    payer: item.payer.to_string(),
                    found: Tally::default(),
                    recovered_cents: 0,
                    open: Tally::default(),
                });
                u.by_payer.len() - 1
            }
        };
        let payer = &mut u.by_payer[pos];
        let still = item.outstanding_cents();
        if period.contains(item.denied_on) {
            u.found.add(item.denied_cents);
            payer.found.add(item.denied_cents);
            found += item.denied_cents;
            // A written-off underpayment's variance was given up, not recovered.
            if item.status != crate::domain::status::Status::WrittenOff {
                closed += item.denied_cents - still;
            }
        }
        let paid: i64 = item
            .payments
            .iter()
            .filter(|p| period.contains(p.date))
            .map(|p| p.cents)
            .sum();
        u.recovered_in_period_cents += paid;
        payer.recovered_cents += paid;
        if item.status.is_open() {
            u.open.add(still);
            payer.open.add(still);
        }
    }
    u.by_payer
        .retain(|p| p.found.count > 0 || p.open.count > 0 || p.recovered_cents != 0);
    u.by_payer.sort_by(|a, b| {
        (b.open.cents, b.found.cents, &a.payer).cmp(&(a.open.cents, a.found.cents, &b.payer))
    });
    u.variance_recovery_rate = Rate::new(closed, found);
    u
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::status::Status;
    use crate::domain::test_support::work_item;
    use crate::domain::work_item::Payment;
    use chrono::NaiveDate;

    fn underpaid(id: &str, payer: &str, variance: i64, still: i64, on: &str) -> WorkItem {
        let mut i = work_item(id);
        i.kind = ItemKind::Underpayment;
        i.payer = payer.into();
        i.denied_cents = variance;
        i.denied_lines[0].denied_cents = variance;
        i.denied_lines[0].still_denied_cents = still;
        i.denied_on = on.parse().unwrap();
        i
    }

    #[test]
    fn found_recovered_and_open_variance_by_payer_to_the_cent() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let period = Period {
            from: d("2026-11-01"),
            to: d("2026-11-30"),
        };
        // AETNA: $50.00 found, $30.00 of it since allowed and paid; $20.00 open.
        let mut a = underpaid("A", "AETNA", 5_000, 2_000, "2026-11-03");
        a.status = Status::PartiallyPaid;
        a.payments = vec![Payment {
            date: d("2026-11-20"),
            cents: 3_000,
        }];
        a.recovered_cents = 3_000;
        // CIGNA: $14.00 found, written off: nothing recovered, nothing open.
        let mut c = underpaid("C", "CIGNA", 1_400, 1_400, "2026-11-10");
        c.status = Status::WrittenOff;
        // AETNA, found last month, still open: open, not found in the period.
        let old = underpaid("O", "AETNA", 900, 900, "2026-10-10");
        // A denial counts nowhere here.
        let denial = work_item("D");
        let u = underpayments(&[a, c, old, denial], period);
        assert_eq!((u.found.count, u.found.cents), (2, 6_400));
        assert_eq!(u.recovered_in_period_cents, 3_000);
        assert_eq!(u.variance_recovery_rate, Rate::new(3_000, 6_400));
        assert_eq!((u.open.count, u.open.cents), (2, 2_900));
        let payers: Vec<(&str, i64, i64)> = u
            .by_payer
            .iter()
            .map(|p| (p.payer.as_str(), p.found.cents, p.open.cents))
            .collect();
        assert_eq!(payers, vec![("AETNA", 5_000, 2_900), ("CIGNA", 1_400, 0)]);
    }
}
