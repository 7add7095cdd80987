//! Which documents a payer expects with an appeal, by the denial's category and the
//! appeal level: built-in lists reasoned from what each kind of denial turns on, which a
//! practice replaces in its config file (`[[checklist]]`, the most specific entry wins).

use crate::domain::taxonomy::Category;
use serde::{Deserialize, Serialize};

/// The checklist item that writing the claim's letter checks off.
pub const APPEAL_LETTER: &str = "appeal-letter";

/// One document on a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistDoc {
    /// Its id: the wording in lowercase words joined by `-` ("medical-records").
    pub id: String,
    /// Its wording.
    pub label: String,
    /// An appeal is not sent without it unless someone says why.
    pub required: bool,
}

impl ChecklistDoc {
    /// A document with its id made from its wording.
    pub fn new(label: &str, required: bool) -> ChecklistDoc {
        ChecklistDoc {
            id: slug(label),
            label: label.trim().to_string(),
            required,
        }
    }
}

/// `"Medical records (date of service)"` → `"medical-records-date-of-service"`.
pub fn slug(label: &str) -> String {
    label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// One `[[checklist]]` entry of the config file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistRule {
    /// A denial category (`medical-necessity` …), `underpayment`, or `any`.
    pub category: String,
    /// The appeal level it is for; every level when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// Documents an appeal must have.
    #[serde(default)]
    pub required: Vec<String>,
    /// Documents worth sending when there are any.
    #[serde(default)]
    pub optional: Vec<String>,
}

/// The practice's checklists (config `[[checklist]]`) over the built-in ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklists {
    /// Entries in file order.
    #[serde(default)]
    pub rules: Vec<ChecklistRule>,
}

/// What a checklist entry's `category` may say besides a denial category.
const OTHER_KEYS: [&str; 2] = ["underpayment", "any"];

impl Checklists {
    /// Nothing configured: the built-in lists only.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Checks the entries; the error names the entry (1-based) and what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        for (n, rule) in self.rules.iter().enumerate() {
            let at = format!("checklist {} ({:?})", n + 1, rule.category);
            let key = rule.category.trim();
            if Category::parse(key).is_none() && !OTHER_KEYS.contains(&key) {
                let known: Vec<&str> = Category::ALL
                    .iter()
                    .map(|c| c.key())
                    .chain(OTHER_KEYS)
                    .collect();
                return Err(format!(
                    "{at}: category must be one of {}",
                    known.join(", ")
                ));
            }
            if matches!(rule.level, Some(l) if !(1..=5).contains(&l)) {
                return Err(format!("{at}: level must be 1 to 5"));
            }
            let mut seen = std::collections::HashSet::new();
            for label in rule.required.iter().chain(&rule.optional) {
                let id = slug(label);
                if id.is_empty() {
                    return Err(format!("{at}: a document needs words, not {label:?}"));
                }
                if label.chars().any(char::is_control) {
                    return Err(format!("{at}: {label:?} has a control character"));
                }
                if !seen.insert(id.clone()) {
                    return Err(format!("{at}: {label:?} is listed twice"));
                }
            }
            if rule.required.is_empty() && rule.optional.is_empty() {
                return Err(format!("{at}: list its documents (required, optional)"));
            }
        }
        Ok(())
    }

    /// The checklist for a claim of `kind` (a category key, or `underpayment`) at
    /// appeal `level`: the config entry for that kind and level, else for that kind,
    /// else `any` at that level, else `any`, else the built-in list (Medicare's when
    /// `medicare`).
    pub fn for_claim(&self, kind: &str, level: u8, medicare: bool) -> Vec<ChecklistDoc> {
        let find = |key: &str, lvl: Option<u8>| {
            self.rules
                .iter()
                .find(|r| r.category.trim() == key && r.level == lvl)
        };
        let rule = find(kind, Some(level))
            .or_else(|| find(kind, None))
            .or_else(|| find("any", Some(level)))
            .or_else(|| find("any", None));
        match rule {
            Some(r) => r
                .required
                .iter()
                .map(|l| ChecklistDoc::new(l, true))
                .chain(r.optional.iter().map(|l| ChecklistDoc::new(l, false)))
                .collect(),
            None => built_in_for(kind, level, medicare),
        }
    }
}

/// The built-in checklist for a commercial (or Medicaid) payer's appeal.
pub fn built_in(kind: &str, level: u8) -> Vec<ChecklistDoc> {
    built_in_for(kind, level, false)
}

/// The built-in checklist: what every appeal carries (the letter, the remittance, above
/// level 1 the decision appealed; Medicare's request forms, which a letter with the same
/// elements may replace, 42 CFR 405.944 and 405.964), then what the kind of denial turns
/// on.
pub fn built_in_for(kind: &str, level: u8, medicare: bool) -> Vec<ChecklistDoc> {
    let req = |l: &str| ChecklistDoc::new(l, true);
    let opt = |l: &str| ChecklistDoc::new(l, false);
    let mut docs = vec![
        req("Appeal letter"),
        if kind == "underpayment" {
            req("Remittance (835/EOB) showing the payment")
        } else {
            req("Remittance (835/EOB) showing the denial")
        },
    ];
    if level > 1 {
        docs.push(req("Decision letter from the level below"));
    }
    match (medicare, level) {
        (true, 1) => docs.push(opt("CMS-20027 redetermination request form")),
        (true, 2) => docs.push(opt("CMS-20033 reconsideration request form")),
        (true, 3) => docs.push(opt("OMHA-100 request for an ALJ hearing")),
        (true, _) => {}
        (false, _) => docs.push(opt("The payer's own appeal form, if it has one")),
    }
    let specific: Vec<ChecklistDoc> = match kind {
        // Medicare reads the physician's support in the records themselves.
        "medical-necessity" if medicare => vec![
            req("Medical records for the date of service"),
            opt("Letter of medical necessity from the physician"),
            opt("Signed ABN, if one was given"),
            opt("LCD or NCD the service meets"),
        ],
        "medical-necessity" => vec![
            req("Medical records for the date of service"),
            req("Letter of medical necessity from the physician"),
            opt("Clinical guidelines or coverage policy cited"),
            opt("Record of prior conservative treatment"),
        ],
        "authorization" => vec![
            req("Authorization on file (or why none was needed)"),
            opt("Record of the authorization request"),
            opt("Records showing why the care could not wait"),
        ],
        "timely-filing" => vec![
            req("Proof of timely filing (999/277CA or report)"),
            req("Copy of the claim as first sent"),
        ],
        "coding" => vec![
            req("Operative or procedure note supporting the codes"),
            opt("Coding reference (CPT/HCPCS or NCCI guidance)"),
            opt("Copy of the claim as billed"),
        ],
        "bundling" => vec![
            req("Procedure note showing a distinct service"),
            opt("NCCI edit and modifier rationale"),
        ],
        "duplicate" => vec![
            req("Both claims, showing how they differ"),
            opt("Records showing each service was performed"),
        ],
        "eligibility" => vec![
            req("Eligibility check for the date of service (271)"),
            opt("Copy of the member's insurance card"),
        ],
        "coordination-of-benefits" => vec![
            req("Other payer's EOB or remittance"),
            opt("Patient's coordination of benefits update"),
        ],
        "missing-information" => vec![
            req("The information the payer asked for"),
            opt("The payer's request letter"),
        ],
        "credentialing" => vec![req("Provider's enrollment or credentialing approval")],
        "underpayment" => vec![
            req("Contract fee schedule page for the codes"),
            opt("Payer's pricing explanation"),
        ],
        _ => vec![opt("Supporting medical records")],
    };
    docs.extend(specific);
    docs
}
