//! What the reader yields, and the one shape every transaction set's builder has
//! (segments fed up to the SE), so the envelope is read once for all of them.

use super::ack277::ClaimAckBuilder;
use super::ack999::BatchAckBuilder;
use super::fields::Locator;
use super::remittance::RemittanceBuilder;
use super::segment_ids::check_segment_id;
use super::tokenizer::Segment;
use crate::domain::acknowledgment::Acknowledgment;
use crate::domain::remittance::Remittance;
use crate::ingest::error::IngestError;

/// One transaction set this program reads.
#[derive(Debug)]
pub enum Transaction {
    /// An 835.
    Remittance(Remittance),
    /// A 999, 997, 277CA or 277.
    Acknowledgment(Acknowledgment),
}

/// A transaction set being built, segment by segment, up to its SE.
pub(super) trait SetBuilder {
    fn control(&self) -> &str;
    fn feed_segment(&mut self, loc: &Locator, seg: &Segment) -> Result<(), IngestError>;
    fn finish_set(self, se: &Segment) -> Result<Transaction, IngestError>;
}

impl SetBuilder for RemittanceBuilder {
    fn control(&self) -> &str {
        self.control_number()
    }
    fn feed_segment(&mut self, loc: &Locator, seg: &Segment) -> Result<(), IngestError> {
        check_segment_id(loc, seg)?;
        self.feed(seg)
    }
    fn finish_set(self, se: &Segment) -> Result<Transaction, IngestError> {
        self.finish(se).map(Transaction::Remittance)
    }
}

impl SetBuilder for BatchAckBuilder {
    fn control(&self) -> &str {
        self.control_number()
    }
    fn feed_segment(&mut self, _: &Locator, seg: &Segment) -> Result<(), IngestError> {
        self.feed(seg)
    }
    fn finish_set(self, se: &Segment) -> Result<Transaction, IngestError> {
        self.finish(se).map(Transaction::Acknowledgment)
    }
}

impl SetBuilder for ClaimAckBuilder {
    fn control(&self) -> &str {
        self.control_number()
    }
    fn feed_segment(&mut self, _: &Locator, seg: &Segment) -> Result<(), IngestError> {
        self.feed(seg)
    }
    fn finish_set(self, se: &Segment) -> Result<Transaction, IngestError> {
        self.finish(se).map(Transaction::Acknowledgment)
    }
}
