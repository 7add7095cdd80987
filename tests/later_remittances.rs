//! What a later remittance does to a claim already being worked, as a billing expert
//! reads it: corrected member ids and modifiers, identical lines, new denials on a paid
//! claim, reprocessing without payment, COB settled by the right payer, duplicates of a
//! paid claim, a reversal that takes nothing back. Every amount to the cent.

mod common;

use common::remits::*;
use common::*;
use denialdesk::domain::rarc::AppealRights;
use denialdesk::domain::status::Status;
use denialdesk::domain::work_item::{ItemKind, RowFields, WorkItem};
use denialdesk::store::{SledStore, WorkStore};

const BCBS: (&str, &str) = ("BLUE CROSS", "00590");

fn only_item(store: &SledStore) -> WorkItem {
    let items = store.work_items().unwrap();
    assert_eq!(items.len(), 1, "{items:#?}");
    items.into_iter().next().unwrap()
}

/// Imports remittances in order into a fresh store.
fn after(files: &[String]) -> (tempfile::TempDir, SledStore) {
    let (dir, store) = temp_store();
    for (n, text) in files.iter().enumerate() {
        import(&store, &format!("r{n}.835"), text).unwrap();
    }
    (dir, store)
}

#[test]
fn a_corrected_member_id_pays_the_denial_it_fixes() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "A1",
                1,
                ("DOE", "JANE", "W1OO"),
                "CI",
                "I1",
                &[("99214", "200", "0", &["CO*31*200"])],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[claim_for(
                "A1",
                1,
                JANE,
                "CI",
                "I2",
                &[("99214", "200", "150", &["CO*45*50"])],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!(
        (item.status, item.recovered_cents, item.outstanding_cents()),
        (Status::Paid, 15000, 0)
    );
}

#[test]
fn a_remark_on_one_line_takes_appeal_rights_from_that_line_only() {
    let (_d, store) = after(&[file(
        1,
        MEDICARE,
        "20261101",
        &[claim_for(
            "A2",
            1,
            JANE,
            "MB",
            "I1",
            &[
                ("99214", "200", "0", &["CO*50*200"]),
                ("93000", "100", "0", &["CO*16*100"]),
            ],
            &[],
        )
        .into_iter()
        .chain(["LQ*HE*MA130".to_string()])
        .collect()],
    )]);
    let item = only_item(&store);
    assert_eq!(
        item.appeal_rights,
        AppealRights::Appealable,
        "the CO-50 line can be appealed"
    );
    // Its appeal clock: remittance 2026-11-01 + Medicare's 120-day default.
    assert_eq!(item.appeal_deadline.date.to_string(), "2027-03-01");
    // …and the MA130 line must be corrected by the filing limit: DOS + 365.
    assert_eq!(item.appeal_by().unwrap().date.to_string(), "2027-03-01");
    assert_eq!(item.resubmit_by().unwrap().date.to_string(), "2027-10-01");
}

#[test]
fn two_identical_lines_stay_two_lines() {
    let first = &[
        ("97110", "80", "80", &[][..]),
        ("97110", "100", "0", &["CO*151*100"][..]),
    ];
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for("A3", 1, JANE, "CI", "I1", first, &[])],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[claim_for("A3", 1, JANE, "CI", "I2", first, &[])],
        ),
    ]);
    let item = only_item(&store);
    // Paid again only on the line that was never denied: the second 97110 is denied again.
    assert_eq!((item.status, item.times_denied), (Status::New, 2));
    assert_eq!((item.recovered_cents, item.outstanding_cents()), (0, 10000));
}

#[test]
fn a_corrected_modifier_is_the_same_line() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "A4",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["CO*4*200"])],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[claim_for(
                "A4",
                1,
                JANE,
                "CI",
                "I2",
                &[("99214:25", "200", "150", &["CO*45*50"])],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!((item.status, item.outstanding_cents()), (Status::Paid, 0));
}

#[test]
fn a_new_denial_on_a_later_remittance_is_added_not_lost() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "A5",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["CO*16*200"])],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[claim_for(
                "A5",
                1,
                JANE,
                "CI",
                "I2",
                &[
                    ("99214", "200", "150", &["CO*45*50"]),
                    ("36415", "30", "0", &["CO*97*30"]),
                ],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!(item.status, Status::PartiallyPaid);
    assert_eq!((item.denied_cents, item.outstanding_cents()), (23000, 3000));
    assert!(item.carcs.iter().any(|c| c == "CO-97"), "{:?}", item.carcs);
}

#[test]
fn a_denied_claim_explained_by_patient_non_covered_care_is_the_patients() {
    let (_d, store) = after(&[file(
        1,
        ACME,
        "20261101",
        &[claim_for(
            "A6",
            4,
            JANE,
            "CI",
            "I1",
            &[("G0439", "200", "0", &["PR*204*200"])],
            &[],
        )],
    )]);
    let item = only_item(&store);
    assert_eq!(item.kind, ItemKind::PatientResponsibility);
    assert_eq!(item.carcs, vec!["PR-204"]);
}

#[test]
fn an_overturned_denial_applied_to_the_deductible_is_resolved() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "A7",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["CO*50*200"])],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261215",
            &[claim_for(
                "A7",
                1,
                JANE,
                "CI",
                "I2",
                &[("99214", "200", "0", &["CO*45*80", "PR*1*120"])],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!((item.status, item.outstanding_cents()), (Status::Paid, 0));
    let why = store
        .timeline(&item.key)
        .unwrap()
        .last()
        .unwrap()
        .kind
        .summary();
    assert!(why.contains("the balance is the patient's (PR-1)"), "{why}");
}

#[test]
fn a_denial_moved_to_patient_responsibility_becomes_patient_work_not_upheld() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "A8",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["CO*50*200"])],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261215",
            &[claim_for(
                "A8",
                1,
                JANE,
                "CI",
                "I2",
                &[("99214", "200", "0", &["PR*204*200"])],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    // Not a payer denial any more, not lost either: the patient's to bill.
    assert_eq!(item.kind, ItemKind::PatientResponsibility);
    assert_eq!(
        (item.status, item.outstanding_cents()),
        (Status::InProgress, 20000)
    );
    assert_eq!(item.carcs, vec!["CO-50", "PR-204"]);
}

#[test]
fn a_cob_denial_is_settled_when_the_right_payer_adjudicates_it() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "A9",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["OA*22*200"])],
                &[],
            )],
        ),
        file(
            2,
            BCBS,
            "20261201",
            &[claim_for(
                "A9",
                1,
                ("DOE", "JANE", "BC-1"),
                "BL",
                "B1",
                &[("99214", "200", "120", &["CO*45*50", "PR*2*30"])],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!((item.status, item.outstanding_cents()), (Status::Paid, 0));
    let last = store.timeline(&item.key).unwrap();
    assert!(last.iter().any(|e| e
        .kind
        .summary()
        .contains("coordination-of-benefits denial is settled")));
}

#[test]
fn a_duplicate_denial_of_a_paid_claim_reopens_nothing() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "B1",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["CO*16*200"])],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[claim_for(
                "B1",
                1,
                JANE,
                "CI",
                "I2",
                &[("99214", "200", "150", &["CO*45*50"])],
                &[],
            )],
        ),
        file(
            3,
            ACME,
            "20261215",
            &[claim_for(
                "B1",
                1,
                JANE,
                "CI",
                "I3",
                &[("99214", "200", "0", &["CO*18*200"])],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!(
        (item.status, item.recovered_cents, item.outstanding_cents()),
        (Status::Paid, 15000, 0)
    );
}

#[test]
fn a_reversal_taking_nothing_back_after_the_correction_changes_nothing() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "B2",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["CO*16*200"])],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[
                claim_for(
                    "B2",
                    1,
                    JANE,
                    "CI",
                    "I2",
                    &[("99214", "200", "150", &["CO*45*50"])],
                    &[],
                ),
                claim_for(
                    "B2",
                    22,
                    JANE,
                    "CI",
                    "I3",
                    &[("99214", "-200", "0", &["CO*16*-200"])],
                    &[],
                ),
            ],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!(
        (item.status, item.recovered_cents, item.outstanding_cents()),
        (Status::Paid, 15000, 0)
    );
}

#[test]
fn routine_adjustments_the_table_now_knows_open_nothing() {
    let (_d, store) = after(&[file(
        1,
        ACME,
        "20261101",
        &[claim_for(
            "B3",
            1,
            JANE,
            "CI",
            "I1",
            &[(
                "99214",
                "200",
                "150",
                &["CO*B10*20", "OA*209*10", "CO*245*20"],
            )],
            &[],
        )],
    )]);
    assert!(store.work_items().unwrap().is_empty());
}

#[test]
fn a_reversal_listed_after_its_correction_leaves_the_claim_paid() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "C1",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["CO*16*200"])],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[claim_for(
                "C1",
                1,
                JANE,
                "CI",
                "I2",
                &[("99214", "200", "100", &["CO*45*100"])],
                &[],
            )],
        ),
        file(
            3,
            ACME,
            "20261215",
            &[
                claim_for(
                    "C1",
                    1,
                    JANE,
                    "CI",
                    "I3",
                    &[("99214", "200", "80", &["CO*45*120"])],
                    &[],
                ),
                claim_for(
                    "C1",
                    22,
                    JANE,
                    "CI",
                    "I4",
                    &[("99214", "-200", "-100", &["CO*45*-100"])],
                    &[],
                ),
            ],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!(
        (item.status, item.recovered_cents, item.outstanding_cents()),
        (Status::Paid, 8000, 0)
    );
}

#[test]
fn paying_only_the_other_lines_is_a_denial_again_not_a_partial_payment() {
    let lines = &[
        ("99214", "200", "150", &["CO*45*50"][..]),
        ("36415", "30", "0", &["CO*97*30"][..]),
    ];
    let (_d, store) = temp_store();
    import(
        &store,
        "r0.835",
        &file(
            1,
            ACME,
            "20261101",
            &[claim_for("C2", 1, JANE, "CI", "I1", lines, &[])],
        ),
    )
    .unwrap();
    let key = only_item(&store).key;
    store
        .apply(
            &key,
            &denialdesk::domain::action::WorkAction::FileAppeal {
                packet: Default::default(),
                level: 1,
                channel: denialdesk::domain::appeal::Channel::Fax,
                submitted: chrono::NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
                response_due: chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                documents: String::new(),
            },
            chrono::NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
            "maria",
        )
        .unwrap();
    import(
        &store,
        "r1.835",
        &file(
            2,
            ACME,
            "20261201",
            &[claim_for("C2", 1, JANE, "CI", "I2", lines, &[])],
        ),
    )
    .unwrap();
    let item = only_item(&store);
    assert_eq!(
        (item.status, item.times_denied, item.recovered_cents),
        (Status::Upheld, 2, 0)
    );
    // The denial again is the open appeal's answer: upheld, and level 2 opens.
    assert_eq!(item.status_label(), "upheld-l1");
}

#[test]
fn a_plb_on_a_clp01_two_patients_share_is_not_guessed() {
    let (_d, store) = after(&[file(
        1,
        ACME,
        "20261101",
        &[
            claim_for(
                "C3",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["CO*50*200"])],
                &[],
            ),
            claim_for(
                "C3",
                1,
                JOHN,
                "CI",
                "I2",
                &[("99213", "400", "400", &[])],
                &[],
            ),
        ],
    )]);
    let mut body = header(ACME.0, ACME.1, "20261220", "TRN9");
    body.push("PLB*1234567893*20261231*WO:C3*400".into());
    import(&store, "plb.835", &interchange(&STAR, 9, &[body])).unwrap();
    assert_eq!(
        only_item(&store).recovered_cents,
        0,
        "John's recoupment is not Jane's"
    );
}

#[test]
fn identical_codes_listed_in_another_order_keep_their_money_apart() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "C4",
                1,
                JANE,
                "CI",
                "I1",
                &[
                    ("97110", "100", "0", &["CO*151*100"]),
                    ("97110", "80", "80", &[]),
                ],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[claim_for(
                "C4",
                1,
                JANE,
                "CI",
                "I2",
                &[
                    ("97110", "80", "80", &[]),
                    ("97110", "100", "0", &["CO*151*100"]),
                ],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!(
        (
            item.denied_cents,
            item.recovered_cents,
            item.outstanding_cents()
        ),
        (10000, 0, 10000)
    );
    assert_eq!(item.status, Status::New, "denied again, still new");
}

#[test]
fn a_corrected_procedure_code_is_matched_when_it_is_the_only_candidate() {
    // 99215 denied (M51: wrong code); the corrected claim bills 99214 on that day: the
    // one line left is the correction.
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "C5",
                1,
                JANE,
                "CI",
                "I1",
                &[("99215", "300", "0", &["CO*16*300"])],
                &["MOA***M51"],
            )],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[claim_for(
                "C5",
                1,
                JANE,
                "CI",
                "I2",
                &[("99214", "200", "150", &["CO*45*50"])],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!((item.status, item.outstanding_cents()), (Status::Paid, 0));
    // With another line on the same day it could be either: not guessed, left open.
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "C6",
                1,
                JANE,
                "CI",
                "I1",
                &[
                    ("93000", "50", "40", &["CO*45*10"]),
                    ("99215", "300", "0", &["CO*16*300"]),
                ],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[claim_for(
                "C6",
                1,
                JANE,
                "CI",
                "I2",
                &[
                    ("93000", "50", "40", &["CO*45*10"]),
                    ("99214", "200", "150", &["CO*45*50"]),
                ],
                &[],
            )],
        ),
    ]);
    assert_eq!(only_item(&store).outstanding_cents(), 30000);
}

#[test]
fn the_right_payer_settles_a_cob_denial_but_only_its_payment_counts_as_paid() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "C6",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["OA*22*200"])],
                &[],
            )],
        ),
        file(
            2,
            BCBS,
            "20261201",
            &[claim_for(
                "C6",
                1,
                ("DOE", "JANE", "BC-1"),
                "BL",
                "B1",
                &[("99214", "200", "80", &["CO*45*70", "PR*2*50"])],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!(
        (
            item.status,
            item.other_payer_cents,
            item.outstanding_cents()
        ),
        (Status::Paid, 8000, 0)
    );
    // …and the right payer applying it all to the deductible settles it too.
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "C7",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["OA*22*200"])],
                &[],
            )],
        ),
        file(
            2,
            BCBS,
            "20261201",
            &[claim_for(
                "C7",
                1,
                ("DOE", "JANE", "BC-1"),
                "BL",
                "B1",
                &[("99214", "200", "0", &["CO*45*70", "PR*1*130"])],
                &[],
            )],
        ),
    ]);
    let item = only_item(&store);
    assert_eq!(
        (
            item.status,
            item.other_payer_cents,
            item.outstanding_cents()
        ),
        (Status::Paid, 0, 0)
    );
}

#[test]
fn a_recoupment_of_everything_recovered_reopens_the_claim() {
    let (_d, store) = after(&[
        file(
            1,
            ACME,
            "20261101",
            &[claim_for(
                "C8",
                1,
                JANE,
                "CI",
                "I1",
                &[("99214", "200", "0", &["CO*16*200"])],
                &[],
            )],
        ),
        file(
            2,
            ACME,
            "20261201",
            &[claim_for(
                "C8",
                1,
                JANE,
                "CI",
                "I2",
                &[("99214", "200", "60", &["CO*45*140"])],
                &[],
            )],
        ),
    ]);
    let mut body = header(ACME.0, ACME.1, "20261220", "TRN9");
    body.push("PLB*1234567893*20261231*WO:C8*60".into());
    let report = import(&store, "plb.835", &interchange(&STAR, 9, &[body])).unwrap();
    assert_eq!(report.denials_updated, 1);
    let item = only_item(&store);
    assert_eq!(
        (item.status, item.recovered_cents, item.outstanding_cents()),
        (Status::InProgress, 0, 20000)
    );
}

#[test]
fn a_denied_claim_partly_explained_by_patient_non_covered_care_keeps_the_payer_denial() {
    let (_d, store) = after(&[file(
        1,
        ACME,
        "20261101",
        &[claim_for(
            "C9",
            4,
            JANE,
            "CI",
            "I1",
            &[
                ("99214", "200", "0", &[]),
                ("G0439", "100", "0", &["PR*96*100"]),
            ],
            &[],
        )],
    )]);
    let item = only_item(&store);
    assert_eq!((item.kind, item.denied_cents), (ItemKind::Denial, 20000));
}
