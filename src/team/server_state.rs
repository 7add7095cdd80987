//! What the team server's connections share: the store, the subscribers, presence, who is
//! connected, and the stop flag a signal sets.

use super::admission::Admission;
use super::fanout::Subscribers;
use super::protocol::{Response, Viewer};
use super::store_slot::StoreSlot;
use super::wire::LineBudget;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Set by SIGTERM/SIGINT (or the idle timeout): finish, flush and leave.
pub(super) static STOP: AtomicBool = AtomicBool::new(false);

pub(super) extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

pub(super) struct Shared {
    pub(super) store: StoreSlot,
    pub(super) subscribers: Subscribers,
    pub(super) clients: AtomicUsize,
    /// Requests being served right now: a stopping server waits for them to finish.
    pub(super) busy: AtomicUsize,
    pub(super) admission: Arc<Admission>,
    /// Memory all connections' unfinished long lines may hold together.
    pub(super) line_budget: LineBudget,
    pub(super) last_seen: Mutex<Instant>,
    /// Users and groups allowed to connect (both empty: anyone who can reach the socket).
    pub(super) allowed: Vec<String>,
    pub(super) allowed_groups: Vec<String>,
    pub(super) next_session: AtomicU64,
    /// Who has which claim open, by session.
    pub(super) viewers: Mutex<BTreeMap<u64, Viewer>>,
}

impl Shared {
    pub(super) fn presence(&self) -> Response {
        let viewers = self.viewers.lock().unwrap_or_else(|p| p.into_inner());
        Response::Presence {
            viewers: viewers.values().cloned().collect(),
        }
    }

    /// Records what a session has open and tells everyone.
    pub(super) fn set_viewing(&self, session: u64, user: &str, claim: Option<String>) {
        let changed = {
            let mut viewers = self.viewers.lock().unwrap_or_else(|p| p.into_inner());
            match claim {
                Some(claim) => {
                    let viewer = Viewer {
                        session,
                        user: user.to_string(),
                        claim,
                    };
                    viewers.insert(session, viewer.clone()) != Some(viewer)
                }
                None => viewers.remove(&session).is_some(),
            }
        };
        if changed {
            self.notify(&self.presence());
        }
    }

    pub(super) fn notify(&self, notice: &Response) {
        self.subscribers.notify(notice);
    }
}
