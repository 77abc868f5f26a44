//! Print page, EPUB and PDF of each language: validity (epubcheck), order, determinism,
//! and what the PDF holds.

mod common;

use common::{Fixture, Run, build_default_book};
use std::io::Read;
use std::path::Path;
use std::process::Command;

fn epubcheck(epub: &Path) -> String {
    let output = Command::new("java")
        .args(["-jar", "/usr/share/java/epubcheck.jar"])
        .arg(epub)
        .output()
        .expect("epubcheck is installed (.ci/run installs it)");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn entry(epub: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_epubs_pass_epubcheck_in_both_languages_and_the_sample() {
    let (_out, site, _) = build_default_book(&[]);
    let (_sample_out, sample, _) = build_default_book(&["--edition", "sample"]);
    for epub in [
        site.join("fr/le-plan-copenhague.epub"),
        site.join("en/the-copenhagen-initiative.epub"),
        sample.join("fr/le-plan-copenhague.epub"),
        sample.join("en/the-copenhagen-initiative.epub"),
    ] {
        let report = epubcheck(&epub);
        assert!(
            report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
            "{}:\n{report}",
            epub.display()
        );
    }
}

#[test]
fn the_epub_follows_summary_md_and_is_well_formed_xhtml() {
    let (_out, site, _) = build_default_book(&[]);
    let epub = site.join("fr/le-plan-copenhague.epub");
    let bytes = std::fs::read(&epub).unwrap();
    assert_eq!(&bytes[30..38], b"mimetype", "mimetype is the first entry");
    assert_eq!(
        &bytes[38..58],
        b"application/epub+zip",
        "stored, not compressed"
    );
    let package = entry(&epub, "OEBPS/content.opf");
    let manifest: std::collections::HashMap<String, String> = package
        .lines()
        .filter(|line| line.starts_with("<item id=\"page-"))
        .map(|line| {
            (
                common::quoted_after(line, "id=\""),
                common::quoted_after(line, "href=\""),
            )
        })
        .collect();
    let idrefs: Vec<&str> = package
        .lines()
        .filter_map(|line| line.strip_prefix("<itemref idref=\""))
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(idrefs[0], "cover", "the cover opens the reading order");
    let spine: Vec<String> = idrefs[1..].iter().map(|id| manifest[*id].clone()).collect();
    let summary = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/fr/SUMMARY.md"),
    )
    .unwrap();
    let expected: Vec<String> = summary
        .lines()
        .filter_map(|line| line.split("](").nth(1))
        .map(|rest| rest.trim_end_matches(')').replace(".md", ".xhtml"))
        .collect();
    assert_eq!(spine, expected);
    assert!(
        package.contains("<dc:language>fr</dc:language>")
            && package.contains("<dc:title>Le Plan Copenhague</dc:title>")
    );
    assert!(package.contains("<meta property=\"dcterms:modified\">2020-05-15T00:00:00Z</meta>"));
    let chapter = entry(&epub, "OEBPS/chapters/02-platform.xhtml");
    assert!(chapter.contains("xml:lang=\"fr\""));
    assert!(!chapter.contains("&nbsp;"));
    assert!(chapter.contains("epub:type=\"noteref\""));
    assert!(chapter.contains("<img src=\"../images/cpu-cluster.svg\""));
    assert!(entry(&epub, "OEBPS/images/cpu-cluster.svg").contains("<svg"));
    assert!(
        entry(&epub, "OEBPS/chapters/01-introduction.xhtml")
            .contains("href=\"02-platform.xhtml#fig:cpu-cluster\"")
    );
}

#[test]
fn builds_write_byte_identical_epubs() {
    let book = Fixture::copy("bilingual");
    book.build();
    let first = std::fs::read(book.path("book/fr/livre-de-test.epub")).unwrap();
    book.folio(&["clean"]);
    book.build();
    assert_eq!(
        first,
        std::fs::read(book.path("book/fr/livre-de-test.epub")).unwrap()
    );
    assert!(
        book.read("book/fr/index.html")
            .contains("<a href=\"livre-de-test.epub\" download>EPUB</a>")
    );
}

#[test]
fn the_print_page_holds_every_chapter_in_order_with_anchored_links() {
    let book = Fixture::copy("bilingual");
    book.build();
    let print = book.read("book/fr/print.html");
    assert!(print.contains("<section class=\"cover\">\n<h1>Livre de test</h1>"));
    assert!(
        print.contains("<li><a href=\"#c2\">1 Le réseau</a></li>"),
        "table of contents with numbers"
    );
    let order: Vec<usize> = [
        "id=\"c1\"",
        "id=\"c2\"",
        "id=\"c3\"",
        "id=\"c4\"",
        "id=\"c5\"",
        "id=\"c6\"",
    ]
    .iter()
    .map(|id| print.find(id).unwrap())
    .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(
        print.contains("<h2 id=\"c2-etat-des-lieux\">"),
        "ids are prefixed per chapter"
    );
    assert!(
        print.contains("<a href=\"#c4\">le code</a>"),
        "links between chapters become anchors"
    );
    assert!(
        print.contains("<img src=\"images/schema.svg\""),
        "images are found from the print page"
    );
    assert!(print.contains("@page"));
}

#[test]
fn a_pdf_per_language_with_an_outline_entry_per_chapter() {
    let (_out, site, _) = build_default_book(&[]);
    let pdf = site.join("fr/le-plan-copenhague.pdf");
    assert!(
        pdf.is_file(),
        "WeasyPrint is installed (.ci/run installs it)"
    );
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout).unwrap();
    let pages: usize = info
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((30..200).contains(&pages), "{pages} pages");
    let outline = String::from_utf8(
        Command::new("pdftohtml")
            .args(["-xml", "-i", "-stdout"])
            .arg(&pdf)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let entries = outline.matches("<item").count();
    let summary = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/fr/SUMMARY.md"),
    )
    .unwrap();
    assert_eq!(
        entries,
        summary.matches("](").count(),
        "one outline entry per chapter"
    );
    assert!(outline.contains("3 À la découverte du Cloud et de Kubernetes"));
    let chapter_one = Command::new("pdftotext")
        .args(["-f", "4", "-l", "4"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap()
        .stdout;
    assert!(String::from_utf8_lossy(&chapter_one).contains("Introduction : pourquoi ce livre ?"));
    assert!(site.join("en/the-copenhagen-initiative.pdf").is_file());
}

#[test]
fn without_a_pdf_engine_the_build_warns_and_succeeds() {
    let book = Fixture::copy("bilingual");
    book.edit("book.toml", |config| config + "\n[output.pdf]\n");
    let run = Run::from_command(
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("build")
            .current_dir(book.root())
            .env("PATH", book.path("no-programs-here")),
    );
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[no-pdf-engine]"),
        "{}",
        run.stderr
    );
    assert!(book.path("book/fr/livre-de-test.epub").is_file());
    assert!(!book.path("book/fr/livre-de-test.pdf").exists());
}

#[test]
fn two_builds_of_the_default_book_are_byte_identical_pdfs_included() {
    let (_first, one, _) = build_default_book(&[]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (_second, two, _) = build_default_book(&[]);
    let (one, two) = (common::snapshot(&one), common::snapshot(&two));
    assert_eq!(one.len(), two.len());
    for ((path, bytes), (other_path, other_bytes)) in one.iter().zip(&two) {
        assert_eq!(path, other_path);
        assert!(bytes == other_bytes, "{path} differs between two builds");
    }
    assert!(
        one.iter().any(|(path, _)| path.ends_with(".pdf")),
        "the PDFs are compared too"
    );
}

/// A `weasyprint` launcher, first on the PATH, whose interpreter (the launcher's first
/// line, which folio runs) notes each start in `starts.log` and then runs WeasyPrint's
/// own Python; returns the PATH to use and the log.
fn counted_weasyprint(directory: &Path) -> (String, std::path::PathBuf) {
    let real = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|directory| directory.join("weasyprint"))
        .find(|candidate| candidate.is_file())
        .expect("WeasyPrint is installed (.ci/run installs it)");
    let interpreter = std::fs::read_to_string(&real).unwrap();
    let interpreter = interpreter
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("#!")
        .trim();
    let bin = directory.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = directory.join("starts.log");
    let counting = bin.join("counting-python");
    std::fs::write(
        &counting,
        format!(
            "#!/bin/sh\necho started >> '{}'\nexec '{interpreter}' \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::write(
        bin.join("weasyprint"),
        format!("#!{}\n", counting.display()),
    )
    .unwrap();
    for file in ["counting-python", "weasyprint"] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(bin.join(file), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (path, log)
}

#[test]
fn the_pdf_engine_runs_only_for_a_print_page_that_changed() {
    let book = Fixture::copy("bilingual");
    book.edit("book.toml", |toml| {
        format!("{toml}\n[output.pdf]\npage-size = \"A5\"\n")
    });
    let tools = Fixture::empty();
    let (path, log) = counted_weasyprint(tools.root());
    let build = || {
        let run = Run::from_command(
            Command::new(env!("CARGO_BIN_EXE_folio"))
                .arg("build")
                .current_dir(book.root())
                .env("PATH", &path),
        );
        assert!(run.success(), "{}", run.stderr);
        let starts = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .count();
        std::fs::remove_file(&log).ok();
        (run.stdout, starts)
    };
    let (report, starts) = build();
    assert_eq!(starts, 2, "a cold build makes both PDFs");
    assert!(report.contains("2 PDFs made"), "{report}");
    let french = std::fs::read(book.path("book/fr/livre-de-test.pdf")).unwrap();

    let (report, starts) = build();
    assert_eq!(starts, 0, "a no-op rebuild does not start the engine");
    assert!(report.contains("2 PDFs unchanged"), "{report}");
    assert_eq!(
        std::fs::read(book.path("book/fr/livre-de-test.pdf")).unwrap(),
        french,
        "the kept PDF is the previous one"
    );

    book.edit("content/fr/preface.md", |chapter| {
        format!("{chapter}\nUne phrase de plus.\n")
    });
    let (report, starts) = build();
    assert!(starts >= 1, "an edited print page is made again: {report}");
    assert!(pdf_text(&book.path("book/fr/livre-de-test.pdf")).contains("Une phrase de plus."));
}

fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn untranslated_chapters_can_be_printed_in_the_original_with_a_note() {
    let book = Fixture::copy("bilingual");
    book.build();
    let listed = book.read("book/en/print.html");
    assert!(listed.contains("<h1 class=\"chapter-title\">Not yet translated</h1>"));
    assert!(!listed.contains("Pas encore traduit."));

    book.edit("book.toml", |toml| {
        format!("{toml}\n[output.pdf]\nenable = false\nfallback = \"source\"\n")
    });
    book.build();
    let print = book.read("book/en/print.html");
    assert!(!print.contains("Not yet translated"), "no list");
    let section = print
        .split("<section class=\"chapter status-not_translated\"")
        .skip(1)
        .find(|section| section.contains("Seulement en français"))
        .expect("the untranslated chapter in its place");
    assert!(section.contains(" lang=\"fr\">"), "{section}");
    assert!(section.contains(
        "<p class=\"notice\" lang=\"en\">This chapter is not translated yet: here it is in its original language (Français).</p>"
    ));
    assert!(section.contains("Pas encore traduit."));
    let page = entry(&book.path("book/en/test-book.epub"), "OEBPS/seul.xhtml");
    assert!(page.contains("xml:lang=\"fr\""));
    assert!(page.contains("Pas encore traduit."));
    let report = epubcheck(&book.path("book/en/test-book.epub"));
    assert!(
        report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
        "{report}"
    );
}
