//! A database written by the schema 8 release (`tests/fixtures/schema8`, made with that
//! release's binary: `import` of demo-data's cigna-01.835, bcbs-cob-payments.835,
//! medigap-crossover.835, claim-acknowledgments-02.277 and cigna-later-appeal-payments.835
//! with demo-data/payers.toml, a note on LMN101820, then `schema8.backup.jsonl` and
//! `show --json LMN101820` saved) opens under schema 9 with every claim moved into the
//! compressed blocks and read back exactly as that release printed it; a migration cut
//! short resumes; a damaged block is an error naming the claim, never a panic.

mod common;

use common::fixture_db::{copy_fixture_db, open_sled_when_free, stored_schema};
use denialdesk::store::{SledStore, Store, WorkStore, SCHEMA_VERSION};
use serde_json::Value;
use std::path::Path;

fn fixture_file(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/schema8")
            .join(name),
    )
    .unwrap()
}

/// The claim records of a backup (the file's text), in the order written.
fn claim_records(backup: &str) -> Vec<Value> {
    backup
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["record"] == "claim")
        .collect()
}

fn backup_of(store: &SledStore) -> String {
    let mut out = Vec::new();
    store.backup(&mut out, "test").unwrap();
    String::from_utf8(out).unwrap()
}

fn denialdesk(dir: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .arg("--db")
        .arg(db)
        .arg("--embedded")
        .args(args)
        .output()
        .unwrap()
}

/// (claim entries holding JSON, claim entries pointing into a block, blocks).
fn claim_layout(path: &Path) -> (usize, usize, usize) {
    let db = open_sled_when_free(path);
    let (mut json, mut located) = (0, 0);
    for entry in db.scan_prefix(b"c:") {
        let (_, v) = entry.unwrap();
        if v.first() == Some(&b'{') {
            json += 1;
        } else {
            assert_eq!(v.len(), 13, "a claim's entry is its block and position");
            located += 1;
        }
    }
    (json, located, db.scan_prefix(b"b:").count())
}

#[test]
fn a_schema_8_store_opens_under_schema_9_with_every_claim_in_blocks_and_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture_db("schema8", dir.path());
    assert_eq!(claim_layout(&path), (142, 0, 0));
    let out = denialdesk(
        dir.path(),
        &path,
        &["--verbose", "show", "--json", "LMN101820"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(
            "migrating the database from schema 8: storing the claims in compressed blocks"
        ),
        "{said}"
    );
    assert!(said.contains("142 of 142"), "{said}");
    // What the release printed for the claim, adjudications first: every segment's meaning.
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    let release: Value = serde_json::from_str(&fixture_file("LMN101820.show.json")).unwrap();
    for part in [
        "adjudications",
        "adjustments",
        "remarks",
        "work_item",
        "events",
        "notes",
    ] {
        assert_eq!(shown[part], release[part], "{part}");
    }
    assert_eq!(stored_schema(&path), SCHEMA_VERSION.to_string().as_bytes());
    // Every claim in a block, found by the claim index (schema 11): no `c:` key is left.
    let (json, located, blocks) = claim_layout(&path);
    assert_eq!((json, located), (0, 0));
    assert!(blocks >= 2, "142 claims fill more than one block of 128");
    assert!(open_sled_when_free(&path).scan_prefix(b"x:").count() > 0);

    // Every claim the release backed up, backed up again the same, in the same order.
    let store = SledStore::open(&path).unwrap();
    assert_eq!(
        claim_records(&backup_of(&store)),
        claim_records(&fixture_file("schema8.backup.jsonl"))
    );
}

#[test]
fn a_migration_cut_short_resumes_with_the_claims_it_had_not_moved() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture_db("schema8", dir.path());
    // As a crash midway leaves it: some claims moved, the rest still JSON, schema 8. Made
    // by setting a third of the claims aside, opening (which moves the others), then putting
    // them back as they were.
    let release = claim_records(&fixture_file("schema8.backup.jsonl"));
    let mut aside = Vec::new();
    {
        let db = sled::open(&path).unwrap();
        for record in release.iter().step_by(3) {
            let key = format!(
                "c:{}\0{:016x}",
                record["claim_id"].as_str().unwrap(),
                record["seq"].as_u64().unwrap()
            );
            let json = db.remove(&key).unwrap().expect("a schema 8 claim");
            aside.push((key, json));
        }
        db.flush().unwrap();
    }
    drop(SledStore::open(&path).unwrap());
    {
        let db = open_sled_when_free(&path);
        for (key, json) in aside {
            db.insert(key, json).unwrap();
        }
        db.insert(b"m:schema", b"8".to_vec()).unwrap();
        db.flush().unwrap();
    }
    assert_eq!(claim_layout(&path).0, 48);
    let store = SledStore::open(&path).unwrap();
    assert_eq!(claim_records(&backup_of(&store)), release);
    drop(store);
    assert_eq!(claim_layout(&path).0, 0);
    assert_eq!(stored_schema(&path), SCHEMA_VERSION.to_string().as_bytes());
}

#[test]
fn a_damaged_block_is_an_error_that_names_the_claim() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture_db("schema8", dir.path());
    let store = SledStore::open(&path).unwrap();
    let key = store.work_item("LMN101820").unwrap().unwrap().key;
    assert!(!store.claim_history(&key).unwrap().is_empty());
    drop(store);
    {
        let db = open_sled_when_free(&path);
        let blocks: Vec<_> = db.scan_prefix(b"b:").keys().map(|k| k.unwrap()).collect();
        for block in blocks {
            let mut value = db.get(&block).unwrap().unwrap().to_vec();
            let middle = value.len() / 2;
            value.truncate(middle);
            db.insert(block, value).unwrap();
        }
        db.flush().unwrap();
    }
    let store = SledStore::open(&path).unwrap();
    let err = store.claim_history(&key).unwrap_err().to_string();
    assert!(err.contains(key.as_str()), "{err}");
    assert!(err.contains("block"), "{err}");
    // The worklist itself still opens: only the adjudications are unreadable.
    assert!(store.list_rows().unwrap().iter().any(|r| r.key == key));
}
