//! The snippet selectors (line ranges, anchors, regex ranges, YAML paths, HCL blocks):
//! the first line of the input is the selector as a book writes it, the rest the file
//! it cuts from, read as YAML, Terraform or plain text by the first byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let Some((selector, text)) = input.split_once('\n') else {
        return;
    };
    let file = match selector.bytes().next().map(|byte| byte % 3) {
        Some(0) => "values.yaml",
        Some(1) => "main.tf",
        _ => "script.sh",
    };
    let directive = format!("{{{{#snippet src:{file} {selector}}}}}");
    if let Ok(parsed) = folio::snippets::directive::parse(&directive) {
        let _ = folio::snippets::select::select(text, &parsed.selector, file);
    }
});
