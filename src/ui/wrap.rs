//! Word wrap for what the screen must show whole: messages (plain text) and the claim
//! pane's styled lines, whose continuation lines are indented under their first line so
//! a wrapped remark or timeline entry still reads as one item.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Greedy word wrap to `width` columns; a word longer than a line is split.
pub fn plain(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let len = line.chars().count();
            let gap = usize::from(len > 0);
            if len + gap + word.len() <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if len > 0 {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            let rest = word.split_off(width);
            lines.push(word.iter().collect());
            word = rest;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Wraps a styled line to `width` columns at spaces; continuation lines start two
/// columns further in than the line's own indentation. A word longer than the room left
/// is split.
pub fn indented(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| {
            s.content
                .chars()
                .map(move |c| (c, line.style.patch(s.style)))
        })
        .collect();
    if cells.len() <= width || width == 0 {
        return vec![line];
    }
    let lead = cells.iter().take_while(|(c, _)| *c == ' ').count();
    let indent = (lead + 2).min(width / 2);
    let mut lines: Vec<Vec<(char, Style)>> = vec![Vec::new()];
    let mut at = 0;
    while at < cells.len() {
        // The next word with the spaces before it.
        let spaces = cells[at..].iter().take_while(|(c, _)| *c == ' ').count();
        let letters = cells[at + spaces..]
            .iter()
            .take_while(|(c, _)| *c != ' ')
            .count();
        let continued = lines.len() > 1;
        let current = lines.last_mut().expect("one line at least");
        // Nothing on this line yet but its indentation: a word must go here, split if need be.
        let fresh = current.is_empty() || continued && current.len() <= indent;
        if current.len() + spaces + letters <= width {
            current.extend_from_slice(&cells[at..at + spaces + letters]);
            at += spaces + letters;
        } else if !fresh {
            lines.push(vec![(' ', Style::default()); indent]);
            at += spaces;
        } else {
            // A word longer than a whole line: split it.
            let room = width.saturating_sub(current.len()).max(1);
            let take = (spaces + letters).min(room);
            current.extend_from_slice(&cells[at..at + take]);
            at += take;
            if at < cells.len() {
                lines.push(vec![(' ', Style::default()); indent]);
            }
        }
    }
    lines
        .into_iter()
        .map(|cells| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            for (c, style) in cells {
                match spans.last_mut() {
                    Some(last) if last.style == style => last.content.to_mut().push(c),
                    _ => spans.push(Span::styled(c.to_string(), style)),
                }
            }
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Stylize;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn continuation_lines_sit_under_the_first_and_nothing_is_lost() {
        let line = Line::from(vec![
            Span::raw("  CO-197 "),
            Span::styled("precertification/authorization absent", Style::new().bold()),
        ]);
        let wrapped = indented(line, 24);
        assert_eq!(
            text(&wrapped),
            [
                "  CO-197",
                "    precertification/aut",
                "    horization absent"
            ]
        );
        assert!(wrapped.iter().all(|l| l.width() <= 24));
        // Styles survive the wrap.
        assert!(wrapped[2]
            .spans
            .iter()
            .any(|s| s.style == Style::new().bold()));
        // A line that fits is left alone.
        let short = Line::from("  paid $40.00");
        assert_eq!(text(&indented(short, 24)), ["  paid $40.00"]);
    }
}
