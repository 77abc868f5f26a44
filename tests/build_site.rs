//! `folio build` on fixture books: what the generated site contains.

mod common;

use common::{Fixture, snapshot};

#[test]
fn chapters_and_headings_carry_the_table_of_contents_numbers() {
    let book = Fixture::copy("bilingual");
    book.build();
    let chapter = book.read("book/fr/reseau.html");
    assert!(chapter.contains(r##"<h1 id="le-reseau"><a class="header" href="#le-reseau"><span class="section-number">1</span> Le réseau</a></h1>"##));
    let section = book.read("book/fr/reseau/details.html");
    assert!(
        section.contains(r#"<span class="section-number">1.1</span> Détails"#),
        "nested SUMMARY entry is 1.1"
    );
    assert!(
        section.contains(r#"<span class="section-number">1.1.1</span> Première section"#),
        "its ## heading is 1.1.1"
    );
    // A page with subchapters keeps its ## unnumbered, so that 1.1 is only the subchapter.
    assert!(chapter.contains(r##"<h2 id="etat-des-lieux"><a class="header" href="#etat-des-lieux">État des lieux</a></h2>"##));
    let code = book.read("book/fr/code.html");
    assert!(code.contains(r#"<span class="section-number">2</span> Du code"#));
    // The sidebar and landing page show the same numbers; prefix and suffix chapters have none.
    let landing = book.read("book/fr/index.html");
    for expected in [
        r#"<span class="section-number">1</span> Le réseau</a>"#,
        r#"<span class="section-number">1.1</span> Détails</a>"#,
        r#"<span class="section-number">3</span> Chapitre prévu</span>"#,
        r#"<span class="section-number">4</span> Seulement en français</a>"#,
        r#">Préface</a>"#,
        r#">Annexe</a>"#,
        r#"<li class="part-title">Première partie</li>"#,
    ] {
        assert!(landing.contains(expected), "landing page lacks {expected}");
        assert!(chapter.contains(expected), "sidebar lacks {expected}");
    }
}

#[test]
fn sections_are_numbered_below_a_chapter_without_subchapters() {
    let book = Fixture::copy("bilingual");
    book.write(
        "content/fr/code.md",
        "# Du code\n\n## Un\n\n### Un point un\n\n## Deux\n\n#### Profond\n",
    );
    book.build();
    let code = book.read("book/fr/code.html");
    assert!(code.contains(r#"<span class="section-number">2.1</span> Un</a>"#));
    assert!(code.contains(r#"<span class="section-number">2.1.1</span> Un point un</a>"#));
    assert!(code.contains(r#"<span class="section-number">2.2</span> Deux</a>"#));
    assert!(
        code.contains(r##"<h4 id="profond"><a class="header" href="#profond">Profond</a></h4>"##)
    );
}

#[test]
fn heading_ids_are_ascii_unique_and_respect_explicit_ids() {
    let book = Fixture::copy("bilingual");
    book.build();
    let chapter = book.read("book/fr/reseau.html");
    assert!(
        chapter.contains(r#"<h3 id="details-du-reseau">"#),
        "accents folded: réseau -> reseau"
    );
    assert!(chapter.contains(r#"<h2 id="etat-des-lieux">"#));
    assert!(
        chapter.contains(r#"<h2 id="etat-des-lieux-1">"#),
        "a repeated heading gets a suffix"
    );
    assert!(
        chapter.contains(r#"<h2 id="mon-id">"#),
        "{{#id}} wins over the slug"
    );
    // Build twice: ids do not move.
    book.build();
    assert_eq!(chapter, book.read("book/fr/reseau.html"));
}

#[test]
fn code_blocks_are_highlighted_with_css_classes() {
    let book = Fixture::copy("bilingual");
    book.build();
    let code = book.read("book/fr/code.html");
    assert!(code.contains(r#"<pre class="code" data-lang="hcl"><code class="language-hcl"><span class="hl-source hl-terraform">"#));
    assert!(code.contains(r#"<span class="hl-storage hl-type hl-terraform">resource</span>"#));
    assert!(code.contains(r#"<span class="hl-source hl-yaml">"#));
    assert!(
        code.contains(r#"<span class="hl-source hl-php">"#),
        "PHP without <?php is still PHP"
    );
    assert!(code.contains(r#"<span class="hl-source hl-shell hl-bash">"#));
    assert!(code.contains(r#"<span class="hl-source hl-dockerfile">"#));
    assert!(code.contains(r#"<span class="hl-source hl-json">"#));
    assert!(code.contains(r#"<span class="hl-source hl-toml">"#));
    assert!(
        !code.contains("style=\""),
        "colours come from the stylesheet, not inline styles"
    );
    let stylesheet = std::fs::read_dir(book.path("book/assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|name| name.starts_with("highlight-"))
        .expect("a fingerprinted highlight stylesheet");
    let css = book.read(&format!("book/assets/{stylesheet}"));
    assert!(css.contains(".hl-keyword") && css.contains("[data-theme=\"dark\"]"));
}

#[test]
fn language_switch_lands_on_the_same_chapter() {
    let book = Fixture::copy("bilingual");
    book.build();
    let french = book.read("book/fr/reseau/details.html");
    assert!(
        french.contains(
            r#"<a href="../../en/reseau/details.html" hreflang="en" lang="en"><span class="language-name">English</span>"#
        )
    );
    let english = book.read("book/en/reseau/details.html");
    assert!(english.contains(
        r#"<a href="../../fr/reseau/details.html" hreflang="fr" lang="fr"><span class="language-name">Français</span>"#
    ));
    assert!(english.contains(r#"<html lang="en""#));
    // The landing pages switch to each other; the root leads to the source language.
    assert!(
        book.read("book/en/index.html")
            .contains(r#"<a href="../fr/index.html" hreflang="fr""#)
    );
    let root = book.read("book/index.html");
    assert!(root.contains(r#"<meta http-equiv="refresh" content="0; url=fr/index.html">"#));
    assert!(root.contains(r#"href="en/index.html""#));
}

#[test]
fn a_chapter_missing_from_the_translation_links_to_the_original() {
    let book = Fixture::copy("bilingual");
    // A chapter of the original announced as to do.
    book.write("content/fr/annexe.md", "+++\nstatus = \"todo\"\n+++\n");
    let run = book.build();
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    let page = book.read("book/en/seul.html");
    assert!(page.contains("This chapter has not been translated yet"));
    assert!(
        page.contains(
            r#"<a href="../fr/seul.html" hreflang="fr">Read the original (Français)</a>"#
        )
    );
    let landing = book.read("book/en/index.html");
    assert!(landing.contains(r#"status-not_translated"#));
    // A translation announced as to do, of a chapter the original has, sends the
    // reader to the original too, under its translated title.
    let todo = book.read("book/en/code.html");
    assert!(!todo.contains("This chapter is planned but not written yet."));
    assert!(
        todo.contains(
            r#"<a href="../fr/code.html" hreflang="fr">Read the original (Français)</a>"#
        )
    );
    assert!(todo.contains(r#"<span class="section-number">2</span> Some code</h1>"#));
    assert!(
        book.read("book/fr/annexe.html")
            .contains("Ce chapitre est prévu mais n’est pas encore écrit.")
    );
    // A draft entry (no file) is listed without a link.
    assert!(landing.contains(
        r#"<span class="draft"><span class="section-number">3</span> Planned chapter</span>"#
    ));
}

#[test]
fn links_between_markdown_files_point_to_pages() {
    let book = Fixture::copy("bilingual");
    book.build();
    let chapter = book.read("book/fr/reseau.html");
    assert!(chapter.contains(r#"<a href="code.html">le code</a>"#));
    assert!(chapter.contains(r#"<a href="reseau/details.html">la suite</a>"#));
    assert!(
        book.read("book/fr/reseau/details.html")
            .contains(r#"<a href="../reseau.html">chapitre</a>"#)
    );
    assert!(
        book.read("book/fr/preface.html")
            .contains(r#"<a href="reseau.html#etat-des-lieux">le réseau</a>"#)
    );
}

#[test]
fn pages_have_previous_next_sidebar_and_local_assets_only() {
    let book = Fixture::copy("bilingual");
    book.build();
    let chapter = book.read("book/fr/code.html");
    assert!(
        chapter.contains(r#"<a class="previous" rel="prev" href="../fr/reseau/details.html">"#)
    );
    assert!(chapter.contains(r#"<a class="next" rel="next" href="../fr/seul.html">"#));
    assert!(chapter.contains(r#"<li class="chapter depth-0 status-written current">"#));
    assert!(chapter.contains(r#"aria-current="page""#));
    for (path, bytes) in snapshot(&book.path("book")) {
        let text = String::from_utf8_lossy(&bytes);
        for outside in ["src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(
                !text.contains(outside),
                "{path} requests an outside host: {outside}"
            );
        }
    }
    // Images and other files of the language tree are copied.
    assert!(book.path("book/fr/images/schema.svg").is_file());
    assert!(
        book.read("book/fr/annexe.html")
            .contains(r#"<img src="images/schema.svg" alt="Un schéma" />"#)
    );
}

#[test]
fn footnotes_are_numbered_and_link_back() {
    let book = Fixture::copy("bilingual");
    book.build();
    let chapter = book.read("book/fr/reseau.html");
    assert!(chapter.contains(
        r##"<sup class="footnote-reference" id="fnref-1-1"><a href="#fn-1">1</a></sup>"##
    ));
    assert!(chapter.contains(r##"<li id="fn-1">"##));
    assert!(chapter.contains(r##"href="#fnref-1-1""##));
}

#[test]
fn an_unmodified_mdbook_builds_as_a_single_language_book() {
    let book = Fixture::copy("mdbook");
    let run = book.build();
    assert!(
        run.stderr.is_empty(),
        "no warnings expected:\n{}",
        run.stderr
    );
    assert!(
        !book.path("book/en").exists(),
        "no language prefix for a single-language book"
    );
    let index = book.read("book/index.html");
    assert!(
        index.contains("<h1 id=\"introduction\">"),
        "README.md becomes index.html as in mdBook"
    );
    assert!(index.contains(r#"<a href="chapter_1.html">chapter 1</a>"#));
    assert!(
        index.contains(r#"data-theme="dark""#),
        "mdBook's navy theme maps to dark"
    );
    assert!(index.contains(r#"<html lang="en""#));
    let section = book.read("book/chapter_1/section.html");
    assert!(section.contains(r#"<span class="section-number">1.1</span> Section 1.1"#));
    assert!(section.contains(
        r#"<span class="draft"><span class="section-number">2</span> Draft chapter</span>"#
    ));
    assert!(
        book.read("book/part2/chapter_3.html")
            .contains(r#"<span class="section-number">3</span> Chapter 3"#)
    );
    assert!(
        book.read("book/chapter_1.html")
            .contains(r#"<a href="index.html">the start</a>"#)
    );
    assert!(book.path("book/contributors.html").is_file());
}

#[test]
fn builds_are_deterministic() {
    let book = Fixture::copy("bilingual");
    book.build();
    let first = snapshot(&book.path("book"));
    book.folio(&["clean"]);
    book.build();
    assert_eq!(first, snapshot(&book.path("book")));
}

#[test]
fn the_default_book_builds_in_both_languages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Fixture::empty();
    let destination = out.path("site");
    let run = common::Run::from_command(
        std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("build")
            .arg(root)
            .arg("--dest-dir")
            .arg(&destination),
    );
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stderr.is_empty(),
        "the default book builds without warnings:\n{}",
        run.stderr
    );
    let read = |p: &str| std::fs::read_to_string(destination.join(p)).unwrap();
    let fr = read("fr/chapters/03-discovering-cloud.html");
    assert!(fr.contains(r#"<span class="section-number">3.1</span> Choisir un fournisseur"#));
    assert!(fr.contains(
        r#"<figcaption><span class="caption-label">Tableau 2</span> - Temps de réponse depuis GCP et AWS</figcaption>"#
    ));
    assert!(fr.contains(r#"data-lang="hcl""#) && fr.contains(r#"data-lang="yaml""#));
    assert!(
        read("en/chapters/08-problems.html").contains("This chapter has not been translated yet")
    );
    assert!(
        read("en/chapters/12-second-stabilization.html")
            .contains("This chapter has not been translated yet")
    );
    assert!(destination.join("en/images/cpu-cluster.svg").is_file());
    let chapters = |lang: &str| {
        std::fs::read_dir(destination.join(lang).join("chapters"))
            .unwrap()
            .count()
    };
    assert_eq!((chapters("fr"), chapters("en")), (15, 15));
}

#[test]
fn a_site_published_under_a_sub_path_keeps_every_link_under_it() {
    let book = Fixture::copy("bilingual");
    let run = book.folio(&["build", ".", "--base-url", "/book/"]);
    assert!(run.success(), "{}", run.stderr);
    let root = book.path("book");
    let mut checked = 0;
    for (path, bytes) in snapshot(&root) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for attribute in ["href=\"", "src=\""] {
            for value in html
                .split(attribute)
                .skip(1)
                .map(|rest| &rest[..rest.find('"').unwrap()])
            {
                let target = value.split(['#', '?']).next().unwrap();
                // Links out, and inline `data:` resources (the favicon), are not files.
                if target.is_empty()
                    || target.starts_with("http")
                    || target.starts_with("mailto:")
                    || target.starts_with("data:")
                {
                    continue;
                }
                let resolved = match target.strip_prefix('/') {
                    Some(absolute) => {
                        let inside = absolute
                            .strip_prefix("book/")
                            .unwrap_or_else(|| panic!("{path}: `{value}` is outside /book/"));
                        std::path::PathBuf::from(inside)
                    }
                    None => {
                        let joined = std::path::Path::new(&path).parent().unwrap().join(target);
                        let mut parts: Vec<String> = Vec::new();
                        for part in joined.components() {
                            match part {
                                std::path::Component::ParentDir => assert!(
                                    parts.pop().is_some(),
                                    "{path}: `{value}` climbs above the site"
                                ),
                                std::path::Component::Normal(name) => {
                                    parts.push(name.to_string_lossy().into_owned())
                                }
                                _ => {}
                            }
                        }
                        parts.iter().collect()
                    }
                };
                let file = root.join(&resolved);
                let exists = file.is_file()
                    || file.join("index.html").is_file()
                    || resolved.starts_with("pagefind");
                assert!(exists, "{path}: `{value}` does not resolve under /book/");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked} links checked");
    assert!(
        book.read("book/404.html")
            .contains("href=\"/book/fr/index.html\"")
    );
}

#[test]
fn a_book_written_like_mdbooks_guide_gives_the_pages_mdbook_gives() {
    let book = Fixture::copy("mdbook-guide");
    let run = book.build();
    assert!(
        run.stderr.is_empty(),
        "no warning for what mdBook books use:\n{}",
        run.stderr
    );
    let mut pages: Vec<String> = snapshot(&book.path("book"))
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path.ends_with(".html"))
        .collect();
    pages.sort();
    // The page set `mdbook build` 0.5.4 writes for this book, less its toc.html.
    assert_eq!(
        pages,
        [
            "404.html",
            "format/configuration/general.html",
            "format/configuration/index.html",
            "format/summary.html",
            "guide/creating.html",
            "guide/installation.html",
            "guide/reading.html",
            "index.html",
            "misc/contributors.html",
            "print.html"
        ]
    );
    let installation = book.read("book/guide/installation.html");
    assert!(
        installation.contains("<title>Installing the tool</title>"),
        "{{#title}}"
    );
    assert!(
        installation.contains("println!"),
        "{{#include file:anchor}}"
    );
    assert!(!installation.contains("ANCHOR"));
    assert!(
        book.read("book/guide/creating.html")
            .contains("ANCHOR: main"),
        "{{#include file:2:3}}"
    );
    assert!(
        book.read("book/guide/reading.html")
            .contains("href=\"../format/configuration/index.html#general\"")
    );
    assert!(
        book.read("book/index.html").contains("href=\"custom.css\""),
        "additional-css"
    );
    assert!(
        book.read("book/index.html")
            .contains("https://git.example.org/guide"),
        "git-repository-url"
    );
    assert!(
        book.read("book/404.html")
            .contains("href=\"/guide/index.html\""),
        "site-url as mdBook's path"
    );
    assert!(book.read("book/format/summary.html").contains(
        "<span class=\"draft\"><span class=\"section-number\">3.1</span> Draft chapter</span>"
    ));
    let check = book.folio(&["check", "--deny-warnings"]);
    assert!(check.success(), "{}", check.stdout);
}

#[test]
fn mdbook_features_folio_lacks_are_named_in_warnings() {
    let book = Fixture::copy("mdbook-guide");
    let config = book
        .read("book.toml")
        .replace("[output.html]\n", "[output.html]\nmathjax-support = true\n");
    book.write(
        "book.toml",
        config + "\n[output.linkcheck]\n\n[output.html.playground]\neditable = true\n",
    );
    let run = book.build();
    assert!(run.success(), "{}", run.stderr);
    // Another renderer is a command of the book's: named, not run unless allowed; the
    // site goes where mdBook puts it beside one.
    assert!(
        run.stderr.contains(
            "renderer `linkcheck` (`mdbook-linkcheck`) was not run: a book's commands run only when you allow them"
        ),
        "{}",
        run.stderr
    );
    assert!(book.path("book/html/index.html").is_file());
    // One warning names every [output.html] key folio leaves unused, with the reason.
    let unused: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.contains("[output.html] keys folio does not use"))
        .collect();
    assert_eq!(unused.len(), 1, "{}", run.stderr);
    assert!(
        unused[0].contains("`playground` (folio has no Rust playground"),
        "{}",
        unused[0]
    );
    assert!(unused[0].contains("`mathjax-support`"), "{}", unused[0]);
}

#[test]
fn a_books_preprocessor_runs_only_when_allowed() {
    let book = Fixture::copy("mdbook-guide");
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[preprocessor.mermaid]\ncommand = \"mdbook-mermaid\"\n",
    );
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("book.toml asks to run commands: `mermaid` (`mdbook-mermaid`)")
            && run.stderr.contains("--allow-preprocessors"),
        "{}",
        run.stderr
    );
}
