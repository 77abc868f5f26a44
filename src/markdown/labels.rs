//! Numbers for figures and tables across an edition, so that a caption says
//! "Figure 4" and a cross-reference in another chapter says the same.

use super::structure::{Caption, CaptionKind};
use crate::config::CaptionNumbering;
use std::collections::HashMap;

/// A numbered figure or table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Figure or table.
    pub kind: CaptionKind,
    /// Its number as shown ("4", "2.1").
    pub number: String,
    /// The page it is on (markdown path).
    pub page_path: String,
}

/// Every label of one edition, by id.
#[derive(Debug, Default, Clone)]
pub struct Labels {
    by_id: HashMap<String, Label>,
}

/// One page's captions, in reading order, with the page's chapter number.
pub struct PageCaptions<'a> {
    /// The page's markdown path.
    pub page_path: &'a str,
    /// The chapter number, if numbered.
    pub chapter: Option<&'a [u32]>,
    /// Its figures and tables.
    pub captions: &'a [Caption],
}

impl Labels {
    /// Numbers the captions of every page; also returns the ids given twice.
    pub fn number(
        pages: &[PageCaptions<'_>],
        numbering: CaptionNumbering,
    ) -> (Labels, Vec<(String, String)>) {
        let mut labels = Labels::default();
        let mut duplicates = Vec::new();
        let mut book_counts: HashMap<&str, u32> = HashMap::new();
        for page in pages {
            let mut chapter_counts: HashMap<&str, u32> = HashMap::new();
            for caption in page.captions {
                let kind_key = match caption.kind {
                    CaptionKind::Figure => "figure",
                    CaptionKind::Table => "table",
                };
                let number = match (numbering, page.chapter) {
                    (CaptionNumbering::Chapter, Some(chapter)) => {
                        let count = chapter_counts.entry(kind_key).or_default();
                        *count += 1;
                        let prefix: Vec<String> = chapter.iter().map(u32::to_string).collect();
                        format!("{}.{count}", prefix.join("."))
                    }
                    _ => {
                        let count = book_counts.entry(kind_key).or_default();
                        *count += 1;
                        count.to_string()
                    }
                };
                let label = Label {
                    kind: caption.kind,
                    number,
                    page_path: page.page_path.to_string(),
                };
                if labels.by_id.insert(caption.id.clone(), label).is_some() {
                    duplicates.push((caption.id.clone(), page.page_path.to_string()));
                }
            }
        }
        (labels, duplicates)
    }

    /// The label with this id.
    pub fn get(&self, id: &str) -> Option<&Label> {
        self.by_id.get(id)
    }
}
