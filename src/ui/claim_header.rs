//! The claim pane's header: from the latest remittance, or, for a claim rejected before
//! adjudication (no remittance yet), from its work item (what the 277CA said), with the
//! status codes where service lines would stand.

use super::mask::phi;
use super::theme::Theme;
use crate::app::State;
use crate::domain::claim_status::ClaimStatus;
use crate::domain::money::format_cents;
use crate::domain::work_item::WorkItem;
use ratatui::text::Line;

/// The adjudicated claim's header: ids, patient, payer and whom to call, provider, money.
pub(super) fn adjudicated(
    c: &crate::domain::claim::Claim,
    state: &State,
    theme: &Theme,
    out: &mut Vec<Line<'static>>,
) {
    let private = state.privacy;
    out.push(Line::styled(
        format!(
            "{}  payer claim {}  ({})",
            c.patient_control_number,
            c.payer_claim_number,
            c.status_code.label()
        ),
        theme.title,
    ));
    out.push(Line::from(format!(
        "Patient {}  member {}",
        phi(&c.patient.display_name(), private),
        phi(&c.patient.member_id, private)
    )));
    out.push(Line::from(format!(
        "Payer {} ({}) · filing {}",
        c.remit.payer.name, c.remit.payer.id, c.filing_indicator
    )));
    payer_contact(&c.remit.payer, state, out);
    if let Some(p) = &c.rendering_provider {
        out.push(Line::from(format!("Provider {} NPI {}", p.name, p.id)));
    }
    out.push(Line::from(format!(
        "Facility {} · code {}",
        c.remit.payee.name, c.facility_code
    )));
    out.push(Line::from(format!(
        "DOS {} · remit {} · billed {} · paid {} · patient {}",
        c.date_of_service().map_or("-".into(), |d| d.to_string()),
        c.remit.remit_date,
        format_cents(c.billed_cents),
        format_cents(c.paid_cents),
        format_cents(c.patient_responsibility_cents)
    )));
}

/// Whom to call, from payers.toml: what the specialist needs before dialling.
fn payer_contact(payer: &crate::domain::claim::Party, state: &State, out: &mut Vec<Line<'static>>) {
    if let Some(rule) = state.payer_rules.find(payer) {
        let contact: Vec<String> = [
            rule.phone.as_ref().map(|p| format!("phone {p}")),
            rule.portal.as_ref().map(|p| format!("portal {p}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !contact.is_empty() {
            out.push(Line::from(format!("  {}", contact.join(" · "))));
        }
    }
}

/// Ids, patient, payer and whom to call, billing provider, money: as the 277CA gave them.
pub(super) fn rejected(
    item: &WorkItem,
    state: &State,
    theme: &Theme,
    out: &mut Vec<Line<'static>>,
) {
    let private = state.privacy;
    out.push(Line::styled(
        format!(
            "{}  payer claim {}  (rejected before adjudication)",
            item.claim_id,
            if item.payer_claim_number.is_empty() {
                "-"
            } else {
                &item.payer_claim_number
            }
        ),
        theme.title,
    ));
    out.push(Line::from(format!(
        "Patient {}  member {}",
        phi(&item.patient_name, private),
        phi(&item.member_id, private)
    )));
    out.push(Line::from(format!(
        "Payer {} ({})",
        item.payer, item.payer_id
    )));
    payer_contact(&item.payer_party(), state, out);
    out.push(Line::from(format!("Billing provider {}", item.facility)));
    out.push(Line::from(format!(
        "DOS {} · rejected {} · billed {}",
        item.date_of_service.map_or("-".into(), |d| d.to_string()),
        item.denied_on,
        format_cents(item.billed_cents),
    )));
}

/// The claim status codes of the latest rejection, each in words.
pub(super) fn statuses(item: &WorkItem, theme: &Theme, out: &mut Vec<Line<'static>>) {
    out.push(Line::from(""));
    out.push(Line::styled("STATUS CODES (277CA)", theme.title));
    for code in &item.carcs {
        out.push(Line::from(format!(
            "  {}",
            ClaimStatus::parse_key(code).describe()
        )));
    }
    out.push(Line::styled(
        "  Correct the claim and submit it again; an accepted 277CA or its remittance closes this.",
        theme.muted,
    ));
}
