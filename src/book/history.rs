//! When an edition was last updated: the date of the last git commit touching its
//! directory when the book is in a git repository (read through gix once, at load),
//! else the latest `updated` date in its pages' front matter. Both are deterministic
//! for a given tree.

use super::{Edition, PageContent};
use gix::ObjectId;
use std::path::Path;

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

impl Date {
    /// Seconds from 1970-01-01 to midnight UTC of this date (for `SOURCE_DATE_EPOCH`).
    pub fn epoch_seconds(self) -> i64 {
        let (year, month, day) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let shifted = if month <= 2 { year - 1 } else { year };
        let era = shifted.div_euclid(400);
        let year_of_era = shifted - era * 400;
        let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        (era * 146_097 + day_of_era - 719_468) * 86_400
    }

    /// The date of `SOURCE_DATE_EPOCH`, when the environment sets it.
    pub fn from_source_date_epoch() -> Option<Date> {
        let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH")
            .ok()?
            .trim()
            .parse()
            .ok()?;
        Date::from_epoch_seconds(seconds)
    }

    /// The UTC date of a time given in seconds since 1970-01-01.
    pub fn from_epoch_seconds(seconds: i64) -> Option<Date> {
        let days = seconds.div_euclid(86_400) + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = u32::try_from(day_of_year - (153 * shifted_month + 2) / 5 + 1).ok()?;
        let month = u32::try_from(if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        })
        .ok()?;
        let year = i32::try_from(year_of_era + era * 400 + i64::from(month <= 2)).ok()?;
        Some(Date { year, month, day })
    }
}

/// The last update of `edition`: its last commit's date, else its pages' front matter.
pub fn last_updated(edition: &Edition) -> Option<Date> {
    edition.committed.or_else(|| front_matter_date(edition))
}

/// The date (in the committer's time zone, as `git log --format=%cs` shows it) of the
/// last commit that changed `directory`, when it is in a git work tree. Walks back from
/// HEAD as `git log -- DIRECTORY` does: through a parent whose copy of the directory is
/// the same, until a commit that changed it; a missing parent (a shallow clone) ends the
/// history there.
pub fn last_commit_date(directory: &Path) -> Option<Date> {
    let repository = gix::discover(directory).ok()?;
    let work_tree = repository.workdir()?.canonicalize().ok()?;
    let relative = directory.canonicalize().ok()?;
    let relative = relative.strip_prefix(&work_tree).ok()?.to_path_buf();
    let subtree = |commit: &gix::Commit<'_>| -> Option<ObjectId> {
        let tree = commit.tree().ok()?;
        if relative.as_os_str().is_empty() {
            return Some(tree.id);
        }
        let entry = tree.lookup_entry_by_path(&relative).ok()??;
        Some(entry.object_id())
    };
    let mut commit = repository.head_commit().ok()?;
    loop {
        let here = subtree(&commit);
        let same_in_a_parent = commit
            .parent_ids()
            .filter_map(|id| repository.find_commit(id).ok())
            .find(|parent| subtree(parent) == here);
        match same_in_a_parent {
            Some(parent) => commit = parent,
            None => {
                here?;
                let time = commit.time().ok()?;
                return Date::from_epoch_seconds(time.seconds + i64::from(time.offset));
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn dates_convert_to_and_from_epoch_seconds() {
        let date = Date {
            year: 2020,
            month: 5,
            day: 15,
        };
        assert_eq!(date.epoch_seconds(), 1_589_500_800);
        assert_eq!(
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
            .epoch_seconds(),
            0
        );
        assert_eq!(
            Date {
                year: 2000,
                month: 3,
                day: 1
            }
            .epoch_seconds(),
            951_868_800
        );
    }
}
