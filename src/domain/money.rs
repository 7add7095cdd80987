//! Money is integer cents everywhere; these turn it into what people read and type.

/// "$1,240.50" (negative: "-$12.00").
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}${}.{:02}", group_thousands(abs / 100), abs % 100)
}

/// "$1,240": whole dollars, rounded half up, for explanations and headers.
pub fn format_dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}${}", group_thousands((abs + 50) / 100))
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Why a decimal amount could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("expected an amount like 125.50, found {0:?}")]
    /// Not an amount at all.
    NotANumber(String),
    #[error("amount {0:?} has more than two decimal places")]
    /// More than two decimal places.
    TooPrecise(String),
    #[error("amount {0:?} is too large")]
    /// Too large to hold in cents.
    TooLarge(String),
}

/// Reads an X12 "R" amount (`-12.5`, `100`, `.75`) into cents, exactly, without floats.
pub fn parse_cents(text: &str) -> Result<i64, AmountError> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let mut whole: i64 = 0;
    let mut frac: i64 = 0;
    let mut frac_digits = 0;
    let mut seen_dot = false;
    let mut seen_digit = false;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                seen_digit = true;
                let d = i64::from(b - b'0');
                if seen_dot {
                    if frac_digits == 2 {
                        if d != 0 {
                            return Err(AmountError::TooPrecise(text.to_string()));
                        }
                        continue;
                    }
                    frac = frac * 10 + d;
                    frac_digits += 1;
                } else {
                    whole = whole
                        .checked_mul(10)
                        .and_then(|w| w.checked_add(d))
                        .filter(|w| *w < 1_000_000_000_000)
                        .ok_or_else(|| AmountError::TooLarge(text.to_string()))?;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return Err(AmountError::NotANumber(text.to_string())),
        }
    }
    if !seen_digit {
        return Err(AmountError::NotANumber(text.to_string()));
    }
    if frac_digits == 1 {
        frac *= 10;
    }
    let cents = whole * 100 + frac;
    Ok(if negative { -cents } else { cents })
}

/// Reads an amount a person typed: as `parse_cents`, also with a `$` sign (`$300`,
/// `-$12.50`) and thousands separators in their places (`1,000.50`). A comma anywhere
/// else (`1,50`, a European decimal comma) is refused rather than guessed.
pub fn parse_typed_cents(text: &str) -> Result<i64, AmountError> {
    let trimmed = text.trim();
    let (sign, rest) = match trimmed.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", trimmed),
    };
    let rest = rest.strip_prefix('$').unwrap_or(rest).trim_start();
    let (whole, frac) = match rest.split_once('.') {
        Some((whole, frac)) => (whole, Some(frac)),
        None => (rest, None),
    };
    if whole.contains(',') {
        let groups: Vec<&str> = whole.split(',').collect();
        let well_placed =
            (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
        if !well_placed {
            return Err(AmountError::NotANumber(text.to_string()));
        }
    }
    let plain = format!(
        "{sign}{}{}",
        whole.replace(',', ""),
        frac.map(|f| format!(".{f}")).unwrap_or_default()
    );
    parse_cents(&plain).map_err(|e| match e {
        AmountError::NotANumber(_) => AmountError::NotANumber(text.to_string()),
        AmountError::TooPrecise(_) => AmountError::TooPrecise(text.to_string()),
        AmountError::TooLarge(_) => AmountError::TooLarge(text.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_money_for_people() {
        assert_eq!(format_cents(124050), "$1,240.50");
        assert_eq!(format_cents(5), "$0.05");
        assert_eq!(format_cents(-1200), "-$12.00");
        assert_eq!(format_cents(123456789), "$1,234,567.89");
        assert_eq!(format_dollars(124050), "$1,241");
        assert_eq!(format_dollars(99), "$1");
        assert_eq!(format_dollars(100000), "$1,000");
    }

    #[test]
    fn reads_amounts_as_people_type_them() {
        assert_eq!(parse_typed_cents("1,000.50"), Ok(100050));
        assert_eq!(parse_typed_cents("$300"), Ok(30000));
        assert_eq!(parse_typed_cents(" $1,234,567.89 "), Ok(123456789));
        assert_eq!(parse_typed_cents("-$12.50"), Ok(-1250));
        assert_eq!(parse_typed_cents("75"), Ok(7500));
        for wrong in ["1,50", "1,0000", ",100", "$", "12$", "1,000,00"] {
            assert!(
                matches!(parse_typed_cents(wrong), Err(AmountError::NotANumber(_))),
                "{wrong}"
            );
        }
    }

    #[test]
    fn parses_x12_amounts_exactly() {
        assert_eq!(parse_cents("125.5"), Ok(12550));
        assert_eq!(parse_cents("125.50"), Ok(12550));
        assert_eq!(parse_cents("100"), Ok(10000));
        assert_eq!(parse_cents(".75"), Ok(75));
        assert_eq!(parse_cents("-12.34"), Ok(-1234));
        assert_eq!(parse_cents("0.100"), Ok(10));
        assert!(matches!(
            parse_cents("12x.00"),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(parse_cents(""), Err(AmountError::NotANumber(_))));
        assert!(matches!(parse_cents("-"), Err(AmountError::NotANumber(_))));
        assert!(matches!(
            parse_cents("1.2.3"),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(
            parse_cents("1.234"),
            Err(AmountError::TooPrecise(_))
        ));
        assert!(matches!(
            parse_cents("99999999999999999"),
            Err(AmountError::TooLarge(_))
        ));
    }
}
