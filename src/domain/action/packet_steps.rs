//! The appeal packet's moves: documents checked off, letters linked, and the check an
//! appeal passes before it is recorded as sent (every required document there, or the
//! reason it went without, on the timeline).

use super::ActionError;
use crate::domain::packet::{
    AppealPacket, ChecklistDoc, Checklists, DocumentEntry, LetterRecord, PacketCheck, SentWithout,
};
use crate::domain::timeline::EventKind;
use crate::domain::work_item::{ItemKind, WorkItem};
use chrono::NaiveDate;

/// The checklist for `item`'s appeal at `level`: by its category (an underpayment's is
/// the payment dispute's).
pub fn checklist_for(item: &WorkItem, checklists: &Checklists, level: u8) -> Vec<ChecklistDoc> {
    let kind = if item.kind == ItemKind::Underpayment {
        "underpayment"
    } else {
        item.category.key()
    };
    // CLP06 MA / MB: Medicare Part A / B, with its own request forms and evidence.
    let medicare = matches!(item.filing_indicator.as_str(), "MA" | "MB");
    checklists.for_claim(kind, level, medicare)
}

/// The packet for `level`, if anything was recorded for it.
pub fn packet(item: &WorkItem, level: u8) -> Option<&AppealPacket> {
    item.packets.iter().find(|p| p.level == level)
}

fn packet_mut(item: &mut WorkItem, level: u8) -> &mut AppealPacket {
    match item.packets.iter().position(|p| p.level == level) {
        Some(at) => &mut item.packets[at],
        None => {
            item.packets.push(AppealPacket::new(level));
            item.packets.last_mut().expect("just pushed")
        }
    }
}

fn check_level(level: u8) -> Result<(), ActionError> {
    if (1..=5).contains(&level) {
        Ok(())
    } else {
        Err(ActionError::Appeal(
            "the appeal level must be 1 to 5".into(),
        ))
    }
}

/// Records references for checklist items (an empty one unchecks); each change is a
/// timeline event. Checking off the packet of a level already sent is refused: what
/// went is on the record.
pub(crate) fn check_documents(
    item: &mut WorkItem,
    level: u8,
    entries: &[DocumentEntry],
    today: NaiveDate,
    events: &mut Vec<EventKind>,
) -> Result<(), ActionError> {
    check_level(level)?;
    if entries.is_empty() {
        return Ok(());
    }
    if item.appeals.iter().any(|a| a.level == level) {
        return Err(ActionError::Appeal(format!(
            "the level {level} appeal was already sent: its packet is on the record (correct the appeal record to change what was sent)"
        )));
    }
    let packet = packet_mut(item, level);
    for entry in entries {
        if let Some(before) = packet.check(&entry.doc, &entry.reference, today) {
            events.push(EventKind::DocumentChecked {
                level,
                document: entry.doc.label.clone(),
                reference: entry.reference.trim().to_string(),
                before,
            });
        }
    }
    item.packets
        .retain(|p| !(p.documents.is_empty() && p.letters.is_empty() && p.sent_without.is_none()));
    Ok(())
}

/// Links a letter written for `level` to its packet.
pub(crate) fn record_letter(
    item: &mut WorkItem,
    level: u8,
    letter: &LetterRecord,
    events: &mut Vec<EventKind>,
) -> Result<(), ActionError> {
    check_level(level)?;
    packet_mut(item, level).letters.push(letter.clone());
    events.push(EventKind::LetterWritten {
        level,
        letter: letter.clone(),
    });
    Ok(())
}

/// Before an appeal at `level` is recorded: the references typed with it are recorded,
/// then every required document must be there, or `sent_without` say why (that reason
/// and what was missing go on the timeline). Returns what the packet says was sent.
pub(crate) fn ready_to_send(
    item: &mut WorkItem,
    level: u8,
    check: &PacketCheck,
    today: NaiveDate,
    events: &mut Vec<EventKind>,
) -> Result<String, ActionError> {
    check_documents(item, level, &check.checks, today, events)?;
    let missing: Vec<String> = packet(item, level)
        .cloned()
        .unwrap_or_else(|| AppealPacket::new(level))
        .missing(&check.checklist)
        .into_iter()
        .map(|d| d.label)
        .collect();
    let reason = check
        .sent_without
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if missing.is_empty() {
        // Sent again after a withdrawal, complete this time.
        if let Some(p) = item.packets.iter_mut().find(|p| p.level == level) {
            p.sent_without = None;
        }
    } else {
        let Some(reason) = reason else {
            return Err(ActionError::DocumentsMissing {
                level,
                missing: missing.join("; "),
            });
        };
        events.push(EventKind::SentWithoutDocuments {
            level,
            documents: missing.clone(),
            reason: reason.to_string(),
        });
        packet_mut(item, level).sent_without = Some(SentWithout {
            documents: missing,
            reason: reason.to_string(),
        });
    }
    Ok(packet(item, level)
        .map(AppealPacket::sent_list)
        .unwrap_or_default())
}
