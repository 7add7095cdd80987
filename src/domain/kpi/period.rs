//! The period a KPI report covers, and the one before it (for change figures).

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use std::fmt;

/// An inclusive date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The last day (included).
    pub to: NaiveDate,
}

/// The periods a manager switches between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodChoice {
    #[default]
    /// The last 30 days.
    Last30,
    /// The last 90 days.
    Last90,
    /// This calendar month so far.
    ThisMonth,
}

impl PeriodChoice {
    /// The next choice, for the pane's key.
    pub fn next(self) -> PeriodChoice {
        match self {
            PeriodChoice::Last30 => PeriodChoice::Last90,
            PeriodChoice::Last90 => PeriodChoice::ThisMonth,
            PeriodChoice::ThisMonth => PeriodChoice::Last30,
        }
    }

    /// The choice `--period` names (30d, 90d, month).
    pub fn parse(text: &str) -> Option<PeriodChoice> {
        match text.trim().to_ascii_lowercase().as_str() {
            "30d" => Some(PeriodChoice::Last30),
            "90d" => Some(PeriodChoice::Last90),
            "month" => Some(PeriodChoice::ThisMonth),
            _ => None,
        }
    }

    /// The dates it covers, counted back from `today`.
    pub fn period(self, today: NaiveDate) -> Period {
        match self {
            PeriodChoice::Last30 => Period::last_days(30, today),
            PeriodChoice::Last90 => Period::last_days(90, today),
            PeriodChoice::ThisMonth => Period {
                from: today.with_day(1).expect("day 1 exists"),
                to: today,
            },
        }
    }
}

impl Period {
    /// The `n` days ending today (today included).
    pub fn last_days(n: i64, today: NaiveDate) -> Period {
        Period {
            from: today - Duration::days(n - 1),
            to: today,
        }
    }

    /// How many days it covers.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Whether `d` falls in it.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        Period {
            from: self.from - Duration::days(self.days()),
            to: self.from - Duration::days(1),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_their_predecessors() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let p = PeriodChoice::Last30.period(today);
        assert_eq!(
            (p.from.to_string(), p.days()),
            ("2026-10-26".to_string(), 30)
        );
        assert_eq!(p.previous().to.to_string(), "2026-10-25");
        assert_eq!(p.previous().days(), 30);
        let m = PeriodChoice::ThisMonth.period(today);
        assert_eq!(m.from.to_string(), "2026-11-01");
        assert!(m.contains(today) && !m.contains(today + Duration::days(1)));
    }
}
