//! Who gets a connection: bounded so that no user (and no crowd) can exhaust the server's
//! threads and file descriptors and lock the whole team out. Connections are capped per
//! user and in all, the soft open-file limit is raised to the hard one at start, and
//! running out of descriptors anyway (EMFILE) is logged and waited out, never fatal.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Connections one user may hold: a TUI holds two (requests and notices), each command
/// one; 32 is a busy specialist with many windows, with room to spare.
pub const PER_USER: usize = 32;
/// Connections in all, at most; lowered to what the open-file limit allows.
pub const TOTAL: usize = 1024;

/// Open connections by user id.
pub struct Admission {
    by_user: Mutex<HashMap<u32, usize>>,
    total: usize,
}

/// One admitted connection; dropping it gives its place back.
pub struct Admitted {
    admission: Arc<Admission>,
    uid: u32,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut by_user = self
            .admission
            .by_user
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = by_user.get_mut(&self.uid) {
            *n -= 1;
            if *n == 0 {
                by_user.remove(&self.uid);
            }
        }
    }
}

impl Admission {
    /// Raises the soft open-file limit and sizes the total cap to it (each connection
    /// costs up to three descriptors; some are kept for the database).
    pub fn new() -> Arc<Admission> {
        let files = raise_open_file_limit();
        let total = TOTAL.min((files.saturating_sub(64) / 3).max(8) as usize);
        Arc::new(Admission {
            by_user: Mutex::new(HashMap::new()),
            total,
        })
    }

    /// Admits a connection from `uid`, or says why not.
    pub fn admit(self: &Arc<Self>, uid: u32) -> Result<Admitted, String> {
        let mut by_user = self.by_user.lock().unwrap_or_else(|p| p.into_inner());
        let all: usize = by_user.values().sum();
        let mine = by_user.get(&uid).copied().unwrap_or(0);
        if mine >= PER_USER {
            return Err(format!(
                "too many connections from this user ({PER_USER}); close some denialdesk windows"
            ));
        }
        if all >= self.total {
            return Err(format!(
                "the server has its maximum of {} connections; try again in a moment",
                self.total
            ));
        }
        *by_user.entry(uid).or_insert(0) += 1;
        Ok(Admitted {
            admission: Arc::clone(self),
            uid,
        })
    }
}

/// Sets the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
fn raise_open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with a valid rlimit for this process.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}
