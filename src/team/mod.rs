//! Team mode: one server process owns a database's sled store; every teammate's TUI and
//! CLI talks to it over a Unix socket — the database folder's own (auto-started servers)
//! or a team service's (`serve --socket`, see README, Security model).

/// One line in the server's log (its stderr: `server.log` for an auto-started server, the
/// journal for a service), stamped with the UTC time so a rotated log still says when.
macro_rules! server_log {
    ($($arg:tt)*) => {
        eprintln!(
            "{} {}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            format_args!($($arg)*)
        )
    };
}
pub(crate) use server_log;

mod admission;
pub mod autostart;
pub mod client;
mod client_connection;
mod client_import;
mod client_streams;
mod error_reply;
mod fanout;
mod peer;
pub mod protocol;
pub mod reply;
pub mod server;
mod server_import;
mod server_requests;
mod server_state;
mod server_streams;
mod session;
mod spool;
mod store_slot;
pub mod subscription;
pub mod wire;
