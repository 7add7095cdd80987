//! Fitting a table to the width it has without ever showing a wrong value. Each column
//! says how wide its widest value on screen is, how narrow it may get (text that can be
//! abbreviated with "…": a patient or payer name) and whether it may go. Money and claim
//! ids never shrink: when the table is too wide, abbreviable columns give up width first,
//! then whole low-value columns go, lowest `drop_rank` first (the order is documented in
//! the README). If even that is not enough, the fit says so and money that cannot be shown
//! whole is shown as `#` marks, as a spreadsheet does, never with fewer digits.

/// One column's needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column's header.
    pub header: &'static str,
    /// The widest value on screen (at least the header).
    pub want: u16,
    /// The narrowest it may be abbreviated to (`want` for values never cut).
    pub min: u16,
    /// `Some(rank)`: may be dropped, lowest rank first; `None`: always shown.
    pub drop_rank: Option<u8>,
}

impl Column {
    /// A column whose values are always shown whole (money, claim ids, dates).
    pub fn whole(header: &'static str, widest: usize, drop_rank: Option<u8>) -> Column {
        let want = widest.max(header.chars().count()) as u16;
        Column {
            header,
            want,
            min: want,
            drop_rank,
        }
    }

    /// A text column that may be abbreviated down to `min`.
    pub fn text(header: &'static str, widest: usize, min: u16, drop_rank: Option<u8>) -> Column {
        let want = widest.max(header.chars().count()) as u16;
        Column {
            header,
            want,
            min: min.min(want),
            drop_rank,
        }
    }
}

/// Each column's width, `None` for a dropped one; `overflow` when the columns that are
/// always shown did not fit even alone (they were narrowed, and values that no longer
/// fit must be shown marked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    /// Each column's width, `None` when dropped.
    pub widths: Vec<Option<u16>>,
    /// Even the narrowest layout did not fit: cells show markers.
    pub overflow: bool,
}

impl Fit {
    /// The columns shown, each with its index and width.
    pub fn shown(&self) -> Vec<(usize, usize)> {
        self.widths
            .iter()
            .enumerate()
            .filter_map(|(c, w)| w.map(|w| (c, usize::from(w))))
            .collect()
    }
}

/// Fits `columns` into `available` cells with `spacing` between shown columns.
pub fn fit(columns: &[Column], available: u16, spacing: u16) -> Fit {
    let mut widths: Vec<Option<u16>> = columns.iter().map(|c| Some(c.want)).collect();
    let total = |widths: &[Option<u16>]| -> u32 {
        let shown: Vec<u16> = widths.iter().flatten().copied().collect();
        shown.iter().map(|w| u32::from(*w)).sum::<u32>()
            + u32::from(spacing) * shown.len().saturating_sub(1) as u32
    };
    let available = u32::from(available);
    // Abbreviate what may be abbreviated, widest first, one cell at a time.
    while total(&widths) > available {
        let shrinkable = columns
            .iter()
            .zip(&widths)
            .enumerate()
            .filter_map(|(i, (c, w))| w.filter(|w| *w > c.min).map(|w| (w, i)))
            .max();
        match shrinkable {
            Some((w, i)) => widths[i] = Some(w - 1),
            None => break,
        }
    }
    // Then drop whole low-value columns, lowest rank first.
    while total(&widths) > available {
        let next = columns
            .iter()
            .zip(&widths)
            .enumerate()
            .filter(|(_, (_, w))| w.is_some())
            .filter_map(|(i, (c, _))| c.drop_rank.map(|r| (r, i)))
            .min();
        match next {
            Some((_, i)) => widths[i] = None,
            None => break,
        }
    }
    // Dropping may have freed room: give abbreviated columns back what fits.
    for (i, c) in columns.iter().enumerate() {
        while let Some(w) = widths[i] {
            if w >= c.want {
                break;
            }
            widths[i] = Some(w + 1);
            if total(&widths) > available {
                widths[i] = Some(w);
                break;
            }
        }
    }
    // Still too wide (a pane narrower than any sensible table): everything shrinks, and
    // the renderer marks what no longer fits (`money_cell`, `cut`) instead of cutting it.
    let overflow = total(&widths) > available;
    while total(&widths) > available {
        let widest = widths
            .iter()
            .enumerate()
            .filter_map(|(i, w)| w.filter(|w| *w > 1).map(|w| (w, i)))
            .max();
        match widest {
            Some((w, i)) => widths[i] = Some(w - 1),
            None => break,
        }
    }
    Fit { widths, overflow }
}

/// Money right-aligned in `width` cells, or `#` marks when it cannot be shown whole.
pub fn money_cell(text: &str, width: u16) -> String {
    let width = usize::from(width);
    if text.chars().count() > width {
        "#".repeat(width)
    } else {
        format!("{text:>width$}")
    }
}

/// Codes (CARCs) in `width` cells: as many whole codes as fit, then `+N` for the rest —
/// never part of a code, which could read as another code (`CO-19` for `CO-197`).
pub fn codes_cell(codes: &[String], width: u16) -> String {
    let width = usize::from(width);
    let all = codes.join(",");
    if all.chars().count() <= width {
        return all;
    }
    for shown in (1..codes.len()).rev() {
        let text = format!("{}+{}", codes[..shown].join(","), codes.len() - shown);
        if text.chars().count() <= width {
            return text;
        }
    }
    format!("+{}", codes.len()).chars().take(width).collect()
}

/// The first row of a window of `rows` rows over `len` that keeps the cursor (`selected`)
/// on screen: it never sits on a hidden row.
pub fn window_start(selected: usize, len: usize, rows: usize) -> usize {
    selected
        .min(len.saturating_sub(1))
        .saturating_sub(rows.saturating_sub(1))
}

/// A table row's line, in the selection style when the cursor is on it.
pub fn row_line(
    text: String,
    selected: bool,
    theme: &super::theme::Theme,
) -> ratatui::text::Line<'static> {
    if selected {
        ratatui::text::Line::styled(text, theme.selected)
    } else {
        ratatui::text::Line::from(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<Column> {
        vec![
            Column::whole("CLAIM", 12, None),
            Column::text("PATIENT", 20, 6, Some(5)),
            Column::whole("OWED", 11, None),
            Column::text("CATEGORY", 14, 8, Some(1)),
            Column::whole("DOS", 10, Some(2)),
        ]
    }

    #[test]
    fn everything_fits_when_there_is_room() {
        let fit = fit(&cols(), 200, 1);
        assert_eq!(
            fit.widths,
            vec![Some(12), Some(20), Some(11), Some(14), Some(10)]
        );
        assert!(!fit.overflow);
    }

    #[test]
    fn text_is_abbreviated_then_low_value_columns_go_and_money_never_shrinks() {
        // 12 + 20 + 11 + 14 + 10 + 4 spaces = 71.
        let narrower = fit(&cols(), 66, 1);
        assert_eq!(narrower.widths[0], Some(12));
        assert_eq!(narrower.widths[2], Some(11));
        assert!(narrower.widths.iter().all(Option::is_some), "{narrower:?}");
        // Too narrow for all: category goes first, then the date of service.
        let narrow = fit(&cols(), 45, 1);
        assert_eq!(narrow.widths[3], None, "{narrow:?}");
        assert_eq!(narrow.widths[0], Some(12));
        assert_eq!(narrow.widths[2], Some(11));
        assert!(!narrow.overflow);
        let used: u16 = narrow.widths.iter().flatten().sum::<u16>()
            + narrow.widths.iter().flatten().count() as u16
            - 1;
        assert!(used <= 45, "{narrow:?}");
        let tight = fit(&cols(), 30, 1);
        assert_eq!(tight.widths, vec![Some(12), None, Some(11), None, None]);
        assert!(!tight.overflow);
    }

    #[test]
    fn codes_are_shown_whole_or_counted_never_cut() {
        let codes: Vec<String> = ["CO-197", "CO-16", "PR-1"].map(String::from).to_vec();
        assert_eq!(codes_cell(&codes, 20), "CO-197,CO-16,PR-1");
        assert_eq!(codes_cell(&codes, 14), "CO-197,CO-16+1");
        assert_eq!(codes_cell(&codes, 9), "CO-197+2");
        assert_eq!(codes_cell(&codes, 4), "+3");
    }

    #[test]
    fn what_cannot_fit_at_all_is_flagged_and_money_becomes_marks() {
        let fit = fit(&cols(), 10, 1);
        assert!(fit.overflow);
        assert_eq!(money_cell("$1,772.45", 6), "######");
        assert_eq!(money_cell("$1,772.45", 10), " $1,772.45");
    }
}
