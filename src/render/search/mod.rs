//! Per-language search: the rendered pages are indexed at build time with pagefind's
//! library (stemming for French and English, accent folding, one index per
//! `<html lang>`, split in chunks the browser fetches only when a query needs them),
//! and the theme's search box (`search.js`, on pagefind's browser library) searches
//! them in the browser, without a server.
//!
//! pagefind indexes one page after another. So that this sequential work overlaps the
//! parallel render instead of following it, an [`Indexer`] runs one thread per language,
//! each with its own pagefind index: the render hands every page, as soon as it is
//! rendered, to its language's thread, which indexes them in page order (the index's
//! bytes do not depend on which thread finished first). The languages' files are merged
//! at the end (pagefind's entry file lists every language). While a language's pages are
//! the ones the previous build indexed, its thread only compares them; if all are, its
//! previous index is kept as it is.

mod html;
mod manifest;

use super::{OutputFile, PreviousFiles};
use crate::diagnostic::Diagnostic;
use manifest::Previous;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

/// Where the index and the search UI go, relative to the output root.
pub const SEARCH_DIR: &str = "pagefind";

/// pagefind's own interfaces, which the theme does not load (it has its own, on
/// `pagefind.js`).
const UNUSED_UI_FILES: [&str; 4] = [
    "pagefind-ui",
    "pagefind-component-ui",
    "pagefind-modular-ui",
    "pagefind-highlight",
];

/// The attribute marking the part of a page that search indexes.
pub const INDEXED_MARKER: &str = "data-pagefind-body";

/// One rendered file, by its place in the render's order: the page's path and the part
/// search reads, or nothing for a file search does not read.
type Handed = (usize, Option<(String, String)>);

/// Called by an indexing thread before each page: it returns when the thread may go on.
pub type Pace = Arc<dyn Fn() + Send + Sync>;

/// One language's indexing thread.
struct Worker {
    language: String,
    sender: Sender<Handed>,
    thread: JoinHandle<Result<Vec<OutputFile>, Diagnostic>>,
}

/// The search index being built beside the render, one thread per language.
pub struct Indexer {
    workers: Vec<Worker>,
}

impl Indexer {
    /// Starts indexing the pages of `languages` (the first takes any page whose language
    /// is none of them); `previous_output` is the output this build replaces, whose index
    /// of a language is kept if this build's pages in it are the same.
    pub fn start(previous_output: Option<Arc<dyn PreviousFiles>>, languages: &[String]) -> Indexer {
        Self::paced(previous_output, languages, None)
    }

    /// [`Indexer::start`], each thread calling `pace` before it indexes a page (which
    /// may hold it back while something more urgent runs).
    fn paced(
        previous_output: Option<Arc<dyn PreviousFiles>>,
        languages: &[String],
        pace: Option<Pace>,
    ) -> Indexer {
        let workers = languages
            .iter()
            .map(|language| {
                let previous = previous_output
                    .clone()
                    .and_then(|output| Previous::read(output, language));
                let (sender, receiver) = channel();
                let code = language.clone();
                let pace = pace.clone();
                let thread = std::thread::spawn(move || {
                    index_in_order(&receiver, previous, &code, pace.as_deref())
                });
                Worker {
                    language: language.clone(),
                    sender,
                    thread,
                }
            })
            .collect();
        Indexer { workers }
    }

    /// Hands over the file rendered in place `order` of the render (`None` when it
    /// failed, so that the files after it are not kept waiting). Any thread may call it.
    pub fn hand(&self, order: usize, file: Option<&OutputFile>) {
        let input = file
            .filter(|file| file.path.ends_with(".html"))
            .and_then(|file| {
                let indexed = html::indexed_part(std::str::from_utf8(&file.bytes).ok()?)?;
                Some((file.path.clone(), indexed))
            });
        let language = input
            .as_ref()
            .and_then(|(_, indexed)| html::language_of(indexed));
        let owner = self
            .workers
            .iter()
            .position(|worker| Some(worker.language.as_str()) == language)
            .unwrap_or(0);
        // Every thread sees every place, so none waits for a page another one indexes.
        let mut input = Some(input);
        for (index, worker) in self.workers.iter().enumerate() {
            let handed = if index == owner {
                input.take().flatten()
            } else {
                None
            };
            // A worker only stops receiving once it has failed, and `finish` reports that.
            let _ = worker.sender.send((order, handed));
        }
    }

    /// Waits for the index: the files of every language, merged, and the manifests the
    /// next build compares with.
    pub fn finish(self) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut merged: BTreeMap<String, OutputFile> = BTreeMap::new();
        let mut entries = Vec::new();
        for worker in self.workers {
            drop(worker.sender);
            let files = worker
                .thread
                .join()
                .unwrap_or_else(|_| Err(failure("an indexing thread stopped")))?;
            for file in files {
                if is_entry(&file.path) {
                    entries.push(file);
                    continue;
                }
                match merged.get(&file.path) {
                    Some(known) if known.bytes != file.bytes => {
                        return Err(failure(format!(
                            "two languages' indexes both wrote `{}`",
                            file.path
                        )));
                    }
                    Some(_) => {}
                    None => {
                        merged.insert(file.path.clone(), file);
                    }
                }
            }
        }
        if !entries.is_empty() {
            let entry = merged_entry(&entries)?;
            merged.insert(entry.path.clone(), entry);
        }
        Ok(merged.into_values().collect())
    }
}

/// The index of rendered `pages` at once, in the order given (`serve`, in the
/// background once a render is served); `previous` holds the index files made last time,
/// whose language indexes are kept when their pages are the same; `pace` is called
/// before each page is indexed.
pub fn index_pages(
    previous: Option<Arc<dyn PreviousFiles>>,
    languages: &[String],
    pages: &[OutputFile],
    pace: Pace,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let indexer = Indexer::paced(previous, languages, Some(pace));
    for (order, page) in pages.iter().enumerate() {
        indexer.hand(order, Some(page));
    }
    indexer.finish()
}

/// pagefind's entry file, which tells the browser each language's index.
const ENTRY_FILE: &str = "pagefind-entry.json";

/// True for the path of pagefind's entry file (checked for every index file: no
/// allocation).
fn is_entry(path: &str) -> bool {
    path.strip_prefix(SEARCH_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        == Some(ENTRY_FILE)
}

/// The path of pagefind's entry file in the site.
fn entry_path() -> String {
    format!("{SEARCH_DIR}/{ENTRY_FILE}")
}

/// One entry file listing the languages of every index's own entry file.
fn merged_entry(entries: &[OutputFile]) -> Result<OutputFile, Diagnostic> {
    if let [only] = entries {
        return Ok(only.clone());
    }
    let mut merged: Option<serde_json::Value> = None;
    let mut languages: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for entry in entries {
        let value: serde_json::Value = serde_json::from_slice(&entry.bytes).map_err(failure)?;
        if let Some(listed) = value
            .get("languages")
            .and_then(serde_json::Value::as_object)
        {
            languages.extend(
                listed
                    .iter()
                    .map(|(code, index)| (code.clone(), index.clone())),
            );
        }
        merged.get_or_insert(value);
    }
    let mut merged = merged.expect("there is at least one entry");
    merged["languages"] = serde_json::Value::Object(languages.into_iter().collect());
    Ok(OutputFile {
        path: entries[0].path.clone(),
        bytes: Arc::new(serde_json::to_vec(&merged).map_err(failure)?),
    })
}

/// Takes the handed files in render order; indexes them, or only compares them with the
/// previous index's pages as long as they are the same.
fn index_in_order(
    receiver: &Receiver<Handed>,
    previous: Option<Previous>,
    language: &str,
    pace: Option<&(dyn Fn() + Send + Sync)>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut waiting: BTreeMap<usize, Option<(String, String)>> = BTreeMap::new();
    let mut next = 0;
    let mut index = Streamed::new(previous, language.to_string());
    let mut take = |waiting: &mut BTreeMap<usize, Option<(String, String)>>,
                    next: &mut usize|
     -> Result<(), Diagnostic> {
        while let Some(input) = waiting.remove(next) {
            *next += 1;
            if let Some((path, indexed)) = input {
                if let Some(pace) = pace {
                    pace();
                }
                index.add(path, indexed)?;
            }
        }
        Ok(())
    };
    for (order, input) in receiver {
        waiting.insert(order, input);
        take(&mut waiting, &mut next)?;
    }
    // Files that never came (a failed render stops the build anyway) leave gaps.
    while let Some((&order, _)) = waiting.first_key_value() {
        next = order;
        take(&mut waiting, &mut next)?;
    }
    index.finish()
}

/// An index fed page by page, which starts pagefind only once a page differs from the
/// previous index's.
struct Streamed {
    previous: Option<Previous>,
    language: String,
    hashes: Vec<String>,
    held: Vec<(String, String)>,
    pagefind: Option<Pagefind>,
}

impl Streamed {
    fn new(previous: Option<Previous>, language: String) -> Self {
        Self {
            previous,
            language,
            hashes: Vec::new(),
            held: Vec::new(),
            pagefind: None,
        }
    }

    fn add(&mut self, path: String, indexed: String) -> Result<(), Diagnostic> {
        let hash = manifest::page_hash(&path, &indexed);
        let same = self.pagefind.is_none()
            && self
                .previous
                .as_ref()
                .and_then(|previous| previous.pages.get(self.hashes.len()))
                .is_some_and(|known| *known == hash);
        self.hashes.push(hash);
        if same {
            self.held.push((path, indexed));
            return Ok(());
        }
        self.pagefind()?.add(path, indexed)
    }

    /// pagefind, started with the pages held so far.
    fn pagefind(&mut self) -> Result<&mut Pagefind, Diagnostic> {
        if self.pagefind.is_none() {
            let mut pagefind = Pagefind::new()?;
            for (path, indexed) in self.held.drain(..) {
                pagefind.add(path, indexed)?;
            }
            self.pagefind = Some(pagefind);
        }
        Ok(self.pagefind.as_mut().expect("just started"))
    }

    fn finish(mut self) -> Result<Vec<OutputFile>, Diagnostic> {
        let unchanged = self.pagefind.is_none()
            && self
                .previous
                .as_ref()
                .is_some_and(|previous| previous.pages.len() == self.hashes.len());
        if unchanged && let Some(files) = self.previous.take().and_then(Previous::files) {
            return Ok(files);
        }
        if self.hashes.is_empty() {
            // A language without a searchable page has no index.
            return Ok(Vec::new());
        }
        crate::phases::ended(crate::phases::Step::SearchPagesAdded);
        let (mut entries, mut files): (Vec<OutputFile>, Vec<OutputFile>) = self
            .pagefind()?
            .files()?
            .into_iter()
            .partition(|file| is_entry(&file.path));
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let entry = entries
            .pop()
            .ok_or_else(|| failure(format!("pagefind wrote no {ENTRY_FILE}")))?;
        files.push(manifest::write(
            &self.language,
            &self.hashes,
            &files,
            &entry,
        ));
        files.push(entry);
        Ok(files)
    }
}

/// pagefind's indexer, on a runtime of its own.
struct Pagefind {
    runtime: tokio::runtime::Runtime,
    index: PagefindIndex,
}

impl Pagefind {
    fn new() -> Result<Self, Diagnostic> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(failure)?;
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .build();
        let index = PagefindIndex::new(Some(options)).map_err(failure)?;
        Ok(Self { runtime, index })
    }

    fn add(&mut self, path: String, indexed: String) -> Result<(), Diagnostic> {
        self.runtime
            .block_on(self.index.add_html_file(None, Some(path), indexed))
            .map(|_| ())
            .map_err(failure)
    }

    fn files(&mut self) -> Result<Vec<OutputFile>, Diagnostic> {
        let files = self
            .runtime
            .block_on(self.index.get_files())
            .map_err(failure)?;
        Ok(files
            .into_iter()
            .filter(|file| {
                let name = file.filename.to_string_lossy();
                !UNUSED_UI_FILES
                    .iter()
                    .any(|unused| name.starts_with(unused))
            })
            .map(|file| OutputFile {
                path: format!(
                    "{SEARCH_DIR}/{}",
                    file.filename.to_string_lossy().replace('\\', "/")
                ),
                bytes: Arc::new(file.contents),
            })
            .collect())
    }
}

fn failure(error: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "search-index",
        format!("the search index could not be built: {error}"),
    )
    .with_hint("turn search off with `[output.html.search] enable = false` to build without it")
}
