//! Writes a generated claim as an 835 CLP loop.

use super::catalog::{PayerDef, PROVIDERS};
use super::claims::{Cas, GenClaim};
use super::writer::{amount, X12Writer};
use chrono::{Duration, NaiveDate};

fn write_cas(w: &mut X12Writer, cas: &[Cas]) {
    // One CAS segment per group, up to six reason triples each, as payers send them.
    for group in ["CO", "PR", "OA", "PI"] {
        let triples: Vec<&Cas> = cas
            .iter()
            .filter(|c| c.group == group && c.cents != 0)
            .collect();
        for chunk in triples.chunks(6) {
            let mut elements: Vec<String> = vec!["CAS".into(), group.into()];
            for c in chunk {
                elements.extend([c.carc.to_string(), amount(c.cents), String::new()]);
            }
            let refs: Vec<&str> = elements.iter().map(String::as_str).collect();
            w.seg(&refs);
        }
    }
}

/// Writes one CLP loop.
pub fn write_claim(w: &mut X12Writer, payer: &PayerDef, c: &GenClaim) {
    let d8 = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let facility = if c.institutional { "13" } else { "11" };
    let (billed, paid, share) = (
        amount(c.billed()),
        amount(c.paid()),
        amount(c.patient_share()),
    );
    w.seg(&[
        "CLP",
        &c.pcn,
        &c.status.to_string(),
        &billed,
        &paid,
        &share,
        payer.filing,
        &c.payer_claim_number,
        facility,
        "1",
    ]);
    write_cas(w, &c.cas);
    w.seg(&[
        "NM1",
        "QC",
        "1",
        c.patient.0,
        c.patient.1,
        "",
        "",
        "",
        "MI",
        &c.patient.2,
    ]);
    let (last, first, npi) = PROVIDERS[c.provider];
    if !c.institutional {
        w.seg(&["NM1", "82", "1", last, first, "", "", "", "XX", npi]);
    }
    if !c.remarks.is_empty() || payer.filing == "MB" {
        let remark = c.remarks.first().copied().unwrap_or("MA01");
        w.seg(&["MOA", "", "", remark]);
    }
    if c.institutional {
        w.seg(&["DTM", "232", &d8(c.dos)]);
        w.seg(&["DTM", "233", &d8(c.dos)]);
    }
    w.seg(&["DTM", "050", &d8(c.dos + Duration::days(4))]);
    for (i, l) in c.lines.iter().enumerate() {
        let qualifier = "HC";
        let procedure = w.composite(&[qualifier, l.code, l.modifier]);
        let units = if l.charge < 0 { "-1" } else { "1" };
        w.seg(&[
            "SVC",
            &procedure,
            &amount(l.charge),
            &amount(l.paid),
            l.revenue.unwrap_or(""),
            units,
        ]);
        w.seg(&["DTM", "472", &d8(c.dos)]);
        write_cas(w, &l.cas);
        w.seg(&["REF", "6R", &format!("{}{}", c.pcn, i + 1)]);
        if let Some(r) = l.remark {
            w.seg(&["LQ", "HE", r]);
        }
    }
}
