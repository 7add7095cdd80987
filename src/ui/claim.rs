//! The claim pane: header, service lines with adjustments and CARC/RARC meaning, the
//! denial's category and stage, why it ranks where it does, the deadline, and the timeline.

use super::theme::Theme;
use crate::app::state::ClaimDetail;
use crate::app::State;
use crate::domain::claim::Adjustment;
use crate::domain::money::format_cents;
use crate::domain::priority::priority;
use crate::domain::work_item::{Clock, ItemKind, RowFields};
use crate::domain::{carc, rarc};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

fn adjustment_line(a: &Adjustment, theme: &Theme) -> Line<'static> {
    let style = if carc::lookup(&a.carc).is_none() {
        theme.warn
    } else {
        theme.text
    };
    Line::from(vec![
        Span::raw("    "),
        Span::styled(format!("{:<7}", a.code()), style),
        Span::raw(format!("{:>11}  ", format_cents(a.amount_cents))),
        Span::styled(carc::describe(&a.carc).to_string(), theme.muted),
    ])
}

/// The pane's lines (also used by tests and the bench).
pub fn lines(detail: &ClaimDetail, state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let mut out: Vec<Line> = Vec::new();
    let c = detail.history.last();
    if c.is_none() && detail.item.is_none() {
        out.push(Line::from(format!(
            "claim {} not found",
            crate::domain::claim_identity::claim_id_of_key(&detail.key)
        )));
        return out;
    }
    let others = state.others_on(&detail.key);
    if !others.is_empty() {
        let verb = if others.len() == 1 { "is" } else { "are" };
        out.push(Line::styled(
            format!("● {} {verb} on this claim", others.join(", ")),
            theme.warn,
        ));
    }
    match (c, &detail.item) {
        (Some(c), _) => super::claim_header::adjudicated(c, state, theme, &mut out),
        (None, Some(item)) => super::claim_header::rejected(item, state, theme, &mut out),
        (None, None) => {}
    }

    if let Some(item) = &detail.item {
        let p = priority(item, state.today);
        let days = item.days_to_deadline(state.today);
        // The same clock as the worklist's DUE: a met or closed deadline is not alarming.
        let (deadline_style, met) = match item.clock(state.today) {
            Clock::Resolved => (theme.muted, ""),
            Clock::WithPayer if item.status == crate::domain::status::Status::Resubmitted => {
                (theme.muted, " met: resubmitted")
            }
            Clock::WithPayer => (theme.muted, " met: appealed in time"),
            Clock::Deadline { days } if days < 0 => (theme.danger, ""),
            Clock::Deadline { days } if days <= 7 => (theme.warn, ""),
            Clock::Deadline { .. } => (theme.text, ""),
        };
        out.push(Line::from(""));
        out.push(Line::styled(
            format!(
                "{} {} · {} · owner {} · v{}",
                match item.kind {
                    ItemKind::Denial => "DENIAL",
                    ItemKind::PatientResponsibility => "PATIENT RESPONSIBILITY",
                    ItemKind::Rejection => "REJECTION",
                    ItemKind::Underpayment => "UNDERPAYMENT",
                },
                item.status_label(),
                format_cents(item.outstanding_cents()),
                item.owner.as_deref().unwrap_or("-"),
                item.version
            ),
            theme.title,
        ));
        out.push(Line::from(format!(
            "{} · {} · fix at {} · {}",
            item.category.label(),
            item.hardness,
            item.stage,
            item.carcs.join(" ")
        )));
        if item.kind == ItemKind::Rejection && !item.status.is_open() {
            out.push(Line::styled(
                format!(
                    "Closed {}: nothing to resubmit{}",
                    item.resolved_on.map_or("-".to_string(), |d| d.to_string()),
                    if item.awaiting_payer_since.is_some() {
                        "; its remittance is awaited"
                    } else {
                        ""
                    }
                ),
                theme.muted,
            ));
        } else {
            out.push(Line::from(vec![
                Span::raw(
                    match (
                        item.appealable(),
                        item.appeal_deadline.source.appeal_level(),
                    ) {
                        (false, _) => "No appeal rights: resubmit by ".to_string(),
                        (true, None) => "Resubmit the lines with no appeal rights by ".to_string(),
                        (true, Some(1)) => "Appeal by ".to_string(),
                        (true, Some(level)) => format!("Level {level} appeal by "),
                    },
                ),
                Span::styled(
                    format!("{} ({days} days){met}", item.appeal_deadline.date),
                    deadline_style,
                ),
                Span::styled(
                    format!(
                        " · {}",
                        item.appeal_deadline
                            .source
                            .describe(item.appeal_deadline.window_days)
                    ),
                    if item.appeal_deadline.source.is_default() {
                        theme.warn
                    } else {
                        theme.muted
                    },
                ),
            ]));
        }
        if let Some(second) = &item.second_deadline {
            out.push(Line::from(format!(
                "{} {} ({} days) · {}",
                if second.source.is_resubmission() {
                    "Resubmit the lines with no appeal rights by"
                } else {
                    "Appeal the other lines by"
                },
                second.date,
                (second.date - state.today).num_days(),
                second.source.describe(second.window_days)
            )));
        }
        let follow = item.follow_up.map_or("-".into(), |d| d.to_string());
        out.push(Line::from(if item.kind == ItemKind::Rejection {
            // Never adjudicated: the whole claim waits, nothing was denied or recovered.
            format!(
                "Follow-up {follow} · rejected {} time(s) · billed {}",
                item.times_denied,
                format_cents(item.billed_cents)
            )
        } else if item.kind == ItemKind::Underpayment {
            format!(
                "Follow-up {follow} · variance {} · recovered {}",
                format_cents(item.denied_cents),
                format_cents(item.recovered_cents)
            )
        } else {
            format!(
                "Follow-up {follow} · denied {} · recovered {}",
                format_cents(item.denied_cents),
                format_cents(item.recovered_cents)
            )
        }));
        if let Some(u) = &item.underpayment {
            for line in crate::domain::underpayment::describe(u) {
                out.push(Line::from(line));
            }
        }
        if item.other_payer_cents != 0 {
            out.push(Line::from(format!(
                "Other payers paid {} on the denied lines",
                format_cents(item.other_payer_cents)
            )));
        }
        let open: Vec<String> = item
            .open_lines()
            .map(|l| format!("{} {}", l.label(), format_cents(l.outstanding_cents())))
            .collect();
        if !open.is_empty() && open.len() < item.denied_lines.len() {
            out.push(Line::styled(
                format!("Still denied: {}", open.join(", ")),
                theme.warn,
            ));
        }
        out.push(Line::from(vec![
            Span::styled(format!("Priority {}: ", p.score), theme.title),
            Span::raw(p.explanation),
        ]));
        for a in &item.appeals {
            let outcome = a.decision.as_ref().map_or_else(
                || format!("pending, {} days", a.days_waiting(state.today)),
                |d| {
                    format!(
                        "{} {} on {}",
                        d.result,
                        format_cents(d.amount_cents),
                        d.decided
                    )
                },
            );
            let style = if a.overdue(state.today) {
                theme.danger
            } else {
                theme.text
            };
            out.push(Line::styled(
                format!(
                    "Appeal L{} via {} sent {} due {}: {outcome}",
                    a.level, a.channel, a.submitted, a.response_due
                ),
                style,
            ));
        }
    } else {
        out.push(Line::from(""));
        out.push(Line::styled("Not a denial: no work item.", theme.muted));
    }

    match (c, &detail.item) {
        (Some(c), _) => claim_lines(c, theme, &mut out),
        (None, Some(item)) => super::claim_header::statuses(item, theme, &mut out),
        (None, None) => {}
    }

    out.push(Line::from(""));
    out.push(Line::styled("TIMELINE (newest first)", theme.title));
    for e in detail.timeline.iter().rev() {
        out.push(Line::from(vec![
            Span::styled(
                format!("{} {:<8} ", e.at.format("%m-%d %H:%M"), e.user),
                theme.muted,
            ),
            Span::raw(e.kind.summary()),
        ]));
    }
    out
}

/// The adjudicated claim's service lines with their adjustments and remarks.
fn claim_lines(c: &crate::domain::claim::Claim, theme: &Theme, out: &mut Vec<Line<'static>>) {
    out.push(Line::from(""));
    out.push(Line::styled("LINES", theme.title));
    for a in &c.adjustments {
        out.push(adjustment_line(a, theme));
    }
    for l in &c.lines {
        out.push(Line::from(format!("  {}", line_summary(l))));
        for a in &l.adjustments {
            out.push(adjustment_line(a, theme));
        }
        for r in &l.remarks {
            out.push(Line::styled(
                format!("    remark {r:<7} {}", rarc::describe(r)),
                theme.muted,
            ));
        }
    }
    for r in &c.remarks {
        out.push(Line::styled(
            format!("  claim remark {r:<7} {}", rarc::describe(r)),
            theme.muted,
        ));
    }
}

/// A service line as a biller reads it: code, modifiers, units, its date, the money.
fn line_summary(l: &crate::domain::claim::ServiceLine) -> String {
    let mut what = l.procedure.code.clone();
    if !l.procedure.modifiers.is_empty() {
        what.push_str(&format!(" mod {}", l.procedure.modifiers.join(",")));
    }
    if let Some(units) = l.units.filter(|u| *u != 1.0) {
        what.push_str(&format!(" × {units} units"));
    }
    if let Some(d) = l.service_date {
        what.push_str(&format!(" · {d}"));
    }
    if let Some(r) = &l.revenue_code {
        what.push_str(&format!(" · rev {r}"));
    }
    format!(
        "{what}  {} billed  {} paid",
        crate::domain::money::format_cents(l.charge_cents),
        crate::domain::money::format_cents(l.paid_cents)
    )
}

/// Draws the claim pane.
pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let block = Block::default().borders(Borders::TOP).title(" Claim ");
    let text = match &state.claim.detail {
        None => vec![Line::styled("Select a claim and press Enter.", theme.muted)],
        Some(d) => lines(d, state, theme),
    };
    // Wrapped here, not by the paragraph: continuation lines are indented under their item.
    let width = usize::from(area.width);
    let text: Vec<Line> = text
        .into_iter()
        .flat_map(|l| super::wrap::indented(l, width))
        .collect();
    let para = Paragraph::new(text)
        .block(block)
        .scroll((state.claim.scroll, 0));
    frame.render_widget(para, area);
}
