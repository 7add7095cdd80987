//! One field of a data-entry form: which it is (an id the code asks for), how it is typed
//! (text, a date, a pick list) and what is typed in it.

use super::edit::TextField;

/// Which field: what the code asks a form for (labels are for people and may change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    /// Payer representative's name.
    RepName,
    /// The call's reference number.
    Reference,
    /// What the call settled (a pick list).
    CallOutcome,
    /// Free text about the outcome.
    Detail,
    /// What to do next.
    NextAction,
    /// The follow-up date.
    FollowUp,
    /// The status to move to.
    NewStatus,
    /// Why (required to write off).
    Reason,
    /// The note's text.
    Note,
    /// The owner's user name (empty: nobody).
    AssignTo,
    /// The appeal level, 1 to 5.
    Level,
    /// How the appeal was sent.
    Channel,
    /// When the appeal was sent.
    Submitted,
    /// When the payer's answer is due.
    ResponseDue,
    /// What was sent with it.
    Documents,
    /// The payer's decision.
    Result,
    /// What the payer agreed to pay.
    Amount,
    /// When the payer decided.
    Decided,
    /// The reference of the appeal packet's checklist item at this index.
    Document(usize),
    /// Why the appeal goes without required documents still missing.
    WhyMissing,
    /// A prevention item's cause (`payer=AETNA,category=eligibility`).
    Cause,
    /// Who owns a prevention item.
    Owner,
    /// When a prevention item is due.
    Due,
    /// What a prevention item will do.
    FixAction,
}

/// How a field is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text.
    Text {
        /// Must not be left empty.
        required: bool,
    },
    /// A date as people type it; shown resolved before saving. Follow-ups and due dates
    /// must not be in the past; a submitted or decided date may.
    Date {
        /// Must not be left empty.
        required: bool,
        /// A date before today is allowed (submitted, decided).
        past_ok: bool,
    },
    /// Pick one with ←/→ (or by typing its first letter).
    Choice(Vec<String>),
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Which field, for the code.
    pub id: FieldId,
    /// The field's name, for people (a checklist item's wording comes from config).
    pub label: std::borrow::Cow<'static, str>,
    /// How it is typed.
    pub kind: FieldKind,
    /// What is typed (a pick list keeps its choice here too).
    pub text: TextField,
}

impl Field {
    /// Must not be left empty.
    pub fn required(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Text { required: true } | FieldKind::Date { required: true, .. }
        )
    }

    /// The text typed or chosen.
    pub fn value(&self) -> &str {
        self.text.value()
    }

    pub(super) fn text(
        id: FieldId,
        label: impl Into<std::borrow::Cow<'static, str>>,
        required: bool,
    ) -> Field {
        Field {
            id,
            label: label.into(),
            text: TextField::new(),
            kind: FieldKind::Text { required },
        }
    }

    /// A text field offering `value`, which typing replaces.
    pub(super) fn suggesting(mut self, value: &str) -> Field {
        self.text = TextField::prefilled(value);
        self
    }

    pub(super) fn date(
        id: FieldId,
        label: &'static str,
        value: &str,
        required: bool,
        past_ok: bool,
    ) -> Field {
        Field {
            id,
            label: label.into(),
            text: TextField::prefilled(value),
            kind: FieldKind::Date { required, past_ok },
        }
    }

    pub(super) fn choice(id: FieldId, label: &'static str, options: Vec<String>) -> Field {
        let mut text = TextField::new();
        text.set(options.first().map_or("", String::as_str));
        Field {
            id,
            label: label.into(),
            text,
            kind: FieldKind::Choice(options),
        }
    }

    /// A pick list with nothing chosen yet: saving needs an explicit choice.
    pub(super) fn unchosen(mut self) -> Field {
        self.text.set("");
        self
    }

    /// A text field holding `value` (kept unless edited).
    pub(super) fn holding(mut self, value: &str) -> Field {
        self.text.set(value);
        self
    }

    pub(super) fn choosing(mut self, value: &str) -> Field {
        self.text.set(value);
        self
    }
}
