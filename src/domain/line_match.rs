//! A later adjudication by the denying payer compared with the denied lines: which of its
//! service lines is which denied line, what is still denied, what was paid on them, and
//! which lines it newly denies.

use super::claim::{Adjustment, Claim, ClaimStatusCode};
use super::denial::is_denial_adjustment;
use super::denied_line::DeniedLine;

/// For each of `denied`, the index of the same service line in a later adjudication of
/// the claim, each line used once: first by line ref (REF*6R, else procedure, modifiers
/// and date, repeats numbered), then by procedure code and date with the modifiers aside
/// (a corrected claim adds the modifier a CO-4 asked for, or gets a new REF*6R), then a
/// lone denied line on a one-line claim. A claim-level entry matches no line.
pub fn match_lines(denied: &[DeniedLine], claim: &Claim) -> Vec<Option<usize>> {
    let refs = claim.line_refs();
    let mut used = vec![false; claim.lines.len()];
    let mut out: Vec<Option<usize>> = vec![None; denied.len()];
    let by_line: Vec<usize> = (0..denied.len())
        .filter(|&d| !denied[d].is_claim_level())
        .collect();
    // The same line id and charge first: two identical codes on one day listed in
    // another order must not swap (the paid one would count as recovered).
    for &d in &by_line {
        let l = &denied[d];
        let base = l.line.split_once('#').map_or(l.line.as_str(), |(b, _)| b);
        out[d] = (0..refs.len()).find(|&i| {
            !used[i]
                && refs[i].split_once('#').map_or(refs[i].as_str(), |(b, _)| b) == base
                && claim.lines[i].charge_cents == l.charge_cents
                && l.charge_cents != 0
        });
        if let Some(i) = out[d] {
            used[i] = true;
        }
    }
    for &d in &by_line {
        if out[d].is_some() {
            continue;
        }
        let l = &denied[d];
        out[d] = (0..refs.len()).find(|&i| !used[i] && refs[i] == l.line);
        if let Some(i) = out[d] {
            used[i] = true;
        }
    }
    for &d in &by_line {
        if out[d].is_some() {
            continue;
        }
        let l = &denied[d];
        out[d] = (0..claim.lines.len()).find(|&i| {
            !used[i]
                && claim.lines[i].procedure.code == l.code
                && claim.lines[i].service_date == l.service_date
        });
        if let Some(i) = out[d] {
            used[i] = true;
        }
    }
    // One denied line left and one new line left on its date of service: the corrected
    // line (a new procedure code, as an M51 remark asks).
    let left: Vec<usize> = by_line
        .iter()
        .copied()
        .filter(|&d| out[d].is_none())
        .collect();
    if let [d] = left.as_slice() {
        let free: Vec<usize> = (0..claim.lines.len())
            .filter(|&i| {
                !used[i]
                    && (claim.lines[i].service_date == denied[*d].service_date
                        || claim.lines.len() == 1)
            })
            .collect();
        if let [i] = free.as_slice() {
            out[*d] = Some(*i);
        }
    }
    out
}

/// The money still denied on each of `lines` in a later adjudication by the same payer,
/// line by line (`match_lines`); a claim-level entry takes every payer denial on the
/// claim. A line the payer did not send again keeps its amount.
pub fn still_denied(claim: &Claim, lines: &[DeniedLine]) -> Vec<i64> {
    let institutional = claim.is_institutional();
    let denied_on = |adjustments: &[Adjustment]| -> i64 {
        adjustments
            .iter()
            .filter(|a| is_denial_adjustment(a, institutional))
            .map(|a| a.amount_cents)
            .sum()
    };
    let mut claim_level = denied_on(&claim.adjustments);
    let whole_claim_denied = claim.status_code == ClaimStatusCode::Denied && claim.paid_cents <= 0;
    let matched = match_lines(lines, claim);
    let mut out = Vec::with_capacity(lines.len());
    for (l, at) in lines.iter().zip(matched) {
        let still = if whole_claim_denied {
            l.denied_cents
        } else if l.is_claim_level() {
            let on_lines: i64 = claim.lines.iter().map(|x| denied_on(&x.adjustments)).sum();
            (claim_level + on_lines).min(l.denied_cents)
        } else {
            match at {
                Some(i) => {
                    // The line's own denials, then its share of a claim-level one (given
                    // out line by line, so it is never counted twice).
                    let direct = denied_on(&claim.lines[i].adjustments).min(l.denied_cents);
                    let share = claim_level.min(l.denied_cents - direct);
                    claim_level -= share;
                    direct + share
                }
                None if claim.lines.is_empty() && claim_level == 0 => 0,
                None => l.still_denied_cents,
            }
        };
        out.push(still);
    }
    out
}

/// What a later adjudication paid on the denied lines (negative for a reversal): the
/// whole payment when the denial was claim level, else the payments on the matching
/// lines, so money on a line that was never denied is not counted as recovered.
pub fn paid_on_denied_lines(claim: &Claim, lines: &[DeniedLine]) -> i64 {
    if lines.is_empty() || lines.iter().any(DeniedLine::is_claim_level) {
        return claim.paid_cents;
    }
    match_lines(lines, claim)
        .into_iter()
        .flatten()
        .map(|i| claim.lines[i].paid_cents)
        .sum()
}

/// Service lines of `claim` the payer denied that none of `tracked` stands for: a denial
/// that appeared on a later remittance of a claim already being worked.
pub fn new_denied_lines(claim: &Claim, tracked: &[DeniedLine]) -> Vec<DeniedLine> {
    if tracked.iter().any(DeniedLine::is_claim_level) {
        // A claim-level entry already stands for every line.
        return Vec::new();
    }
    let institutional = claim.is_institutional();
    let matched = match_lines(tracked, claim);
    let refs = claim.line_refs();
    claim
        .lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched.contains(&Some(*i)))
        .filter_map(|(i, line)| {
            let cents: i64 = line
                .adjustments
                .iter()
                .filter(|a| is_denial_adjustment(a, institutional))
                .map(|a| a.amount_cents)
                .sum();
            (cents > 0).then(|| DeniedLine::service(&refs[i], line, cents))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::{adj, claim, line};

    fn dated(code: &str, charge: i64, paid: i64) -> crate::domain::claim::ServiceLine {
        let mut l = line(code, charge, paid);
        l.service_date = chrono::NaiveDate::from_ymd_opt(2026, 10, 1);
        l
    }

    fn denied_lines(c: &Claim) -> Vec<DeniedLine> {
        crate::domain::denial::classify(c).unwrap().lines
    }

    #[test]
    fn lines_match_by_id_charge_then_code_and_date_then_alone() {
        // Two 97110 on one day: the denied one is the $100 one wherever it is listed.
        let mut first = claim("L1", 1, 18000, 8000);
        let mut denied = dated("97110", 10000, 0);
        denied.adjustments = vec![adj("CO", "151", 10000)];
        first.lines = vec![denied.clone(), dated("97110", 8000, 8000)];
        let lines = denied_lines(&first);
        let mut later = first.clone();
        later.lines = vec![dated("97110", 8000, 8000), denied];
        assert_eq!(match_lines(&lines, &later), vec![Some(1)]);
        assert_eq!(still_denied(&later, &lines), vec![10000]);
        assert_eq!(paid_on_denied_lines(&later, &lines), 0);

        // A modifier added by the correction: the same code and date.
        let mut c = claim("L2", 1, 20000, 0);
        let mut l = dated("99214", 20000, 0);
        l.adjustments = vec![adj("CO", "4", 20000)];
        c.lines = vec![l];
        let lines = denied_lines(&c);
        let mut corrected = c.clone();
        corrected.lines[0].procedure.modifiers = vec!["25".into()];
        corrected.lines[0].adjustments = vec![adj("CO", "45", 5000)];
        corrected.lines[0].paid_cents = 15000;
        assert_eq!(match_lines(&lines, &corrected), vec![Some(0)]);
        assert_eq!(paid_on_denied_lines(&corrected, &lines), 15000);

        // A new code, alone on its day: the correction. With a rival, nobody is guessed.
        let mut recoded = corrected.clone();
        recoded.lines[0].procedure.code = "99213".into();
        assert_eq!(match_lines(&lines, &recoded), vec![Some(0)]);
        recoded.lines.push(dated("93000", 5000, 4000));
        assert_eq!(match_lines(&lines, &recoded), vec![None]);
    }

    #[test]
    fn a_new_denial_on_another_line_is_found() {
        let mut c = claim("L3", 1, 20000, 0);
        let mut l = dated("99214", 20000, 0);
        l.adjustments = vec![adj("CO", "16", 20000)];
        c.lines = vec![l];
        let lines = denied_lines(&c);
        let mut later = c.clone();
        later.lines[0].adjustments = vec![adj("CO", "45", 5000)];
        let mut venipuncture = dated("36415", 3000, 0);
        venipuncture.adjustments = vec![adj("CO", "97", 3000)];
        later.lines.push(venipuncture);
        let new = new_denied_lines(&later, &lines);
        assert_eq!(new.len(), 1);
        assert_eq!((new[0].code.as_str(), new[0].denied_cents), ("36415", 3000));
    }
}
