//! The worklist pane: queue tabs with counts, a summary line, and the ranked table with
//! markers for overdue follow-ups and near deadlines (a character, not colour alone).

use super::columns::{codes_cell, fit, money_cell, Column};
use super::mask::{cut, phi};
use super::theme::Theme;
use crate::app::State;
use crate::domain::claim_identity::shared_position;
use crate::domain::money::format_cents;
use crate::domain::queue::{find_normalized, normalized, Queue};
use crate::domain::saved_view::ListColumn;
use crate::domain::work_item::{Clock, RowFields};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

/// Draws the worklist pane.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    keymap: &crate::keymap::Keymap,
    theme: &Theme,
) {
    let [tabs, summary, table, why] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // Why the selected claim ranks where it does, in words (the score alone says little).
    if let Some(item) = state.selected_row() {
        // The whole item once loaded: only it knows the appeal's due date.
        let p = match state.worklist.whole_item(&item.key) {
            Some(whole) => crate::domain::priority::priority(whole, state.today),
            None => crate::domain::priority::priority(item, state.today),
        };
        // Whole reasons only, as many as fit: a reason cut mid-way could misstate it.
        // A CLP01 several claims share is named as the list shows it (CLAIM@N).
        let wl = &state.worklist;
        let name = wl
            .index_of(&item.key)
            .and_then(|at| shared_position(wl.rows(), at, |x| x.claim_id.as_str()))
            .map_or_else(
                || item.claim_id.to_string(),
                |n| format!("{}@{n}", item.claim_id),
            );
        let mut text = format!("why {name}:");
        for reason in p.explanation.split(" · ") {
            let sep = if text.ends_with(':') { " " } else { " · " };
            if text.chars().count() + sep.len() + reason.chars().count() > usize::from(why.width) {
                break;
            }
            text.push_str(sep);
            text.push_str(reason);
        }
        frame.render_widget(Paragraph::new(text).style(theme.muted), why);
    }
    frame.render_widget(
        Paragraph::new(super::worklist_header::queue_tabs(state, theme, area.width)),
        tabs,
    );

    let line = super::worklist_header::summary_line(state, usize::from(summary.width));
    frame.render_widget(Paragraph::new(line).style(theme.title), summary);
    render_table(frame, table, state, keymap, theme);
}

/// One row's texts, built only for the rows on screen.
struct RowText {
    mark: &'static str,
    priority: String,
    claim: String,
    patient: String,
    payer: String,
    owed: String,
    carcs: Vec<String>,
    status: std::borrow::Cow<'static, str>,
    category: &'static str,
    owner: String,
    dos: String,
    follow_up: (String, ratatui::style::Style),
    due: (String, ratatui::style::Style),
}

/// The worklist's columns, in screen order, with what may go when the pane is narrow,
/// lowest rank first: category, date of service, priority score (the selected row's "why"
/// says it in words), patient, owner, CARC, payer, status, follow-up. Patient, payer, CARC,
/// owner and category are abbreviated with "…" before anything goes. The mark, claim id,
/// amount owed and days to the deadline are always shown, and never cut.
fn columns(rows: &[RowText]) -> Vec<Column> {
    let widest = |f: &dyn Fn(&RowText) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let chars = |s: &str| s.chars().count();
    vec![
        Column::whole("", 1, None),
        Column::whole("PRI", 3, Some(3)),
        Column::whole("CLAIM", widest(&|r| chars(&r.claim)), None),
        Column::text(
            "PATIENT",
            widest(&|r| chars(&r.patient)).min(22),
            8,
            Some(4),
        ),
        Column::text("PAYER", widest(&|r| chars(&r.payer)).min(16), 6, Some(7)),
        Column::whole("OWED", widest(&|r| chars(&r.owed)), None),
        Column::text(
            "CARC",
            widest(&|r| chars(&r.carcs.join(","))).min(14),
            8,
            Some(6),
        ),
        Column::whole("STATUS", widest(&|r| chars(&r.status)), Some(8)),
        Column::text("CATEGORY", widest(&|r| chars(r.category)), 8, Some(1)),
        Column::text("OWNER", widest(&|r| chars(&r.owner)).min(10), 5, Some(5)),
        Column::whole("DOS", widest(&|r| chars(&r.dos)), Some(2)),
        Column::whole("F/U", widest(&|r| chars(&r.follow_up.0)), Some(9)),
        Column::whole("DUE", widest(&|r| chars(&r.due.0)), None),
    ]
}

/// Where a view's column is in `columns` (0 is the mark, always first).
fn column_index(column: ListColumn) -> usize {
    match column {
        ListColumn::Pri => 1,
        ListColumn::Claim => 2,
        ListColumn::Patient => 3,
        ListColumn::Payer => 4,
        ListColumn::Owed => 5,
        ListColumn::Carc => 6,
        ListColumn::Status => 7,
        ListColumn::Category => 8,
        ListColumn::Owner => 9,
        ListColumn::Dos => 10,
        ListColumn::FollowUp => 11,
        ListColumn::Due => 12,
    }
}

fn row_text(state: &State, theme: &Theme, i: usize) -> RowText {
    let today = state.today;
    let item = &state.worklist.rows()[i];
    let (mut due_text, due_style) = match item.clock(today) {
        // Resolved: no clock runs. Appealed in time: the payer has it (P).
        Clock::Resolved => ("-".to_string(), theme.muted),
        Clock::WithPayer => ("P".to_string(), theme.muted),
        Clock::Deadline { days } if days < 0 => (format!("{days}x"), theme.danger),
        Clock::Deadline { days } if days <= 7 => (format!("{days}!"), theme.warn),
        Clock::Deadline { days } => (format!("{days}"), theme.text),
    };
    // No appeal rights: the date is for a corrected claim, not an appeal.
    if matches!(item.clock(today), Clock::Deadline { .. }) && item.deadline_source.is_resubmission()
    {
        due_text.push('R');
    }
    // A built-in default window, not the payer's rule: marked as `list` marks it.
    if matches!(item.clock(today), Clock::Deadline { .. }) && item.deadline_source.is_default() {
        due_text.push('*');
    }
    // Two claims sharing a CLP01 are told apart as CLP01@N (what the CLI takes).
    let claim = match shared_position(state.worklist.rows(), i, |x| x.claim_id.as_str()) {
        Some(n) => format!("{}@{n}", item.claim_id),
        None => item.claim_id.to_string(),
    };
    let follow_up = match item.follow_up {
        Some(d) if d < today => (format!("{}!", d.format("%m-%d")), theme.danger),
        Some(d) if d == today => (format!("{}!", d.format("%m-%d")), theme.warn),
        Some(d) => (d.format("%m-%d").to_string(), theme.muted),
        None => ("-".to_string(), theme.muted),
    };
    // "*" marked for a bulk change; "@" a teammate has it open.
    let mark = if state.worklist.marked.contains(item.key.as_str()) {
        "*"
    } else if !state.others_on(&item.key).is_empty() {
        "@"
    } else {
        " "
    };
    RowText {
        mark,
        priority: state.worklist.score(i).to_string(),
        claim,
        patient: phi(&item.patient_name, state.privacy),
        payer: item.payer.to_string(),
        owed: format_cents(item.outstanding_cents),
        // A rejection's status as category:code (its entity is on the claim pane): a
        // column's width shows it whole where "A7:562:85" would become "+1".
        carcs: if item.kind == crate::domain::work_item::ItemKind::Rejection {
            item.carcs
                .iter()
                .map(|k| {
                    let s = crate::domain::claim_status::ClaimStatus::parse_key(k);
                    format!("{}:{}", s.category, s.code)
                })
                .collect()
        } else {
            item.carcs.iter().map(|c| c.to_string()).collect()
        },
        status: item.status_label(),
        category: item.category.label(),
        owner: item.owner.as_deref().unwrap_or("-").to_string(),
        dos: item.date_of_service.map_or("-".into(), |d| d.to_string()),
        follow_up,
        due: (due_text, due_style),
    }
}

/// `text` with the part a search query matched in the match style.
fn highlighted(text: String, query: &str, theme: &Theme) -> Line<'static> {
    match find_normalized(&text, query) {
        Some(range) => Line::from(vec![
            Span::raw(text[..range.start].to_string()),
            Span::styled(text[range.clone()].to_string(), theme.matched),
            Span::raw(text[range.end..].to_string()),
        ]),
        None => Line::from(text),
    }
}

fn render_table(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    keymap: &crate::keymap::Keymap,
    theme: &Theme,
) {
    if state.worklist.view().is_empty() {
        let text = if state.loading {
            "loading…".to_string()
        } else if state.worklist.rows().is_empty() {
            // A first start: say which database this is and how to fill it.
            let which = if state.database.is_empty() {
                "This database".to_string()
            } else {
                format!("The database {}", crate::text::escape(&state.database))
            };
            format!(
                "{which} holds no claims yet.\n\nImport remittances (X12 835 files):\n  denialdesk import FILE.835 ...\nor look around in the demo:\n  denialdesk demo"
            )
        } else if !state.worklist.filter().is_empty() {
            format!(
                "no claim in this queue matches the filter {:?}{}",
                state.worklist.filter(),
                keymap
                    .label(state.pane, &crate::app::Intent::Back)
                    .map_or(String::new(), |k| format!(" ({k} clears it)"))
            )
        } else if let Some(v) = state.worklist.selection().active_view() {
            format!(
                "no claim in the view {} ({}{})",
                v.name,
                v.queue.label(),
                if v.filter.is_empty() {
                    String::new()
                } else {
                    format!(", {:?}", v.filter)
                }
            )
        } else {
            let key = |i| keymap.label(state.pane, &i).unwrap_or_else(|| "-".into());
            format!(
                "no claims in this queue ({} next queue, {} all claims)",
                key(crate::app::Intent::NextQueue),
                key(crate::app::Intent::SetQueue(Queue::All))
            )
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.muted)
                .wrap(ratatui::widgets::Wrap { trim: false }),
            area,
        );
        return;
    }
    let visible = area.height.saturating_sub(1) as usize;
    // Only the rows on screen are built: the list may hold 100,000 claims.
    let offset = state
        .worklist
        .selected()
        .saturating_sub(visible.saturating_sub(1));
    let texts: Vec<RowText> = state
        .worklist
        .view()
        .iter()
        .skip(offset)
        .take(visible)
        .map(|&i| row_text(state, theme, i))
        .collect();
    let columns = columns(&texts);
    // The mark, then the columns the view chooses, in its order (all by default).
    let order: Vec<usize> = std::iter::once(0)
        .chain(
            state
                .worklist
                .selection()
                .columns()
                .iter()
                .map(|c| column_index(*c)),
        )
        .collect();
    let chosen: Vec<Column> = order.iter().map(|&i| columns[i].clone()).collect();
    // The highlight symbol takes one cell before every row.
    let fit = fit(&chosen, area.width.saturating_sub(1), 1);
    let shown: Vec<(usize, u16)> = fit
        .widths
        .iter()
        .enumerate()
        .filter_map(|(k, w)| w.map(|w| (order[k], w)))
        .collect();
    let header: Vec<&str> = shown.iter().map(|(i, _)| columns[*i].header).collect();
    let widths: Vec<Constraint> = shown.iter().map(|(_, w)| Constraint::Length(*w)).collect();
    // What the last search found is underlined where it shows (like a pager's search).
    let query = normalized(&state.search);
    let found = |text: String| -> Cell<'static> { Cell::from(highlighted(text, &query, theme)) };
    let rows = texts.iter().map(|r| {
        let cells = shown.iter().map(|&(i, w)| {
            let w = usize::from(w);
            match i {
                0 => Cell::from(r.mark).style(theme.marked),
                1 => Cell::from(format!("{:>w$}", r.priority)),
                2 => found(cut(&r.claim, w)),
                3 => found(cut(&r.patient, w)),
                4 => found(cut(&r.payer, w)),
                5 => Cell::from(money_cell(&r.owed, w as u16)),
                6 => found(codes_cell(&r.carcs, w as u16)),
                7 => Cell::from(cut(&r.status, w)),
                8 => Cell::from(cut(r.category, w)),
                9 => Cell::from(cut(&r.owner, w)),
                10 => Cell::from(cut(&r.dos, w)),
                11 => Cell::from(cut(&r.follow_up.0, w)).style(r.follow_up.1),
                _ => Cell::from(format!("{:>w$}", cut(&r.due.0, w))).style(r.due.1),
            }
        });
        Row::new(cells.collect::<Vec<_>>())
    });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.muted))
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶");
    let mut table_state = TableState::default();
    table_state.select(Some(state.worklist.selected() - offset));
    frame.render_stateful_widget(table, area, &mut table_state);
}
