//! The team client: a `Store` over the server's socket, the auto-start that launches a
//! server for a database when none is running (the way tmux starts its server), and the
//! subscription that brings teammates' saves in live.

use super::autostart::connect_or_start_with;
use super::protocol::{receive, ErrorKind, Request, Response, PROTOCOL_VERSION, REQUEST_LINE_MAX};
use super::server::socket_path;
use crate::domain::action::WorkAction;
use crate::domain::claim::Claim;
use crate::domain::kpi::AdjudicationDay;
use crate::domain::list_row::ListRow;
use crate::domain::payer_rules::PayerRules;
use crate::domain::remittance::Remittance;
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;
use crate::store::audit::AuditEntry;
use crate::store::backup::BackupSummary;
use crate::store::{MetaKey, SetOutcome, Store, StoreError};
use chrono::NaiveDate;
use std::io::BufReader;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub(super) fn io(e: std::io::Error) -> StoreError {
    StoreError::Connection(e.to_string())
}

pub(super) struct Connection {
    pub(super) input: BufReader<UnixStream>,
    pub(super) output: UnixStream,
}

impl Connection {
    /// Connects and says hello; returns the connection, the user the server sees and the
    /// session id it gave us.
    pub(super) fn open(db: &Path) -> Result<(Connection, String, u64), StoreError> {
        let stream = UnixStream::connect(socket_path(db)).map_err(io)?;
        let mut conn = Connection {
            output: stream.try_clone().map_err(io)?,
            input: BufReader::new(stream),
        };
        match conn.call(&Request::Hello {
            protocol: PROTOCOL_VERSION,
        })? {
            Response::Welcome { user, session, .. } => Ok((conn, user, session)),
            // The server is there and said no (protocol version, allow-list): final.
            Response::Error { message, .. } => Err(StoreError::Remote(message)),
            other => Err(StoreError::Connection(format!(
                "unexpected greeting {other:?}"
            ))),
        }
    }

    pub(super) fn call(&mut self, request: &Request) -> Result<Response, StoreError> {
        self.exchange(request).map_err(CallError::into_store_error)
    }

    /// Sends `request` (with its deadline when it writes) and reads the reply, saying
    /// whether a failure left the request unread by the server (safe to send again).
    pub(super) fn exchange(&mut self, request: &Request) -> Result<Response, CallError> {
        let mut line = Vec::new();
        if !request.is_read() && !matches!(request, Request::Hello { .. } | Request::Subscribe) {
            let unix_ms = now_unix_ms() + REQUEST_DEADLINE.as_millis() as u64;
            line = serde_json::to_vec(&Request::Deadline { unix_ms }).map_err(CallError::other)?;
            line.push(b'\n');
        }
        let before = line.len();
        serde_json::to_writer(&mut line, request).map_err(CallError::other)?;
        line.push(b'\n');
        if line.len() - before > REQUEST_LINE_MAX {
            return Err(CallError::Refused(StoreError::Connection(format!(
                "this request is {} MB, more than the team server accepts ({} MB): import a file this large with --embedded, or split it",
                (line.len() - before) >> 20,
                REQUEST_LINE_MAX >> 20
            ))));
        }
        // No answer within the reply wait means a stopped or hung server; the request's
        // deadline has long passed by then, so the server will not apply it later.
        self.input
            .get_ref()
            .set_read_timeout(Some(REPLY_WAIT))
            .map_err(CallError::lost)?;
        if let Err(e) = std::io::Write::write_all(&mut self.output, &line) {
            return Err(CallError::classify(e));
        }
        match receive(&mut self.input) {
            Ok(Some(Response::Error {
                kind: ErrorKind::Stopping,
                message,
                ..
            })) => Err(CallError::NotDelivered(StoreError::Connection(message))),
            Ok(Some(response)) => Ok(response),
            Ok(None) => Err(CallError::Lost(StoreError::Connection(
                "the server closed the connection (server gone?)".into(),
            ))),
            Err(e) if is_timeout(&e) => Err(CallError::Lost(StoreError::Connection(format!(
                "no answer from the team server in {} s (stopped or hung?); a change sent now was not applied: its deadline passed",
                REPLY_WAIT.as_secs()
            )))),
            Err(e) => Err(CallError::classify(e)),
        }
    }
}

/// A write the server has not started by this long after it was sent is never applied.
const REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);
/// How long a client waits for any reply (or the next part of a long one): well past the
/// request deadline, so a reply that never comes means the request was never applied.
const REPLY_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

fn now_unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Why a call failed, as far as whether the server may have applied it.
pub(super) enum CallError {
    /// The server never read the request (the socket was closed with it unread, or the
    /// server refused it as stopping): nothing was applied, it is safe to send again.
    NotDelivered(StoreError),
    /// The connection ended after the server may have read the request.
    Lost(StoreError),
    /// Never sent.
    Refused(StoreError),
}

impl CallError {
    fn other(e: impl std::fmt::Display) -> CallError {
        CallError::Refused(StoreError::Connection(e.to_string()))
    }

    fn lost(e: std::io::Error) -> CallError {
        CallError::Lost(io(e))
    }

    /// On a Unix stream socket, EPIPE on send means the server had closed before our
    /// request arrived, and ECONNRESET means it closed with our request still unread in
    /// its queue (Linux resets the peer exactly then): either way nothing was applied.
    /// A clean end of stream after sending is different: the server may have read it.
    fn classify(e: std::io::Error) -> CallError {
        match e.kind() {
            std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset => {
                CallError::NotDelivered(io(e))
            }
            _ => CallError::Lost(io(e)),
        }
    }

    pub(super) fn into_store_error(self) -> StoreError {
        match self {
            CallError::NotDelivered(e) | CallError::Lost(e) | CallError::Refused(e) => e,
        }
    }
}

/// A store that lives in the team server. If the server goes away, the next call
/// reconnects (starting a new server when this store was opened with auto-start).
pub struct RemoteStore {
    pub(super) conn: Mutex<Option<Connection>>,
    db: PathBuf,
    /// How to start a server if none answers (idle seconds, denialdesk binary); `None`:
    /// never start one.
    pub(super) autostart: Option<(u64, PathBuf)>,
    /// Who the server says we are (from our socket's peer credentials).
    pub user: String,
    session: std::sync::atomic::AtomicU64,
}

impl Request {
    /// Safe to send again after a lost connection (nothing changes).
    pub(super) fn is_read(&self) -> bool {
        !matches!(
            self,
            Request::Deadline { .. }
                | Request::ImportRemittance { .. }
                | Request::ImportRemittances { .. }
                | Request::Apply { .. }
                | Request::SetMeta { .. }
                | Request::Subscribe
                | Request::Backup
                | Request::BeginFileImport { .. }
                | Request::ImportRemittanceIn { .. }
                | Request::CommitFileImport { .. }
                | Request::RollBackFileImport { .. }
                | Request::Hello { .. }
        )
    }
}

impl RemoteStore {
    /// Connects to a running server.
    pub fn connect(db: &Path) -> Result<RemoteStore, StoreError> {
        let (conn, user, session) = Connection::open(db)?;
        Ok(RemoteStore {
            conn: Mutex::new(Some(conn)),
            db: db.to_path_buf(),
            autostart: None,
            user,
            session: session.into(),
        })
    }

    pub(super) fn reconnect(&self) -> Result<Connection, StoreError> {
        let opened = match Connection::open(&self.db) {
            Ok(opened) => opened,
            Err(e) => match &self.autostart {
                Some((idle, exe)) => {
                    connect_or_start_with(&self.db, *idle, exe)?;
                    Connection::open(&self.db)?
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

impl Store for RemoteStore {
    fn work_items(&self) -> Result<Vec<WorkItem>, StoreError> {
        // A read: after a lost connection, once more on a new one (as `call` does).
        self.packed(Request::WorkItemsPacked)
            .or_else(|_| self.packed(Request::WorkItemsPacked))
    }

    fn list_rows(&self) -> Result<Vec<ListRow>, StoreError> {
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
        match self.call(Request::ClaimHistory {
            claim: claim_id.into(),
        })? {
            Response::Claims { claims } => Ok(claims),
            r => Err(unexpected(r)),
        }
    }

    fn timeline(&self, claim_id: &str) -> Result<Vec<Event>, StoreError> {
        match self.call(Request::Timeline {
            claim: claim_id.into(),
        })? {
            Response::Events { events } => Ok(events),
            r => Err(unexpected(r)),
        }
    }

    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        match self.call(Request::AuditLog)? {
            Response::Audit { entries } => Ok(entries),
            r => Err(unexpected(r)),
        }
    }

    fn is_imported(&self, fingerprint: u64) -> Result<bool, StoreError> {
        match self.call(Request::IsImported { fingerprint })? {
            Response::Flag { value } => Ok(value),
            r => Err(unexpected(r)),
        }
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
        match self.call(request)? {
            Response::Imported { outcome } => Ok(outcome),
            r => Err(unexpected(r)),
        }
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
        match self.call(request)? {
            Response::ImportedMany { outcomes } => Ok(outcomes),
            r => Err(unexpected(r)),
        }
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
        match self.call(Request::AdjudicationDays)? {
            Response::Days { days } => Ok(days),
            r => Err(unexpected(r)),
        }
    }

    fn meta(&self, key: MetaKey) -> Result<Option<String>, StoreError> {
        match self.call(Request::Meta { key })? {
            Response::Meta { value } => Ok(value),
            r => Err(unexpected(r)),
        }
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
        match self.call(Request::BeginFileImport { file: file.into() })? {
            Response::FileImport { import } => Ok(import),
            r => Err(unexpected(r)),
        }
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
        match self.call(request)? {
            Response::Imported { outcome } => Ok(outcome),
            r => Err(unexpected(r)),
        }
    }

    fn commit_file_import(&self, import: u64) -> Result<(), StoreError> {
        match self.call(Request::CommitFileImport { import })? {
            Response::Done => Ok(()),
            r => Err(unexpected(r)),
        }
    }

    fn roll_back_file_import(&self, import: u64, _user: &str) -> Result<(), StoreError> {
        match self.call(Request::RollBackFileImport { import })? {
            Response::Done => Ok(()),
            r => Err(unexpected(r)),
        }
    }

    fn backup(
        &self,
        out: &mut dyn std::io::Write,
        _user: &str,
    ) -> Result<BackupSummary, StoreError> {
        self.stream_backup(out)
    }
}
