//! What one build leaves for the next: unchanged files are not written again (same
//! inode, same time stamp), highlighted code comes from the build directory's cache,
//! the search index and the EPUBs are kept when their inputs did not change, and all of
//! it is safe to delete or damage.

mod common;

use common::{Fixture, snapshot};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

fn inode(path: &Path) -> u64 {
    std::fs::metadata(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .ino()
}

/// Every file of the search index, with its inode.
fn search_inodes(site: &Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = walkdir::WalkDir::new(site.join("pagefind"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let name = entry.path().to_string_lossy().into_owned();
            (name, entry.metadata().unwrap().ino())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_rebuild_writes_only_the_files_whose_bytes_changed() {
    let book = Fixture::copy("bilingual");
    book.build();
    let site = book.path("book");
    let unchanged = site.join("fr/preface.html");
    let edited = site.join("fr/seul.html");
    let epub = site.join("fr/livre-de-test.epub");
    let before = (inode(&unchanged), inode(&edited), inode(&epub));
    let search_before = search_inodes(&site);
    assert!(!search_before.is_empty(), "the fixture has a search index");

    book.build();
    assert_eq!(
        inode(&unchanged),
        before.0,
        "an unchanged page is kept, not rewritten"
    );
    assert_eq!(inode(&epub), before.2, "an unchanged EPUB is kept");
    assert_eq!(
        search_inodes(&site),
        search_before,
        "an unchanged index is kept"
    );

    book.edit("content/fr/seul.md", |page| {
        format!("{page}\nUne phrase ajoutée sur Copenhague.\n")
    });
    book.build();
    assert_eq!(inode(&unchanged), before.0);
    assert_ne!(inode(&edited), before.1, "the edited page is written");
    assert!(
        book.read("book/fr/seul.html")
            .contains("Une phrase ajoutée")
    );
    assert_ne!(inode(&epub), before.2, "the EPUB holds the edited page");
    assert_ne!(
        search_inodes(&site),
        search_before,
        "the index holds the new words"
    );
}

#[test]
fn highlighted_code_comes_from_the_cache_of_the_last_build() {
    let book = Fixture::copy("bilingual");
    book.build();
    let cache = book.path("book/.folio-cache/highlight.bin");
    let mut bytes = std::fs::read(&cache).expect("the build leaves a highlighting cache");
    let find = |bytes: &[u8], what: &[u8]| bytes.windows(what.len()).position(|w| w == what);
    assert!(
        find(&bytes, b"aws_eks_cluster").is_some(),
        "the cache holds the HCL block"
    );
    // Tamper with one class name in the cache (same length): if the next build
    // highlighted again it would not show.
    let at = find(&bytes, b"hl-").expect("highlighted HTML in the cache");
    bytes[at..at + 3].copy_from_slice(b"HL-");
    std::fs::write(&cache, &bytes).unwrap();
    book.build();
    assert!(
        walkdir::WalkDir::new(book.path("book"))
            .into_iter()
            .map(Result::unwrap)
            .filter(|entry| entry.path().extension().is_some_and(|e| e == "html"))
            .any(|entry| std::fs::read_to_string(entry.path())
                .unwrap()
                .contains("HL-")),
        "the second build took the block from the cache"
    );
}

#[test]
fn the_cache_is_safe_to_delete_or_damage() {
    let book = Fixture::copy("bilingual");
    book.build();
    let reference = snapshot(&book.path("book"));

    std::fs::remove_dir_all(book.path("book/.folio-cache")).unwrap();
    book.build();
    assert_eq!(
        snapshot(&book.path("book")),
        reference,
        "deleted: same site"
    );

    let cache = book.path("book/.folio-cache/highlight.bin");
    let bytes = std::fs::read(&cache).unwrap();
    std::fs::write(&cache, &bytes[..bytes.len() / 2]).unwrap();
    // One manifest per language's index.
    let manifest = book.path("book/.folio-cache/search-fr.txt");
    std::fs::write(&manifest, "not a manifest").unwrap();
    let index_file = search_inodes(&book.path("book"))[0].0.clone();
    std::fs::write(&index_file, "damaged").unwrap();
    book.build();
    assert_eq!(
        snapshot(&book.path("book")),
        reference,
        "damaged: same site"
    );
}

#[test]
fn a_damaged_search_file_is_rebuilt_even_when_the_pages_did_not_change() {
    let book = Fixture::copy("bilingual");
    book.build();
    let reference = snapshot(&book.path("book"));
    let index_file = search_inodes(&book.path("book"))
        .into_iter()
        .find(|(name, _)| name.ends_with(".pf_meta"))
        .expect("an index meta file")
        .0;
    std::fs::write(&index_file, "damaged").unwrap();
    book.build();
    assert_eq!(snapshot(&book.path("book")), reference);
}
