//! `denialdesk rules check`: which routing rule each open work item would match.

use super::context::Context;
use crate::domain::money::format_cents;
use crate::text::escape as esc;
use anyhow::Result;

/// Lists every open item with the rule that would route it (first match wins) and what
/// the rule would do; items already owned are routed by nobody at import, which it says.
pub fn check(ctx: &Context, as_json: bool, matched_only: bool) -> Result<()> {
    let rules = ctx.payer_rules()?;
    let routing = &rules.routing;
    let store = ctx.store()?;
    let items: Vec<_> = store
        .work_items()?
        .into_iter()
        .filter(|i| i.status.is_open())
        .collect();
    if routing.routes.is_empty() && !as_json {
        println!(
            "No routing rules in {}: add [[route]] tables there (see README, \"Routing rules\").",
            crate::config::config_path().map_or_else(
                || "the config file".into(),
                |p| esc(&p.display().to_string()).into_owned()
            )
        );
        return Ok(());
    }
    let mut counts: Vec<(String, usize)> =
        routing.routes.iter().map(|r| (r.name.clone(), 0)).collect();
    let mut unmatched = 0;
    if !as_json {
        println!(
            "{:<18} {:<22} {:<16} {:>11}  {:<16} {:<10} ACTION",
            "CLAIM", "KIND", "PAYER", "OWED", "RULE", "OWNER"
        );
    }
    for item in &items {
        let rule = routing.first_match(item);
        match rule {
            Some(r) => {
                if let Some(c) = counts.iter_mut().find(|(n, _)| *n == r.name) {
                    c.1 += 1;
                }
            }
            None => unmatched += 1,
        }
        if matched_only && rule.is_none() {
            continue;
        }
        let action = rule.map(|r| {
            let mut parts = Vec::new();
            if let Some(u) = &r.assign {
                parts.push(format!("assign {u}"));
            }
            if let Some(t) = &r.team {
                parts.push(format!("team {t}"));
            }
            if let Some(f) = &r.follow_up {
                parts.push(format!("follow-up {f}"));
            }
            if let Some(b) = r.boost {
                parts.push(format!("boost +{b}"));
            }
            parts.join(", ")
        });
        if as_json {
            let line = serde_json::json!({
                "key": item.key,
                "claim_id": item.claim_id,
                "kind": item.kind,
                "payer": item.payer,
                "outstanding_cents": item.outstanding_cents(),
                "owner": item.owner,
                "rule": rule.map(|r| &r.name),
                "action": action,
            });
            println!("{}", crate::text::json(line.to_string()));
        } else {
            println!(
                "{:<18} {:<22} {:<16} {:>11}  {:<16} {:<10} {}",
                esc(&item.claim_id),
                item.kind.key(),
                esc(&item.payer.chars().take(16).collect::<String>()),
                format_cents(item.outstanding_cents()),
                esc(rule.map_or("-", |r| r.name.as_str())),
                esc(item.owner.as_deref().unwrap_or("-")),
                esc(action.as_deref().unwrap_or("no rule matches"))
            );
        }
    }
    if !as_json {
        println!();
        for (name, n) in &counts {
            println!(
                "rule {}: {n} open item{}",
                esc(name),
                if *n == 1 { "" } else { "s" }
            );
        }
        println!(
            "no rule: {unmatched} open item{}",
            if unmatched == 1 { "" } else { "s" }
        );
        println!("(rules route new items at import; items that already have an owner keep it)");
    }
    Ok(())
}
