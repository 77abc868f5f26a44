//! The line-range syntax of includes and snippets (`FILE:START:END`, `lines=A-B`, open
//! ends, zero, reversed, huge or malformed numbers) on any file: never a panic, and a
//! range that is accepted cuts whole, consecutive lines of the file.
#![no_main]

use folio::snippets::directive::{Selector, parse};
use folio::snippets::select::select;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (range, file) = text.split_once('\n').unwrap_or((text, ""));
    for directive in [
        format!("{{{{#include f.txt:{range}}}}}"),
        format!("{{{{#snippet s:f.txt lines={range}}}}}"),
    ] {
        let Ok(parsed) = parse(&directive) else {
            continue;
        };
        let Ok(cut) = select(file, &parsed.selector, "f.txt") else {
            continue;
        };
        if let Selector::Lines { .. } = parsed.selector {
            // Line ends aside (a lone `\r` at the very end, CRLF files), the same lines.
            let lines: Vec<&str> = file.lines().map(|l| l.trim_end_matches('\r')).collect();
            let cut: Vec<&str> = cut.lines().map(|l| l.trim_end_matches('\r')).collect();
            assert!(
                cut.is_empty() || lines.windows(cut.len()).any(|window| window == cut.as_slice()),
                "{directive} cut lines that are not consecutive lines of the file"
            );
        }
    }
});
