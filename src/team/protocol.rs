//! The team-server protocol (`PROTOCOL_VERSION`): one JSON object per line over a Unix socket (the
//! database folder's, or a team service's). The client opens with `hello`; the server
//! answers `welcome` (with the user it identified from the socket's peer credentials) or
//! `error` for another protocol version. A `deadline` line before a request (no reply)
//! says when the client stops waiting: no write starts after it. Lines are bounded
//! (`HELLO_LINE_MAX`, `REQUEST_LINE_MAX`). Every later request gets exactly one reply
//! (an error's `kind` says whether anything was applied), except `backup`, answered by `backup_part`
//! replies (the backup's lines, in order) and then `backup_done`. `work_items_packed` and
//! `list_rows_packed` are answered by a `packed` line followed by exactly `bytes` raw
//! bytes: each work item (or list row) as a little-endian u32 length and its stored
//! compact (bincode) form, a work item LZ4-compressed since schema 12 — far faster than JSON for a large worklist, and why both sides
//! must run the same protocol version. `list_row_marks` is answered the same way by
//! `row_marks` (or by `no_row_marks`); a server of an earlier build closes the connection
//! on it, and the client asks for `list_rows_packed` instead. `import_file` is followed by the file's raw bytes
//! and answered by progress lines and a last reply (see `server_import`). A connection
//! that sent `subscribe` also receives
//! `changed` notices whenever anyone saves a work item.
//!
//! The acting user is never part of a request: the server takes it from SO_PEERCRED.

use crate::domain::acknowledgment::Acknowledgment;
use crate::domain::action::WorkAction;
use crate::domain::contract::ContractSet;
use crate::domain::payer_rules::PayerRules;
pub use crate::domain::presence::Viewer;
use crate::domain::prevention::PreventionItem;
use crate::domain::remittance::Remittance;
use crate::store::MetaKey;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};

pub use super::reply::{ErrorKind, Response};

/// Bumped on any incompatible change to the messages below (4: items keyed by claim
/// identity; 5: request deadlines, `busy` and `stopping`, bounded lines; 6: appeal levels
/// and corrections, the activity request; 7: rejections, acknowledgments, routing and
/// contracts; 8: underpayments and routing boosts, schema 7; 9: appeal packets and
/// checklists, letters linked, prevention items, schema 8; 10: `import_file`, the file
/// itself sent and imported by the server, schema 9; 11: audit entries of sets list the
/// items they opened, schema 10; 12: `work_items_packed` sends work items as stored, which
/// since schema 12 may be compressed; 13: `roll_back_file_import` says whether the file was
/// refused, which audits nothing; 14: `import_file` says when the server reads the file a
/// second time, `reading_again`).
pub const PROTOCOL_VERSION: u32 = 14;

/// The largest file `import_file` takes (the server spools it to disk, unlinked).
pub const IMPORT_FILE_MAX: u64 = 4 << 30;

/// The longest line a client may send before its hello is accepted.
pub const HELLO_LINE_MAX: usize = 64 * 1024;
/// The longest line an accepted client may send: one request (a file `denialdesk import`
/// sends follows its `import_file` line as raw bytes, bounded by `IMPORT_FILE_MAX`).
pub const REQUEST_LINE_MAX: usize = 32 * 1024 * 1024;

/// Socket file name inside the database folder.
pub const SOCKET_NAME: &str = "denialdesk.sock";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
/// One request from a client, a JSON line tagged by `op`.
pub enum Request {
    /// The first line on a connection: which protocol the client speaks.
    Hello {
        /// The client's protocol version; a different one is refused by name.
        protocol: u32,
    },
    /// Sent just before a request (no reply of its own): the server starts no write for
    /// that request after `unix_ms` (milliseconds since 1970, this host's clock), and
    /// answers `busy` instead, because the client has stopped waiting by then.
    Deadline {
        /// The moment after which no write may start, in milliseconds since 1970.
        unix_ms: u64,
    },
    /// Every work item (answered `work_items`).
    WorkItems,
    /// One work item, named as a person names it (key, CLP01 or `CLP01@N`).
    WorkItem {
        /// The claim as named by the user.
        claim: String,
    },
    /// Every adjudication of one claim, oldest first.
    ClaimHistory {
        /// The claim as named by the user.
        claim: String,
    },
    /// One claim's timeline, oldest first.
    Timeline {
        /// The claim as named by the user.
        claim: String,
    },
    /// The whole audit log.
    AuditLog,
    /// Whether a transaction set was imported already.
    IsImported {
        /// The set's fingerprint.
        fingerprint: u64,
    },
    /// One transaction set to store and reconcile, atomically.
    ImportRemittance {
        /// The parsed set.
        remittance: Box<Remittance>,
        /// The payer rules its deadlines come from.
        rules: PayerRules,
    },
    /// A specialist's action on one work item, applied durably and audited.
    Apply {
        /// The claim as named by the user.
        claim: String,
        /// What to do.
        action: WorkAction,
        /// The user's today (deadlines and follow-ups count from it).
        today: NaiveDate,
        /// The version the user saw; a newer one is a conflict (`None`: no check).
        expected: Option<u64>,
    },
    /// The first-adjudication counts per day and payer.
    AdjudicationDays,
    /// Who changed which claim since a day (the audit log, for productivity KPIs).
    Activity {
        /// The first day wanted.
        since: chrono::NaiveDate,
    },
    /// One meta value.
    Meta {
        /// Which value.
        key: MetaKey,
    },
    /// Sets one meta value.
    SetMeta {
        /// Which value.
        key: MetaKey,
        /// Its new text.
        value: String,
    },
    /// A whole file's sets, stored atomically.
    ImportRemittances {
        /// The file's sets, in file order.
        remittances: Vec<Remittance>,
        /// The payer rules their deadlines come from.
        rules: PayerRules,
    },
    /// A whole file's acknowledgments (999, 277CA, 277), stored atomically.
    ImportAcknowledgments {
        /// The file's sets, in file order.
        sets: Vec<Acknowledgment>,
        /// The payer rules a rejection's filing limit comes from.
        rules: PayerRules,
    },
    /// Acknowledgments (or parts of a large set) of a file import begun with
    /// `BeginFileImport` (answered `imported_many`).
    ImportAcknowledgmentsIn {
        /// The import's id.
        import: u64,
        /// The sets or parts.
        sets: Vec<Acknowledgment>,
        /// The payer rules (and routing) the import uses.
        rules: PayerRules,
    },
    /// The claim batches 999s answered (answered `batch_acks`).
    BatchAcks,
    /// Replaces the contract rows (answered `replaced`).
    SetContracts {
        /// The new rows.
        set: ContractSet,
    },
    /// The contract rows in force (answered `contracts`).
    Contracts,
    /// Saves a prevention item (answered `prevention_item`).
    SavePrevention {
        /// The item as the client changed it (id 0: new).
        item: PreventionItem,
    },
    /// Every prevention item (answered `prevention`).
    Prevention,
    /// Marks a rejected claim batch fixed and sent again (answered `batch_acks`).
    ResolveBatch {
        /// The batch's control number.
        batch: String,
        /// What was done about it.
        reason: String,
    },
    /// Receive `changed` and `presence` notices on this connection from now on.
    Subscribe,
    /// The claim this session has open (`None`: none), for presence.
    Viewing {
        /// The claim's key, or `None` when no claim is open.
        claim: Option<String>,
    },
    /// A backup of everything, streamed back as `backup_part`s and a `backup_done`.
    Backup,
    /// Every work item, in the compact form (see the module docs).
    WorkItemsPacked,
    /// Every work item's list row, in the compact form: what the app opens with.
    ListRowsPacked,
    /// The list rows marked since the worklist snapshot `snapshot` (a rebuild's identity,
    /// hex), for a client that read that snapshot's chunks beside the database: answered
    /// by `row_marks` and its raw bytes (see `store::rows_delta`), or `no_row_marks` (see
    /// there; the client then asks for `list_rows_packed`).
    ListRowMarks {
        /// The identity of the snapshot the client holds.
        snapshot: String,
    },
    /// A file too large for one batch, imported set by set as one unit (`file_import`
    /// reply with its id); rolled back if this connection ends before the commit.
    BeginFileImport {
        /// The file's name, for the audit entry.
        file: String,
    },
    /// One set of a file import begun with `BeginFileImport`.
    ImportRemittanceIn {
        /// The import's id.
        import: u64,
        /// The parsed set.
        remittance: Box<Remittance>,
        /// The payer rules its deadlines come from.
        rules: PayerRules,
    },
    /// Makes a file import permanent and durable.
    CommitFileImport {
        /// The import's id.
        import: u64,
    },
    /// Undoes everything a file import stored so far.
    RollBackFileImport {
        /// The import's id.
        import: u64,
        /// The file turned out malformed: nothing is audited (`Store::refuse_file_import`).
        #[serde(default)]
        refused: bool,
    },
    /// A whole X12 file, imported by the server: the line is followed by exactly `bytes`
    /// raw bytes, the file as read. The server checks and stores it as an embedded import
    /// would (whole or not at all), answering `import_read`, `reading_again` and
    /// `set_stored` as it goes and
    /// `file_imported` (or an error) at the end. No claim crosses the socket as JSON.
    ImportFile {
        /// The file's name as the user gave it, for errors and the audit log.
        file: String,
        /// How many raw bytes follow (at most `IMPORT_FILE_MAX`).
        bytes: u64,
        /// The payer rules (and routing) the import uses.
        rules: PayerRules,
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
                | Request::ImportAcknowledgments { .. }
                | Request::ResolveBatch { .. }
                | Request::SetContracts { .. }
                | Request::SavePrevention { .. }
                | Request::ImportAcknowledgmentsIn { .. }
                | Request::Apply { .. }
                | Request::SetMeta { .. }
                | Request::Subscribe
                | Request::Backup
                | Request::BeginFileImport { .. }
                | Request::ImportRemittanceIn { .. }
                | Request::CommitFileImport { .. }
                | Request::RollBackFileImport { .. }
                | Request::ImportFile { .. }
                | Request::Hello { .. }
        )
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
