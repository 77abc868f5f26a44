//! Blocks generated from the book's data, which pages place with `{{#name}}`:
//! `{{#changelog}}`, `{{#timeline}}`, `{{#runbook-board}}` and `{{#dependency-graph}}`.

use super::localize;
use super::theme::UiStrings;
mod graph;

use crate::book::runbooks::{self, MigrationStatus, RunbookMeta};
use crate::book::{Book, Edition, Page, html_path_of};
use crate::escape::escape_html as escape;
use crate::markdown::Blocks;
use crate::typography::Typographer;
use serde::Serialize;
use std::collections::HashMap;

/// The data blocks of one edition.
pub struct EditionBlocks<'b> {
    book: &'b Book,
    edition: &'b Edition,
    ui: &'b UiStrings,
    typographer: Typographer,
}

impl<'b> EditionBlocks<'b> {
    /// The blocks of `edition`, written with its interface strings and typography.
    pub fn new(
        book: &'b Book,
        edition: &'b Edition,
        ui: &'b UiStrings,
        typographer: Typographer,
    ) -> Self {
        Self {
            book,
            edition,
            ui,
            typographer,
        }
    }

    fn text(&self, key: &str) -> String {
        escape(&localize::fill(self.ui, key, &[]))
    }

    /// The source text, or the source language's text marked as untranslated.
    fn translated<'t>(
        &self,
        texts: &'t std::collections::BTreeMap<String, String>,
    ) -> (&'t str, String) {
        let source = &self.book.source().language.code;
        match texts.get(&self.edition.language.code) {
            Some(text) => (text, String::new()),
            None => (
                texts[source].as_str(),
                format!(
                    " lang=\"{source}\" data-untranslated=\"\" title=\"{}\"",
                    self.text("status_not_translated")
                ),
            ),
        }
    }

    fn changelog(&self) -> Option<String> {
        let changelog = self.book.changelog.as_ref()?;
        // Newest first, numbered as they came: the newest change has the highest number.
        let mut html = String::from("<ol class=\"changelog\" reversed=\"reversed\">\n");
        for change in &changelog.changes {
            let (text, fallback) = self.translated(&change.text);
            let date = change.date;
            html.push_str(&format!(
                "<li{fallback}><time datetime=\"{:04}-{:02}-{:02}\">{}</time> – {}</li>\n",
                date.year,
                date.month,
                date.day,
                escape(&localize::date(self.ui, date)),
                escape(&self.typographer.text(text))
            ));
        }
        html.push_str("</ol>\n");
        Some(html)
    }

    fn timeline(&self, page_path: &str) -> Option<String> {
        let timeline = self.book.timeline.as_ref()?;
        let runbook_titles = self.runbook_titles();
        let mut html = format!(
            "<div class=\"timeline\" data-timeline=\"\">\n<div class=\"timeline-filter\" role=\"group\" aria-label=\"{label}\" data-interactive=\"\"><span class=\"timeline-filter-label\">{label}</span> ",
            label = self.text("timeline_filter")
        );
        for tag in &timeline.tags {
            html.push_str(&format!(
                "<button type=\"button\" class=\"tag-filter tag-{tag}\" data-tag=\"{tag}\" aria-pressed=\"false\">{}</button>",
                self.text(&format!("tag_{tag}"))
            ));
        }
        html.push_str("</div>\n");
        let mut year = None;
        for event in &timeline.events {
            let event_year = event.when.start.year();
            if year != Some(event_year) {
                if year.is_some() {
                    html.push_str("</ol>\n</section>\n");
                }
                html.push_str(&format!("<section class=\"timeline-year\" data-year=\"{event_year}\">\n<h2 id=\"year-{event_year}\">{event_year}</h2>\n<ol class=\"timeline-events\">\n"));
                year = Some(event_year);
            }
            let (text, fallback) = self.translated(&event.text);
            let text = escape(&self.typographer.text(text));
            let text = match &event.chapter {
                Some(chapter) => format!(
                    "<a href=\"{}\">{text}</a>",
                    relative(page_path, &html_path_of(chapter))
                ),
                None => text,
            };
            // Apart by a space, so that no stylesheet is needed to read them apart.
            let tags: String = event
                .tags
                .iter()
                .map(|tag| {
                    format!(
                        "<span class=\"tag tag-{tag}\">{}</span>",
                        self.text(&format!("tag_{tag}"))
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            let runbook = event
                .runbook
                .as_deref()
                .and_then(|name| runbook_titles.get(name))
                .map(|(path, title)| {
                    format!(
                        " <a class=\"event-runbook\" href=\"{}\">{}</a>",
                        relative(page_path, &html_path_of(path)),
                        escape(title)
                    )
                })
                .unwrap_or_default();
            html.push_str(&format!(
                "<li class=\"timeline-event\" data-tags=\"{}\"{fallback}><time datetime=\"{}\">{}</time> <span class=\"event-text\">{text}</span> <span class=\"event-tags\">{tags}</span>{runbook}</li>\n",
                event.tags.join(" "),
                localize::machine_date(event.when.start),
                escape(&localize::when(self.ui, event.when)),
            ));
        }
        if year.is_some() {
            html.push_str("</ol>\n</section>\n");
        }
        html.push_str("</div>\n");
        Some(html)
    }

    /// Each runbook's page path and title in this edition, by application name.
    fn runbook_titles(&self) -> HashMap<&'b str, (&'b str, String)> {
        runbooks::of_edition(self.book, self.edition)
            .into_iter()
            .map(|(page, meta)| {
                (
                    meta.name.as_str(),
                    (page.path.as_str(), self.typographer.text(&page.title)),
                )
            })
            .collect()
    }

    fn board(&self, page_path: &str) -> Option<String> {
        let runbooks = runbooks::of_edition(self.book, self.edition);
        if runbooks.is_empty() {
            return None;
        }
        let header = |key: &str, kind: &str| {
            format!(
                "<th scope=\"col\" data-sort=\"{kind}\" title=\"{}\"><button type=\"button\" data-interactive=\"\">{}</button></th>",
                self.text("board_sort"),
                self.text(key)
            )
        };
        let mut html = format!(
            "<table class=\"runbook-board\" data-sortable=\"\">\n<thead><tr>{}{}{}{}{}</tr></thead>\n<tbody>\n",
            header("board_application", "text"),
            header("runbook_team", "text"),
            header("runbook_step", "number"),
            header("runbook_status", "text"),
            header("runbook_traffic", "number"),
        );
        for (page, meta) in runbooks {
            let title = escape(&self.typographer.text(&page.title));
            html.push_str(&format!(
                "<tr data-runbook=\"{}\"><td data-value=\"{title}\"><a href=\"{}\">{title}</a></td><td data-value=\"{team}\">{team}</td><td data-value=\"{step}\">{step}</td><td data-value=\"{status}\"><span class=\"status status-{status}\">{}</span></td><td data-value=\"{traffic}\">{}</td></tr>\n",
                escape(&meta.name),
                relative(page_path, &page.html_path()),
                self.status_label(meta),
                self.traffic_bar(meta.traffic),
                team = escape(&meta.team),
                step = meta.step,
                status = meta.status.name(),
                traffic = meta.traffic,
            ));
        }
        html.push_str("</tbody>\n</table>\n");
        Some(html)
    }

    /// The localized label of a runbook's status.
    pub fn status_label(&self, meta: &RunbookMeta) -> String {
        self.text(&format!(
            "runbook_status_{}",
            meta.status.name().replace('-', "_")
        ))
    }

    /// A bar showing the share of traffic in the cloud, with the figure.
    pub fn traffic_bar(&self, traffic: i64) -> String {
        let percent = localize::fill(self.ui, "percent", &[("value", &traffic.to_string())]);
        format!(
            "<span class=\"traffic\"><span class=\"traffic-bar\" role=\"img\" aria-label=\"{percent}\"><span style=\"width:{traffic}%\"></span></span> {percent}</span>"
        )
    }

    fn dependency_graph(&self, page_path: &str) -> Option<String> {
        let runbooks = runbooks::of_edition(self.book, self.edition);
        if runbooks.is_empty() {
            return None;
        }
        let index: HashMap<&str, usize> = runbooks
            .iter()
            .enumerate()
            .map(|(i, (_, meta))| (meta.name.as_str(), i))
            .collect();
        let nodes: Vec<graph::Node> = runbooks
            .iter()
            .map(|(page, meta)| graph::Node {
                name: meta.name.clone(),
                label: escape(&self.typographer.text(&page.title)),
                href: relative(page_path, &page.html_path()),
                status: meta.status,
                depends_on: meta
                    .depends_on
                    .iter()
                    .filter_map(|name| index.get(name.as_str()).copied())
                    .collect(),
            })
            .collect();
        let legend: Vec<(MigrationStatus, String)> = [
            MigrationStatus::Cloud,
            MigrationStatus::Migrating,
            MigrationStatus::OnPrem,
        ]
        .into_iter()
        .map(|status| {
            let key = format!("runbook_status_{}", status.name().replace('-', "_"));
            (status, localize::fill(self.ui, &key, &[]))
        })
        .collect();
        Some(graph::figure(
            &nodes,
            &self.text("dependencies_title"),
            &legend,
        ))
    }
}

/// A link with its text, for templates.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The link text.
    pub text: String,
    /// Where it goes (relative to the page, or absolute).
    pub href: String,
}

/// A runbook's metadata as the header card of its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RunbookCard {
    team: String,
    step: i64,
    status: &'static str,
    status_label: String,
    /// Pre-rendered, escaped HTML of the traffic bar.
    traffic_html: String,
    hosting_before: String,
    hosting_after: String,
    managed_services: Vec<String>,
    depends_on: Vec<Link>,
    dashboards: Vec<Link>,
    alerts: Vec<Link>,
    on_call: String,
    /// Chapters whose text names the application.
    mentions: Vec<Link>,
    /// Timeline events about the application.
    events: Vec<Link>,
}

impl EditionBlocks<'_> {
    /// The header card of the runbook page `page`.
    pub fn runbook_card(&self, page: &Page, meta: &RunbookMeta) -> RunbookCard {
        let titles = self.runbook_titles();
        let typeset = |text: &str| self.typographer.text(text);
        let link = |link: &runbooks::NamedLink| Link {
            text: typeset(&link.name),
            href: link.url.clone(),
        };
        let mentions = self
            .edition
            .mentions_of(&page.path)
            .map(|other| Link {
                text: typeset(&other.title),
                href: relative(&page.path, &other.html_path()),
            })
            .collect();
        let events = self
            .book
            .timeline
            .iter()
            .flat_map(|timeline| &timeline.events)
            .filter(|event| event.runbook.as_deref() == Some(meta.name.as_str()))
            .map(|event| Link {
                text: format!(
                    "{} – {}",
                    localize::when(self.ui, event.when),
                    typeset(self.translated(&event.text).0)
                ),
                href: event
                    .chapter
                    .as_deref()
                    .map(|chapter| relative(&page.path, &html_path_of(chapter)))
                    .unwrap_or_default(),
            })
            .collect();
        RunbookCard {
            team: meta.team.clone(),
            step: meta.step,
            status: meta.status.name(),
            status_label: localize::fill(
                self.ui,
                &format!("runbook_status_{}", meta.status.name().replace('-', "_")),
                &[],
            ),
            traffic_html: self.traffic_bar(meta.traffic),
            hosting_before: typeset(&meta.hosting_before),
            hosting_after: typeset(&meta.hosting_after),
            managed_services: meta.managed_services.clone(),
            depends_on: meta
                .depends_on
                .iter()
                .filter_map(|name| titles.get(name.as_str()))
                .map(|(path, title)| Link {
                    text: title.clone(),
                    href: relative(&page.path, &html_path_of(path)),
                })
                .collect(),
            dashboards: meta.dashboards.iter().map(link).collect(),
            alerts: meta.alerts.iter().map(link).collect(),
            on_call: meta.on_call.clone(),
            mentions,
            events,
        }
    }
}

impl Blocks for EditionBlocks<'_> {
    fn render(&self, name: &str, page_path: &str) -> Option<String> {
        match name {
            "changelog" => self.changelog(),
            "timeline" => self.timeline(page_path),
            "runbook-board" => self.board(page_path),
            "dependency-graph" => self.dependency_graph(page_path),
            _ => None,
        }
    }

    fn names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.book.changelog.is_some() {
            names.push("changelog");
        }
        if self.book.timeline.is_some() {
            names.push("timeline");
        }
        if !runbooks::of_edition(self.book, self.edition).is_empty() {
            names.extend(["runbook-board", "dependency-graph"]);
        }
        names
    }
}

/// The link from the page at `page_path` to `target` (both relative to the language root).
pub fn relative(page_path: &str, target: &str) -> String {
    crate::book::relative_link(page_path, target)
}
