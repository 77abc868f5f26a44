//! The markdown transform (numbered headings, ids, asides, figures, tables, footnotes,
//! cross-references, typography, highlighting, link rewriting) on any page text.
#![no_main]

use folio::confine::Root;
use folio::diagnostic::Diagnostic;
use folio::highlight::Highlighter;
use folio::markdown::labels::Labels;
use folio::markdown::{self, Blocks, Embeds, Environment, PageSource};
use folio::snippets::embed::Embedded;
use folio::typography::{Typographer, TypographyRules};
use libfuzzer_sys::fuzz_target;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// Grammars load once per process, as in a build.
static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);
static ROOT: LazyLock<Root> = LazyLock::new(|| Root::new(&std::env::temp_dir()).unwrap());

struct NoBlocks;

impl Blocks for NoBlocks {
    fn render(&self, name: &str, _page_path: &str) -> Option<String> {
        (name == "timeline").then(|| "<ol></ol>".to_string())
    }

    fn names(&self) -> Vec<&'static str> {
        vec!["timeline"]
    }
}

struct NoEmbeds;

impl Embeds for NoEmbeds {
    fn embed(&self, directive: &str, _from: &Path) -> Result<Embedded, Diagnostic> {
        Err(Diagnostic::error(
            "snippet",
            format!("not embedded: {directive}"),
        ))
    }
}

fuzz_target!(|text: &str| {
    let pages: HashSet<String> = ["intro.md", "chapters/02.md"].map(String::from).into();
    let labels = Labels::default();
    let strings = BTreeMap::new();
    let roots: [PathBuf; 0] = [];
    for language in ["fr", "en"] {
        let environment = Environment {
            highlighter: &HIGHLIGHTER,
            pages: &pages,
            number_headings: true,
            typographer: Typographer::new(language, TypographyRules::default()),
            labels: &labels,
            strings: &strings,
            blocks: &NoBlocks,
            embeds: &NoEmbeds,
            asset_roots: &roots,
            allowed: &ROOT,
            hidelines: &strings,
            heading_ids: if language == "fr" {
                folio::slug::HeadingIds::Folded
            } else {
                folio::slug::HeadingIds::Mdbook
            },
        };
        let source = PageSource {
            markdown: text,
            file: Path::new("chapters/02.md"),
            first_line: 1,
            page_path: "chapters/02.md",
            number: Some(&[2]),
            number_sections: true,
        };
        let _ = markdown::render(&source, &environment);
        let _ = markdown::captions(text);
    }
});
