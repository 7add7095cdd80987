//! A database written by the schema 3 release (CLP01-keyed, `tests/fixtures/schema3`,
//! made with that release's binary from `first.835`, then a note and an assignment)
//! opens under the current schema with nothing lost, and the claims it had merged come apart.
//! The same release's backup (format 1) restores to the same worklist.

mod common;

use common::*;
use denialdesk::store::{SledStore, StoreError, WorkStore};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema3")
}

/// A private copy of the fixture database (git keeps no empty folders: sled's `blobs`
/// is made again).
fn copy_fixture_db(into: &Path) -> PathBuf {
    let to = into.join("db");
    std::fs::create_dir_all(to.join("blobs")).unwrap();
    for entry in std::fs::read_dir(fixture().join("db")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
    to
}

fn claim(
    pcn: &str,
    status: u8,
    billed: &str,
    paid: &str,
    who: (&str, &str, &str),
    cas: &str,
) -> Vec<String> {
    vec![
        format!("CLP*{pcn}*{status}*{billed}*{paid}**CI*ICN-{pcn}-2*11*1"),
        format!("NM1*QC*1*{}*{}****MI*{}", who.0, who.1, who.2),
        "DTM*232*20261001".into(),
        format!("SVC*HC:99213*{billed}*{paid}**1"),
        "DTM*472*20261001".into(),
        format!("CAS*{cas}"),
    ]
}

/// The database opened raw, once the store dropped a moment ago has let go of its lock
/// (sled's flusher holds it briefly).
fn raw(path: &Path) -> sled::Db {
    (0..200)
        .find_map(|_| {
            sled::open(path)
                .map_err(|_| std::thread::sleep(std::time::Duration::from_millis(10)))
                .ok()
        })
        .expect("the store let go of its lock within 2 s")
}

const JOHN: (&str, &str, &str) = ("ROE", "JOHN", "W200");

#[test]
fn a_schema_3_database_migrates_keeping_every_action_and_splitting_merged_claims() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture_db(dir.path());
    let store = SledStore::open(&path).unwrap();
    let items = store.work_items().unwrap();
    assert_eq!(items.len(), 2, "the two work items schema 3 had");
    assert!(items.iter().all(|i| i.key.contains('#')));
    // ACCT9: the note and the assignment survive, under its new key.
    let acct9 = store.work_item("ACCT9").unwrap().unwrap();
    assert_eq!(acct9.owner.as_deref(), Some("maria"));
    assert_eq!(acct9.outstanding_cents(), 10000);
    let timeline = store.timeline(&acct9.key).unwrap();
    assert!(timeline
        .iter()
        .any(|e| e.kind.summary().contains("resubmit with modifier")));
    assert!(timeline.iter().all(|e| e.key == acct9.key));
    assert_eq!(store.claim_history("ACCT9").unwrap().len(), 1);
    // ACCT1: schema 3 merged John's denial into Jane's item. Jane keeps the item; John's
    // claim is filed under its own key (no work item, so "ACCT1" still names Jane's).
    let jane = items.iter().find(|i| i.claim_id == "ACCT1").unwrap();
    assert_eq!(jane.patient_name, "DOE, JANE");
    assert_eq!(store.work_item("ACCT1").unwrap().unwrap().key, jane.key);
    assert_eq!(store.claim_history(&jane.key).unwrap().len(), 1);
    assert_list_rows_match(&store);
    // Schema 5: the day counts are rebuilt from the adjudications, with the gross charges
    // of denied claims and the denominators by facility and procedure.
    let days = store.adjudication_days().unwrap();
    assert!(days.iter().map(|d| d.denied).sum::<u64>() > 0);
    for d in &days {
        assert!(
            d.denied == 0 || d.denied_billed_cents >= d.denied_cents.max(1),
            "{d:?}"
        );
        assert_eq!(d.by_facility.values().sum::<u64>(), d.claims, "{d:?}");
        assert!(d.primary <= d.claims);
    }

    // From now on John's remittances are John's: his payment leaves Jane's denial alone,
    // and his next denial opens his own item.
    let mut body = header("ACME HEALTH", "60054", "20261201", "T2");
    body.extend(claim("ACCT1", 1, "180", "150", JOHN, "CO*45*30"));
    import(&store, "john-paid.835", &interchange(&STAR, 2, &[body])).unwrap();
    let jane_now = store.work_item(&jane.key).unwrap().unwrap();
    assert_eq!(jane_now.recovered_cents, 0);
    assert_eq!(jane_now.status, jane.status);
    let mut body = header("ACME HEALTH", "60054", "20261215", "T3");
    body.extend(claim("ACCT1", 1, "95", "0", JOHN, "CO*197*95"));
    let report = import(&store, "john-denied.835", &interchange(&STAR, 3, &[body])).unwrap();
    assert_eq!(report.denials_opened, 1);
    assert_eq!(store.work_items().unwrap().len(), 3);
    let err = store.work_item("ACCT1").unwrap_err();
    assert!(matches!(err, StoreError::Ambiguous { .. }), "{err}");
    let john = ["ACCT1@1", "ACCT1@2"]
        .iter()
        .map(|r| store.work_item(r).unwrap().unwrap())
        .find(|i| i.key != jane.key)
        .unwrap();
    assert_eq!(
        (john.patient_name.as_str(), john.denied_cents),
        ("ROE, JOHN", 9500)
    );
    assert_eq!(
        store.claim_history(&john.key).unwrap().len(),
        3,
        "his three remittances"
    );
    drop(store);
    let db = raw(&path);
    assert_eq!(
        &db.get(b"m:schema").unwrap().unwrap()[..],
        denialdesk::store::SCHEMA_VERSION.to_string().as_bytes()
    );
}

#[test]
fn a_format_1_backup_restores_to_the_migrated_worklist() {
    let dir = tempfile::tempdir().unwrap();
    let migrated = SledStore::open(&copy_fixture_db(dir.path())).unwrap();
    let backup = std::fs::read(fixture().join("schema3.backup.jsonl")).unwrap();
    let restored_path = dir.path().join("restored");
    SledStore::restore(
        &restored_path,
        &mut backup.as_slice(),
        "schema3.backup.jsonl",
        "ops",
    )
    .unwrap();
    let restored = SledStore::open(&restored_path).unwrap();
    let strip = |store: &SledStore| -> Vec<(i64, String, String, String)> {
        store
            .work_items()
            .unwrap()
            .into_iter()
            .map(|i| {
                (
                    i.outstanding_cents(),
                    i.status.to_string(),
                    i.key.into(),
                    i.patient_name.into(),
                )
            })
            .collect()
    };
    assert_eq!(strip(&restored), strip(&migrated));
    for item in migrated.work_items().unwrap() {
        assert_eq!(
            restored.timeline(&item.key).unwrap().len(),
            migrated.timeline(&item.key).unwrap().len()
        );
    }
    assert_list_rows_match(&restored);
}

#[test]
fn a_claim_upheld_under_schema_4_stays_closed_as_final_upheld_and_it_is_audited() {
    use denialdesk::domain::action::WorkAction;
    use denialdesk::domain::appeal::{AppealResult, Channel};
    use denialdesk::domain::status::Status;
    use denialdesk::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    {
        let store = SledStore::open(&path).unwrap();
        let body = set(&[
            header("AETNA", "60054", "20261101", "T1"),
            common::claim("C1", 1, "1240", "0", &["CO*197*1240"]),
        ]);
        import(&store, "remit.835", &interchange(&STAR, 1, &[body])).unwrap();
        let filed = WorkAction::FileAppeal {
            packet: Default::default(),
            level: 1,
            channel: Channel::Fax,
            submitted: today,
            response_due: today,
            documents: String::new(),
        };
        store.apply("C1", &filed, today, "maria").unwrap();
        // Schema 4 had one upheld status, and counted it resolved.
        let upheld = WorkAction::DecideAppeal {
            result: AppealResult::Upheld,
            decided: today,
            amount_cents: 0,
            next_level: None,
        };
        let item = store.apply("C1", &upheld, today, "maria").unwrap();
        assert_eq!(item.status, Status::FinalUpheld);
        // Written as schema 4 would have: status upheld, schema 4.
        let reopened = WorkAction::ChangeStatus {
            to: Status::InProgress,
            reason: None,
        };
        store.apply("C1", &reopened, today, "maria").unwrap();
        let resubmitted = WorkAction::ChangeStatus {
            to: Status::Resubmitted,
            reason: None,
        };
        store.apply("C1", &resubmitted, today, "maria").unwrap();
        let decided = WorkAction::ChangeStatus {
            to: Status::Upheld,
            reason: None,
        };
        store.apply("C1", &decided, today, "maria").unwrap();
    }
    {
        let db = raw(&path);
        db.insert(b"m:schema", &b"4"[..]).unwrap();
        db.flush().unwrap();
    }
    let store = SledStore::open(&path).unwrap();
    let item = store.work_item("C1").unwrap().unwrap();
    assert_eq!(item.status, Status::FinalUpheld);
    assert!(item.resolved_on.is_some());
    assert_list_rows_match(&store);
    let audit = store.audit_log().unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.action, "migrate");
    assert!(last.detail.contains("final-upheld"), "{}", last.detail);
    assert!(last.changes.iter().any(|c| c.field == "status"));
}
