//! Date input as specialists type it: `2026-12-01`, `+7`, `+7d`, `+2w`, `today`,
//! `tomorrow`, weekday names. `today` is always passed in, never read from the clock.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a date: {reason} (use YYYY-MM-DD, +7, +7d, +2w, today, tomorrow or a weekday such as mon)")]
pub struct DateError {
    pub input: String,
    pub reason: String,
}

fn error(input: &str, reason: &str) -> DateError {
    DateError {
        input: input.to_string(),
        reason: reason.to_string(),
    }
}

/// Resolves a typed date against `today`. Weekday names mean the next such day after today.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let text = input.trim().to_ascii_lowercase();
    if text.is_empty() {
        return Err(error(input, "it is empty"));
    }
    match text.as_str() {
        "today" => return Ok(today),
        "tomorrow" => return Ok(today + Duration::days(1)),
        _ => {}
    }
    if let Some(offset) = text.strip_prefix('+') {
        let (number, unit_days) = match offset.chars().last() {
            Some('d') => (&offset[..offset.len() - 1], 1),
            Some('w') => (&offset[..offset.len() - 1], 7),
            _ => (offset, 1),
        };
        let n: i64 = number
            .parse()
            .map_err(|_| error(input, "the offset is not a whole number"))?;
        if n > 3650 {
            return Err(error(input, "the offset is more than ten years"));
        }
        return Ok(today + Duration::days(n * unit_days));
    }
    if let Some(weekday) = parse_weekday(&text) {
        let ahead = (7 + weekday.num_days_from_monday() as i64
            - today.weekday().num_days_from_monday() as i64)
            % 7;
        return Ok(today + Duration::days(if ahead == 0 { 7 } else { ahead }));
    }
    if text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-' {
        return NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map_err(|_| error(input, "no such day in the calendar"));
    }
    Err(error(input, "unrecognised form"))
}

fn parse_weekday(text: &str) -> Option<Weekday> {
    const NAMES: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    if text.len() < 3 {
        return None;
    }
    NAMES
        .iter()
        .find(|(name, _)| name.starts_with(text))
        .map(|(_, day)| *day)
}

/// Reads an X12 D8 date (CCYYMMDD).
pub fn parse_d8(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = text[0..4].parse().ok()?;
    let m: u32 = text[4..6].parse().ok()?;
    let d: u32 = text[6..8].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Reads an X12 D6 date (YYMMDD, 4010 ISA09); years 00-49 are 20xx.
pub fn parse_d6(text: &str) -> Option<NaiveDate> {
    if text.len() != 6 {
        return None;
    }
    let yy: i32 = text[0..2].parse().ok()?;
    parse_d8(&format!(
        "{}{}",
        if yy < 50 { 2000 + yy } else { 1900 + yy },
        &text[2..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-24 is a Tuesday.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(parse_date("2026-12-01", today()), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date("+7", today()), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date("+7d", today()), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date("+2w", today()), Ok(d(2026, 12, 8)));
        assert_eq!(parse_date("today", today()), Ok(today()));
        assert_eq!(parse_date("Tomorrow", today()), Ok(d(2026, 11, 25)));
        assert_eq!(parse_date("mon", today()), Ok(d(2026, 11, 30)));
        assert_eq!(parse_date("friday", today()), Ok(d(2026, 11, 27)));
        // The same weekday as today means next week, not today.
        assert_eq!(parse_date("tue", today()), Ok(d(2026, 12, 1)));
    }

    #[test]
    fn refuses_impossible_and_unknown_dates() {
        let err = parse_date("2026-02-30", today()).unwrap_err();
        assert!(err.to_string().contains("no such day"), "{err}");
        assert!(parse_date("next week", today()).is_err());
        assert!(parse_date("+x", today()).is_err());
        assert!(parse_date("", today()).is_err());
        assert!(parse_date("+99999", today()).is_err());
        assert!(parse_date("mo", today()).is_err());
    }

    #[test]
    fn reads_x12_dates() {
        assert_eq!(parse_d8("20260315"), Some(d(2026, 3, 15)));
        assert_eq!(parse_d8("20260230"), None);
        assert_eq!(parse_d8("2026031"), None);
        assert_eq!(parse_d6("260315"), Some(d(2026, 3, 15)));
    }
}
