//! The `{{#snippet}}` / `{{#include}}` directive parser on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = folio::snippets::directive::parse(text);
    let _ = folio::snippets::directive::is_directive(text);
});
