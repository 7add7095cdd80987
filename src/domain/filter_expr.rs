//! The filter a specialist types — `f` in the worklist, `denialdesk list --filter` — one
//! implementation for both. Terms separated by spaces must all hold:
//! - `payer:aetna` — part of the payer's name, or its payer id;
//! - `status:new`, `category:authorization` (a unique beginning is enough);
//! - `owner:maria`, `owner:me`, `owner:none`;
//! - `carc:197` or `carc:co-197` — a CARC on the claim, with or without its group;
//! - `>1000`, `<50`, `>=250.50`, `<=$1,000` — the amount owed, in dollars;
//! - any other word — found as search finds it (claim, payer claim number, patient,
//!   member id, payer, category, CARC), punctuation and case ignored.

use super::money::parse_typed_cents;
use super::queue::{normalized, text_matches};
use super::status::Status;
use super::taxonomy::Category;
use super::work_item::RowFields;

/// One condition.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Payer(String),
    Status(Status),
    Category(Category),
    /// `None`: unassigned.
    Owner(Option<String>),
    Carc(String),
    /// Amount owed compared with cents: (at least?, strictly?, cents).
    Owed {
        above: bool,
        strict: bool,
        cents: i64,
    },
    Text(String),
}

/// A parsed filter: every term must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterExpr {
    terms: Vec<Term>,
}

/// The fields a term may name.
pub const FIELDS: &str = "payer, status, category, owner, carc";

impl FilterExpr {
    /// Parses `text`; `user` is who `owner:me` means. The error names the term.
    pub fn parse(text: &str, user: &str) -> Result<FilterExpr, String> {
        let terms = text
            .split_whitespace()
            .map(|t| term(t, user))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FilterExpr { terms })
    }

    /// As `parse`, skipping terms that do not parse yet (a filter being typed).
    pub fn parse_lenient(text: &str, user: &str) -> FilterExpr {
        FilterExpr {
            terms: text
                .split_whitespace()
                .filter_map(|t| term(t, user).ok())
                .collect(),
        }
    }

    /// Whether a term is a plain word, matched against the search text.
    pub fn needs_search_text(&self) -> bool {
        self.terms.iter().any(|t| matches!(t, Term::Text(_)))
    }

    /// Whether it filters nothing.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether `item` passes; `search_text` is its `queue::search_text`, `owed` its
    /// outstanding cents (both computed once by the caller).
    pub fn matches<R: RowFields + ?Sized>(&self, item: &R, search_text: &str, owed: i64) -> bool {
        self.terms.iter().all(|t| match t {
            Term::Payer(p) => {
                item.payer_id().eq_ignore_ascii_case(p) || normalized(item.payer()).contains(p)
            }
            Term::Status(s) => item.status() == *s,
            Term::Category(c) => item.category() == *c,
            Term::Owner(o) => item.owner() == o.as_deref(),
            Term::Carc(code) => item.carcs().iter().any(|c| {
                let c = c.to_ascii_lowercase();
                c == *code || c.split_once('-').is_some_and(|(_, n)| n == code)
            }),
            Term::Owed {
                above,
                strict,
                cents,
            } => match (above, strict) {
                (true, true) => owed > *cents,
                (true, false) => owed >= *cents,
                (false, true) => owed < *cents,
                (false, false) => owed <= *cents,
            },
            Term::Text(t) => text_matches(search_text, t),
        })
    }
}

/// The one value of `all` whose key starts with `text`, or an error listing them.
fn unique<T: Copy>(
    field: &str,
    text: &str,
    all: &[T],
    key: impl Fn(T) -> &'static str,
) -> Result<T, String> {
    let wanted = text.to_ascii_lowercase();
    let exact = all.iter().copied().find(|v| key(*v) == wanted);
    let starts: Vec<T> = all
        .iter()
        .copied()
        .filter(|v| key(*v).starts_with(&wanted))
        .collect();
    match (exact, starts.as_slice()) {
        (Some(v), _) => Ok(v),
        (None, [one]) => Ok(*one),
        _ => {
            let names: Vec<&str> = all.iter().map(|v| key(*v)).collect();
            Err(format!("{field}:{text}: use one of {}", names.join(", ")))
        }
    }
}

fn term(text: &str, user: &str) -> Result<Term, String> {
    for (prefix, above, strict) in [
        (">=", true, false),
        ("<=", false, false),
        (">", true, true),
        ("<", false, true),
    ] {
        if let Some(amount) = text.strip_prefix(prefix) {
            let cents = parse_typed_cents(amount).map_err(|e| format!("{text}: {e}"))?;
            return Ok(Term::Owed {
                above,
                strict,
                cents,
            });
        }
    }
    let Some((field, value)) = text.split_once(':') else {
        return Ok(Term::Text(normalized(text)));
    };
    if value.is_empty() {
        return Err(format!("{text}: say what {field} should be"));
    }
    match field.to_ascii_lowercase().as_str() {
        "payer" => Ok(Term::Payer(normalized(value))),
        "status" => unique("status", value, &Status::ALL, Status::key).map(Term::Status),
        "category" => unique("category", value, &Category::ALL, Category::key).map(Term::Category),
        "owner" => Ok(Term::Owner(match value.to_ascii_lowercase().as_str() {
            "me" => Some(user.to_string()),
            "none" | "nobody" => None,
            _ => Some(value.to_string()),
        })),
        "carc" => Ok(Term::Carc(value.to_ascii_lowercase())),
        other => Err(format!("{other}: no such field (use {FIELDS}, or >1000)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::queue::search_text;
    use crate::domain::test_support::work_item;
    use crate::domain::work_item::WorkItem;

    fn item() -> WorkItem {
        let mut i = work_item("ACCT-1");
        i.payer = "AETNA BETTER HEALTH".into();
        i.payer_id = "60054".into();
        i.owner = Some("maria".into());
        i.carcs = vec!["CO-197".into(), "PR-1".into()];
        i.patient_name = "GALLOWAY, HUGO".into();
        i
    }

    fn passes(filter: &str) -> bool {
        let i = item();
        FilterExpr::parse(filter, "maria")
            .unwrap()
            .matches(&i, &search_text(&i, true), 125_000)
    }

    #[test]
    fn every_kind_of_term_and_their_and() {
        assert!(passes("payer:aetna"));
        assert!(passes("payer:60054"));
        assert!(!passes("payer:cigna"));
        assert!(passes("status:new") && passes("status:ne"));
        assert!(!passes("status:appealed"));
        assert!(passes("owner:me") && passes("owner:maria") && !passes("owner:none"));
        assert!(passes("carc:197") && passes("carc:CO-197") && passes("carc:1"));
        assert!(!passes("carc:19"), "a code matches whole, never a part");
        assert!(passes(">1000") && passes(">=1250") && !passes(">1250") && passes("<=$1,250"));
        assert!(passes("galloway hugo"), "words as search");
        assert!(passes("payer:aetna owner:me >1000 carc:197"));
        assert!(!passes("payer:aetna owner:devon"), "all terms must hold");
    }

    #[test]
    fn a_bad_term_is_named() {
        let err = FilterExpr::parse("payer:aetna colour:red", "u").unwrap_err();
        assert!(
            err.contains("colour") && err.contains("payer, status"),
            "{err}"
        );
        let err = FilterExpr::parse("status:x", "u").unwrap_err();
        assert!(err.contains("use one of"), "{err}");
        assert!(FilterExpr::parse(">abc", "u").is_err());
        assert_eq!(
            FilterExpr::parse_lenient("payer:aetna status:", "u"),
            FilterExpr::parse("payer:aetna", "u").unwrap()
        );
    }
}
