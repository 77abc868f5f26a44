//! The whole pipeline for `folio build`: load, render, write.

use crate::book::source_cache::SourceCache;
use crate::book::{self, Book};
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::highlight::cache::HighlightCache;
use crate::output;
use crate::render::cache::RenderCache;
use crate::render::{CACHE_DIR, OutputFile, PreviousFiles, assets, search, site, theme::Theme};
use crate::snippets::embed::Embedder;
use crate::snippets::sources::Sources;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Where the site was written.
    pub destination: PathBuf,
    /// HTML pages written.
    pub page_count: usize,
    /// All files written.
    pub file_count: usize,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// The highlighted code blocks' file in the build directory's cache.
const CODE_CACHE_FILE: &str = "highlight.bin";

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `[build] build-dir`.
    pub destination: Option<PathBuf>,
    /// Which edition to build.
    pub edition: EditionKind,
    /// The path the site is published under (`/book/`), overriding `site-url`'s.
    pub base_url: Option<String>,
}

/// The full book, or its free sample.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum EditionKind {
    /// Every chapter.
    #[default]
    Full,
    /// Only the pages marked `sample = true`; written to `BUILD_DIR-sample` by default.
    Sample,
}

/// Builds the book at `root`; on failure, every problem found and the old output intact.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let mut engine = Engine::new(root, options.edition, Mode::Build);
    engine.base_url = options.base_url.clone();
    engine.destination = options.destination.clone();
    let site = engine.render()?;
    let destination = site.destination.clone();
    let sources = site.book.root.join(&site.book.config.book.src);
    output::check_outside_sources(&destination, &site.book.root, &sources)
        .map_err(|error| vec![error])?;
    let mut warnings = site.warnings;
    let pdfs = pdf_jobs(&site.book, &mut warnings);
    let write_pdfs = |staging: &Path| {
        pdfs.iter()
            .try_for_each(|(engine, print_page, pdf, epoch)| {
                output::pdf::render(
                    *engine,
                    &staging.join(print_page),
                    &staging.join(pdf),
                    *epoch,
                )
            })
    };
    output::write_site_then(
        &destination,
        &site.files,
        site.previous.as_deref(),
        &write_pdfs,
    )
    .map_err(|error| vec![error])?;
    let site_files = || {
        site.files
            .iter()
            .filter(|file| !file.path.starts_with(CACHE_DIR))
    };
    let page_count = site_files()
        .filter(|file| file.path.ends_with(".html"))
        .count();
    Ok(BuildReport {
        destination,
        page_count,
        file_count: site_files().count() + pdfs.len(),
        warnings,
    })
}

/// True when `[output.pdf]` asks for PDFs.
fn pdf_wanted(book: &Book) -> bool {
    book.config
        .output
        .pdf
        .as_ref()
        .is_some_and(|pdf| pdf.enable)
}

/// The PDFs to make from the print pages: (engine, print page, PDF), both relative to
/// the output; a warning instead when `[output.pdf]` is set but no engine is installed.
fn pdf_jobs(
    book: &Book,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<(output::pdf::PdfEngine, String, String, i64)> {
    if !pdf_wanted(book) {
        return Vec::new();
    }
    let Some(engine) = output::pdf::engine() else {
        warnings.push(
            Diagnostic::warning("no-pdf-engine", "no PDF engine is installed: the PDFs were not written")
                .in_file(book.root.join(crate::config::CONFIG_FILE))
                .with_hint("install WeasyPrint (Debian: apt-get install weasyprint) or Chromium, or remove [output.pdf]"),
        );
        return Vec::new();
    };
    book.editions
        .iter()
        .map(|edition| {
            let prefix = &edition.language.url_prefix;
            let directory = book.root.join(&edition.language.src_dir);
            let updated = book
                .changelog
                .as_ref()
                .and_then(|changelog| changelog.latest())
                .or_else(|| crate::book::history::last_updated(&directory, edition));
            let epoch = updated.map_or(0, crate::book::history::Date::epoch_seconds);
            (
                engine,
                format!("{prefix}{}", site::PRINT_PAGE),
                format!(
                    "{prefix}{}",
                    site::publication_name(&edition.language.title, "pdf")
                ),
                epoch,
            )
        })
        .collect()
}

/// The pipeline, kept between renders: `build` uses it once, `serve` after every change
/// (the grammars are loaded once; unchanged pages come from its cache).
pub struct Engine {
    /// `--base-url`: the path the site is published under.
    pub base_url: Option<String>,
    /// `--dest-dir`: where the site goes instead of `[build] build-dir`.
    pub destination: Option<PathBuf>,
    root: PathBuf,
    edition: EditionKind,
    mode: Mode,
    highlighter: Highlighter,
    sources: SourceCache,
    cache: RenderCache,
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
    /// Renders once to find problems: nothing kept, no search index, no print or EPUB.
    Check,
}

/// A rendered site, in memory.
pub struct RenderedSite {
    /// The book it was rendered from.
    pub book: Book,
    /// Every file of the site, sorted by path.
    pub files: Vec<OutputFile>,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// Where the site goes: `--dest-dir`, else `[build] build-dir` (with `-sample` for
    /// the sample edition).
    pub destination: PathBuf,
    /// The site this one replaces, when folio wrote it (`build` only).
    pub previous: Option<Arc<output::Previous>>,
}

impl Engine {
    /// An engine for the book at `root`.
    pub fn new(root: &Path, edition: EditionKind, mode: Mode) -> Self {
        Self {
            base_url: None,
            destination: None,
            root: root.to_path_buf(),
            edition,
            mode,
            highlighter: Highlighter::new(),
            sources: match mode {
                Mode::Build | Mode::Check => SourceCache::default(),
                Mode::Serve => SourceCache::enabled(),
            },
            cache: match mode {
                Mode::Build | Mode::Check => RenderCache::default(),
                Mode::Serve => RenderCache::enabled(),
            },
        }
    }

    /// The book's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Records files changed on disk, so pages embedding them are rendered again.
    pub fn files_changed(&mut self, files: impl IntoIterator<Item = PathBuf>) {
        self.cache.files_changed(files);
    }

    /// Loads the book and renders the whole site in memory.
    pub fn render(&mut self) -> Result<RenderedSite, Vec<Diagnostic>> {
        let load = if self.mode == Mode::Check {
            book::load_lenient_with
        } else {
            book::load_with
        };
        let (mut book, mut warnings) = load(&self.root, &self.sources)?;
        let sample = self.edition == EditionKind::Sample;
        if sample {
            book::sample::restrict_to_sample(&mut book).map_err(|error| vec![error])?;
        }
        let build_dir = book.config.build_dir(&self.root);
        let default_destination = if sample {
            let name = build_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            build_dir.with_file_name(format!("{name}-sample"))
        } else {
            build_dir
        };
        let destination = self.destination.clone().unwrap_or(default_destination);
        let previous = (self.mode == Mode::Build)
            .then(|| output::Previous::open(&destination))
            .flatten()
            .map(Arc::new);
        if self.mode == Mode::Build {
            let bytes = previous
                .as_ref()
                .and_then(|previous| previous.read(&format!("{CACHE_DIR}/{CODE_CACHE_FILE}")))
                .unwrap_or_default();
            self.highlighter
                .use_cache(HighlightCache::from_bytes(&bytes));
        }
        let (files, render_warnings) =
            self.render_site(&book, sample, previous.clone())
                .map_err(|errors| {
                    // In check mode the loading errors come first; a build has none here.
                    warnings.iter().cloned().chain(errors).collect::<Vec<_>>()
                })?;
        warnings.extend(render_warnings);
        Ok(RenderedSite {
            book,
            files,
            warnings,
            destination,
            previous,
        })
    }

    fn render_site(
        &mut self,
        book: &Book,
        sample: bool,
        previous: Option<Arc<output::Previous>>,
    ) -> Result<(Vec<OutputFile>, Vec<Diagnostic>), Vec<Diagnostic>> {
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
        let sources = Sources::open(&book.config.snippets.sources, &book.root, &config_file)?;
        let embedder = Embedder::new(&sources, &book.allowed);
        let indexer = (html.search.enable && self.mode == Mode::Build)
            .then(|| search::Indexer::start(previous.clone().map(|p| p as Arc<dyn PreviousFiles>)));
        let services = site::Services {
            highlighter: &self.highlighter,
            embeds: &embedder,
            assets: &urls,
            sample,
            publications: self.mode == Mode::Build,
            base_path: self.base_url.as_deref(),
            previous_output: previous.as_deref().map(|p| p as &dyn PreviousFiles),
            pdf_downloads: self.mode == Mode::Build
                && pdf_wanted(book)
                && output::pdf::engine().is_some(),
            search: indexer.as_ref(),
        };
        let (pages, warnings) = site::render_pages(book, &theme, &services, &mut self.cache)?;
        if let Some(indexer) = indexer {
            files.extend(indexer.finish().map_err(|error| vec![error])?);
        }
        // After the pages: an image that leads out of the book is reported at its line
        // there first; a file nothing names is reported here.
        for edition in &book.editions {
            let directory = book.root.join(&edition.language.src_dir);
            files.extend(
                assets::content_files(&directory, &edition.language.url_prefix, &book.allowed)
                    .map_err(|error| vec![error])?,
            );
        }
        if let Some(bytes) = self.highlighter.take_cache_file() {
            files.push(OutputFile {
                path: format!("{}/{CODE_CACHE_FILE}", CACHE_DIR),
                bytes: Arc::new(bytes),
            });
        }
        files.extend(pages);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((files, warnings))
    }
}
