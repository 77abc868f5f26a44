//! What folio may delete or overwrite: only a directory whose marker vouches for every
//! file in it, byte for byte; never through a planted link; and the site in place
//! never goes missing while a new one replaces it.

mod common;

use common::{Fixture, snapshot};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A directory of the user's with a file of theirs, outside any book.
fn users_directory() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("id_ed25519"), "PRIVATE KEY").unwrap();
    dir
}

#[test]
fn a_marker_that_lists_no_file_vouches_for_nothing() {
    let book = Fixture::copy("bilingual");
    for marker in [
        "x\n",
        // An older folio's marker: paths without hashes cannot show the bytes are folio's.
        "This directory was written by folio; `folio build` replaces it and `folio clean` removes it. Files folio wrote:\nid_ed25519\n",
    ] {
        let user = users_directory();
        std::fs::write(user.path().join(".folio-build"), marker).unwrap();
        let target = user.path().to_str().unwrap();
        for command in [&["clean", "-d", target][..], &["build", "-d", target][..]] {
            let run = book.folio(command);
            assert_eq!(run.code(), Some(1), "{command:?}: {}", run.stderr);
            assert!(run.stderr.contains("did not write"), "{}", run.stderr);
            assert_eq!(
                std::fs::read_to_string(user.path().join("id_ed25519")).unwrap(),
                "PRIVATE KEY"
            );
        }
    }
}

#[test]
fn a_file_changed_since_folio_wrote_it_is_never_deleted() {
    let book = Fixture::copy("bilingual");
    book.build();
    let edited = book.read("book/fr/annexe.html") + "<!-- my fix -->";
    book.write("book/fr/annexe.html", &edited);
    for command in ["build", "clean"] {
        let run = book.folio(&[command]);
        assert_eq!(run.code(), Some(1), "{command}: {}", run.stderr);
        assert!(run.stderr.contains("fr/annexe.html"), "{}", run.stderr);
        assert!(run.stderr.contains("changed since"), "{}", run.stderr);
        assert_eq!(book.read("book/fr/annexe.html"), edited);
    }
}

#[test]
fn a_link_planted_in_the_site_is_neither_followed_nor_replaced() {
    let book = Fixture::copy("bilingual");
    book.build();
    let user = users_directory();
    let page = book.path("book/fr/annexe.html");
    std::fs::remove_file(&page).unwrap();
    std::os::unix::fs::symlink(user.path().join("id_ed25519"), &page).unwrap();
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("fr/annexe.html"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(user.path().join("id_ed25519")).unwrap(),
        "PRIVATE KEY"
    );
    assert!(std::fs::symlink_metadata(&page).unwrap().is_symlink());
}

#[test]
fn staging_directories_left_by_killed_builds_are_removed_by_the_next() {
    let book = Fixture::copy("bilingual");
    book.build();
    let pid_max: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let dead = pid_max + 1; // no process can have it
    let leftovers = [
        format!(".book.folio-staging-{dead}-x7Yq"),
        format!(".book.folio-staging-{dead}.old"),
    ];
    for leftover in &leftovers {
        book.write(&format!("{leftover}/fr/big.bin"), vec![0u8; 1 << 20]);
    }
    // A staging directory of a process that is alive (PID 1) is another build's.
    book.write(".book.folio-staging-1-aB3d/fr/index.html", "in progress");
    book.build();
    for leftover in &leftovers {
        assert!(!book.path(leftover).exists(), "{leftover} was removed");
    }
    assert!(
        book.path(".book.folio-staging-1-aB3d/fr/index.html")
            .exists()
    );
    let names: Vec<String> = std::fs::read_dir(book.root())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("folio-staging"))
        .collect();
    assert_eq!(
        names,
        [".book.folio-staging-1-aB3d"],
        "the build left none of its own"
    );
}

#[test]
fn the_site_never_goes_missing_while_a_rebuild_replaces_it() {
    let book = Fixture::copy("bilingual");
    book.build();
    let page = book.path("book/fr/index.html");
    let done = AtomicBool::new(false);
    let misses = AtomicUsize::new(0);
    let looks = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                if std::fs::symlink_metadata(&page).is_err() {
                    misses.fetch_add(1, Ordering::Relaxed);
                }
                looks.fetch_add(1, Ordering::Relaxed);
            }
        });
        for round in 0..10 {
            // An edit each time, so that every build really replaces the site.
            book.write(
                "content/fr/annexe.md",
                format!("# Annexe\n\nVersion {round}.\n"),
            );
            book.build();
        }
        done.store(true, Ordering::Relaxed);
    });
    assert!(looks.load(Ordering::Relaxed) > 1000);
    assert_eq!(misses.load(Ordering::Relaxed), 0, "the site was missing");
}

#[test]
fn chromium_pdfs_leave_no_profile_behind_and_work_from_a_relative_path() {
    if !Path::new("/usr/bin/chromium").exists() {
        panic!("Chromium is needed (CI installs it): apt-get install chromium");
    }
    let book = Fixture::copy("bilingual");
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[output.pdf]\nenable = true\n",
    );
    // Only Chromium on the PATH (no WeasyPrint), and a temporary directory of our own.
    let bin = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/usr/bin/chromium", bin.path().join("chromium")).unwrap();
    let temporary = tempfile::tempdir().unwrap();
    let parent = book.root().parent().unwrap();
    let relative = book.root().file_name().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .arg(relative)
        .current_dir(parent)
        .env("PATH", bin.path())
        .env("TMPDIR", temporary.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = std::fs::read(book.path("book/fr/livre-de-test.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let left: Vec<_> = std::fs::read_dir(temporary.path()).unwrap().collect();
    assert!(left.is_empty(), "left in the temporary directory: {left:?}");
    assert!(!snapshot(&book.path("book")).is_empty());
}

/// Sets or clears the immutable attribute of `path` (root, on ext4 as CI runs).
fn immutable(path: &Path, on: bool) {
    let status = Command::new("chattr")
        .arg(if on { "+i" } else { "-i" })
        .arg(path)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "chattr needs root on a file system that has it"
    );
}

#[test]
fn an_old_site_that_cannot_be_removed_leaves_the_new_one_in_place_and_says_so() {
    let book = Fixture::copy("bilingual");
    book.build();
    let stuck = book.path("book/fr/images/schema.svg");
    immutable(&stuck, true);
    book.write("content/fr/annexe.md", "# Annexe\n\nNouvelle version.\n");
    let run = book.folio(&["build"]);
    let leftovers: Vec<_> = std::fs::read_dir(book.root())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().contains("folio-staging"))
        .collect();
    for leftover in &leftovers {
        immutable(&leftover.join("fr/images/schema.svg"), false);
    }
    assert!(run.success(), "the new site is in place: {}", run.stderr);
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.contains("could not be removed"), "{said}");
    assert!(!said.contains("unchanged"), "{said}");
    assert!(
        book.read("book/fr/annexe.html")
            .contains("Nouvelle version.")
    );
    assert_eq!(leftovers.len(), 1, "the old site, named in the warning");
}
