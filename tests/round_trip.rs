//! Round trip of every real-shaped file the product ships (demo-data: 835s from five payers
//! and Medicare with PLBs, COB payments, a Medigap crossover, later appeal payments, 277CA
//! rejections, a 277 status response, a 999) through import → `show --json` → backup →
//! restore → `show --json` and backup again. What is shown and backed up must equal what
//! the schema 8 release printed and backed up before claims were stored in compressed
//! blocks (tests/fixtures/round_trip, made from that release's binary by `bless` below),
//! but for what differs by nature: timestamps and record sequence numbers, and the audit of
//! the work items a set opens, which schema 10 keeps in the set's entry, written before the
//! entries of the items the set changed (`audit_folded`).

mod common;

use common::backups::{data_lines, is_bookkeeping};
use common::cli_env::Env;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A claim of each shape, as `show` takes it.
const SHOWN: [&str; 8] = [
    "LMN100001",   // Medicare, paid with remarks
    "LMN100003@1", // the Medigap crossover of a Medicare claim…
    "LMN100003@2", // …and the Medicare claim (one CLP01, two claims)
    "LMN100409",   // a BCBS denial and its COB payment
    "LMN100614",   // Medicaid
    "LMN101233",   // an Aetna denial, appealed, paid later
    "LOS100926",   // rejected by a 277CA before adjudication
    "LOS100945",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/round_trip")
        .join(name)
}

/// The files, by the relative names every record keeps (`source_file`).
fn demo_files() -> Vec<String> {
    let mut files: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("demo-data"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| [".835", ".277", ".999"].iter().any(|x| n.ends_with(x)))
            .map(|n| format!("demo-data/{n}"))
            .collect();
    files.sort();
    files
}

/// Timestamps and sequence numbers, which no two imports share, and the priority, which
/// counts days to today (the fixtures were made on another day; the domain tests rank).
const VOLATILE: [&str; 7] = [
    "at",
    "created_at",
    "updated_at",
    "imported_at",
    "started",
    "seq",
    "priority",
];

/// `value` without what differs by nature, keys sorted (serde_json's map): comparable.
fn normalized(value: Value) -> Option<Value> {
    match value {
        Value::Object(map) => {
            // An audited change of a timestamp field.
            if map
                .get("field")
                .and_then(Value::as_str)
                .is_some_and(|f| VOLATILE.contains(&f))
            {
                return None;
            }
            Some(Value::Object(
                map.into_iter()
                    .filter(|(k, _)| !VOLATILE.contains(&k.as_str()))
                    .filter_map(|(k, v)| normalized(v).map(|v| (k, v)))
                    .collect(),
            ))
        }
        Value::Array(items) => Some(Value::Array(
            items.into_iter().filter_map(normalized).collect(),
        )),
        other => Some(other),
    }
}

/// The backup's records in schema 10's audit: a work item a set opened (and did not route
/// to anyone) is audited by the set's entry, which lists it in `opened`, instead of by an
/// entry of its own ("opened by FILE: …", written just before the set's in the same
/// batch). Older backups are folded into that form; newer ones are in it already. So the
/// release's audit and this build's compare entry for entry, each opened item once.
fn audit_folded(backup: &str) -> Vec<Value> {
    let mut records = Vec::new();
    let mut opened: Vec<Value> = Vec::new();
    for line in backup.lines() {
        let mut record: Value = serde_json::from_str(line).unwrap();
        if record["record"] != "audit" {
            records.push(record);
            continue;
        }
        let entry = &mut record["entry"];
        let own_opening = entry["action"] == "import"
            && entry["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("opened by ") && !d.contains("; routed by "));
        if own_opening {
            opened.push(entry["claim_id"].clone());
            continue;
        }
        if entry["action"] == "import-set" && !opened.is_empty() {
            assert!(
                entry.get("opened").is_none(),
                "a set's entry in both forms: {line}"
            );
            entry["opened"] = Value::Array(std::mem::take(&mut opened));
        }
        records.push(record);
    }
    assert!(opened.is_empty(), "items opened by no set: {opened:?}");
    set_entries_last(&mut records);
    records
}

/// The records with each set's audit entry after the entries of the items it changed
/// ("updated by FILE: transaction set 0001, …"), where the release wrote it; this build
/// writes it first, so an item's opening is audited before its changes.
fn set_entries_last(records: &mut [Value]) {
    let detail = |record: &Value| record["entry"]["detail"].as_str().map(str::to_string);
    let mut i = 0;
    while i < records.len() {
        let set = (records[i]["record"] == "audit"
            && records[i]["entry"]["action"] == "import-set")
            .then(|| detail(&records[i]).and_then(|d| set_name(&d)))
            .flatten();
        let Some(set) = set else {
            i += 1;
            continue;
        };
        let mut end = i + 1;
        while end < records.len()
            && records[end]["record"] == "audit"
            && records[end]["entry"]["action"] == "import"
            && detail(&records[end]).is_some_and(|d| names_set(&d, &set))
        {
            end += 1;
        }
        records[i..end].rotate_left(1);
        i = end;
    }
}

/// "FILE: transaction set 0001" (or "FILE: 277CA transaction set 0001") of a set's
/// entry's detail.
fn set_name(detail: &str) -> Option<String> {
    let at = detail.find("transaction set ")? + "transaction set ".len();
    let end = detail[at..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .map_or(detail.len(), |n| at + n);
    Some(detail[..end].to_string())
}

/// Whether an item's entry's detail names that set (not one whose number only starts so).
fn names_set(detail: &str, set: &str) -> bool {
    detail
        .match_indices(set)
        .any(|(at, _)| !detail[at + set.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
}

/// Per kind of record, in the backup's order: how many, and the CRC-32 of their normalized
/// lines (audit entries as `audit_folded` gives them). The store's bookkeeping (the
/// backup's own records, a restore's audit entry) is left out: it names the database and
/// the moment.
fn digest(backup: &str) -> String {
    let mut kinds: Vec<(String, usize, crc32fast::Hasher)> = Vec::new();
    for record in audit_folded(backup) {
        if is_bookkeeping(&record) {
            continue;
        }
        let kind = record["record"].as_str().unwrap().to_string();
        let text = normalized(record).unwrap().to_string();
        if kinds.last().is_none_or(|(k, _, _)| *k != kind) {
            kinds.push((kind, 0, crc32fast::Hasher::new()));
        }
        let last = kinds.last_mut().unwrap();
        last.1 += 1;
        last.2.update(text.as_bytes());
        last.2.update(b"\n");
    }
    kinds
        .into_iter()
        .map(|(kind, count, crc)| format!("{kind} {count} {:08x}\n", crc.finalize()))
        .collect()
}

/// Runs `bin` on `db` (from the crate's folder, so files keep their relative names).
fn run(bin: &Path, dir: &Path, db: &Path, args: &[&str]) -> String {
    let out = Command::new(bin)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("DENIALDESK_PAYERS")
        .env_remove("DENIALDESK_SERVER")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} {args:?}: {}",
        bin.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What `bin` shows of each claim and backs up, after importing every file into `db`.
fn shown_and_backed_up(bin: &Path, dir: &Path, db: &Path, extra: &[&str]) -> (Vec<Value>, String) {
    let files = demo_files();
    let mut import: Vec<&str> = extra.to_vec();
    import.push("import");
    import.extend(files.iter().map(String::as_str));
    run(bin, dir, db, &import);
    let shown = shown(bin, dir, db, extra);
    let backup = dir.join(format!(
        "{}.jsonl",
        db.file_name().unwrap().to_string_lossy()
    ));
    let mut args = extra.to_vec();
    args.extend(["backup", backup.to_str().unwrap()]);
    run(bin, dir, db, &args);
    (shown, std::fs::read_to_string(&backup).unwrap())
}

fn shown(bin: &Path, dir: &Path, db: &Path, extra: &[&str]) -> Vec<Value> {
    SHOWN
        .iter()
        .map(|claim| {
            let mut args = extra.to_vec();
            args.extend(["show", claim, "--json"]);
            normalized(serde_json::from_str(&run(bin, dir, db, &args)).unwrap()).unwrap()
        })
        .collect()
}

#[test]
fn every_demo_file_round_trips_through_show_backup_and_restore_as_the_release_did() {
    let env = Env::new();
    let bin = Path::new(env!("CARGO_BIN_EXE_denialdesk"));
    let dir = env.dir.path();
    // Through the team server, the default path.
    let (shown_now, backup) = shown_and_backed_up(bin, dir, &env.db(), &[]);
    for (claim, value) in SHOWN.iter().zip(&shown_now) {
        let release: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture(&format!("{claim}.show.json"))).unwrap(),
        )
        .unwrap();
        assert!(
            *value == release,
            "show {claim} --json differs from the release's"
        );
    }
    let release_digest = std::fs::read_to_string(fixture("backup.digest")).unwrap();
    assert_eq!(
        digest(&backup),
        release_digest,
        "the backup differs from the release's"
    );

    // Restored from that backup: the same claims shown, the same records backed up, and
    // this time with the sequence numbers too (a restore keeps them).
    let restored = dir.join("restored");
    let file = dir.join("db.jsonl");
    run(bin, dir, &restored, &["restore", file.to_str().unwrap()]);
    assert!(
        shown(bin, dir, &restored, &[]) == shown_now,
        "show after restore"
    );
    let again = dir.join("again.jsonl");
    run(bin, dir, &restored, &["backup", again.to_str().unwrap()]);
    let (before, after) = (
        data_lines(&backup),
        data_lines(&std::fs::read_to_string(&again).unwrap()),
    );
    assert_eq!(before.len(), after.len());
    assert!(before == after, "the restored store backs up differently");
}

/// Writes tests/fixtures/round_trip from a release's binary: `DD_RELEASE_BIN=path cargo
/// test --test round_trip -- --ignored bless`. Run once, with the schema 8 release (commit
/// a477c69), when the fixtures were made; never part of a plain `cargo test`.
#[test]
#[ignore = "writes the fixtures from a release's binary"]
fn bless() {
    let bin = PathBuf::from(
        std::env::var("DD_RELEASE_BIN").expect("DD_RELEASE_BIN names the release's binary"),
    );
    let env = Env::new();
    let dir = env.dir.path();
    let (shown, backup) = shown_and_backed_up(&bin, dir, &dir.join("release"), &["--embedded"]);
    std::fs::create_dir_all(fixture("")).unwrap();
    for (claim, value) in SHOWN.iter().zip(shown) {
        std::fs::write(
            fixture(&format!("{claim}.show.json")),
            serde_json::to_string_pretty(&value).unwrap() + "\n",
        )
        .unwrap();
    }
    std::fs::write(fixture("backup.digest"), digest(&backup)).unwrap();
}
