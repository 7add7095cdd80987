//! Teammates' saves and presence, pushed by the server to a dedicated connection.

use super::client::{unexpected, Connection};
use super::protocol::{receive, Request, Response, Viewer};
use crate::domain::work_item::WorkItem;
use crate::store::StoreError;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::Path;

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
