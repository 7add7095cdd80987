//! Appeal letters: a template merged with a work item's data. Built-in templates exist per
//! denial category (medical necessity, authorization, timely filing, coding, bundling,
//! duplicate, eligibility/COB, missing information, and a payment dispute for an
//! underpayment); a user's own in `templates/NAME.txt` in the config folder overrides or
//! adds one. The syntax is minijinja's (Jinja2): `{{ patient.name }}`, `{% for l in lines
//! %}`. A merge field the data does not have is an error naming the template and line,
//! never an empty gap in a letter sent to a payer.

mod data;
mod pdf;
mod write;

pub use data::{LetterData, LetterInput};
pub use pdf::letter_pdf;
pub use write::{
    compose, letter_path, placeholders, write_composed, write_letter, Composed, LetterChoice,
    LetterSettings, Written,
};

use crate::domain::taxonomy::Category;
use crate::domain::work_item::{ItemKind, WorkItem};
use minijinja::{Environment, UndefinedBehavior};
use std::path::Path;

/// The built-in templates: (name, text). Names starting `_` are parts others include.
pub const BUILT_IN: [(&str, &str); 13] = [
    ("_header.txt", include_str!("templates/_header.txt")),
    ("_lines.txt", include_str!("templates/_lines.txt")),
    ("_footer.txt", include_str!("templates/_footer.txt")),
    (
        "medical-necessity",
        include_str!("templates/medical-necessity.txt"),
    ),
    ("authorization", include_str!("templates/authorization.txt")),
    ("timely-filing", include_str!("templates/timely-filing.txt")),
    ("coding", include_str!("templates/coding.txt")),
    ("bundling", include_str!("templates/bundling.txt")),
    ("duplicate", include_str!("templates/duplicate.txt")),
    (
        "eligibility-cob",
        include_str!("templates/eligibility-cob.txt"),
    ),
    (
        "missing-information",
        include_str!("templates/missing-information.txt"),
    ),
    (
        "payment-dispute",
        include_str!("templates/payment-dispute.txt"),
    ),
    ("general", include_str!("templates/general.txt")),
];

/// Why a letter could not be written.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    /// No built-in or user template has that name.
    #[error("no letter template {name:?}; built in: {known}")]
    UnknownTemplate {
        /// The name asked for.
        name: String,
        /// The built-in names.
        known: String,
    },
    /// A user template could not be read.
    #[error("cannot read letter template {path}: {message}")]
    Unreadable {
        /// Its path.
        path: String,
        /// Why.
        message: String,
    },
    /// The template is wrong: bad syntax or a merge field the data does not have.
    #[error("letter template {template}{line}: {message}")]
    Template {
        /// The template (or included part) at fault.
        template: String,
        /// ", line N" where known.
        line: String,
        /// What is wrong.
        message: String,
    },
}

/// The template a work item's letter uses unless one is named: by its category, a
/// payment dispute for an underpayment, `general` otherwise.
pub fn template_for(item: &WorkItem) -> &'static str {
    if item.kind == ItemKind::Underpayment {
        return "payment-dispute";
    }
    match item.category {
        Category::MedicalNecessity => "medical-necessity",
        Category::Authorization => "authorization",
        Category::TimelyFiling => "timely-filing",
        Category::Coding => "coding",
        Category::Bundling => "bundling",
        Category::Duplicate => "duplicate",
        Category::Eligibility | Category::CoordinationOfBenefits => "eligibility-cob",
        Category::MissingInformation => "missing-information",
        _ => "general",
    }
}

/// The names a user may pick (the built-ins, parts left out), comma-separated.
pub fn known_templates() -> String {
    BUILT_IN
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !n.starts_with('_'))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renders template `name` with `data`. A user's `NAME.txt` in `user_dir` (when given
/// and present) wins over the built-in of that name; a user's `_header.txt`,
/// `_lines.txt` or `_footer.txt` replaces that part in every template.
pub fn render(
    name: &str,
    data: &LetterData,
    user_dir: Option<&Path>,
) -> Result<String, LetterError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Letters are plain text: nothing is HTML-escaped.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_keep_trailing_newline(true);
    let user_text = |file: &str| -> Result<Option<String>, LetterError> {
        let Some(dir) = user_dir else { return Ok(None) };
        let path = dir.join(file);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(LetterError::Unreadable {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    };
    let mut found = false;
    for (builtin, text) in BUILT_IN {
        let file = if builtin.ends_with(".txt") {
            builtin.to_string()
        } else {
            format!("{builtin}.txt")
        };
        let source = user_text(&file)?.unwrap_or_else(|| text.to_string());
        found |= builtin == name;
        env.add_template_owned(file, source)
            .map_err(template_error)?;
    }
    let file = format!("{name}.txt");
    if !found {
        let invalid = name.is_empty()
            || name.starts_with('_')
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        match user_text(&file)?.filter(|_| !invalid) {
            Some(source) => env
                .add_template_owned(file.clone(), source)
                .map_err(template_error)?,
            None => {
                return Err(LetterError::UnknownTemplate {
                    name: name.to_string(),
                    known: known_templates(),
                })
            }
        }
    }
    env.get_template(&file)
        .and_then(|t| t.render(data))
        .map_err(template_error)
}

fn template_error(e: minijinja::Error) -> LetterError {
    LetterError::Template {
        template: e.name().unwrap_or("?").to_string(),
        line: e.line().map_or(String::new(), |l| format!(", line {l}")),
        message: e
            .detail()
            .map_or_else(|| e.kind().to_string(), String::from),
    }
}

#[cfg(test)]
mod tests;
