//! The X12 envelope: ISA/GS/ST…SE/GE/IEA with their counts and control numbers checked,
//! several interchanges, groups and transaction sets per file. Reads 835 remittances, 999
//! and 997 acknowledgments (GS*FA) and 277CA / 277 claim statuses (GS*HN); other groups
//! are checked and skipped, saying so. Yields one transaction set at a time so memory is
//! bounded by the largest set, not by the file.

use super::ack277::{kind_of, ClaimAckBuilder};
use super::ack999::BatchAckBuilder;
use super::fields::Locator;
use super::remittance::RemittanceBuilder;
use super::set_builder::SetBuilder;
pub use super::set_builder::Transaction;
use super::tokenizer::{Segment, SegmentReader};
use crate::domain::remittance::Remittance;
use crate::ingest::error::IngestError;
use chrono::NaiveDate;
use std::io::BufRead;

enum Envelope {
    /// Before an ISA, or after an IEA.
    Outside,
    Interchange,
    Group,
}

/// Streams the transaction sets of one 835 file.
pub struct Reader835<R> {
    segments: SegmentReader<R>,
    loc: Locator,
    state: Envelope,
    isa_control: String,
    gs_control: String,
    version: String,
    groups_in_interchange: usize,
    sets_in_group: usize,
    interchanges: usize,
    /// Transaction sets of the group being skipped (an acknowledgment, not an 835).
    skipping: Option<SkippedGroup>,
    remittance_groups: usize,
    /// The acknowledgment group being read (GS01 FA or HN) and its date (GS04).
    ack_group: Option<(String, NaiveDate)>,
    ack_groups: usize,
    skipped: Vec<String>,
}

/// A functional group that is not a remittance (999, 277, …), read only to check its
/// envelope and to say what was skipped.
struct SkippedGroup {
    functional_id: String,
    first_segment: usize,
    sets: Vec<String>,
}

/// What a functional group id (GS01) holds, for messages.
fn functional_group_name(id: &str) -> &'static str {
    match id {
        "HP" => "health care claim payment (835)",
        "FA" => "functional acknowledgment (997/999)",
        "HN" => "claim status notification (277/277CA)",
        "HR" => "claim status request (276)",
        "HC" => "health care claim (837)",
        "HS" => "eligibility inquiry (270)",
        "HB" => "eligibility response (271)",
        "BE" => "benefit enrollment (834)",
        _ => "a transaction this program does not read",
    }
}

impl<R: BufRead> Reader835<R> {
    /// A reader over `reader`, naming `file` in errors.
    pub fn new(reader: R, file: &str) -> Self {
        Reader835 {
            segments: SegmentReader::new(reader, file),
            loc: Locator { file: file.into() },
            state: Envelope::Outside,
            isa_control: String::new(),
            gs_control: String::new(),
            version: String::new(),
            groups_in_interchange: 0,
            sets_in_group: 0,
            interchanges: 0,
            skipping: None,
            remittance_groups: 0,
            ack_group: None,
            ack_groups: 0,
            skipped: Vec::new(),
        }
    }

    /// What the file held besides 835s (acknowledgments, TA1s), one line each, for the
    /// import report: skipped, never silently.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// Segments read so far.
    pub fn segments_read(&self) -> usize {
        self.segments.count()
    }

    /// The next transaction set, or `None` after the last IEA.
    pub fn next_remittance(&mut self) -> Result<Option<Remittance>, IngestError> {
        loop {
            match self.next_transaction()? {
                None => return Ok(None),
                Some(Transaction::Remittance(r)) => return Ok(Some(r)),
                Some(Transaction::Acknowledgment(_)) => {}
            }
        }
    }

    /// The next transaction set read (835, 999, 997, 277CA, 277), or `None` after the
    /// last IEA.
    pub fn next_transaction(&mut self) -> Result<Option<Transaction>, IngestError> {
        loop {
            let loc = self.loc.clone();
            let Some(seg) = self.segments.next_segment()? else {
                return match self.state {
                    Envelope::Outside
                        if self.interchanges > 0
                            && self.remittance_groups == 0
                            && self.ack_groups == 0 =>
                    {
                        Err(IngestError::file(
                            &loc.file,
                            format!(
                                "holds no 835 remittance, 999 or 277 acknowledgment, only: {}",
                                self.skipped.join("; ")
                            ),
                        ))
                    }
                    Envelope::Outside if self.interchanges > 0 => Ok(None),
                    Envelope::Outside => Err(IngestError::file(&loc.file, "the file is empty")),
                    _ => Err(IngestError {
                        segment: Some(self.segments.count()),
                        ..IngestError::file(
                            &loc.file,
                            "file ends before its IEA trailer: truncated file?",
                        )
                    }),
                };
            };
            let mut skip = None;
            match (&self.state, seg.id()) {
                (Envelope::Outside, "ISA") => {
                    self.isa_control = seg.element(13).to_string();
                    self.groups_in_interchange = 0;
                    self.interchanges += 1;
                    self.state = Envelope::Interchange;
                }
                (Envelope::Interchange, "GS") => {
                    let functional_id = seg.element(1);
                    self.gs_control = seg.element(6).to_string();
                    self.version = seg.element(8).to_string();
                    self.sets_in_group = 0;
                    self.groups_in_interchange += 1;
                    self.state = Envelope::Group;
                    if functional_id == "HP" {
                        self.remittance_groups += 1;
                    } else if matches!(functional_id, "FA" | "HN") {
                        let date = loc.date(&seg, 4, "group date")?;
                        self.ack_group = Some((functional_id.to_string(), date));
                        self.ack_groups += 1;
                    } else {
                        self.skipping = Some(SkippedGroup {
                            functional_id: functional_id.to_string(),
                            first_segment: seg.number,
                            sets: Vec::new(),
                        });
                    }
                }
                (Envelope::Interchange, "TA1") => {
                    // An interchange acknowledgment sits directly in the interchange.
                    self.skipped.push(format!(
                        "segment {}: TA1 interchange acknowledgment (not a remittance), skipped",
                        seg.number
                    ));
                }
                (Envelope::Interchange, "IEA") => {
                    check_count(&loc, &seg, self.groups_in_interchange, "functional groups")?;
                    check_control(&loc, &seg, &self.isa_control, "ISA13")?;
                    self.state = Envelope::Outside;
                }
                (Envelope::Group, "GE") => {
                    check_count(&loc, &seg, self.sets_in_group, "transaction sets")?;
                    check_control(&loc, &seg, &self.gs_control, "GS06")?;
                    self.state = Envelope::Interchange;
                    self.ack_group = None;
                    if let Some(group) = self.skipping.take() {
                        self.skipped.push(format!(
                            "segment {}: functional group {} ({}) with transaction sets {}, skipped",
                            group.first_segment,
                            crate::ingest::error::escape(&group.functional_id),
                            functional_group_name(&group.functional_id),
                            if group.sets.is_empty() {
                                "none".to_string()
                            } else {
                                group.sets.join(", ")
                            }
                        ));
                    }
                }
                (Envelope::Group, "ST") if self.skipping.is_some() => {
                    let set_id = seg.element(1).to_string();
                    let group = self.skipping.as_mut().expect("checked");
                    if set_id == "835" {
                        return Err(loc.at(
                            &seg,
                            Some(1),
                            format!(
                                "ST*835 inside a functional group whose GS01 is {:?} ({}); an 835 must be in a GS*HP group: the envelope is wrong",
                                group.functional_id,
                                functional_group_name(&group.functional_id)
                            ),
                        ));
                    }
                    group
                        .sets
                        .push(format!("{set_id} (ST02 {})", seg.element(2)));
                    self.sets_in_group += 1;
                    skip = Some(seg.element(2).to_string());
                }
                (Envelope::Group, "ST") if self.ack_group.is_some() => {
                    let (group, date) = self.ack_group.clone().expect("checked");
                    let set_id = seg.element(1);
                    self.sets_in_group += 1;
                    return match (group.as_str(), set_id) {
                        ("FA", "999" | "997") => {
                            let builder = BatchAckBuilder::start(loc, &seg, date);
                            self.read_set(builder).map(Some)
                        }
                        ("HN", "277") => {
                            let version = match seg.element(3) {
                                "" => self.version.clone(),
                                v => v.to_string(),
                            };
                            let Some(kind) = kind_of(&version) else {
                                return Err(loc.at(
                                    &seg,
                                    Some(3),
                                    format!("277 implementation guide {version:?} is not read: expected 005010X214 (277CA claim acknowledgment) or 005010X212 (277 claim status response)"),
                                ));
                            };
                            let builder = ClaimAckBuilder::start(loc, &seg, kind);
                            self.read_set(builder).map(Some)
                        }
                        _ => Err(loc.at(
                            &seg,
                            Some(1),
                            format!(
                                "transaction set {set_id:?} does not belong in a functional group {group:?} ({})",
                                functional_group_name(&group)
                            ),
                        )),
                    };
                }
                (Envelope::Group, "ST") => {
                    let set_id = seg.element(1);
                    if set_id != "835" {
                        return Err(loc.at(
                            &seg,
                            Some(1),
                            format!("transaction set {set_id:?} is not an 835 remittance (an 837 is a claim, a 277 a status)"),
                        ));
                    }
                    self.sets_in_group += 1;
                    let builder = RemittanceBuilder::start(loc, &seg, &self.version);
                    return self.read_set(builder).map(Some);
                }
                (state, id) => {
                    let expected = match state {
                        Envelope::Outside => "ISA",
                        Envelope::Interchange => "GS or IEA",
                        Envelope::Group => "ST or GE",
                    };
                    return Err(loc.at(&seg, None, format!("expected {expected}, found {id:?}")));
                }
            }
            if let Some(control) = skip {
                self.skip_set(&control)?;
            }
        }
    }

    fn read_set<B: SetBuilder>(&mut self, mut builder: B) -> Result<Transaction, IngestError> {
        loop {
            let Some(seg) = self.segments.next_segment()? else {
                return Err(IngestError {
                    segment: Some(self.segments.count()),
                    ..IngestError::file(
                        &self.loc.file,
                        format!(
                            "file ends inside transaction set {} (no SE): truncated file?",
                            builder.control()
                        ),
                    )
                });
            };
            match seg.id() {
                "SE" => return builder.finish_set(&seg),
                "ST" | "GE" | "GS" | "IEA" | "ISA" | "TA1" => {
                    return Err(self.loc.at(
                        &seg,
                        None,
                        format!(
                            "expected SE to close transaction set {} before {}",
                            builder.control(),
                            seg.id()
                        ),
                    ))
                }
                _ => builder.feed_segment(&self.loc, &seg)?,
            }
        }
    }

    /// Reads past a non-835 transaction set to its SE, checking the segment count and
    /// control number so a damaged acknowledgment is still reported as damaged.
    fn skip_set(&mut self, control: &str) -> Result<(), IngestError> {
        let mut count = 1;
        loop {
            let Some(seg) = self.segments.next_segment()? else {
                return Err(IngestError {
                    segment: Some(self.segments.count()),
                    ..IngestError::file(
                        &self.loc.file,
                        format!(
                            "file ends inside transaction set {control} (no SE): truncated file?"
                        ),
                    )
                });
            };
            count += 1;
            match seg.id() {
                "SE" => {
                    check_count(&self.loc, &seg, count, "segments")?;
                    return check_control(&self.loc, &seg, control, "ST02");
                }
                "ST" | "GE" | "GS" | "IEA" | "ISA" => {
                    return Err(self.loc.at(
                        &seg,
                        None,
                        format!(
                            "expected SE to close transaction set {control} before {}",
                            seg.id()
                        ),
                    ))
                }
                _ => {}
            }
        }
    }
}

fn check_count(loc: &Locator, seg: &Segment, actual: usize, what: &str) -> Result<(), IngestError> {
    let text = seg.element(1);
    match text.parse::<usize>() {
        Ok(n) if n == actual => Ok(()),
        Ok(n) => Err(loc.at(
            seg,
            Some(1),
            format!("says {n} {what} but the file has {actual}: damaged or truncated file"),
        )),
        Err(_) => Err(loc.at(
            seg,
            Some(1),
            format!("expected a count of {what}, found {text:?}"),
        )),
    }
}

fn check_control(
    loc: &Locator,
    seg: &Segment,
    expected: &str,
    source: &str,
) -> Result<(), IngestError> {
    let found = seg.element(2);
    if found.trim_start_matches('0') == expected.trim_start_matches('0') {
        Ok(())
    } else {
        Err(loc.at(
            seg,
            Some(2),
            format!("expected control number {expected:?} (from {source}), found {found:?}"),
        ))
    }
}
