//! A book's preprocessors are a stranger's commands, buggy as well as hostile: each runs
//! with a time limit and bounded output, in its own process group that folio ends (with
//! what it started) on a limit, on an error and when `serve` is told to stop; an answer
//! that is not a book is an error naming the preprocessor, at its table's line.

mod common;

use common::{Fixture, Run, bounded_for};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A one-page book whose `[preprocessor.p]` runs `script` (a shell script written into
/// the book) with `extra` lines in its table.
fn book_with_preprocessor(script: &str, extra: &str) -> Fixture {
    let book = Fixture::empty();
    book.write(
        "book.toml",
        format!(
            "[book]\ntitle = \"t\"\n\n[output.html]\n\n[preprocessor.p]\ncommand = \"sh tools/p.sh\"\n{extra}"
        ),
    );
    book.write("src/SUMMARY.md", "- [A](a.md)\n");
    book.write("src/a.md", "# A\n\nThe page.\n");
    book.write("tools/p.sh", script);
    book
}

/// The line of `[preprocessor.p]` in [`book_with_preprocessor`]'s book.toml.
const TABLE_LINE: &str = "book.toml:6";

/// Answers `supports` with yes; otherwise what follows.
const SUPPORTS: &str = "[ \"$1\" = supports ] && exit 0\n";

/// Sends the book it reads back unchanged (mdBook's smallest preprocessor).
const ECHO: &str = "python3 -c 'import json, sys; context, book = json.load(sys.stdin); print(json.dumps(book))'\n";

fn build(book: &Fixture) -> Run {
    bounded_for(book, &["build", "--allow-preprocessors"], 60)
}

/// The process ids the scripts wrote into `pids`.
fn recorded_pids(book: &Fixture) -> Vec<i32> {
    std::fs::read_to_string(book.path("pids"))
        .unwrap_or_default()
        .lines()
        .map(|line| line.trim().parse().unwrap())
        .collect()
}

/// True while `pid` is a live process (a zombie is not one).
fn is_alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z')
    })
}

fn assert_all_ended(book: &Fixture) {
    let pids = recorded_pids(book);
    assert!(!pids.is_empty(), "the script did not run");
    let deadline = Instant::now() + Duration::from_secs(5);
    while pids.iter().any(|&pid| is_alive(pid)) {
        assert!(Instant::now() < deadline, "still running: {pids:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn assert_failed_at_table(run: &Run, words: &[&str]) {
    assert_eq!(run.code(), Some(1), "expected exit 1:\n{}", run.stderr);
    assert!(
        run.stderr.contains(TABLE_LINE),
        "expected {TABLE_LINE} in:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: "), "{}", run.stderr);
    for word in words {
        assert!(
            run.stderr.contains(word),
            "expected {word:?} in:\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_preprocessor_that_hangs_on_supports_is_stopped_at_its_time_limit() {
    let book = book_with_preprocessor(
        "if [ \"$1\" = supports ]; then echo $$ >> pids; exec sleep 600; fi\ncat\n",
        "timeout = 2\n",
    );
    let run = build(&book);
    assert_failed_at_table(
        &run,
        &[
            "preprocessor `p` (`sh tools/p.sh`) ran for more than 2 s",
            "raise `timeout`",
        ],
    );
    assert_all_ended(&book);
}

#[test]
fn a_preprocessor_that_never_reads_its_input_is_stopped_with_its_children() {
    // The book is larger than a pipe holds, so writing it blocks until the group dies.
    let book = book_with_preprocessor(
        &format!("{SUPPORTS}sleep 600 &\necho $! >> pids\necho $$ >> pids\nwait\n"),
        "timeout = 2\n",
    );
    book.write("src/a.md", format!("# A\n\n{}\n", "words ".repeat(200_000)));
    let run = build(&book);
    assert_failed_at_table(&run, &["ran for more than 2 s"]);
    assert_all_ended(&book);
}

#[test]
fn a_child_left_holding_the_output_pipe_neither_hangs_the_build_nor_outlives_it() {
    // mdBook, and folio before, waited for end-of-file: for ever, as the child holds it.
    let book = book_with_preprocessor(
        &format!("{SUPPORTS}{ECHO}sleep 600 &\necho $! >> pids\nexit 0\n"),
        "",
    );
    let run = build(&book);
    assert!(run.success(), "{}", run.stderr);
    assert!(book.read("book/a.html").contains("The page."));
    assert_all_ended(&book);
}

#[test]
fn output_past_the_limit_stops_the_preprocessor_in_bounded_memory() {
    let book = book_with_preprocessor(
        &format!("{SUPPORTS}echo $$ >> pids\nhead -c 600000000 /dev/zero\n"),
        "",
    );
    let run = build(&book);
    assert_failed_at_table(
        &run,
        &["wrote more than 64 MiB on its standard output and was stopped"],
    );
    assert_all_ended(&book);
    // The largest child this test process waited for: folio, which kept 64 MiB at most.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    assert!(usage.ru_maxrss < 400 * 1024, "peak {} KiB", usage.ru_maxrss);
}

#[test]
fn a_flood_on_standard_error_is_cut_in_the_error_with_its_size_said() {
    let book = book_with_preprocessor(
        &format!(
            "{SUPPORTS}head -c 50000000 /dev/zero | tr '\\000' e >&2\necho 'the last words' >&2\nexit 2\n"
        ),
        "",
    );
    let run = build(&book);
    assert_failed_at_table(
        &run,
        &[
            "failed (exit status: 2)",
            "[50000015 bytes in all; the last 8192 follow]",
            "the last words",
        ],
    );
    assert!(
        run.stderr.len() < 20_000,
        "{} bytes of error",
        run.stderr.len()
    );
}

#[test]
fn an_answer_that_is_not_a_book_is_an_error_naming_the_preprocessor() {
    for (answer, what) in [
        ("null", "answered `null`, not a book"),
        ("[]", "answered a list, not a book"),
        (
            "{\"items\": [{\"Chapter\": {\"name\": \"A\"}}]}",
            "`items[0].Chapter.content` is `null`",
        ),
        ("{\"items\": [", "its answer is not JSON"),
        ("", "it printed nothing on its standard output"),
    ] {
        let book = book_with_preprocessor(
            &format!("{SUPPORTS}cat > /dev/null\nprintf '%s' '{answer}'\n"),
            "",
        );
        let run = build(&book);
        assert_failed_at_table(
            &run,
            &[
                "preprocessor `p` (`sh tools/p.sh`) did not answer a book",
                what,
            ],
        );
    }
}

#[test]
fn a_chapter_the_preprocessor_adds_is_named_in_a_warning() {
    let book = book_with_preprocessor(
        &format!(
            "{SUPPORTS}python3 -c 'import json, sys\ncontext, book = json.load(sys.stdin)\nbook[\"items\"].append({{\"Chapter\": {{\"name\": \"Extra\", \"content\": \"x\", \"path\": \"extra.md\", \"sub_items\": []}}}})\nprint(json.dumps(book))'\n"
        ),
        "",
    );
    let run = build(&book);
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{TABLE_LINE}: preprocessor `p` added the chapter `Extra` (extra.md)"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_timeout_that_is_not_a_number_of_seconds_is_an_error_at_its_table() {
    let book = book_with_preprocessor(&format!("{SUPPORTS}{ECHO}"), "timeout = \"soon\"\n");
    let run = build(&book);
    assert_failed_at_table(&run, &["is not a number of seconds"]);
}

#[test]
fn serve_listens_while_a_preprocessor_hangs_and_stopping_serve_ends_it() {
    let book = book_with_preprocessor(
        &format!("{SUPPORTS}echo $$ >> pids\nsleep 600 &\necho $! >> pids\nwait\n"),
        "",
    );
    let port = common::browser::free_port();
    let mut serve = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args([
            "serve",
            ".",
            "-p",
            &port.to_string(),
            "--allow-preprocessors",
        ])
        .current_dir(book.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while recorded_pids(&book).len() < 2 {
        assert!(Instant::now() < deadline, "the preprocessor did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The port is taken while the first build waits on the preprocessor.
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
    unsafe { libc::kill(serve.id() as i32, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = serve.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(128 + libc::SIGTERM), "{status}");
    assert_all_ended(&book);
    assert!(!Path::new(&book.path("book")).exists());
}
