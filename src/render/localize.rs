//! Filling the theme's interface strings: `{placeholder}` substitution and dates
//! written the way each language writes them ("4 décembre 2018", "December 4, 2018").

use super::theme::UiStrings;
use crate::book::history::Date;

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
