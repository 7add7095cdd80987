//! The clocks a work item runs: its appeal or resubmission deadline, and once the claim
//! is with the payer, the payer's answer (the no-response clock). Which one runs today is
//! `RowFields::clock`, the one rule the worklist, `list`, the queues, the KPIs and the
//! rank read, for whole items and list rows alike; here are what only a whole item knows
//! (both deadlines) and the clock's moves when it changes.

use super::row_fields::RowFields;
use super::WorkItem;
use crate::domain::payer_rules::AppealDeadline;
use chrono::NaiveDate;

impl WorkItem {
    /// The appeal deadline, if any clock of the item is one.
    pub fn appeal_by(&self) -> Option<&AppealDeadline> {
        std::iter::once(&self.appeal_deadline)
            .chain(self.second_deadline.as_ref())
            .find(|d| !d.source.is_resubmission())
    }

    /// The resubmission deadline (timely filing), if any clock of the item is one.
    pub fn resubmit_by(&self) -> Option<&AppealDeadline> {
        std::iter::once(&self.appeal_deadline)
            .chain(self.second_deadline.as_ref())
            .find(|d| d.source.is_resubmission())
    }

    /// Moves the no-response clock after a change on `on`: the payer was contacted or
    /// answered, so it restarts while the claim is with the payer (`with_payer`), and
    /// stops when not. An accepted rejection's wait for its remittance is started by
    /// `await_remittance`, never restarted once the remittance came.
    pub fn restart_payer_clock(&mut self, on: NaiveDate) {
        self.awaiting_payer_since = self.with_payer().then_some(on);
    }

    /// A rejection the payer took in: from `on` its remittance is awaited.
    pub fn await_remittance(&mut self, on: NaiveDate) {
        self.awaiting_payer_since = Some(on);
    }
}
