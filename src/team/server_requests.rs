//! One request against the store and its single reply (requests with more than one reply
//! are in `server_streams`).

use super::protocol::{Request, Response};
use crate::store::{SledStore, Store, WorkStore};

/// One request against the store, as `user`; the reply and what to tell subscribers.
pub(super) fn handle(
    store: &SledStore,
    user: &str,
    request: Request,
) -> (Response, Option<Response>) {
    let reply = |r: Result<Response, crate::store::StoreError>| {
        r.unwrap_or_else(|e| Response::from_error(&e))
    };
    match request {
        // Served before `handle` (connection state or more than one reply).
        Request::Hello { .. }
        | Request::Deadline { .. }
        | Request::Subscribe
        | Request::Viewing { .. }
        | Request::Backup
        | Request::WorkItemsPacked
        | Request::ListRowsPacked
        | Request::ListRowMarks { .. }
        | Request::BeginFileImport { .. }
        | Request::ImportRemittanceIn { .. }
        | Request::ImportAcknowledgmentsIn { .. }
        | Request::CommitFileImport { .. }
        | Request::RollBackFileImport { .. }
        | Request::ImportFile { .. } => (Response::Done, None),
        Request::WorkItems => (
            reply(
                store
                    .work_items()
                    .map(|items| Response::WorkItems { items }),
            ),
            None,
        ),
        Request::WorkItem { claim } => (
            reply(store.work_item(&claim).map(|item| Response::WorkItem {
                item: item.map(Box::new),
            })),
            None,
        ),
        Request::ClaimHistory { claim } => (
            reply(
                store
                    .claim_history(&claim)
                    .map(|claims| Response::Claims { claims }),
            ),
            None,
        ),
        Request::Timeline { claim } => (
            reply(
                store
                    .timeline(&claim)
                    .map(|events| Response::Events { events }),
            ),
            None,
        ),
        Request::AuditLog => (
            reply(store.audit_log().map(|entries| Response::Audit { entries })),
            None,
        ),
        Request::IsImported { fingerprint } => (
            reply(
                store
                    .is_imported(fingerprint)
                    .map(|value| Response::Flag { value }),
            ),
            None,
        ),
        Request::Activity { since } => (
            reply(
                store
                    .activity(since)
                    .map(|entries| Response::Activity { entries }),
            ),
            None,
        ),
        Request::AdjudicationDays => (
            reply(
                store
                    .adjudication_days()
                    .map(|days| Response::Days { days }),
            ),
            None,
        ),
        Request::Meta { key } => (
            reply(store.meta(key).map(|value| Response::Meta { value })),
            None,
        ),
        Request::SetMeta { key, value } => (
            reply(store.set_meta(key, &value).map(|()| Response::Done)),
            None,
        ),
        Request::ImportRemittance { remittance, rules } => {
            match store.import_remittance(&remittance, &rules, user) {
                Ok(outcome) => {
                    let changed = outcome.opened + outcome.updated > 0;
                    // Imports touch many items: subscribers reload rather than patch.
                    (
                        Response::Imported { outcome },
                        changed.then_some(Response::Changed { items: Vec::new() }),
                    )
                }
                Err(e) => (Response::from_error(&e), None),
            }
        }
        Request::ImportAcknowledgments { sets, rules } => {
            match store.import_acknowledgments(&sets, &rules, user) {
                Ok(outcomes) => {
                    let changed = outcomes.iter().any(|o| o.opened + o.updated > 0);
                    (
                        Response::ImportedMany { outcomes },
                        changed.then_some(Response::Changed { items: Vec::new() }),
                    )
                }
                Err(e) => (Response::from_error(&e), None),
            }
        }
        Request::ResolveBatch { batch, reason } => (
            reply(
                store
                    .resolve_batch(&batch, &reason, user)
                    .map(|acks| Response::BatchAcks { acks }),
            ),
            None,
        ),
        Request::SetContracts { set } => (
            reply(
                store
                    .set_contracts(&set, user)
                    .map(|rows| Response::Replaced { rows }),
            ),
            None,
        ),
        Request::SavePrevention { item } => (
            reply(
                store
                    .save_prevention(&item, user)
                    .map(|item| Response::PreventionItem { item }),
            ),
            None,
        ),
        Request::Prevention => (
            reply(
                store
                    .prevention_items()
                    .map(|items| Response::Prevention { items }),
            ),
            None,
        ),
        Request::Contracts => (
            reply(store.contracts().map(|set| Response::Contracts { set })),
            None,
        ),
        Request::BatchAcks => (
            reply(store.batch_acks().map(|acks| Response::BatchAcks { acks })),
            None,
        ),
        Request::ImportRemittances { remittances, rules } => {
            match store.import_remittances(&remittances, &rules, user) {
                Ok(outcomes) => {
                    let changed = outcomes.iter().any(|o| o.opened + o.updated > 0);
                    (
                        Response::ImportedMany { outcomes },
                        changed.then_some(Response::Changed { items: Vec::new() }),
                    )
                }
                Err(e) => (Response::from_error(&e), None),
            }
        }
        Request::Apply {
            claim,
            action,
            today,
            expected,
        } => match store.apply_at_version(&claim, &action, today, user, expected) {
            Ok(item) => (
                Response::WorkItem {
                    item: Some(Box::new(item.clone())),
                },
                Some(Response::Changed { items: vec![item] }),
            ),
            Err(e) => (Response::from_error(&e), None),
        },
    }
}
