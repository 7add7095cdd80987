//! The routing rules as the config file gives them (`[[route]]`, `[teams]`) and their
//! checks: plain data the payer rules carry to every import. Matching them against a work
//! item is `routing`'s.

use crate::domain::dates::parse_date;
use crate::domain::denied_line::ItemKind;
use crate::domain::money::parse_cents;
use crate::domain::taxonomy::Category;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One `[[route]]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The rule's name, as the audit log and `rules check` say it.
    pub name: String,
    /// `denial`, `rejection`, `underpayment` or `patient-responsibility`.
    #[serde(default)]
    pub kind: Option<String>,
    /// The payer's id or name (case-insensitive).
    #[serde(default)]
    pub payer: Option<String>,
    /// The denial category (`authorization`, `eligibility` …).
    #[serde(default)]
    pub category: Option<String>,
    /// A CARC the item carries: `197` or `CO-197`.
    #[serde(default)]
    pub carc: Option<String>,
    /// A remark code (RARC) the item carries: `N30`.
    #[serde(default)]
    pub rarc: Option<String>,
    /// A rejection's claim status: the status code (`562`), or category and code (`A7:562`).
    #[serde(default)]
    pub status_code: Option<String>,
    /// At least this much owed, in dollars (`"1000.00"`).
    #[serde(default)]
    pub min_amount: Option<String>,
    /// At most this much owed, in dollars.
    #[serde(default)]
    pub max_amount: Option<String>,
    /// The rendering provider's name (case-insensitive).
    #[serde(default)]
    pub provider: Option<String>,
    /// The facility (payee, or a rejection's billing provider), case-insensitive.
    #[serde(default)]
    pub facility: Option<String>,
    /// Assign this user.
    #[serde(default)]
    pub assign: Option<String>,
    /// Assign a member of this team (see `Team`).
    #[serde(default)]
    pub team: Option<String>,
    /// Set this follow-up, counted from the import day: `+3`, `tomorrow`, `mon` …
    #[serde(default)]
    pub follow_up: Option<String>,
    /// Raise the item's priority score by this many points (1–100; the score stays at
    /// most 100): work a payer's or a clinic's items first.
    #[serde(default)]
    pub boost: Option<u8>,
}

/// How a team's member is picked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pick {
    /// In turn, the member after the one who got the team's last routed item.
    #[default]
    RoundRobin,
    /// The member with the fewest open work items (ties: the first listed).
    LeastLoaded,
}

/// A `[teams]` entry: `auth = ["maria", "devon"]` (round-robin) or
/// `auth = { members = ["maria", "devon"], pick = "least-loaded" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Team {
    /// Members, taken in turn.
    Members(Vec<String>),
    /// Members and how to pick one.
    Pick {
        /// The users.
        members: Vec<String>,
        /// Round-robin (default) or least-loaded.
        #[serde(default)]
        pick: Pick,
    },
}

impl Team {
    /// The members, in the order given.
    pub fn members(&self) -> &[String] {
        match self {
            Team::Members(m) | Team::Pick { members: m, .. } => m,
        }
    }

    pub(super) fn pick(&self) -> Pick {
        match self {
            Team::Members(_) => Pick::RoundRobin,
            Team::Pick { pick, .. } => *pick,
        }
    }
}

/// The routing rules and teams, from the config file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    /// `[[route]]` tables, in file order.
    #[serde(default, rename = "route")]
    pub routes: Vec<Route>,
    /// `[teams]`.
    #[serde(default)]
    pub teams: BTreeMap<String, Team>,
}

/// What routing knows of the team's state: open items per owner (least-loaded) and who
/// got each team's last routed item (round-robin). The store keeps both up to date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamState {
    /// Open work items per owner.
    pub open_by_owner: HashMap<String, usize>,
    /// Per team, the member who got its last routed item.
    pub last_given: HashMap<String, String>,
}

pub(super) fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

pub(super) fn dollars(text: &str) -> Result<i64, String> {
    parse_cents(text.trim()).map_err(|e| format!("{text:?} is not an amount: {e}"))
}

impl Routing {
    /// No rules and no teams.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty() && self.teams.is_empty()
    }

    /// Whether a team picks its least-loaded member (routing then needs the open counts).
    pub fn needs_loads(&self) -> bool {
        self.teams.values().any(|t| t.pick() == Pick::LeastLoaded)
    }

    /// Checks every rule: known kinds and categories, amounts, users, teams and
    /// follow-ups; each problem names the rule.
    pub fn validate(&self) -> Result<(), String> {
        for (name, team) in &self.teams {
            if team.members().is_empty() {
                return Err(format!("team {name:?} has no members"));
            }
            if let Some(bad) = team
                .members()
                .iter()
                .find(|m| !crate::domain::user::valid_user_name(m))
            {
                return Err(format!("team {name:?}: {bad:?} is not a user name"));
            }
        }
        for (n, r) in self.routes.iter().enumerate() {
            let fail = |m: String| Err(format!("route {} ({:?}): {m}", n + 1, r.name));
            if r.name.trim().is_empty() {
                return fail("name is empty".into());
            }
            if let Some(k) = &r.kind {
                if ![
                    ItemKind::Denial,
                    ItemKind::Rejection,
                    ItemKind::PatientResponsibility,
                    ItemKind::Underpayment,
                ]
                .iter()
                .any(|kind| same(kind.key(), k))
                {
                    return fail(format!(
                        "kind {k:?} is not denial, rejection, underpayment or patient-responsibility"
                    ));
                }
            }
            if let Some(c) = r
                .category
                .as_deref()
                .filter(|c| Category::parse(c).is_none())
            {
                let known: Vec<&str> = Category::ALL.iter().map(|c| c.key()).collect();
                return fail(format!(
                    "category {c:?} is not a denial category (one of: {})",
                    known.join(", ")
                ));
            }
            for amount in [&r.min_amount, &r.max_amount].into_iter().flatten() {
                if let Err(e) = dollars(amount) {
                    return fail(e);
                }
            }
            if let (Some(min), Some(max)) = (&r.min_amount, &r.max_amount) {
                if dollars(min)? > dollars(max)? {
                    return fail(format!(
                        "min_amount {min} is more than max_amount {max}: it can match nothing"
                    ));
                }
            }
            if r.status_code.is_some() && r.kind.as_deref().is_some_and(|k| !same(k, "rejection")) {
                return fail("status_code only matches rejections: give kind = \"rejection\" or leave kind out".into());
            }
            if self.routes[..n]
                .iter()
                .any(|earlier| same(&earlier.name, &r.name))
            {
                return fail(
                    "another rule has this name: the audit log could not tell them apart".into(),
                );
            }
            match (&r.assign, &r.team) {
                (Some(_), Some(_)) => return fail("give assign or team, not both".into()),
                (None, None) if r.follow_up.is_none() && r.boost.is_none() => {
                    return fail("does nothing: give assign, team, follow_up or boost".into())
                }
                (Some(u), None) if !crate::domain::user::valid_user_name(u) => {
                    return fail(format!("assign: {u:?} is not a user name"))
                }
                (None, Some(t)) if !self.teams.contains_key(t) => {
                    let known: Vec<&str> = self.teams.keys().map(String::as_str).collect();
                    return fail(format!(
                        "team {t:?} is not in [teams] (teams: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ));
                }
                _ => {}
            }
            if r.boost.is_some_and(|b| !(1..=100).contains(&b)) {
                return fail("boost: give 1 to 100 points".into());
            }
            if let Some(f) = &r.follow_up {
                let any_day = NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");
                if let Err(e) = parse_date(f, any_day) {
                    return fail(format!("follow_up: {e}"));
                }
            }
        }
        Ok(())
    }
}
