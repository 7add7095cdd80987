//! Team mode with real processes: a server, several client processes hammering it,
//! conflicts, identity from peer credentials, auto-start, idle exit and stale sockets.

mod common;

use chrono::NaiveDate;
use common::server::*;
use common::*;
use denialdesk::domain::action::WorkAction;
use denialdesk::identity::os_user;
use denialdesk::store::{Store, StoreError, WorkStore};
use denialdesk::team::client::RemoteStore;
use denialdesk::team::protocol::PROTOCOL_VERSION;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const CLAIMS: [&str; 8] = ["K0", "K1", "K2", "K3", "K4", "K5", "K6", "K7"];
const CLIENTS: usize = 8;
const MUTATIONS: usize = 500;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_denialdesk"))
}

/// A database with eight denials, and a config whose auto-started servers idle out fast.
fn database(dir: &Path) -> PathBuf {
    quick_servers(dir);
    let mut body = header("AETNA", "60054", "20261101", "T1");
    for c in CLAIMS {
        body.extend(claim(c, 1, "100", "0", &["CO*197*100"]));
    }
    let file = dir.join("seed.835");
    std::fs::write(&file, interchange(&STAR, 1, &[body])).unwrap();
    let db = dir.join("db");
    let out = bin()
        .arg("--db")
        .arg(&db)
        .arg("--embedded")
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// Runs in a child process (see `eight_clients_times_500_mutations_lose_nothing`), never
/// on its own: ignored by a plain `cargo test`, and failing loudly without its parent.
#[test]
#[ignore = "a child process of eight_clients_times_500_mutations_lose_nothing"]
fn child_client() {
    let db = std::env::var("DD_TEAM_DB").expect("DD_TEAM_DB is set by the parent test");
    let k = std::env::var("DD_TEAM_CLIENT").expect("DD_TEAM_CLIENT is set by the parent test");
    let k: usize = k.parse().unwrap();
    let store = RemoteStore::connect(Path::new(&db)).unwrap();
    let mut out = std::io::stdout().lock();
    for n in 0..MUTATIONS {
        let claim = CLAIMS[(k + n) % CLAIMS.len()];
        let note = format!("c{k}-{n}");
        store
            .apply(
                claim,
                &WorkAction::AddNote(note.clone()),
                today(),
                "ignored",
            )
            .unwrap();
        writeln!(out, "ACK {claim} {note}").unwrap();
    }
}

#[test]
fn eight_clients_times_500_mutations_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let _server = start_server(&db);
    let children: Vec<Child> = (0..CLIENTS)
        .map(|k| {
            Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "child_client",
                    "--ignored",
                    "--nocapture",
                    "--test-threads",
                    "1",
                ])
                .env("DD_TEAM_DB", &db)
                .env("DD_TEAM_CLIENT", k.to_string())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut acked: Vec<(String, String)> = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            // The test harness may print "test child_client ... " before the first line.
            if let Some(rest) = line.find("ACK ").map(|at| &line[at + 4..]) {
                let (claim, note) = rest.split_once(' ').unwrap();
                acked.push((claim.to_string(), note.to_string()));
            }
        }
    }
    assert_eq!(acked.len(), CLIENTS * MUTATIONS);
    let store = RemoteStore::connect(&db).unwrap();
    let me = os_user();
    for c in CLAIMS {
        let notes: Vec<String> = store
            .timeline(c)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind.action_name() == "note")
            .map(|e| {
                assert_eq!(e.user, me, "events carry the peer-credential user");
                e.kind.summary().trim_start_matches("note: ").to_string()
            })
            .collect();
        let mut expected: Vec<String> = acked
            .iter()
            .filter(|(claim, _)| claim == c)
            .map(|(_, n)| n.clone())
            .collect();
        let mut got = notes.clone();
        expected.sort();
        got.sort();
        assert_eq!(got, expected, "every acknowledged note on {c} exactly once");
        let item = store.work_item(c).unwrap().unwrap();
        assert_eq!(
            item.version,
            1 + notes.len() as u64,
            "one version per saved change on {c}"
        );
    }
    let audit: Vec<_> = store
        .audit_log()
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "note")
        .collect();
    assert_eq!(audit.len(), CLIENTS * MUTATIONS);
    assert!(audit.iter().all(|a| a.user == me));
}

#[test]
fn two_saves_from_the_same_version_one_wins() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let _server = start_server(&db);
    let (a, b) = (
        RemoteStore::connect(&db).unwrap(),
        RemoteStore::connect(&db).unwrap(),
    );
    let v = a.work_item("K0").unwrap().unwrap().version;
    let first = a.apply_at_version(
        "K0",
        &WorkAction::Assign(Some("maria".into())),
        today(),
        "",
        Some(v),
    );
    let second = b.apply_at_version(
        "K0",
        &WorkAction::Assign(Some("devon".into())),
        today(),
        "",
        Some(v),
    );
    // Notes (and calls) only add: both land, whatever version they were typed at.
    for who in ["a", "b"] {
        a.apply_at_version(
            "K0",
            &WorkAction::AddNote(format!("from {who}")),
            today(),
            "",
            Some(v),
        )
        .unwrap();
    }
    assert!(first.is_ok());
    match second {
        Err(StoreError::Conflict { claim, user, .. }) => {
            assert_eq!(claim, "K0");
            assert_eq!(user, os_user());
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn raw_session(db: &Path, lines: &[&str]) -> Vec<String> {
    let stream = UnixStream::connect(db.join("denialdesk.sock")).unwrap();
    let mut out = stream.try_clone().unwrap();
    let mut input = BufReader::new(stream);
    let mut replies = Vec::new();
    for line in lines {
        writeln!(out, "{line}").unwrap();
        let mut reply = String::new();
        input.read_line(&mut reply).unwrap();
        replies.push(reply);
    }
    replies
}

#[test]
fn the_user_is_the_peer_credential_whatever_the_client_claims() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let _server = start_server(&db);
    let hello = format!(r#"{{"op":"hello","protocol":{PROTOCOL_VERSION},"user":"mallory"}}"#);
    let replies = raw_session(
        &db,
        &[
            &hello,
            r#"{"op":"apply","claim":"K1","action":{"add-note":"who am I"},"today":"2026-11-24","expected":null,"user":"mallory"}"#,
        ],
    );
    assert!(
        replies[0].contains("welcome") && replies[0].contains(&os_user()),
        "{}",
        replies[0]
    );
    assert!(replies[1].contains("work_item"), "{}", replies[1]);
    let store = RemoteStore::connect(&db).unwrap();
    let last = store.audit_log().unwrap().pop().unwrap();
    assert_eq!(last.user, os_user());
    assert_ne!(last.user, "mallory");
    let wrong = raw_session(&db, &[r#"{"op":"hello","protocol":99}"#]);
    assert!(
        wrong[0].contains(&format!("protocol {PROTOCOL_VERSION}")) && wrong[0].contains("99"),
        "{}",
        wrong[0]
    );
}

#[test]
fn clients_started_together_share_one_auto_started_server_which_idles_out() {
    let dir = tempfile::tempdir().unwrap();
    quick_servers(dir.path());
    // A fresh database: the folder does not exist yet.
    let db = dir.path().join("fresh");
    let config = dir.path().join("config");
    let run = || {
        bin()
            .env("XDG_CONFIG_HOME", &config)
            .arg("--db")
            .arg(&db)
            .args(["list", "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (run(), run());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        let log = std::fs::read_to_string(db.join("server.log")).unwrap_or_default();
        assert!(
            out.status.success(),
            "{}\nserver log:\n{log}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 0);
    }
    let log = std::fs::read_to_string(db.join("server.log")).unwrap();
    assert_eq!(
        log.matches("denialdesk server for").count(),
        1,
        "one server:\n{log}"
    );
    // server_idle_secs = 1: it leaves once nobody is connected.
    wait_for("the idle server to exit", || {
        !db.join("denialdesk.sock").exists()
    });
    // With no server, --embedded opens the database directly.
    let out = bin()
        .env("XDG_CONFIG_HOME", &config)
        .arg("--db")
        .arg(&db)
        .args(["--embedded", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_killed_server_leaves_a_stale_socket_the_next_client_recovers_from() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let config = dir.path().join("config");
    let list = || {
        bin()
            .env("XDG_CONFIG_HOME", &config)
            .arg("--db")
            .arg(&db)
            .args(["list", "--json"])
            .output()
            .unwrap()
    };
    assert!(list().status.success());
    let pid: i32 = std::fs::read_to_string(db.join("server.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // SAFETY: killing the server this test started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    wait_for("the server to die", || {
        UnixStream::connect(db.join("denialdesk.sock")).is_err()
    });
    assert!(
        db.join("denialdesk.sock").exists(),
        "SIGKILL leaves the socket behind"
    );
    let out = list();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        CLAIMS.len()
    );
}

#[test]
fn a_client_survives_its_server_going_away() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let exe = Path::new(env!("CARGO_BIN_EXE_denialdesk"));
    let store = denialdesk::team::autostart::connect_or_start_with(&db, 1, exe, false).unwrap();
    assert_eq!(store.work_items().unwrap().len(), CLAIMS.len());
    let pid: i32 = std::fs::read_to_string(db.join("server.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // SAFETY: stopping the server this test started, the way an operator would.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    wait_for("the server to stop", || {
        !db.join("denialdesk.sock").exists()
    });
    // A read reconnects, starting a new server, without the caller noticing.
    assert_eq!(store.work_items().unwrap().len(), CLAIMS.len());
    store
        .apply(
            "K2",
            &WorkAction::AddNote("after restart".into()),
            today(),
            "",
        )
        .unwrap_or_else(|e| {
            panic!(
                "{e}; log:\n{}",
                std::fs::read_to_string(db.join("server.log")).unwrap_or_default()
            )
        });
    assert_ne!(
        std::fs::read_to_string(db.join("server.pid"))
            .unwrap()
            .trim(),
        pid.to_string()
    );
}

#[test]
fn presence_tells_teammates_who_has_a_claim_open() {
    use denialdesk::team::subscription::{Notice, Subscription};
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let _server = start_server(&db);
    let mut watcher = Subscription::open(&db).unwrap();
    assert_eq!(
        watcher.next_notice(),
        Some(Notice::Presence(vec![])),
        "a snapshot first"
    );
    let maria = RemoteStore::connect(&db).unwrap();
    maria.set_viewing(Some("K3")).unwrap();
    match watcher.next_notice() {
        Some(Notice::Presence(viewers)) => {
            assert_eq!(viewers.len(), 1);
            assert_eq!(
                (viewers[0].claim.as_str(), viewers[0].session),
                ("K3", maria.session().unwrap())
            );
            assert_eq!(viewers[0].user, os_user());
        }
        other => panic!("expected presence, got {other:?}"),
    }
    drop(maria); // closing the session clears its presence
    assert_eq!(watcher.next_notice(), Some(Notice::Presence(vec![])));
}

/// Writes the config file the test's processes read.
fn write_config(dir: &Path, text: &str) {
    let config = dir.join("config").join("denialdesk").join("config.toml");
    std::fs::write(config, text).unwrap();
}

#[test]
fn an_allow_list_for_a_database_folders_own_server_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    write_config(
        dir.path(),
        "server_idle_secs = 1\nallowed_users = [\"somebody-else\"]\n",
    );
    let out = bin()
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .arg("--db")
        .arg(&db)
        .arg("list")
        .output()
        .unwrap();
    assert!(!out.status.success(), "a pretend boundary must not start");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("enforced only by a team service"), "{err}");
}

/// Our own primary group's name, from the system's group database.
fn own_group() -> String {
    std::fs::read_to_string("/etc/group")
        .unwrap()
        .lines()
        .find_map(|l| {
            let mut f = l.split(':');
            let (name, gid) = (f.next()?, f.nth(1)?);
            // SAFETY: getgid cannot fail.
            let ours = unsafe { libc::getgid() };
            (gid.parse::<u32>().ok()? == ours).then(|| name.to_string())
        })
        .expect("our group is in /etc/group")
}

/// `serve --socket` for `db`, listening at `socket`, with the config in `dir/config`.
fn start_service(dir: &Path, db: &Path, socket: &Path) -> Child {
    let child = bin()
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .arg("--db")
        .arg(db)
        .arg("serve")
        .arg("--socket")
        .arg(socket)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("service.log")).unwrap())
        .spawn()
        .unwrap();
    wait_for("the service", || {
        socket.exists()
            || std::fs::read_to_string(dir.join("service.log")).is_ok_and(|l| l.contains("error"))
    });
    child
}

fn stop(mut child: Child) {
    // SAFETY: stopping the server this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = child.wait();
}

#[test]
fn a_team_service_admits_its_allow_list_only_and_logs_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let socket = dir.path().join("run").join("denialdesk.sock");
    std::fs::create_dir(dir.path().join("run")).unwrap();
    write_config(
        dir.path(),
        &format!(
            "allowed_users = [\"somebody-else\"]\nallowed_groups = [\"{}\"]\n",
            own_group()
        ),
    );
    let service = start_service(dir.path(), &db, &socket);
    let via_service = |args: &[&str]| {
        bin()
            .env("XDG_CONFIG_HOME", dir.path().join("nobody-config"))
            .arg("--server")
            .arg(&socket)
            .args(args)
            .output()
            .unwrap()
    };
    let out = via_service(&["list"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("K0"));
    stop(service);

    // The same service without us on its list.
    write_config(dir.path(), "allowed_users = [\"somebody-else\"]\n");
    let service = start_service(dir.path(), &db, &socket);
    let out = via_service(&["list"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("user {} is not allowed", os_user())),
        "{err}"
    );
    stop(service);
    let log = std::fs::read_to_string(dir.path().join("service.log")).unwrap();
    assert!(log.contains("refused connection from user"), "{log}");
    // Every line says when (a rotated log must still say when a refusal happened).
    for line in log.lines().filter(|l| !l.is_empty()) {
        let stamp = line.split(' ').next().unwrap_or("");
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "no time on {line:?}"
        );
    }
}

#[test]
fn a_team_service_refuses_setups_that_would_be_a_pretence() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let socket = dir.path().join("denialdesk-service.sock");
    // No allow-list: anyone on the host could connect.
    write_config(dir.path(), "server_idle_secs = 1\n");
    let out = bin()
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .arg("--db")
        .arg(&db)
        .args(["serve", "--socket"])
        .arg(&socket)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs an allow-list"));
    // A team folder: its group could read around the service.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o2770)).unwrap();
    write_config(
        dir.path(),
        &format!("allowed_groups = [\"{}\"]\n", own_group()),
    );
    let out = bin()
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .arg("--db")
        .arg(&db)
        .args(["serve", "--socket"])
        .arg(&socket)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("only its account can open"));
}

/// The worklist and its list rows cross the socket packed (the stored compact form): what
/// the client gets equals what the store holds, field for field, and a damaged packed reply is an error.
#[test]
fn the_packed_worklist_equals_the_stored_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let server = start_server(&db);
    let remote = RemoteStore::connect(&db).unwrap();
    // The server keeps the packed worklist between writes: a write must show at once.
    let before = remote.work_items().unwrap();
    assert_eq!(
        remote.work_items().unwrap(),
        before,
        "served from the cache"
    );
    let rows_before = remote.list_rows().unwrap();
    assert_eq!(
        remote.list_rows().unwrap(),
        rows_before,
        "rows from the cache"
    );
    remote
        .apply(
            CLAIMS[0],
            &WorkAction::AddNote("packed".into()),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            "x",
        )
        .unwrap();
    let through_server = remote.work_items().unwrap();
    let changed = through_server
        .iter()
        .find(|i| i.claim_id == CLAIMS[0])
        .unwrap();
    let was = before.iter().find(|i| i.claim_id == CLAIMS[0]).unwrap();
    assert_eq!(
        changed.version,
        was.version + 1,
        "the write invalidated the cache"
    );
    let rows = remote.list_rows().unwrap();
    let changed_row = rows.iter().find(|r| r.claim_id == CLAIMS[0]).unwrap();
    assert_eq!(
        changed_row.version, changed.version,
        "the write invalidated the cached rows too"
    );
    assert_eq!(rows.len(), rows_before.len());
    assert_list_rows_match(&remote);
    drop(remote);
    drop(server);
    let embedded = denialdesk::store::SledStore::open(&db).unwrap();
    assert_eq!(through_server, embedded.work_items().unwrap());
    assert_eq!(rows, embedded.list_rows().unwrap());
    assert_eq!(through_server.len(), CLAIMS.len());
    // A damaged packed reply is an error, not a panic or a short worklist.
    use denialdesk::domain::work_item::WorkItem;
    use denialdesk::store::sled_store::unpack;
    assert!(unpack::<WorkItem>(1, &[9, 0, 0, 0, 1]).is_err());
    assert!(unpack::<WorkItem>(2, &[]).is_err());
}
