//! The SUMMARY.md parser on any text: never a panic, and every chapter path it accepts
//! stays inside the book.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    if let Ok(summary) = folio::book::summary::parse(text, Path::new("SUMMARY.md")) {
        for chapter in summary.chapters() {
            if let Some(path) = &chapter.path {
                assert!(folio::confine::normalize(path).is_ok(), "{path} escapes");
            }
        }
    }
});
