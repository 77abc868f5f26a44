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
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts
            .next()?
            .parse()
            .ok()
            .filter(|m| (1..=12).contains(m))?;
        let day = parts
            .next()?
            .get(..2)?
            .parse()
            .ok()
            .filter(|d| (1..=31).contains(d))?;
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
