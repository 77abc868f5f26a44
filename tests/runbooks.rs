//! The timeline and the runbooks, from typed data, in both languages.

mod common;

use common::{Fixture, Run};

fn times(html: &str) -> Vec<String> {
    html.split("<time ")
        .skip(1)
        .map(|rest| rest[rest.find('>').unwrap() + 1..rest.find("</time>").unwrap()].to_string())
        .collect()
}

#[test]
fn the_timeline_sorts_every_precision_and_localizes_it() {
    let book = Fixture::copy("runbooks");
    let run = book.build();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let french = book.read("book/fr/timeline.html");
    assert_eq!(
        times(&french),
        [
            "2017",
            "premier trimestre 2018",
            "printemps 2018",
            "mai 2018",
            "second semestre 2018",
            "début juillet 2018",
            "16 juillet 2018",
            "septembre 2018 – novembre 2018",
            "14 février 2019",
            "mi-avril 2019"
        ]
    );
    let english = book.read("book/en/timeline.html");
    assert_eq!(
        times(&english),
        [
            "2017",
            "Q1 2018",
            "spring 2018",
            "May 2018",
            "second half of 2018",
            "early July 2018",
            "July 16, 2018",
            "September 2018 – November 2018",
            "February 14, 2019",
            "mid-April 2019"
        ]
    );
    // Grouped by year.
    assert_eq!(
        french.matches("<section class=\"timeline-year\"").count(),
        3
    );
    assert!(french.contains("<h2 id=\"year-2018\">2018</h2>"));
    // Links to the chapter and the runbook.
    assert!(french.contains("<a href=\"migration.html\">Premier pour cent.</a>"));
    assert!(french.contains("<a class=\"event-runbook\" href=\"runbooks/alpha.html\">API A</a>"));
}

#[test]
fn the_timeline_has_filter_markup_for_each_tag() {
    let book = Fixture::copy("runbooks");
    book.build();
    let french = book.read("book/fr/timeline.html");
    for (tag, label) in [
        ("infra", "infrastructure"),
        ("team", "équipe"),
        ("incident", "incident"),
        ("publication", "publication"),
        ("migration", "migration"),
    ] {
        assert!(
            french.contains(&format!(
                "data-tag=\"{tag}\" aria-pressed=\"false\">{label}</button>"
            )),
            "{tag}"
        );
    }
    assert!(french.contains("<li class=\"timeline-event\" data-tags=\"incident migration\">"));
    assert_eq!(french.matches("data-tags=\"incident").count(), 2);
}

#[test]
fn an_untranslated_event_falls_back_to_the_source_text_marked() {
    let book = Fixture::copy("runbooks");
    book.build();
    let english = book.read("book/en/timeline.html");
    assert!(english.contains(
        "<li class=\"timeline-event\" data-tags=\"incident\" lang=\"fr\" data-untranslated=\"\" title=\"not translated yet\"><time datetime=\"2019-02-14\">February 14, 2019</time> <span class=\"event-text\">Le cache est vidé.</span>"
    ));
}

#[test]
fn bad_timeline_data_is_an_error_with_its_line() {
    let book = Fixture::copy("runbooks");
    let timeline = book.read("content/data/timeline.toml");
    for (from, to, expected) in [
        (
            "date = \"H2 2018\"",
            "date = \"H3 2018\"",
            "content/data/timeline.toml:2: `date = \"H3 2018\"` is not a date",
        ),
        (
            "tags = [\"infra\"]\nfr = \"Second",
            "tags = [\"infra\", \"gossip\"]\nfr = \"Second",
            "content/data/timeline.toml:3: unknown tag `gossip`",
        ),
        (
            "chapter = \"migration.md\"",
            "chapter = \"nowhere.md\"",
            "content/data/timeline.toml:10: `chapter = \"nowhere.md\"` is not a page",
        ),
        (
            "runbook = \"beta\"",
            "runbook = \"delta\"",
            "content/data/timeline.toml:24: `runbook = \"delta\"` names no runbook",
        ),
    ] {
        book.write("content/data/timeline.toml", timeline.replacen(from, to, 1));
        let run = book.folio(&["build"]);
        assert_eq!(run.code(), Some(1), "{to}");
        assert!(
            run.stderr.contains(expected),
            "expected {expected} in\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("hint:"));
    }
}

fn broken_runbook(from: &str, to: &str) -> Run {
    let book = Fixture::copy("runbooks");
    let page = book.read("content/fr/runbooks/alpha.md");
    assert!(page.contains(from), "{from}");
    book.write("content/fr/runbooks/alpha.md", page.replacen(from, to, 1));
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1), "{to}: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    run
}

#[test]
fn each_runbook_problem_names_file_line_field_and_allowed_values() {
    let cases = [
        (
            "traffic = 100",
            "traffic = 140",
            "content/fr/runbooks/alpha.md:9: `traffic = 140`",
            "allowed values: 0 to 100",
        ),
        (
            "step = 1",
            "step = 7",
            "content/fr/runbooks/alpha.md:7: `step = 7`",
            "allowed values: 0, 1, 2, 3, 4",
        ),
        (
            "status = \"cloud\"",
            "status = \"cloudy\"",
            "content/fr/runbooks/alpha.md:8: unknown variant `cloudy`",
            "`on-prem`, `migrating`, `cloud`",
        ),
        (
            "traffic = 100",
            "traffic = \"lots\"",
            "content/fr/runbooks/alpha.md:9: invalid type: string \"lots\", expected i64",
            "hint:",
        ),
        (
            "depends-on = []",
            "depends-on = [\"omega\"]",
            "content/fr/runbooks/alpha.md:13: `depends-on` names `omega`",
            "allowed values: the names of the runbooks (alpha, beta, gamma)",
        ),
        (
            "team = \"Plateforme\"\n",
            "",
            "content/fr/runbooks/alpha.md:4: missing field `team`",
            "hint:",
        ),
        (
            "## Revenir en arrière {#roll-back}",
            "## Revenir",
            "content/fr/runbooks/alpha.md:20: the required section `Roll back` is missing",
            "{#roll-back}",
        ),
    ];
    for (from, to, location, allowed) in cases {
        let run = broken_runbook(from, to);
        assert!(
            run.stderr.contains(location),
            "expected {location} in\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(allowed),
            "expected {allowed} in\n{}",
            run.stderr
        );
    }
}

#[test]
fn required_sections_come_from_book_toml() {
    let book = Fixture::copy("runbooks");
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[runbooks]\nrequired-sections = [\"Deploy\", \"Escalation\"]\n",
    );
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert_eq!(
        run.stderr
            .matches("the required section `Escalation` is missing")
            .count(),
        6,
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("`Roll back`"));
}

#[test]
fn the_board_lists_every_application_with_its_status() {
    let book = Fixture::copy("runbooks");
    book.build();
    let board = book.read("book/fr/runbooks/index.html");
    assert_eq!(board.matches("<tr data-runbook=").count(), 3);
    assert!(board.contains("<tr data-runbook=\"alpha\"><td data-value=\"API A\"><a href=\"alpha.html\">API A</a></td><td data-value=\"Plateforme\">Plateforme</td><td data-value=\"1\">1</td><td data-value=\"cloud\"><span class=\"status status-cloud\">dans le Cloud</span></td><td data-value=\"100\">"));
    assert!(board.contains("<tr data-runbook=\"beta\">"));
    assert!(board.contains("<span class=\"status status-migrating\">en migration</span></td><td data-value=\"40\"><span class=\"traffic\"><span class=\"traffic-bar\" role=\"img\" aria-label=\"40\u{202F}%\"><span style=\"width:40%\"></span></span> 40\u{202F}%</span>"));
    assert!(board.contains("<th scope=\"col\" data-sort=\"number\" title=\"Trier par cette colonne\"><button type=\"button\" data-interactive=\"\">Trafic dans le Cloud</button></th>"));
    assert!(
        book.read("book/en/runbooks/index.html")
            .contains("<span class=\"status status-on-prem\">on premises</span>")
    );
}

#[test]
fn the_dependency_graph_is_an_svg_with_a_node_per_application_and_an_edge_per_call() {
    let book = Fixture::copy("runbooks");
    book.build();
    let board = book.read("book/fr/runbooks/index.html");
    let graph = &board[board.find("<figure class=\"dependency-graph\">").unwrap()..];
    let svg = &graph[graph.find("<svg").unwrap()..graph.find("</svg>").unwrap()];
    for name in ["alpha", "beta", "gamma"] {
        assert!(
            svg.contains(&format!("data-runbook=\"{name}\"")),
            "node {name}"
        );
    }
    let mut edges: Vec<&str> = svg
        .split("<polyline ")
        .skip(1)
        .map(|rest| &rest[..rest.find(" points").unwrap()])
        .collect();
    edges.sort_unstable();
    assert_eq!(
        edges,
        [
            "data-from=\"beta\" data-to=\"alpha\"",
            "data-from=\"gamma\" data-to=\"alpha\"",
            "data-from=\"gamma\" data-to=\"beta\""
        ]
    );
    // Layered: alpha (calls nobody) left of beta, beta left of gamma.
    let x = |name: &str| {
        let node = &svg[svg.find(&format!("data-runbook=\"{name}\"")).unwrap()..];
        let rect = &node[node.find("x=\"").unwrap() + 3..];
        rect[..rect.find('"').unwrap()].parse::<f64>().unwrap()
    };
    assert!(x("alpha") < x("beta") && x("beta") < x("gamma"));
    assert!(
        svg.contains("<a href=\"gamma.html\">"),
        "nodes link to their runbooks"
    );
}

#[test]
fn every_runbook_a_page_names_is_found_whatever_the_case_and_however_the_names_overlap() {
    let book = Fixture::copy("runbooks");
    // "api" (beta's alias) lies inside "API A" (alpha's title): both are named. gamma's
    // blank alias names nothing (it would match every page with a space).
    book.edit("content/fr/runbooks/beta.md", |beta| {
        beta.replacen("[runbook]\n", "[runbook]\naliases = [\"api\"]\n", 1)
    });
    book.edit("content/fr/runbooks/gamma.md", |gamma| {
        gamma.replacen("[runbook]\n", "[runbook]\naliases = [\" \"]\n", 1)
    });
    book.write(
        "content/fr/migration.md",
        "# La migration\n\nNous avons d'abord migré l'API A, puis le FRONT C.\n",
    );
    book.write(
        "content/fr/timeline.md",
        "# Chronologie\n\nRien sur les applications.\n",
    );
    book.build();
    for runbook in ["alpha", "beta", "gamma"] {
        let found = book.read(&format!("book/fr/runbooks/{runbook}.html"));
        let listed = found
            .split("<dt>Chapitres qui en parlent</dt><dd>")
            .nth(1)
            .and_then(|rest| rest.split("</dd>").next())
            .unwrap_or_default()
            .to_string();
        assert_eq!(
            listed, "<a href=\"../migration.html\">La migration</a>",
            "{runbook}"
        );
    }
}

#[test]
fn a_runbook_page_shows_its_card_mentions_and_timeline_events() {
    let book = Fixture::copy("runbooks");
    book.build();
    let alpha = book.read("book/fr/runbooks/alpha.html");
    assert!(
        alpha.contains("<section class=\"runbook-card runbook-cloud\" aria-label=\"Runbook\">")
    );
    assert!(alpha.contains("<div><dt>Équipe</dt><dd>Plateforme</dd></div>"));
    assert!(alpha.contains("<div><dt>Services managés</dt><dd>SQS</dd></div>"));
    assert!(alpha.contains("<a href=\"https://alerts.example.org/alpha\">5xx</a>"));
    assert!(alpha.contains(
        "<dt>Chapitres qui en parlent</dt><dd><a href=\"../migration.html\">La migration</a></dd>"
    ));
    assert!(alpha.contains(
        "<li><a href=\"../migration.html\">16 juillet 2018 – Premier pour cent.</a></li>"
    ));
    let gamma = book.read("book/en/runbooks/gamma.html");
    assert!(gamma.contains("<dt>Depends on</dt><dd><a href=\"alpha.html\">API A</a>, <a href=\"beta.html\">Service B</a></dd>"));
}

#[test]
fn a_page_that_cannot_be_read_is_one_error_not_one_more_per_event_pointing_at_it() {
    let book = Fixture::copy("runbooks");
    // A stray line in the front matter of a chapter and of a runbook the timeline names.
    book.edit("content/fr/migration.md", |chapter| {
        format!("+++\nwritten = \"en 2018\"\nune ligne de trop\n+++\n{chapter}")
    });
    book.edit("content/fr/runbooks/alpha.md", |runbook| {
        runbook.replacen("+++\n", "+++\nune ligne de trop\n", 1)
    });
    for command in ["check", "build"] {
        let run = book.folio(&[command]);
        let report = format!("{}{}", run.stdout, run.stderr);
        assert!(!run.success(), "{report}");
        let errors: Vec<&str> = report
            .lines()
            .filter(|line| line.starts_with("error["))
            .collect();
        assert_eq!(
            errors.len(),
            2,
            "{command}: one error per broken page:\n{report}"
        );
        assert!(
            errors
                .iter()
                .all(|error| error.starts_with("error[invalid-toml]")),
            "{command}: {errors:?}"
        );
        assert!(errors.iter().any(|error| error.contains("migration.md:3:")));
        assert!(errors.iter().any(|error| error.contains("alpha.md:2:")));
    }
}
