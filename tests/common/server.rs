//! A `denialdesk serve` for a test's database, stopped (SIGTERM) however the test ends.

use denialdesk::team::client::RemoteStore;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let _ = self.0.wait();
    }
}

/// Waits up to 15 s for `ok`.
pub fn wait_for(what: &str, ok: impl FnMut() -> bool) {
    wait_long_for(what, Duration::from_secs(15), ok)
}

/// Waits up to `limit` for `ok` (work whose length depends on the machine's load).
pub fn wait_long_for(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
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
    wait_for("the server", || RemoteStore::connect(db).is_ok());
    server
}

/// A raw client of the server at `db`, past its hello: for tests that speak the protocol
/// line by line (what a hostile or broken client would send).
pub fn hello(db: &Path) -> (UnixStream, BufReader<UnixStream>) {
    use denialdesk::team::protocol::{send, Request, PROTOCOL_VERSION};
    let stream = UnixStream::connect(db.join("denialdesk.sock")).unwrap();
    let mut out = stream.try_clone().unwrap();
    let mut input = BufReader::new(stream);
    send(
        &mut out,
        &Request::Hello {
            protocol: PROTOCOL_VERSION,
        },
    )
    .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut input, &mut line).unwrap();
    assert!(line.contains("welcome"), "{line}");
    (out, input)
}
