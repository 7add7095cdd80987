//! A database written by the schema 9 release (`tests/fixtures/schema9`, see
//! `store_migration_v10.rs`), which keeps one `c:` key per adjudication pointing into its
//! block, opens under schema 11 with every adjudication moved into the claim index's
//! buckets: no `c:` key is left, the backup names the same adjudications in the same
//! order, and a claim is shown with its whole history.

mod common;

use common::cli_env::Env;
use common::fixture_db::{copy_fixture_db, open_sled_when_free, stored_schema};
use denialdesk::store::{SledStore, Store, SCHEMA_VERSION};
use serde_json::Value;

/// The (key, seq) of every `c:` entry, in key order.
fn claim_entries(db: &sled::Db) -> Vec<(String, u64)> {
    db.scan_prefix(b"c:")
        .keys()
        .map(|k| {
            let k = k.unwrap();
            let text = std::str::from_utf8(&k[2..]).unwrap();
            let (key, seq) = text.split_once('\0').unwrap();
            (key.to_string(), u64::from_str_radix(seq, 16).unwrap())
        })
        .collect()
}

#[test]
fn a_schema_9_store_opens_with_every_claim_in_the_index_and_its_backup_naming_the_same_ones() {
    let env = Env::new();
    copy_fixture_db("schema9", env.dir.path());
    let before = claim_entries(&open_sled_when_free(&env.db()));
    assert_eq!(before.len(), 44, "cigna-01.835 holds 44 claims");

    let db = env.db();
    let out = env.run(&["--embedded", "--verbose", "show", "--json", "LOS100810"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("indexing the claims by CLP01"), "{said}");
    let n = before.len();
    assert!(said.contains(&format!("{n} of {n}")), "{said}");
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["adjudications"].as_array().unwrap().len(), 1);
    assert_eq!(stored_schema(&db), SCHEMA_VERSION.to_string().as_bytes());
    {
        let raw = open_sled_when_free(&db);
        assert!(claim_entries(&raw).is_empty());
        // Beside the fragments: the list of runs, and each run's filter.
        let fragments = raw
            .scan_prefix(b"x:")
            .keys()
            .map(|k| k.unwrap())
            .filter(|k| &k[..] != b"x:runs" && !k.ends_with(b"bloom"))
            .count();
        // One fragment per bucket the 44 claims fall in (one chunk moved them).
        assert!(fragments > 0 && fragments <= n, "{fragments} fragments");
    }

    // The backup names every adjudication the `c:` keys named, in their order.
    let store = SledStore::open(&db).unwrap();
    let mut backup = Vec::new();
    store.backup(&mut backup, "test").unwrap();
    let claims: Vec<(String, u64)> = String::from_utf8(backup)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["record"] == "claim")
        .map(|v| {
            (
                v["claim_id"].as_str().unwrap().to_string(),
                v["seq"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(claims, before);
}
