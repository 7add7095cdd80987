//! A team client that read the worklist snapshot's chunks beside the database
//! (`store::rows_delta`) gets only the rows marked since from the server, and opens on
//! exactly the worklist a client asking for every row gets; a file of another snapshot,
//! a damaged one or none at all falls back to every row.

mod common;

use chrono::NaiveDate;
use common::server::*;
use common::*;
use denialdesk::domain::action::WorkAction;
use denialdesk::store::rows_delta::BesideAhead;
use denialdesk::store::{SledStore, Store, WorkStore};
use denialdesk::team::client::RemoteStore;
use denialdesk::team::protocol::{receive, send, Request, Response};
use std::path::{Path, PathBuf};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// 400 denials (several snapshot chunks), imported embedded: the import writes the
/// snapshot and the file beside it.
fn database(dir: &Path) -> PathBuf {
    let db = dir.join("db");
    let store = SledStore::open(&db).unwrap();
    let mut body = header("AETNA", "60054", "20261101", "T1");
    // Patients and amounts that differ as real ones do: rows this alike but for their
    // claim ids pack ~10× smaller, and a file unpacking to over 8× its size is not read.
    let mut seed = 0x2545_f491_u64;
    let mut letters = |n: usize| -> String {
        (0..n)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'A' + (seed >> 59) as u8 % 26)
            })
            .collect()
    };
    for i in 0..400 {
        let billed = format!("{}.{:02}", 100 + i * 37 % 900, i % 100);
        let mut lines = claim(
            &format!("D{i:03}"),
            1,
            &billed,
            "0",
            &[&format!("CO*197*{billed}")],
        );
        lines[1] = format!(
            "NM1*QC*1*{}*{}****MI*{}",
            letters(9),
            letters(6),
            letters(11)
        );
        lines[2] = format!("NM1*82*1*{}*{}****XX*1111111112", letters(8), letters(5));
        body.extend(lines);
    }
    import(&store, "seed.835", &interchange(&STAR, 1, &[body])).unwrap();
    assert!(
        db.join("worklist.rows").is_file(),
        "the import wrote the file"
    );
    db
}

/// What the server answers to `list_row_marks` for the snapshot the file holds now
/// (`None`: `no_row_marks`): how many marked rows it would send.
fn marks_for_the_file(db: &Path) -> Option<usize> {
    let snapshot = BesideAhead::start(db)
        .take()
        .expect("a usable file")
        .identity();
    marks_for(db, &snapshot)
}

fn marks_for(db: &Path, snapshot: &str) -> Option<usize> {
    let (mut out, mut input) = hello(db);
    let request = Request::ListRowMarks {
        snapshot: snapshot.to_string(),
    };
    send(&mut out, &request).unwrap();
    match receive::<Response>(&mut input).unwrap().unwrap() {
        Response::RowMarks { marks, .. } => Some(marks),
        Response::NoRowMarks => None,
        other => panic!("{other:?}"),
    }
}

/// A client as the UI opens one: the file read ahead.
fn reading_ahead(db: &Path) -> RemoteStore {
    let remote = RemoteStore::connect(db).unwrap();
    remote.read_rows_ahead(BesideAhead::start(db));
    remote
}

/// A client reading ahead gets `every_row`, asked of the server, not from the file.
fn assert_every_row_asked_for(db: &Path, every_row: &[denialdesk::domain::list_row::ListRow]) {
    let client = reading_ahead(db);
    assert_eq!(client.list_rows().unwrap(), every_row);
    assert!(!client.opened_beside());
}

fn save(store: &dyn Store, claim: &str, owner: &str) {
    store
        .apply(
            claim,
            &WorkAction::Assign(Some(owner.into())),
            today(),
            "maria",
        )
        .unwrap();
}

#[test]
fn a_client_holding_the_snapshot_opens_on_the_marked_rows_and_the_same_worklist() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    {
        let store = SledStore::open(&db).unwrap();
        for (claim, owner) in [("D000", "devon"), ("D200", "lee"), ("D399", "sam")] {
            save(&store, claim, owner);
        }
    }
    let _server = start_server(&db);
    assert_eq!(marks_for_the_file(&db), Some(3), "only the saved rows");
    let every_row = RemoteStore::connect(&db).unwrap().list_rows().unwrap();
    let ahead = reading_ahead(&db);
    let items = ahead.list_rows().unwrap();
    assert!(ahead.opened_beside(), "the file and the marks were used");
    assert_eq!(items, every_row);
    assert_eq!(items.len(), 400);
    let owner = |claim: &str| {
        items
            .iter()
            .find(|i| i.claim_id == claim)
            .and_then(|i| i.owner.as_deref().map(str::to_string))
    };
    assert_eq!(owner("D200").as_deref(), Some("lee"));
    assert_eq!(owner("D201"), None);
    // Only the first load reads the file; later ones ask for every row, saves included.
    save(&ahead, "D100", "kim");
    let again = ahead.list_rows().unwrap();
    assert_eq!(
        again,
        RemoteStore::connect(&db).unwrap().list_rows().unwrap()
    );
    assert!(again != items, "the save shows");
    // A new client reads the file again and gets the save among the marked rows.
    assert_eq!(marks_for_the_file(&db), Some(4));
    let next = reading_ahead(&db);
    assert_eq!(next.list_rows().unwrap(), again);
    assert!(next.opened_beside());
    assert_list_rows_match(&ahead);
}

#[test]
fn a_file_of_another_snapshot_a_damaged_one_or_none_falls_back_to_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let file = db.join("worklist.rows");
    let old = std::fs::read(&file).unwrap();
    {
        // More saves than 400 rows' snapshot allows marks for: the next open rebuilds
        // it, and the old file names a snapshot gone.
        let store = SledStore::open(&db).unwrap();
        for n in 0..30 {
            save(&store, &format!("D{n:03}"), "devon");
        }
    }
    drop(SledStore::open(&db).unwrap());
    assert!(std::fs::read(&file).unwrap() != old, "rebuilt");
    let _server = start_server(&db);
    let every_row = RemoteStore::connect(&db).unwrap().list_rows().unwrap();
    assert_eq!(every_row.len(), 400);
    assert_eq!(every_row[29].owner.as_deref(), Some("devon"));

    std::fs::write(&file, &old).unwrap();
    assert_eq!(
        marks_for_the_file(&db),
        None,
        "the server has another snapshot"
    );
    assert_every_row_asked_for(&db, &every_row);

    // Damaged: the file's check fails, nothing is asked about it.
    let mut torn = old.clone();
    torn.truncate(old.len() / 2);
    std::fs::write(&file, &torn).unwrap();
    assert!(BesideAhead::start(&db).take().is_none());
    assert_every_row_asked_for(&db, &every_row);

    std::fs::remove_file(&file).unwrap();
    assert_every_row_asked_for(&db, &every_row);

    // Nonsense for an identity is no snapshot at all.
    for nonsense in ["", "zz", "00", &"ab".repeat(400)] {
        assert_eq!(marks_for(&db, nonsense), None, "{nonsense}");
    }
}

/// The UI reads the file only when it starts the server (and so waits for it to open the
/// database); a running server sends every row sooner from its cache.
#[test]
fn a_ui_starting_the_server_opens_beside_and_one_finding_it_running_asks_the_server() {
    use denialdesk::team::autostart::connect_or_start_with;
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    save(&SledStore::open(&db).unwrap(), "D123", "devon");
    let exe = Path::new(env!("CARGO_BIN_EXE_denialdesk"));
    let starting = connect_or_start_with(&db, 1, exe, true).unwrap();
    let items = starting.list_rows().unwrap();
    assert!(starting.opened_beside(), "it started the server");
    let finding = connect_or_start_with(&db, 1, exe, true).unwrap();
    assert_eq!(finding.list_rows().unwrap(), items);
    assert!(!finding.opened_beside(), "the server was running");
    assert_eq!(items.len(), 400);
    assert!(items
        .iter()
        .any(|i| i.claim_id == "D123" && i.owner.as_deref() == Some("devon")));
}
