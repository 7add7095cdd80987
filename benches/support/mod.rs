//! What several benchmarks share: a generated database, and a team server for it,
//! stopped when dropped (its stdout closed, so a bench piped into a command ends with it).

use denialdesk::demo::synthetic_835_with_denials;
use denialdesk::domain::payer_rules::PayerRules;
use denialdesk::import::{import_source, BytesSource};
use denialdesk::store::{SledStore, WorkStore};
use denialdesk::team::client::RemoteStore;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        // A clean stop (SIGTERM: finish, flush, leave), as a service manager would; a
        // killed server makes the next open replay sled's log.
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let _ = self.0.wait();
    }
}

/// Starts `denialdesk serve` for `db` and waits until it answers.
pub fn start_server(db: &Path) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .arg("--db")
        .arg(db)
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    let start = Instant::now();
    while RemoteStore::connect(db).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    server
}

/// Fills a new database at `db` with `claims` synthetic claims, `per_mille` of them
/// denied; returns the denied claims' ids.
pub fn generated_store(db: &Path, claims: usize, seed: u64, per_mille: u32) -> Vec<String> {
    let store = SledStore::open(db).unwrap();
    let text = synthetic_835_with_denials(claims, seed, per_mille);
    import_source(
        &store,
        &BytesSource("bench.835".into(), text.as_bytes()),
        &PayerRules::default(),
        "bench",
        0,
    )
    .unwrap();
    store
        .work_items()
        .unwrap()
        .into_iter()
        .map(|i| i.claim_id.into())
        .collect()
}
