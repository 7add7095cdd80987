//! Issue 13, item 3, as real OS users sharing one primary group (as on hosts where
//! everyone's is `users`): a database is owner-only however it is opened (here through
//! the auto-started team server), and a team folder is one only when made so on purpose.

mod common;

use common::users::*;
use common::*;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the real binary as `user`, with private config and data folders of theirs.
fn as_user(user: &User, base: &Path, args: &[&str]) -> std::process::Output {
    let home = base.join(format!("home-{}", user.0));
    Command::new("runuser")
        .args(["-u", &user.0, "--", "env"])
        .arg(format!("XDG_CONFIG_HOME={}", home.join("config").display()))
        .arg(format!("XDG_DATA_HOME={}", home.join("data").display()))
        .arg(base.join("denialdesk"))
        .args(args)
        .output()
        .unwrap()
}

/// A home of the user's own, its team servers exiting a second after their last client.
fn make_home(user: &User, base: &Path) {
    let home = base.join(format!("home-{}", user.0));
    quick_servers(&home);
    assert!(Command::new("chown")
        .args(["-R", &user.0])
        .arg(&home)
        .status()
        .unwrap()
        .success());
}

fn modes(dir: &Path) -> Vec<(PathBuf, u32, u32)> {
    let mut out = vec![(
        dir.to_path_buf(),
        std::fs::metadata(dir).unwrap().mode() & 0o7777,
        0,
    )];
    for entry in std::fs::read_dir(dir).unwrap() {
        let meta = std::fs::symlink_metadata(entry.as_ref().unwrap().path()).unwrap();
        if meta.is_file() || meta.file_type().is_socket() {
            out.push((entry.unwrap().path(), meta.mode() & 0o7777, meta.gid()));
        }
    }
    out
}

#[test]
fn a_database_is_owner_only_unless_made_a_team_folder() {
    if !root_or_skip() {
        return;
    }
    let alice = User::new("pa").expect("useradd works as root");
    let bob = User::new("pb").expect("useradd works as root");
    let base_dir = tempfile::tempdir().unwrap();
    let base = base_dir.path();
    std::fs::set_permissions(base, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_denialdesk"), base.join("denialdesk")).unwrap();
    let body = set(&[
        header("ACME", "60054", "20261101", "T1"),
        claim("C1", 1, "400", "0", &["CO*197*400"]),
    ]);
    let remit = base.join("c1.835");
    std::fs::write(&remit, interchange(&STAR, 1, &[body])).unwrap();
    std::fs::set_permissions(&remit, std::fs::Permissions::from_mode(0o644)).unwrap();
    make_home(&alice, base);
    make_home(&bob, base);

    // A folder of Alice's that anyone may pass through.
    let place = base.join("alice");
    std::fs::create_dir(&place).unwrap();
    std::fs::set_permissions(&place, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(Command::new("chown")
        .arg(&alice.0)
        .arg(&place)
        .status()
        .unwrap()
        .success());

    // Alice's personal database, through the team server her client starts.
    let personal = place.join("db");
    let out = as_user(
        &alice,
        base,
        &[
            "--db",
            personal.to_str().unwrap(),
            "import",
            remit.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (path, mode, _) in modes(&personal) {
        let want = if path == personal { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{} is {mode:o}", path.display());
    }
    // Bob shares her primary group, and still cannot read or use it.
    assert!(!bob.run(&["cat", personal.join("db").to_str().unwrap()]));
    let out = as_user(&bob, base, &["--db", personal.to_str().unwrap(), "list"]);
    assert!(!out.status.success(), "bob must not list alice's worklist");

    // A team folder, made one on purpose: the team's group and the setgid bit.
    let team = Group::new("pt", &[&alice, &bob]).expect("groupadd works as root");
    let shared = place.join("team-db");
    assert!(alice.run(&["mkdir", shared.to_str().unwrap()]));
    assert!(alice.run(&["chgrp", &team.0, shared.to_str().unwrap()]));
    assert!(alice.run(&["chmod", "2770", shared.to_str().unwrap()]));
    let out = as_user(
        &alice,
        base,
        &[
            "--db",
            shared.to_str().unwrap(),
            "import",
            remit.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gid = std::fs::metadata(&shared).unwrap().gid();
    for (path, mode, file_gid) in modes(&shared) {
        if path == shared {
            assert_eq!(mode, 0o2770, "the setgid bit is kept");
        } else {
            assert_eq!((mode, file_gid), (0o660, gid), "{}", path.display());
        }
    }
    // --embedded keeps it a team folder.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let out = as_user(
        &alice,
        base,
        &["--db", shared.to_str().unwrap(), "--embedded", "list"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::metadata(&shared).unwrap().mode() & 0o7777, 0o2770);
    let out = as_user(&bob, base, &["--db", shared.to_str().unwrap(), "list"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("C1"));
    drop(bob);
    drop(alice);
    drop(team);
}
