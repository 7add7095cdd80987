//! Teammates' saves and presence, pushed by the server to a dedicated connection.

use super::client::{unexpected, Connection};
use super::protocol::{receive, Request, Response, Viewer};
use crate::domain::work_item::WorkItem;
use crate::store::StoreError;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

/// Where the team server for a database listens (and whose saves a subscription follows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerAddress {
    /// A database folder's own server (its `denialdesk.sock`), auto-started when none
    /// answers.
    Database(PathBuf),
    /// A team service's socket (`serve --socket`): never started by a client.
    Service(PathBuf),
}

/// What a subscription brings.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Work items just saved; empty means "much changed: reload everything".
    Changed(Vec<WorkItem>),
    /// Who has which claim open now.
    Presence(Vec<Viewer>),
}

/// A connection that receives teammates' saves and presence.
pub struct Subscription {
    input: BufReader<UnixStream>,
    _output: UnixStream,
}

impl Subscription {
    /// Subscribes at the server of the database folder `db`.
    pub fn open(db: &Path) -> Result<Subscription, StoreError> {
        Subscription::open_socket(&super::server::socket_path(db))
    }

    /// Subscribes at the server listening on `socket`.
    pub fn open_socket(socket: &Path) -> Result<Subscription, StoreError> {
        let (mut conn, _, _) = Connection::open(socket)?;
        match conn.call(&Request::Subscribe)? {
            Response::Done => {
                // Notices come when teammates save: hours may pass between two.
                conn.input
                    .get_ref()
                    .set_read_timeout(None)
                    .map_err(super::client::io)?;
                Ok(Subscription {
                    input: conn.input,
                    _output: conn.output,
                })
            }
            r => Err(unexpected(r)),
        }
    }

    /// The next notice (blocking); `None` when the server went away.
    pub fn next_notice(&mut self) -> Option<Notice> {
        loop {
            match receive::<Response>(&mut self.input) {
                Ok(Some(Response::Changed { items })) => return Some(Notice::Changed(items)),
                Ok(Some(Response::Presence { viewers })) => return Some(Notice::Presence(viewers)),
                Ok(Some(_)) => continue,
                _ => return None,
            }
        }
    }
}

/// What a live feed brings: a notice, or word that it stopped (it reconnects by itself).
#[derive(Debug, Clone, PartialEq)]
pub enum Live {
    /// A teammate's save or a presence change.
    Notice(Notice),
    /// The subscription ended (the server went away, or this client was dropped for
    /// falling behind while suspended): what is shown should be reloaded.
    Lost,
    /// Subscribed again after a loss.
    Back,
}

/// Follows `server`'s notices for as long as `on` returns true; when the subscription
/// ends, says so, starts a database's server again if none returns (idling out after
/// `idle_secs`; a service is restarted by its manager) and subscribes again.
pub fn follow(server: &ServerAddress, idle_secs: u64, mut on: impl FnMut(Live) -> bool) {
    loop {
        let subscribed = match server {
            ServerAddress::Database(db) => Subscription::open(db),
            ServerAddress::Service(socket) => Subscription::open_socket(socket),
        };
        match subscribed {
            Ok(mut sub) => {
                while let Some(notice) = sub.next_notice() {
                    if !on(Live::Notice(notice)) {
                        return;
                    }
                }
                if !on(Live::Lost) {
                    return;
                }
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_secs(1)),
        }
        match server {
            ServerAddress::Database(db) => {
                let _ = super::autostart::connect_or_start(db, idle_secs);
            }
            ServerAddress::Service(_) => std::thread::sleep(std::time::Duration::from_secs(1)),
        }
        if !on(Live::Back) {
            return;
        }
    }
}
