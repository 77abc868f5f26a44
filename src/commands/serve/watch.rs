//! Watching the book for `serve` with notify: changes are collected until the files
//! are quiet, so an editor's atomic save (temp file, then rename) or a `git checkout`
//! touching hundreds of files ends in one rebuild.

use crate::diagnostic::Diagnostic;
use notify::event::ModifyKind;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long the files must be quiet before a rebuild starts, after an edit of a few
/// files (an editor's save is one to four events)...
const QUIET: Duration = Duration::from_millis(20);
/// ...and once a burst shows (a `git checkout`), which may pause between files.
const QUIET_IN_BURST: Duration = Duration::from_millis(150);
/// How many changed paths make a burst.
const BURST: usize = 8;
/// The longest a burst of changes may delay a rebuild.
const MAX_WAIT: Duration = Duration::from_millis(1000);

/// Watches files and directories, and reports bursts of changes.
pub struct Watcher {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    watched: HashSet<(PathBuf, bool)>,
}

impl Watcher {
    /// A watcher watching nothing yet.
    pub fn new() -> Result<Self, Diagnostic> {
        let (sender, events) = channel();
        let watcher = notify::recommended_watcher(sender).map_err(|error| {
            Diagnostic::error("watch", format!("cannot watch files: {error}"))
                .with_hint("check the inotify limits (fs.inotify.max_user_watches)")
        })?;
        Ok(Self {
            watcher,
            events,
            watched: HashSet::new(),
        })
    }

    /// Starts watching `path` (recursively or not); already watched paths are skipped,
    /// missing ones ignored.
    pub fn watch(&mut self, path: &Path, recursive: bool) {
        if !path.exists() || !self.watched.insert((path.to_path_buf(), recursive)) {
            return;
        }
        let mode = if recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        if let Err(error) = self.watcher.watch(path, mode) {
            eprintln!("warning: cannot watch {}: {error}", path.display());
        }
    }

    /// Blocks until a change `relevant` accepts, then gathers the burst it belongs to.
    pub fn next_changes(&self, relevant: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
        let mut changed: Vec<PathBuf> = Vec::new();
        let mut started: Option<Instant> = None;
        loop {
            let timeout = match started {
                None => Duration::from_secs(3600),
                Some(start) if start.elapsed() >= MAX_WAIT => break,
                Some(_) if changed.len() >= BURST => QUIET_IN_BURST,
                Some(_) => QUIET,
            };
            match self.events.recv_timeout(timeout) {
                Ok(Ok(event)) if !changes_content(&event.kind) => {}
                Ok(Ok(event)) => {
                    let before = changed.len();
                    changed.extend(event.paths.into_iter().filter(|path| relevant(path)));
                    if changed.len() > before && started.is_none() {
                        started = Some(Instant::now());
                    }
                }
                Ok(Err(error)) => eprintln!("warning: watching failed: {error}"),
                Err(RecvTimeoutError::Timeout) if started.is_some() => break,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        changed.sort();
        changed.dedup();
        changed
    }
}

/// True for events that may change what a file says (not reads, not metadata).
fn changes_content(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
    )
}

/// Editors' swap and backup files, which never need a rebuild.
pub fn is_editor_noise(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}
