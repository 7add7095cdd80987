//! The demo's acknowledgments, as a clearinghouse returns them: 277CA claim
//! acknowledgments for claims sent in the last weeks (most accepted, a quarter rejected
//! with the codes billing teams meet most), a later 277CA accepting half of the rejected
//! claims once corrected, 999s for two claim batches (one with a rejected transaction
//! set), and 277 status responses on some denied claims.

use super::catalog::{PayerDef, LOCATIONS, PAYERS};
use super::claims::{make_claim, GenClaim};
use super::rng::Rng;
use super::writer::{amount, Dialect, X12Writer};
use super::{anchor, DemoFile};
use chrono::{Duration, NaiveDate};

/// Acknowledgments travel in the clearinghouse's own 5010 dialect.
const CLEARINGHOUSE: Dialect = Dialect {
    element: '*',
    component: ':',
    repetition: '^',
    terminator: '~',
    line_break: "\n",
    v4010: false,
};

/// Rejections as payers and clearinghouses send them: STC01, and what fixes it.
const REJECTIONS: [&str; 7] = [
    "A7:562:85", // billing provider NPI invalid
    "A7:33:IL",  // subscriber and subscriber id not found
    "A8:30:IL",  // subscriber and subscriber id mismatched
    "A6:500:85", // billing provider's ZIP+4 missing
    "A3:116:PR", // sent to the wrong payer
    "A7:454",    // procedure code invalid
    "A6:21:QC",  // patient information missing
];

/// A claim a 277CA answers, with the payer it was sent to and its status.
struct Acked {
    payer: &'static PayerDef,
    claim: GenClaim,
    status: &'static str,
}

fn d8(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// The information source level (HL 20): the payer answering.
fn source(w: &mut X12Writer, payer: &PayerDef) {
    w.seg(&["HL", "1", "", "20", "1"]);
    w.seg(&["NM1", "PR", "2", payer.name, "", "", "", "", "PI", payer.id]);
}

/// The information receiver level (HL 21): the practice's billing office.
fn receiver(w: &mut X12Writer) {
    w.seg(&["HL", "2", "1", "21", "1"]);
    w.seg(&[
        "NM1",
        "41",
        "2",
        "LAKESHORE BILLING",
        "",
        "",
        "",
        "",
        "46",
        "LAKESHORE",
    ]);
}

/// One 277CA transaction set from `payer` on `date` for `claims`.
fn write_277ca(w: &mut X12Writer, st: &str, payer: &PayerDef, date: NaiveDate, claims: &[&Acked]) {
    let date8 = d8(date);
    w.start_set_of("277", st, "005010X214");
    w.seg(&[
        "BHT",
        "0085",
        "08",
        &format!("{}{st}", payer.id),
        &date8,
        "0800",
        "TH",
    ]);
    source(w, payer);
    w.seg(&["TRN", "1", &format!("ACK{}{st}", payer.id)]);
    w.seg(&["DTP", "050", "D8", &date8]);
    w.seg(&["DTP", "009", "D8", &date8]);
    receiver(w);
    w.seg(&["TRN", "2", &format!("BATCH{st}")]);
    let total: i64 = claims.iter().map(|a| a.claim.billed()).sum();
    w.seg(&["STC", "A1:19:PR", &date8, "WQ", &amount(total)]);
    w.seg(&["QTY", "90", &claims.len().to_string()]);
    let mut hl = 2;
    for (li, loc) in LOCATIONS.iter().enumerate() {
        let here: Vec<&&Acked> = claims
            .iter()
            .filter(|a| a.claim.pcn.starts_with(LOCATIONS[li].pcn_prefix))
            .collect();
        if here.is_empty() {
            continue;
        }
        hl += 1;
        let provider_hl = hl.to_string();
        w.seg(&["HL", &provider_hl, "2", "19", "1"]);
        w.seg(&["NM1", "85", "2", loc.name, "", "", "", "", "XX", loc.npi]);
        w.seg(&["TRN", "1", &format!("PROV{st}{li}")]);
        w.seg(&[
            "STC",
            "A1:19:PR",
            "",
            "WQ",
            &amount(here.iter().map(|a| a.claim.billed()).sum()),
        ]);
        for a in here {
            hl += 1;
            let c = &a.claim;
            w.seg(&["HL", &hl.to_string(), &provider_hl, "PT"]);
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
            w.seg(&["TRN", "2", &c.pcn]);
            let action = if a.status.starts_with("A2") {
                "WQ"
            } else {
                "U"
            };
            w.seg(&["STC", a.status, &date8, action, &amount(c.billed())]);
            if action == "WQ" {
                w.seg(&["REF", "1K", &format!("{}{}", payer.id, &c.pcn[3..])]);
            }
            w.seg(&["REF", "D9", &format!("CH{}", c.pcn)]);
            w.seg(&["DTP", "472", "D8", &d8(c.dos)]);
        }
    }
    w.end_set(st);
}

/// A file of 277CAs, one set per payer, dated `date`.
fn file_277ca(name: &str, control: u32, date: NaiveDate, acked: &[Acked]) -> DemoFile {
    let mut w = X12Writer::new(CLEARINGHOUSE);
    w.open_group(
        control,
        "CLEARINGHOUSE",
        "LAKESHORE",
        &d8(date),
        "HN",
        "005010X214",
    );
    let mut sets = 0;
    for payer in &PAYERS {
        let mine: Vec<&Acked> = acked.iter().filter(|a| a.payer.id == payer.id).collect();
        if !mine.is_empty() {
            sets += 1;
            write_277ca(&mut w, &format!("{sets:04}"), payer, date, &mine);
        }
    }
    w.close_interchange(control, sets);
    DemoFile {
        name: name.to_string(),
        contents: w.finish(),
    }
}

/// Two claim batches' 999s: one accepted, one with a transaction set rejected for a
/// missing subscriber id and a bad charge amount.
fn file_999(control: u32, date: NaiveDate) -> DemoFile {
    let mut w = X12Writer::new(CLEARINGHOUSE);
    w.open_group(
        control,
        "CLEARINGHOUSE",
        "LAKESHORE",
        &d8(date),
        "FA",
        "005010X231A1",
    );
    w.start_set_of("999", "0001", "005010X231A1");
    w.seg(&["AK1", "HC", "4101", "005010X222A1"]);
    w.seg(&["AK2", "837", "0001", "005010X222A1"]);
    w.seg(&["IK5", "A"]);
    w.seg(&["AK9", "A", "1", "1", "1"]);
    w.end_set("0001");
    w.start_set_of("999", "0002", "005010X231A1");
    w.seg(&["AK1", "HC", "4102", "005010X222A1"]);
    w.seg(&["AK2", "837", "0001", "005010X222A1"]);
    w.seg(&["IK5", "A"]);
    w.seg(&["AK2", "837", "0002", "005010X222A1"]);
    w.seg(&["IK3", "NM1", "18", "2010BA", "8"]);
    w.seg(&["IK4", "9", "67", "1"]);
    w.seg(&["IK3", "CLM", "24", "2300", "8"]);
    w.seg(&["IK4", "2", "782", "6", "1O5.00"]);
    w.seg(&["IK5", "R", "5"]);
    w.seg(&["AK9", "P", "2", "2", "1"]);
    w.end_set("0002");
    w.close_interchange(control, 2);
    DemoFile {
        name: "claim-batches.999".to_string(),
        contents: w.finish(),
    }
}

/// 277 claim status responses (to a 276) on some denied claims: in process, a request
/// for records, a finalized denial.
fn file_277(control: u32, date: NaiveDate, asked: &[(&'static PayerDef, GenClaim)]) -> DemoFile {
    let mut w = X12Writer::new(CLEARINGHOUSE);
    let date8 = d8(date);
    w.open_group(
        control,
        "CLEARINGHOUSE",
        "LAKESHORE",
        &date8,
        "HN",
        "005010X212",
    );
    for (n, (payer, c)) in asked.iter().enumerate() {
        let st = format!("{:04}", n + 1);
        let status = match n % 4 {
            1 => "R4:21",
            3 => "F2:1",
            _ => "P1:20",
        };
        w.start_set_of("277", &st, "005010X212");
        w.seg(&[
            "BHT",
            "0010",
            "08",
            &format!("STATUS{st}"),
            &date8,
            "0800",
            "DG",
        ]);
        source(&mut w, payer);
        receiver(&mut w);
        let loc = LOCATIONS
            .iter()
            .find(|l| c.pcn.starts_with(l.pcn_prefix))
            .unwrap_or(&LOCATIONS[0]);
        w.seg(&["HL", "3", "2", "19", "1"]);
        w.seg(&["NM1", "1P", "2", loc.name, "", "", "", "", "XX", loc.npi]);
        w.seg(&["HL", "4", "3", "22", "0"]);
        w.seg(&[
            "NM1",
            "IL",
            "1",
            c.patient.0,
            c.patient.1,
            "",
            "",
            "",
            "MI",
            &c.patient.2,
        ]);
        w.seg(&["TRN", "2", &format!("TRACE{st}")]);
        w.seg(&["STC", status, &date8, "", &amount(c.billed()), "0"]);
        w.seg(&["REF", "EJ", &c.pcn]);
        w.seg(&["DTP", "472", "D8", &d8(c.dos)]);
        w.end_set(&st);
    }
    w.close_interchange(control, asked.len());
    DemoFile {
        name: "claim-status.277".to_string(),
        contents: w.finish(),
    }
}

/// Every acknowledgment file. `pcn_seq` continues the claim numbers of the 835s (these
/// claims were sent after the last remittance); `asked` are denied claims a specialist
/// asked the payer about.
pub fn files(
    pcn_seq: &mut [u32; 2],
    interchange: &mut u32,
    asked: &[(&'static PayerDef, GenClaim)],
) -> Vec<DemoFile> {
    let mut rng = Rng::new(0x277C_A999);
    let sent = anchor() - Duration::days(12);
    let mut acked = Vec::new();
    let mut rejected = Vec::new();
    for payer in &PAYERS {
        for n in 0..20 {
            let li = n % 2;
            pcn_seq[li] += 1;
            let pcn = format!("{}{}", LOCATIONS[li].pcn_prefix, pcn_seq[li]);
            let dos = sent - Duration::days(rng.range(3, 30));
            let claim = make_claim(&mut rng, payer, &LOCATIONS[li], pcn, dos, None);
            let status = if rng.chance(120) {
                REJECTIONS[rng.below(REJECTIONS.len() as u64) as usize]
            } else {
                "A2:20:PR"
            };
            if status != "A2:20:PR" {
                rejected.push(Acked {
                    payer,
                    claim: claim.clone(),
                    status: "A2:20:PR",
                });
            }
            acked.push(Acked {
                payer,
                claim,
                status,
            });
        }
    }
    // Half the rejected claims were corrected and accepted the week after.
    let corrected: Vec<Acked> = rejected.into_iter().step_by(2).collect();
    let mut out = Vec::new();
    *interchange += 1;
    out.push(file_277ca(
        "claim-acknowledgments-01.277",
        *interchange,
        sent,
        &acked,
    ));
    *interchange += 1;
    out.push(file_277ca(
        "claim-acknowledgments-02.277",
        *interchange,
        sent + Duration::days(7),
        &corrected,
    ));
    *interchange += 1;
    out.push(file_999(*interchange, sent - Duration::days(1)));
    *interchange += 1;
    out.push(file_277(*interchange, anchor() - Duration::days(2), asked));
    out
}
