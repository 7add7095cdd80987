//! Issue 13 on real filesystems (root mounts a small tmpfs; CI runs as root).
//! Item 11, a full disk under a running team server: imports that hit ENOSPC — a small
//! file stored in one batch and a large one stored set by set — fail with a clear message
//! and leave nothing of the file behind; once space is freed the same server (never
//! restarted) takes them whole. And a database on a read-only filesystem can still be
//! looked at and backed up with `--readonly`, while every change is refused.

mod common;

use common::server::{start_server, wait_for};
use common::users::root_or_skip;
use common::*;
use denialdesk::store::WorkStore;
use denialdesk::team::client::RemoteStore;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs of `mb` megabytes, unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, mb: u32) -> Tmpfs {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={mb}m,mode=0700"),
                "tmpfs",
            ])
            .arg(at)
            .status()
            .unwrap()
            .success();
        assert!(ok, "mounting a tmpfs needs root (CI runs as root)");
        Tmpfs(at.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes a file until the disk is full.
fn fill(path: &Path) {
    use std::io::Write;
    let mut file = std::fs::File::create(path).unwrap();
    let chunk = vec![7u8; 64 * 1024];
    while file.write_all(&chunk).is_ok() {}
    let _ = file.sync_all();
}

fn import(db: &Path, file: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(file)
        .env(
            "XDG_CONFIG_HOME",
            db.parent().unwrap().parent().unwrap().join("config"),
        )
        .output()
        .unwrap()
}

fn claims(prefix: &str, n: usize, trace: &str) -> String {
    let mut body = header("ACME", "60054", "20261101", trace);
    for i in 0..n {
        body.extend(claim(
            &format!("{prefix}{i}"),
            1,
            "400",
            "0",
            &["CO*197*400"],
        ));
    }
    interchange(&STAR, 1, &[body])
}

/// A 64 MB tmpfs holding a database of `n` denials (`prefix`0…), imported in-process,
/// in a temporary folder whose config makes team servers idle out after a second.
fn seeded_tmpfs(prefix: &str, n: usize) -> (tempfile::TempDir, Tmpfs, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    quick_servers(dir.path());
    let fs = Tmpfs::mount(&dir.path().join("fs"), 64);
    let db = fs.0.join("db");
    let seed = dir.path().join("seed.835");
    std::fs::write(&seed, claims(prefix, n, "T0")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .arg("--db")
        .arg(&db)
        .args(["--embedded", "import"])
        .arg(&seed)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, fs, db)
}

#[test]
fn an_import_that_fills_the_disk_keeps_nothing_and_the_server_recovers_once_space_is_back() {
    if !root_or_skip() {
        return;
    }
    let (dir, fs, db) = seeded_tmpfs("S", 3);
    let mut server = start_server(&db);
    let small = dir.path().join("small.835");
    std::fs::write(&small, claims("A", 50, "T1")).unwrap();
    let large = dir.path().join("large.835");
    std::fs::write(
        &large,
        denialdesk::demo::synthetic_835_in_sets(3_000, 300, 5, 500),
    )
    .unwrap();

    let filler = fs.0.join("filler");
    fill(&filler);
    // The large file (stored set by set) cannot fit; the small one (one batch) may still
    // fit in space sled had already allocated. Either way a file is whole or not at all.
    let out = import(&db, &large);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a 3,000-claim file cannot fit on a full disk"
    );
    // Either the disk is full now, or the store is being recovered from a moment ago.
    assert!(said.contains("full"), "{said}");
    assert!(
        said.contains("nothing from this file was imported"),
        "{said}"
    );
    // Once the store has been reopened (a second later), the small file.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let small_went_in = import(&db, &small).status.success();
    eprintln!(
        "on a full disk: the large file said {said:?}; the small file went in: {small_went_in}"
    );
    assert!(
        server.0.try_wait().unwrap().is_none(),
        "the server keeps running"
    );

    // Space is back: the same server serves again, with nothing of either file.
    std::fs::remove_file(&filler).unwrap();
    let store = loop {
        if let Ok(store) = RemoteStore::connect(&db) {
            if store.work_items().is_ok() {
                break store;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let items = store.work_items().unwrap();
    let kept = if small_went_in { 3 + 50 } else { 3 };
    assert_eq!(items.len(), kept, "nothing of a failed file is kept");
    for file in [&small, &large] {
        let out = import(&db, file);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    wait_for("both files", || {
        store.work_items().map(|w| w.len() > 53).unwrap_or(false)
    });
    assert!(server.0.try_wait().unwrap().is_none(), "never restarted");
    drop(store);
    drop(server);
}

#[test]
fn a_database_on_a_read_only_filesystem_can_be_read_and_backed_up_with_readonly() {
    if !root_or_skip() {
        return;
    }
    let (dir, fs, db) = seeded_tmpfs("R", 4);
    let bin = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_denialdesk"));
        c.env("XDG_CONFIG_HOME", dir.path().join("config"))
            .arg("--db")
            .arg(&db);
        c
    };
    let ok = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&fs.0)
        .status()
        .unwrap()
        .success();
    assert!(ok, "remounting read-only needs root");

    let out = bin().args(["--readonly", "list"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        (0..4).all(|n| listed.contains(&format!("R{n}"))),
        "{listed}"
    );
    let backup = dir.path().join("ro.jsonl");
    let out = bin()
        .args(["--readonly", "backup"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = dir.path().join("restored");
    let out = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .arg("--db")
        .arg(&restored)
        .arg("restore")
        .arg(&backup)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = denialdesk::store::SledStore::open(&restored).unwrap();
    assert_eq!(
        store.work_items().unwrap().len(),
        4,
        "the backup holds the worklist"
    );
    // Changes are refused with --readonly, by name.
    let out = bin()
        .args(["--readonly", "note", "R1", "hello"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--readonly"));
    // And no private copy is left behind in the temporary folder.
    let left: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("denialdesk-readonly-")
        })
        .collect();
    assert!(left.is_empty(), "copies left: {left:?}");
}
