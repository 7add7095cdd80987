//! Issue 13, item 2, as real OS users: a backup's temporary file cannot be planted or read
//! by a teammate, and a folder others could swap the backup in is refused. Runs as root
//! (CI does): makes a throwaway user, acts as them with `runuser`, removes them after.

mod common;

use common::users::*;
use common::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

fn backup(db: &Path, file: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .args(["--embedded", "--db", db.to_str().unwrap(), "backup"])
        .arg(file)
        .output()
        .unwrap()
}

#[test]
fn a_teammate_cannot_plant_read_or_swap_a_backup() {
    if !root_or_skip() {
        return;
    }
    let mallory = User::new("mal").expect("useradd works as root");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let store = denialdesk::store::SledStore::open(&db).unwrap();
        let body = set(&[
            header("ACME", "60054", "20261101", "T1"),
            claim("C1", 1, "400", "0", &["CO*197*400"]),
        ]);
        import(&store, "c1.835", &interchange(&STAR, 1, &[body])).unwrap();
    }
    // A shared folder with the sticky bit, like /tmp.
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Mallory plants the old fixed temporary name as a link to a file of the victim's.
    let victim = dir.path().join("victim-notes");
    std::fs::write(&victim, "mine").unwrap();
    let planted = shared.join(".nightly.jsonl.partial");
    assert!(mallory.run(&[
        "ln",
        "-s",
        victim.to_str().unwrap(),
        planted.to_str().unwrap()
    ]));
    let file = shared.join("nightly.jsonl");
    let out = backup(&db, &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "mine",
        "nothing followed the link"
    );
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o600);
    assert!(
        !mallory.run(&["cat", file.to_str().unwrap()]),
        "mallory cannot read it"
    );
    assert!(std::fs::read_dir(&shared).unwrap().all(|e| {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        !name.ends_with(".partial") || name == ".nightly.jsonl.partial"
    }));

    // A target name mallory took first is not written over.
    let taken = shared.join("taken.jsonl");
    assert!(mallory.run(&["touch", taken.to_str().unwrap()]));
    let out = backup(&db, &taken);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a file of yours"));

    // A folder others can write without the sticky bit is refused outright.
    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = backup(&db, &open.join("b.jsonl"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("other users can write in this folder"));
    assert_eq!(
        std::fs::read_dir(&open).unwrap().count(),
        0,
        "nothing left behind"
    );
}
