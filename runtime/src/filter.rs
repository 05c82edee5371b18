//! Filter expressions of query services that take `<field><operator><value>` comparisons joined
//! with `;` (AND) and `,` (OR) and grouped with parentheses, such as Enterprise Manager's
//! `/query?filter=...`:
//!
//! ```
//! use veeam_runtime::filter::field;
//!
//! let backups = field("JobType").eq("Backup").and(field("ScheduleEnabled").eq(true));
//! let replicas = field("JobType").eq("Replica").and(field("ScheduleEnabled").eq(false));
//! let filter = backups.or(replicas).and(field("Name").ne("Exchange Backup"));
//! assert_eq!(
//!     filter.to_string(),
//!     r#"((JobType==Backup;ScheduleEnabled==true),(JobType==Replica;ScheduleEnabled==false));Name!="Exchange Backup""#
//! );
//! ```
//!
//! Values are written the documented way: text made of letters, digits and `_` as is, other text
//! in double quotes with quotes doubled; numbers and booleans as is; timestamps in UTC
//! (`"2025-08-15T06:00:00Z"`). A filter is passed to a request's `filter(...)` setter, which
//! takes any `Into<String>`; the client percent-encodes it.

use std::fmt;

use crate::{Date, DateTime, Uuid};

/// A field of the queried resource, to compare with a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a>(&'a str);

/// The field called `name`, as the query page lists it (`Name`, `CreationTime`, `BackupServerUid`).
pub fn field(name: &str) -> Field<'_> {
    Field(name)
}

macro_rules! comparisons {
    ($($(#[$doc:meta])* $method:ident => $operator:literal,)*) => {
        impl Field<'_> {
            $(
                $(#[$doc])*
                pub fn $method(self, value: impl FilterValue) -> Filter {
                    self.compare($operator, &value)
                }
            )*
        }
    };
}

comparisons! {
    /// `field==value`.
    eq => "==",
    /// `field!=value`.
    ne => "!=",
    /// `field>value` (list values such as a session's result compare by their documented order).
    gt => ">",
    /// `field<value`.
    lt => "<",
    /// `field>=value`.
    ge => ">=",
    /// `field<=value`.
    le => "<=",
}

impl Field<'_> {
    fn compare(self, operator: &str, value: &dyn FilterValue) -> Filter {
        let mut text = String::with_capacity(self.0.len() + operator.len() + 16);
        text.push_str(self.0);
        text.push_str(operator);
        value.write(&mut text);
        Filter { text, join: Join::Single }
    }
}

/// How a filter's top level is joined: decides whether it needs parentheses inside another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Join {
    Single,
    And,
    Or,
}

/// A filter expression: one comparison, or filters joined with [`and`](Self::and) and
/// [`or`](Self::or). `Display` (and `String::from`) give the expression text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    text: String,
    join: Join,
}

impl Filter {
    /// Both filters must match (`a;b`).
    pub fn and(self, other: Filter) -> Filter {
        self.join(Join::And, ';', other)
    }

    /// Either filter must match (`a,b`).
    pub fn or(self, other: Filter) -> Filter {
        self.join(Join::Or, ',', other)
    }

    /// Every filter must match; `None` for no filters.
    pub fn all(filters: impl IntoIterator<Item = Filter>) -> Option<Filter> {
        filters.into_iter().reduce(Filter::and)
    }

    /// Any of the filters must match; `None` for no filters.
    pub fn any(filters: impl IntoIterator<Item = Filter>) -> Option<Filter> {
        filters.into_iter().reduce(Filter::or)
    }

    /// The expression text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    // A side joined with the other operator is grouped; the same operator is associative, so a
    // chain `a;b;c` stays flat.
    fn join(self, join: Join, separator: char, other: Filter) -> Filter {
        let mut text = String::with_capacity(self.text.len() + other.text.len() + 5);
        for (index, side) in [self, other].into_iter().enumerate() {
            if index == 1 {
                text.push(separator);
            }
            if side.join == Join::Single || side.join == join {
                text.push_str(&side.text);
            } else {
                text.push('(');
                text.push_str(&side.text);
                text.push(')');
            }
        }
        Filter { text, join }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<Filter> for String {
    fn from(filter: Filter) -> String {
        filter.text
    }
}

/// A value a field is compared with, written in the filter syntax.
pub trait FilterValue {
    /// Appends the value's text.
    fn write(&self, out: &mut String);
}

/// Text as is when it is a plain word (`[A-Za-z0-9_]`), else quoted with quotes doubled.
fn write_text(text: &str, out: &mut String) {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        out.push_str(text);
        return;
    }
    out.push('"');
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

impl FilterValue for str {
    fn write(&self, out: &mut String) {
        write_text(self, out);
    }
}

impl FilterValue for String {
    fn write(&self, out: &mut String) {
        write_text(self, out);
    }
}

impl<T: FilterValue + ?Sized> FilterValue for &T {
    fn write(&self, out: &mut String) {
        (**self).write(out);
    }
}

impl FilterValue for bool {
    fn write(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! numbers {
    ($($ty:ty),*) => {
        $(impl FilterValue for $ty {
            fn write(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        })*
    };
}

numbers!(i32, i64, u32, u64, usize);

/// Quoted: IDs hold `-`.
impl FilterValue for Uuid {
    fn write(&self, out: &mut String) {
        write_text(&self.hyphenated().to_string(), out);
    }
}

/// In UTC, as the query pages require (`"2025-08-15T06:00:00Z"`).
impl FilterValue for DateTime {
    fn write(&self, out: &mut String) {
        let utc = self.get().to_offset(time::UtcOffset::UTC);
        let text = utc.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| self.to_string());
        write_text(&text, out);
    }
}

impl FilterValue for Date {
    fn write(&self, out: &mut String) {
        write_text(&self.to_string(), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_operator() {
        let cases = [
            (field("Name").eq("Exchange Backup"), r#"Name=="Exchange Backup""#),
            (field("Result").ne("Success"), "Result!=Success"),
            (field("FreeSpace").gt(107_374_182_400_i64), "FreeSpace>107374182400"),
            (field("FreeSpace").lt(5_u64), "FreeSpace<5"),
            (field("Port").ge(9392), "Port>=9392"),
            (field("Port").le(9405), "Port<=9405"),
        ];
        for (filter, text) in cases {
            assert_eq!(filter.as_str(), text);
        }
    }

    #[test]
    fn the_documented_examples() {
        // query_and_or.html
        let and = field("jobtype").eq("backup").and(field("platform").eq("hyperv"));
        assert_eq!(and.to_string(), "jobtype==backup;platform==hyperv");
        // query_grouping.html
        let grouped = field("jobtype")
            .eq("replica")
            .and(field("scheduleconfigured").eq(false))
            .or(field("jobtype").eq("backup").and(field("scheduleconfigured").eq(true)));
        assert_eq!(
            grouped.to_string(),
            "(jobtype==replica;scheduleconfigured==false),(jobtype==backup;scheduleconfigured==true)"
        );
        // get_query_backupjobsession.html
        let from: DateTime = "2025-08-15T08:00:00+02:00".parse().unwrap();
        let to: DateTime = "2025-08-16T13:00:00Z".parse().unwrap();
        let period = field("Result").eq("Failed").and(field("CreationTime").ge(from)).and(field("CreationTime").le(to));
        assert_eq!(
            String::from(period),
            r#"Result==Failed;CreationTime>="2025-08-15T06:00:00Z";CreationTime<="2025-08-16T13:00:00Z""#
        );
    }

    #[test]
    fn text_is_quoted_when_it_is_not_a_plain_word() {
        let cases = [
            ("Backup", "Backup"),
            ("DB_Backup_2", "DB_Backup_2"),
            ("11.0.0.837", r#""11.0.0.837""#),
            (r#"the "Backup" job"#, r#""the ""Backup"" job""#),
            ("", r#""""#),
            ("a;b,c==d", r#""a;b,c==d""#),
            ("Sicherung äöü", r#""Sicherung äöü""#),
        ];
        for (value, written) in cases {
            assert_eq!(field("Name").eq(value).as_str(), format!("Name=={written}"));
        }
        let id = Uuid::parse_str("5658281f-625e-4627-89dd-d2a0c48be99e").unwrap();
        assert_eq!(field("Id").eq(id).as_str(), r#"Id=="5658281f-625e-4627-89dd-d2a0c48be99e""#);
    }

    #[test]
    fn chains_stay_flat_and_mixed_joins_are_grouped() {
        let [a, b, c, d] = ["A", "B", "C", "D"].map(|name| field(name).eq(1));
        assert_eq!(Filter::all([a.clone(), b.clone(), c.clone()]).unwrap().as_str(), "A==1;B==1;C==1");
        assert_eq!(Filter::any([a.clone(), b.clone(), c.clone()]).unwrap().as_str(), "A==1,B==1,C==1");
        assert_eq!(a.clone().and(b.clone().or(c.clone())).as_str(), "A==1;(B==1,C==1)");
        assert_eq!(a.clone().or(b.clone().and(c.clone())).as_str(), "A==1,(B==1;C==1)");
        assert_eq!(a.clone().or(b.clone()).and(c.clone().or(d)).as_str(), "(A==1,B==1);(C==1,D==1)");
        assert_eq!(Filter::all([]), None);
    }
}
