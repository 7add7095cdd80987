//! Money right on real-shaped remittances: claims told apart by payer and patient (not
//! CLP01 alone), other payers' payments, line-by-line resolution, group and remark codes,
//! reversals with new payer claim numbers, PLB recoupments. Every amount to the cent.

mod common;

use common::remits::*;
use common::*;
use denialdesk::domain::status::Status;
use denialdesk::domain::timeline::EventKind;
use denialdesk::domain::work_item::{ItemKind, RowFields, WorkItem};
use denialdesk::store::{SledStore, Store, StoreError, WorkStore};

fn items(store: &SledStore) -> Vec<WorkItem> {
    store.work_items().unwrap()
}

fn only(store: &SledStore, patient: &str) -> WorkItem {
    let found: Vec<WorkItem> = items(store)
        .into_iter()
        .filter(|i| i.patient_name.starts_with(patient))
        .collect();
    assert_eq!(found.len(), 1, "one item for {patient}");
    found.into_iter().next().unwrap()
}

#[test]
fn two_patients_sharing_a_clp01_are_two_claims_with_their_own_money() {
    let (_dir, store) = temp_store();
    let denial = file(
        1,
        ACME,
        "20261101",
        &[
            claim_for(
                "ACCT1",
                1,
                JANE,
                "CI",
                "ICN-J",
                &[("99214", "250", "0", &["CO*197*250"])],
                &[],
            ),
            claim_for(
                "ACCT1",
                1,
                JOHN,
                "CI",
                "ICN-R",
                &[("99213", "180", "0", &["CO*50*180"])],
                &[],
            ),
        ],
    );
    let report = import(&store, "one-check.835", &denial).unwrap();
    assert_eq!((report.claims, report.denials_opened), (2, 2));
    let jane = only(&store, "DOE");
    let john = only(&store, "ROE");
    assert_ne!(jane.key, john.key);
    assert_eq!(
        (jane.claim_id.as_str(), john.claim_id.as_str()),
        ("ACCT1", "ACCT1")
    );
    assert_eq!((jane.denied_cents, john.denied_cents), (25000, 18000));
    assert_eq!(jane.carcs, vec!["CO-197"]);
    assert_eq!(john.carcs, vec!["CO-50"]);
    // Both claims are first adjudications (the initial denial rate's base).
    let days = store.adjudication_days().unwrap();
    assert_eq!(days.iter().map(|d| d.claims).sum::<u64>(), 2);
    assert_eq!(days.iter().map(|d| d.denied).sum::<u64>(), 2);

    // A later payment for John pays John's denial only.
    let paid = file(
        2,
        ACME,
        "20261201",
        &[claim_for(
            "ACCT1",
            1,
            JOHN,
            "CI",
            "ICN-R2",
            &[("99213", "180", "120", &["CO*45*60"])],
            &[],
        )],
    );
    import(&store, "john-paid.835", &paid).unwrap();
    let jane = only(&store, "DOE");
    let john = only(&store, "ROE");
    assert_eq!(john.status, Status::Paid);
    assert_eq!((john.recovered_cents, john.outstanding_cents()), (12000, 0));
    assert_eq!(jane.status, Status::New);
    assert_eq!((jane.recovered_cents, jane.outstanding_cents()), (0, 25000));

    // People still name the claim by CLP01: ambiguous, with the candidates and a way to pick.
    let err = store.work_item("ACCT1").unwrap_err();
    assert!(matches!(err, StoreError::Ambiguous { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("names 2 claims") && text.contains("ACCT1@1") && text.contains("ACCT1@2"),
        "{text}"
    );
    assert!(
        text.contains(jane.key.as_str()) && text.contains(john.key.as_str()),
        "{text}"
    );
    assert!(store.work_item("ACCT1@3").unwrap().is_none());
    let first = store.work_item("ACCT1@1").unwrap().unwrap();
    let by_key = store.work_item(&first.key).unwrap().unwrap();
    assert_eq!(first, by_key);
    assert_eq!(store.claim_history(&john.key).unwrap().len(), 2);
    assert_eq!(store.claim_history(&jane.key).unwrap().len(), 1);
    assert_list_rows_match(&store);
}

#[test]
fn a_clp01_ending_in_at_digits_is_still_found_as_itself() {
    let (_dir, store) = temp_store();
    let text = file(
        1,
        ACME,
        "20261101",
        &[claim_for(
            "INV@12",
            1,
            JANE,
            "CI",
            "I1",
            &[("99214", "200", "0", &["CO*16*200"])],
            &[],
        )],
    );
    import(&store, "at.835", &text).unwrap();
    assert_eq!(
        store.work_item("INV@12").unwrap().unwrap().claim_id,
        "INV@12"
    );
}

#[test]
fn a_secondary_payment_is_recorded_but_does_not_resolve_the_primary_denial() {
    let (_dir, store) = temp_store();
    // Primary denies one of two lines; the secondary pays $40 of the patient's share on the
    // paid line and $30 on the denied one.
    let primary = file(
        1,
        ACME,
        "20261101",
        &[claim_for(
            "ACCT2",
            1,
            JANE,
            "CI",
            "ICN-P",
            &[
                ("99214", "200", "120", &["CO*45*40", "PR*2*40"]),
                ("93000", "100", "0", &["CO*50*100"]),
            ],
            &[],
        )],
    );
    import(&store, "primary.835", &primary).unwrap();
    let secondary = file(
        2,
        MEDIGAP,
        "20261115",
        &[claim_for(
            "ACCT2",
            2,
            ("DOE", "JANE", "MG-555"),
            "CI",
            "SEC-1",
            &[
                ("99214", "200", "40", &["OA*23*160"]),
                ("93000", "100", "30", &["OA*23*70"]),
            ],
            &[],
        )],
    );
    import(&store, "secondary.835", &secondary).unwrap();
    let all = items(&store);
    assert_eq!(all.len(), 1, "the secondary's payment opens no denial");
    let item = &all[0];
    assert_eq!(item.payer, "ACME HEALTH");
    assert_eq!(item.status, Status::New, "stays open");
    assert_eq!(item.denied_cents, 10000);
    assert_eq!(item.other_payer_cents, 3000, "only the denied line's $30");
    assert_eq!(item.outstanding_cents(), 7000);
    assert_eq!(item.recovered_cents, 0, "not the denying payer's money");
    let timeline = store.timeline(&item.key).unwrap();
    let note = timeline
        .iter()
        .find(|e| matches!(e.kind, EventKind::OtherPayerPaid { .. }))
        .expect("on the timeline");
    assert!(
        note.kind
            .summary()
            .starts_with("Secondary payer MEDIGAP PLUS paid $70.00"),
        "{}",
        note.kind.summary()
    );
    // The secondary is not a first adjudication: one claim, one denial.
    let days = store.adjudication_days().unwrap();
    assert_eq!(days.iter().map(|d| d.claims).sum::<u64>(), 1);
}

#[test]
fn a_partial_payment_leaves_the_unpaid_lines_and_amount() {
    let (_dir, store) = temp_store();
    let denied = file(
        1,
        ACME,
        "20261101",
        &[claim_for(
            "ACCT3",
            1,
            JANE,
            "CI",
            "ICN-3",
            &[
                ("97110", "150", "0", &["CO*151*150"]),
                ("97140", "90", "0", &["CO*151*90"]),
            ],
            &[],
        )],
    );
    import(&store, "denied.835", &denied).unwrap();
    // On appeal the payer pays 97110 at the allowed amount; 97140 stays denied.
    let partly = file(
        2,
        ACME,
        "20261210",
        &[claim_for(
            "ACCT3",
            1,
            JANE,
            "CI",
            "ICN-3A",
            &[
                ("97110", "150", "110", &["CO*45*40"]),
                ("97140", "90", "0", &["CO*151*90"]),
            ],
            &[],
        )],
    );
    import(&store, "partly.835", &partly).unwrap();
    let item = &items(&store)[0];
    assert_eq!(item.status, Status::PartiallyPaid);
    assert_eq!(item.recovered_cents, 11000);
    assert_eq!(item.outstanding_cents(), 9000);
    let open: Vec<&str> = item.open_lines().map(|l| l.procedure.as_str()).collect();
    assert_eq!(open, vec!["97140"]);
}

#[test]
fn pr_non_covered_is_patient_responsibility_not_a_denial() {
    let (_dir, store) = temp_store();
    let text = file(
        1,
        ACME,
        "20261101",
        &[claim_for(
            "ACCT4",
            1,
            JANE,
            "CI",
            "ICN-4",
            &[("G0439", "175", "0", &["PR*96*175"])],
            &[],
        )],
    );
    import(&store, "pr96.835", &text).unwrap();
    let item = &items(&store)[0];
    assert_eq!(item.kind, ItemKind::PatientResponsibility);
    assert_eq!(item.carcs, vec!["PR-96"]);
    assert_eq!(item.outstanding_cents(), 17500);
    // Not in denial dollars: the first adjudication is a clean one.
    let days = store.adjudication_days().unwrap();
    assert_eq!(
        (days[0].claims, days[0].denied, days[0].denied_cents),
        (1, 0, 0)
    );
}

#[test]
fn ma130_has_no_appeal_deadline_but_a_resubmission_date_from_the_filing_limit() {
    let (_dir, store) = temp_store();
    let text = file(
        1,
        MEDICARE,
        "20261101",
        &[claim_for(
            "ACCT5",
            1,
            JANE,
            "MB",
            "ICN-5",
            &[("99214", "200", "0", &["CO*16*200"])],
            &["MOA***MA130*M51"],
        )],
    );
    import(&store, "ma130.835", &text).unwrap();
    let item = &items(&store)[0];
    assert!(!item.appealable());
    assert!(item.appeal_deadline.source.is_resubmission());
    // DOS 2026-10-01 + 365 days (Medicare default filing limit).
    assert_eq!(item.appeal_deadline.date.to_string(), "2027-10-01");
    assert_eq!(item.appeal_deadline.window_days, 365);
    // M51 (generic CARC 16): a coding problem.
    assert_eq!(item.category.key(), "coding");
}

#[test]
fn a_reversal_and_its_correction_with_new_payer_claim_numbers_match_the_original() {
    let (_dir, store) = temp_store();
    let paid = file(
        1,
        ACME,
        "20261101",
        &[claim_for(
            "ACCT6",
            1,
            JANE,
            "CI",
            "ICN-ORIG",
            &[("99214", "200", "0", &["CO*16*200"])],
            &[],
        )],
    );
    import(&store, "denied.835", &paid).unwrap();
    let corrected = file(
        2,
        ACME,
        "20261201",
        &[claim_for(
            "ACCT6",
            1,
            JANE,
            "CI",
            "ICN-NEW",
            &[("99214", "200", "150", &["CO*45*50"])],
            &[],
        )],
    );
    import(&store, "paid.835", &corrected).unwrap();
    let reversal = file(
        3,
        ACME,
        "20261215",
        &[
            claim_for(
                "ACCT6",
                22,
                JANE,
                "CI",
                "ICN-REV",
                &[("99214", "-200", "-150", &["CO*45*-50"])],
                &[],
            ),
            claim_for(
                "ACCT6",
                1,
                JANE,
                "CI",
                "ICN-CORR",
                &[("99214", "200", "160", &["CO*45*40"])],
                &[],
            ),
        ],
    );
    import(&store, "reprocessed.835", &reversal).unwrap();
    let all = items(&store);
    assert_eq!(all.len(), 1, "one claim whatever its CLP07");
    let item = &all[0];
    assert_eq!(store.claim_history(&item.key).unwrap().len(), 4);
    assert_eq!(item.status, Status::Paid);
    // $150 paid, taken back, then $160 on the correction.
    assert_eq!(item.recovered_cents, 16000);
    let cents: Vec<i64> = item.payments.iter().map(|p| p.cents).collect();
    assert_eq!(cents, vec![15000, -15000, 16000]);
}

#[test]
fn a_plb_recoupment_naming_a_claim_goes_on_its_timeline_and_money() {
    let (_dir, store) = temp_store();
    let denied = file(
        1,
        ACME,
        "20261101",
        &[claim_for(
            "ACCT7",
            1,
            JANE,
            "CI",
            "ICN-7",
            &[("99214", "200", "0", &["CO*197*200"])],
            &[],
        )],
    );
    import(&store, "denied.835", &denied).unwrap();
    let paid = file(
        2,
        ACME,
        "20261201",
        &[claim_for(
            "ACCT7",
            1,
            JANE,
            "CI",
            "ICN-7",
            &[("99214", "200", "150", &["CO*45*50"])],
            &[],
        )],
    );
    import(&store, "paid.835", &paid).unwrap();
    // Later the payer recoups $25.00 of it and pays $1.10 interest on another check.
    let mut body = header(ACME.0, ACME.1, "20261220", "TRN9");
    body.push("PLB*1234567893*20261231*WO:ACCT7*25*L6:ACCT7*-1.1".into());
    let plb = interchange(&STAR, 9, &[body]);
    import(&store, "plb.835", &plb).unwrap();
    let item = &items(&store)[0];
    // Interest is on the timeline, not recovered denied money.
    assert_eq!(item.recovered_cents, 15000 - 2500);
    let summaries: Vec<String> = store
        .timeline(&item.key)
        .unwrap()
        .iter()
        .map(|e| e.kind.summary())
        .collect();
    assert!(
        summaries
            .iter()
            .any(|s| s.starts_with("payer took back $25.00")
                && s.contains("WO overpayment recovery")),
        "{summaries:#?}"
    );
    assert!(
        summaries
            .iter()
            .any(|s| s.starts_with("payer paid $1.10") && s.contains("L6 interest")),
        "{summaries:#?}"
    );
}

#[test]
fn a_plb_naming_the_payers_claim_number_finds_the_claim() {
    let (_dir, store) = temp_store();
    let denied = file(
        1,
        ACME,
        "20261101",
        &[claim_for(
            "ACCT10",
            1,
            JANE,
            "CI",
            "ICN-10",
            &[("99214", "200", "0", &["CO*197*200"])],
            &[],
        )],
    );
    import(&store, "denied.835", &denied).unwrap();
    // Paid on appeal under a new payer claim number, then recouped naming that number.
    let paid = file(
        2,
        ACME,
        "20261201",
        &[claim_for(
            "ACCT10",
            1,
            JANE,
            "CI",
            "ICN-10B",
            &[("99214", "200", "150", &["CO*45*50"])],
            &[],
        )],
    );
    import(&store, "paid.835", &paid).unwrap();
    for (n, reference) in [(8, "ICN-10B"), (9, "ICN-10")] {
        let mut body = header(ACME.0, ACME.1, "20261220", &format!("TRN{n}"));
        body.push(format!("PLB*1234567893*20261231*WO:{reference}*10"));
        import(
            &store,
            &format!("plb{n}.835"),
            &interchange(&STAR, n, &[body]),
        )
        .unwrap();
    }
    let item = &items(&store)[0];
    assert_eq!(
        item.recovered_cents,
        15000 - 1000 - 1000,
        "both claim numbers name it"
    );
}

#[test]
fn a_plb_naming_several_claims_is_applied_to_none_and_says_so() {
    let (_dir, store) = temp_store();
    let denial = file(
        1,
        ACME,
        "20261101",
        &[
            claim_for(
                "ACCT8",
                1,
                JANE,
                "CI",
                "A",
                &[("99214", "250", "0", &["CO*197*250"])],
                &[],
            ),
            claim_for(
                "ACCT8",
                1,
                JOHN,
                "CI",
                "B",
                &[("99213", "180", "0", &["CO*50*180"])],
                &[],
            ),
        ],
    );
    import(&store, "two.835", &denial).unwrap();
    let mut body = header(ACME.0, ACME.1, "20261220", "TRN9");
    body.push("PLB*1234567893*20261231*WO:ACCT8*25".into());
    import(&store, "plb.835", &interchange(&STAR, 9, &[body])).unwrap();
    assert!(items(&store).iter().all(|i| i.recovered_cents == 0));
    let audit = store.audit_log().unwrap();
    assert!(audit.iter().any(|a| a
        .detail
        .contains("not applied to a claim: PLB WO:ACCT8 $25.00 names 2 claims")));
}
