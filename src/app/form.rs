//! Data-entry forms (payer call, follow-up, status, note, assign): fields, keyboard
//! editing, inline validation, and the domain action a valid form becomes.

use crate::domain::appeal::{AppealResult, Channel};
use crate::domain::status::Status;
use chrono::NaiveDate;

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Call,
    FollowUp,
    Status,
    Note,
    Assign,
    Appeal,
    AppealOutcome,
}

/// How a field is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text {
        required: bool,
    },
    /// A date as people type it; shown resolved before saving. Follow-ups and due dates
    /// must not be in the past; a submitted or decided date may.
    Date {
        required: bool,
        past_ok: bool,
    },
    /// Pick one with ←/→ (or by typing its first letter).
    Choice(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub kind: FieldKind,
}

impl Field {
    /// Must not be left empty.
    pub fn required(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Text { required: true } | FieldKind::Date { required: true, .. }
        )
    }

    fn text(label: &'static str, required: bool) -> Field {
        Field {
            label,
            value: String::new(),
            kind: FieldKind::Text { required },
        }
    }
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
    pub kind: FormKind,
    /// The claims it saves to (several for a bulk change).
    pub claims: Vec<String>,
    /// The version of each claim when the form opened (parallel to `claims`).
    pub versions: Vec<Option<u64>>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// Sent to the worker, waiting for the result.
    pub saving: bool,
    /// Something was typed: quitting asks first.
    pub dirty: bool,
    /// A warning already shown for this value (a weekend, a date past the appeal
    /// deadline): Enter again keeps it.
    pub confirmed: Option<String>,
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
        }
    }

    pub fn call(claim: String) -> Form {
        // A week out is the usual payer turnaround to check back on.
        let follow_up = Field {
            label: "Follow-up",
            value: "+7".into(),
            kind: FieldKind::Date {
                required: false,
                past_ok: false,
            },
        };
        Form::new(
            FormKind::Call,
            vec![claim],
            vec![
                Field::text("Rep name", true),
                Field::text("Reference #", true),
                Field {
                    label: "Outcome",
                    value: CALL_OUTCOMES[0].into(),
                    kind: FieldKind::Choice(CALL_OUTCOMES.iter().map(|s| s.to_string()).collect()),
                },
                Field::text("Detail", false),
                Field::text("Next action", false),
                follow_up,
            ],
        )
    }

    pub fn follow_up(claims: Vec<String>, current: Option<NaiveDate>) -> Form {
        Form::new(
            FormKind::FollowUp,
            claims,
            vec![Field {
                label: "Follow-up",
                value: current.map_or_else(|| "+7".to_string(), |d| d.to_string()),
                kind: FieldKind::Date {
                    required: false,
                    past_ok: false,
                },
            }],
        )
    }

    /// `allowed` are the statuses every target may move to.
    pub fn status(claims: Vec<String>, allowed: &[Status]) -> Form {
        Form::new(
            FormKind::Status,
            claims,
            vec![
                Field {
                    label: "New status",
                    value: allowed
                        .first()
                        .map_or_else(String::new, |s| s.key().to_string()),
                    kind: FieldKind::Choice(allowed.iter().map(|s| s.key().to_string()).collect()),
                },
                Field::text("Reason", false),
            ],
        )
    }

    pub fn note(claim: String) -> Form {
        Form::new(FormKind::Note, vec![claim], vec![Field::text("Note", true)])
    }

    pub fn assign(claims: Vec<String>, me: &str) -> Form {
        let mut user = Field::text("Assign to", false);
        user.value = me.to_string();
        Form::new(FormKind::Assign, claims, vec![user])
    }

    fn date(label: &'static str, value: &str, past_ok: bool) -> Field {
        Field {
            label,
            value: value.to_string(),
            kind: FieldKind::Date {
                required: true,
                past_ok,
            },
        }
    }

    fn choice(label: &'static str, options: Vec<String>) -> Field {
        Field {
            label,
            value: options.first().cloned().unwrap_or_default(),
            kind: FieldKind::Choice(options),
        }
    }

    pub fn appeal(claim: String, next_level: u8) -> Form {
        let mut level = Form::choice("Level", (1..=5).map(|l| l.to_string()).collect());
        level.value = next_level.min(5).to_string();
        Form::new(
            FormKind::Appeal,
            vec![claim],
            vec![
                level,
                Form::choice(
                    "Channel",
                    Channel::ALL.iter().map(|c| c.key().to_string()).collect(),
                ),
                Form::date("Submitted", "today", true),
                // Most payers answer a first-level appeal within 30 days.
                Form::date("Response due", "+30", false),
                Field::text("Documents", false),
            ],
        )
    }

    pub fn appeal_outcome(claim: String) -> Form {
        let mut amount = Field::text("Amount $", false);
        amount.value = "0".into();
        Form::new(
            FormKind::AppealOutcome,
            vec![claim],
            vec![
                Form::choice(
                    "Result",
                    AppealResult::ALL
                        .iter()
                        .map(|r| r.key().to_string())
                        .collect(),
                ),
                amount,
                Form::date("Decided", "today", true),
            ],
        )
    }

    pub fn title(&self) -> String {
        let what = match self.kind {
            FormKind::Call => "Log payer call",
            FormKind::FollowUp => "Set follow-up",
            FormKind::Status => "Change status",
            FormKind::Note => "Add note",
            FormKind::Assign => "Assign",
            FormKind::Appeal => "Record appeal",
            FormKind::AppealOutcome => "Appeal outcome",
        };
        match self.claims.as_slice() {
            [one] => format!("{what} · {one}"),
            many => format!("{what} · {} marked claims", many.len()),
        }
    }

    pub fn input(&mut self, c: char) {
        let field = &mut self.fields[self.focus];
        match &field.kind {
            FieldKind::Choice(options) => {
                // Typing a letter jumps to the next option starting with it.
                let lower = c.to_ascii_lowercase();
                let start = options.iter().position(|o| *o == field.value).unwrap_or(0);
                if let Some(o) = (1..=options.len())
                    .map(|k| &options[(start + k) % options.len()])
                    .find(|o| o.to_ascii_lowercase().starts_with(lower))
                {
                    field.value = o.clone();
                }
            }
            _ => field.value.push(c),
        }
        self.dirty = true;
        self.error = None;
    }

    pub fn backspace(&mut self) {
        let field = &mut self.fields[self.focus];
        if !matches!(field.kind, FieldKind::Choice(_)) {
            field.value.pop();
            self.dirty = true;
        }
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    /// Moves a pick list by `step`.
    pub fn cycle_choice(&mut self, step: isize) {
        let field = &mut self.fields[self.focus];
        if let FieldKind::Choice(options) = &field.kind {
            if options.is_empty() {
                return;
            }
            let at = options.iter().position(|o| *o == field.value).unwrap_or(0) as isize;
            let n = options.len() as isize;
            field.value = options[(((at + step) % n + n) % n) as usize].clone();
            self.dirty = true;
        }
    }

    pub(super) fn value(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map_or("", |f| f.value.trim())
    }
}
