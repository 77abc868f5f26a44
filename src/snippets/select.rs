//! Cutting the selected part out of a file's text: by lines, anchors, regex, or
//! structure (YAML path, HCL block, in their own modules). Every selector cuts the
//! original text, comments and formatting kept.

use super::cut::{SelectionError, dedent, join_lines};
use super::directive::Selector;
use super::{hcl, yaml};

/// The part of `text` that `selector` names; `path` tells the file's kind.
pub fn select(text: &str, selector: &Selector, path: &str) -> Result<String, SelectionError> {
    match selector {
        Selector::Whole => Ok(text.to_string()),
        Selector::Lines { start, end } => lines(text, *start, *end),
        Selector::Anchor(name) => anchor(text, name),
        Selector::Regex { start, end } => regex(text, start, end),
        Selector::YamlPath(steps) => yaml::select(text, steps, path),
        Selector::HclBlock(parts) => hcl::select(text, parts).map(|cut| dedent(&cut)),
    }
}

/// mdBook's `{{#include FILE:START:END}}`: the lines of the range that exist, and a
/// note saying what was cut when the range reaches past the file (mdBook takes the
/// lines that exist, silently). A range that ends before it starts is an error (mdBook
/// shows nothing).
pub fn clamped_lines(
    text: &str,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<(String, Option<String>), SelectionError> {
    let all: Vec<&str> = text.lines().collect();
    let first = start.unwrap_or(1);
    if let Some(last) = end.filter(|&last| first > last) {
        return Err(reversed(first, last));
    }
    let last = end.unwrap_or(all.len()).max(first.min(all.len()));
    let note = (last > all.len() || first > all.len()).then(|| {
        format!(
            "lines {first}-{} reach past the end of the file, which has {} lines; {}",
            end.map_or_else(String::new, |end| end.to_string()),
            all.len(),
            if first > all.len() {
                "nothing is included".to_string()
            } else {
                format!("lines {first}-{} are included", all.len())
            }
        )
    });
    let kept = all.get(first - 1..last.min(all.len())).unwrap_or_default();
    let text = if kept.is_empty() {
        String::new()
    } else {
        join_lines(kept)
    };
    Ok((text, note))
}

/// mdBook's `{{#include FILE:NAME}}` as mdBook 0.5 reads it: the lines after
/// `ANCHOR: NAME` up to `ANCHOR_END: NAME`, every marker line among them left out; to the
/// end of the file when the anchor has no end (a second `ANCHOR: NAME` is no end), and
/// nothing when the file has no such anchor. The note says which of the two happened.
pub fn mdbook_anchor(text: &str, name: &str) -> (String, Option<String>) {
    let mut kept: Vec<&str> = Vec::new();
    let mut found = false;
    let mut ended = false;
    for line in text.lines() {
        if !found {
            found = marker_name(line, "ANCHOR:") == Some(name);
        } else if marker_name(line, "ANCHOR_END:") == Some(name) {
            ended = true;
            break;
        } else if !is_anchor_marker(line) {
            kept.push(line);
        }
    }
    let note = match (found, ended) {
        (false, _) => Some(format!(
            "the file has no `ANCHOR: {name}`: nothing is included, as mdBook does"
        )),
        (true, false) => Some(format!(
            "`ANCHOR: {name}` has no `ANCHOR_END: {name}`: the lines to the end of the file are included, as mdBook does"
        )),
        (true, true) => None,
    };
    let text = if kept.is_empty() {
        String::new()
    } else {
        join_lines(&kept)
    };
    (text, note)
}

/// mdBook's `{{#rustdoc_include}}`: the whole file, every line outside the selection
/// written behind `# ` (a hidden line of a Rust code block) and anchor marker lines
/// left out; `None` for a selector it does not take.
pub fn hidden_outside(text: &str, selector: &Selector) -> Option<String> {
    let mut shown = String::with_capacity(text.len() + text.len() / 8);
    let mut push = |line: &str, visible: bool| {
        if !visible {
            shown.push_str("# ");
        }
        shown.push_str(line);
        shown.push('\n');
    };
    match selector {
        Selector::Whole => return Some(text.to_string()),
        Selector::Lines { start, end } => {
            let range = start.unwrap_or(1)..=end.unwrap_or(usize::MAX);
            for (index, line) in text.lines().enumerate() {
                push(line, range.contains(&(index + 1)));
            }
        }
        Selector::Anchor(name) => {
            let mut inside = false;
            // As mdBook reads them: inside the anchor an end marker counts first, outside
            // a start marker; every marker line is left out.
            for line in text.lines() {
                let (first, second) = if inside {
                    ("ANCHOR_END:", "ANCHOR:")
                } else {
                    ("ANCHOR:", "ANCHOR_END:")
                };
                if let Some(marker) = marker_name(line, first) {
                    if marker == name {
                        inside = !inside;
                    }
                } else if marker_name(line, second).is_none() {
                    push(line, inside);
                }
            }
        }
        _ => return None,
    }
    Some(shown)
}

/// The 1-based first and last lines of `file` that `cut` was taken from: the first run
/// of lines holding the cut's lines (indentation and line ends aside), if any.
pub fn line_range(file: &str, cut: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = file.lines().map(str::trim).collect();
    let cut: Vec<&str> = cut.lines().map(str::trim).collect();
    let first = cut.first()?;
    (0..lines.len())
        .find(|&start| {
            start + cut.len() <= lines.len()
                && lines[start].ends_with(first)
                && cut[1..]
                    .iter()
                    .enumerate()
                    .all(|(k, line)| lines[start + 1 + k] == *line)
        })
        .map(|start| (start + 1, start + cut.len()))
}

/// `text` without its anchor marker lines (`ANCHOR: name`, `ANCHOR_END: name`): what a
/// `{{#snippet}}` shows whatever its selector (`{{#include}}` keeps them outside an
/// anchor selection, as mdBook does).
pub fn without_anchor_markers(text: &str) -> String {
    if !text.contains("ANCHOR") {
        return text.to_string();
    }
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| !is_anchor_marker(line))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        join_lines(&kept)
    }
}

/// True for a line holding an mdBook anchor marker: `ANCHOR: name` or `ANCHOR_END: name`.
fn is_anchor_marker(line: &str) -> bool {
    marker_name(line, "ANCHOR:").is_some() || marker_name(line, "ANCHOR_END:").is_some()
}

/// The anchor name after `marker` (`ANCHOR:` or `ANCHOR_END:`) in a line, if any.
fn marker_name<'l>(line: &'l str, marker: &str) -> Option<&'l str> {
    let at = line.find(marker)?;
    let name = line[at + marker.len()..].split_whitespace().next()?;
    let name = &name[..name
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(name.len())];
    (!name.is_empty()).then_some(name)
}

fn lines(text: &str, start: Option<usize>, end: Option<usize>) -> Result<String, SelectionError> {
    let all: Vec<&str> = text.lines().collect();
    let start = start.unwrap_or(1);
    let end = end.unwrap_or(all.len());
    if end < start {
        return Err(reversed(start, end));
    }
    if start == 0 || start > all.len() || end > all.len() {
        return Err(SelectionError::new(
            format!(
                "lines {start}-{end} are outside the file, which has {} lines",
                all.len()
            ),
            "fix the range, or select by anchor= or structure so that edits do not shift it",
        ));
    }
    Ok(join_lines(&all[start - 1..end]))
}

/// A line range that ends before it starts.
fn reversed(first: usize, last: usize) -> SelectionError {
    SelectionError::new(
        format!("the range {first}:{last} ends before it starts"),
        "write the first line, then the last: `FILE:START:END` with START <= END",
    )
}

/// mdBook's anchors: the lines between `ANCHOR: name` and `ANCHOR_END: name`, every
/// anchor marker line removed.
fn anchor(text: &str, name: &str) -> Result<String, SelectionError> {
    let is_marker = |line: &str, marker: &str| marker_name(line, marker) == Some(name);
    let all: Vec<&str> = text.lines().collect();
    let start = all
        .iter()
        .position(|line| is_marker(line, "ANCHOR:"))
        .ok_or_else(|| {
            SelectionError::new(
                format!("no `ANCHOR: {name}` marker in the file"),
                "add `ANCHOR: NAME` and `ANCHOR_END: NAME` comment lines around the part to embed",
            )
        })?;
    // The end marker is on a later line (one line holding both markers is no range).
    let end = all[start + 1..]
        .iter()
        .position(|line| is_marker(line, "ANCHOR_END:"))
        .map(|offset| start + 1 + offset)
        .ok_or_else(|| {
            SelectionError::new(
                format!("`ANCHOR: {name}` has no `ANCHOR_END: {name}`"),
                "close the anchor with an `ANCHOR_END: NAME` line",
            )
        })?;
    let kept: Vec<&str> = all[start + 1..end]
        .iter()
        .copied()
        .filter(|line| !is_anchor_marker(line))
        .collect();
    Ok(join_lines(&kept))
}

fn regex(text: &str, start: &str, end: &str) -> Result<String, SelectionError> {
    let compile = |pattern: &str| {
        regex::Regex::new(pattern).map_err(|error| {
            SelectionError::new(
                format!("`{pattern}` is not a valid regular expression: {error}"),
                "fix the pattern (Rust regex syntax)",
            )
        })
    };
    let (start_pattern, end_pattern) = (compile(start)?, compile(end)?);
    let all: Vec<&str> = text.lines().collect();
    let first = all
        .iter()
        .position(|line| start_pattern.is_match(line))
        .ok_or_else(|| {
            SelectionError::new(
                format!("no line matches `{start}`"),
                "fix the start pattern",
            )
        })?;
    let last = all[first + 1..]
        .iter()
        .position(|line| end_pattern.is_match(line))
        .map(|offset| first + 1 + offset)
        .ok_or_else(|| {
            SelectionError::new(
                format!("no line after line {} matches `{end}`", first + 1),
                "fix the end pattern",
            )
        })?;
    Ok(join_lines(&all[first..=last]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "one\n  two\n  # ANCHOR: middle\n  three\n  # ANCHOR: inner\n  four\n  # ANCHOR_END: inner\n  # ANCHOR_END: middle\nfive\n";

    #[test]
    fn rustdoc_include_hides_what_is_outside_as_mdbook_does() {
        let lines = |start, end| Selector::Lines { start, end };
        let text = "Lorem\nipsum\ndolor\nsit\namet\n";
        assert_eq!(
            hidden_outside(text, &lines(Some(2), Some(3))).unwrap(),
            "# Lorem\nipsum\ndolor\n# sit\n# amet\n"
        );
        assert_eq!(
            hidden_outside(text, &lines(Some(4), None)).unwrap(),
            "# Lorem\n# ipsum\n# dolor\nsit\namet\n"
        );
        assert_eq!(hidden_outside(text, &lines(None, Some(100))).unwrap(), text);
        let anchored = "Lorem\nANCHOR: test\nipsum\nANCHOR_END: test\ndolor\nANCHOR: test\nsit\nANCHOR_END: test\namet\n";
        assert_eq!(
            hidden_outside(anchored, &Selector::Anchor("test".into())).unwrap(),
            "# Lorem\nipsum\n# dolor\nsit\n# amet\n"
        );
        let nested = "Lorem\nANCHOR:    test2\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nANCHOR_END:test2\nipsum\n";
        assert_eq!(
            hidden_outside(nested, &Selector::Anchor("test2".into())).unwrap(),
            "# Lorem\nipsum\ndolor\nsit\namet\nlorem\n# ipsum\n"
        );
    }

    #[test]
    fn include_ranges_past_the_end_take_the_lines_that_exist() {
        let text = "a\nb\nc\n";
        assert_eq!(
            clamped_lines(text, Some(2), Some(3)),
            Ok(("b\nc\n".into(), None))
        );
        let (kept, note) = clamped_lines(text, Some(2), Some(12)).unwrap();
        assert_eq!(kept, "b\nc\n");
        assert!(note.unwrap().contains("lines 2-3 are included"));
        let (kept, note) = clamped_lines(text, Some(6), Some(12)).unwrap();
        assert_eq!(kept, "");
        assert!(note.unwrap().contains("nothing is included"));
        let (kept, note) = clamped_lines(text, Some(6), None).unwrap();
        assert_eq!(kept, "");
        assert!(note.unwrap().contains("nothing is included"));
        assert!(clamped_lines(text, Some(3), Some(2)).is_err());
        assert_eq!(clamped_lines(text, None, None).unwrap().0, text);
        assert_eq!(clamped_lines(text, Some(2), None).unwrap().0, "b\nc\n");
    }

    #[test]
    fn both_markers_on_one_line_are_no_range_and_no_panic() {
        let file = "// ANCHOR: x ANCHOR_END: x\ncode\n// ANCHOR_END: x\n";
        assert_eq!(
            select(file, &Selector::Anchor("x".into()), "f.rs").unwrap(),
            "code\n"
        );
        let alone = "// ANCHOR: x ANCHOR_END: x\ncode\n";
        assert!(select(alone, &Selector::Anchor("x".into()), "f.rs").is_err());
    }

    #[test]
    fn anchor_markers_never_show_whatever_the_selector() {
        let file = "resource \"aws_s3_bucket\" \"logs\" {\n  # ANCHOR: name\n  bucket = \"logs\"\n  # ANCHOR_END: name\n}\n";
        let block = Selector::HclBlock(vec![
            "resource".into(),
            "aws_s3_bucket".into(),
            "logs".into(),
        ]);
        let shown = |selector: &Selector| {
            without_anchor_markers(&select(file, selector, "main.tf").unwrap())
        };
        assert_eq!(
            shown(&block),
            "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n"
        );
        assert_eq!(
            shown(&Selector::Whole),
            "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n"
        );
        let mention = "# see ANCHOR: docs in the README, and ANCHOR_END:\nx = 1\n";
        assert_eq!(
            without_anchor_markers(mention),
            "x = 1\n",
            "a marker with a name is a marker"
        );
    }

    #[test]
    fn mdbook_anchors_run_to_the_end_or_give_nothing_with_a_note() {
        let open =
            "use std::io;\n// ANCHOR: main\nfn main() {\n    // ANCHOR: inner\n    run();\n}\n";
        let (text, note) = mdbook_anchor(open, "main");
        assert_eq!(text, "fn main() {\n    run();\n}\n");
        assert!(note.unwrap().contains("to the end of the file"));
        // A second start marker where the end should be: still to the end.
        let twice = "// ANCHOR: all\nfn a() {}\n// ANCHOR: all\n";
        assert_eq!(mdbook_anchor(twice, "all").0, "fn a() {}\n");
        let (text, note) = mdbook_anchor(open, "gone");
        assert_eq!(text, "");
        assert!(note.unwrap().contains("no `ANCHOR: gone`"));
        let closed = "// ANCHOR: x\nkept\n// ANCHOR_END: x\nleft\n";
        assert_eq!(mdbook_anchor(closed, "x"), ("kept\n".to_string(), None));
    }

    #[test]
    fn lines_anchors_and_regexes() {
        assert_eq!(lines(FILE, Some(2), Some(2)).unwrap(), "  two\n");
        assert_eq!(lines(FILE, Some(9), None).unwrap(), "five\n");
        assert_eq!(lines(FILE, None, Some(1)).unwrap(), "one\n");
        assert!(lines(FILE, Some(5), Some(90)).is_err());
        assert_eq!(anchor(FILE, "middle").unwrap(), "  three\n  four\n");
        assert_eq!(anchor(FILE, "inner").unwrap(), "  four\n");
        assert!(anchor(FILE, "nowhere").is_err());
        assert_eq!(
            regex(FILE, "^one", "three").unwrap(),
            "one\n  two\n  # ANCHOR: middle\n  three\n"
        );
        assert!(regex(FILE, "^six", "x").is_err());
        assert_eq!(dedent("    a\n      b\n\n    c\n"), "a\n  b\n\nc\n");
    }
}
