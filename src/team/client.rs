//! The team client: a `Store` over the server's socket, the auto-start that launches a
//! server for a database when none is running (the way tmux starts its server), and the
//! subscription that brings teammates' saves in live.

pub(super) use super::client_connection::{io, CallError, Connection};
use super::protocol::{Request, Response};
use super::server::socket_path;
pub use super::subscription::ServerAddress;
use crate::domain::acknowledgment::{Acknowledgment, BatchAck};
use crate::domain::action::WorkAction;
use crate::domain::claim::Claim;
use crate::domain::kpi::{Activity, AdjudicationDay};
use crate::domain::list_row::ListRow;
use crate::domain::payer_rules::PayerRules;
use crate::domain::remittance::Remittance;
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;
use crate::store::audit::AuditEntry;
use crate::store::backup::BackupSummary;
use crate::store::rows_delta::BesideAhead;
use crate::store::{MetaKey, SetOutcome, Store, StoreError, WorkStore};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Starts the team server again (see `autostart`).
pub(super) type Restart = Box<dyn Fn() -> Result<(), StoreError> + Send + Sync>;

/// A store that lives in the team server. If the server goes away, the next call
/// reconnects (starting a new server when this store was opened with auto-start).
pub struct RemoteStore {
    pub(super) conn: Mutex<Option<Connection>>,
    /// Where the server listens.
    socket: PathBuf,
    /// Starts a server when none answers (set by `autostart`); `None`: never start one
    /// (a service's socket, or a plain connect).
    pub(super) restart: Option<Restart>,
    /// Who the server says we are (from our socket's peer credentials).
    pub user: String,
    session: std::sync::atomic::AtomicU64,
    /// The worklist snapshot's chunks being read beside the database, for the first
    /// `list_rows` (see `read_rows_ahead`).
    pub(super) beside: Mutex<Option<BesideAhead>>,
    /// Whether the worklist was opened from the chunks beside the database.
    pub(super) opened_beside: std::sync::atomic::AtomicBool,
}

impl RemoteStore {
    /// Connects to a running server of the database folder `db` (its own socket).
    pub fn connect(db: &Path) -> Result<RemoteStore, StoreError> {
        RemoteStore::connect_socket(&socket_path(db))
    }

    /// Connects to the server listening on `socket` (a team service's, see `serve
    /// --socket`); never starts one and never opens the database's files.
    pub fn connect_socket(socket: &Path) -> Result<RemoteStore, StoreError> {
        let (conn, user, session) = Connection::open(socket)?;
        Ok(RemoteStore {
            conn: Mutex::new(Some(conn)),
            socket: socket.to_path_buf(),
            restart: None,
            user,
            session: session.into(),
            beside: Mutex::new(None),
            opened_beside: false.into(),
        })
    }

    pub(super) fn reconnect(&self) -> Result<Connection, StoreError> {
        let opened = match Connection::open(&self.socket) {
            Ok(opened) => opened,
            Err(e) => match &self.restart {
                Some(restart) => {
                    restart()?;
                    Connection::open(&self.socket)?
                }
                None => return Err(e),
            },
        };
        let (conn, _, session) = opened;
        self.session
            .store(session, std::sync::atomic::Ordering::SeqCst);
        Ok(conn)
    }

    fn call(&self, request: Request) -> Result<Response, StoreError> {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(self.reconnect()?);
        }
        let first = match guard.as_mut() {
            Some(conn) => conn.exchange(&request),
            None => unreachable!("connected above"),
        };
        let response = match first {
            Ok(r) => r,
            Err(CallError::Refused(e)) => return Err(e),
            Err(failed) => {
                *guard = None;
                // A read, or a write the server never read (it was stopping or gone), is
                // safe to send again on a new connection (to a new server if need be).
                if !request.is_read() && !matches!(failed, CallError::NotDelivered(_)) {
                    return Err(StoreError::Connection(format!(
                        "the team server went away ({}); reconnecting: check whether your change was saved, then retry",
                        failed.into_store_error()
                    )));
                }
                let mut conn = self.reconnect()?;
                let r = conn.call(&request)?;
                *guard = Some(conn);
                r
            }
        };
        match response {
            error @ Response::Error { .. } => Err(reply_error(error)),
            other => Ok(other),
        }
    }
}

/// A reply that is not the one expected: the server's error, or a surprise.
pub(super) fn reply_error(r: Response) -> StoreError {
    match r {
        Response::Error {
            kind,
            message,
            claim,
            user,
            at,
        } => Response::into_error(kind, message, claim, user, at),
        other => unexpected(other),
    }
}

pub(super) fn unexpected(r: Response) -> StoreError {
    StoreError::Connection(format!("unexpected reply {r:?}"))
}

/// Sends a request and takes the one reply it expects; any other is an error.
macro_rules! ask {
    ($store:expr, $request:expr, $pattern:pat => $value:expr) => {
        match $store.call($request)? {
            $pattern => Ok($value),
            r => Err(unexpected(r)),
        }
    };
}

impl Store for RemoteStore {
    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        ask!(self, Request::AuditLog, Response::Audit { entries } => entries)
    }

    fn is_imported(&self, fingerprint: u64) -> Result<bool, StoreError> {
        ask!(self, Request::IsImported { fingerprint }, Response::Flag { value } => value)
    }

    fn import_remittance(
        &self,
        remittance: &Remittance,
        rules: &PayerRules,
        _user: &str,
    ) -> Result<SetOutcome, StoreError> {
        let request = Request::ImportRemittance {
            remittance: Box::new(remittance.clone()),
            rules: rules.clone(),
        };
        ask!(self, request, Response::Imported { outcome } => outcome)
    }

    fn import_remittances(
        &self,
        sets: &[Remittance],
        rules: &PayerRules,
        _user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        let request = Request::ImportRemittances {
            remittances: sets.to_vec(),
            rules: rules.clone(),
        };
        ask!(self, request, Response::ImportedMany { outcomes } => outcomes)
    }

    fn import_acknowledgments(
        &self,
        sets: &[Acknowledgment],
        rules: &PayerRules,
        _user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        let request = Request::ImportAcknowledgments {
            sets: sets.to_vec(),
            rules: rules.clone(),
        };
        ask!(self, request, Response::ImportedMany { outcomes } => outcomes)
    }

    fn import_acknowledgments_in(
        &self,
        import: u64,
        sets: &[Acknowledgment],
        rules: &PayerRules,
        _user: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        let request = Request::ImportAcknowledgmentsIn {
            import,
            sets: sets.to_vec(),
            rules: rules.clone(),
        };
        ask!(self, request, Response::ImportedMany { outcomes } => outcomes)
    }

    fn resolve_batch(
        &self,
        batch: &str,
        reason: &str,
        _user: &str,
    ) -> Result<Vec<BatchAck>, StoreError> {
        let request = Request::ResolveBatch {
            batch: batch.into(),
            reason: reason.into(),
        };
        ask!(self, request, Response::BatchAcks { acks } => acks)
    }

    fn set_contracts(
        &self,
        set: &crate::domain::contract::ContractSet,
        _user: &str,
    ) -> Result<usize, StoreError> {
        ask!(self, Request::SetContracts { set: set.clone() }, Response::Replaced { rows } => rows)
    }

    fn contracts(&self) -> Result<Option<crate::domain::contract::ContractSet>, StoreError> {
        ask!(self, Request::Contracts, Response::Contracts { set } => set)
    }

    fn batch_acks(&self) -> Result<Vec<BatchAck>, StoreError> {
        ask!(self, Request::BatchAcks, Response::BatchAcks { acks } => acks)
    }

    fn meta(&self, key: MetaKey) -> Result<Option<String>, StoreError> {
        ask!(self, Request::Meta { key }, Response::Meta { value } => value)
    }

    fn set_meta(&self, key: MetaKey, value: &str) -> Result<(), StoreError> {
        match self.call(Request::SetMeta {
            key,
            value: value.into(),
        })? {
            Response::Done => Ok(()),
            r => Err(unexpected(r)),
        }
    }

    fn begin_file_import(&self, file: &str, _user: &str) -> Result<u64, StoreError> {
        ask!(self, Request::BeginFileImport { file: file.into() }, Response::FileImport { import } => import)
    }

    fn import_remittance_in(
        &self,
        import: u64,
        remittance: &Remittance,
        rules: &PayerRules,
        _user: &str,
    ) -> Result<SetOutcome, StoreError> {
        let request = Request::ImportRemittanceIn {
            import,
            remittance: Box::new(remittance.clone()),
            rules: rules.clone(),
        };
        ask!(self, request, Response::Imported { outcome } => outcome)
    }

    fn commit_file_import(&self, import: u64) -> Result<(), StoreError> {
        match self.call(Request::CommitFileImport { import })? {
            Response::Done => Ok(()),
            r => Err(unexpected(r)),
        }
    }

    fn roll_back_file_import(&self, import: u64, _user: &str) -> Result<(), StoreError> {
        let refused = false;
        ask!(self, Request::RollBackFileImport { import, refused }, Response::Done => ())
    }

    fn refuse_file_import(&self, import: u64) -> Result<(), StoreError> {
        let refused = true;
        ask!(self, Request::RollBackFileImport { import, refused }, Response::Done => ())
    }

    fn backup(
        &self,
        out: &mut dyn std::io::Write,
        _user: &str,
    ) -> Result<BackupSummary, StoreError> {
        self.stream_backup(out)
    }
}

impl WorkStore for RemoteStore {
    fn prevention_items(
        &self,
    ) -> Result<Vec<crate::domain::prevention::PreventionItem>, StoreError> {
        ask!(self, Request::Prevention, Response::Prevention { items } => items)
    }

    fn save_prevention(
        &self,
        item: &crate::domain::prevention::PreventionItem,
        _user: &str,
    ) -> Result<crate::domain::prevention::PreventionItem, StoreError> {
        ask!(self, Request::SavePrevention { item: item.clone() }, Response::PreventionItem { item } => item)
    }

    fn work_items(&self) -> Result<Vec<WorkItem>, StoreError> {
        // A read: after a lost connection, once more on a new one (as `call` does).
        self.packed(Request::WorkItemsPacked)
            .or_else(|_| self.packed(Request::WorkItemsPacked))
    }

    fn list_rows(&self) -> Result<Vec<ListRow>, StoreError> {
        if let Some(rows) = self.rows_from_beside() {
            return Ok(rows);
        }
        self.packed(Request::ListRowsPacked)
            .or_else(|_| self.packed(Request::ListRowsPacked))
    }

    fn work_item(&self, claim_id: &str) -> Result<Option<WorkItem>, StoreError> {
        match self.call(Request::WorkItem {
            claim: claim_id.into(),
        })? {
            Response::WorkItem { item } => Ok(item.map(|b| *b)),
            r => Err(unexpected(r)),
        }
    }

    fn claim_history(&self, claim_id: &str) -> Result<Vec<Claim>, StoreError> {
        ask!(self, Request::ClaimHistory {
            claim: claim_id.into(),
        }, Response::Claims { claims } => claims)
    }

    fn timeline(&self, claim_id: &str) -> Result<Vec<Event>, StoreError> {
        ask!(self, Request::Timeline {
            claim: claim_id.into(),
        }, Response::Events { events } => events)
    }

    /// The user argument is ignored: the server acts as the socket's peer user.
    fn apply_at_version(
        &self,
        claim_id: &str,
        action: &WorkAction,
        today: NaiveDate,
        _user: &str,
        expected: Option<u64>,
    ) -> Result<WorkItem, StoreError> {
        let request = Request::Apply {
            claim: claim_id.into(),
            action: action.clone(),
            today,
            expected,
        };
        match self.call(request)? {
            Response::WorkItem { item: Some(item) } => Ok(*item),
            r => Err(unexpected(r)),
        }
    }

    fn adjudication_days(&self) -> Result<Vec<AdjudicationDay>, StoreError> {
        ask!(self, Request::AdjudicationDays, Response::Days { days } => days)
    }

    fn activity(&self, since: chrono::NaiveDate) -> Result<Vec<Activity>, StoreError> {
        ask!(self, Request::Activity { since }, Response::Activity { entries } => entries)
    }

    fn set_viewing(&self, claim: Option<&str>) -> Result<(), StoreError> {
        match self.call(Request::Viewing {
            claim: claim.map(String::from),
        })? {
            Response::Done => Ok(()),
            r => Err(unexpected(r)),
        }
    }

    fn session(&self) -> Option<u64> {
        Some(self.session.load(std::sync::atomic::Ordering::SeqCst))
    }
}
