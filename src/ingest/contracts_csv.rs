//! The contract file (`contracts import FILE.csv`): a header row with at least `payer`,
//! `procedure`, `modifier`, `allowed`, `effective_from`, `effective_to` (any order, any
//! case), optionally `place_of_service` and `revenue_code`; one rate per row. Any other
//! column, a missing value, an amount or a date that does not read is an error naming
//! file, line and column: nothing is stored.

use crate::domain::contract::{ContractRow, ContractSet};
use crate::domain::dates::parse_d8;
use crate::domain::money::parse_cents;
use chrono::NaiveDate;

/// Columns every contract file has.
const REQUIRED: [&str; 6] = [
    "payer",
    "procedure",
    "modifier",
    "allowed",
    "effective_from",
    "effective_to",
];
/// Columns that narrow a row when given.
const OPTIONAL: [&str; 2] = ["place_of_service", "revenue_code"];

/// A contract file that does not read, with the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: line {line}{}: {message}", column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct ContractError {
    /// The file.
    pub file: String,
    /// The line (the header is 1).
    pub line: usize,
    /// The column's name, when one is at fault.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

fn date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .or_else(|| parse_d8(t))
}

/// Reads a contract file's text.
pub fn parse(file: &str, text: &str) -> Result<ContractSet, ContractError> {
    let err = |line: usize, column: Option<&str>, message: String| ContractError {
        file: file.to_string(),
        line,
        column: column.map(String::from),
        message: crate::text::escape(&message).into_owned(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err(1, None, format!("cannot read the header row: {e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if let Some(unknown) = headers
        .iter()
        .find(|h| !REQUIRED.contains(&h.as_str()) && !OPTIONAL.contains(&h.as_str()))
    {
        return Err(err(
            1,
            Some(unknown),
            format!(
                "unknown column {unknown:?}; the columns are {} and optionally {}",
                REQUIRED.join(", "),
                OPTIONAL.join(", ")
            ),
        ));
    }
    if let Some(missing) = REQUIRED.iter().find(|r| !headers.iter().any(|h| h == *r)) {
        return Err(err(
            1,
            Some(missing),
            "this required column is missing".into(),
        ));
    }
    let at = |name: &str| headers.iter().position(|h| h == name);
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = record.map_err(|e| err(line, None, format!("{e}")))?;
        let get = |name: &str| at(name).and_then(|i| record.get(i)).unwrap_or("").trim();
        let required = |name: &str| {
            let v = get(name);
            if v.is_empty() {
                Err(err(line, Some(name), "a value is required".into()))
            } else {
                Ok(v.to_string())
            }
        };
        let optional_date = |name: &str| match get(name) {
            "" => Ok(None),
            t => date(t).map(Some).ok_or_else(|| {
                err(
                    line,
                    Some(name),
                    format!("{t:?} is not a date (YYYY-MM-DD)"),
                )
            }),
        };
        let allowed_text = required("allowed")?;
        let allowed_cents = parse_cents(&allowed_text)
            .ok()
            .filter(|c| *c > 0)
            .ok_or_else(|| {
                err(
                    line,
                    Some("allowed"),
                    format!("{allowed_text:?} is not an amount above zero (like 200.00)"),
                )
            })?;
        let (from, to) = (
            optional_date("effective_from")?,
            optional_date("effective_to")?,
        );
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(err(
                    line,
                    Some("effective_to"),
                    format!("{t} is before effective_from {f}"),
                ));
            }
        }
        let narrow = |name: &str| Some(get(name).to_string()).filter(|v| !v.is_empty());
        rows.push(ContractRow {
            payer: required("payer")?,
            procedure: required("procedure")?.to_ascii_uppercase(),
            modifier: get("modifier").to_ascii_uppercase(),
            allowed_cents,
            effective_from: from,
            effective_to: to,
            place_of_service: narrow("place_of_service"),
            revenue_code: narrow("revenue_code"),
            line,
        });
    }
    if rows.is_empty() {
        return Err(err(1, None, "the file has a header but no rows".into()));
    }
    Ok(ContractSet {
        file: file.to_string(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        "payer,procedure,modifier,allowed,effective_from,effective_to,place_of_service\n\
        AETNA,99214,,125.00,2026-01-01,,\n\
        60054,99214,25,131.50,2026-01-01,2026-12-31,11\n\
        Cigna,97110,,38,,,\n";

    #[test]
    fn a_good_file_reads_every_row_to_the_cent() {
        let set = parse("c.csv", GOOD).unwrap();
        assert_eq!(set.rows.len(), 3);
        assert_eq!(set.rows[0].allowed_cents, 12_500);
        assert_eq!(set.rows[1].modifier, "25");
        assert_eq!(set.rows[1].place_of_service.as_deref(), Some("11"));
        assert_eq!(
            set.rows[1].effective_to,
            NaiveDate::from_ymd_opt(2026, 12, 31)
        );
        assert_eq!(set.rows[2].allowed_cents, 3_800);
        assert_eq!(set.rows[2].line, 4);
    }

    #[test]
    fn a_bad_file_names_line_and_column() {
        let bad = |text: &str, expected: &str| {
            let e = parse("c.csv", text).unwrap_err().to_string();
            assert!(e.contains(expected), "{expected:?} not in {e:?}");
        };
        bad(
            &GOOD.replace("131.50", "13x.50"),
            "c.csv: line 3, column allowed: \"13x.50\" is not an amount",
        );
        bad(
            &GOOD.replace("2026-12-31", "2026-13-31"),
            "line 3, column effective_to: \"2026-13-31\" is not a date",
        );
        bad(
            &GOOD.replace("AETNA,", ","),
            "line 2, column payer: a value is required",
        );
        bad(
            &GOOD.replace("place_of_service", "pos"),
            "line 1, column pos: unknown column \"pos\"",
        );
        bad(&GOOD.replace(",modifier", ""), "c.csv: line 1");
        bad(
            "payer,procedure,modifier,allowed,effective_from,effective_to\n",
            "no rows",
        );
        bad(
            &GOOD.replace("2026-01-01,2026-12-31", "2026-12-31,2026-01-01"),
            "is before effective_from",
        );
        bad(
            &GOOD.replace("Cigna,97110,,38,,,", "Cigna,97110,,-38,,,"),
            "above zero",
        );
    }
}
