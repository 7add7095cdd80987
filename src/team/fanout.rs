//! Pushing notices (teammates' saves, presence) to subscribed clients without ever letting
//! one of them slow the others down. Each subscriber has its own bounded outbox and a
//! writer thread that drains it into the socket; a save only drops the notice into each
//! outbox. A client that stops reading (a TUI suspended with Ctrl-Z, a dead SSH session)
//! fills its own outbox and is then dropped: its connection is shut, and when it wakes it
//! sees the subscription end, reconnects and reloads — nothing is lost, nobody waits.

use super::protocol::Response;
use std::io::Write;
use std::net::Shutdown;
use std::os::unix::net::UnixStream;
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

/// Notices a subscriber may have queued before it is dropped as stopped. Far more than a
/// reading client ever has waiting; at most a few MB held for one that stopped.
pub const OUTBOX_NOTICES: usize = 128;

struct Subscriber {
    outbox: SyncSender<Arc<[u8]>>,
    /// To shut the connection when the subscriber is dropped (which also ends its writer).
    socket: UnixStream,
    user: String,
    session: u64,
}

/// Everyone subscribed to notices.
#[derive(Default)]
pub struct Subscribers {
    list: Mutex<Vec<Subscriber>>,
}

fn encode(notice: &Response) -> Arc<[u8]> {
    let mut line = serde_json::to_vec(notice).expect("responses always serialise");
    line.push(b'\n');
    line.into()
}

impl Subscribers {
    /// Subscribes the connection `socket`, sending `first` (the presence snapshot) first.
    pub fn add(
        &self,
        socket: &UnixStream,
        first: &Response,
        user: &str,
        session: u64,
    ) -> std::io::Result<()> {
        let (outbox, queued) = sync_channel::<Arc<[u8]>>(OUTBOX_NOTICES);
        let mut writer = socket.try_clone()?;
        outbox
            .try_send(encode(first))
            .expect("a new outbox has room");
        std::thread::spawn(move || {
            for line in queued {
                if writer.write_all(&line).is_err() {
                    let _ = writer.shutdown(Shutdown::Both);
                    break;
                }
            }
        });
        self.list
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Subscriber {
                outbox,
                socket: socket.try_clone()?,
                user: user.to_string(),
                session,
            });
        Ok(())
    }

    /// Queues `notice` for every subscriber; never blocks on any of them.
    pub fn notify(&self, notice: &Response) {
        let line = encode(notice);
        let mut list = self.list.lock().unwrap_or_else(|p| p.into_inner());
        list.retain(|s| match s.outbox.try_send(Arc::clone(&line)) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                crate::team::server_log!(
                    "subscriber {} (session {}) stopped reading ({OUTBOX_NOTICES} notices behind): dropped; it reloads when it wakes",
                    s.user, s.session
                );
                let _ = s.socket.shutdown(Shutdown::Both);
                false
            }
            Err(TrySendError::Disconnected(_)) => false,
        });
    }

    /// Unsubscribes `session` (its connection ended), ending its writer.
    pub fn remove(&self, session: u64) {
        self.list
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|s| s.session != session);
    }
}
