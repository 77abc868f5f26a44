//! The `+++` TOML front-matter splitter on any page text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    if let Ok(split) = folio::book::front_matter::split(text, Path::new("page.md")) {
        // The body is a suffix of the page: the splitter never invents text.
        assert!(text.ends_with(split.body.as_str()) || split.body.is_empty());
    }
});
