//! Calendar dates: the one place nhos does date arithmetic (with jiff). Dates are
//! civil days; nhos never reads the clock except in [`Date::today_utc`], which no
//! verb calls.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A calendar date (TOML local date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let y = i16::try_from(year).ok()?;
        let m = i8::try_from(month).ok()?;
        let d = i8::try_from(day).ok()?;
        jiff::civil::Date::new(y, m, d).ok()?;
        Some(Self { year, month, day })
    }

    fn civil(self) -> jiff::civil::Date {
        // Every `Date` was checked by `new`, so this cannot fail; the fallback keeps
        // the type total.
        jiff::civil::Date::new(self.year as i16, self.month as i8, self.day as i8)
            .unwrap_or(jiff::civil::Date::MIN)
    }

    fn from_civil(d: jiff::civil::Date) -> Self {
        Self {
            year: d.year().max(0) as u16,
            month: d.month() as u8,
            day: d.day() as u8,
        }
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        other
            .civil()
            .since((jiff::Unit::Day, self.civil()))
            .map_or(0, |span| i64::from(span.get_days()))
    }

    /// The date `n` days after this one (before it for negative `n`).
    pub fn plus_days(self, n: i64) -> Date {
        let span = jiff::Span::new().days(n.clamp(-7_300_000, 7_300_000));
        self.civil()
            .checked_add(span)
            .map_or(self, Self::from_civil)
    }

    /// Today's date in UTC from the system clock. This is the only place nhos reads
    /// the clock, and no verb calls it: the CLI and the bindings pass its result in
    /// when the caller names no day, so every result stays reproducible.
    pub fn today_utc() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let epoch = Self::from_civil(jiff::civil::date(1970, 1, 1));
        epoch.plus_days((secs / 86_400) as i64)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let mut it = s.split('-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Self::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml::value::Datetime::deserialize(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => Date::new(date.year, date.month, date.day)
                .ok_or_else(|| serde::de::Error::custom("not a calendar date")),
            _ => Err(serde::de::Error::custom(
                "expected a date such as 2027-03-31, without a time",
            )),
        }
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date" })
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    #[test]
    fn arithmetic() {
        assert_eq!(d("2027-03-01").days_until(d("2027-03-31")), 30);
        assert_eq!(d("2027-03-31").days_until(d("2027-03-01")), -30);
        assert_eq!(d("2028-02-28").plus_days(1), d("2028-02-29"));
        assert_eq!(d("2026-12-31").plus_days(1), d("2027-01-01"));
        assert_eq!(d("1970-01-01").days_until(d("2026-12-01")), 20_788);
        assert!(Date::new(2027, 2, 29).is_none());
        assert!(Date::parse("2027-13-01").is_none());
    }
}
