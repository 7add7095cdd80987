//! The batch an import is building, and what it knows while it builds: which key each
//! claim belongs to (claim identity against the stored claims and those staged before it),
//! the work items it has changed, and the payments other items may need.

use super::audit::AuditEntry;
use super::core::{db_error, decode, SledStore};
use super::journal::Writes;
use super::keys;
use super::StoreError;
use crate::domain::claim::Claim;
use crate::domain::claim_identity::{claim_id_of_key, ClaimIdentity, Relation};
use crate::domain::contract::{ContractIndex, ContractSet};
use crate::domain::kpi::AdjudicationDay;
use crate::domain::payer_rules::PayerRules;
use crate::domain::routing::{Routing, TeamState};
use crate::domain::timeline::EventKind;
use crate::domain::underpaid_line::Underpayment;
use crate::domain::underpayment::detect;
use crate::domain::work_item::WorkItem;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// One atomic batch being built from one or more transaction sets.
pub(super) struct SetBatch<'a> {
    pub(super) batch: Writes,
    /// The block of adjudications being filled (see `claim_blocks`).
    pub(super) blocks: super::claim_blocks::BlockBuilder,
    /// Where this batch's adjudications lie, for the claim index (see `claim_index`).
    pub(super) index: Vec<super::claim_index::IndexEntry>,
    /// Items changed earlier in this batch (a reversal followed by its correction), by key.
    pub(super) pending: HashMap<String, WorkItem>,
    /// Claims known per CLP01: stored ones, then those staged in this batch.
    pub(super) known: HashMap<String, Vec<(String, ClaimIdentity)>>,
    /// Payments staged in this batch, by CLP01 (the store cannot see them yet): what an
    /// item opened later in the batch needs from the claim's other payers. Borrowed, and
    /// by CLP01 rather than key, so the common case costs no allocation per claim.
    pub(super) staged_payments: HashMap<&'a str, Vec<&'a Claim>>,
    pub(super) fingerprints: HashSet<u64>,
    pub(super) days: HashMap<(NaiveDate, String), AdjudicationDay>,
    pub(super) now: DateTime<Utc>,
    /// Keys known only from a rejection (a 277CA): no remittance adjudicated them yet.
    pub(super) ack_only: HashSet<String>,
    /// Claims whose first acknowledgment this batch counts (their marks are staged).
    pub(super) ack_marks: HashSet<String>,
    /// Routing's view of the team, loaded when the first item is routed.
    pub(super) teams: Option<TeamState>,
    /// The contract rows in force, loaded when the first claim with no denial is checked
    /// (`None` inside: no contracts loaded, nothing is priced).
    pub(super) contracts: Option<Option<Arc<ContractIndex>>>,
    /// The work items the set being staged opened with no audit entry of their own: its
    /// entry lists them (`AuditEntry::opened`).
    pub(super) opened: Vec<String>,
    /// The claim index's runs, read once: the batch is built under the write lock, so no
    /// other writer changes them meanwhile (see `index_entries_in`).
    pub(super) runs: Option<Vec<super::claim_index::Run>>,
}

impl SetBatch<'_> {
    /// An empty batch, starting now.
    pub(super) fn new() -> Self {
        SetBatch {
            batch: Writes::default(),
            blocks: Default::default(),
            index: Vec::new(),
            pending: HashMap::new(),
            known: HashMap::new(),
            staged_payments: HashMap::new(),
            fingerprints: HashSet::new(),
            days: HashMap::new(),
            now: chrono::Utc::now(),
            ack_only: HashSet::new(),
            ack_marks: HashSet::new(),
            teams: None,
            contracts: None,
            opened: Vec::new(),
            runs: None,
        }
    }

    /// The set's own audit entry, covering the work items it opened (see `stage_opened`).
    pub(super) fn set_entry(&mut self, seq: u64, user: &str, detail: String) -> AuditEntry {
        let mut entry = AuditEntry::about_database(seq, self.now, user, "import-set", detail);
        entry.opened = std::mem::take(&mut self.opened);
        entry
    }
}

/// Which claim a newly imported adjudication belongs to (`SledStore::identify`).
pub(super) struct Identified {
    /// Its key.
    pub(super) key: String,
    /// The claim was adjudicated before (this is a later remittance of it).
    pub(super) adjudicated: bool,
    /// The key was made for this claim: nothing is stored or staged under it yet.
    pub(super) new: bool,
    /// The keys of the same patient's claim at other payers.
    pub(super) others: Vec<String>,
}

/// A rejection's identity names whoever sent the 277CA, often a clearinghouse rather than
/// the payer: the same claim id and patient is the same claim whoever answers for it.
fn same_patient_any_payer(new: &ClaimIdentity, known: &ClaimIdentity) -> bool {
    new.patient_control_number == known.patient_control_number
        && (new.same_patient(known) || new.patient_name == known.patient_name)
}

impl SledStore {
    /// The lines of a claim with no denial that the payer paid below the contracts loaded
    /// (`contracts import`), beyond the tolerance in `rules`.
    /// The stored contract rows, indexed (once per change of the stored rows).
    fn contract_index(&self) -> Result<Option<Arc<ContractIndex>>, StoreError> {
        let Some(bytes) = self.db.get(keys::CONTRACTS).map_err(db_error)? else {
            return Ok(None);
        };
        let mut cache = self
            .contracts_index
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some((cached, index)) = cache.as_ref() {
            if *cached == bytes {
                return Ok(Some(Arc::clone(index)));
            }
        }
        let set: ContractSet = decode(keys::CONTRACTS, &bytes)?;
        let index = Arc::new(ContractIndex::new(&set));
        *cache = Some((bytes, Arc::clone(&index)));
        Ok(Some(index))
    }

    pub(super) fn underpaid(
        &self,
        b: &mut SetBatch<'_>,
        claim: &Claim,
        rules: &PayerRules,
    ) -> Result<Option<Underpayment>, StoreError> {
        if b.contracts.is_none() {
            b.contracts = Some(self.contract_index()?);
        }
        Ok(b.contracts
            .as_ref()
            .and_then(Option::as_ref)
            .and_then(|c| detect(claim, c, rules.underpayment)))
    }

    /// Stages a work item a set opened, with its events. Its audit is the set's entry
    /// (`SetBatch::set_entry`), which lists it: a large file opens thousands, and each
    /// one's own entry repeated what its adjudication says. An item routed as it opened
    /// keeps an entry of its own, which names the rule that gave it an owner.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn stage_opened(
        &self,
        b: &mut SetBatch<'_>,
        item: &mut WorkItem,
        events: Vec<EventKind>,
        detail: &str,
        routed: String,
        user: &str,
    ) -> Result<(), StoreError> {
        if routed.is_empty() {
            self.stage_item(&mut b.batch, None, item, events, user, b.now)?;
            b.opened.push(item.key.to_string());
            return Ok(());
        }
        let detail = format!("opened by {detail}{routed}");
        self.stage_item_change(
            &mut b.batch,
            None,
            item,
            events,
            "import",
            detail,
            user,
            b.now,
        )
    }

    /// Routes a newly opened work item by the config file's rules (see `routing`): its
    /// timeline entry, and the words the audit entry adds ("; routed by rule NAME").
    pub(super) fn route_new(
        &self,
        b: &mut SetBatch<'_>,
        routing: &Routing,
        item: &mut WorkItem,
        events: &mut Vec<EventKind>,
    ) -> Result<String, StoreError> {
        if routing.routes.is_empty() {
            return Ok(String::new());
        }
        if b.teams.is_none() {
            let mut state = TeamState::default();
            if routing.needs_loads() {
                for row in crate::store::WorkStore::list_rows(self)? {
                    let Some(owner) = row.owner.filter(|_| row.status.is_open()) else {
                        continue;
                    };
                    // A name already counted is looked up, not copied again.
                    match state.open_by_owner.get_mut(owner.as_str()) {
                        Some(open) => *open += 1,
                        None => {
                            state.open_by_owner.insert(owner.into(), 1);
                        }
                    }
                }
            }
            for team in routing.teams.keys() {
                if let Some(last) = self.get::<String>(&super::keys::route_last(team))? {
                    state.last_given.insert(team.clone(), last);
                }
            }
            b.teams = Some(state);
        }
        let state = b.teams.as_mut().expect("loaded above");
        let today = b.now.date_naive();
        let Some((rule, event)) = routing.route(item, state, today) else {
            return Ok(String::new());
        };
        events.push(event);
        Ok(format!("; routed by rule {rule}"))
    }

    /// Stages the batch's day counts, added to the stored ones: the KPIs' denominators.
    pub(super) fn stage_days(&self, b: &mut SetBatch<'_>) -> Result<(), StoreError> {
        use super::codec::Put;
        for ((date, payer), add) in std::mem::take(&mut b.days) {
            let key = super::keys::adjudication_day(date, &payer);
            let mut day: AdjudicationDay = self
                .get(&key)?
                .unwrap_or_else(|| AdjudicationDay::new(date, &payer));
            day.merge(&add);
            b.batch.put(key, super::core::encode(&day));
        }
        Ok(())
    }

    /// Stages the teams' round-robin positions, so the next import goes on from them.
    pub(super) fn stage_team_turns(&self, b: &mut SetBatch<'_>) {
        use super::codec::Put;
        if let Some(state) = b.teams.take() {
            for (team, last) in &state.last_given {
                b.batch
                    .put(super::keys::route_last(team), super::core::encode(last));
            }
            b.teams = Some(state);
        }
    }

    /// The key a newly imported claim belongs to, whether that claim was adjudicated
    /// before, and the keys of the same patient's claim at other payers (see
    /// `claim_identity`).
    pub(super) fn identify(
        &self,
        b: &mut SetBatch<'_>,
        claim: &Claim,
    ) -> Result<Identified, StoreError> {
        // Not found: `identify_as` made the key for this claim, so it is new.
        let (key, found, others) = self.identify_as(b, ClaimIdentity::of(claim), false)?;
        // The claim's first remittance after a rejection is its first adjudication; from
        // now on the claim is known by its remittance's payer and patient.
        let after_rejection = found && b.ack_only.remove(&key);
        if after_rejection {
            if let Some(entry) = b
                .known
                .get_mut(&claim.patient_control_number)
                .and_then(|known| known.iter_mut().find(|(k, _)| *k == key))
            {
                // Worked out again rather than kept for every claim: this is rare.
                entry.1 = ClaimIdentity::of(claim);
            }
        }
        Ok(Identified {
            key,
            adjudicated: found && !after_rejection,
            new: !found,
            others,
        })
    }

    /// Loads into `b.known` (once per batch) every claim and work item filed under the
    /// CLP01 `pcn`: the stored claims' keys and identities, then the rejections no
    /// remittance has adjudicated yet (their keys also in `b.ack_only`). Every key under
    /// `pcn` is then in it, so a key made to differ from all of them is new: nothing is
    /// stored under it (`Identified::new`).
    pub(super) fn load_known(&self, b: &mut SetBatch<'_>, pcn: &str) -> Result<(), StoreError> {
        if let Entry::Vacant(unknown) = b.known.entry(pcn.to_string()) {
            if b.runs.is_none() {
                b.runs = Some(self.claim_runs()?);
            }
            let runs = b.runs.as_deref().expect("read above");
            let mut stored = self.known_claims_in(runs, pcn)?;
            for (key, rejected) in self.rejections_without_claims(pcn, &stored)? {
                b.ack_only.insert(key.clone());
                stored.push((key, rejected));
            }
            unknown.insert(stored);
        }
        Ok(())
    }

    /// As `identify`, for an identity; `acknowledgment`: a 277CA's, which matches a
    /// known claim of the same patient when no claim of the same payer does.
    pub(super) fn identify_as(
        &self,
        b: &mut SetBatch<'_>,
        identity: ClaimIdentity,
        acknowledgment: bool,
    ) -> Result<(String, bool, Vec<String>), StoreError> {
        let pcn = identity.patient_control_number.as_str();
        self.load_known(b, pcn)?;
        let known = b.known.get_mut(pcn).expect("loaded above");
        let mut same = None;
        let mut others = Vec::new();
        for (key, k) in known.iter() {
            match identity.relation_to(k) {
                Relation::SameClaim if same.is_none() => same = Some(key.clone()),
                Relation::OtherPayer if !b.ack_only.contains(key) => others.push(key.clone()),
                _ => {}
            }
        }
        if same.is_none() {
            same = known
                .iter()
                .find(|(key, k)| {
                    (acknowledgment || b.ack_only.contains(key))
                        && same_patient_any_payer(&identity, k)
                })
                .map(|(key, _)| key.clone());
            others.retain(|k| Some(k) != same.as_ref());
        }
        let found = same.is_some();
        let key = match same {
            Some(key) => key,
            None => {
                let mut salt = 0;
                while known.iter().any(|(k, _)| *k == identity.key(salt)) {
                    salt += 1;
                }
                let key = identity.key(salt);
                known.push((key.clone(), identity));
                key
            }
        };
        others.sort();
        others.dedup();
        Ok((key, found, others))
    }

    /// The work item at `key` as this batch leaves it.
    pub(super) fn pending_item(
        &self,
        b: &SetBatch<'_>,
        key: &str,
    ) -> Result<Option<WorkItem>, StoreError> {
        match b.pending.get(key) {
            Some(item) => Ok(Some(item.clone())),
            None => self.item_at(key),
        }
    }

    /// Every adjudication under `key`: stored, then staged in this batch.
    pub(super) fn claims_under(
        &self,
        b: &SetBatch<'_>,
        key: &str,
    ) -> Result<Vec<Claim>, StoreError> {
        let mut claims: Vec<Claim> = self.claim_history_at(key)?;
        let pcn = claim_id_of_key(key);
        let identity = b
            .known
            .get(pcn)
            .and_then(|known| known.iter().find(|(k, _)| k == key))
            .map(|(_, identity)| identity);
        if let (Some(staged), Some(identity)) = (b.staged_payments.get(pcn), identity) {
            claims.extend(
                staged
                    .iter()
                    .filter(|c| ClaimIdentity::of(c).relation_to(identity) == Relation::SameClaim)
                    .map(|c| (*c).clone()),
            );
        }
        Ok(claims)
    }
}
