//! Data-entry forms (payer call, follow-up, status, note, assign, appeal, outcome): which
//! fields each has, keyboard editing, and (in `form_action`) inline validation and the
//! domain action a valid form becomes. Fields are in `field`.

use super::edit::Edit;
pub use super::field::{Field, FieldId, FieldKind};
use crate::domain::appeal::{AppealDecision, AppealResult};
use crate::domain::money::format_cents;
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
    fn new(kind: FormKind, claims: Vec<String>, fields: Vec<Field>) -> Form {
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
    pub fn appeal(claim: String, next_level: u8, response_days: u32) -> Form {
        use FieldId::*;
        let levels = (1..=5).map(|l| l.to_string()).collect();
        Form::new(
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
                Field::text(Documents, "Documents", false),
            ],
        )
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
        };
        match self.claims.as_slice() {
            [one] => format!("{what} · {one}"),
            many => format!("{what} · {} marked claims", many.len()),
        }
    }

    /// Applies an edit to the focused field. In a pick list ←/→ choose and a letter jumps
    /// to the next option starting with it; elsewhere it edits the text.
    pub fn edit(&mut self, edit: Edit) {
        let field = &mut self.fields[self.focus];
        let FieldKind::Choice(options) = &field.kind else {
            if field.text.apply(edit) {
                self.dirty = true;
                self.error = None;
            }
            return;
        };
        let at = options.iter().position(|o| o == field.value());
        let n = options.len();
        let next = match (edit, at) {
            _ if n == 0 => return,
            // Nothing chosen yet: ← takes the last option, → the first.
            (Edit::Left, None) => options[n - 1].clone(),
            (Edit::Right, None) => options[0].clone(),
            (Edit::Left, Some(at)) => options[(at + n - 1) % n].clone(),
            (Edit::Right, Some(at)) => options[(at + 1) % n].clone(),
            (Edit::Insert(c), at) => {
                let lower = c.to_ascii_lowercase();
                let at = at.unwrap_or(n - 1);
                match (1..=n)
                    .map(|k| &options[(at + k) % n])
                    .find(|o| o.to_ascii_lowercase().starts_with(lower))
                {
                    Some(o) => o.clone(),
                    None => return,
                }
            }
            _ => return,
        };
        field.text.set(&next);
        self.dirty = true;
        self.error = None;
    }

    /// Focuses the next field (wrapping).
    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    /// Focuses the previous field (wrapping).
    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
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
