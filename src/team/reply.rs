//! The server's side of the team protocol (see `protocol`): each reply a request gets,
//! the notices pushed to subscribers, and the kind of a refusal, so a client can react
//! to it (reload on a conflict, retry when busy).

use crate::domain::acknowledgment::BatchAck;
use crate::domain::claim::Claim;
use crate::domain::contract::ContractSet;
use crate::domain::kpi::{Activity, AdjudicationDay};
use crate::domain::presence::Viewer;
use crate::domain::prevention::PreventionItem;
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;
use crate::store::audit::AuditEntry;
use crate::store::backup::BackupSummary;
use crate::store::SetOutcome;
use serde::{Deserialize, Serialize};

/// Which `StoreError` a remote error stands for, so clients can react (reload on conflict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// No such claim.
    UnknownClaim,
    /// Someone else saved the claim since the user looked.
    Conflict,
    /// Refused as it stands (bad input, a read-only store, not allowed).
    Refused,
    /// Not applied: a bounded wait ran out (an import running, the deadline passed).
    Busy,
    /// Not applied: the server is stopping; send it again to the next server.
    Stopping,
    /// Not kept: the disk failed under the store (full?); the server recovers by itself.
    Storage,
    /// Anything else (the message says what).
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
/// One reply from the server (or a notice pushed to subscribers), tagged by `reply`.
pub enum Response {
    /// The answer to `hello`: the connection is admitted.
    Welcome {
        /// The server's protocol version.
        protocol: u32,
        /// Who the server saw connect (from SO_PEERCRED), recorded on every change.
        user: String,
        /// This connection's id, so a client can tell its own presence from others'.
        #[serde(default)]
        session: u64,
    },
    /// Every work item.
    WorkItems {
        /// The items, in key order.
        items: Vec<WorkItem>,
    },
    /// One work item, if the claim exists.
    WorkItem {
        /// The item.
        item: Option<Box<WorkItem>>,
    },
    /// A claim's adjudications.
    Claims {
        /// Oldest first.
        claims: Vec<Claim>,
    },
    /// A claim's timeline.
    Events {
        /// Oldest first.
        events: Vec<Event>,
    },
    /// The audit log.
    Audit {
        /// Oldest first.
        entries: Vec<AuditEntry>,
    },
    /// A yes or no answer (`is_imported`).
    Flag {
        /// The answer.
        value: bool,
    },
    /// What importing one set did.
    Imported {
        /// Counts of claims, opened and updated items.
        outcome: SetOutcome,
    },
    /// What importing each set of a file did.
    ImportedMany {
        /// One per set, in file order.
        outcomes: Vec<SetOutcome>,
    },
    /// How many contract rows a new set replaced.
    Replaced {
        /// The count.
        rows: usize,
    },
    /// The contract rows in force.
    Contracts {
        /// `None`: none imported.
        set: Option<ContractSet>,
    },
    /// A prevention item as saved.
    PreventionItem {
        /// The item.
        item: PreventionItem,
    },
    /// Every prevention item.
    Prevention {
        /// By id.
        items: Vec<PreventionItem>,
    },
    /// The claim batches 999s answered.
    BatchAcks {
        /// In import order.
        acks: Vec<BatchAck>,
    },
    /// The first-adjudication counts.
    Days {
        /// Per day and payer.
        days: Vec<AdjudicationDay>,
    },
    /// Changes from the audit log.
    Activity {
        /// Oldest first.
        entries: Vec<Activity>,
    },
    /// One meta value.
    Meta {
        /// Its text, if set.
        value: Option<String>,
    },
    /// Done: the change is durable.
    Done,
    /// The request failed; nothing was changed unless `kind` says otherwise.
    Error {
        /// What kind of failure, for the client to react to.
        kind: ErrorKind,
        /// What went wrong, for the user.
        message: String,
        #[serde(default)]
        /// On a conflict: the claim.
        claim: Option<String>,
        #[serde(default)]
        /// On a conflict: who saved it.
        user: Option<String>,
        #[serde(default)]
        /// On a conflict: when.
        at: Option<String>,
    },
    /// Pushed to subscribers: these work items were just saved.
    Changed {
        /// The saved items.
        items: Vec<WorkItem>,
    },
    /// Pushed to subscribers: who has which claim open now.
    Presence {
        /// Every session's open claim.
        viewers: Vec<Viewer>,
    },
    /// Whole lines of a backup being streamed.
    BackupPart {
        /// Backup lines, each ending in a newline.
        text: String,
    },
    /// The backup is complete.
    BackupDone {
        /// What it held.
        summary: BackupSummary,
    },
    /// A file import has begun.
    FileImport {
        /// Its id, for the sets, the commit or the rollback.
        import: u64,
    },
    /// `import_file`: this many claims were read (a large file is stored as it is read).
    ImportRead {
        /// Claims read so far.
        claims: usize,
    },
    /// `import_file`: the file did not look whole at its end yet read well, so the server
    /// reads it again from its start to store it (`ImportEvent::ReadingAgain`).
    ReadingAgain,
    /// `import_file`: a transaction set was stored (or found imported before).
    SetStored {
        /// Which set.
        set: crate::import::SetHeader,
        /// What storing it did.
        outcome: SetOutcome,
    },
    /// `import_file` is done: what it did.
    FileImported {
        /// The counts and lines an embedded import reports.
        report: crate::import_report::FileReport,
    },
    /// `import_file` refused the file as it stands (it names file, segment and element);
    /// nothing of it was stored.
    BadFile {
        /// What is wrong, where.
        message: String,
    },
    /// Followed by `bytes` raw bytes holding `items` packed work items or list rows.
    Packed {
        /// How many items are packed.
        items: usize,
        /// How many raw bytes follow the line.
        bytes: usize,
    },
    /// Followed by `bytes` raw bytes holding `marks` rows marked since the snapshot asked
    /// about (`list_row_marks`), which has `rows` rows in `chunks` chunks.
    RowMarks {
        /// Rows in the snapshot.
        rows: usize,
        /// Chunks in the snapshot.
        chunks: usize,
        /// How many marked rows follow.
        marks: usize,
        /// How many raw bytes follow the line.
        bytes: usize,
    },
    /// No marks for the snapshot asked about: it is not the one stored (or none is, or the
    /// identity is not one), its marks pass half its rows, or rebuilds kept landing.
    NoRowMarks,
}
