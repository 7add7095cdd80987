//! The 835 importer on real-shaped files: separators, envelopes, claim details, every
//! malformed case (error text and nothing stored), idempotence and reconciliation.

mod common;

use common::*;
use denialdesk::domain::claim::{ClaimStatusCode, GroupCode};
use denialdesk::domain::status::Status;
use denialdesk::ingest::Reader835;
use denialdesk::store::{Store, WorkStore};

fn parse_all(text: &str) -> Vec<denialdesk::domain::remittance::Remittance> {
    let mut reader = Reader835::new(text.as_bytes(), "t.835");
    let mut out = Vec::new();
    while let Some(r) = reader.next_remittance().unwrap() {
        out.push(r);
    }
    out
}

fn detailed_claim() -> Vec<String> {
    vec![
        "CLP*PCN-77*1*300*120*25*CI*ICN77*11*1".into(),
        "CAS*OA*23*10".into(),
        "NM1*QC*1*ROE*RICHARD*Q***MI*M0001".into(),
        "NM1*IL*1*ROE*RITA****MI*S0001".into(),
        "NM1*82*1*LEE*SAM****XX*1992753880".into(),
        "MOA***MA01*N1".into(),
        "DTM*232*20261001".into(),
        "DTM*233*20261002".into(),
        "SVC*HC:99214:25:GT*200*120**1".into(),
        "DTM*472*20261001".into(),
        "CAS*CO*45*40**253*5".into(),
        "CAS*PR*3*25*1*2*10".into(),
        "REF*6R*LINE1".into(),
        "LQ*HE*N130".into(),
        "SVC*HC:36415*100*0**1".into(),
        "DTM*472*20261002".into(),
        "CAS*CO*97*100".into(),
        "LQ*HE*M15".into(),
    ]
}

#[test]
fn pipe_and_caret_separators_without_line_breaks_parse_fully() {
    let body = set(&[
        header("ACME HEALTH", "99999", "20261101", "TRACE1"),
        detailed_claim(),
        vec!["PLB*1234567893*20261231*L6:TRACE1*-2.5*WO:X*10".into()],
    ]);
    let text = interchange(&PIPE_NO_BREAKS, 7, &[body]);
    assert!(!text.contains('\n') && text.contains('|'));
    let sets = parse_all(&text);
    assert_eq!(sets.len(), 1);
    let r = &sets[0];
    assert_eq!(r.trace_number, "TRACE1");
    assert_eq!(r.payer.name, "ACME HEALTH");
    assert_eq!(r.payer.id, "99999");
    assert_eq!(r.payee.name, "NORTH CLINIC");
    assert_eq!(r.version, "005010X221A1");
    assert_eq!(r.provider_adjustments.len(), 2);
    assert_eq!(r.provider_adjustments[0].amount_cents, -250);
    assert_eq!(r.provider_adjustments[1].reason, "WO");
    let c = &r.claims[0];
    assert_eq!(c.patient_control_number, "PCN-77");
    assert_eq!(c.patient.display_name(), "ROE, RICHARD");
    assert_eq!(c.patient.member_id, "M0001");
    assert_eq!(c.insured.as_ref().unwrap().member_id, "S0001");
    assert_eq!(c.rendering_provider.as_ref().unwrap().name, "LEE, SAM");
    assert_eq!(c.remarks, vec!["MA01", "N1"]);
    assert_eq!(
        (c.billed_cents, c.paid_cents, c.patient_responsibility_cents),
        (30000, 12000, 2500)
    );
    assert_eq!(
        c.adjustments.len(),
        1,
        "claim-level CAS before the first SVC"
    );
    assert_eq!(c.lines.len(), 2);
    let l = &c.lines[0];
    assert_eq!(l.procedure.to_string(), "99214-25-GT");
    assert_eq!(l.control_number.as_deref(), Some("LINE1"));
    assert_eq!(l.remarks, vec!["N130"]);
    let codes: Vec<String> = l.adjustments.iter().map(|a| a.code()).collect();
    assert_eq!(codes, vec!["CO-45", "CO-253", "PR-3", "PR-2"]);
    assert_eq!(l.adjustments[2].quantity, Some(1.0));
    assert_eq!(l.adjustments[3].group, GroupCode::PR);
    assert_eq!(l.adjustments[3].amount_cents, 1000);
    assert_eq!(c.lines[1].service_date.unwrap().to_string(), "2026-10-02");
}

#[test]
fn several_transaction_sets_and_interchanges_in_one_file() {
    let a = set(&[
        header("PAYER A", "1", "20261101", "T1"),
        claim("A1", 1, "100", "80", &["CO*45*20"]),
    ]);
    let b = set(&[
        header("PAYER A", "1", "20261102", "T2"),
        claim("A2", 1, "100", "0", &["CO*197*100"]),
    ]);
    let c = set(&[
        header("PAYER B", "2", "20261103", "T3"),
        claim("B1", 4, "50", "0", &[]),
    ]);
    let text = interchange(&STAR, 1, &[a, b]) + "\r\n" + &interchange(&PIPE_NO_BREAKS, 2, &[c]);
    let sets = parse_all(&text);
    assert_eq!(sets.len(), 3);
    assert_eq!(sets[2].payer.name, "PAYER B");
    assert_eq!(sets[2].claims[0].status_code, ClaimStatusCode::Denied);
    assert_ne!(sets[0].fingerprint, sets[1].fingerprint);

    let (_dir, store) = temp_store();
    let report = import(&store, "multi.835", &text).unwrap();
    assert_eq!(
        (report.sets, report.claims, report.denials_opened),
        (3, 3, 2)
    );
    let ids: Vec<String> = store
        .work_items()
        .unwrap()
        .into_iter()
        .map(|w| w.claim_id.into())
        .collect();
    assert_eq!(ids, vec!["A2", "B1"]);
}

#[test]
fn version_4010_file_with_crlf_imports() {
    let body = set(&[
        header("STATE MEDICAID", "77027", "20261101", "T9"),
        claim("M1", 1, "80", "0", &["CO*16*80"]),
    ]);
    let text = interchange(&STAR, 3, &[body])
        .replace("005010X221A1", "004010X091A1")
        .replace("00501", "00401")
        .replace("*^*", "*U*")
        .replace('\n', "\r\n");
    let sets = parse_all(&text);
    assert_eq!(sets[0].version, "004010X091A1");
    assert_eq!(sets[0].claims[0].adjustments.len(), 0);
    assert_eq!(sets[0].claims[0].lines[0].adjustments[0].code(), "CO-16");
}

/// Imports `text`, expects an error containing every `needles`, and checks nothing stored.
fn assert_refused(text: &str, needles: &[&str]) {
    let (_dir, store) = temp_store();
    let err = import(&store, "bad.835", text).unwrap_err().to_string();
    for n in needles {
        assert!(err.contains(n), "error {err:?} should mention {n:?}");
    }
    assert!(
        store.work_items().unwrap().is_empty(),
        "nothing may be stored"
    );
    assert!(
        store.audit_log().unwrap().is_empty(),
        "nothing may be audited"
    );
    assert!(store.claim_history("A1").unwrap().is_empty());
}

fn good_then(bad_set: Vec<String>) -> String {
    let good = set(&[
        header("P", "1", "20261101", "T1"),
        claim("A1", 1, "100", "0", &["CO*197*100"]),
    ]);
    interchange(&STAR, 1, &[good, bad_set])
}

#[test]
fn an_837_is_refused_as_not_a_remittance() {
    let text = interchange(&STAR, 1, &[vec!["BHT*0019*00*1*20261101*1200*CH".into()]])
        .replace("ST*835", "ST*837");
    assert_refused(
        &text,
        &["bad.835", "segment 3 (ST)", "ST01", "837", "not an 835"],
    );
    let gs_hc = interchange(&STAR, 1, &[vec![]]).replace("GS*HP", "GS*HC");
    assert_refused(
        &gs_hc,
        &["segment 3 (ST)", "ST01", "GS01 is \"HC\"", "GS*HP"],
    );
}

#[test]
fn non_numeric_amount_names_segment_and_element_and_stores_nothing() {
    let bad = set(&[
        header("P", "1", "20261101", "T2"),
        claim("B1", 1, "100", "12x.00", &[]),
    ]);
    let text = good_then(bad);
    // ISA, GS, ST, 8 header, 7 claim, SE = 19; then ST 20, header 21-28, CLP 29.
    assert_refused(
        &text,
        &["bad.835: segment 29 (CLP), element CLP04", "12x.00"],
    );
}

#[test]
fn truncated_file_is_refused() {
    let text = good_then(set(&[
        header("P", "1", "20261101", "T2"),
        claim("B1", 1, "100", "0", &[]),
    ]));
    let cut = &text[..text.len() - 60];
    assert_refused(cut, &["bad.835", "truncated"]);
    let no_trailer = text.replace("IEA*1*000000001~\n", "");
    assert_refused(&no_trailer, &["before its IEA", "truncated"]);
}

#[test]
fn wrong_counts_in_se_ge_iea_are_refused() {
    let text = good_then(set(&[
        header("P", "1", "20261101", "T2"),
        claim("B1", 1, "100", "0", &[]),
    ]));
    let se = text.replacen("SE*17*0001", "SE*18*0001", 1);
    assert_ne!(se, text, "fixture must contain SE*17*0001");
    assert_refused(&se, &["(SE), element SE01", "says 18 segments", "has 17"]);
    assert_refused(
        &text.replace("GE*2*1", "GE*3*1"),
        &["(GE), element GE01", "3 transaction sets", "has 2"],
    );
    assert_refused(&text.replace("IEA*1*", "IEA*2*"), &["(IEA), element IEA01"]);
    let se02 = text.replace("SE*16*0002", "SE*16*0009");
    assert_ne!(se02, text, "fixture must contain SE*16*0002");
    assert_refused(&se02, &["(SE), element SE02", "\"0002\""]);
}

#[test]
fn bad_dates_and_group_codes_are_refused() {
    let bad_date = good_then(set(&[
        header("P", "1", "20261301", "T2"),
        claim("B1", 1, "100", "0", &[]),
    ]));
    assert_refused(&bad_date, &["(BPR), element BPR16", "20261301"]);
    let bad_group = good_then(set(&[
        header("P", "1", "20261101", "T2"),
        claim("B1", 1, "100", "0", &["XX*45*1"]),
    ]));
    assert_refused(&bad_group, &["(CAS), element CAS01", "\"XX\""]);
    assert_refused("hello, world\n", &["not an X12 interchange"]);
    assert_refused("", &["empty"]);
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let text = good_then(set(&[
        header("P", "1", "20261102", "T2"),
        claim("B1", 1, "100", "0", &["CO*50*100"]),
    ]));
    let (_dir, store) = temp_store();
    let first = import(&store, "a.835", &text).unwrap();
    assert_eq!(first.denials_opened, 2);
    let items = store.work_items().unwrap();
    let audit = store.audit_log().unwrap().len();
    let second = import(&store, "a-copy.835", &text).unwrap();
    assert_eq!(
        (second.duplicate_sets, second.claims, second.denials_opened),
        (2, 0, 0)
    );
    assert!(
        second.summary().contains("already imported"),
        "{}",
        second.summary()
    );
    assert_eq!(store.work_items().unwrap(), items);
    assert_eq!(store.audit_log().unwrap().len(), audit);
    assert_eq!(store.claim_history("B1").unwrap().len(), 1);
}

#[test]
fn later_payment_resolves_the_denial_and_records_recovery() {
    let (_dir, store) = temp_store();
    let denial = set(&[
        header("P", "1", "20261001", "T1"),
        claim("D1", 1, "500", "0", &["CO*197*500"]),
    ]);
    import(&store, "denial.835", &interchange(&STAR, 1, &[denial])).unwrap();
    let item = store.work_item("D1").unwrap().unwrap();
    assert_eq!(
        (item.status, item.denied_cents, item.version),
        (Status::New, 50000, 1)
    );

    let paid = set(&[
        header("P", "1", "20261110", "T2"),
        claim("D1", 1, "500", "320", &["CO*45*180"]),
    ]);
    let report = import(&store, "paid.835", &interchange(&STAR, 2, &[paid])).unwrap();
    assert_eq!((report.denials_opened, report.denials_updated), (0, 1));
    let item = store.work_item("D1").unwrap().unwrap();
    assert_eq!(item.status, Status::Paid);
    assert_eq!(item.recovered_cents, 32000);
    assert_eq!(item.version, 2);
    assert_eq!(store.claim_history("D1").unwrap().len(), 2);
    let timeline = store.timeline("D1").unwrap();
    assert!(timeline
        .iter()
        .any(|e| e.kind.summary().contains("paid → ") || e.kind.summary().contains("→ paid")));

    // A new denial on the same claim is added to its history, not a new work item.
    let again = set(&[
        header("P", "1", "20261115", "T3"),
        claim("D1", 1, "500", "0", &["CO*50*500"]),
    ]);
    import(&store, "again.835", &interchange(&STAR, 3, &[again])).unwrap();
    assert_eq!(store.work_items().unwrap().len(), 1);
    let item = store.work_item("D1").unwrap().unwrap();
    assert_eq!(item.carcs, vec!["CO-197", "CO-50"]);
    assert_eq!(item.status, Status::InProgress);
}

#[test]
fn paid_claim_with_contractual_and_patient_share_stays_out_of_the_worklist() {
    let (_dir, store) = temp_store();
    let body = set(&[
        header("P", "1", "20261001", "T1"),
        claim("OK1", 1, "200", "120", &["CO*45*50", "PR*2*20*1"]),
        claim("OK2", 2, "100", "70", &["PR*3*30"]),
    ]);
    let report = import(&store, "paid.835", &interchange(&STAR, 1, &[body])).unwrap();
    assert_eq!((report.claims, report.denials_opened), (2, 0));
    assert!(store.work_items().unwrap().is_empty());
    assert_eq!(
        store.claim_history("OK1").unwrap().len(),
        1,
        "paid claims are still stored"
    );
}
