//! Display formatting shared by the static pages and the dashboard, so both
//! print the same figure the same way.

use crate::Money;

/// `1234567` minor units with exponent 2 → `"12,345.67"`; always shows every
/// minor digit so columns line up and nothing looks rounded.
pub fn money(m: Money, exponent: u32) -> String {
    let negative = m.0 < 0;
    let abs = m.0.unsigned_abs();
    let scale = 10u64.pow(exponent);
    let (units, minor) = (abs / scale, abs % scale);
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 6);
    if negative {
        out.push('-');
    }
    push_grouped(&mut out, &digits);
    if exponent > 0 {
        out.push('.');
        out.push_str(&format!("{:0width$}", minor, width = exponent as usize));
    }
    out
}

/// Appends the ASCII digits `digits` to `out` with a comma between groups
/// of three ("1234567" → "1,234,567"): the one grouping rule of every
/// figure arsite prints.
pub fn push_grouped(out: &mut String, digits: &str) {
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
}

/// Share of `part` in `whole` as a percentage with two decimals ("12.34"),
/// computed exactly and rounded half away from zero; "—" when `whole` is zero.
pub fn percent(part: Money, whole: Money) -> String {
    if whole.0 == 0 {
        return "—".to_string();
    }
    let p = rust_decimal::Decimal::from(part.0) * rust_decimal::Decimal::from(100)
        / rust_decimal::Decimal::from(whole.0);
    format!(
        "{:.2}",
        p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    )
}

/// Spreadsheet formula injection: a text cell starting with `=`, `+`, `-`,
/// `@`, tab or carriage return is prefixed with `'` so that Excel, LibreOffice
/// and Sheets show it as text instead of evaluating it. For every CSV arsite
/// writes from untrusted text (tables, rejected rows, the dashboard's
/// exports); numbers are written as numbers and never pass through it.
pub fn neutralize(text: &str) -> String {
    if starts_like_formula(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Whether a spreadsheet would take the text for a formula (see
/// [`neutralize`]).
pub fn starts_like_formula(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote_and_nothing_else_does() {
        for risky in ["=1+2", "+1", "-SUM(A1)", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralize(risky), format!("'{risky}"));
        }
        for safe in ["", "Acme", " =x", "1-2", "'=already"] {
            assert_eq!(neutralize(safe), safe);
        }
    }

    #[test]
    fn money_groups_thousands_and_keeps_minor_digits() {
        assert_eq!(money(Money(1234567), 2), "12,345.67");
        assert_eq!(money(Money(-5), 2), "-0.05");
        assert_eq!(money(Money(0), 2), "0.00");
        assert_eq!(money(Money(100000000), 0), "100,000,000");
        assert_eq!(money(Money(1234), 3), "1.234");
        assert_eq!(money(Money(i64::MIN), 2), "-92,233,720,368,547,758.08");
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        assert_eq!(percent(Money(1), Money(8)), "12.50");
        assert_eq!(percent(Money(1), Money(3)), "33.33");
        assert_eq!(percent(Money(2), Money(3)), "66.67");
        assert_eq!(percent(Money(1), Money(0)), "—");
    }
}
