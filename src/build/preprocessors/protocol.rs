//! mdBook's preprocessor exchange, the data half: an edition as the book JSON a
//! preprocessor reads, and its answer read back strictly (it is a stranger's output):
//! a book, or an error saying what was wrong; chapters it added, which folio cannot
//! place, named in a warning.
//!
//! mdBook 0.5 names the book's list `items`, 0.4 named it `sections`: folio sends both
//! (the same list) and takes back whichever the preprocessor changed.

use crate::book::summary::SummaryItem;
use crate::book::{Edition, PageContent};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

/// An edition as mdBook's list of book items: chapters nested under their parents.
pub fn items_of(edition: &Edition) -> Value {
    let mut stack: Vec<(usize, Vec<Value>, Value)> = Vec::new();
    let mut top: Vec<Value> = Vec::new();
    let close =
        |stack: &mut Vec<(usize, Vec<Value>, Value)>, top: &mut Vec<Value>, depth: usize| {
            while stack.last().is_some_and(|(d, _, _)| *d >= depth) {
                let (_, children, mut chapter) = stack.pop().expect("checked");
                chapter["sub_items"] = Value::Array(children);
                let item = json!({ "Chapter": chapter });
                match stack.last_mut() {
                    Some((_, siblings, _)) => siblings.push(item),
                    None => top.push(item),
                }
            }
        };
    for item in &edition.summary.items {
        match item {
            SummaryItem::PartTitle(title) => {
                close(&mut stack, &mut top, 0);
                top.push(json!({ "PartTitle": title }));
            }
            SummaryItem::Separator => {
                close(&mut stack, &mut top, 0);
                top.push(json!("Separator"));
            }
            SummaryItem::Chapter(entry) => {
                close(&mut stack, &mut top, entry.depth);
                let content = entry
                    .path
                    .as_deref()
                    .and_then(|path| edition.pages.iter().find(|page| page.path == path))
                    .and_then(|page| match &page.content {
                        PageContent::Written(written) => Some(written.markdown.to_string()),
                        _ => None,
                    })
                    .unwrap_or_default();
                let parent_names: Vec<Value> = stack
                    .iter()
                    .map(|(_, _, chapter)| chapter["name"].clone())
                    .collect();
                let chapter = json!({
                    "name": entry.title,
                    "content": content,
                    "number": entry.number,
                    "sub_items": [],
                    "path": entry.path,
                    "source_path": entry.path,
                    "parent_names": parent_names,
                });
                stack.push((entry.depth, Vec::new(), chapter));
            }
        }
    }
    close(&mut stack, &mut top, 0);
    Value::Array(top)
}

/// A preprocessor's answer, read: the text of each chapter it returned, by path, and
/// the chapters it added (which no page of SUMMARY.md holds).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// The text of each returned chapter that has a path, by path.
    pub contents: HashMap<String, String>,
    /// The names (and paths, when they have one) of the chapters it added.
    pub added: Vec<String>,
}

/// Reads `bytes` (a preprocessor's standard output) as the book it returns for the
/// list `sent`. Anything but a book of mdBook's shape is an error saying what and where.
pub fn read_answer(bytes: &[u8], sent: &Value) -> Result<Answer, String> {
    let answer: Value = serde_json::from_slice(bytes).map_err(|error| {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            "it printed nothing on its standard output".to_string()
        } else {
            format!("its answer is not JSON: {error}")
        }
    })?;
    let Some(book) = answer.as_object() else {
        return Err(format!(
            "it answered {}, not a book (an object with `items`)",
            shape_of(&answer)
        ));
    };
    let lists: Vec<(&str, &Value)> = ["items", "sections"]
        .into_iter()
        .filter_map(|key| book.get(key).map(|list| (key, list)))
        .collect();
    if lists.is_empty() {
        return Err("its answer has neither `items` (mdBook 0.5) nor `sections` (0.4)".into());
    }
    // The list it changed; when it changed neither, the one of its generation.
    let (key, list) = lists
        .iter()
        .find(|(_, list)| *list != sent)
        .or_else(|| lists.first())
        .copied()
        .expect("at least one list");
    let Some(list) = list.as_array() else {
        return Err(format!("`{key}` is {}, not a list", shape_of(list)));
    };
    let known = SentChapters::of(sent);
    let mut answer = Answer::default();
    let mut pending: Vec<(String, &Value)> = list
        .iter()
        .enumerate()
        .rev()
        .map(|(index, item)| (format!("{key}[{index}]"), item))
        .collect();
    while let Some((at, item)) = pending.pop() {
        if item.as_str() == Some("Separator") {
            continue;
        }
        if let Some(title) = item.get("PartTitle") {
            if !title.is_string() {
                return Err(format!(
                    "`{at}.PartTitle` is {}, not a string",
                    shape_of(title)
                ));
            }
            continue;
        }
        let Some(chapter) = item.get("Chapter").and_then(Value::as_object) else {
            return Err(format!(
                "`{at}` is {}, not a chapter, a part title or a separator",
                shape_of(item)
            ));
        };
        let field = |name: &str| chapter.get(name).unwrap_or(&Value::Null);
        let Some(name) = field("name").as_str() else {
            return Err(format!(
                "`{at}.Chapter.name` is {}, not a string",
                shape_of(field("name"))
            ));
        };
        let Some(content) = field("content").as_str() else {
            return Err(format!(
                "`{at}.Chapter.content` is {}, not a string",
                shape_of(field("content"))
            ));
        };
        let path = match field("path") {
            Value::Null => None,
            Value::String(path) => Some(path.as_str()),
            other => {
                return Err(format!(
                    "`{at}.Chapter.path` is {}, not a string",
                    shape_of(other)
                ));
            }
        };
        match field("sub_items") {
            Value::Null => {}
            Value::Array(children) => pending.extend(
                children
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(index, child)| (format!("{at}.Chapter.sub_items[{index}]"), child)),
            ),
            other => {
                return Err(format!(
                    "`{at}.Chapter.sub_items` is {}, not a list",
                    shape_of(other)
                ));
            }
        }
        match path {
            Some(path) if known.paths.contains(path) => {
                answer
                    .contents
                    .insert(path.to_string(), content.to_string());
            }
            Some(path) => answer.added.push(format!("`{name}` ({path})")),
            None if known.drafts.contains(name) => {}
            None => answer.added.push(format!("`{name}`")),
        }
    }
    Ok(answer)
}

/// The chapters folio sent: the paths of written ones, the names of drafts.
#[derive(Default)]
struct SentChapters {
    paths: HashSet<String>,
    drafts: HashSet<String>,
}

impl SentChapters {
    fn of(sent: &Value) -> Self {
        let mut chapters = Self::default();
        let mut pending: Vec<&Value> = sent
            .as_array()
            .map(|l| l.iter().collect())
            .unwrap_or_default();
        while let Some(item) = pending.pop() {
            let Some(chapter) = item.get("Chapter") else {
                continue;
            };
            match chapter.get("path").and_then(Value::as_str) {
                Some(path) => chapters.paths.insert(path.to_string()),
                None => chapters
                    .drafts
                    .insert(chapter["name"].as_str().unwrap_or_default().to_string()),
            };
            if let Some(children) = chapter.get("sub_items").and_then(Value::as_array) {
                pending.extend(children);
            }
        }
        chapters
    }
}

/// What a JSON value is, for a message: `null`, a number, a list...
fn shape_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "`null`",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Puts the chapters' new text back into the edition's pages.
pub fn apply(edition: &mut Edition, mut answer: Answer) {
    for page in &mut edition.pages {
        let PageContent::Written(written) = &mut page.content else {
            continue;
        };
        if let Some(content) = answer.contents.remove(&page.path)
            && *content != *written.markdown
        {
            written.body_key = crate::digest::hash_of(&content);
            written.markdown = std::sync::Arc::from(content);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent() -> Value {
        json!([
            {"Chapter": {"name": "A", "content": "a", "path": "a.md", "sub_items": [
                {"Chapter": {"name": "B", "content": "b", "path": "b.md", "sub_items": []}}
            ]}},
            "Separator",
            {"Chapter": {"name": "Draft", "content": "", "path": null, "sub_items": []}}
        ])
    }

    #[test]
    fn the_changed_list_is_read_and_added_chapters_named() {
        let mut items = sent();
        items[0]["Chapter"]["sub_items"][0]["Chapter"]["content"] = json!("B!");
        items
            .as_array_mut()
            .unwrap()
            .push(json!({"Chapter": {"name": "New", "content": "n", "path": "new.md"}}));
        let bytes = serde_json::to_vec(&json!({"sections": sent(), "items": items})).unwrap();
        let answer = read_answer(&bytes, &sent()).unwrap();
        assert_eq!(answer.contents["b.md"], "B!");
        assert_eq!(answer.contents["a.md"], "a");
        assert_eq!(answer.added, ["`New` (new.md)"]);
    }

    #[test]
    fn anything_but_a_book_says_what_was_wrong() {
        let wrong = |text: &str| read_answer(text.as_bytes(), &sent()).unwrap_err();
        assert!(wrong("null").contains("answered `null`, not a book"));
        assert!(wrong("").contains("printed nothing"));
        assert!(wrong("{\"x\": 1}").contains("neither `items`"));
        assert!(wrong("{\"items\": 3}").contains("`items` is a number"));
        assert!(
            wrong("{\"items\": [{\"Chapter\": {\"name\": \"A\"}}]}")
                .contains("`items[0].Chapter.content` is `null`")
        );
        assert!(wrong("{\"items\": [{\"Chapter\": {\"name\": \"A\", \"content\": \"\", \"sub_items\": [7]}}]}")
            .contains("`items[0].Chapter.sub_items[0]` is a number"));
    }
}
