//! Issue 13, item 3, as real OS users sharing one primary group (as on hosts where
//! everyone's is `users`): a database is owner-only however it is opened (here through
//! the auto-started team server), and a team folder is one only when made so on purpose.

mod common;

use common::host::{stderr, Host};
use common::users::*;
use common::*;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

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
    let host = Host::new();
    let base = host.base.as_path();
    let body = set(&[
        header("ACME", "60054", "20261101", "T1"),
        claim("C1", 1, "400", "0", &["CO*197*400"]),
    ]);
    let remit = host.public_file("c1.835", &interchange(&STAR, 1, &[body]));
    host.make_home(&alice);
    host.make_home(&bob);

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
    let out = host.run(
        &alice,
        &[
            "--db",
            personal.to_str().unwrap(),
            "import",
            remit.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for (path, mode, _) in modes(&personal) {
        let want = if path == personal { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{} is {mode:o}", path.display());
    }
    // Bob shares her primary group, and still cannot read or use it.
    assert!(!bob.run(&["cat", personal.join("db").to_str().unwrap()]));
    let out = host.run(&bob, &["--db", personal.to_str().unwrap(), "list"]);
    assert!(!out.status.success(), "bob must not list alice's worklist");

    // A team folder, made one on purpose: the team's group and the setgid bit.
    let team = Group::new("pt", &[&alice, &bob]).expect("groupadd works as root");
    let shared = place.join("team-db");
    assert!(alice.run(&["mkdir", shared.to_str().unwrap()]));
    assert!(alice.run(&["chgrp", &team.0, shared.to_str().unwrap()]));
    assert!(alice.run(&["chmod", "2770", shared.to_str().unwrap()]));
    let out = host.run(
        &alice,
        &[
            "--db",
            shared.to_str().unwrap(),
            "import",
            remit.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
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
    let out = host.run(
        &alice,
        &["--db", shared.to_str().unwrap(), "--embedded", "list"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::metadata(&shared).unwrap().mode() & 0o7777, 0o2770);
    let out = host.run(&bob, &["--db", shared.to_str().unwrap(), "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("C1"));
    drop(bob);
    drop(alice);
    drop(team);
}

#[test]
fn under_umask_000_new_folders_are_owner_only_and_existing_ones_keep_their_mode() {
    if !root_or_skip() {
        return;
    }
    let alice = User::new("pu").expect("useradd works as root");
    let host = Host::new();
    let home = host.make_home(&alice);
    let remit = host.public_file(
        "c1.835",
        &interchange(
            &STAR,
            1,
            &[set(&[
                header("ACME", "60054", "20261101", "T1"),
                claim("C1", 1, "400", "0", &["CO*197*400"]),
            ])],
        ),
    );
    // An existing folder of hers, deliberately open to her group: left exactly so.
    let existing = home.join("work");
    assert!(alice.run(&["mkdir", "-m", "0750", existing.to_str().unwrap()]));
    let db = existing.join("new").join("deeper").join("db");
    let denialdesk = host.base.join("denialdesk");
    let line = format!(
        "umask 000; XDG_CONFIG_HOME={}/config {} --db {} --embedded import {}",
        home.display(),
        denialdesk.display(),
        db.display(),
        remit.display()
    );
    assert!(alice.run(&["sh", "-c", &line]));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().mode() & 0o7777;
    assert_eq!(
        mode(&existing),
        0o750,
        "an existing folder is never changed"
    );
    assert_eq!(
        mode(&existing.join("new")),
        0o700,
        "a new parent is owner-only"
    );
    assert_eq!(mode(&existing.join("new").join("deeper")), 0o700);
    for (path, mode, _) in modes(&db) {
        let want = if path == db { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{} is {mode:o} under umask 000", path.display());
    }
    drop(alice);
}

/// `user`'s personal database in a folder `name` of theirs that anyone may pass through,
/// with one denial imported (`--embedded`: no server holds it after).
fn personal_database(host: &Host, user: &User, name: &str) -> PathBuf {
    host.make_home(user);
    let body = set(&[
        header("ACME", "60054", "20261101", "T1"),
        claim("C1", 1, "400", "0", &["CO*197*400"]),
    ]);
    let remit = host.public_file(&format!("{name}.835"), &interchange(&STAR, 1, &[body]));
    let place = host.base.join(name);
    std::fs::create_dir(&place).unwrap();
    std::fs::set_permissions(&place, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(Command::new("chown")
        .arg(&user.0)
        .arg(&place)
        .status()
        .unwrap()
        .success());
    let db = place.join("db");
    let out = host.run(
        user,
        &[
            "--db",
            db.to_str().unwrap(),
            "--embedded",
            "import",
            remit.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

/// Every entry under `dir` (not `dir` itself): (path, mode, gid, is a folder).
fn walk(dir: &Path) -> Vec<(PathBuf, u32, u32, bool)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        out.push((
            path.clone(),
            meta.mode() & 0o7777,
            meta.gid(),
            meta.is_dir(),
        ));
        if meta.is_dir() {
            out.extend(walk(&path));
        }
    }
    out
}

/// A personal database made a team folder later, as the README says (chgrp, chmod 2770):
/// its files still carry their maker's primary group, here `users`, which a teammate
/// outside the team shares. Opened as a team folder, each file must take the team's
/// group, never the group mode under the old one.
#[test]
fn a_personal_database_made_a_team_folder_later_gives_its_files_the_teams_group() {
    if !root_or_skip() {
        return;
    }
    let alice = User::new("pm").expect("useradd works as root");
    let bob = User::new("pn").expect("useradd works as root");
    let team = Group::new("pmt", &[&alice]).expect("groupadd works as root");
    let host = Host::new();
    let db = personal_database(&host, &alice, "alice-made-team");
    let db_arg = db.to_str().unwrap();
    let primary = std::fs::metadata(db.join("db")).unwrap().gid();

    assert!(alice.run(&["chgrp", &team.0, db_arg]));
    assert!(alice.run(&["chmod", "2770", db_arg]));
    let out = host.run(&alice, &["--db", db_arg, "--embedded", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let team_gid = std::fs::metadata(&db).unwrap().gid();
    assert_ne!(team_gid, primary);
    let entries = walk(&db);
    assert!(entries.len() > 2, "{entries:?}");
    for (path, mode, gid, is_dir) in entries {
        assert_eq!(gid, team_gid, "{} keeps its maker's group", path.display());
        let want = if is_dir { 0o770 } else { 0o660 };
        assert_eq!(mode & 0o777, want, "{} is {mode:o}", path.display());
    }
    // Bob shares Alice's primary group and is not in the team: he reads nothing.
    assert!(!bob.run(&["cat", db.join("db").to_str().unwrap()]));
    drop(bob);
    drop(alice);
    drop(team);
}

/// A file of the database whose own mode keeps its owner from reading it, and lets
/// everyone else (0044): the open must still make it owner-only, not leave it so
/// because it could not be opened to read.
#[test]
fn a_file_its_owner_cannot_read_but_others_can_is_made_owner_only() {
    if !root_or_skip() {
        return;
    }
    let alice = User::new("pr").expect("useradd works as root");
    let bob = User::new("ps").expect("useradd works as root");
    let host = Host::new();
    let db = personal_database(&host, &alice, "alice-unreadable");
    let db_arg = db.to_str().unwrap();
    let conf = db.join("conf");
    assert!(alice.run(&["chmod", "0044", conf.to_str().unwrap()]));

    let out = host.run(&alice, &["--db", db_arg, "--embedded", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mode = std::fs::metadata(&conf).unwrap().mode() & 0o7777;
    assert_eq!(mode, 0o600, "conf is {mode:o}");
    assert!(!bob.run(&["cat", conf.to_str().unwrap()]));
    drop(bob);
    drop(alice);
}
