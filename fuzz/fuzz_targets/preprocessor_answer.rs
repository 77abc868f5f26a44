//! What a preprocessor answers (a stranger's standard output), read back as a book: any
//! bytes give a book or an error saying what was wrong, never a panic or a hang.
#![no_main]

use folio::build::preprocessors::protocol::read_answer;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// What folio sent: two chapters (one nested), a separator, a part title and a draft.
static SENT: LazyLock<serde_json::Value> = LazyLock::new(|| {
    serde_json::json!([
        {"Chapter": {"name": "Intro", "content": "# Intro\n", "number": [1], "path": "intro.md",
            "source_path": "intro.md", "parent_names": [], "sub_items": [
            {"Chapter": {"name": "Nested", "content": "# Nested\n", "number": [1, 1],
                "path": "intro/nested.md", "source_path": "intro/nested.md",
                "parent_names": ["Intro"], "sub_items": []}}
        ]}},
        "Separator",
        {"PartTitle": "Part"},
        {"Chapter": {"name": "Draft", "content": "", "number": null, "path": null,
            "source_path": null, "parent_names": [], "sub_items": []}}
    ])
});

fuzz_target!(|bytes: &[u8]| {
    if let Ok(answer) = read_answer(bytes, &SENT) {
        // Only chapters folio sent come back as page text; the others are named.
        for path in answer.contents.keys() {
            assert!(path == "intro.md" || path == "intro/nested.md", "{path}");
        }
    }
});
