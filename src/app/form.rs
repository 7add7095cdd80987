//! Data-entry forms (payer call, follow-up, status, note, assign, appeal, outcome): which
//! fields each has, keyboard editing, and (in `form_action`) inline validation and the
//! domain action a valid form becomes. Fields are in `field`.

pub use super::field::{Field, FieldId, FieldKind};
use crate::domain::appeal::{AppealDecision, AppealResult};
use crate::domain::money::format_cents;
use crate::domain::packet::{ChecklistState, DocumentEntry};
use crate::domain::status::Status;
use chrono::NaiveDate;

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// Log a payer call.
    Call,
    /// Set (or clear) the follow-up date.
    FollowUp,
    /// Change the status.
    Status,
    /// Add a note.
    Note,
    /// Assign an owner.
    Assign,
    /// Record an appeal.
    Appeal,
    /// Record an appeal's outcome.
    AppealOutcome,
    /// Correct the outcome recorded on the most recent appeal (supersedes it).
    CorrectOutcome,
    /// Check off the appeal packet's documents (without sending the appeal).
    Documents,
    /// Open a prevention item for a root cause (the KPI pane's `F`).
    NewPrevention,
    /// Change a prevention item's status (the prevention pane's `t`).
    PreventionStatus,
}

/// The appeal packet a form checks off: the level's checklist with each item's reference
/// when the form opened (only what is edited is saved).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PacketForm {
    /// The appeal level.
    pub level: u8,
    /// What the denial is, for the heading ("medical necessity").
    pub what: String,
    /// The checklist and each item's reference when the form opened.
    pub items: Vec<ChecklistState>,
    /// The draft letter written for the level, still to fill in (its file).
    pub draft: Option<String>,
}

/// Call outcomes offered in the pick list; free text goes in "detail".
pub const CALL_OUTCOMES: [&str; 7] = [
    "Reprocessing",
    "Needs corrected claim",
    "Needs records",
    "Appeal required",
    "Denial upheld",
    "Paid / will pay",
    "Other",
];

/// An open form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// Which form.
    pub kind: FormKind,
    /// The claims it saves to (several for a bulk change).
    pub claims: Vec<String>,
    /// The version of each claim when the form opened (parallel to `claims`).
    pub versions: Vec<Option<u64>>,
    /// Its fields, in order.
    pub fields: Vec<Field>,
    /// The focused field.
    pub focus: usize,
    /// Why the last save was refused, shown until the next edit.
    pub error: Option<String>,
    /// Sent to the worker, waiting for the result.
    pub saving: bool,
    /// Something was typed: quitting asks first.
    pub dirty: bool,
    /// A warning already shown for this value (a weekend, a date past the appeal
    /// deadline): Enter again keeps it.
    pub confirmed: Option<String>,
    /// What saving will also do, shown before anything is typed (an appeal on a claim
    /// awaiting the payer reopens it first).
    pub note: Option<String>,
    /// Part of a save went through before an error stopped it (a bulk change, an implied
    /// change): closing the form must not say "nothing saved".
    pub partly_saved: bool,
    /// The user filling it in (what `me` means when assigning).
    pub me: String,
    /// The appeal packet's checklist (appeal and documents forms).
    pub packet: Option<PacketForm>,
    /// The prevention item the form changes (its status form).
    pub prevention: Option<Box<crate::domain::prevention::PreventionItem>>,
}

/// The appeal result pick list.
fn result_field() -> Field {
    Field::choice(
        FieldId::Result,
        "Result",
        AppealResult::ALL
            .iter()
            .map(|r| r.key().to_string())
            .collect(),
    )
}

impl Form {
    pub(super) fn new(kind: FormKind, claims: Vec<String>, fields: Vec<Field>) -> Form {
        Form {
            kind,
            versions: vec![None; claims.len()],
            claims,
            fields,
            focus: 0,
            error: None,
            saving: false,
            dirty: false,
            confirmed: None,
            note: None,
            partly_saved: false,
            me: String::new(),
            packet: None,
            prevention: None,
        }
    }

    /// The payer-call form for one claim.
    pub fn call(claim: String) -> Form {
        use FieldId::*;
        Form::new(
            FormKind::Call,
            vec![claim],
            vec![
                Field::text(RepName, "Rep name", true),
                Field::text(Reference, "Reference #", true),
                Field::choice(
                    CallOutcome,
                    "Outcome",
                    CALL_OUTCOMES.iter().map(|s| s.to_string()).collect(),
                ),
                Field::text(Detail, "Detail", false),
                Field::text(NextAction, "Next action", false),
                // A week out is the usual payer turnaround to check back on.
                Field::date(FollowUp, "Follow-up", "+7", false, false),
            ],
        )
    }

    /// The follow-up form, offering the current date (else a week out).
    pub fn follow_up(claims: Vec<String>, current: Option<NaiveDate>) -> Form {
        Form::new(
            FormKind::FollowUp,
            claims,
            vec![Field::date(
                FieldId::FollowUp,
                "Follow-up",
                &current.map_or_else(|| "+7".to_string(), |d| d.to_string()),
                false,
                false,
            )],
        )
    }

    /// `allowed` are the statuses every target may move to.
    pub fn status(claims: Vec<String>, allowed: &[Status]) -> Form {
        Form::new(
            FormKind::Status,
            claims,
            vec![
                Field::choice(
                    FieldId::NewStatus,
                    "New status",
                    allowed.iter().map(|s| s.key().to_string()).collect(),
                ),
                Field::text(FieldId::Reason, "Reason", false),
            ],
        )
    }

    /// The note form for one claim.
    pub fn note(claim: String) -> Form {
        Form::new(
            FormKind::Note,
            vec![claim],
            vec![Field::text(FieldId::Note, "Note", true)],
        )
    }

    /// The assign form, offering the user's own name.
    pub fn assign(claims: Vec<String>, me: &str) -> Form {
        let user = Field::text(FieldId::AssignTo, "Assign to", false).suggesting(me);
        let mut form = Form::new(FormKind::Assign, claims, vec![user]);
        form.me = me.to_string();
        form
    }

    /// The appeal form, offering the next level and the payer's answer due after its
    /// response time (`response_days`, from the payer rules or their default).
    pub fn appeal(claim: String, next_level: u8, response_days: u32, packet: PacketForm) -> Form {
        use FieldId::*;
        let levels = (1..=5).map(|l| l.to_string()).collect();
        let mut form = Form::new(
            FormKind::Appeal,
            vec![claim],
            vec![
                Field::choice(Level, "Level", levels).choosing(&next_level.min(5).to_string()),
                Field::choice(
                    Channel,
                    "Channel",
                    crate::domain::appeal::Channel::ALL
                        .iter()
                        .map(|c| c.key().to_string())
                        .collect(),
                ),
                Field::date(Submitted, "Submitted", "today", true, true),
                Field::date(
                    ResponseDue,
                    "Response due",
                    &format!("+{response_days}"),
                    true,
                    false,
                ),
                Field::text(
                    Documents,
                    if packet.items.is_empty() {
                        "Documents"
                    } else {
                        "Other docs"
                    },
                    false,
                ),
            ],
        );
        form.fields.extend(document_fields(&packet));
        if packet.items.iter().any(|i| i.doc.required) {
            form.fields
                .push(Field::text(WhyMissing, "Why missing", false));
        }
        form.packet = Some(packet);
        form
    }

    /// The appeal packet's checklist, to check off before the appeal is sent.
    pub fn documents(claim: String, packet: PacketForm) -> Form {
        let mut form = Form::new(FormKind::Documents, vec![claim], document_fields(&packet));
        // The cursor starts on the first required document still missing.
        form.focus = packet
            .items
            .iter()
            .position(|i| i.doc.required && i.reference.is_none())
            .or_else(|| packet.items.iter().position(|i| i.reference.is_none()))
            .unwrap_or(0);
        form.packet = Some(packet);
        form
    }

    /// The references typed that differ from those recorded (empty: uncheck).
    pub fn document_entries(&self) -> Vec<DocumentEntry> {
        let Some(packet) = &self.packet else {
            return Vec::new();
        };
        self.fields
            .iter()
            .filter_map(|f| match f.id {
                FieldId::Document(n) => packet.items.get(n).map(|i| (i, f.value().trim())),
                _ => None,
            })
            .filter(|(i, typed)| i.reference.as_deref().unwrap_or("") != *typed)
            .map(|(i, typed)| DocumentEntry {
                doc: i.doc.clone(),
                reference: typed.to_string(),
            })
            .collect()
    }

    /// The appeal-outcome form.
    pub fn appeal_outcome(claim: String) -> Form {
        use FieldId::*;
        Form::new(
            FormKind::AppealOutcome,
            vec![claim],
            vec![
                // No default: Enter on an untouched form must not save "overturned $0.00".
                result_field().unchosen(),
                Field::text(Amount, "Amount $", false),
                Field::date(Decided, "Decided", "today", true, true),
            ],
        )
    }

    /// Correcting the decision recorded on the claim's last appeal: the recorded values
    /// offered, a reason required (the timeline keeps both).
    pub fn correct_outcome(claim: String, recorded: &AppealDecision) -> Form {
        use FieldId::*;
        let mut form = Form::new(
            FormKind::CorrectOutcome,
            vec![claim],
            vec![
                result_field().choosing(recorded.result.key()),
                Field::text(Amount, "Amount $", false)
                    .suggesting(&format_cents(recorded.amount_cents).replace('$', "")),
                Field::date(
                    Decided,
                    "Decided",
                    &recorded.decided.to_string(),
                    true,
                    true,
                ),
                Field::text(Reason, "Reason", true),
            ],
        );
        form.note = Some(format!(
            "recorded: {} on {} {}; the timeline keeps it",
            recorded.result,
            recorded.decided,
            format_cents(recorded.amount_cents)
        ));
        form
    }

    /// "Log payer call · C1", or the number of marked claims.
    pub fn title(&self) -> String {
        let what = match self.kind {
            FormKind::Call => "Log payer call",
            FormKind::FollowUp => "Set follow-up",
            FormKind::Status => "Change status",
            FormKind::Note => "Add note",
            FormKind::Assign => "Assign",
            FormKind::Appeal => "Record appeal",
            FormKind::AppealOutcome => "Appeal outcome",
            FormKind::CorrectOutcome => "Correct appeal outcome",
            FormKind::Documents => "Appeal packet",
            FormKind::NewPrevention => "New prevention item",
            FormKind::PreventionStatus => "Prevention item",
        };
        if let Some(p) = &self.prevention {
            return format!("{what} #{}", p.id);
        }
        match self.claims.as_slice() {
            [] => what.to_string(),
            [one] => format!("{what} · {one}"),
            many => format!("{what} · {} marked claims", many.len()),
        }
    }

    /// The field with this id.
    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// A field's text, trimmed ("" when the form has no such field).
    pub(super) fn value(&self, id: FieldId) -> &str {
        self.field(id).map_or("", |f| f.value().trim())
    }
}

/// One field per checklist item, holding its reference (typing one checks it off).
fn document_fields(packet: &PacketForm) -> Vec<Field> {
    packet
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            // A reference already there is offered: Tab keeps it, typing replaces it.
            Field::text(FieldId::Document(n), i.doc.label.clone(), false)
                .suggesting(i.reference.as_deref().unwrap_or(""))
        })
        .collect()
}
