//! Helpers shared by the integration tests: fixture books copied to temporary
//! directories, and the real `folio` binary run on them.
#![allow(dead_code)]

pub mod browser;
pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A fixture book copied into a fresh temporary directory (removed on drop).
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// Copies `tests/fixtures/NAME`.
    pub fn copy(name: &str) -> Fixture {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dir = tempfile::tempdir().expect("create a temporary directory");
        copy_tree(&source, dir.path());
        Fixture { dir }
    }

    /// An empty temporary directory.
    pub fn empty() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// Rewrites the file at `relative` with `change` applied to its text.
    pub fn edit(&self, relative: &str, change: impl FnOnce(String) -> String) {
        let text = self.read(relative);
        self.write(relative, change(text));
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.path(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Runs `folio ARGS...` with the fixture as working directory.
    pub fn folio(&self, args: &[&str]) -> Run {
        Run::new(
            Command::new(env!("CARGO_BIN_EXE_folio"))
                .args(args)
                .current_dir(self.root())
                .output()
                .unwrap(),
        )
    }

    /// Runs `folio build` and insists that it succeeded.
    pub fn build(&self) -> Run {
        let run = self.folio(&["build"]);
        assert!(run.success(), "build failed:\n{}", run.stderr);
        run
    }
}

/// The outcome of one `folio` run.
pub struct Run {
    pub status: std::process::ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs a prepared command.
    pub fn from_command(command: &mut Command) -> Run {
        Run::new(command.output().unwrap())
    }

    /// The outcome of a finished child process.
    pub fn from_command_output(output: Output) -> Run {
        Run::new(output)
    }

    fn new(output: Output) -> Run {
        Run {
            status: output.status,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn success(&self) -> bool {
        self.status.success()
    }

    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

pub fn copy_tree(source: &Path, destination: &Path) {
    for entry in walkdir::WalkDir::new(source) {
        let entry = entry.unwrap();
        let target = destination.join(entry.path().strip_prefix(source).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The text between the first `start` in `text` and the next `"`: an attribute's value
/// when `start` ends with `="`.
pub fn quoted_after(text: &str, start: &str) -> String {
    let rest = text
        .split_once(start)
        .unwrap_or_else(|| panic!("`{start}` in {text}"))
        .1;
    rest.split('"').next().unwrap().to_string()
}

/// The repository's default book.
pub fn default_book_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the default book (with `extra` arguments) into a temporary directory; returns
/// the directory's owner, the site's path and the run, which must have succeeded.
pub fn build_default_book(extra: &[&str]) -> (Fixture, PathBuf, Run) {
    let out = Fixture::empty();
    let site = out.path("site");
    let run = Run::from_command(
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("build")
            .arg(default_book_root())
            .arg("-d")
            .arg(&site)
            .args(extra),
    );
    assert!(run.success(), "{}", run.stderr);
    (out, site, run)
}

/// Runs git in `directory` as a fixed test identity, dated `date` when given; returns
/// its output, and insists that it succeeded.
pub fn git_at(directory: &Path, args: &[&str], date: Option<&str>) -> String {
    let mut command = Command::new("git");
    command
        .args(args)
        .current_dir(directory)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org");
    if let Some(date) = date {
        command
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// [`git_at`] without a date.
pub fn git(directory: &Path, args: &[&str]) -> String {
    git_at(directory, args, None)
}

/// Every file under `root`, relative, with its bytes, sorted.
pub fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (relative, std::fs::read(entry.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The run failed (exit 1) with an error at `location` carrying a hint and `words`.
pub fn assert_error(run: &Run, location: &str, words: &[&str]) {
    assert_eq!(run.code(), Some(1), "expected exit 1:\n{}", run.stderr);
    assert!(
        run.stderr.contains(location),
        "expected {location} in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: "),
        "expected a hint in:\n{}",
        run.stderr
    );
    for word in words {
        assert!(
            run.stderr.contains(word),
            "expected {word:?} in:\n{}",
            run.stderr
        );
    }
}

/// Runs folio with ARGS in `book`, killed after 30 s: a test that a run never blocks
/// (on a named pipe, a device, an endless input) fails instead of hanging.
pub fn bounded(book: &Fixture, args: &[&str]) -> Run {
    bounded_for(book, args, 30)
}

/// [`bounded`] with another limit, for inputs that a quadratic algorithm would take
/// far longer than `seconds` on.
pub fn bounded_for(book: &Fixture, args: &[&str], seconds: u64) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(book.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(seconds) {
            child.kill().unwrap();
            panic!("folio {args:?} ran for more than {seconds} s: it blocked or took too long");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run::from_command_output(child.wait_with_output().unwrap())
}

/// The text of each highlighted code block (`<pre class="code">`) of `html`, in order:
/// tags dropped, entities decoded.
pub fn code_blocks(html: &str) -> Vec<String> {
    html.split("<pre class=\"code\"")
        .skip(1)
        .map(|block| {
            let inner = &block[block.find("<code").unwrap()..block.find("</code>").unwrap()];
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The code blocks of `html` as a reader first sees them: hidden lines
/// (`<span class="boring">`) left out, tags removed, entities decoded.
pub fn visible_code_blocks(html: &str) -> Vec<String> {
    const OPENING: &str = "<span class=\"boring\">";
    let mut shown = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPENING) {
        shown.push_str(&rest[..start]);
        let mut depth = 0;
        let mut at = start;
        loop {
            let open = rest[at..].find("<span").map(|i| (i, true));
            let close = rest[at..].find("</span>").map(|i| (i, false));
            let (offset, opens) = open.into_iter().chain(close).min().unwrap();
            at += offset;
            if opens {
                depth += 1;
                at += "<span".len();
            } else {
                depth -= 1;
                at += "</span>".len();
                if depth == 0 {
                    break;
                }
            }
        }
        rest = &rest[at..];
    }
    shown.push_str(rest);
    code_blocks(&shown)
}

/// The places where a page shows `{{#` outside `<code>` (a directive that reached the
/// reader as text), as short excerpts.
pub fn directives_outside_code(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    // The head's description quotes the first paragraph's text, code spans included.
    let mut rest = html.split_once("</head>").map_or(html, |(_, body)| body);
    while !rest.is_empty() {
        if rest.starts_with("<code") {
            depth += 1;
        } else if rest.starts_with("</code>") {
            depth = depth.saturating_sub(1);
        } else if rest.starts_with("{{#") && depth == 0 {
            found.push(rest.chars().take(60).collect());
        }
        let step = rest.chars().next().map_or(1, char::len_utf8);
        rest = &rest[step..];
    }
    found
}

/// WCAG's contrast ratio of two colours given as red, green and blue from 0 to 255.
pub fn contrast_ratio(a: [f64; 3], b: [f64; 3]) -> f64 {
    let luminance = |rgb: [f64; 3]| {
        let channel = |value: f64| {
            let value = value / 255.0;
            if value <= 0.03928 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    };
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}
