//! The PDFs as a reader sees them: every page rendered to an image (`pdftoppm`), and no
//! page inside a chapter, but its last, left more than half blank (a block that would
//! not split across pages pushes everything to the next one).

mod common;

use common::build_default_book;
use std::path::Path;
use std::process::Command;

/// Rendering resolution: enough to tell a line of text from white.
const DPI: u32 = 30;

/// A gray level below this is ink.
const INK: u8 = 200;

/// The page's margins in the print stylesheet, in millimetres (top, bottom): the
/// running head and the page number live there.
const MARGINS_MM: (f64, f64) = (22.0, 24.0);

/// A gray image: width, height, pixels row by row.
struct Gray {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// Reads a binary PGM (`P5`), as `pdftoppm -gray` writes it.
fn read_pgm(path: &Path) -> Gray {
    let bytes = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5", "{}", path.display());
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = bytes[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height, "{}", path.display());
    Gray {
        width,
        height,
        pixels,
    }
}

/// How far down the text area the page's ink goes, from 0 (nothing) to 1 (its foot).
fn filled(page: &Gray) -> f64 {
    let pixels_per_mm = f64::from(DPI) / 25.4;
    let top = (MARGINS_MM.0 * pixels_per_mm) as usize;
    let bottom = page.height - (MARGINS_MM.1 * pixels_per_mm) as usize;
    let last_inked = (top..bottom)
        .rev()
        .find(|&row| {
            page.pixels[row * page.width..(row + 1) * page.width]
                .iter()
                .any(|&gray| gray < INK)
        })
        .unwrap_or(top);
    (last_inked - top) as f64 / (bottom - top) as f64
}

/// The first page of each chapter: the PDF's outline (bookmarks), as poppler lists it.
fn chapter_starts(pdf: &Path) -> Vec<usize> {
    let output = Command::new("pdftohtml")
        .args(["-xml", "-i", "-stdout"])
        .arg(pdf)
        .output()
        .unwrap();
    let xml = String::from_utf8_lossy(&output.stdout);
    let mut starts: Vec<usize> = xml
        .split("<item page=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

fn page_count(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// The pages (1-based) inside a chapter, not its last, whose ink stops above the middle
/// of the text area, with how far it goes.
fn half_blank_pages(pdf: &Path, images: &Path) -> Vec<(usize, f64)> {
    let prefix = images.join("page");
    let status = Command::new("pdftoppm")
        .args(["-gray", "-r", &DPI.to_string()])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    let pages = page_count(pdf);
    let starts = chapter_starts(pdf);
    assert!(
        starts.len() > 10,
        "chapters found in the outline: {starts:?}"
    );
    let digits = pages.to_string().len();
    let mut short = Vec::new();
    let mut fills = Vec::new();
    for window in starts.windows(2) {
        let (start, next) = (window[0], window[1]);
        // The chapter's pages but its last (next - 1).
        for page in start..next.saturating_sub(1) {
            let image = images.join(format!("page-{page:0digits$}.pgm"));
            let fill = filled(&read_pgm(&image));
            fills.push((page, (fill * 100.0).round()));
            if fill < 0.5 {
                short.push((page, fill));
            }
        }
    }
    fills.sort_by(|a, b| a.1.total_cmp(&b.1));
    eprintln!(
        "{}: the least filled pages inside chapters (page, % of the text area): {:?}",
        pdf.display(),
        &fills[..fills.len().min(8)]
    );
    short
}

#[test]
fn no_page_inside_a_chapter_is_more_than_half_blank() {
    let (out, site, _) = build_default_book(&[]);
    for pdf in [
        "fr/le-plan-copenhague.pdf",
        "en/the-copenhagen-initiative.pdf",
    ] {
        let images = out.path(&format!("pages-{}", pdf.replace('/', "-")));
        std::fs::create_dir_all(&images).unwrap();
        let short = half_blank_pages(&site.join(pdf), &images);
        assert!(
            short.is_empty(),
            "{pdf}: pages inside a chapter more than half blank (page, how far the ink goes): {short:?}"
        );
    }
}

#[test]
fn the_pdf_s_links_lead_to_its_pages_and_out_to_the_web() {
    let (_out, site, _) = build_default_book(&[]);
    let pdf = site.join("fr/le-plan-copenhague.pdf");
    let pages = page_count(&pdf);
    let output = Command::new("pdftohtml")
        .args(["-xml", "-i", "-stdout"])
        .arg(&pdf)
        .output()
        .unwrap();
    let xml = String::from_utf8_lossy(&output.stdout);
    let targets: Vec<&str> = xml
        .split("<a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    // poppler writes a link inside the document as `NAME.html#PAGE`.
    let internal: Vec<usize> = targets
        .iter()
        .filter_map(|target| target.split_once(".html#")?.1.parse().ok())
        .collect();
    assert!(
        internal.len() > 50,
        "{} links inside the PDF",
        internal.len()
    );
    assert!(
        internal.iter().all(|&page| (1..=pages).contains(&page)),
        "every link inside leads to one of the {pages} pages"
    );
    assert!(
        targets.iter().any(|target| target.starts_with("https://")),
        "links to the web stay links"
    );
}
