//! The appeal's forms: the appeal form for a claim (or why the claim takes no appeal,
//! said before anything is typed) and the packet checklist both it and the documents
//! form show.

use super::form::{Form, PacketForm};
use super::state::State;
use crate::domain::action::{checklist_for, packet};
use crate::domain::claim::Party;
use crate::domain::packet::AppealPacket;
use crate::domain::payer_rules::{response_days, DEFAULT_OTHER_RESPONSE_DAYS};
use crate::domain::status::Status;
use crate::domain::work_item::{RowFields, WorkItem};

/// The appeal form for a claim, or why the claim allows none — said before anything is
/// typed, not after. Its answer is expected after the payer's response time (payer rules).
pub(super) fn appeal_form(state: &State, id: String) -> Result<Form, String> {
    let Some(i) = state.worklist.whole_item(&id) else {
        return Ok(Form::appeal(
            id,
            1,
            DEFAULT_OTHER_RESPONSE_DAYS,
            PacketForm::default(),
        ));
    };
    // Waiting on the payer (a promised reprocessing that did not come): the appeal
    // reopens the claim first, in the same save.
    let reopen = i.status == Status::AwaitingPayer;
    if let Some(why) = appeal_refused(i) {
        return Err(why);
    }
    if i.open_appeal().is_some() {
        return Err(format!(
            "{}: an appeal is still open; record its outcome first (O)",
            i.claim_id
        ));
    }
    if i.status != Status::Appealed && !i.status.can_move_to(Status::Appealed) && !reopen {
        return Err(format!(
            "{}: a claim that is {} cannot be appealed; reopen it first (t: in-progress) if it should be",
            i.claim_id, i.status
        ));
    }
    let payer = Party {
        name: i.payer.to_string(),
        id: i.payer_id.clone(),
    };
    let level = i.next_appeal_level();
    let (days, _) = response_days(&state.payer_rules, &payer, &i.filing_indicator, level);
    let packet = packet_form(state, i, level);
    let mut form = Form::appeal(id, level, days, packet);
    if reopen {
        form.note = Some("saving moves it awaiting-payer → in-progress → appealed".into());
    }
    Ok(form)
}

/// Why a claim takes no appeal (and so no appeal packet), if it does not.
pub(super) fn appeal_refused(i: &WorkItem) -> Option<String> {
    if i.kind == crate::domain::work_item::ItemKind::Rejection {
        return Some(
            crate::domain::action::ActionError::Rejected {
                claim: i.claim_id.to_string(),
                resubmit_by: i.appeal_deadline.date,
            }
            .to_string(),
        );
    }
    if !i.appealable() {
        return Some(format!(
            "{}: the payer gave no appeal rights; correct and resubmit it by {} (t: status resubmitted)",
            i.claim_id, i.appeal_deadline.date
        ));
    }
    None
}

/// The level's checklist (config, else built-in) with what is already checked off.
pub(super) fn packet_form(state: &State, item: &WorkItem, level: u8) -> PacketForm {
    let checklist = checklist_for(item, &state.payer_rules.checklists, level);
    let recorded = packet(item, level)
        .cloned()
        .unwrap_or_else(|| AppealPacket::new(level));
    let items = recorded.state(&checklist);
    let draft = recorded
        .draft()
        .map(|l| l.path.clone().unwrap_or_else(|| "printed".into()));
    PacketForm {
        level,
        what: if item.kind == crate::domain::work_item::ItemKind::Underpayment {
            "payment dispute".into()
        } else {
            item.category.label().into()
        },
        items,
        draft,
    }
}
