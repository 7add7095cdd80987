//! Who may write, and for how long anyone waits. A journaled file import (see `journal`)
//! spans many requests from one client, and while it runs every other writer waits at the
//! import gate: undoing a file must never undo a teammate's save made in between.
//!
//! A client can stop in the middle of an import (Ctrl-Z, a dead SSH session), so the gate
//! is a lease, never a lock held forever: an import renews it with every set it stores,
//! and one that has not for `WriteLimits::lease` is revoked by the next writer that needs
//! the gate — rolled back, audited, and its client told so at its next request. Every
//! wait is bounded (`WriteLimits::wait`, and a request's own deadline, see
//! `with_deadline`): a writer that cannot get in says "busy, not saved" and changes
//! nothing, so a save is either answered or never made, never made after its client gave up.
//! A roll-back that fails leaves the gate shut (writers told busy) until the next open rolls
//! the file back: opened, a later save could be undone with the file.

pub use super::core::WriteLimits;
use super::core::{Gate, SledStore};
use super::StoreError;
use std::cell::Cell;
use std::sync::MutexGuard;
use std::time::{Duration, Instant};

thread_local! {
    /// The deadline of the request this thread is serving (see `with_deadline`).
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `f` (store calls serving one request) so that no write starts after `deadline`:
/// a client that stopped waiting for its answer must never see its save made later.
pub fn with_deadline<R>(deadline: Option<Instant>, f: impl FnOnce() -> R) -> R {
    let before = DEADLINE.with(|d| d.replace(deadline));
    let result = f();
    DEADLINE.with(|d| d.set(before));
    result
}

/// Whether the request this thread serves has outlived its deadline.
fn past_deadline() -> bool {
    DEADLINE
        .with(Cell::get)
        .is_some_and(|d| Instant::now() >= d)
}

fn expired() -> StoreError {
    StoreError::Busy(
        "the request's deadline passed before it could be applied (the server was busy or stopped); nothing was saved — retry".into(),
    )
}

impl SledStore {
    /// Sets how long writers wait and how long an import's lease lasts.
    pub fn set_write_limits(&mut self, limits: WriteLimits) {
        self.limits = limits;
    }

    fn gate(&self) -> MutexGuard<'_, Option<Gate>> {
        self.import_gate.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The import gate, once no journaled import is running; revokes an import whose
    /// lease expired; gives up (nothing changed) after the bounded wait.
    fn free_gate(&self) -> Result<MutexGuard<'_, Option<Gate>>, StoreError> {
        let started = Instant::now();
        let mut until = started + self.limits.wait;
        if let Some(deadline) = DEADLINE.with(Cell::get) {
            until = until.min(deadline);
        }
        let mut gate = self.gate();
        loop {
            let Some(running) = gate.clone() else {
                return Ok(gate);
            };
            let now = Instant::now();
            if !running.revoked && now.duration_since(running.renewed) >= self.limits.lease {
                gate.as_mut().expect("checked above").revoked = true;
                drop(gate);
                self.revoke(&running);
                gate = self.gate();
                continue;
            }
            if now >= until {
                if past_deadline() {
                    return Err(expired());
                }
                if running.revoked {
                    return Err(StoreError::Busy(format!(
                        "{}'s import of {} stopped and is being rolled back, or its roll-back failed (see the log); nothing was saved — retry in a moment, and if this goes on, close denialdesk (and the team server): the next open rolls the file back",
                        running.user, running.file
                    )));
                }
                return Err(StoreError::Busy(format!(
                    "{} is importing {} (waited {} s); nothing was saved — retry in a moment",
                    running.user,
                    running.file,
                    started.elapsed().as_secs()
                )));
            }
            // Wake at the deadline, or when the lease would expire, whichever is first.
            let lease_end = running.renewed + self.limits.lease;
            let wake = until.min(lease_end).saturating_duration_since(now);
            gate = self
                .gate_free
                .wait_timeout(gate, wake.max(Duration::from_millis(1)))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Rolls back an import whose lease expired (its client stopped mid-file).
    fn revoke(&self, running: &Gate) {
        eprintln!(
            "file import {} of {} by {}: no progress for {} s, rolling it back",
            running.id,
            running.file,
            running.user,
            self.limits.lease.as_secs()
        );
        let guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let why = format!(
            "stopped sending for {} s (client suspended or gone?), so other writers could go on",
            self.limits.lease.as_secs()
        );
        self.note_revoked(running.id);
        let undone = self.undo_journal(running.id, Some((&running.user, &why)));
        drop(guard);
        match undone {
            Ok(_) => self.open_gate(),
            // The file stays stored with its undo records: the gate stays shut (writers
            // are told so, see `free_gate`) until the next open rolls it back, or a later
            // save's roll-back would undo it with the file.
            Err(e) => eprintln!("rolling back file import {}: {e}", running.id),
        }
    }

    /// The write lock, once no journaled import is running (bounded, see `free_gate`).
    pub(super) fn write_lock(&self) -> Result<MutexGuard<'_, ()>, StoreError> {
        let gate = self.free_gate()?;
        let guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        drop(gate);
        if past_deadline() {
            return Err(expired());
        }
        Ok(guard)
    }

    /// Takes the gate for a new journaled import `id` of `file` by `user`.
    pub(super) fn take_gate(&self, id: u64, file: &str, user: &str) -> Result<(), StoreError> {
        let mut gate = self.free_gate()?;
        *gate = Some(Gate {
            id,
            user: user.to_string(),
            file: file.to_string(),
            renewed: Instant::now(),
            revoked: false,
        });
        Ok(())
    }

    /// The write lock for journaled import `import`, which must be the one running (its
    /// lease renewed): a stale or revoked id is refused, never waited for.
    pub(super) fn import_lock(&self, import: u64) -> Result<MutexGuard<'_, ()>, StoreError> {
        let mut gate = self.gate();
        match gate.as_mut() {
            Some(g) if g.id == import && !g.revoked => g.renewed = Instant::now(),
            Some(g) if g.id == import => return Err(revoked(import, self.limits.lease)),
            _ if self.was_revoked(import) => return Err(revoked(import, self.limits.lease)),
            _ => {
                return Err(StoreError::Database(format!(
                "file import {import} is not in progress (finished or rolled back); import the file again"
            )))
            }
        }
        let guard = self.write.lock().unwrap_or_else(|p| p.into_inner());
        drop(gate);
        if past_deadline() {
            return Err(expired());
        }
        Ok(guard)
    }

    /// Whether import `import` was rolled back for an expired lease (its journal gone
    /// with an audit entry saying so).
    fn was_revoked(&self, import: u64) -> bool {
        self.revoked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&import)
    }

    fn note_revoked(&self, import: u64) {
        let mut revoked = self.revoked.lock().unwrap_or_else(|p| p.into_inner());
        // A few ids are plenty: a client asks about its own import right after waking.
        if revoked.len() >= 64 {
            revoked.remove(0);
        }
        revoked.push(import);
    }

    /// Frees the gate and wakes waiting writers.
    pub(super) fn open_gate(&self) {
        *self.gate() = None;
        self.gate_free.notify_all();
    }
}

fn revoked(import: u64, lease: Duration) -> StoreError {
    StoreError::Busy(format!(
        "file import {import} was rolled back: it sent nothing for {} s (suspended or disconnected?) and others were waiting; nothing of the file is kept — import it again",
        lease.as_secs()
    ))
}
