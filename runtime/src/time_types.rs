//! Timestamps that keep the offset they were sent with.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;

/// An RFC 3339 date and time with its UTC offset, kept as sent: `2014-10-10T23:06:17-08:00`
/// is written back as `2014-10-10T23:06:17-08:00`, not converted to UTC.
///
/// Equality compares the written form (instant and offset), so a value that went through a
/// round trip compares equal to the original.
#[derive(Clone, Copy)]
pub struct DateTime {
    inner: time::OffsetDateTime,
}

impl DateTime {
    /// Wraps a `time::OffsetDateTime`.
    pub fn new(inner: time::OffsetDateTime) -> Self {
        DateTime { inner }
    }

    /// What equality, hashing and ordering look at: the instant, then the offset.
    /// (`OffsetDateTime` itself compares instants only.)
    fn key(&self) -> (i128, i32) {
        (self.inner.unix_timestamp_nanos(), self.inner.offset().whole_seconds())
    }

    /// The underlying `time::OffsetDateTime`.
    pub fn get(&self) -> time::OffsetDateTime {
        self.inner
    }

    /// The current time, in UTC.
    pub fn now_utc() -> Self {
        DateTime::new(time::OffsetDateTime::now_utc())
    }

    /// This time plus `duration` (same offset); `None` past the year 9999.
    pub fn checked_add(self, duration: std::time::Duration) -> Option<Self> {
        let duration = time::Duration::try_from(duration).ok()?;
        self.inner.checked_add(duration).map(DateTime::new)
    }

    /// This time minus `duration` (same offset): `DateTime::now_utc().checked_sub(7 * DAY)`;
    /// `None` before the year -9999.
    pub fn checked_sub(self, duration: std::time::Duration) -> Option<Self> {
        let duration = time::Duration::try_from(duration).ok()?;
        self.inner.checked_sub(duration).map(DateTime::new)
    }

    /// The same instant at another UTC offset, in seconds east of UTC (`-8 * 3600`); `None` for
    /// an offset beyond ±25:59:59.
    pub fn at_offset(self, seconds_east: i32) -> Option<Self> {
        let offset = time::UtcOffset::from_whole_seconds(seconds_east).ok()?;
        self.inner.checked_to_offset(offset).map(DateTime::new)
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for DateTime {}

impl std::hash::Hash for DateTime {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

/// A timestamp that is not RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidDateTime(String);

impl fmt::Display for InvalidDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an RFC 3339 date-time", self.0)
    }
}

impl std::error::Error for InvalidDateTime {}

impl FromStr for DateTime {
    type Err = InvalidDateTime;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        time::OffsetDateTime::parse(s.trim(), &Rfc3339).map(DateTime::new).map_err(|_| InvalidDateTime(s.to_owned()))
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner.format(&Rfc3339) {
            Ok(text) => f.write_str(&text),
            Err(_) => write!(f, "{}", self.inner),
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl From<time::OffsetDateTime> for DateTime {
    fn from(inner: time::OffsetDateTime) -> Self {
        DateTime::new(inner)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = crate::json::string(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(time::Date);

impl Date {
    /// Wraps a `time::Date`.
    pub fn new(inner: time::Date) -> Self {
        Date(inner)
    }

    /// The underlying `time::Date`.
    pub fn get(&self) -> time::Date {
        self.0
    }
}

/// `YYYY-MM-DD`, by hand: `time`'s format macros would cost a proc-macro build downstream.
fn parse_date(text: &str) -> Option<time::Date> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
        return None;
    }
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

impl FromStr for Date {
    type Err = InvalidDateTime;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_date(s.trim()).map(Date).ok_or_else(|| InvalidDateTime(s.to_owned()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = crate::json::string(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_and_a_week_ago_without_the_time_crate() {
        const DAY: std::time::Duration = std::time::Duration::from_secs(86_400);
        let now = DateTime::now_utc();
        let week_ago = now.checked_sub(7 * DAY).unwrap();
        assert_eq!((now.get() - week_ago.get()).whole_days(), 7);
        assert_eq!(week_ago.checked_add(7 * DAY), Some(now));
        let pacific = now.at_offset(-8 * 3600).unwrap();
        assert_eq!(pacific.get().unix_timestamp(), now.get().unix_timestamp());
        assert!(pacific.to_string().ends_with("-08:00"), "{pacific}");
        // Out of range is `None`, never a panic.
        assert_eq!(now.checked_add(std::time::Duration::MAX), None);
        assert_eq!(now.checked_sub(DAY * 365 * 20_000), None);
        assert_eq!(now.at_offset(26 * 3600), None);
    }

    #[test]
    fn dates_read_and_write_as_year_month_day() {
        let date: Date = " 2024-02-29 ".parse().unwrap();
        assert_eq!(date.to_string(), "2024-02-29");
        assert_eq!("0999-01-05".parse::<Date>().unwrap().to_string(), "0999-01-05");
        for bad in
            ["2023-02-29", "2024-2-09", "24-02-09", "2024-02-09-01", "2024/02/09", "2024-13-01", "", "+024-01-01"]
        {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn keeps_offset() {
        let value: DateTime = "2014-10-10T23:06:17-08:00".parse().unwrap();
        assert_eq!(value.to_string(), "2014-10-10T23:06:17-08:00");
        let utc: DateTime = "2014-10-11T07:06:17Z".parse().unwrap();
        assert_ne!(value, utc, "same instant, different offset: not the same written value");
        assert!("yesterday".parse::<DateTime>().is_err());
        assert_eq!("2024-02-29".parse::<Date>().unwrap().to_string(), "2024-02-29");
    }
}
