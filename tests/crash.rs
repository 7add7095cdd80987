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
use denialdesk::store::{SledStore, Store};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Runs in a child process: imports files and adds notes forever, printing an ACK line
/// after each one returned (and so was flushed).
#[test]
fn crash_worker() {
    let Ok(db) = std::env::var("DD_CRASH_DB") else {
        return;
    };
    let cycle: usize = std::env::var("DD_CRASH_CYCLE").unwrap().parse().unwrap();
    let store = SledStore::open(Path::new(&db)).unwrap();
    let claims: Vec<String> = store
        .work_items()
        .unwrap()
        .into_iter()
        .map(|i| i.claim_id)
        .collect();
    let mut out = std::io::stdout().lock();
    for n in 0.. {
        if n % 25 == 0 {
            // A file of 8 transaction sets of 50 claims.
            let name = format!("c{cycle}-f{n}.835");
            let text = synthetic_835_in_sets(400, 50, (cycle * 1000 + n) as u64, 150);
            let text = text
                .replace("LMN0", &format!("X{cycle}N{n}-"))
                .replace("LOS0", &format!("X{cycle}S{n}-"));
            import_source(
                &store,
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

#[test]
fn killed_at_random_moments_nothing_acknowledged_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    seed(&db);
    let mut acked_notes: Vec<(String, String)> = Vec::new();
    let mut acked_files: Vec<String> = Vec::new();
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    for cycle in 0..cycles() {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash_worker",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env("DD_CRASH_DB", &db)
            .env("DD_CRASH_CYCLE", cycle.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
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
        // SAFETY: killing the child this test started.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        let _ = child.wait();
        for line in reader.join().unwrap() {
            let Some(at) = line.find("NOTE ").or_else(|| line.find("FILE ")) else {
                continue;
            };
            let mut parts = line[at..].split(' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("NOTE"), Some(claim), Some(note)) => {
                    acked_notes.push((claim.into(), note.into()))
                }
                (Some("FILE"), Some(file), None) => acked_files.push(file.into()),
                _ => {}
            }
        }
    }
    assert!(
        acked_notes.len() > cycles(),
        "the workers got work done: {}",
        acked_notes.len()
    );

    let store = SledStore::open(&db).unwrap();
    let items = store.work_items().unwrap(); // every stored item decodes: none half-written
    let mut notes: HashSet<(String, String)> = HashSet::new();
    let mut note_events = 0;
    for item in &items {
        assert!(
            !store.claim_history(&item.claim_id).unwrap().is_empty(),
            "{} has its claim",
            item.claim_id
        );
        let timeline = store.timeline(&item.claim_id).unwrap();
        let changes = timeline
            .iter()
            .filter(|e| e.kind.action_name() != "adjudicated")
            .count();
        assert!(item.version as usize >= 1, "{}", item.claim_id);
        for e in timeline.iter().filter(|e| e.kind.action_name() == "note") {
            note_events += 1;
            let text = e.kind.summary().trim_start_matches("note: ").to_string();
            assert!(
                notes.insert((item.claim_id.clone(), text)),
                "a note stored twice on {}",
                item.claim_id
            );
        }
        let _ = changes;
    }
    for acked in &acked_notes {
        assert!(notes.contains(acked), "acknowledged note {acked:?} lost");
    }
    // The audit log matches the data: one note entry per note event.
    let audit = store.audit_log().unwrap();
    assert_eq!(
        audit.iter().filter(|a| a.action == "note").count(),
        note_events
    );
    // Files: each imported whole or not at all.
    let sets_by_file = |file: &str| {
        audit
            .iter()
            .filter(|a| a.action == "import-set" && a.detail.starts_with(&format!("{file}:")))
            .count()
    };
    for file in &acked_files {
        assert_eq!(sets_by_file(file), 8, "acknowledged file {file} complete");
    }
    let mut files: HashSet<String> = HashSet::new();
    for a in audit.iter().filter(|a| a.action == "import-set") {
        files.insert(a.detail.split(':').next().unwrap().to_string());
    }
    for file in files.iter().filter(|f| f.as_str() != "seed.835") {
        assert_eq!(sets_by_file(file), 8, "{file} imported partly");
    }
    eprintln!(
        "{} kill cycles: {} notes and {} files acknowledged, all present",
        cycles(),
        acked_notes.len(),
        acked_files.len()
    );
}
