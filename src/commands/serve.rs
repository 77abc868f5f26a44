//! `folio serve`: builds the book into memory, serves it over HTTP, watches
//! its sources (notify), rebuilds what a change touched and tells open pages to reload.
//! A failed rebuild keeps serving the last good site, with the errors overlaid.

pub mod connections;
pub mod http;
pub mod live;
pub mod search;
pub mod watch;

use crate::book::Book;
use crate::build::{EditionKind, Engine, Mode};
use crate::diagnostic::{self, Diagnostic};
use crate::render::site::SHARED_TOC_SCRIPT;
use http::{Shared, SiteState};
use live::{ErrorView, LiveEvent};
use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use watch::Watcher;

/// What `folio serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The book's directory.
    pub book_dir: PathBuf,
    /// The port to listen on (0: any free port).
    pub port: u16,
    /// The interface to listen on.
    pub host: String,
    /// Open the site in a browser.
    pub open: bool,
    /// Which edition to serve.
    pub edition: EditionKind,
    /// Directories outside the book's repository the book may read.
    pub granted: Vec<PathBuf>,
    /// `--allow-preprocessors`: run the book's `[preprocessor.*]` commands.
    pub allow_preprocessors: bool,
}

/// Serves the book until the process is stopped; exit code 1 when it cannot start.
pub fn run(options: &ServeOptions) -> ExitCode {
    super::report_error(serve(options))
}

/// Serves the book until the process is stopped.
fn serve(options: &ServeOptions) -> Result<(), Diagnostic> {
    let root = options.book_dir.canonicalize().map_err(|error| {
        Diagnostic::error("serve", format!("{}: {error}", options.book_dir.display()))
            .with_hint("give the directory holding book.toml")
    })?;
    let shared = Arc::new(Shared::default());
    search::BackgroundIndex::start(&shared.search);
    let mut engine = Engine::new(&root, options.edition, Mode::Serve);
    engine.granted = options.granted.clone();
    engine.allow_preprocessors |= options.allow_preprocessors;
    let mut watcher = Watcher::new()?;
    // The port is taken before the first build, which a slow preprocessor can make long:
    // a port in use is said at once, and requests wait in the queue until it is done.
    let listener = TcpListener::bind((options.host.as_str(), options.port)).map_err(|error| {
        Diagnostic::error(
            "serve",
            format!(
                "cannot listen on {}:{}: {error}",
                options.host, options.port
            ),
        )
        .with_hint("choose another port with -p, or stop what uses this one")
    })?;
    let mut book = rebuild(&mut engine, &shared, &[]);
    // Watching starts before answering: a change made as soon as the first request is
    // answered is seen (the watches were registered after, and such an edit was missed).
    let mut inputs = watch_inputs(&mut watcher, book.as_ref(), &root);
    let address = listener
        .local_addr()
        .map(|address| address.to_string())
        .unwrap_or_default();
    let url = format!("http://{address}/");
    if !is_loopback(&options.host) {
        eprintln!(
            "warning: serving on {} makes the book reachable from other machines",
            options.host
        );
    }
    println!("Serving {} at {url} (Ctrl-C to stop)", root.display());
    let listening = Arc::clone(&shared);
    let bound_host = options.host.clone();
    std::thread::spawn(move || http::listen(listener, listening, bound_host));
    if options.open
        && let Err(error) = opener::open_browser(&url)
    {
        eprintln!("warning: cannot open a browser ({error}); open {url} yourself");
    }
    loop {
        let relevant = |path: &Path| {
            !watch::is_editor_noise(path) && inputs.iter().any(|input| path.starts_with(input))
        };
        let changes = watcher.next_changes(&relevant);
        if changes.is_empty() {
            continue;
        }
        engine.files_changed(changes.iter().cloned());
        if let Some(loaded) = rebuild(&mut engine, &shared, &changes) {
            book = Some(loaded);
        }
        inputs = watch_inputs(&mut watcher, book.as_ref(), &root);
    }
}

/// Watches the book's sources ([`watch_sources`]) once it has loaded; before that (a
/// broken book.toml or SUMMARY.md at start), everything under its directory, so that
/// the fix is seen.
fn watch_inputs(watcher: &mut Watcher, book: Option<&Book>, root: &Path) -> Vec<PathBuf> {
    match book {
        Some(book) => watch_sources(watcher, book),
        None => {
            watcher.watch(root, true);
            vec![root.to_path_buf()]
        }
    }
}

/// Watches what the book is made of: book.toml, the sources, the theme, extra CSS and
/// JS, snippet sources. Returns those inputs: a change elsewhere (the output directory,
/// a log file next to book.toml) never triggers a rebuild.
fn watch_sources(watcher: &mut Watcher, book: &Book) -> Vec<PathBuf> {
    let root = &book.root;
    let mut inputs = vec![
        root.join(crate::config::CONFIG_FILE),
        root.join(&book.config.book.src),
        book.config.theme_dir(root),
    ];
    let html = &book.config.output.html;
    inputs.extend(
        html.additional_css
            .iter()
            .chain(&html.additional_js)
            .map(|path| root.join(path)),
    );
    watcher.watch(root, false);
    watcher.watch(&inputs[1], true);
    watcher.watch(&inputs[2], true);
    for source in book.config.snippets.sources.values() {
        if let Some(path) = &source.path {
            watcher.watch(&root.join(path), true);
            inputs.push(root.join(path));
        }
        if let Some(repository) = &source.git {
            let repository = root.join(repository);
            let git_dir = if repository.join(".git").is_dir() {
                repository.join(".git")
            } else {
                repository
            };
            watcher.watch(&git_dir, false);
            watcher.watch(&git_dir.join("refs"), true);
            inputs.push(git_dir);
        }
    }
    inputs
}

/// Renders again and swaps the served site; tells the pages what changed.
fn rebuild(engine: &mut Engine, shared: &Shared, changes: &[PathBuf]) -> Option<Book> {
    let started = Instant::now();
    let previous = shared.current();
    let root = engine.root().to_path_buf();
    let relative = |mut diagnostics: Vec<Diagnostic>| {
        for diagnostic in &mut diagnostics {
            if let Some(path) = diagnostic.path.take() {
                diagnostic.path = Some(
                    path.strip_prefix(&root)
                        .map(Path::to_path_buf)
                        .unwrap_or(path),
                );
            }
        }
        diagnostics
    };
    shared.search.render_started();
    let rendered = engine.render();
    shared.search.render_ended();
    match rendered {
        Ok(site) => {
            diagnostic::print_sorted(relative(site.warnings));
            let files: HashMap<String, Arc<Vec<u8>>> = site
                .files
                .into_iter()
                .map(|file| (file.path, file.bytes))
                .collect();
            if site.book.config.output.html.search.enable {
                let languages = site.book.language_codes();
                shared.search.submit(&files, languages, &site.destination);
            } else {
                shared.search.turn_off();
            }
            let event = changes_event(&previous.files, &files, changes);
            let changed_count = match &event {
                LiveEvent::Reload { changed, .. } => changed.len(),
                _ => 0,
            };
            shared.replace(SiteState {
                files,
                errors: Vec::new(),
                generation: previous.generation + 1,
            });
            if !changes.is_empty() {
                shared.live.send(&event);
                println!(
                    "Rebuilt in {} ms ({changed_count} pages changed).",
                    started.elapsed().as_millis()
                );
            }
            Some(site.book)
        }
        Err(diagnostics) => {
            let diagnostics = relative(diagnostics);
            let errors: Vec<ErrorView> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(ErrorView::from)
                .collect();
            diagnostic::print_sorted(diagnostics);
            eprintln!("The rebuild failed; still serving the last good version.");
            shared.replace(SiteState {
                files: previous.files.clone(),
                errors: errors.clone(),
                generation: previous.generation,
            });
            shared.live.send(&LiveEvent::Errors(errors));
            None
        }
    }
}

/// What to tell the pages: the pages that changed, or the stylesheets renamed when only
/// stylesheets were edited.
fn changes_event(
    old: &HashMap<String, Arc<Vec<u8>>>,
    new: &HashMap<String, Arc<Vec<u8>>>,
    inputs: &[PathBuf],
) -> LiveEvent {
    let only_css = !inputs.is_empty()
        && inputs
            .iter()
            .all(|path| path.extension().is_some_and(|extension| extension == "css"));
    if only_css {
        let stylesheets = |files: &HashMap<String, Arc<Vec<u8>>>| -> Vec<String> {
            let mut names: Vec<String> = files
                .keys()
                .filter(|path| path.ends_with(".css"))
                .filter_map(|path| path.rsplit('/').next().map(str::to_string))
                .collect();
            names.sort();
            names
        };
        let (before, after) = (stylesheets(old), stylesheets(new));
        let stem = |name: &str| {
            name.rsplit_once('-')
                .map_or(name.to_string(), |(stem, _)| stem.to_string())
        };
        let renamed = before
            .iter()
            .filter(|name| !after.contains(name))
            .filter_map(|old_name| {
                after
                    .iter()
                    .find(|new_name| !before.contains(new_name) && stem(new_name) == stem(old_name))
                    .map(|new_name| (old_name.clone(), new_name.clone()))
            })
            .collect();
        return LiveEvent::Css { renamed };
    }
    let removed = old.keys().any(|path| !new.contains_key(path));
    let differs = |path: &str, bytes: &Arc<Vec<u8>>| {
        old.get(path)
            .is_none_or(|before| !Arc::ptr_eq(before, bytes) && before != bytes)
    };
    // A shared table of contents is in every page without changing its bytes.
    let contents_changed = new.iter().any(|(path, bytes)| {
        path.rsplit('/').next() == Some(SHARED_TOC_SCRIPT) && differs(path, bytes)
    });
    let changed: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| path.ends_with(".html") && differs(path, bytes))
        .map(|(path, _)| format!("/{path}"))
        .collect();
    LiveEvent::Reload {
        changed,
        all: removed || contents_changed,
    }
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "::1") || host.starts_with("127.")
}
