//! mdBook's directive forms: `{{#include PATH[:RANGE|:ANCHOR]}}`,
//! `{{#rustdoc_include PATH[:RANGE|:ANCHOR]}}` and `{{#playground PATH [ATTRIBUTES]}}`,
//! read exactly as mdBook reads them.

use super::directive::{Directive, Form, Selector, SyntaxError};

/// mdBook's forms: `file`, `file:2`, `file:2:`, `file::10`, `file:2:10`, `file:anchor`,
/// and `"a path with spaces":2:10`; words after the target are ignored, as mdBook does.
pub(super) fn parse_include(arguments: &[String], form: Form) -> Result<Directive, SyntaxError> {
    let Some(target) = arguments.first() else {
        return Err(SyntaxError(
            "`{{#include}}` takes a path, e.g. `{{#include file.rs:2:10}}`".into(),
        ));
    };
    let (path, range) = split_target(target);
    let mut parts = range.map(|range| range.splitn(2, ':'));
    let first = parts.as_mut().and_then(Iterator::next);
    let second = parts.as_mut().and_then(Iterator::next);
    // mdBook reads line numbers from 1 (`0` counts as 1) and takes an unreadable end
    // as "to the end of the file".
    let number = |text: &str| text.parse::<usize>().ok().map(|n| n.max(1));
    let selector = match (first, second) {
        (None, _) => Selector::Whole,
        (Some(first), None) => match number(first) {
            Some(line) => Selector::Lines {
                start: Some(line),
                end: Some(line),
            },
            None if first.is_empty() => Selector::Whole,
            None => Selector::Anchor(first.to_string()),
        },
        (Some(start), Some(end)) => match (number(start), start.is_empty()) {
            (None, false) => Selector::Anchor(start.to_string()),
            (start, _) => Selector::Lines {
                start,
                end: end.parse::<usize>().ok(),
            },
        },
    };
    Ok(Directive {
        form,
        source: None,
        path,
        selector,
        language: None,
        dedent: false,
        caption: None,
        pinned: None,
    })
}

/// `{{#playground file.rs editable no_run}}`: the whole file; the attributes go to the
/// code block's info string, which folio does not use.
pub(super) fn parse_playground(arguments: &[String]) -> Result<Directive, SyntaxError> {
    let Some(target) = arguments.first() else {
        return Err(SyntaxError(
            "`{{#playground}}` takes a path, e.g. `{{#playground example.rs}}`".into(),
        ));
    };
    let (path, _) = split_target(target);
    Ok(Directive {
        form: Form::Playground,
        source: None,
        path,
        selector: Selector::Whole,
        language: Some("rust".into()),
        dedent: false,
        caption: None,
        pinned: None,
    })
}

/// `file.rs:2:10` -> (`file.rs`, `2:10`); `"my file.rs":2` -> (`my file.rs`, `2`).
fn split_target(target: &str) -> (String, Option<&str>) {
    if let Some(quoted) = target.strip_prefix('"') {
        let mut path = String::new();
        let mut characters = quoted.char_indices();
        while let Some((index, character)) = characters.next() {
            match character {
                '\\' => path.extend(characters.next().map(|(_, next)| next)),
                '"' => {
                    let rest = &quoted[index + 1..];
                    return (path, rest.strip_prefix(':'));
                }
                other => path.push(other),
            }
        }
        return (path, None);
    }
    match target.split_once(':') {
        Some((path, range)) => (path.to_string(), Some(range)),
        None => (target.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::super::directive::{Selector, parse};

    #[test]
    fn includes_follow_mdbook() {
        assert_eq!(
            parse("{{#include a.rs}}").unwrap().selector,
            Selector::Whole
        );
        assert_eq!(
            parse("{{#include a.rs:2}}").unwrap().selector,
            Selector::Lines {
                start: Some(2),
                end: Some(2)
            }
        );
        assert_eq!(
            parse("{{#include a.rs:2:}}").unwrap().selector,
            Selector::Lines {
                start: Some(2),
                end: None
            }
        );
        assert_eq!(
            parse("{{#include a.rs::10}}").unwrap().selector,
            Selector::Lines {
                start: None,
                end: Some(10)
            }
        );
        assert_eq!(
            parse("{{#include a.rs:2:10}}").unwrap().selector,
            Selector::Lines {
                start: Some(2),
                end: Some(10)
            }
        );
        assert_eq!(
            parse("{{#include a.rs:setup}}").unwrap().selector,
            Selector::Anchor("setup".into())
        );
        assert_eq!(parse("{{#include a.rs:2:10}}").unwrap().source, None);
    }
}
