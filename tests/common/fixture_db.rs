//! Databases written by earlier releases (`tests/fixtures/schemaN/db`), copied into a
//! private folder before a test opens (and so migrates) them.

use std::path::{Path, PathBuf};

/// Copies `tests/fixtures/{fixture}/db` into `into/db` with owner-only modes.
pub fn copy_fixture_db(fixture: &str, into: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture)
        .join("db");
    let to = into.join("db");
    std::fs::create_dir_all(to.join("blobs")).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
    std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o700)).unwrap();
    for entry in std::fs::read_dir(&to).unwrap() {
        let p = entry.unwrap().path();
        let mode = if p.is_dir() { 0o700 } else { 0o600 };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    to
}

/// The database at `path` opened with sled directly, once the store that had it open has
/// let go of it (sled's flusher thread may hold its lock for a moment after a drop).
pub fn open_sled_when_free(path: &Path) -> sled::Db {
    (0..200)
        .find_map(|_| {
            sled::open(path)
                .map_err(|_| std::thread::sleep(std::time::Duration::from_millis(10)))
                .ok()
        })
        .expect("the database is let go of within 2 s")
}

/// The schema version stored at `path`, read with sled directly.
pub fn stored_schema(path: &Path) -> Vec<u8> {
    let db = open_sled_when_free(path);
    db.get(b"m:schema").unwrap().unwrap().to_vec()
}

/// The work items a release wrote into its own backup
/// (`tests/fixtures/{fixture}/{fixture}.backup.jsonl`), sorted by key.
pub fn items_in_release_backup(fixture: &str) -> Vec<denialdesk::domain::work_item::WorkItem> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture)
        .join(format!("{fixture}.backup.jsonl"));
    let text = std::fs::read_to_string(path).unwrap();
    let mut items: Vec<denialdesk::domain::work_item::WorkItem> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["record"] == "work_item")
        .map(|v| serde_json::from_value(v["item"].clone()).unwrap())
        .collect();
    items.sort_by(|a, b| a.key.cmp(&b.key));
    items
}

/// Rewrites the claims of a database this build wrote (opened with sled directly) as the
/// schemas before 9 stored them: each adjudication as JSON under its own
/// `c:{key}\0{seq:016x}` key, and no claim index (`x:`). `backup` is that database's own
/// backup, whose claim records say what each adjudication is. How a test builds an older
/// schema's store from this build's.
pub fn claims_as_json_entries(db: &sled::Db, backup: &str) {
    for key in db.scan_prefix(b"x:").keys() {
        db.remove(key.unwrap()).unwrap();
    }
    for record in backup
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["record"] == "claim")
    {
        let key = format!(
            "c:{}\0{:016x}",
            record["claim_id"].as_str().unwrap(),
            record["seq"].as_u64().unwrap()
        );
        db.insert(key, serde_json::to_vec(&record["claim"]).unwrap())
            .unwrap();
    }
}
