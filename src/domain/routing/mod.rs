//! Routing rules: who gets a new work item, decided at import from `[[route]]` tables in
//! the config file. Every match key a rule gives must hold; the first rule that matches,
//! in file order, wins; its action assigns a user, or a member of a `[teams]` team
//! (round-robin, or the member with the fewest open items), and may set a follow-up.

use super::claim_status::ClaimStatus;
use super::dates::parse_date;
use super::taxonomy::Category;
use super::timeline::EventKind;
use super::work_item::{ItemKind, WorkItem};
use chrono::NaiveDate;
use rules::{dollars, same};
pub use rules::{Pick, Route, Routing, Team, TeamState};

pub mod rules;

impl Route {
    /// Whether every match key the rule gives holds for `item`.
    pub fn matches(&self, item: &WorkItem) -> bool {
        let holds =
            |key: &Option<String>, test: &dyn Fn(&str) -> bool| key.as_deref().is_none_or(test);
        holds(&self.kind, &|k| same(k, item.kind.key()))
            && holds(&self.payer, &|p| {
                same(p, &item.payer) || same(p, &item.payer_id)
            })
            && holds(&self.category, &|c| {
                Category::parse(c).is_some_and(|c| c == item.category)
            })
            && holds(&self.carc, &|c| {
                item.carcs.iter().any(|have| {
                    same(have, c) || have.rsplit('-').next().is_some_and(|n| same(n, c))
                })
            })
            && holds(&self.rarc, &|r| {
                item.remarks.iter().any(|have| same(have, r))
            })
            && holds(&self.status_code, &|s| {
                item.kind == ItemKind::Rejection
                    && item.carcs.iter().any(|k| {
                        let status = ClaimStatus::parse_key(k);
                        same(&status.code, s)
                            || same(&format!("{}:{}", status.category, status.code), s)
                    })
            })
            && holds(&self.min_amount, &|m| {
                dollars(m).is_ok_and(|m| item.outstanding_cents() >= m)
            })
            && holds(&self.max_amount, &|m| {
                dollars(m).is_ok_and(|m| item.outstanding_cents() <= m)
            })
            && holds(&self.provider, &|p| {
                item.rendering_provider
                    .as_deref()
                    .is_some_and(|have| same(have, p))
            })
            && holds(&self.facility, &|f| same(f, &item.facility))
    }
}

impl Routing {
    /// The first rule that matches `item`, in file order.
    pub fn first_match(&self, item: &WorkItem) -> Option<&Route> {
        self.routes.iter().find(|r| r.matches(item))
    }

    /// Routes a new, unowned work item: the first matching rule's owner and follow-up,
    /// with the timeline entry saying so; `state` is updated for the next item. `None`
    /// when no rule matches (or the item already has an owner).
    pub fn route(
        &self,
        item: &mut WorkItem,
        state: &mut TeamState,
        today: NaiveDate,
    ) -> Option<(String, EventKind)> {
        if item.owner.is_some() {
            return None;
        }
        let rule = self.first_match(item)?;
        let owner = match (&rule.assign, &rule.team) {
            (Some(user), _) => Some(user.clone()),
            (None, Some(team_name)) => self.teams.get(team_name).map(|team| {
                let members = team.members();
                let chosen = match team.pick() {
                    Pick::LeastLoaded => members
                        .iter()
                        .min_by_key(|m| state.open_by_owner.get(*m).copied().unwrap_or(0))
                        .expect("validated: members"),
                    Pick::RoundRobin => {
                        let last = state.last_given.get(team_name);
                        let after = last.and_then(|l| members.iter().position(|m| m == l));
                        &members[after.map_or(0, |i| (i + 1) % members.len())]
                    }
                };
                state.last_given.insert(team_name.clone(), chosen.clone());
                chosen.clone()
            }),
            (None, None) => None,
        };
        let follow_up = rule
            .follow_up
            .as_deref()
            .and_then(|f| parse_date(f, today).ok());
        if let Some(o) = &owner {
            *state.open_by_owner.entry(o.clone()).or_default() += 1;
            item.owner = Some(o.as_str().into());
        }
        if follow_up.is_some() {
            item.follow_up = follow_up;
        }
        if let Some(b) = rule.boost {
            item.priority_boost = b;
        }
        let event = EventKind::Routed {
            rule: rule.name.clone(),
            owner,
            follow_up,
            boost: rule.boost,
        };
        Some((rule.name.clone(), event))
    }
}

#[cfg(test)]
mod tests;
