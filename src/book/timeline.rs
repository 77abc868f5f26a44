//! The timeline, from data: `SRC/data/timeline.toml` holds `[[event]]` entries with a
//! date of any precision, one text per language, tags, and links to a chapter and a
//! runbook. Pages show it with `{{#timeline}}`.

use super::history::Date;
use crate::config::Language;
use crate::confine::Root;
use crate::diagnostic::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Where the timeline lives, relative to the book's source directory.
pub const TIMELINE_FILE: &str = "data/timeline.toml";

/// A point in time as precise as the facts allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FuzzyDate {
    /// `2008-03-19`.
    Day(Date),
    /// `2018-11`.
    Month { year: i32, month: u32 },
    /// `early 2018-05`, `mid 2019-04`, `end 2019-08`.
    PartOfMonth {
        part: MonthPart,
        year: i32,
        month: u32,
    },
    /// `spring 2018`.
    Season { season: Season, year: i32 },
    /// `Q1 2018`.
    Quarter { quarter: u32, year: i32 },
    /// `H2 2018`.
    Half { half: u32, year: i32 },
    /// `2017`.
    Year(i32),
}

/// Early, middle or end of a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthPart {
    /// The first days.
    Early,
    /// Around the 15th.
    Mid,
    /// The last days.
    End,
}

/// A season of a year (winter is the one that ends the year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    /// From March.
    Spring,
    /// From June.
    Summer,
    /// From September.
    Autumn,
    /// From December.
    Winter,
}

/// When an event happened: a date, or a range of two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    /// The start (or only) date.
    pub start: FuzzyDate,
    /// The end of a range.
    pub end: Option<FuzzyDate>,
}

impl FuzzyDate {
    /// Parses the forms listed on [`FuzzyDate`]'s variants.
    pub fn parse(text: &str) -> Option<FuzzyDate> {
        let text = text.trim();
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            [single] => parse_numeric(single),
            [qualifier, rest] => {
                let year = || rest.parse::<i32>().ok();
                let lower = qualifier.to_ascii_lowercase();
                match lower.as_str() {
                    "h1" | "h2" => Some(FuzzyDate::Half {
                        half: if lower == "h1" { 1 } else { 2 },
                        year: year()?,
                    }),
                    "q1" | "q2" | "q3" | "q4" => Some(FuzzyDate::Quarter {
                        quarter: lower[1..].parse().ok()?,
                        year: year()?,
                    }),
                    "spring" => Some(FuzzyDate::Season {
                        season: Season::Spring,
                        year: year()?,
                    }),
                    "summer" => Some(FuzzyDate::Season {
                        season: Season::Summer,
                        year: year()?,
                    }),
                    "autumn" | "fall" => Some(FuzzyDate::Season {
                        season: Season::Autumn,
                        year: year()?,
                    }),
                    "winter" => Some(FuzzyDate::Season {
                        season: Season::Winter,
                        year: year()?,
                    }),
                    "early" | "mid" | "end" => {
                        let Some(FuzzyDate::Month { year, month }) = parse_numeric(rest) else {
                            return None;
                        };
                        let part = match lower.as_str() {
                            "early" => MonthPart::Early,
                            "mid" => MonthPart::Mid,
                            _ => MonthPart::End,
                        };
                        Some(FuzzyDate::PartOfMonth { part, year, month })
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The first day the date may mean, for sorting: (year, month, day).
    pub fn sort_key(self) -> (i32, u32, u32) {
        match self {
            FuzzyDate::Day(date) => (date.year, date.month, date.day),
            FuzzyDate::Month { year, month } => (year, month, 1),
            FuzzyDate::PartOfMonth { part, year, month } => {
                let day = match part {
                    MonthPart::Early => 1,
                    MonthPart::Mid => 15,
                    MonthPart::End => 25,
                };
                (year, month, day)
            }
            FuzzyDate::Season { season, year } => {
                let month = match season {
                    Season::Spring => 3,
                    Season::Summer => 6,
                    Season::Autumn => 9,
                    Season::Winter => 12,
                };
                (year, month, 20)
            }
            FuzzyDate::Quarter { quarter, year } => (year, quarter * 3 - 2, 1),
            FuzzyDate::Half { half, year } => (year, half * 6 - 5, 1),
            FuzzyDate::Year(year) => (year, 1, 1),
        }
    }

    /// The year the date falls in.
    pub fn year(self) -> i32 {
        self.sort_key().0
    }
}

fn parse_numeric(text: &str) -> Option<FuzzyDate> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |part: &str| part.parse::<u32>().ok();
    match parts.as_slice() {
        [year] if year.len() == 4 => Some(FuzzyDate::Year(year.parse().ok()?)),
        [year, month] if year.len() == 4 => {
            let month = number(month).filter(|m| (1..=12).contains(m))?;
            Some(FuzzyDate::Month {
                year: year.parse().ok()?,
                month,
            })
        }
        [_, _, _] => Date::parse(text).map(FuzzyDate::Day),
        _ => None,
    }
}

impl When {
    /// Parses a date or a range `START..END` (also `START to END`).
    pub fn parse(text: &str) -> Option<When> {
        let (start, end) = match text.split_once("..").or_else(|| text.split_once(" to ")) {
            Some((start, end)) => (start, Some(end)),
            None => (text, None),
        };
        let start = FuzzyDate::parse(start)?;
        let end = match end {
            Some(end) => {
                Some(FuzzyDate::parse(end).filter(|end| end.sort_key() >= start.sort_key())?)
            }
            None => None,
        };
        Some(When { start, end })
    }
}

/// One event of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When it happened.
    pub when: When,
    /// What happened, by language code.
    pub text: BTreeMap<String, String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// The chapter telling it (markdown path, relative to a language directory).
    pub chapter: Option<String>,
    /// The runbook of the application concerned (its `name`).
    pub runbook: Option<String>,
    /// The line of the event in timeline.toml.
    pub line: usize,
    /// The line of each of the event's keys in timeline.toml.
    pub key_lines: BTreeMap<String, usize>,
}

impl Event {
    /// The line where `key` is written, else the event's first line.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(self.line)
    }
}

/// The lines of the keys of the entry starting at 1-based `entry_line`.
fn key_lines(lines: &[&str], entry_line: usize) -> BTreeMap<String, usize> {
    lines
        .iter()
        .enumerate()
        .skip(entry_line)
        .take_while(|(_, line)| !line.trim_start().starts_with("[["))
        .filter_map(|(index, line)| {
            let (key, _) = line.split_once('=')?;
            Some((key.trim().to_string(), index + 1))
        })
        .collect()
}

/// The whole timeline, in date order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    /// The events, earliest first (same-date events keep their file order).
    pub events: Vec<Event>,
    /// The tags events may carry, in display order.
    pub tags: Vec<String>,
    /// The file it was read from.
    pub file: std::path::PathBuf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimelineFile {
    #[serde(default)]
    event: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawEvent {
    date: String,
    #[serde(default)]
    tags: Vec<String>,
    chapter: Option<String>,
    runbook: Option<String>,
    #[serde(flatten)]
    text: BTreeMap<String, String>,
}

/// Loads the timeline of the book whose sources are in `src_dir`, if it has one.
pub fn load(
    src_dir: &Path,
    languages: &[Language],
    tags: &[String],
    allowed: &Root,
) -> Result<Option<(Timeline, Vec<Diagnostic>)>, Vec<Diagnostic>> {
    let path = src_dir.join(TIMELINE_FILE);
    if !crate::confine::is_present(&path) {
        return Ok(None);
    }
    let text = allowed.read_text(&path).map_err(|error| vec![error])?;
    let (file, mut warnings): (TimelineFile, _) =
        crate::toml_input::parse(&text, &path, 1).map_err(|error| vec![error])?;
    let text_lines: Vec<&str> = text.lines().collect();
    let entry_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim() == "[[event]]")
        .map(|(index, _)| index + 1)
        .collect();
    let source = &languages[0].code;
    let mut errors = Vec::new();
    let mut events = Vec::new();
    for (index, raw) in file.event.into_iter().enumerate() {
        let line = entry_lines.get(index).copied().unwrap_or(1);
        let keys = key_lines(&text_lines, line);
        let error = |key: &str, message: String, hint: &str| {
            Diagnostic::error("timeline", message)
                .in_file(&path)
                .at_line(keys.get(key).copied().unwrap_or(line))
                .with_hint(hint.to_string())
        };
        let Some(when) = When::parse(&raw.date) else {
            errors.push(error(
                "date",
                format!("`date = \"{}\"` is not a date folio understands", raw.date),
                "write 2018-07-16, 2018-07, 2018, early|mid|end 2018-07, spring|summer|autumn|winter 2018, Q1 2018, H2 2018, or a range START..END",
            ));
            continue;
        };
        if !raw.text.contains_key(source) {
            errors.push(error(
                "date",
                format!("this event has no `{source}` text"),
                "the source language's text is required",
            ));
        }
        for tag in raw.tags.iter().filter(|tag| !tags.contains(tag)) {
            errors.push(error(
                "tags",
                format!("unknown tag `{tag}`"),
                &format!(
                    "allowed tags: {} (set them with [timeline] tags)",
                    tags.join(", ")
                ),
            ));
        }
        for code in raw
            .text
            .keys()
            .filter(|code| !languages.iter().any(|l| &l.code == *code))
        {
            warnings.push(
                error(
                    code,
                    format!("`{code}` is not a language of this book; its text is ignored"),
                    "declare the language, or remove the text",
                )
                .into_warning(),
            );
        }
        events.push(Event {
            when,
            text: raw.text,
            tags: raw.tags,
            chapter: raw.chapter,
            runbook: raw.runbook,
            line,
            key_lines: keys,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    events.sort_by_key(|event| event.when.start.sort_key());
    let timeline = Timeline {
        events,
        tags: tags.to_vec(),
        file: path,
    };
    Ok(Some((timeline, warnings)))
}

/// Checks that every event's chapter and runbook exist in the source edition. A page
/// SUMMARY.md lists that could not be loaded (its own error says why) is not reported
/// again here, nor are runbook names while such a page may hold the runbook.
pub fn check_links(timeline: &Timeline, book: &super::Book) -> Vec<Diagnostic> {
    let source = book.source();
    let some_page_failed = source.has_unloaded_pages();
    let runbooks: Vec<&str> = super::runbooks::of_edition(book, source)
        .iter()
        .map(|(_, meta)| meta.name.as_str())
        .collect();
    let mut problems = Vec::new();
    for event in &timeline.events {
        let error = |key: &str, message: String, hint: String| {
            Diagnostic::error("timeline", message)
                .in_file(&timeline.file)
                .at_line(event.line_of(key))
                .with_hint(hint)
        };
        if let Some(chapter) = event
            .chapter
            .as_deref()
            .filter(|chapter| source.page(chapter).is_none() && !source.lists(chapter))
        {
            problems.push(error(
                "chapter",
                format!("`chapter = \"{chapter}\"` is not a page of the book"),
                "give the chapter's path as in SUMMARY.md, e.g. chapters/03-discovering-cloud.md"
                    .into(),
            ));
        }
        if let Some(runbook) = event
            .runbook
            .as_deref()
            .filter(|runbook| !some_page_failed && !runbooks.contains(runbook))
        {
            problems.push(error(
                "runbook",
                format!("`runbook = \"{runbook}\"` names no runbook"),
                format!("allowed values: {}", runbooks.join(", ")),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_precision_parses() {
        let day = Date {
            year: 2008,
            month: 3,
            day: 19,
        };
        assert_eq!(FuzzyDate::parse("2008-03-19"), Some(FuzzyDate::Day(day)));
        assert_eq!(
            FuzzyDate::parse("2018-11"),
            Some(FuzzyDate::Month {
                year: 2018,
                month: 11
            })
        );
        assert_eq!(FuzzyDate::parse("2017"), Some(FuzzyDate::Year(2017)));
        assert_eq!(
            FuzzyDate::parse("H2 2018"),
            Some(FuzzyDate::Half {
                half: 2,
                year: 2018
            })
        );
        assert_eq!(
            FuzzyDate::parse("Q1 2018"),
            Some(FuzzyDate::Quarter {
                quarter: 1,
                year: 2018
            })
        );
        assert_eq!(
            FuzzyDate::parse("spring 2018"),
            Some(FuzzyDate::Season {
                season: Season::Spring,
                year: 2018
            })
        );
        assert_eq!(
            FuzzyDate::parse("early 2018-05"),
            Some(FuzzyDate::PartOfMonth {
                part: MonthPart::Early,
                year: 2018,
                month: 5
            })
        );
        assert_eq!(
            FuzzyDate::parse("end 2019-08"),
            Some(FuzzyDate::PartOfMonth {
                part: MonthPart::End,
                year: 2019,
                month: 8
            })
        );
        for bad in ["2018-13", "H3 2018", "someday", "2018-02-30x", "18-07"] {
            assert_eq!(FuzzyDate::parse(bad), None, "{bad}");
        }
        let range = When::parse("2018-09..2018-11").unwrap();
        assert_eq!(
            range.end,
            Some(FuzzyDate::Month {
                year: 2018,
                month: 11
            })
        );
        assert!(
            When::parse("2018-11..2018-09").is_none(),
            "a range cannot end before it starts"
        );
        assert!(When::parse("2017-11 to 2018-04").is_some());
    }

    #[test]
    fn imprecise_dates_sort_sensibly() {
        let mut dates: Vec<FuzzyDate> = [
            "H2 2018",
            "2018-07-16",
            "early 2018-07",
            "2018",
            "spring 2018",
            "2018-05",
            "Q1 2018",
            "winter 2018",
            "end 2018-12",
        ]
        .iter()
        .map(|text| FuzzyDate::parse(text).unwrap())
        .collect();
        dates.sort_by_key(|date| date.sort_key());
        let order: Vec<(i32, u32, u32)> = dates.iter().map(|d| d.sort_key()).collect();
        assert_eq!(
            order,
            vec![
                (2018, 1, 1),
                (2018, 1, 1),
                (2018, 3, 20),
                (2018, 5, 1),
                (2018, 7, 1),
                (2018, 7, 1),
                (2018, 7, 16),
                (2018, 12, 20),
                (2018, 12, 25)
            ]
        );
    }
}
