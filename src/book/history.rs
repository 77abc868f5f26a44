//! When an edition was last updated: the date of the last git commit touching its
//! directory when the book is in a git repository, else the latest `updated` date in
//! its pages' front matter. Both are deterministic for a given tree.

use super::{Edition, PageContent};
use std::path::Path;
use std::process::Command;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, a real calendar day.
    pub fn parse(text: &str) -> Option<Date> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let [year, month, day] = parts.as_slice() else {
            return None;
        };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u32 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let day: u32 = day
            .parse()
            .ok()
            .filter(|d| (1..=days_in_month).contains(d))?;
        Some(Date { year, month, day })
    }
}

/// The last update of `edition`, whose sources are in `directory`.
pub fn last_updated(directory: &Path, edition: &Edition) -> Option<Date> {
    git_date(directory).or_else(|| front_matter_date(edition))
}

fn git_date(directory: &Path) -> Option<Date> {
    let output = Command::new("git")
        .arg("-C")
        .arg(directory)
        .args(["log", "-1", "--format=%cs", "--", "."])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Date::parse(&String::from_utf8_lossy(&output.stdout))
}

fn front_matter_date(edition: &Edition) -> Option<Date> {
    edition
        .pages
        .iter()
        .filter_map(|page| match &page.content {
            PageContent::Written(written) => written.front_matter.updated.as_ref(),
            _ => None,
        })
        .filter_map(|datetime| datetime.date)
        .map(|date| Date {
            year: i32::from(date.year),
            month: u32::from(date.month),
            day: u32::from(date.day),
        })
        .max()
}
