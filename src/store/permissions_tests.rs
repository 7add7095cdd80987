//! Tests of `permissions`: the walk that sets a database folder's modes.

use super::*;
use std::os::unix::fs::PermissionsExt;

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().mode() & 0o7777
}

/// Files already right are looked at without being opened (`nothing_to_change`): the
/// walk must still fix every loose file of ours, in every folder, and leave alone
/// what it never changes (a hard-linked file, a link's target).
#[test]
fn restrict_fixes_loose_files_in_every_folder_and_leaves_links_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let blobs = db.join("blobs");
    fs::create_dir_all(&blobs).unwrap();
    let outside = dir.path().join("outside");
    fs::write(&outside, "x").unwrap();
    fs::set_permissions(&outside, fs::Permissions::from_mode(0o644)).unwrap();
    for (name, loose) in [
        ("db/conf", true),
        ("db/blobs/1", true),
        ("db/blobs/2", false),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, "x").unwrap();
        let m = if loose { 0o644 } else { 0o600 };
        fs::set_permissions(&path, fs::Permissions::from_mode(m)).unwrap();
    }
    fs::hard_link(&outside, blobs.join("linked")).unwrap();
    std::os::unix::fs::symlink(&outside, blobs.join("link")).unwrap();
    fs::set_permissions(&blobs, fs::Permissions::from_mode(0o755)).unwrap();

    restrict(&db, Access::Private).unwrap();

    assert_eq!(mode(&db.join("conf")), 0o600);
    assert_eq!(mode(&blobs.join("1")), 0o600);
    assert_eq!(mode(&blobs.join("2")), 0o600);
    assert_eq!(mode(&blobs), 0o700);
    assert_eq!(mode(&outside), 0o644, "a hard link's file is never changed");
    assert_eq!(mode(&blobs.join("linked")), 0o644);
}

/// In a team folder every file is the group's to read and write, and nothing more:
/// a setgid file, a private one and a loose one all end at 0o660.
#[test]
fn restrict_in_a_team_folder_gives_every_file_the_group_mode() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    fs::create_dir(&db).unwrap();
    fs::set_permissions(&db, fs::Permissions::from_mode(0o2775)).unwrap();
    for (name, m) in [("a", 0o2660), ("b", 0o600), ("c", 0o664), ("d", 0o660)] {
        let path = db.join(name);
        fs::write(&path, "x").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(m)).unwrap();
    }

    restrict(&db, Access::Group).unwrap();

    for name in ["a", "b", "c", "d"] {
        assert_eq!(mode(&db.join(name)), 0o660, "{name}");
    }
    assert_eq!(mode(&db), 0o2770, "the folder keeps its setgid bit");
}
