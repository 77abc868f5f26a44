//! mdBook's hidden code lines: in a Rust block, a line written `# code` (or a lone `#`)
//! is compiled but not shown, and `##` stands for a shown `#`; in another language, the
//! lines starting with the prefix `[output.html.code.hidelines]` (or the block's own
//! `hidelines=PREFIX`) gives. The site hides them behind a button; print and EPUB leave
//! them out.

/// A code block's text with the hiding markers taken off, and which lines are hidden;
/// `None` when no line is.
pub fn hidden_lines(
    code: &str,
    language: &str,
    prefix: Option<&str>,
) -> Option<(String, Vec<bool>)> {
    if language != "rust" && prefix.is_none_or(str::is_empty) {
        return None;
    }
    let mut text = String::with_capacity(code.len());
    let mut hidden = Vec::new();
    for line in code.split_inclusive('\n') {
        let (body, ending) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let (shown, is_hidden) = if language == "rust" {
            rust_line(body)
        } else {
            prefixed_line(body, prefix.unwrap_or_default())
        };
        text.push_str(&shown);
        text.push_str(ending);
        hidden.push(is_hidden);
    }
    hidden.iter().any(|&h| h).then_some((text, hidden))
}

/// mdBook's rule for Rust: after the indentation, `#` then nothing or a space hides the
/// line (the two characters go); `##` shows one `#`; `#!`, `#[` and the rest are code.
fn rust_line(line: &str) -> (String, bool) {
    let indentation = &line[..line.len() - line.trim_start().len()];
    let Some(after_hash) = line[indentation.len()..].strip_prefix('#') else {
        return (line.to_string(), false);
    };
    let mut characters = after_hash.chars();
    match characters.next() {
        None => (indentation.to_string(), true),
        Some(' ') => (format!("{indentation}{}", characters.as_str()), true),
        Some('#') => (format!("{indentation}{after_hash}"), false),
        Some(_) => (line.to_string(), false),
    }
}

/// A line starting (after its indentation) with `prefix` is hidden, the prefix taken off.
fn prefixed_line(line: &str, prefix: &str) -> (String, bool) {
    let indentation = &line[..line.len() - line.trim_start().len()];
    match line[indentation.len()..].strip_prefix(prefix) {
        Some(rest) => (format!("{indentation}{rest}"), true),
        None => (line.to_string(), false),
    }
}

/// The `hidelines=PREFIX` word of a fence's info string (`python,hidelines=!!!`).
pub fn fence_prefix(info: &str) -> Option<String> {
    info.split([' ', ','])
        .find_map(|word| word.strip_prefix("hidelines="))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_lines_hide_as_mdbook_hides_them() {
        let code = "# use std::fmt;\n#\nfn main() {\n    # let hidden = 1;\n    ## not hidden\n    #[derive(Debug)]\n#![allow(unused)]\n#x\n}";
        let (text, hidden) = hidden_lines(code, "rust", None).unwrap();
        assert_eq!(
            text,
            "use std::fmt;\n\nfn main() {\n    let hidden = 1;\n    # not hidden\n    #[derive(Debug)]\n#![allow(unused)]\n#x\n}"
        );
        assert_eq!(
            hidden,
            [true, true, false, true, false, false, false, false, false]
        );
        assert!(hidden_lines("fn main() {}\n", "rust", None).is_none());
        assert!(hidden_lines("# a comment\n", "sh", None).is_none());
    }

    #[test]
    fn other_languages_hide_lines_by_prefix() {
        let (text, hidden) =
            hidden_lines("~import os\nprint(1)\n  ~x = 2\n", "python", Some("~")).unwrap();
        assert_eq!(text, "import os\nprint(1)\n  x = 2\n");
        assert_eq!(hidden, [true, false, true]);
        assert_eq!(fence_prefix("python,hidelines=!!!"), Some("!!!".into()));
        assert_eq!(fence_prefix("python"), None);
    }
}
