//! `serve`'s search index, built in the background: every good render is handed to one
//! indexing thread, which indexes the newest render it was handed once the writer has
//! paused (edits made meanwhile are coalesced), stopping while a render runs, and then
//! serves that index. A language whose pages did not change keeps its index, and the
//! first index is the last `folio build`'s when the pages are the same. The thread runs
//! at the lowest priority, so that the rebuild a writer waits for gets the cores first.
//! Until the first index is ready, a request for it waits (a reader searching right
//! after start gets results, not an error).

use crate::diagnostic::Diagnostic;
use crate::render::search::{Pace, SEARCH_DIR, index_pages};
use crate::render::{OutputFile, PreviousFiles};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long a request for the index waits for the first one.
const FIRST_INDEX_WAIT: Duration = Duration::from_secs(10);

/// How long the writer must pause before a render is indexed.
const QUIET: Duration = Duration::from_millis(400);

/// What the indexing thread is asked to index: a render's pages and its languages.
struct Job {
    pages: Vec<OutputFile>,
    languages: Vec<String>,
    /// When it was handed over.
    submitted: Instant,
    /// Where `folio build` writes the book, whose index the first one may keep.
    built: PathBuf,
}

/// The index files served, with the index they were made from.
#[derive(Default)]
struct State {
    /// The newest render not indexed yet.
    pending: Option<Job>,
    /// Every file of the last index, by path (its cache files included, which the next
    /// index compares with and which are never served).
    files: Arc<IndexFiles>,
    /// The index before it: a page loaded before the swap may still ask for its chunks.
    older: Arc<IndexFiles>,
    /// True once a first index was attempted (made or failed).
    ready: bool,
    /// True while `serve` renders: indexing waits, so the writer's reload comes first.
    rendering: bool,
}

/// One index's files by path.
#[derive(Default)]
struct IndexFiles(HashMap<String, Arc<Vec<u8>>>);

impl PreviousFiles for IndexFiles {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.0.get(path).map(|bytes| bytes.to_vec())
    }
}

/// The search index `serve` builds in the background and serves.
#[derive(Default)]
pub struct BackgroundIndex {
    state: Mutex<State>,
    changed: Condvar,
}

impl BackgroundIndex {
    /// Starts the indexing thread; it lives as long as the server.
    pub fn start(index: &Arc<BackgroundIndex>) {
        let index = Arc::clone(index);
        std::thread::spawn(move || index.run());
    }

    /// Asks for `files` (a render's whole site) to be indexed; only the HTML pages are
    /// kept (shared, not copied), in path order. `built` is where `folio build` writes
    /// the book, whose index the first one keeps when the pages are the same.
    pub fn submit(
        &self,
        files: &HashMap<String, Arc<Vec<u8>>>,
        languages: Vec<String>,
        built: &Path,
    ) {
        let mut pages: Vec<OutputFile> = files
            .iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .map(|(path, bytes)| OutputFile {
                path: path.clone(),
                bytes: Arc::clone(bytes),
            })
            .collect();
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        let job = Job {
            pages,
            languages,
            submitted: Instant::now(),
            built: built.to_path_buf(),
        };
        self.lock().pending = Some(job);
        self.changed.notify_all();
    }

    /// A render starts: indexing stops at its next page until [`Self::render_ended`].
    pub fn render_started(&self) {
        self.lock().rendering = true;
    }

    /// The render ended: indexing goes on.
    pub fn render_ended(&self) {
        self.lock().rendering = false;
        self.changed.notify_all();
    }

    /// Returns once no render runs.
    fn wait_for_renders(&self) {
        let mut state = self.lock();
        while state.rendering {
            state = self
                .changed
                .wait(state)
                .expect("the index lock is never poisoned");
        }
    }

    /// Search is off: nothing is indexed or served, and nobody waits for an index.
    pub fn turn_off(&self) {
        let mut state = self.lock();
        state.pending = None;
        state.files = Arc::default();
        state.older = Arc::default();
        state.ready = true;
        self.changed.notify_all();
    }

    /// The index file at `path` (under [`SEARCH_DIR`]); waits for the first index.
    pub fn file(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        if !is_served(path) {
            return None;
        }
        let deadline = Instant::now() + FIRST_INDEX_WAIT;
        let mut state = self.lock();
        while !state.ready {
            let left = deadline.checked_duration_since(Instant::now())?;
            state = self
                .changed
                .wait_timeout(state, left)
                .expect("the index lock is never poisoned")
                .0;
        }
        state
            .files
            .0
            .get(path)
            .or_else(|| state.older.0.get(path))
            .cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("the index lock is never poisoned")
    }

    /// Waits for a render to index (the first at once: nobody is editing yet; then once
    /// the writer has paused [`QUIET`]) and takes it, with the index whose languages it
    /// may keep (none before the first).
    fn next_job(&self) -> (Job, Option<Arc<IndexFiles>>) {
        let mut state = self.lock();
        loop {
            let left = match &state.pending {
                None => None,
                Some(_) if !state.ready => Some(Duration::ZERO),
                Some(job) => Some(QUIET.saturating_sub(job.submitted.elapsed())),
            };
            state = match left {
                Some(left) if left.is_zero() => break,
                Some(left) => {
                    self.changed
                        .wait_timeout(state, left)
                        .expect("the index lock is never poisoned")
                        .0
                }
                None => self
                    .changed
                    .wait(state)
                    .expect("the index lock is never poisoned"),
            };
        }
        let job = state.pending.take().expect("waited for it");
        let kept = state.ready.then(|| Arc::clone(&state.files));
        (job, kept)
    }

    /// Indexes each newest render once the writer pauses, forever.
    fn run(self: Arc<Self>) {
        let paced = Arc::clone(&self);
        let pace: Pace = Arc::new(move || paced.wait_for_renders());
        lower_priority();
        loop {
            let (job, kept) = self.next_job();
            // Before the first index, the one `folio build` left (read here, not while
            // holding the lock the HTTP threads wait on).
            let previous: Option<Arc<dyn PreviousFiles>> = match kept {
                Some(files) => Some(files),
                None => crate::output::Previous::open(&job.built)
                    .map(|site| Arc::new(site) as Arc<dyn PreviousFiles>),
            };
            let made = index_pages(previous, &job.languages, &job.pages, Arc::clone(&pace));
            drop(job);
            let mut state = self.lock();
            match made {
                Ok(files) => {
                    let files = files
                        .into_iter()
                        .map(|file| (file.path, file.bytes))
                        .collect();
                    state.older = std::mem::replace(&mut state.files, Arc::new(IndexFiles(files)));
                }
                Err(error) => report(&error),
            }
            state.ready = true;
            self.changed.notify_all();
        }
    }
}

/// Puts the calling thread (and the threads it starts) at the lowest priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid has no precondition; on Linux each thread has its own nice value,
    // and setpriority on this thread's id changes only it.
    unsafe {
        let thread = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, 19);
    }
}

/// True for a path of the index a browser may ask for (not the cache files the next index compares with).
fn is_served(path: &str) -> bool {
    path.strip_prefix(SEARCH_DIR)
        .is_some_and(|rest| rest.starts_with('/'))
}

fn report(error: &Diagnostic) {
    eprintln!("warning: search is unavailable until the next change: {error}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, lang: &str, text: &str) -> (String, Arc<Vec<u8>>) {
        let html = format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><body><article data-pagefind-body><h1>{text}</h1><p>{text}</p></article></body></html>"
        );
        (path.to_string(), Arc::new(html.into_bytes()))
    }

    #[test]
    fn the_newest_render_is_indexed_and_served() {
        let index = Arc::new(BackgroundIndex::default());
        BackgroundIndex::start(&index);
        let site: HashMap<_, _> = [
            page("fr/a.html", "fr", "Bonjour"),
            page("en/a.html", "en", "Hello"),
        ]
        .into_iter()
        .collect();
        index.submit(
            &site,
            vec!["fr".into(), "en".into()],
            Path::new("/nonexistent"),
        );
        let entry = index
            .file("pagefind/pagefind-entry.json")
            .expect("the first index is waited for");
        let entry = String::from_utf8(entry.to_vec()).unwrap();
        assert!(
            entry.contains("\"fr\"") && entry.contains("\"en\""),
            "{entry}"
        );
        assert!(index.file("pagefind/pagefind.js").is_some());
        assert!(index.file("pagefind/pagefind-ui.js").is_none());
        assert!(index.file(".folio-cache/search-fr.txt").is_none());
        assert!(index.file("fr/a.html").is_none());
        // Turned off, it answers at once.
        index.turn_off();
        let asked = Instant::now();
        assert!(index.file("pagefind/pagefind.js").is_none());
        assert!(asked.elapsed() < Duration::from_secs(1));
    }
}
