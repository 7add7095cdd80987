//! Backups: a demo database round-trips through `backup` and `restore` with every record
//! equal; a backup taken through the team server while teammates save is one moment's
//! state; damaged backups are refused with their line and leave nothing behind.

mod common;

use chrono::Local;
use common::server::start_server;
use common::*;
use denialdesk::demo::{self, anchor, PAYERS_TOML};
use denialdesk::domain::action::WorkAction;
use denialdesk::domain::payer_rules::PayerRules;
use denialdesk::import::{import_source, BytesSource};
use denialdesk::store::{MetaKey, SledStore, Store, WorkStore};
use denialdesk::team::client::RemoteStore;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The demo database: every demo file, shifted to today, plus the seeded team activity
/// (calls, notes, appeals, outcomes, write-offs).
fn demo_store(db: &Path) -> SledStore {
    let store = SledStore::open(db).unwrap();
    let rules = PayerRules::parse("payers.toml", PAYERS_TOML).unwrap();
    let today = Local::now().date_naive();
    for file in demo::generate() {
        import_source(
            &store,
            &BytesSource(file.name.clone(), file.contents.as_bytes()),
            &rules,
            "maria",
            (today - anchor()).num_days(),
        )
        .unwrap();
    }
    assert!(demo::seed_activity(&store, &rules, today, "maria").unwrap() > 0);
    store
        .set_meta(MetaKey::DemoDay, &today.to_string())
        .unwrap();
    store
}

/// The backup's lines, without those that differ by nature between two backups: the
/// header (time taken) and the backup/restore audit entries and the end record.
fn comparable_lines(backup: &[u8]) -> Vec<String> {
    String::from_utf8(backup.to_vec())
        .unwrap()
        .lines()
        .filter(|l| {
            !l.starts_with(r#"{"record":"header""#)
                && !l.starts_with(r#"{"record":"end""#)
                && !l.contains(r#""action":"backup""#)
                && !l.contains(r#""action":"restore""#)
        })
        .map(String::from)
        .collect()
}

/// Every record the app reads, compared store to store.
fn assert_same_records(a: &dyn Store, b: &dyn Store) {
    let items = a.work_items().unwrap();
    assert_eq!(items, b.work_items().unwrap());
    for item in &items {
        assert_eq!(
            a.claim_history(&item.key).unwrap(),
            b.claim_history(&item.key).unwrap()
        );
        assert_eq!(
            a.timeline(&item.key).unwrap(),
            b.timeline(&item.key).unwrap()
        );
    }
    assert_eq!(
        a.adjudication_days().unwrap(),
        b.adjudication_days().unwrap()
    );
    assert_eq!(
        a.meta(MetaKey::DemoDay).unwrap(),
        b.meta(MetaKey::DemoDay).unwrap()
    );
}

#[test]
fn a_demo_database_round_trips_record_for_record() {
    let dir = tempfile::tempdir().unwrap();
    let original = demo_store(&dir.path().join("db"));
    let mut first = Vec::new();
    let summary = original.backup(&mut first, "ops").unwrap();
    assert!(
        summary.claims > 3_000 && summary.work_items > 300,
        "{summary:?}"
    );
    assert!(
        summary.events > summary.work_items,
        "timelines are in: {summary:?}"
    );

    let restored_at = dir.path().join("restored");
    let restored_summary =
        SledStore::restore(&restored_at, &mut first.as_slice(), "first.jsonl", "ops").unwrap();
    assert_eq!(restored_summary.claims, summary.claims);
    assert_eq!(restored_summary.audit_entries, summary.audit_entries);
    let restored = SledStore::open(&restored_at).unwrap();

    assert_same_records(&original, &restored);
    assert_list_rows_match(&restored);
    // The audit log: identical, plus one entry saying who restored it from where.
    let before = original.audit_log().unwrap();
    let after = restored.audit_log().unwrap();
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[..before.len()], before[..]);
    let restore = after.last().unwrap();
    assert_eq!(restore.action, "restore");
    assert_eq!(restore.user, "ops");
    assert!(restore.detail.contains("first.jsonl"), "{}", restore.detail);
    assert!(
        restore.seq > before.last().unwrap().seq,
        "new entries sort last"
    );

    // And a backup of the restored database holds the very same records.
    let mut second = Vec::new();
    restored.backup(&mut second, "ops").unwrap();
    assert_eq!(comparable_lines(&first), comparable_lines(&second));

    // The restored database works: a new action lands after the restored history, and
    // re-importing a demo file is still recognised as already imported.
    let claim = before.iter().find_map(|a| a.claim_id.clone()).unwrap();
    let today = Local::now().date_naive();
    restored
        .apply(
            &claim,
            &WorkAction::AddNote("after restore".into()),
            today,
            "ops",
        )
        .unwrap();
    let timeline = restored.timeline(&claim).unwrap();
    assert_eq!(
        timeline.last().unwrap().kind.summary(),
        "note: after restore"
    );
    let file = &demo::generate()[0];
    let report = import_source(
        &restored,
        &BytesSource(file.name.clone(), file.contents.as_bytes()),
        &PayerRules::parse("payers.toml", PAYERS_TOML).unwrap(),
        "ops",
        (today - anchor()).num_days(),
    )
    .unwrap();
    assert_eq!(report.denials_opened, 0, "{}", report.summary());
}

#[test]
fn damaged_backups_are_refused_at_their_line_and_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(&dir.path().join("db")).unwrap();
    let mut body = header("AETNA", "60054", "20261101", "T1");
    for n in 0..30 {
        body.extend(claim(&format!("D{n}"), 1, "100", "0", &["CO*197*100"]));
    }
    import(&store, "a.835", &interchange(&STAR, 1, &[body])).unwrap();
    let mut good = Vec::new();
    store.backup(&mut good, "ops").unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();

    let cases: Vec<(&str, String, &str)> = vec![
        (
            "truncated mid-line",
            text[..text.len() / 2].to_string(),
            "truncated",
        ),
        (
            "truncated at a line end",
            lines[..lines.len() - 1].join("\n") + "\n",
            "truncated",
        ),
        (
            "a value edited",
            text.replacen(r#""denied_cents":10000"#, r#""denied_cents":99900"#, 1),
            "checksum",
        ),
        (
            "a record dropped",
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != 3)
                .map(|(_, l)| format!("{l}\n"))
                .collect(),
            "counts",
        ),
        ("not a backup", "ISA*00*...\n".to_string(), "line 1"),
        (
            "a newer format",
            text.replacen(
                &format!(r#""version":{}"#, denialdesk::store::backup::BACKUP_VERSION),
                r#""version":99"#,
                1,
            ),
            "newer",
        ),
        (
            "junk after the end",
            format!("{text}{{\"record\":\"meta\"}}\n"),
            "after the end",
        ),
    ];
    for (what, damaged, expected) in cases {
        let target = dir
            .path()
            .join(format!("restore-{}", what.replace(' ', "-")));
        let err = SledStore::restore(&target, &mut damaged.as_bytes(), "b.jsonl", "ops")
            .expect_err(what)
            .to_string();
        assert!(err.starts_with("b.jsonl: line "), "{what}: {err}");
        assert!(err.contains(expected), "{what}: {err}");
        assert!(!target.exists(), "{what}: nothing left behind");
    }

    // A folder that already holds a database is never overwritten.
    let err = SledStore::restore(&dir.path().join("db"), &mut good.as_slice(), "b", "ops")
        .expect_err("not empty");
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(store.work_items().unwrap().len(), 30);
    // An empty folder is fine (and stays after a failure).
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(SledStore::restore(&empty, &mut &b"x\n"[..], "b", "ops").is_err());
    assert!(empty.exists() && std::fs::read_dir(&empty).unwrap().next().is_none());
    // ... keeping its own mode (a team folder's setgid bit, say).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let half = text[..text.len() / 2].to_string();
    assert!(SledStore::restore(&empty, &mut half.as_bytes(), "b", "ops").is_err());
    assert!(std::fs::read_dir(&empty).unwrap().next().is_none());
    assert_eq!(
        std::fs::metadata(&empty).unwrap().permissions().mode() & 0o7777,
        0o2770
    );
    // A target that is a link is refused before anything is written behind it.
    let behind = dir.path().join("behind");
    std::fs::create_dir(&behind).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&behind, &link).unwrap();
    let err = SledStore::restore(&link, &mut good.as_slice(), "b", "ops").expect_err("a link");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(std::fs::read_dir(&behind).unwrap().next().is_none());
    SledStore::restore(&empty, &mut good.as_slice(), "b", "ops").unwrap();
}

/// Through the team server, while another process keeps saving notes: the backup is one
/// moment's state, so every note in it has its audit entry and the reverse.
#[test]
fn a_backup_through_the_team_server_is_consistent_while_others_save() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let claims: Vec<String> = {
        let store = SledStore::open(&db).unwrap();
        let mut body = header("AETNA", "60054", "20261101", "T1");
        for n in 0..50 {
            body.extend(claim(&format!("T{n}"), 1, "100", "0", &["CO*16*100"]));
        }
        import(&store, "a.835", &interchange(&STAR, 1, &[body])).unwrap();
        store
            .work_items()
            .unwrap()
            .into_iter()
            .map(|i| i.claim_id.into())
            .collect()
    };
    let server = start_server(&db);
    let writer_store = RemoteStore::connect(&db).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let backups: Vec<Vec<u8>> = std::thread::scope(|scope| {
        scope.spawn(|| {
            let today = Local::now().date_naive();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let note = WorkAction::AddNote(format!("n{n}"));
                writer_store
                    .apply(&claims[n % claims.len()], &note, today, "ignored")
                    .unwrap();
                n += 1;
            }
        });
        let reader = RemoteStore::connect(&db).unwrap();
        let mut backups = Vec::new();
        for _ in 0..5 {
            std::thread::sleep(Duration::from_millis(60));
            let mut out = Vec::new();
            reader.backup(&mut out, "ignored").unwrap();
            backups.push(out);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        backups
    });
    drop(server);

    let mut previous_notes = 0;
    for (i, backup) in backups.iter().enumerate() {
        let target = dir.path().join(format!("r{i}"));
        SledStore::restore(&target, &mut backup.as_slice(), "b", "ops").unwrap();
        let restored = SledStore::open(&target).unwrap();
        let audit = restored.audit_log().unwrap();
        // The server named the user from the socket, not from what the client said.
        let taker = audit.iter().find(|a| a.action == "backup").unwrap();
        assert_ne!(taker.user, "ignored");
        let mut note_events = 0;
        for item in restored.work_items().unwrap() {
            let timeline = restored.timeline(&item.key).unwrap();
            let notes = timeline
                .iter()
                .filter(|e| e.kind.action_name() == "note")
                .count();
            let audited = audit
                .iter()
                .filter(|a| {
                    a.action == "note" && a.claim_id.as_ref() == Some(&item.key.to_string())
                })
                .count();
            assert_eq!(notes, audited, "backup {i}: {}", item.claim_id);
            // The work item's version counts its saves: no save is half in the backup.
            assert_eq!(
                item.version as usize,
                1 + notes,
                "backup {i}: {}",
                item.claim_id
            );
            note_events += notes;
        }
        assert!(note_events >= previous_notes, "later backups hold more");
        previous_notes = note_events;
    }
    assert!(
        previous_notes > 0,
        "the writer got notes in during the backups"
    );
}

#[test]
fn backup_and_restore_commands_write_private_files_and_say_what_they_did() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    quick_servers(dir.path());
    let db = dir.path().join("db");
    {
        let store = SledStore::open(&db).unwrap();
        let mut body = header("AETNA", "60054", "20261101", "T1");
        body.extend(claim("C1", 1, "100", "0", &["CO*16*100"]));
        import(&store, "a.835", &interchange(&STAR, 1, &[body])).unwrap();
    }
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_denialdesk"))
            .args(args)
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .output()
            .unwrap()
    };
    let file = dir.path().join("nightly.jsonl");
    let out = run(&[
        "--db",
        db.to_str().unwrap(),
        "backup",
        file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("1 claims, 1 work items"), "{said}");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a backup holds PHI");
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".partial")));

    let new = dir.path().join("new");
    let out = run(&[
        "--db",
        new.to_str().unwrap(),
        "restore",
        file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("restored into"));
    let out = run(&["--db", new.to_str().unwrap(), "--embedded", "show", "C1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A backup into a folder that does not exist fails and says so; nothing is written.
    let out = run(&[
        "--db",
        db.to_str().unwrap(),
        "backup",
        "/nonexistent/dir/b.jsonl",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/dir"));
    // Restoring over an existing database is refused.
    let out = run(&[
        "--db",
        db.to_str().unwrap(),
        "restore",
        file.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
}
