//! A build's memory follows the work in flight, not the whole book held at once: the
//! benchmark's generated book (`bench/corpus.py`, 2,000 pages, about 9 KB of markdown
//! each, 30% code) builds with search, print page and EPUB on under a ceiling. A change
//! that holds every rendered page, or every chapter copied for the publications, until
//! the end of the build goes over it.

mod common;

use common::Fixture;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

/// The peak resident memory allowed, in MB. Measured at 505 MB (two rayon workers, as
/// on the benchmark machine); folio before pages were written as they were rendered and
/// the publications were streamed (commit c231853) peaked at 801 MB on the same book.
const CEILING_MB: u64 = 600;

const PAGES: usize = 2000;

#[test]
fn a_2000_page_build_stays_under_its_memory_ceiling() {
    let fixture = Fixture::empty();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/corpus.py");
    let generated = Command::new("python3")
        .arg(&corpus)
        .arg(PAGES.to_string())
        .arg(fixture.root())
        .stdout(Stdio::null())
        .status()
        .expect("run python3 bench/corpus.py");
    assert!(generated.success(), "bench/corpus.py failed");
    let book = fixture.path("single");
    let pages = std::fs::read_dir(book.join("src"))
        .expect("the generated pages")
        .count();
    assert!(pages > PAGES, "{pages} files in the generated book");

    let errors = fixture.path("stderr.txt");
    let status = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "-d", "out"])
        .current_dir(&book)
        .env("RAYON_NUM_THREADS", "2")
        .stdout(Stdio::null())
        .stderr(File::create(&errors).expect("a file for stderr"))
        .status()
        .expect("run folio");
    let peak_mb = largest_child_peak_mb();
    let stderr = std::fs::read_to_string(&errors).unwrap_or_default();
    assert!(status.success(), "folio build failed ({status}):\n{stderr}");
    assert!(
        book.join("out/print.html").is_file() && book.join("out/synthetic.epub").is_file(),
        "the build made its print page and EPUB"
    );
    assert!(
        book.join("out/pagefind/pagefind-entry.json").is_file(),
        "the build made its search index"
    );
    eprintln!("{PAGES} pages: peak resident memory {peak_mb} MB (ceiling {CEILING_MB} MB)");
    assert!(
        peak_mb < CEILING_MB,
        "a {PAGES}-page build peaked at {peak_mb} MB, over the {CEILING_MB} MB ceiling: \
         is something holding the whole site in memory again? (FOLIO_PHASES=1 shows \
         the memory after each step)"
    );
}

/// The peak resident memory, in MB, of the largest child this test process has waited
/// for, as the kernel counted it (`getrusage(RUSAGE_CHILDREN)`; `ru_maxrss` is in KB on
/// Linux). This test binary holds this one test, whose children are the corpus
/// generator (a few MB) and the build.
fn largest_child_peak_mb() -> u64 {
    // SAFETY: rusage is plain data, for which zeroed is a valid value; getrusage writes
    // into it during the call.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let result = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(result, 0, "getrusage failed");
    usage.ru_maxrss as u64 / 1024
}
