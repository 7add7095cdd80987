//! Issue 13, item 1, as real OS users: in a team folder every member can write, a member
//! who plants `server.lock`, `server.log` or `server.pid` as a link to another member's
//! file gets nothing written through it: the client refuses, names the file, and the
//! victim's file is untouched.

mod common;

use common::host::{stderr, Host};
use common::users::*;
use common::*;

#[test]
fn links_planted_in_a_team_folder_are_never_written_through() {
    if !root_or_skip() {
        return;
    }
    let alice = User::new("sa").expect("useradd works as root");
    let mallory = User::new("sm").expect("useradd works as root");
    let team = Group::new("st", &[&alice, &mallory]).expect("groupadd works as root");
    let host = Host::new();
    let home = host.make_home(&alice);
    let body = set(&[
        header("ACME", "60054", "20261101", "T1"),
        claim("C1", 1, "400", "0", &["CO*197*400"]),
    ]);
    let remit = host.public_file("c1.835", &interchange(&STAR, 1, &[body]));
    // Alice's own files, which a server started by her client could write.
    let victims: Vec<_> = ["authorized_keys", "vimrc", "notes"]
        .iter()
        .map(|n| home.join(n))
        .collect();
    for v in &victims {
        assert!(alice.run(&[
            "sh",
            "-c",
            &format!("echo \"alice's own\" > {}", v.display())
        ]));
    }
    // The team folder, and Mallory's plants in it.
    let shared = host.team_folder(&alice, &team, "team-db");
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
        let out = host.run(
            &alice,
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
        let err = stderr(&out);
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
    // A link planted in the folder is never followed when the server sets
    // the modes of what is in the folder: Alice's private file keeps its mode.
    let private = home.join("id_rsa");
    assert!(alice.run(&[
        "sh",
        "-c",
        &format!("umask 077; echo key > {}", private.display())
    ]));
    assert!(mallory.run(&[
        "ln",
        "-s",
        private.to_str().unwrap(),
        shared.join("planted-link").to_str().unwrap()
    ]));
    // Once the server plants are gone, the team folder works.
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
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        std::fs::metadata(&private).unwrap().mode() & 0o7777,
        0o600,
        "a planted link must never carry a chmod to Alice's file"
    );
    drop(mallory);
    drop(alice);
    drop(team);
}

/// A planted hard link to a member's private file, a FIFO under a name denialdesk keeps,
/// and escape sequences in the log: the owner's file keeps its mode, nobody hangs, and the
/// failure message reaches the terminal escaped.
#[test]
fn hard_links_fifos_and_hostile_log_lines_planted_in_a_team_folder_change_and_hang_nothing() {
    if !root_or_skip() {
        return;
    }
    let carol = User::new("ha").expect("useradd works as root");
    let dan = User::new("hd").expect("useradd works as root");
    let team = Group::new("ht", &[&carol, &dan]).expect("groupadd works as root");
    let host = Host::new();
    let home = host.make_home(&carol);
    host.make_home(&dan);
    let body = set(&[
        header("ACME", "60054", "20261101", "T1"),
        claim("C1", 1, "400", "0", &["CO*197*400"]),
    ]);
    let remit = host.public_file("c1.835", &interchange(&STAR, 1, &[body]));
    let shared = host.team_folder(&carol, &team, "team-db");
    let db = shared.to_str().unwrap();
    let out = host.run(&carol, &["--db", db, "import", remit.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    // A hard link to Carol's private file (root makes it, as a host without
    // fs.protected_hardlinks would let Dan): opening the team folder leaves it 0600.
    let private = home.join("private.txt");
    assert!(carol.run(&[
        "sh",
        "-c",
        &format!("umask 077; echo ssn > {}", private.display())
    ]));
    std::fs::hard_link(&private, shared.join("notes.txt")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500)); // the server idles out
    let out = host.run(&carol, &["--db", db, "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    use std::os::unix::fs::MetadataExt;
    assert_eq!(std::fs::metadata(&private).unwrap().mode() & 0o7777, 0o600);
    std::fs::remove_file(shared.join("notes.txt")).unwrap();

    // A FIFO as server.pid: the start fails at once, naming it, instead of hanging.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let _ = std::fs::remove_file(shared.join("server.pid"));
    assert!(dan.run(&[
        "mkfifo",
        "-m",
        "660",
        shared.join("server.pid").to_str().unwrap()
    ]));
    // And a last log line with an escape sequence and no line end.
    assert!(dan.run(&[
        "sh",
        "-c",
        &format!("printf 'owned\\033]0;PWNED\\007' >> {}/server.log", db)
    ]));
    let started = std::time::Instant::now();
    let out = host.run(&carol, &["--db", db, "list"]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "a FIFO must not hang the start"
    );
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(said.contains("server.pid"), "{said}");
    assert!(
        !said.contains('\u{1b}') && !said.contains('\u{7}'),
        "escaped: {said:?}"
    );
    drop(dan);
    drop(carol);
    drop(team);
}
