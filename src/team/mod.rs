//! Team mode: one server process owns a database's sled store; every teammate's TUI and
//! CLI talks to it over a Unix socket — the database folder's own (auto-started servers)
//! or a team service's (`serve --socket`, see README, Security model).

mod admission;
pub mod autostart;
pub mod client;
mod client_connection;
mod client_streams;
mod error_reply;
mod fanout;
mod peer;
pub mod protocol;
pub mod reply;
pub mod server;
mod server_requests;
mod server_state;
mod server_streams;
mod session;
mod store_slot;
pub mod subscription;
pub mod wire;
