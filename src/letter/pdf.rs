//! A letter as a PDF: US Letter pages, Courier 10 pt (monospaced, so the text letter's
//! columns stay aligned), 0.5" margins left and right (90 columns: a text letter's lines
//! print as they are, never with a lone word on the next line), 0.75" top and bottom,
//! longer lines (merged data) wrapped at a word with their indent kept, 57 lines a page. Only the 14 standard fonts are used, so nothing is embedded:
//! characters outside Windows-1252 are written as `?`.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 54.0;
/// Left and right: 0.5".
const SIDE_MARGIN: f32 = 36.0;
const FONT_SIZE: f32 = 10.0;
const LEADING: f32 = 12.0;
/// Courier's advance is 0.6 em: the characters a line holds between the margins.
pub(crate) const COLUMNS: usize = ((PAGE_WIDTH - 2.0 * SIDE_MARGIN) / (0.6 * FONT_SIZE)) as usize;
const LINES_PER_PAGE: usize = ((PAGE_HEIGHT - 2.0 * MARGIN) / LEADING) as usize;

/// The letter `text` as the bytes of a PDF file; `title` goes in its metadata.
pub fn letter_pdf(text: &str, title: &str) -> Vec<u8> {
    let lines: Vec<String> = text.lines().flat_map(wrap).collect();
    let pages: Vec<&[String]> = if lines.is_empty() {
        vec![&[]]
    } else {
        lines.chunks(LINES_PER_PAGE).collect()
    };
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let info = Ref::new(4);
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|n| Ref::new(5 + 2 * n as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.type1_font(font)
        .base_font(Name(b"Courier"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(pdf_writer::TextStr(title))
        .producer(pdf_writer::TextStr("denialdesk"));
    for (page_lines, id) in pages.iter().zip(&page_ids) {
        let contents = Ref::new(id.get() + 1);
        let mut page = pdf.page(*id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(contents);
        page.resources().fonts().pair(Name(b"F1"), font);
        page.finish();
        let mut content = Content::new();
        content.begin_text();
        content.set_font(Name(b"F1"), FONT_SIZE);
        content.set_leading(LEADING);
        content.next_line(SIDE_MARGIN, PAGE_HEIGHT - MARGIN);
        for line in page_lines.iter() {
            content.show(Str(&win_ansi(line)));
            content.next_line_using_leading();
        }
        content.end_text();
        pdf.stream(contents, &content.finish());
    }
    pdf.finish()
}

/// One line cut at words into pieces of at most `COLUMNS` characters; the pieces after
/// the first keep the line's indent (a code's description under its code).
fn wrap(line: &str) -> Vec<String> {
    if line.chars().count() <= COLUMNS {
        return vec![line.to_string()];
    }
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let indent = if indent.len() > COLUMNS / 2 {
        String::new()
    } else {
        indent + "  "
    };
    let mut out = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        let fits = current.chars().count() + 1 + word.chars().count() <= COLUMNS;
        if !current.trim().is_empty() && !fits {
            out.push(std::mem::replace(&mut current, indent.clone()));
        } else if !current.is_empty() || out.is_empty() && word.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
        // A single word longer than a line is cut where the line ends.
        while current.chars().count() > COLUMNS {
            let head: String = current.chars().take(COLUMNS).collect();
            let tail: String = current.chars().skip(COLUMNS).collect();
            out.push(head);
            current = format!("{indent}{tail}");
        }
    }
    out.push(current);
    out
}

/// Windows-1252 bytes for the standard font: ASCII and Latin-1 as they are, the rest `?`.
fn win_ansi(line: &str) -> Vec<u8> {
    line.chars()
        .map(|c| match u32::from(c) {
            0x20..=0x7e | 0xa0..=0xff => c as u8,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_words_keeping_their_indent() {
        let line = format!("      N115: {}", "word ".repeat(30).trim_end());
        let pieces = wrap(&line);
        assert!(pieces.len() > 1);
        assert!(pieces.iter().all(|p| p.chars().count() <= COLUMNS));
        assert!(pieces[1].starts_with("        word"));
        assert_eq!(
            pieces.join(" ").split_whitespace().collect::<Vec<_>>(),
            line.split_whitespace().collect::<Vec<_>>()
        );
        assert_eq!(wrap("short"), vec!["short"]);
        assert_eq!(wrap(""), vec![""]);
        assert_eq!(win_ansi("Zoë → x"), b"Zo\xeb ? x".to_vec());
    }

    #[test]
    fn a_long_letter_is_several_pages_of_a_valid_pdf() {
        let text = (1..=120).map(|n| format!("line {n}\n")).collect::<String>();
        let bytes = letter_pdf(&text, "Level 1 appeal");
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
        let body = String::from_utf8_lossy(&bytes);
        assert!(body.contains("/Count 3"), "120 lines at 57 a page");
        assert!(body.contains("(line 120) Tj"));
    }
}
