//! Issue 13, item 1, as real OS users: in a team folder every member can write, a member
//! who plants `server.lock`, `server.log` or `server.pid` as a link to another member's
//! file gets nothing written through it: the client refuses, names the file, and the
//! victim's file is untouched.

mod common;

use common::users::*;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

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

#[test]
fn links_planted_in_a_team_folder_are_never_written_through() {
    if !root_or_skip() {
        return;
    }
    let alice = User::new("sa").expect("useradd works as root");
    let mallory = User::new("sm").expect("useradd works as root");
    let team = Group::new("st", &[&alice, &mallory]).expect("groupadd works as root");
    let base_dir = tempfile::tempdir().unwrap();
    let base = base_dir.path();
    std::fs::set_permissions(base, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_denialdesk"), base.join("denialdesk")).unwrap();
    let home = base.join(format!("home-{}", alice.0));
    quick_servers(&home);
    let remit = base.join("c1.835");
    let body = set(&[
        header("ACME", "60054", "20261101", "T1"),
        claim("C1", 1, "400", "0", &["CO*197*400"]),
    ]);
    std::fs::write(&remit, interchange(&STAR, 1, &[body])).unwrap();
    std::fs::set_permissions(&remit, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Alice's own files, which a server started by her client could write.
    let victims: Vec<_> = ["authorized_keys", "vimrc", "notes"]
        .iter()
        .map(|n| home.join(n))
        .collect();
    for v in &victims {
        std::fs::write(v, "alice's own\n").unwrap();
    }
    assert!(Command::new("chown")
        .args(["-R", &alice.0])
        .arg(&home)
        .status()
        .unwrap()
        .success());
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).unwrap();
    // The team folder, and Mallory's plants in it.
    let shared = base.join("team-db");
    std::fs::create_dir(&shared).unwrap();
    assert!(Command::new("chown")
        .arg(format!("{}:{}", alice.0, team.0))
        .arg(&shared)
        .status()
        .unwrap()
        .success());
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o2770)).unwrap();
    // Each name planted on its own, so each open is tried.
    for (name, victim) in ["server.lock", "server.log", "server.pid"]
        .iter()
        .zip(&victims)
    {
        let planted = shared.join(name);
        assert!(mallory.run(&[
            "ln",
            "-s",
            victim.to_str().unwrap(),
            planted.to_str().unwrap()
        ]));
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
            !out.status.success(),
            "a planted {name} must stop the start"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(name) && err.contains("symbolic link"),
            "{name}: {err}"
        );
        for v in &victims {
            assert_eq!(
                std::fs::read_to_string(v).unwrap(),
                "alice's own\n",
                "{}",
                v.display()
            );
        }
        std::fs::remove_file(&planted).unwrap();
    }
    // Once the plants are gone, the team folder works.
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
    drop(mallory);
    drop(alice);
    drop(team);
}
