//! `--readonly`: look without changing anything. Every store is wrapped so that whatever
//! would change the data is refused with one clear message (reads, presence and backups
//! go through); and a database the user cannot write at all — on a read-only filesystem,
//! a folder shared read-only — is opened from a private copy (see
//! `SledStore::open_copy`), since sled cannot open a folder it cannot write.

use super::audit::AuditEntry;
use super::backup::BackupSummary;
use super::core::SledStore;
use super::{MetaKey, SetOutcome, Store, StoreError, WorkStore};
use crate::domain::acknowledgment::{Acknowledgment, BatchAck};
use crate::domain::action::WorkAction;
use crate::domain::claim::Claim;
use crate::domain::kpi::{Activity, AdjudicationDay};
use crate::domain::list_row::ListRow;
use crate::domain::payer_rules::PayerRules;
use crate::domain::remittance::Remittance;
use crate::domain::timeline::Event;
use crate::domain::work_item::WorkItem;
use chrono::NaiveDate;
use std::path::Path;

/// A store that refuses every change.
pub struct ReadOnly(pub Box<dyn Store + Send>);

fn refused() -> StoreError {
    StoreError::Refused("--readonly: nothing can be changed (run without --readonly)".into())
}

impl Store for ReadOnly {
    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        self.0.audit_log()
    }
    fn is_imported(&self, fingerprint: u64) -> Result<bool, StoreError> {
        self.0.is_imported(fingerprint)
    }
    fn import_remittance(
        &self,
        _: &Remittance,
        _: &PayerRules,
        _: &str,
    ) -> Result<SetOutcome, StoreError> {
        Err(refused())
    }
    fn import_remittances(
        &self,
        _: &[Remittance],
        _: &PayerRules,
        _: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        Err(refused())
    }
    fn import_acknowledgments(
        &self,
        _: &[Acknowledgment],
        _: &PayerRules,
        _: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        Err(refused())
    }
    fn batch_acks(&self) -> Result<Vec<BatchAck>, StoreError> {
        self.0.batch_acks()
    }
    fn set_contracts(
        &self,
        _: &crate::domain::contract::ContractSet,
        _: &str,
    ) -> Result<usize, StoreError> {
        Err(refused())
    }
    fn contracts(&self) -> Result<Option<crate::domain::contract::ContractSet>, StoreError> {
        self.0.contracts()
    }
    fn import_acknowledgments_in(
        &self,
        _: u64,
        _: &[Acknowledgment],
        _: &PayerRules,
        _: &str,
    ) -> Result<Vec<SetOutcome>, StoreError> {
        Err(refused())
    }
    fn resolve_batch(&self, _: &str, _: &str, _: &str) -> Result<Vec<BatchAck>, StoreError> {
        Err(refused())
    }
    fn begin_file_import(&self, _: &str, _: &str) -> Result<u64, StoreError> {
        Err(refused())
    }
    fn import_remittance_in(
        &self,
        _: u64,
        _: &Remittance,
        _: &PayerRules,
        _: &str,
    ) -> Result<SetOutcome, StoreError> {
        Err(refused())
    }
    fn commit_file_import(&self, _: u64) -> Result<(), StoreError> {
        Err(refused())
    }
    fn roll_back_file_import(&self, _: u64, _: &str) -> Result<(), StoreError> {
        Err(refused())
    }
    fn refuse_file_import(&self, _: u64) -> Result<(), StoreError> {
        Err(refused())
    }
    fn meta(&self, key: MetaKey) -> Result<Option<String>, StoreError> {
        self.0.meta(key)
    }
    fn set_meta(&self, _: MetaKey, _: &str) -> Result<(), StoreError> {
        Err(refused())
    }
    /// A backup only reads (its audit entry goes where the store can write it).
    fn backup(
        &self,
        out: &mut dyn std::io::Write,
        user: &str,
    ) -> Result<BackupSummary, StoreError> {
        self.0.backup(out, user)
    }
}

impl WorkStore for ReadOnly {
    fn prevention_items(
        &self,
    ) -> Result<Vec<crate::domain::prevention::PreventionItem>, StoreError> {
        self.0.prevention_items()
    }

    fn save_prevention(
        &self,
        _: &crate::domain::prevention::PreventionItem,
        _: &str,
    ) -> Result<crate::domain::prevention::PreventionItem, StoreError> {
        Err(refused())
    }

    fn work_items(&self) -> Result<Vec<WorkItem>, StoreError> {
        self.0.work_items()
    }
    fn list_rows(&self) -> Result<Vec<ListRow>, StoreError> {
        self.0.list_rows()
    }
    fn work_item(&self, claim: &str) -> Result<Option<WorkItem>, StoreError> {
        self.0.work_item(claim)
    }
    fn claim_history(&self, claim: &str) -> Result<Vec<Claim>, StoreError> {
        self.0.claim_history(claim)
    }
    fn timeline(&self, claim: &str) -> Result<Vec<Event>, StoreError> {
        self.0.timeline(claim)
    }
    fn apply_at_version(
        &self,
        _: &str,
        _: &WorkAction,
        _: NaiveDate,
        _: &str,
        _: Option<u64>,
    ) -> Result<WorkItem, StoreError> {
        Err(refused())
    }
    fn adjudication_days(&self) -> Result<Vec<AdjudicationDay>, StoreError> {
        self.0.adjudication_days()
    }
    fn activity(&self, since: chrono::NaiveDate) -> Result<Vec<Activity>, StoreError> {
        self.0.activity(since)
    }
    fn set_viewing(&self, claim: Option<&str>) -> Result<(), StoreError> {
        self.0.set_viewing(claim)
    }
    fn session(&self) -> Option<u64> {
        self.0.session()
    }
}

impl SledStore {
    /// Opens a private copy of the database at `path` (in a fresh owner-only temporary
    /// folder, removed when the store is dropped): for looking at, and backing up, a
    /// database this user cannot write. Only plain files and folders are copied.
    pub fn open_copy(path: &Path) -> Result<SledStore, StoreError> {
        let fail = |e: std::io::Error| StoreError::Permissions {
            path: path.to_path_buf(),
            message: format!("cannot make a private copy to read: {e}"),
        };
        let scratch = tempfile::Builder::new()
            .prefix("denialdesk-readonly-")
            .tempdir()
            .map_err(fail)?;
        let copy = scratch.path().join("db");
        copy_tree(path, &copy).map_err(fail)?;
        let mut store = SledStore::open(&copy)?;
        store.scratch = Some(scratch);
        Ok(store)
    }
}

/// Whether this user can write the database folder (and its data file, if any).
pub fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let can = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            // SAFETY: access with a valid C string.
            .map(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
            .unwrap_or(false)
    };
    let data = path.join(super::core::DATA_FILE);
    can(path) && (!data.exists() || can(&data))
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().mode(0o700).create(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
