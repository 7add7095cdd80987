//! Remittances for named patients and payers: claims sharing CLP01s, other payers.

use super::*;

/// A claim for a named patient: `lines` are (procedure, charge, paid, line CAS bodies).
pub fn claim_for(
    pcn: &str,
    status: u8,
    patient: (&str, &str, &str),
    filing: &str,
    icn: &str,
    lines: &[(&str, &str, &str, &[&str])],
    extra: &[&str],
) -> Vec<String> {
    let billed: f64 = lines.iter().map(|l| l.1.parse::<f64>().unwrap()).sum();
    let paid: f64 = lines.iter().map(|l| l.2.parse::<f64>().unwrap()).sum();
    let mut v = vec![
        format!("CLP*{pcn}*{status}*{billed:.2}*{paid:.2}**{filing}*{icn}*11*1"),
        format!("NM1*QC*1*{}*{}****MI*{}", patient.0, patient.1, patient.2),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v.push("DTM*232*20261001".into());
    for (proc_, charge, paid, cas) in lines {
        v.push(format!("SVC*HC:{proc_}*{charge}*{paid}**1"));
        v.push("DTM*472*20261001".into());
        for c in *cas {
            v.push(format!("CAS*{c}"));
        }
    }
    v
}

pub const JANE: (&str, &str, &str) = ("DOE", "JANE", "W100");
pub const JOHN: (&str, &str, &str) = ("ROE", "JOHN", "W200");

pub fn file(control: u32, payer: (&str, &str), date: &str, claims: &[Vec<String>]) -> String {
    let mut body = header(payer.0, payer.1, date, &format!("TRN{control}"));
    for c in claims {
        body.extend(c.iter().cloned());
    }
    interchange(&STAR, control, &[body])
}

pub const ACME: (&str, &str) = ("ACME HEALTH", "60054");
pub const MEDIGAP: (&str, &str) = ("MEDIGAP PLUS", "77777");
pub const MEDICARE: (&str, &str) = ("NOVITAS", "12502");
