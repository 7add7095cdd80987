//! Writes one 835 transaction set: payment header (BPR, TRN, payer, payee), the claims,
//! and the provider-level adjustments, with the payment total they add up to.

use super::catalog::{Location, PayerDef};
use super::claims::GenClaim;
use super::render::write_claim;
use super::writer::{amount, X12Writer};
use chrono::NaiveDate;

/// A provider-level adjustment: reason (WO, L6 …), its reference, amount in cents.
pub type Plb = (&'static str, String, i64);

/// Writes one ST…SE for one payer, location and payment date.
pub fn write_remittance(
    w: &mut X12Writer,
    st: u32,
    payer: &PayerDef,
    loc: &Location,
    date: NaiveDate,
    claims: &[GenClaim],
    plb: &[Plb],
) {
    let control = format!("{st:04}");
    w.start_set(&control);
    let paid: i64 = claims.iter().map(GenClaim::paid).sum();
    let total = paid - plb.iter().map(|p| p.2).sum::<i64>();
    let d8 = date.format("%Y%m%d").to_string();
    let tin = format!("1{}", loc.tin);
    if total > 0 {
        w.seg(&[
            "BPR",
            "I",
            &amount(total),
            "C",
            "ACH",
            "CCP",
            "01",
            "071000013",
            "DA",
            "5550001",
            &tin,
            "",
            "01",
            "071923284",
            "DA",
            "7770021",
            &d8,
        ]);
    } else {
        w.seg(&[
            "BPR",
            "H",
            &amount(total),
            "C",
            "NON",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            &d8,
        ]);
    }
    let trace = format!("{}{}{st:04}", &payer.id[..3], date.format("%y%m%d"));
    w.seg(&["TRN", "1", &trace, &tin]);
    w.seg(&["REF", "EV", "LAKESHORE"]);
    w.seg(&["DTM", "405", &d8]);
    if w.dialect.v4010 {
        w.seg(&["N1", "PR", payer.name]);
    } else {
        w.seg(&["N1", "PR", payer.name, "XV", payer.id]);
    }
    w.seg(&["N3", "PO BOX 1000"]);
    w.seg(&["N4", "SPRINGFIELD", "IL", "62701"]);
    w.seg(&["REF", "2U", payer.id]);
    w.seg(&[
        "PER",
        "CX",
        "PROVIDER SERVICES",
        "TE",
        &payer.phone.replace('-', ""),
    ]);
    w.seg(&["N1", "PE", loc.name, "XX", loc.npi]);
    w.seg(&["REF", "TJ", loc.tin]);
    w.seg(&["LX", "1"]);
    for c in claims {
        write_claim(w, payer, c);
    }
    if !plb.is_empty() {
        let year_end = format!("{}1231", date.format("%Y"));
        let mut elements: Vec<String> = vec!["PLB".into(), loc.npi.into(), year_end];
        for (reason, reference, cents) in plb {
            // A recoupment names its claim; other adjustments the payment (trace).
            let reference = if reference.is_empty() {
                &trace
            } else {
                reference
            };
            elements.push(w.composite(&[reason, reference]));
            elements.push(amount(*cents));
        }
        let refs: Vec<&str> = elements.iter().map(String::as_str).collect();
        w.seg(&refs);
    }
    w.end_set(&control);
}
