//! What importing a file did, for the terminal: counts, one line per acknowledgment set,
//! the rejected claims named, and what the file held that is not read.

use crate::domain::acknowledgment::{Acknowledgment, ClaimAckKind};
use crate::domain::rejection::decisive;

/// Rejected claims an import summary names, beyond which it gives the count.
const SHOWN_REJECTIONS: usize = 12;

/// What importing one file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileReport {
    /// The file's name as given.
    pub file: String,
    /// Transaction sets (ST*835) in it.
    pub sets: usize,
    /// Claims (CLP loops) in it.
    pub claims: usize,
    /// Work items it opened.
    pub denials_opened: usize,
    /// Work items it changed.
    pub denials_updated: usize,
    /// Underpayment work items it opened (lines paid below the contracts).
    pub underpayments_opened: usize,
    /// Transaction sets already imported before (by content), skipped.
    pub duplicate_sets: usize,
    /// Claims in those skipped sets.
    pub duplicate_claims: usize,
    /// What the file held that is not read (TA1, 837, 270 …), skipped, one line each.
    pub skipped: Vec<String>,
    /// One line per acknowledgment set read (999, 277CA, 277), and under a rejected
    /// claim batch each of its findings.
    pub acknowledgments: Vec<String>,
    /// Claim batches a 999 or 997 rejected (whole or in part): never reached a payer.
    pub batches_rejected: usize,
    /// Claims a 277CA or 277 reported on.
    pub claims_acknowledged: usize,
    /// Of those, rejected before adjudication.
    pub claims_rejected: usize,
    /// Work items the acknowledgments opened (rejections).
    pub rejections_opened: usize,
    /// Work items the acknowledgments changed.
    pub items_updated_by_acknowledgments: usize,
}

impl FileReport {
    /// Counts one stored (or skipped as imported before) transaction set.
    pub fn count(&mut self, outcome: crate::store::SetOutcome) {
        self.sets += 1;
        if outcome.duplicate {
            self.duplicate_sets += 1;
            self.duplicate_claims += outcome.claims;
        } else {
            self.claims += outcome.claims;
            self.denials_opened += outcome.opened;
            self.underpayments_opened += outcome.underpaid;
            self.denials_updated += outcome.updated;
        }
    }

    /// Every transaction set in the file was imported before: nothing changed.
    pub fn already_imported(&self) -> bool {
        self.sets > 0 && self.duplicate_sets == self.sets
    }

    /// One line for the terminal.
    pub fn summary(&self) -> String {
        if self.already_imported() {
            return format!(
                "{}: already imported ({} claims in {} transaction sets): nothing changed",
                self.file, self.duplicate_claims, self.sets
            );
        }
        let mut s = if self.sets == 0 && self.claims_acknowledged == 0 {
            format!(
                "{}: {} acknowledgment(s) read",
                self.file,
                self.acknowledgments
                    .iter()
                    .filter(|l| !l.starts_with(' '))
                    .count()
            )
        } else if self.sets == 0 {
            format!(
                "{}: {} claims acknowledged, {} rejected, {} new rejections, {} work items updated",
                self.file,
                self.claims_acknowledged,
                self.claims_rejected,
                self.rejections_opened,
                self.items_updated_by_acknowledgments
            )
        } else {
            format!(
                "{}: {} claims read, {} new denials, {} work items updated",
                self.file, self.claims, self.denials_opened, self.denials_updated
            )
        };
        if self.underpayments_opened > 0 {
            s.push_str(&format!(
                ", {} new underpayments (paid below contract)",
                self.underpayments_opened
            ));
        }
        if self.duplicate_sets > 0 {
            s.push_str(&format!(
                ", {} duplicate claims skipped ({} transaction sets imported before)",
                self.duplicate_claims, self.duplicate_sets
            ));
        }
        for line in &self.acknowledgments {
            s.push_str(&format!("\n  {line}"));
        }
        if self.batches_rejected > 0 {
            s.push_str(&format!(
                "\n  !! {} CLAIM BATCH{} REJECTED: the claims in {} never reached a payer; fix and send again (denialdesk batches)",
                self.batches_rejected,
                if self.batches_rejected == 1 { "" } else { "ES" },
                if self.batches_rejected == 1 { "it" } else { "them" }
            ));
        }
        for skipped in &self.skipped {
            s.push_str(&format!("\n  not read: {skipped}"));
        }
        // File names and codes come from outside: escaped line by line, the breaks kept.
        s.split('\n')
            .map(crate::text::escape)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The report's line for one acknowledgment set, and its counts.
pub(crate) fn report_acknowledgment(
    report: &mut FileReport,
    set: &Acknowledgment,
    duplicate: bool,
) {
    let again = if duplicate {
        " (imported before: nothing changed)"
    } else {
        ""
    };
    match set {
        Acknowledgment::Batch(batch) => {
            let rejected = batch.rejected();
            report.acknowledgments.push(format!(
                "{}{}{again}",
                if rejected { "!! " } else { "" },
                batch.summary()
            ));
            if rejected {
                report.batches_rejected += 1;
                for finding in batch.findings() {
                    report.acknowledgments.push(format!("   {finding}"));
                }
            }
        }
        Acknowledgment::Claims(claims) => {
            // The store's own rule (`decisive`): a clearinghouse's acceptance is no
            // acceptance, and a 277 accepts or rejects nothing.
            let decided: Vec<Option<bool>> =
                claims.claims.iter().map(|c| decisive(claims, c)).collect();
            let accepted = decided.iter().filter(|d| **d == Some(true)).count();
            let rejected = decided.iter().filter(|d| **d == Some(false)).count();
            report.claims_acknowledged += claims.claims.len();
            report.claims_rejected += rejected;
            let what = match claims.kind {
                ClaimAckKind::Acknowledgment => format!("{accepted} accepted, {rejected} rejected"),
                ClaimAckKind::StatusResponse => "statuses on the claims' timelines".to_string(),
            };
            report.acknowledgments.push(format!(
                "{} {} of {}: {} claims, {what}{again}",
                claims.kind.name(),
                claims.control_number,
                claims.date,
                claims.claims.len()
            ));
            // Which claims were turned back, so the specialist knows where to start.
            if claims.kind == ClaimAckKind::Acknowledgment && !duplicate {
                let named: Vec<String> = claims
                    .claims
                    .iter()
                    .zip(&decided)
                    .filter(|(_, d)| **d == Some(false))
                    .map(|(c, _)| c)
                    .map(|c| format!("{} ({})", c.claim_id, c.status_keys().join(" ")))
                    .collect();
                for chunk in named
                    .iter()
                    .take(SHOWN_REJECTIONS)
                    .collect::<Vec<_>>()
                    .chunks(4)
                {
                    let line: Vec<&str> = chunk.iter().map(|s| s.as_str()).collect();
                    report
                        .acknowledgments
                        .push(format!("   rejected: {}", line.join(", ")));
                }
                if named.len() > SHOWN_REJECTIONS {
                    report.acknowledgments.push(format!(
                        "   and {} more: denialdesk list --kind rejection",
                        named.len() - SHOWN_REJECTIONS
                    ));
                }
            }
            // A whole batch or a provider's claims rejected at once: loud, like a 999.
            for group in &claims.group_rejections {
                report.batches_rejected += 1;
                report
                    .acknowledgments
                    .push(format!("!! {}", group.summary()));
            }
        }
    }
}
