//! Every KPI's definition, in one place: the report's foot, `report --help`, and README's
//! "Reports for managers" are made from (README: checked against) this table, so the
//! words a manager reads are the formulas the engine computes. Each says its source and,
//! where we differ from it, how and why.

/// One KPI's definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Definition {
    /// The field in `report --format json` (and the CSV's key).
    pub key: &'static str,
    /// Its name on screens.
    pub name: &'static str,
    /// What is divided by what, over which claims.
    pub formula: &'static str,
    /// Whose definition it is.
    pub source: &'static str,
    /// Where and why we differ from the source ("" where we do not).
    pub differs: &'static str,
}

const fn def(
    key: &'static str,
    name: &'static str,
    formula: &'static str,
    source: &'static str,
    differs: &'static str,
) -> Definition {
    Definition {
        key,
        name,
        formula,
        source,
        differs,
    }
}

/// Every KPI, in report order. "Cohort" = the denials whose remittance date falls in the
/// period; period ends are included.
pub const DEFINITIONS: [Definition; 22] = [
    def(
        "initial_denials",
        "initial denial rate",
        "claims denied (whole or some lines) on their first adjudication / claims first adjudicated in the period; full = nothing paid, partial = some lines paid",
        "HFMA Claim Integrity Task Force (2020); MAP Key AR-5",
        "HFMA divides by claims submitted (often the prior three months' average); an 835 shows claims adjudicated, so ours divides by the claims first adjudicated in the same period, counted per claim (CLP); a secondary or tertiary payer's adjudication is the claim's other coverage, not a first one",
    ),
    def(
        "initial_denials.all_dollars",
        "initial denial rate, dollars",
        "gross charges (CLP03) of the claims denied on first adjudication / gross charges first adjudicated; full and partial as above",
        "HFMA Claim Integrity Task Force (2020)",
        "",
    ),
    def(
        "primary_denial_rate",
        "primary denial rate",
        "zero-pay primary remits (CLP02 1, 19, 4) with a payer denial / primary remits, duplicate-claim denials (CARC 18) left out of both",
        "HFMA Claim Integrity Task Force (2020), zero-pay remittance denials",
        "",
    ),
    def(
        "acknowledgments.rejection_rate",
        "rejection rate",
        "claims rejected before adjudication (277CA category A3, A4, A6, A7, A8, E3, E4) on their first decisive acknowledgment / claims first acknowledged (accepted or rejected) in the period",
        "X12 005010X214 (277CA) claim status categories; HFMA Claim Integrity Task Force (2020) keeps rejections apart from denials",
        "counted from the 277CAs imported, once per claim (claim id and patient, whoever answers), by acknowledgment date and sender; a claim no 277CA answered is not in it; received only (A0, A1) and a clearinghouse's acceptance decide nothing, a clearinghouse's rejection does; a rejected service line rejects the claim",
    ),
    def(
        "acknowledgments.clean_claim_rate",
        "clean-claim rate (proxy)",
        "claims accepted into adjudication (A2, A5) on their first decisive acknowledgment / claims first acknowledged in the period",
        "HFMA MAP Key CL-1, clean claim rate (claims passing edits with no manual intervention / claims accepted into the billing system)",
        "MAP counts claims passing the provider's own edits before they are sent; without the 837s we count the first acceptance by the payer or clearinghouse, so it is a proxy",
    ),
    def(
        "underpayments.found",
        "underpayments",
        "claims whose primary payer allowed a line below its contract row (rate × units paid, never more than the charge) by more than the tolerance (default $1.00 and 2 % of the expected amount), by remittance date, with the variance (expected − allowed); open = the variance the payer's latest adjudication still leaves, by payer",
        "HFMA, contract management and underpayment recovery (expected vs. allowed reimbursement)",
        "allowed is AMT*B6, else paid + patient share + sequestration (CO-253); only lines with no denial and whole units are priced; a claim with a denial is worked as the denial; never counted in any denial figure",
    ),
    def(
        "underpayments.variance_recovery_rate",
        "underpaid $ recovered",
        "variance the payer has since allowed on the period's underpayments / their variance (written-off ones recover nothing); recovered in period = what the payers paid on underpaid claims after they were found, reversals subtracted",
        "denialdesk, after HFMA's recovery rate on the denied-dollar basis",
        "",
    ),
    def(
        "appeal_rate",
        "appeal rate",
        "cohort soft (workable) denials appealed / cohort soft denials",
        "denialdesk",
        "",
    ),
    def(
        "overturn_rate",
        "overturn rate",
        "cohort denials since paid in full or in part, after an appeal or not / cohort denials",
        "HFMA Claim Integrity Task Force (2020)",
        "a coordination-of-benefits denial settled by the right payer, or reprocessed without a denial, counts as overturned",
    ),
    def(
        "appeal_win_rate",
        "appeal win rate",
        "appeals decided overturned or partially overturned / appeals decided in the period",
        "denialdesk",
        "",
    ),
    def(
        "recovered_in_period_cents",
        "recovered",
        "payments received in the period on claims after their denial; reversals and recoupments subtract",
        "denialdesk",
        "",
    ),
    def(
        "recovery_rate",
        "recovery rate",
        "cohort denied $ since paid (no longer outstanding) / cohort denied $: a denial paid in full counts 100 %, whatever was paid against its charge",
        "denialdesk",
        "a denied line another payer paid (secondary coverage, or the right payer of a coordination-of-benefits denial) counts as recovered: it is no longer owed",
    ),
    def(
        "write_offs_to_payments",
        "denial write-offs",
        "denied $ written off in the period (outstanding at write-off) / payments posted in the period (CLP04 of every claim remitted)",
        "MAP Key AR-6, denial write-offs as a percentage of net revenue",
        "net patient revenue is not in an 835: payments posted stand in for it",
    ),
    def(
        "write_off_rate",
        "write-off rate",
        "cohort denied $ written off / cohort denied $",
        "denialdesk",
        "",
    ),
    def(
        "days_to_appeal",
        "days to appeal",
        "days from the denial's remittance to its first appeal, over first appeals sent in the period: mean and median",
        "HFMA Claim Integrity Task Force (2020)",
        "",
    ),
    def(
        "days_to_resolution",
        "days to resolution",
        "days from the denial's remittance to its final disposition (paid, final-upheld, written off), over claims resolved in the period: mean and median",
        "HFMA Claim Integrity Task Force (2020)",
        "",
    ),
    def(
        "segments",
        "denial rate by segment",
        "per payer, provider, facility: cohort denials / claims first adjudicated in that segment; per category, CARC, stage: / all claims first adjudicated; per CPT: denied lines (a claim-level denial once per procedure code on the claim) / lines first adjudicated with that code",
        "HFMA Claim Integrity Task Force (2020), denials by root cause",
        "",
    ),
    def(
        "root_causes",
        "root cause",
        "cohort denied $ and count per value, its share of cohort denied $, and the previous period; by CPT each denied line's own dollars (claim-level denials under (claim level)), so CPT shares sum to 100 %",
        "denialdesk",
        "a claim denied with two CARCs counts under each",
    ),
    def(
        "aging",
        "denial age",
        "open denied $ today by days since the denial: 0-30, 31-60, 61-90, 91-120, 120+",
        "denialdesk",
        "",
    ),
    def(
        "ar_aging",
        "A/R age",
        "the same open denied $ by days since the date of service",
        "MAP Key AR-1 (aged A/R), for denied claims only",
        "only the denied dollars denialdesk tracks, not the whole A/R",
    ),
    def(
        "at_risk_7",
        "at risk, missed",
        "open denials whose deadline is within 7 / 14 days, or has passed; a denial appealed in time is neither (the payer's answer is the clock)",
        "denialdesk",
        "",
    ),
    def(
        "workload",
        "productivity",
        "per person in the period: claims they changed and calls they logged (audit log); claims they own resolved and $ recovered on them; follow-ups due today and overdue",
        "denialdesk",
        "",
    ),
];

/// Plain text, one definition per line, for `report --help` and the text report's foot.
pub fn text() -> String {
    let mut out = String::from(
        "Definitions (period ends included; cohort = denials whose remittance date is in the period;\n\
         n/a = the denominator is zero; payer denials only, PR non-covered items count nowhere):\n",
    );
    for d in DEFINITIONS {
        out.push_str(&format!("  {:<28} {} [{}]\n", d.name, d.formula, d.source));
        if !d.differs.is_empty() {
            out.push_str(&format!("  {:<28} differs: {}\n", "", d.differs));
        }
    }
    out
}

/// Markdown list items, for README's "Reports for managers".
pub fn markdown() -> String {
    let mut out = String::new();
    for d in DEFINITIONS {
        out.push_str(&format!(
            "- **{}** (`{}`) = {}. Source: {}.",
            d.name, d.key, d.formula, d.source
        ));
        if !d.differs.is_empty() {
            out.push_str(&format!(" We differ: {}.", d.differs));
        }
        out.push('\n');
    }
    out
}
