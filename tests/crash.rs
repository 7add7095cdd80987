//! Crash safety: a process doing a stream of imports and actions is killed with SIGKILL at
//! random moments; after reopening, every acknowledged action is there exactly once, every
//! file is imported whole or not at all, and the audit log matches the data.

mod common;

use chrono::NaiveDate;
use common::*;
use denialdesk::demo::synthetic_835_in_sets;
use denialdesk::domain::action::WorkAction;
use denialdesk::domain::payer_rules::PayerRules;
use denialdesk::import::{import_source, BytesSource};
use denialdesk::store::{SledStore, Store, WorkStore};
use denialdesk::team::client::RemoteStore;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Runs in a child process: imports files and adds notes forever, printing an ACK line
/// after each one returned (and so was flushed). Never on its own: ignored by a plain
/// `cargo test`, and failing loudly without its parent.
#[test]
#[ignore = "a child process of the crash tests"]
fn crash_worker() {
    let db = std::env::var("DD_CRASH_DB").expect("DD_CRASH_DB is set by the parent test");
    let cycle: usize = std::env::var("DD_CRASH_CYCLE").unwrap().parse().unwrap();
    // Through the team server when it runs one (the server is what gets killed), else
    // the store in this process.
    let store: Box<dyn Store> = if std::env::var_os("DD_CRASH_REMOTE").is_some() {
        Box::new(RemoteStore::connect(Path::new(&db)).unwrap())
    } else {
        Box::new(SledStore::open(Path::new(&db)).unwrap())
    };
    let claims: Vec<String> = store
        .work_items()
        .unwrap()
        .into_iter()
        .map(|i| i.claim_id.into())
        .collect();
    let mut out = std::io::stdout().lock();
    for n in 0.. {
        if n % 25 == 0 {
            // Files of 8 transaction sets: 50 claims each (one batch), or every other
            // file 400 each (3,200 claims: stored set by set under the undo journal).
            let name = format!("c{cycle}-f{n}.835");
            let per_set = if (n / 25) % 2 == 1 { 400 } else { 50 };
            let text = synthetic_835_in_sets(8 * per_set, per_set, (cycle * 1000 + n) as u64, 150);
            let text = text
                .replace("LMN0", &format!("X{cycle}N{n}-"))
                .replace("LOS0", &format!("X{cycle}S{n}-"));
            import_source(
                store.as_ref(),
                &BytesSource(name.clone(), text.as_bytes()),
                &PayerRules::default(),
                "crash",
                0,
            )
            .unwrap();
            writeln!(out, "FILE {name}").unwrap();
        } else {
            let claim = &claims[n % claims.len()];
            let note = format!("c{cycle}-n{n}");
            store
                .apply(claim, &WorkAction::AddNote(note.clone()), today(), "crash")
                .unwrap();
            writeln!(out, "NOTE {claim} {note}").unwrap();
        }
        out.flush().unwrap();
    }
}

fn seed(db: &Path) {
    let store = SledStore::open(db).unwrap();
    let mut body = header("AETNA", "60054", "20261101", "T1");
    for n in 0..20 {
        body.extend(claim(&format!("SEED{n}"), 1, "100", "0", &["CO*197*100"]));
    }
    import(&store, "seed.835", &interchange(&STAR, 1, &[body])).unwrap();
}

fn cycles() -> usize {
    std::env::var("DD_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
}

/// Where the store lives while it is killed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// The worker opens the store itself; the worker is killed.
    Embedded,
    /// `denialdesk serve` owns the store and is killed; the worker talks to it.
    TeamServer,
    /// A shell loop runs the real binary, `denialdesk --embedded note|import`, once per
    /// action; the loop and whichever denialdesk is running are killed.
    Cli,
}

/// The shell loop of `Mode::Cli`: an acknowledgement is printed only after denialdesk
/// exited 0, having printed its own "done". Files are written beforehand.
fn spawn_cli_worker(db: &Path, cycle: usize) -> std::process::Child {
    use std::os::unix::process::CommandExt;
    let files = db.with_file_name(format!("files-{cycle}"));
    std::fs::create_dir_all(&files).unwrap();
    for n in [0, 1] {
        let per_set = if cycle % 2 == 1 { 400 } else { 50 };
        let text = synthetic_835_in_sets(8 * per_set, per_set, (cycle * 1000 + n) as u64, 150)
            .replace("LMN0", &format!("X{cycle}N{n}-"))
            .replace("LOS0", &format!("X{cycle}S{n}-"));
        std::fs::write(files.join(format!("c{cycle}-f{n}.835")), text).unwrap();
    }
    let script = r#"
        n=0
        while :; do
          if [ $((n % 25)) -eq 5 ]; then
            f="$FILES/c${CYCLE}-f$((n / 25)).835"
            "$BIN" --db "$DB" --embedded import "$f" > /dev/null || exit 1
            echo "FILE $f"
          else
            claim="SEED$((n % 20))"
            "$BIN" --db "$DB" --embedded note "$claim" "c${CYCLE}-n${n}" > /dev/null || exit 1
            echo "NOTE $claim c${CYCLE}-n${n}"
          fi
          n=$((n + 1))
        done
    "#;
    Command::new("sh")
        .args(["-c", script])
        .env("BIN", env!("CARGO_BIN_EXE_denialdesk"))
        .env("DB", db)
        .env("FILES", &files)
        .env("CYCLE", cycle.to_string())
        .env("XDG_CONFIG_HOME", db.with_file_name("config"))
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn spawn_worker(db: &Path, cycle: usize, mode: Mode) -> std::process::Child {
    if mode == Mode::Cli {
        return spawn_cli_worker(db, cycle);
    }
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "crash_worker",
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("DD_CRASH_DB", db)
        .env("DD_CRASH_CYCLE", cycle.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if mode == Mode::TeamServer {
        command.env("DD_CRASH_REMOTE", "1");
    }
    command.spawn().unwrap()
}

fn spawn_server(db: &Path, cycle: usize) -> std::process::Child {
    let log = db.with_file_name("server.log");
    let mut server = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .arg("--db")
        .arg(db)
        .arg("serve")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    // The previous server's socket is stale: the new one must replace it.
    while RemoteStore::connect(db).is_err() {
        let exited = server.try_wait().unwrap();
        if exited.is_some() || started.elapsed() > Duration::from_secs(60) {
            panic!(
                "cycle {cycle}: the server did not start ({exited:?} after {:?}): {}",
                started.elapsed(),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    server
}

fn kill(child: &mut std::process::Child) {
    // SAFETY: killing a process this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    let _ = child.wait();
}

/// What the workers said was done, across all cycles.
#[derive(Default)]
struct Acknowledged {
    notes: Vec<(String, String)>,
    files: Vec<String>,
}

impl Acknowledged {
    fn read(&mut self, lines: Vec<String>) {
        for line in lines {
            let Some(at) = line.find("NOTE ").or_else(|| line.find("FILE ")) else {
                continue;
            };
            let mut parts = line[at..].split(' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("NOTE"), Some(claim), Some(note)) => {
                    self.notes.push((claim.into(), note.into()))
                }
                (Some("FILE"), Some(file), None) => self.files.push(file.into()),
                _ => {}
            }
        }
    }
}

/// Runs `cycles` start–work–SIGKILL cycles against the database.
fn kill_cycles(db: &Path, cycles: usize, mode: Mode) -> Acknowledged {
    let mut acked = Acknowledged::default();
    let mut rng = 0x2545_F491_4F6C_DD1Du64 ^ cycles as u64;
    for cycle in 0..cycles {
        let mut server = (mode == Mode::TeamServer).then(|| spawn_server(db, cycle));
        let mut worker = spawn_worker(db, cycle, mode);
        let stdout = worker.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(150 + rng % 400));
        match server.as_mut() {
            // The store's owner dies; the worker then fails on its next call.
            Some(server) => {
                kill(server);
                let _ = worker.wait();
            }
            None if mode == Mode::Cli => {
                // The loop and the denialdesk it is running, at once.
                // SAFETY: signalling the process group this test started.
                unsafe { libc::kill(-(worker.id() as i32), libc::SIGKILL) };
                let _ = worker.wait();
            }
            None => kill(&mut worker),
        }
        acked.read(reader.join().unwrap());
    }
    acked
}

/// After the kills: every acknowledged note is there exactly once, every stored record
/// decodes, every acknowledged file is whole and no file is partly there, and the audit
/// log matches the data.
fn check_after_kills(db: &Path, acked: &Acknowledged) -> usize {
    let store = SledStore::open(db).unwrap();
    let items = store.work_items().unwrap(); // every stored item decodes: none half-written
    assert_list_rows_match(&store); // no stale or dangling worklist index entry
    let audit = store.audit_log().unwrap();
    let mut notes: HashSet<(String, String)> = HashSet::new();
    let mut note_events = 0;
    for item in &items {
        assert!(
            !store.claim_history(&item.key).unwrap().is_empty(),
            "{} has its claim",
            item.claim_id
        );
        let timeline = store.timeline(&item.key).unwrap();
        for e in timeline.iter().filter(|e| e.kind.action_name() == "note") {
            note_events += 1;
            let text = e.kind.summary().trim_start_matches("note: ").to_string();
            assert!(
                notes.insert((item.claim_id.to_string(), text)),
                "a note stored twice on {}",
                item.claim_id
            );
        }
        // Every save bumps the version and writes one audit entry in the same batch (the
        // first, when an imported set opened the item, is the set's, which lists it).
        let saves = audit.iter().filter(|a| a.is_about(&item.key)).count();
        assert_eq!(
            item.version as usize, saves,
            "{}: version vs audit",
            item.claim_id
        );
    }
    for note in &acked.notes {
        assert!(notes.contains(note), "acknowledged note {note:?} lost");
    }
    assert_eq!(
        audit.iter().filter(|a| a.action == "note").count(),
        note_events,
        "one audit entry per note"
    );
    let sets_by_file = |file: &str| {
        audit
            .iter()
            .filter(|a| a.action == "import-set" && a.detail.starts_with(&format!("{file}:")))
            .count()
    };
    for file in &acked.files {
        assert_eq!(sets_by_file(file), 8, "acknowledged file {file} complete");
    }
    let files: HashSet<&str> = audit
        .iter()
        .filter(|a| a.action == "import-set")
        .filter_map(|a| a.detail.split(':').next())
        .collect();
    for file in files.iter().filter(|f| **f != "seed.835") {
        assert_eq!(sets_by_file(file), 8, "{file} imported partly");
    }
    // Imports the kills interrupted, rolled back at the next open.
    audit
        .iter()
        .filter(|a| a.action == "import-rolled-back")
        .count()
}

fn crash_run(cycles: usize, mode: Mode) {
    let dir = tempfile::tempdir().unwrap();
    // DD_CRASH_KEEP=1 keeps the database for a post-mortem.
    let dir_path = if std::env::var_os("DD_CRASH_KEEP").is_some() {
        dir.keep()
    } else {
        dir.path().to_path_buf()
    };
    let db = dir_path.join("db");
    eprintln!("{mode:?}: database {}", db.display());
    seed(&db);
    let acked = kill_cycles(&db, cycles, mode);
    assert!(
        acked.notes.len() > cycles,
        "the workers got work done: {}",
        acked.notes.len()
    );
    let rolled_back = check_after_kills(&db, &acked);
    eprintln!(
        "{mode:?}: {cycles} kill cycles: {} notes and {} files acknowledged, all present; {rolled_back} interrupted large imports rolled back whole",
        acked.notes.len(),
        acked.files.len()
    );
}

#[test]
fn embedded_store_killed_at_random_moments_loses_nothing_acknowledged() {
    crash_run(cycles(), Mode::Embedded);
}

#[test]
fn team_server_killed_at_random_moments_loses_nothing_acknowledged() {
    crash_run(cycles(), Mode::TeamServer);
}

#[test]
fn the_real_binary_killed_at_random_moments_loses_nothing_acknowledged() {
    crash_run(cycles(), Mode::Cli);
}

/// The long runs: `cargo test --release --test crash -- --ignored --nocapture`.
#[test]
#[ignore = "long: 500 kill cycles"]
fn five_hundred_kill_cycles_of_the_embedded_store() {
    crash_run(cycles().max(500), Mode::Embedded);
}

#[test]
#[ignore = "long: 500 kill cycles"]
fn five_hundred_kill_cycles_of_the_real_binary() {
    crash_run(cycles().max(500), Mode::Cli);
}

#[test]
#[ignore = "long: 500 kill cycles"]
fn five_hundred_kill_cycles_of_the_team_server() {
    crash_run(cycles().max(500), Mode::TeamServer);
}
