//! The book's writing conventions: asides, numbered figures and tables,
//! cross-references, footnotes, chapter metadata, the sample edition, the changelog.

mod common;

use common::{Fixture, snapshot};
use std::path::Path;

const ASIDES: &str = "# Du code\n\n\
> [!WARNING]\n> Attention au piège.\n\n\
> [!RETROSPECT]\n> Un an plus tard : mieux.\n\n\
> [!NOTE]\n> Une note.\n\n\
> [!TIP]\n>\n> Une astuce, en paragraphe séparé.\n\n\
> [!IMPORTANT]\n> Important.\n\n\
> [!CAUTION]\n> Prudence.\n\n\
> Une citation ordinaire.\n";

#[test]
fn every_aside_kind_renders_with_its_localized_label() {
    let book = Fixture::copy("bilingual");
    book.write("content/fr/code.md", ASIDES);
    book.write(
        "content/en/code.md",
        ASIDES.replace("# Du code", "# Some code"),
    );
    let run = book.build();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let french = book.read("book/fr/code.html");
    let english = book.read("book/en/code.html");
    for (kind, fr, en) in [
        ("warning", "Avertissement", "Warning"),
        ("retrospect", "Avec le recul", "In retrospect"),
        ("note", "Note", "Note"),
        ("tip", "Astuce", "Tip"),
        ("important", "Important", "Important"),
        ("caution", "Attention", "Caution"),
    ] {
        let opening = format!(
            "<aside class=\"aside aside-{kind}\" role=\"note\">\n<p class=\"aside-title\">"
        );
        assert!(
            french.contains(&format!("{opening}{fr}</p>")),
            "{kind} in French"
        );
        assert!(
            english.contains(&format!("{opening}{en}</p>")),
            "{kind} in English"
        );
    }
    assert!(french.contains(
        "<p class=\"aside-title\">Avertissement</p>\n<p>Attention au piège.</p>\n</aside>"
    ));
    assert!(french.contains(
        "<p class=\"aside-title\">Astuce</p>\n<p>Une astuce, en paragraphe séparé.</p>\n</aside>"
    ));
    assert!(!french.contains("[!"), "markers never reach the page");
    assert!(french.contains("<blockquote>\n<p>Une citation ordinaire.</p>\n</blockquote>"));
}

#[test]
fn an_unknown_aside_kind_is_a_warning_with_its_line() {
    let book = Fixture::copy("bilingual");
    book.write(
        "content/fr/code.md",
        "# Du code\n\nTexte.\n\n> [!DANGER]\n> Hmm.\n",
    );
    let run = book.build();
    assert!(run.success());
    assert!(
        run.stderr.contains(
            "warning[unknown-aside]: content/fr/code.md:5: unknown aside kind `[!DANGER]`"
        ),
        "{}",
        run.stderr
    );
    assert!(book.read("book/fr/code.html").contains("<blockquote>"));
}

fn with_figures(book: &Fixture) {
    book.write(
        "content/fr/reseau.md",
        "# Le réseau\n\n![Un schéma](images/schema.svg \"Le réseau de la salle\"){#fig:salle}\n\n\
         | a | b |\n|---|---|\n| 1 | 2 |\n\nTable: Les liens {#tab:liens}\n\n\
         ![Décor](images/schema.svg)\n\nVoir la [](#fig:salle), le [](#tab:liens) et la [](code.md#fig:code).\n\n## État des lieux\n",
    );
    book.write(
        "content/fr/code.md",
        "# Du code\n\n![Schéma du code](images/schema.svg \"Le code\"){#fig:code}\n\n\
         | x |\n|---|\n| y |\n\nTable: Sans identifiant explicite\n\nRetour à la [](reseau.md#fig:salle) et au [](#tab:sans-identifiant-explicite).\n",
    );
    book.write(
        "content/en/code.md",
        "# Some code\n\n![Code diagram](images/schema.svg \"The code\"){#fig:code}\n\nBack to [](reseau.md#fig:salle).\n",
    );
    book.write(
        "content/en/reseau.md",
        "# The network\n\n![A diagram](images/schema.svg \"The server room network\"){#fig:salle}\n\nSee [](#fig:salle) and [](code.md#fig:code).\n",
    );
}

#[test]
fn figures_and_tables_are_numbered_through_the_book_with_cross_references() {
    let book = Fixture::copy("bilingual");
    with_figures(&book);
    let run = book.build();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let network = book.read("book/fr/reseau.html");
    assert!(network.contains("<figure class=\"figure\" id=\"fig:salle\">\n<img src=\"images/schema.svg\" alt=\"Un schéma\" />\n<figcaption><span class=\"caption-label\">Figure 1</span> - Le réseau de la salle</figcaption>\n</figure>"));
    assert!(network.contains("<figure class=\"table-figure\" id=\"tab:liens\">\n<figcaption><span class=\"caption-label\">Tableau 1</span> - Les liens</figcaption>\n<table>"));
    assert!(!network.contains("Table:"), "the caption line is consumed");
    assert!(
        network.contains("<img src=\"images/schema.svg\" alt=\"Décor\" />"),
        "an image without a title stays an image"
    );
    assert!(network.contains(r##"<a class="xref" href="#fig:salle">figure 1</a>"##));
    assert!(network.contains(r##"<a class="xref" href="#tab:liens">tableau 1</a>"##));
    assert!(network.contains(r##"<a class="xref" href="code.html#fig:code">figure 2</a>"##));
    let code = book.read("book/fr/code.html");
    assert!(
        code.contains("<span class=\"caption-label\">Figure 2</span> - Le code"),
        "numbering continues in the next chapter"
    );
    assert!(
        code.contains(
            "<span class=\"caption-label\">Tableau 2</span> - Sans identifiant explicite"
        )
    );
    assert!(code.contains(r##"<a class="xref" href="reseau.html#fig:salle">figure 1</a>"##));
    assert!(
        code.contains(r##"<a class="xref" href="#tab:sans-identifiant-explicite">tableau 2</a>"##)
    );
    // English: same ids, English words.
    let english = book.read("book/en/reseau.html");
    assert!(
        english.contains("<span class=\"caption-label\">Figure 1</span> - The server room network")
    );
    assert!(english.contains(r##"<a class="xref" href="code.html#fig:code">Figure 2</a>"##));
    assert!(
        book.read("book/en/code.html")
            .contains(r##"<a class="xref" href="reseau.html#fig:salle">Figure 1</a>"##)
    );
}

#[test]
fn figures_can_be_numbered_per_chapter() {
    let book = Fixture::copy("bilingual");
    with_figures(&book);
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[numbering]\ncaptions = \"chapter\"\n",
    );
    book.build();
    assert!(
        book.read("book/fr/reseau.html")
            .contains("<span class=\"caption-label\">Figure 1.1</span>")
    );
    let code = book.read("book/fr/code.html");
    assert!(code.contains("<span class=\"caption-label\">Figure 2.1</span>"));
    assert!(code.contains("<span class=\"caption-label\">Tableau 2.1</span>"));
    assert!(code.contains(">figure 1.1</a>"));
}

#[test]
fn a_reference_to_a_missing_id_is_an_error_with_its_line() {
    let book = Fixture::copy("bilingual");
    book.build();
    book.write(
        "content/en/code.md",
        "# Some code\n\nText.\n\nAs [](#fig:nowhere) shows.\n",
    );
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(run.stderr.contains("error[missing-reference]: content/en/code.md:5: no figure or table has the id `fig:nowhere`"), "{}", run.stderr);
}

#[test]
fn an_id_given_twice_is_an_error() {
    let book = Fixture::copy("bilingual");
    with_figures(&book);
    book.write(
        "content/fr/annexe.md",
        "# Annexe\n\n![x](images/schema.svg \"Encore\"){#fig:salle}\n",
    );
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr
            .contains("error[duplicate-id]: content/fr/annexe.md: the id `fig:salle`"),
        "{}",
        run.stderr
    );
}

#[test]
fn forty_five_footnotes_are_numbered_with_back_links() {
    let book = Fixture::copy("bilingual");
    let mut page = String::from("# Du code\n\n");
    for n in 1..=45 {
        page.push_str(&format!("Phrase {n}[^n{n}]. "));
        if n == 7 {
            page.push_str("Encore la septième[^n7]. ");
        }
    }
    page.push_str("\n\n");
    for n in (1..=45).rev() {
        page.push_str(&format!("[^n{n}]: Note numéro {n}.\n\n"));
    }
    book.write("content/fr/code.md", page);
    let run = book.build();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let html = book.read("book/fr/code.html");
    for n in 1..=45 {
        assert!(
            html.contains(&format!(
                "id=\"fnref-{n}-1\"><a href=\"#fn-{n}\">{n}</a></sup>"
            )),
            "call {n}"
        );
        assert!(html.contains(&format!("<li id=\"fn-{n}\">\n<p>Note numéro {n}. <a class=\"footnote-backref\" href=\"#fnref-{n}-1\"")), "note {n}");
    }
    assert!(
        html.contains("href=\"#fnref-7-2\""),
        "a second call gets its own back-link"
    );
    assert_eq!(html.matches("<li id=\"fn-").count(), 45);
}

#[test]
fn chapter_metadata_is_written_under_the_title() {
    let book = Fixture::copy("bilingual");
    book.write("content/fr/code.md", "+++\nwritten = \"à l'été 2018\"\ncovers = \"de novembre 2017 à mai 2018\"\nstatus = \"draft\"\n+++\n# Du code\n");
    book.write(
        "content/en/code.md",
        "+++\nwritten = \"in the summer of 2018\"\n+++\n# Some code\n",
    );
    book.build();
    let french = book.read("book/fr/code.html");
    let notes = "<div class=\"chapter-meta\"><p>Ce chapitre a été écrit à l’été 2018.</p><p>Il couvre la période de novembre 2017 à mai 2018.</p><p>Statut\u{A0}: brouillon.</p></div>";
    let notes_at = french.find(notes).expect("the notes");
    let title_at = french.find("Du code</a></h1>").expect("the title");
    let body_at = french.find("</article>").expect("the end of the body");
    assert!(
        title_at < notes_at && notes_at < body_at,
        "notes come right under the title"
    );
    assert!(
        book.read("book/en/code.html")
            .contains("<p>This chapter was written in the summer of 2018.</p>")
    );
}

#[test]
fn the_sample_edition_keeps_marked_pages_and_never_links_to_a_404() {
    let book = Fixture::copy("bilingual");
    book.write(
        "content/fr/reseau.md",
        "+++\nsample = true\n+++\n# Le réseau\n\nVoir [le code](code.md) et [seul](seul.md).\n",
    );
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[sample]\nfull-book-url = \"https://example.org/livre\"\n",
    );
    let run = book.folio(&["build", "--edition", "sample"]);
    assert!(run.success(), "{}", run.stderr);
    assert!(
        !book.path("book").exists(),
        "the full book's directory is not touched"
    );
    let network = book.read("book-sample/fr/reseau.html");
    assert!(network.contains("Vous lisez l’extrait gratuit de ce livre. <a href=\"https://example.org/livre\">Lire le livre complet</a>"));
    assert!(network.contains("data-pagefind-body"));
    assert!(
        book.read("book-sample/en/reseau.html")
            .contains("You are reading the free sample of this book."),
        "the translation of a sample page is in the sample"
    );
    let code = book.read("book-sample/fr/code.html");
    assert!(code.contains("Ce chapitre ne fait pas partie de l’extrait"));
    assert!(
        !code.contains("hcl"),
        "the text of a page outside the sample is not published"
    );
    assert!(
        book.read("book-sample/fr/index.html")
            .contains("Vous lisez l’extrait gratuit")
    );
    // Every local link of the sample resolves to a file of the sample.
    let root = book.path("book-sample");
    for (path, bytes) in snapshot(&root) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for href in html
            .split("href=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
        {
            if href.starts_with("http") || href.starts_with('#') || href.starts_with("data:") {
                continue;
            }
            let href_path = href.split('#').next().unwrap();
            let target = match href_path.strip_prefix('/') {
                Some(from_root) => Path::new(from_root).to_path_buf(),
                None => Path::new(&path).parent().unwrap().join(href_path),
            };
            assert!(
                root.join(&target).exists(),
                "{path} links to {href}, which does not exist"
            );
        }
    }
}

#[test]
fn a_sample_with_no_marked_page_is_an_error() {
    let book = Fixture::copy("bilingual");
    let run = book.folio(&["build", "--edition", "sample"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr.contains("no page is marked `sample = true`"),
        "{}",
        run.stderr
    );
}

const CHANGELOG: &str = "[[change]]\ndate = 2018-12-04\nfr = \"Complet à 25 %.\"\nen = \"25% complete.\"\n\n\
[[change]]\ndate = 2019-03-01\nfr = \"Chapitre 7.\"\n";

#[test]
fn the_changelog_comes_from_data_newest_first_and_dates_the_book() {
    let book = Fixture::copy("bilingual");
    book.write("content/data/changelog.toml", CHANGELOG);
    book.write("content/fr/annexe.md", "# Annexe\n\n{{#changelog}}\n");
    book.write("content/en/annexe.md", "# Appendix\n\n{{#changelog}}\n");
    let run = book.build();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let french = book.read("book/fr/annexe.html");
    let newest = french.find("1er mars 2019").expect("localized date");
    let oldest = french.find("4 décembre 2018").expect("localized date");
    assert!(newest < oldest, "newest first");
    assert!(
        french.contains("<ol class=\"changelog\" reversed=\"reversed\">"),
        "numbered as they came: the newest has the highest number, not 1"
    );
    assert!(
        french.contains("<time datetime=\"2019-03-01\">1er mars 2019</time> – Chapitre 7.</li>")
    );
    let english = book.read("book/en/annexe.html");
    assert!(
        english
            .contains("<time datetime=\"2018-12-04\">December 4, 2018</time> – 25% complete.</li>")
    );
    assert!(
        english.contains("<li lang=\"fr\" data-untranslated=\"\" title=\"not translated yet\">"),
        "a missing translation falls back to the source, marked"
    );
    assert!(
        book.read("book/fr/index.html")
            .contains("Dernière mise à jour\u{A0}: 1er mars 2019")
    );
    assert!(
        book.read("book/en/index.html")
            .contains("Last updated: March 1, 2019")
    );
}

#[test]
fn a_bad_changelog_entry_is_an_error_with_its_line() {
    let book = Fixture::copy("bilingual");
    book.write("content/data/changelog.toml", "[[change]]\ndate = 2018-12-04\nfr = \"ok\"\n\n[[change]]\ndate = 2019-01-01\nen = \"no French\"\n");
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr
            .contains("content/data/changelog.toml:5: this change has no `fr` text"),
        "{}",
        run.stderr
    );
    book.write(
        "content/data/changelog.toml",
        "[[change]]\ndate = \"yesterday\"\nfr = \"x\"\n",
    );
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr.contains("content/data/changelog.toml:2"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_block_directive_is_an_error() {
    let book = Fixture::copy("bilingual");
    book.write("content/fr/annexe.md", "# Annexe\n\n{{#changelog}}\n");
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr
            .contains("error[unknown-directive]: content/fr/annexe.md:3"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_default_book_uses_every_convention() {
    let (_out, site, _) = common::build_default_book(&[]);
    for language in ["fr", "en"] {
        let read = |p: &str| std::fs::read_to_string(site.join(language).join(p)).unwrap();
        let chapter1 = read("chapters/01-introduction.html");
        for kind in ["warning", "retrospect", "note", "tip"] {
            assert!(
                chapter1.contains(&format!("aside-{kind}")),
                "{language} chapter 1 shows a {kind}"
            );
        }
        for needle in [
            "<figure class=\"figure\"",
            "<figure class=\"table-figure\"",
            "class=\"xref\"",
            "footnote-reference",
            "class=\"chapter-meta\"",
        ] {
            assert!(
                chapter1.contains(needle),
                "{language} chapter 1 shows {needle}"
            );
        }
        let (two, three) = (
            read("chapters/02-platform.html"),
            read("chapters/03-discovering-cloud.html"),
        );
        let both = format!("{two}{three}");
        assert!(
            both.matches("<li id=\"fn-").count() >= 20,
            "{language}: 20 footnotes in chapters 2-3"
        );
        for needle in [
            "id=\"fig:cpu-cluster\"",
            "id=\"tab:latency\"",
            "aside-warning",
            "aside-retrospect",
        ] {
            assert!(
                both.contains(needle),
                "{language} chapters 2-3 show {needle}"
            );
        }
    }
}
