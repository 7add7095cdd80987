//! Date input as specialists type it: `2026-12-01`, US forms `12/15/2026`, `12/15/26` and
//! `12/15`, month names `dec 15` / `december 15`, `+7`, `+7d`, `+2w`, `today`, `tomorrow`,
//! weekday names (`mon`: the coming Monday) and `next mon` (the Monday of next week).
//! A date without a year is its next occurrence (today included). `today` is always passed
//! in, never read from the clock.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a date: {reason} (use YYYY-MM-DD, MM/DD/YYYY, MM/DD, dec 15, +7, +2w, today, tomorrow, mon or next mon)")]
pub struct DateError {
    /// What was typed.
    pub input: String,
    /// Why it is not a date.
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
        "yesterday" => return Ok(today - Duration::days(1)),
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
    if let Some(rest) = text.strip_prefix("next ") {
        let weekday = parse_weekday(rest.trim())
            .ok_or_else(|| error(input, "\"next\" takes a weekday, as in next mon"))?;
        // The weekday in the week (Monday to Sunday) after this one.
        let monday_next_week =
            today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
        return Ok(monday_next_week + Duration::days(weekday.num_days_from_monday() as i64));
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
    if text.contains('/') {
        return parse_us(input, &text, today);
    }
    if let Some((month, day)) = parse_month_name(&text) {
        return next_occurrence(input, month, day, today);
    }
    Err(error(input, "unrecognised form"))
}

/// Resolves a typed date for something that already happened (an appeal sent, a decision
/// received): a day without a year (`12/1`, `dec 1`) or a weekday (`mon`) means the most
/// recent such day up to today, not the next one; everything else as `parse_date`.
pub fn parse_past_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let date = parse_date(input, today)?;
    let text = input.trim().to_ascii_lowercase();
    let relative = text.starts_with('+') || text == "tomorrow" || text.starts_with("next ");
    if date <= today || relative {
        return Ok(date);
    }
    if parse_weekday(&text).is_some() {
        return Ok(date - Duration::days(7));
    }
    let has_year = text.len() == 10 && text.as_bytes()[4] == b'-' || text.matches('/').count() == 2;
    if has_year {
        return Ok(date);
    }
    // The same month and day in an earlier year (Feb 29 needs a leap year).
    (1..=8)
        .filter_map(|back| NaiveDate::from_ymd_opt(date.year() - back, date.month(), date.day()))
        .find(|d| *d <= today)
        .ok_or_else(|| error(input, "no such day in the calendar"))
}

/// `12/15/2026`, `12/15/26` or `12/15` (month first, as billing offices in the US write).
fn parse_us(input: &str, text: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let parts: Vec<&str> = text.split('/').collect();
    let number = |s: &str| -> Result<u32, DateError> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error(input, "expected numbers as MM/DD or MM/DD/YYYY"));
        }
        Ok(s.parse().expect("digits"))
    };
    // Day first (31/12/2026) is the European order: say so rather than "no such day".
    if let [a, b, ..] = parts.as_slice() {
        let (a, b) = (number(a)?, number(b)?);
        if a > 12 && (1..=12).contains(&b) {
            return Err(error(
                input,
                &format!(
                    "the month comes first here, as in {b}/{a}{}",
                    if parts.len() == 3 {
                        format!("/{}", parts[2])
                    } else {
                        String::new()
                    }
                ),
            ));
        }
    }
    match parts.as_slice() {
        [m, d] => next_occurrence(input, number(m)?, number(d)?, today),
        [m, d, y] => {
            let year = match (y.len(), number(y)?) {
                (2, yy) => 2000 + yy,
                (4, yyyy) => yyyy,
                _ => return Err(error(input, "the year must have 2 or 4 digits")),
            };
            NaiveDate::from_ymd_opt(year as i32, number(m)?, number(d)?)
                .ok_or_else(|| error(input, "no such day in the calendar"))
        }
        _ => Err(error(input, "expected MM/DD or MM/DD/YYYY")),
    }
}

/// `dec 15`, `december 15`, `15 dec`.
fn parse_month_name(text: &str) -> Option<(u32, u32)> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    let [a, b] = words.as_slice() else {
        return None;
    };
    let month = |w: &str| {
        (w.len() >= 3)
            .then(|| MONTHS.iter().position(|m| m.starts_with(w)))
            .flatten()
            .map(|i| i as u32 + 1)
    };
    let day = |w: &str| w.parse::<u32>().ok();
    match (month(a), day(b), day(a), month(b)) {
        (Some(m), Some(d), _, _) => Some((m, d)),
        (_, _, Some(d), Some(m)) => Some((m, d)),
        _ => None,
    }
}

/// The next `month`/`day` from `today` (today included).
fn next_occurrence(
    input: &str,
    month: u32,
    day: u32,
    today: NaiveDate,
) -> Result<NaiveDate, DateError> {
    // Eight years cover the next Feb 29 from any day.
    for year in today.year()..=today.year() + 8 {
        match NaiveDate::from_ymd_opt(year, month, day) {
            Some(date) if date >= today => return Ok(date),
            Some(_) => continue,
            // Feb 29 in a year without one: try the next.
            None if month == 2 && day == 29 => continue,
            None => break,
        }
    }
    Err(error(input, "no such day in the calendar"))
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

    #[test]
    fn a_day_that_already_happened_is_read_as_the_most_recent_one() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(); // a Tuesday
        let past = |t: &str| parse_past_date(t, today).unwrap().to_string();
        assert_eq!(past("12/1"), "2025-12-01");
        assert_eq!(past("11/20"), "2026-11-20");
        assert_eq!(past("dec 1"), "2025-12-01");
        assert_eq!(past("mon"), "2026-11-23");
        assert_eq!(
            past("tue"),
            "2026-11-24",
            "today is the most recent Tuesday"
        );
        assert_eq!(past("yesterday"), "2026-11-23");
        assert_eq!(past("12/01/2026"), "2026-12-01", "an explicit year is kept");
        assert_eq!(past("2/29"), "2024-02-29");
        // Follow-ups still look ahead.
        assert_eq!(parse_date("12/1", today).unwrap().to_string(), "2026-12-01");
    }

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
        // US forms, month names, "next".
        assert_eq!(parse_date("12/15/2026", today()), Ok(d(2026, 12, 15)));
        assert_eq!(parse_date("12/15/26", today()), Ok(d(2026, 12, 15)));
        assert_eq!(parse_date("12/15", today()), Ok(d(2026, 12, 15)));
        assert_eq!(
            parse_date("1/5", today()),
            Ok(d(2027, 1, 5)),
            "the next Jan 5"
        );
        assert_eq!(parse_date("11/24", today()), Ok(today()));
        assert_eq!(parse_date("dec 15", today()), Ok(d(2026, 12, 15)));
        assert_eq!(parse_date("December 15", today()), Ok(d(2026, 12, 15)));
        assert_eq!(parse_date("15 dec", today()), Ok(d(2026, 12, 15)));
        assert_eq!(parse_date("feb 29", today()), Ok(d(2028, 2, 29)));
        // "next mon": the Monday of next week (today is a Tuesday).
        assert_eq!(parse_date("next mon", today()), Ok(d(2026, 11, 30)));
        assert_eq!(parse_date("next fri", today()), Ok(d(2026, 12, 4)));
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
        assert!(parse_date("13/01", today()).is_err());
        assert!(parse_date("02/30/2026", today()).is_err());
        assert!(parse_date("12/15/202", today()).is_err());
        assert!(parse_date("dec 32", today()).is_err());
        assert!(parse_date("next xyz", today()).is_err());
    }

    #[test]
    fn reads_x12_dates() {
        assert_eq!(parse_d8("20260315"), Some(d(2026, 3, 15)));
        assert_eq!(parse_d8("20260230"), None);
        assert_eq!(parse_d8("2026031"), None);
        assert_eq!(parse_d6("260315"), Some(d(2026, 3, 15)));
    }
}
