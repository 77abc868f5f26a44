//! Filling the theme's interface strings: `{placeholder}` substitution and dates
//! written the way each language writes them ("4 décembre 2018", "December 4, 2018").

use super::theme::UiStrings;
use crate::book::history::Date;
use crate::book::timeline::{FuzzyDate, MonthPart, Season, When};

/// The string `key` with each `{name}` replaced by its value; the key itself if missing.
pub fn fill(ui: &UiStrings, key: &str, values: &[(&str, &str)]) -> String {
    let mut text = ui.get(key).cloned().unwrap_or_else(|| key.to_string());
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// `date` in the language of `ui`: its `months`, `date_format` and optional `first_day`.
pub fn date(ui: &UiStrings, date: Date) -> String {
    let month = ui
        .get("months")
        .and_then(|months| months.split_whitespace().nth(date.month as usize - 1))
        .map_or_else(|| format!("{:02}", date.month), str::to_string);
    let day = match ui.get("first_day") {
        Some(first) if date.day == 1 => first.clone(),
        _ => date.day.to_string(),
    };
    let year = date.year.to_string();
    let format = if ui.contains_key("date_format") {
        "date_format"
    } else {
        "{year}-{month}-{day}"
    };
    fill(
        ui,
        format,
        &[("day", &day), ("month", &month), ("year", &year)],
    )
}

/// An imprecise date in the language of `ui` ("second semestre 2018", "mid-April 2019").
pub fn fuzzy_date(ui: &UiStrings, date: FuzzyDate) -> String {
    let month_name = |month: u32| {
        ui.get("months")
            .and_then(|months| months.split_whitespace().nth(month as usize - 1))
            .map_or_else(|| format!("{month:02}"), str::to_string)
    };
    match date {
        FuzzyDate::Day(day) => self::date(ui, day),
        FuzzyDate::Year(year) => year.to_string(),
        FuzzyDate::Month { year, month } => fill(
            ui,
            "date_month",
            &[("month", &month_name(month)), ("year", &year.to_string())],
        ),
        FuzzyDate::PartOfMonth { part, year, month } => {
            let key = match part {
                MonthPart::Early => "date_early",
                MonthPart::Mid => "date_mid",
                MonthPart::End => "date_end",
            };
            fill(
                ui,
                key,
                &[("month", &month_name(month)), ("year", &year.to_string())],
            )
        }
        FuzzyDate::Season { season, year } => {
            let key = match season {
                Season::Spring => "date_spring",
                Season::Summer => "date_summer",
                Season::Autumn => "date_autumn",
                Season::Winter => "date_winter",
            };
            fill(ui, key, &[("year", &year.to_string())])
        }
        FuzzyDate::Quarter { quarter, year } => fill(
            ui,
            &format!("date_quarter_{quarter}"),
            &[("year", &year.to_string())],
        ),
        FuzzyDate::Half { half, year } => fill(
            ui,
            &format!("date_half_{half}"),
            &[("year", &year.to_string())],
        ),
    }
}

/// A date or a range ("septembre 2018 – novembre 2018").
pub fn when(ui: &UiStrings, when: When) -> String {
    match when.end {
        Some(end) => format!("{} – {}", fuzzy_date(ui, when.start), fuzzy_date(ui, end)),
        None => fuzzy_date(ui, when.start),
    }
}

/// The `datetime` attribute for a date: as precise as the date is.
pub fn machine_date(date: FuzzyDate) -> String {
    match date {
        FuzzyDate::Day(day) => format!("{:04}-{:02}-{:02}", day.year, day.month, day.day),
        FuzzyDate::Month { year, month } | FuzzyDate::PartOfMonth { year, month, .. } => {
            format!("{year:04}-{month:02}")
        }
        other => format!("{:04}", other.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(pairs: &[(&str, &str)]) -> UiStrings {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn dates_follow_the_language() {
        let french = strings(&[
            (
                "months",
                "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
            ),
            ("date_format", "{day} {month} {year}"),
            ("first_day", "1er"),
        ]);
        let english = strings(&[
            (
                "months",
                "January February March April May June July August September October November December",
            ),
            ("date_format", "{month} {day}, {year}"),
        ]);
        let date_of = |day| Date {
            year: 2018,
            month: 12,
            day,
        };
        assert_eq!(date(&french, date_of(4)), "4 décembre 2018");
        assert_eq!(date(&french, date_of(1)), "1er décembre 2018");
        assert_eq!(date(&english, date_of(4)), "December 4, 2018");
    }
}
