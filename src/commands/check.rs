//! `folio check`: loads and renders the whole book without writing it, and reports
//! every problem at once, sorted by file and line: what the build finds (broken links and
//! anchors, missing images and snippets, stale snippets, invalid runbooks and data,
//! SUMMARY.md entries without files...) plus translation states and files that no
//! SUMMARY.md lists.

use crate::book::translation::{self, TranslationState};
use crate::book::{Book, PageContent};
use crate::build::{EditionKind, Engine, Mode};
use crate::config::CheckLevel;
use crate::diagnostic::{self, Diagnostic, Severity};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use walkdir::WalkDir;

/// How many external links are checked at once.
const EXTERNAL_CONCURRENCY: usize = 8;
/// How long one external link may take.
const EXTERNAL_TIMEOUT: Duration = Duration::from_secs(10);

/// How `folio check` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    /// One line per problem, then a count.
    Text,
    /// A JSON array.
    Json,
    /// GitHub Actions annotations (`::error file=...,line=...::`).
    Github,
}

/// Checks the book at `book_dir` and prints the report; exit code 1 on errors, or on
/// warnings when `deny_warnings`. `allow_preprocessors` lets the book's
/// `[preprocessor.*]` commands run (`--allow-preprocessors`).
pub fn run(
    book_dir: &Path,
    granted: &[PathBuf],
    allow_preprocessors: bool,
    format: CheckFormat,
    deny_warnings: bool,
    external: bool,
) -> ExitCode {
    let problems = check(book_dir, granted, allow_preprocessors, external);
    let report = match format {
        CheckFormat::Text => text(&problems),
        CheckFormat::Json => json(&problems) + "\n",
        CheckFormat::Github => github(&problems),
    };
    print!("{report}");
    let failing = problems.iter().any(|problem| {
        problem.is_error() || (deny_warnings && problem.severity == Severity::Warning)
    });
    if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Every problem of the book at `root` (reaching the `granted` directories, running
/// its preprocessors when `allow_preprocessors`), sorted by file and line; `external`
/// also fetches every link to another site (bounded concurrency and timeout).
pub fn check(
    root: &Path,
    granted: &[PathBuf],
    allow_preprocessors: bool,
    external: bool,
) -> Vec<Diagnostic> {
    let mut engine = Engine::new(root, EditionKind::Full, Mode::Check);
    engine.granted = granted.to_vec();
    engine.allow_preprocessors |= allow_preprocessors;
    let (book, mut problems) = match engine.load() {
        Ok((book, problems)) => (Some(book), problems),
        Err(problems) => (None, problems),
    };
    if let Some(book) = &book {
        match engine.render_book(book, None, None) {
            Ok((_, warnings)) => problems.extend(warnings),
            Err(errors) => problems.extend(errors),
        }
        // What the rendering does not see: asked of the same book, even when rendering
        // failed.
        problems.extend(translation_problems(book));
        problems.extend(unlisted_files(book));
        if external {
            problems.extend(broken_external_links(book));
        }
    }
    diagnostic::sort(&mut problems);
    problems.dedup();
    problems
}

fn translation_problems(book: &Book) -> Vec<Diagnostic> {
    let levels = book.config.check;
    let mut problems = Vec::new();
    for edition in book
        .editions
        .iter()
        .filter(|edition| !edition.language.is_source)
    {
        let summary = book
            .root
            .join(&edition.language.src_dir)
            .join(crate::book::SUMMARY_FILE);
        for page in &edition.pages {
            let Some(state) = translation::state(book, edition, page) else {
                continue;
            };
            let (level, code, message, hint) = match state {
                TranslationState::Stale => (
                    levels.stale_translation,
                    "stale-translation",
                    "the original changed since this translation",
                    "update the translation, then run `folio translations --mark` on it",
                ),
                TranslationState::Missing => (
                    levels.missing_translation,
                    "missing-translation",
                    "this page exists only in the original language",
                    "translate it, or allow missing translations with [check] missing-translation = \"allow\"",
                ),
                TranslationState::Unverified => (
                    levels.unverified_translation,
                    "unverified-translation",
                    "this translation records no `source-hash`",
                    "run `folio translations --mark` on it once it matches the original",
                ),
                _ => continue,
            };
            let severity = match level {
                CheckLevel::Allow => continue,
                CheckLevel::Warning => Severity::Warning,
                CheckLevel::Error => Severity::Error,
            };
            let file = match &page.content {
                PageContent::Written(written) => written.file.clone(),
                _ => summary.clone(),
            };
            let mut problem = Diagnostic::warning(
                code,
                format!("`{}` ({}): {message}", page.path, edition.language.code),
            )
            .in_file(file)
            .with_hint(hint);
            problem.severity = severity;
            problems.push(problem);
        }
    }
    problems
}

/// Links to other sites that do not answer with a success, each reported where written.
fn broken_external_links(book: &Book) -> Vec<Diagnostic> {
    let mut occurrences: Vec<(String, PathBuf, usize)> = Vec::new();
    for edition in &book.editions {
        for page in &edition.pages {
            if let PageContent::Written(written) = &page.content {
                for (url, line) in crate::markdown::scan::external_links(&written.markdown) {
                    occurrences.push((url, written.file.clone(), line + written.first_line - 1));
                }
            }
        }
    }
    let mut urls: Vec<&str> = occurrences.iter().map(|(url, _, _)| url.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(EXTERNAL_TIMEOUT))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let failures: HashMap<String, String> = std::thread::scope(|scope| {
        let chunks: Vec<Vec<&str>> = (0..EXTERNAL_CONCURRENCY)
            .map(|worker| {
                urls.iter()
                    .skip(worker)
                    .step_by(EXTERNAL_CONCURRENCY)
                    .copied()
                    .collect()
            })
            .collect();
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let agent = agent.clone();
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .filter_map(|url| {
                            fetch_failure(&agent, url).map(|why| (url.to_string(), why))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_default())
            .collect()
    });
    occurrences
        .into_iter()
        .filter_map(|(url, file, line)| {
            let why = failures.get(&url)?;
            Some(
                Diagnostic::warning("broken-external-link", format!("`{url}`: {why}"))
                    .in_file(file)
                    .at_line(line)
                    .with_hint("fix or remove the link (it was fetched because of --external)"),
            )
        })
        .collect()
}

/// How many redirects a link may lead through.
const MAX_REDIRECTS: usize = 10;

/// Why `url` does not answer with a success, if it does not. Redirects are followed
/// here, one by one, so that one to another scheme (`file:`, `javascript:`) is a broken
/// link rather than a path fetched again from the same server.
fn fetch_failure(agent: &ureq::Agent, url: &str) -> Option<String> {
    let Ok(mut current) = url::Url::parse(url) else {
        return Some("is not a valid address".to_string());
    };
    for _ in 0..=MAX_REDIRECTS {
        if !matches!(current.scheme(), "http" | "https") {
            return Some(format!(
                "leads to `{current}`, a `{}:` address that a web page cannot open",
                current.scheme()
            ));
        }
        let response = match agent.head(current.as_str()).call() {
            Ok(response) if response.status().as_u16() == 405 => agent.get(current.as_str()).call(),
            other => other,
        };
        let response = match response {
            Ok(response) => response,
            Err(error) => return Some(format!("cannot be reached ({error})")),
        };
        let code = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok());
        match (code, location) {
            (300..=399, Some(location)) => match current.join(location) {
                Ok(next) => current = next,
                Err(_) => {
                    return Some(format!(
                        "redirects to `{location}`, which is not an address"
                    ));
                }
            },
            (..=399, _) => return None,
            _ => return Some(format!("answered {code}")),
        }
    }
    Some(format!("redirects more than {MAX_REDIRECTS} times"))
}

/// Markdown files of a language tree that its SUMMARY.md does not list and that no page
/// includes.
fn unlisted_files(book: &Book) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for edition in &book.editions {
        let directory = book.root.join(&edition.language.src_dir);
        let listed: HashSet<&str> = edition
            .summary
            .chapters()
            .filter_map(|chapter| chapter.path.as_deref())
            .collect();
        let included = included_files(edition, &directory);
        for entry in WalkDir::new(&directory)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            let Ok(relative) = path.strip_prefix(&directory) else {
                continue;
            };
            let relative = relative.to_string_lossy().replace('\\', "/");
            let is_page = path.extension().is_some_and(|extension| extension == "md")
                && relative != crate::book::SUMMARY_FILE;
            if is_page && !listed.contains(relative.as_str()) && !included.contains(path) {
                problems.push(
                    Diagnostic::warning(
                        "unlisted-file",
                        format!("`{relative}` is not listed in SUMMARY.md, so it is not published"),
                    )
                    .in_file(path)
                    .with_hint("add it to SUMMARY.md, or delete it"),
                );
            }
        }
    }
    problems
}

/// The files pages pull in with `{{#include}}`.
fn included_files(edition: &crate::book::Edition, directory: &Path) -> HashSet<PathBuf> {
    edition
        .pages
        .iter()
        .filter_map(|page| match &page.content {
            PageContent::Written(written) => Some((page, written)),
            _ => None,
        })
        .flat_map(|(page, written)| {
            crate::markdown::scan::embed_directives(&written.markdown)
                .into_iter()
                .filter_map(|(text, _)| crate::snippets::directive::parse(&text).ok())
                .filter(|directive| directive.source.is_none())
                .filter_map(|directive| crate::book::resolve_link(&page.path, &directive.path))
                .map(|relative| directory.join(relative))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The problems as text, one per line, and a count.
fn text(problems: &[Diagnostic]) -> String {
    let mut out: String = problems
        .iter()
        .map(|problem| format!("{problem}\n"))
        .collect();
    let count = |severity: Severity| {
        problems
            .iter()
            .filter(|problem| problem.severity == severity)
            .count()
    };
    out.push_str(&format!(
        "{} error(s), {} warning(s)\n",
        count(Severity::Error),
        count(Severity::Warning)
    ));
    out
}

/// How a report names a severity.
fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The problems as a JSON array.
fn json(problems: &[Diagnostic]) -> String {
    let values: Vec<serde_json::Value> = problems
        .iter()
        .map(|problem| {
            serde_json::json!({
                "severity": severity_name(problem.severity),
                "code": problem.code,
                "file": problem.path.as_ref().map(|path| display_path(path)),
                "line": problem.line,
                "message": problem.message,
                "hint": problem.hint,
            })
        })
        .collect();
    serde_json::to_string_pretty(&values).expect("the report is plain data")
}

/// The problems as GitHub Actions annotations.
fn github(problems: &[Diagnostic]) -> String {
    let escape = |text: &str| {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let escape_property = |text: &str| escape(text).replace(':', "%3A").replace(',', "%2C");
    problems
        .iter()
        .map(|problem| {
            let kind = match problem.severity {
                Severity::Note => "notice",
                severity => severity_name(severity),
            };
            let mut properties = Vec::new();
            if let Some(path) = &problem.path {
                properties.push(format!("file={}", escape_property(&display_path(path))));
            }
            if let Some(line) = problem.line {
                properties.push(format!("line={line}"));
            }
            properties.push(format!("title={}", escape_property(problem.code)));
            let message = match &problem.hint {
                Some(hint) => format!("{} ({hint})", problem.message),
                None => problem.message.clone(),
            };
            format!("::{kind} {}::{}\n", properties.join(","), escape(&message))
        })
        .collect()
}

fn display_path(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}
