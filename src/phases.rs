//! The steps of the pipeline as they end: told to an observer (`folio build`'s progress
//! display), and with `FOLIO_PHASES=1` one line on standard error each, with the time
//! since the first step and the process's resident and peak memory (read from
//! `/proc/self/status`; shown as 0 where there is none). The profile behind
//! bench/RESULTS.md; off, it costs one environment lookup per step.

use std::sync::OnceLock;
use std::time::Instant;

/// The environment variable that turns the lines on.
pub const VARIABLE: &str = "FOLIO_PHASES";

/// A step of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The engine began.
    Started,
    /// Step 1: the book is loaded.
    Loaded,
    /// Step 2: every page's markdown is rendered to its body.
    MarkdownBodies,
    /// Step 3: every page is laid out (and, in a build, written).
    PagesRendered,
    /// One language's search index has every page.
    SearchPagesAdded,
    /// The search index's files are built.
    SearchFinished,
    /// Step 4: the PDFs, the marker and the swap.
    Written,
}

impl Step {
    /// Its name in `FOLIO_PHASES` lines.
    pub fn name(self) -> &'static str {
        match self {
            Step::Started => "started",
            Step::Loaded => "loaded",
            Step::MarkdownBodies => "markdown bodies",
            Step::PagesRendered => "pages rendered",
            Step::SearchPagesAdded => "search: every page added",
            Step::SearchFinished => "search index finished",
            Step::Written => "PDFs, marker, swap",
        }
    }
}

/// Who is told each step as it ends.
pub type Observer = Box<dyn Fn(Step) + Send + Sync>;

static OBSERVER: OnceLock<Observer> = OnceLock::new();

/// Tells `observer` the name of every step that ends from now on (set once per process).
pub fn observe(observer: Observer) {
    let _ = OBSERVER.set(observer);
}

/// Reports that `step` ended.
pub fn ended(step: Step) {
    if let Some(observer) = OBSERVER.get() {
        observer(step);
    }
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    let Some(start) = START.get_or_init(|| std::env::var_os(VARIABLE).map(|_| Instant::now()))
    else {
        return;
    };
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let megabytes = |field: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kilobytes| kilobytes / 1024)
    };
    eprintln!(
        "[phase] {:>8.2} s  rss {:>6} MB  peak {:>6} MB  {}",
        start.elapsed().as_secs_f64(),
        megabytes("VmRSS:"),
        megabytes("VmHWM:"),
        step.name()
    );
}
