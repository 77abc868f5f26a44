//! The pipeline, kept between renders: load the book (step 1), render every page's
//! markdown (step 2), lay the site out with the theme (step 3), all in memory. `build`
//! runs it once, `serve` after every change (grammars loaded once, unchanged pages from
//! its caches), `check` once to collect every problem.

use super::EditionKind;
use crate::book::source_cache::SourceCache;
use crate::book::{self, Book};
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::highlight::cache::HighlightCache;
use crate::markdown::cache::MarkdownCache;
use crate::markdown::edition::{self, EditionBodies, EditionInputs, NumberedCaptions};
use crate::output::{Previous, SiteWriter};
use crate::render::blocks::EditionBlocks;
use crate::render::cache::RenderCache;
use crate::render::theme::{Theme, UiStrings};
use crate::render::{CACHE_DIR, FileSink, OutputFile, PreviousFiles, assets, search, site};
use crate::snippets::embed::{Embedder, include_root};
use crate::snippets::sources::Sources;
use crate::trust::Trust;
use crate::typography::Typographer;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The highlighted code blocks' file in the build directory's cache.
const CODE_CACHE_FILE: &str = "highlight.bin";

/// The pipeline and what it keeps between renders.
pub struct Engine {
    /// `--base-url`: the path the site is published under.
    pub base_url: Option<String>,
    /// `--dest-dir`: where the site goes instead of `[build] build-dir`.
    pub destination: Option<PathBuf>,
    /// Directories outside the book's repository that the person running folio allowed
    /// the book to read (`--allow-source`, `FOLIO_ALLOW`).
    pub granted: Vec<PathBuf>,
    /// Whether the book's `[preprocessor.*]` commands may run (`--allow-preprocessors`,
    /// `FOLIO_ALLOW_PREPROCESSORS=1`).
    pub allow_preprocessors: bool,
    root: PathBuf,
    edition: EditionKind,
    mode: Mode,
    highlighter: Highlighter,
    sources: SourceCache,
    markdown: MarkdownCache,
    layout: RenderCache,
    /// Where the book may reach, found once (a git discovery) for every render.
    trust: std::sync::OnceLock<Trust>,
}

/// How the engine is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One render, with the search index; highlighted code and the search index's key
    /// are left in the build directory's cache for the next build.
    Build,
    /// Renders after every change, keeping a cache in memory; no search index (it would
    /// cost seconds on a large book at every edit).
    Serve,
    /// Renders once to find problems: nothing kept, no search index, no print or EPUB;
    /// a book with errors is still loaded as far as it can be.
    Check,
}

/// A rendered site: in memory (`serve`, `check`), or written into its staging directory
/// as it was rendered (`build`).
pub struct RenderedSite {
    /// The book it was rendered from.
    pub book: Book,
    /// Every file of the site kept in memory, sorted by path (none for a build, whose
    /// files went to `writer`).
    pub files: Vec<OutputFile>,
    /// A build's staging directory, holding every file of the site, to finish and swap in.
    pub writer: Option<SiteWriter>,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// Where the site goes: `--dest-dir`, else `[build] build-dir` (with `-sample` for
    /// the sample edition).
    pub destination: PathBuf,
}

impl Engine {
    /// An engine for the book at `root`.
    pub fn new(root: &Path, edition: EditionKind, mode: Mode) -> Self {
        let keeps = mode == Mode::Serve;
        Self {
            base_url: None,
            destination: None,
            granted: Vec::new(),
            allow_preprocessors: std::env::var(super::preprocessors::ALLOW_VARIABLE)
                .is_ok_and(|value| value == "1"),
            root: root.to_path_buf(),
            edition,
            mode,
            highlighter: Highlighter::new(),
            sources: if keeps {
                SourceCache::enabled()
            } else {
                SourceCache::default()
            },
            markdown: if keeps {
                MarkdownCache::enabled()
            } else {
                MarkdownCache::default()
            },
            layout: if keeps {
                RenderCache::enabled()
            } else {
                RenderCache::default()
            },
            trust: std::sync::OnceLock::new(),
        }
    }

    /// The book's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the book may reach: its repository and the directories `granted` to it,
    /// found at the first render and kept (serve's rebuilds do not look for the
    /// repository again).
    fn trust(&self) -> &Trust {
        self.trust
            .get_or_init(|| Trust::new(&self.root, &self.granted))
    }

    /// Records files changed on disk, so pages embedding them are rendered again.
    pub fn files_changed(&mut self, files: impl IntoIterator<Item = PathBuf>) {
        self.markdown.files_changed(files);
    }

    /// Loads the book, finds where the site goes, and renders it: for a build, each file
    /// straight into the staging directory that will replace the destination; otherwise
    /// in memory.
    pub fn render(&mut self) -> Result<RenderedSite, Vec<Diagnostic>> {
        crate::phases::ended(crate::phases::Step::Started);
        let (book, mut warnings) = self.load()?;
        crate::phases::ended(crate::phases::Step::Loaded);
        let destination = self.destination_of(&book);
        if self.mode == Mode::Build && self.destination.is_none() {
            // book.toml chose it: it may not lead outside what the book may reach.
            let config_file = book.root.join(crate::config::CONFIG_FILE);
            crate::output::check_trusted(&destination, self.trust(), &config_file)
                .map_err(|error| vec![error])?;
        }
        let previous = (self.mode == Mode::Build)
            .then(|| Previous::open(&destination))
            .flatten()
            .map(Arc::new);
        let writer = if self.mode == Mode::Build {
            let sources = book.root.join(&book.config.book.src);
            crate::output::check_outside_sources(&destination, &book.root, &sources)
                .map_err(|error| vec![error])?;
            Some(SiteWriter::begin(&destination, previous.clone()).map_err(|error| vec![error])?)
        } else {
            None
        };
        let sink = writer.as_ref().map(|writer| writer as &dyn FileSink);
        let (files, render_warnings) =
            self.render_book(&book, previous, sink).map_err(|errors| {
                // In check mode the loading errors come first; a build has none here.
                warnings.iter().cloned().chain(errors).collect::<Vec<_>>()
            })?;
        warnings.extend(render_warnings);
        Ok(RenderedSite {
            book,
            files,
            writer,
            warnings,
            destination,
        })
    }

    /// Step 1: the book, restricted to the sample for the sample edition. In check
    /// mode a page that cannot be loaded is reported and left out instead of stopping.
    pub fn load(&mut self) -> Result<(Book, Vec<Diagnostic>), Vec<Diagnostic>> {
        let load = if self.mode == Mode::Check {
            book::load_lenient_with
        } else {
            book::load_with
        };
        let (mut book, mut warnings) = load(&self.root, &self.sources)?;
        warnings.extend(
            super::preprocessors::run(&mut book, self.allow_preprocessors)
                .map_err(|error| vec![error])?,
        );
        if self.edition == EditionKind::Sample {
            book::sample::restrict_to_sample(&mut book).map_err(|error| vec![error])?;
        }
        Ok((book, warnings))
    }

    /// `--dest-dir`, else `[build] build-dir` (with `-sample` for the sample edition).
    /// The site goes in `BUILD_DIR/html` when the book has other renderers.
    fn destination_of(&self, book: &Book) -> PathBuf {
        let build_dir = match &self.destination {
            Some(destination) => destination.clone(),
            None if self.edition == EditionKind::Sample => {
                let build_dir = book.config.build_dir(&self.root);
                let name = build_dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                build_dir.with_file_name(format!("{name}-sample"))
            }
            None => book.config.build_dir(&self.root),
        };
        book.config.site_dir(&build_dir)
    }

    /// Steps 2 and 3 on a loaded book: every file of the site, sorted by path, with the
    /// warnings found; every problem when there is an error. `previous` is the site a
    /// build replaces, whose search index, EPUBs and cached highlighting are reused.
    /// With a `sink`, each file goes there as soon as it is made and none is returned.
    pub fn render_book(
        &mut self,
        book: &Book,
        previous: Option<Arc<Previous>>,
        sink: Option<&dyn FileSink>,
    ) -> Result<(Vec<OutputFile>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let sample = self.edition == EditionKind::Sample;
        if self.mode == Mode::Build {
            let bytes = previous
                .as_ref()
                .and_then(|previous| previous.read(&format!("{CACHE_DIR}/{CODE_CACHE_FILE}")))
                .unwrap_or_default();
            self.highlighter
                .use_cache(HighlightCache::from_bytes(&bytes));
        }
        let theme = Theme::load(&book.config.theme_dir(&book.root), &book.allowed)
            .map_err(|error| vec![error])?;
        let html = &book.config.output.html;
        let (mut files, urls) = assets::static_files(
            &theme,
            &book.allowed,
            &html.additional_css,
            &html.additional_js,
        )
        .map_err(|error| vec![error])?;
        let config_file = book.root.join(crate::config::CONFIG_FILE);
        let trust = self.trust().clone();
        let sources = Sources::open(
            &book.config.snippets.sources,
            &book.root,
            &config_file,
            &trust,
        )?;
        let source_warnings = sources.warnings().to_vec();
        let include_root = include_root(
            &book.root,
            book.config.build.include_root.as_deref(),
            &trust,
            &config_file,
        )
        .map_err(|error| vec![error])?;
        let embedder = Embedder::new(&sources, &book.allowed, &include_root);
        let indexer = (html.search.enable && self.mode == Mode::Build).then(|| {
            search::Indexer::start(
                previous.clone().map(|p| p as Arc<dyn PreviousFiles>),
                &book.language_codes(),
            )
        });
        let tera = site::templates(&theme).map_err(|error| vec![error])?;

        // Step 2: markdown to HTML bodies, edition by edition.
        let numbered: Vec<NumberedCaptions> = book
            .editions
            .iter()
            .map(|edition| edition::number_captions(book, edition, &self.markdown))
            .collect();
        let strings: Vec<UiStrings> = book
            .editions
            .iter()
            .map(|edition| theme.ui_strings(&edition.language.code))
            .collect::<Result<_, _>>()
            .map_err(|error| vec![error])?;
        let labels: Vec<_> = numbered.iter().map(|numbered| &numbered.labels).collect();
        let full = self
            .layout
            .begin(site::fingerprint(book, &theme, sample, &labels));
        if full {
            self.markdown.forget_bodies();
        }
        let bodies: Vec<EditionBodies<'_>> = book
            .editions
            .iter()
            .zip(numbered)
            .zip(&strings)
            .map(|((edition, numbered), strings)| {
                let typographer =
                    Typographer::new(&edition.language.code, book.config.typography_rules());
                let blocks = EditionBlocks::new(book, edition, strings, typographer);
                let inputs = EditionInputs {
                    highlighter: &self.highlighter,
                    embeds: &embedder,
                    blocks: &blocks,
                    strings,
                    typographer,
                };
                edition::render_edition(book, edition, numbered, &inputs, &self.markdown)
            })
            .collect();
        crate::phases::ended(crate::phases::Step::MarkdownBodies);
        let mut problems = edition::problems(&bodies);
        problems.extend(source_warnings);

        // Step 3: the site's pages through the theme.
        let services = site::Services {
            assets: &urls,
            sample,
            publications: self.mode == Mode::Build,
            base_path: self.base_url.as_deref(),
            previous_output: previous.as_deref().map(|p| p as &dyn PreviousFiles),
            pdf_downloads: self.mode == Mode::Build && super::pdf_engine(book).is_some(),
            search: indexer.as_ref(),
            sink,
        };
        let (pages, mut written, layout_problems) =
            site::render_pages(book, &theme, &tera, &bodies, full, &services, &self.layout);
        crate::phases::ended(crate::phases::Step::PagesRendered);
        problems.extend(layout_problems);
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }
        edition::keep(&mut self.markdown, &bodies);
        self.layout.keep(
            pages
                .iter()
                .map(|file| (file.path.clone(), Arc::clone(&file.bytes)))
                .collect(),
        );
        // Every page is laid out: the bodies are done with (serve's cache keeps its own
        // references), and their memory goes to pagefind while it builds its files.
        drop(bodies);
        if let Some(indexer) = indexer {
            files.extend(indexer.finish().map_err(|error| vec![error])?);
        }
        crate::phases::ended(crate::phases::Step::SearchFinished);
        // After the pages: an image that leads out of the book is reported at its line
        // there first; a file nothing names is reported here. A translation's tree gets
        // the original's files it lacks (an image only the original has), so its pages,
        // print page and EPUB find them as the original's do.
        let original = book.root.join(&book.source().language.src_dir);
        let mut unreadable = Vec::new();
        let original_files =
            assets::content_files(&original, "", &book.allowed).unwrap_or_else(|found| {
                unreadable.extend(found);
                Vec::new()
            });
        for edition in &book.editions {
            let prefix = &edition.language.url_prefix;
            let under_prefix = |file: &OutputFile| OutputFile {
                path: format!("{prefix}{}", file.path),
                bytes: Arc::clone(&file.bytes),
            };
            if edition.language.is_source {
                files.extend(original_files.iter().map(under_prefix));
                continue;
            }
            let directory = book.root.join(&edition.language.src_dir);
            let own =
                assets::content_files(&directory, prefix, &book.allowed).unwrap_or_else(|found| {
                    unreadable.extend(found);
                    Vec::new()
                });
            let present: std::collections::HashSet<&str> =
                own.iter().map(|file| file.path.as_str()).collect();
            let missing: Vec<OutputFile> = original_files
                .iter()
                .map(under_prefix)
                .filter(|file| !present.contains(file.path.as_str()))
                .collect();
            files.extend(missing);
            files.extend(own);
        }
        if !unreadable.is_empty() {
            return Err(problems.into_iter().chain(unreadable).collect());
        }
        if let Some(bytes) = self.highlighter.take_cache_file() {
            files.push(OutputFile {
                path: format!("{CACHE_DIR}/{CODE_CACHE_FILE}"),
                bytes: Arc::new(bytes),
            });
        }
        files.extend(pages);
        if let Some(sink) = sink {
            // In parallel, as the writer wrote every file before it took them one by one
            // (the search index alone is thousands of files on a big book).
            files
                .par_iter()
                .try_for_each(|file| sink.put(file))
                .map_err(|error| vec![error])?;
            written.extend(files.drain(..).map(|file| file.path));
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut folded: Vec<String> = files
            .iter()
            .map(|file| &file.path)
            .chain(&written)
            .map(|path| path.to_lowercase())
            .collect();
        folded.sort_unstable();
        let clashes: Vec<Diagnostic> = folded
            .windows(2)
            .filter(|pair| pair[0] == pair[1])
            .map(|pair| {
                Diagnostic::error(
                    "duplicate-output",
                    format!("two files of the site would be written to `{}`", pair[1]),
                )
                .in_file(book.root.join(&book.config.book.src))
                .with_hint("a file of the content directory has the name of a page or of a file folio generates (or differs from it only in case): rename it")
            })
            .collect();
        if !clashes.is_empty() {
            return Err(problems.into_iter().chain(clashes).collect());
        }
        Ok((files, problems))
    }
}
