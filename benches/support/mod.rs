//! What several benchmarks share: a team server for a database, stopped when dropped
//! (and its stdout closed, so a bench piped into another command ends with it).

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
