//! The team-server protocol, version 5: one JSON object per line over a Unix socket (the
//! database folder's, or a team service's). The client opens with `hello`; the server
//! answers `welcome` (with the user it identified from the socket's peer credentials) or
//! `error` for another protocol version. A `deadline` line before a request (no reply)
//! says when the client stops waiting: no write starts after it. Lines are bounded
//! (`HELLO_LINE_MAX`, `REQUEST_LINE_MAX`). Every later request gets exactly one reply
//! (an error's `kind` says whether anything was applied), except `backup`, answered by `backup_part`
//! replies (the backup's lines, in order) and then `backup_done`. `work_items_packed` and
//! `list_rows_packed` are answered by a `packed` line followed by exactly `bytes` raw
//! bytes: each work item (or list row) as a little-endian u32 length and its stored
//! compact (bincode) form — far faster than JSON for a large worklist, and why both sides
//! must run the same protocol version. A connection that sent `subscribe` also receives
//! `changed` notices whenever anyone saves a work item.
//!
//! The acting user is never part of a request: the server takes it from SO_PEERCRED.

use crate::domain::action::WorkAction;
use crate::domain::claim::Claim;
use crate::domain::kpi::AdjudicationDay;
use crate::domain::payer_rules::PayerRules;
pub use crate::domain::presence::Viewer;
use crate::domain::remittance::Remittance;
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;
use crate::store::audit::AuditEntry;
use crate::store::backup::BackupSummary;
use crate::store::{MetaKey, SetOutcome, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};

/// Bumped on any incompatible change to the messages below (4: work items and list rows
/// keyed by claim identity, schema 4; 5: request deadlines, `busy` and `stopping` errors,
/// bounded lines).
pub const PROTOCOL_VERSION: u32 = 5;

/// The longest line a client may send before its hello is accepted.
pub const HELLO_LINE_MAX: usize = 64 * 1024;
/// The longest line an accepted client may send: one request, a whole file's transaction
/// sets included (files larger than this are imported set by set, see `BeginFileImport`).
pub const REQUEST_LINE_MAX: usize = 32 * 1024 * 1024;

/// Socket file name inside the database folder.
pub const SOCKET_NAME: &str = "denialdesk.sock";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    Hello {
        protocol: u32,
    },
    /// Sent just before a request (no reply of its own): the server starts no write for
    /// that request after `unix_ms` (milliseconds since 1970, this host's clock), and
    /// answers `busy` instead, because the client has stopped waiting by then.
    Deadline {
        unix_ms: u64,
    },
    WorkItems,
    WorkItem {
        claim: String,
    },
    ClaimHistory {
        claim: String,
    },
    Timeline {
        claim: String,
    },
    AuditLog,
    IsImported {
        fingerprint: u64,
    },
    ImportRemittance {
        remittance: Box<Remittance>,
        rules: PayerRules,
    },
    Apply {
        claim: String,
        action: WorkAction,
        today: NaiveDate,
        expected: Option<u64>,
    },
    AdjudicationDays,
    Meta {
        key: MetaKey,
    },
    SetMeta {
        key: MetaKey,
        value: String,
    },
    /// A whole file's sets, stored atomically.
    ImportRemittances {
        remittances: Vec<Remittance>,
        rules: PayerRules,
    },
    /// Receive `changed` and `presence` notices on this connection from now on.
    Subscribe,
    /// The claim this session has open (`None`: none), for presence.
    Viewing {
        claim: Option<String>,
    },
    /// A backup of everything, streamed back as `backup_part`s and a `backup_done`.
    Backup,
    /// Every work item, in the compact form (see the module docs).
    WorkItemsPacked,
    /// Every work item's list row, in the compact form: what the app opens with.
    ListRowsPacked,
    /// A file too large for one batch, imported set by set as one unit (`file_import`
    /// reply with its id); rolled back if this connection ends before the commit.
    BeginFileImport {
        file: String,
    },
    ImportRemittanceIn {
        import: u64,
        remittance: Box<Remittance>,
        rules: PayerRules,
    },
    CommitFileImport {
        import: u64,
    },
    RollBackFileImport {
        import: u64,
    },
}

impl Request {
    /// Safe to send again after a lost connection (nothing changes).
    pub fn is_read(&self) -> bool {
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

/// Which `StoreError` a remote error stands for, so clients can react (reload on conflict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    UnknownClaim,
    Conflict,
    Refused,
    /// Not applied: a bounded wait ran out (an import running, the deadline passed).
    Busy,
    /// Not applied: the server is stopping; send it again to the next server.
    Stopping,
    /// Not kept: the disk failed under the store (full?); the server recovers by itself.
    Storage,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Response {
    Welcome {
        protocol: u32,
        user: String,
        /// This connection's id, so a client can tell its own presence from others'.
        #[serde(default)]
        session: u64,
    },
    WorkItems {
        items: Vec<WorkItem>,
    },
    WorkItem {
        item: Option<Box<WorkItem>>,
    },
    Claims {
        claims: Vec<Claim>,
    },
    Events {
        events: Vec<Event>,
    },
    Audit {
        entries: Vec<AuditEntry>,
    },
    Flag {
        value: bool,
    },
    Imported {
        outcome: SetOutcome,
    },
    ImportedMany {
        outcomes: Vec<SetOutcome>,
    },
    Days {
        days: Vec<AdjudicationDay>,
    },
    Meta {
        value: Option<String>,
    },
    Done,
    Error {
        kind: ErrorKind,
        message: String,
        #[serde(default)]
        claim: Option<String>,
        #[serde(default)]
        user: Option<String>,
        #[serde(default)]
        at: Option<String>,
    },
    /// Pushed to subscribers: these work items were just saved.
    Changed {
        items: Vec<WorkItem>,
    },
    /// Pushed to subscribers: who has which claim open now.
    Presence {
        viewers: Vec<Viewer>,
    },
    /// Whole lines of a backup being streamed.
    BackupPart {
        text: String,
    },
    BackupDone {
        summary: BackupSummary,
    },
    FileImport {
        import: u64,
    },
    /// Followed by `bytes` raw bytes holding `items` packed work items or list rows.
    Packed {
        items: usize,
        bytes: usize,
    },
}

impl Response {
    /// Whether this reply reports that the disk failed under the store.
    pub fn is_storage_error(&self) -> bool {
        matches!(
            self,
            Response::Error {
                kind: ErrorKind::Storage,
                ..
            }
        )
    }

    /// A refusal that is not about a claim (protocol version, allow-list).
    pub fn refusal(message: String) -> Response {
        Response::Error {
            kind: ErrorKind::Other,
            message,
            claim: None,
            user: None,
            at: None,
        }
    }

    /// The wire form of a store error.
    pub fn from_error(e: &StoreError) -> Response {
        let (kind, claim, user, at) = match e {
            StoreError::UnknownClaim(c) => (ErrorKind::UnknownClaim, Some(c.clone()), None, None),
            StoreError::Conflict { claim, user, at } => (
                ErrorKind::Conflict,
                Some(claim.clone()),
                Some(user.clone()),
                Some(at.clone()),
            ),
            StoreError::Action(_) => (ErrorKind::Refused, None, None, None),
            StoreError::Busy(_) => (ErrorKind::Busy, None, None, None),
            StoreError::Storage(_) => (ErrorKind::Storage, None, None, None),
            _ => (ErrorKind::Other, None, None, None),
        };
        Response::Error {
            kind,
            message: e.to_string(),
            claim,
            user,
            at,
        }
    }

    /// Back to a store error on the client side.
    pub fn into_error(
        kind: ErrorKind,
        message: String,
        claim: Option<String>,
        user: Option<String>,
        at: Option<String>,
    ) -> StoreError {
        match (kind, claim, user, at) {
            (ErrorKind::UnknownClaim, Some(c), _, _) => StoreError::UnknownClaim(c),
            (ErrorKind::Conflict, Some(claim), Some(user), Some(at)) => {
                StoreError::Conflict { claim, user, at }
            }
            (ErrorKind::Busy, ..) => StoreError::Busy(
                message
                    .strip_prefix("busy: ")
                    .map(str::to_string)
                    .unwrap_or(message),
            ),
            (ErrorKind::Storage, ..) => StoreError::Remote(message),
            _ => StoreError::Remote(message),
        }
    }
}

/// Writes one message as a line.
pub fn send<T: Serialize>(out: &mut impl Write, message: &T) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(message).map_err(std::io::Error::other)?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()
}

/// Reads one message; `Ok(None)` at a clean end of stream.
pub fn receive<T: for<'de> Deserialize<'de>>(
    input: &mut impl BufRead,
) -> std::io::Result<Option<T>> {
    super::wire::receive_at_most(input, usize::MAX)
}
