//! Runbooks: pages whose front matter has a `[runbook]` table describing one
//! application (team, migration step, status, traffic share, hosting, dependencies,
//! dashboards, alerts, on-call). Their values and required sections are checked here.

use super::{Book, Edition, Page, PageContent};
use crate::diagnostic::Diagnostic;
use crate::slug::slugify;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Where an application stands in the migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationStatus {
    /// Still in the data centre.
    OnPrem,
    /// Traffic is being switched over.
    Migrating,
    /// Fully in the cloud.
    Cloud,
}

impl MigrationStatus {
    /// The suffix of its interface string (`runbook_status_cloud`) and CSS class.
    pub fn name(self) -> &'static str {
        match self {
            MigrationStatus::OnPrem => "on-prem",
            MigrationStatus::Migrating => "migrating",
            MigrationStatus::Cloud => "cloud",
        }
    }
}

/// A named link (a dashboard, an alert).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct NamedLink {
    /// What it is.
    pub name: String,
    /// Where it is.
    pub url: String,
}

/// The `[runbook]` table of a runbook page's front matter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RunbookMeta {
    /// The application's id, used by `depends-on` and the timeline (`time-api`).
    pub name: String,
    /// The owning team.
    pub team: String,
    /// The migration step, 0 to 4.
    pub step: i64,
    /// on-prem, migrating or cloud.
    pub status: MigrationStatus,
    /// Share of the traffic served from the cloud, 0 to 100.
    pub traffic: i64,
    /// Where it ran before.
    pub hosting_before: String,
    /// Where it runs after.
    pub hosting_after: String,
    /// Managed services it uses (RDS, SQS, ...).
    #[serde(default)]
    pub managed_services: Vec<String>,
    /// Other applications it calls, by `name`.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Dashboards to watch.
    #[serde(default)]
    pub dashboards: Vec<NamedLink>,
    /// Alerts that page someone.
    #[serde(default)]
    pub alerts: Vec<NamedLink>,
    /// Who to call.
    pub on_call: String,
    /// Other names chapters use for the application, to find where they mention it.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The runbooks of `edition`, in reading order, with their metadata; a runbook missing
/// from a translation uses its source page's metadata.
pub fn of_edition<'b>(book: &'b Book, edition: &'b Edition) -> Vec<(&'b Page, &'b RunbookMeta)> {
    edition
        .pages
        .iter()
        .filter_map(|page| {
            let meta = runbook_meta(page).or_else(|| match page.content {
                PageContent::Untranslated { .. } => {
                    book.source().page(&page.path).and_then(runbook_meta)
                }
                _ => None,
            })?;
            Some((page, meta))
        })
        .collect()
}

fn runbook_meta(page: &Page) -> Option<&RunbookMeta> {
    match &page.content {
        PageContent::Written(written) => written.front_matter.runbook.as_ref(),
        _ => None,
    }
}

/// Checks every runbook of every edition: value ranges, dependencies, names, sections.
pub fn validate(book: &Book, required_sections: &[String]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for edition in &book.editions {
        let runbooks = of_edition(book, edition);
        let names: HashSet<&str> = runbooks
            .iter()
            .map(|(_, meta)| meta.name.as_str())
            .collect();
        let mut seen = HashSet::new();
        // A runbook page that could not be loaded may be the one a dependency names.
        let names_known = !edition.has_unloaded_pages();
        for (page, meta) in &runbooks {
            let PageContent::Written(written) = &page.content else {
                continue;
            };
            let front_matter_text =
                crate::source_file::read_text(&written.file).unwrap_or_default();
            let key_lines = crate::toml_input::KeyLines::of(&front_matter_text);
            let at = |key: &str| key_lines.line_of(key).unwrap_or(1);
            let error = |key: &str, message: String, hint: String| {
                Diagnostic::error("runbook", message)
                    .in_file(&written.file)
                    .at_line(at(key))
                    .with_hint(hint)
            };
            if !(0..=4).contains(&meta.step) {
                problems.push(error(
                    "runbook.step",
                    format!("`step = {}`: the migration step is out of range", meta.step),
                    "allowed values: 0, 1, 2, 3, 4".into(),
                ));
            }
            if !(0..=100).contains(&meta.traffic) {
                problems.push(error(
                    "runbook.traffic",
                    format!(
                        "`traffic = {}`: the share of traffic in the cloud is out of range",
                        meta.traffic
                    ),
                    "allowed values: 0 to 100 (a percentage)".into(),
                ));
            }
            for dependency in meta
                .depends_on
                .iter()
                .filter(|d| names_known && !names.contains(d.as_str()))
            {
                let mut known: Vec<&str> = names.iter().copied().collect();
                known.sort_unstable();
                problems.push(error(
                    "runbook.depends-on",
                    format!("`depends-on` names `{dependency}`, which has no runbook"),
                    format!(
                        "allowed values: the names of the runbooks ({})",
                        known.join(", ")
                    ),
                ));
            }
            if !seen.insert(meta.name.as_str()) {
                problems.push(error(
                    "runbook.name",
                    format!("`name = \"{}\"` is used by two runbooks", meta.name),
                    "give each application its own name".into(),
                ));
            }
            let sections = section_ids(&written.markdown);
            for required in required_sections {
                if !sections.contains(&slugify(required)) {
                    problems.push(
                        Diagnostic::error("runbook", format!("the required section `{required}` is missing"))
                            .in_file(&written.file)
                            .at_line(written.first_line)
                            .with_hint(format!("add a `## {required}` section (in another language, give its heading the id {{#{}}})", slugify(required))),
                    );
                }
            }
        }
    }
    problems
}

/// The ids of a page's `##` headings: explicit `{#id}` or the slug of their text.
fn section_ids(markdown: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut current: Option<(Option<String>, String)> = None;
    let options = pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H2,
                id,
                ..
            }) => {
                current = Some((id.map(|id| id.to_string()), String::new()));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, heading)) = &mut current {
                    heading.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((id, text)) = current.take() {
                    ids.insert(id.unwrap_or_else(|| slugify(&text)));
                }
            }
            _ => {}
        }
    }
    ids
}

/// For each runbook page (by path), the indexes of the pages naming it.
pub type Mentions = HashMap<String, Vec<usize>>;

/// Which written pages, runbooks aside, name each runbook of `edition` (its title, its
/// name or an alias, case folded): one pass over the edition's text for every runbook
/// at once (Aho-Corasick), not one pass per runbook, which grew with runbooks × pages.
pub fn mentions(edition: &Edition) -> Mentions {
    let mut names = Vec::new();
    let mut owners = Vec::new();
    for page in &edition.pages {
        let PageContent::Written(written) = &page.content else {
            continue;
        };
        let Some(meta) = &written.front_matter.runbook else {
            continue;
        };
        let called = std::iter::once(page.title.as_str())
            .chain(std::iter::once(meta.name.as_str()))
            .chain(meta.aliases.iter().map(String::as_str))
            .map(str::to_lowercase)
            .filter(|name| !name.trim().is_empty());
        for name in called {
            names.push(name);
            owners.push(page.path.as_str());
        }
    }
    let mut found: Mentions = HashMap::new();
    if names.is_empty() {
        return found;
    }
    // Building fails only past the automaton's size limits (names totalling gigabytes).
    let Ok(automaton) = aho_corasick::AhoCorasick::new(&names) else {
        return found;
    };
    for (index, page) in edition.pages.iter().enumerate() {
        let PageContent::Written(written) = &page.content else {
            continue;
        };
        if written.front_matter.runbook.is_some() {
            continue;
        }
        let text = written.markdown.to_lowercase();
        let named: HashSet<&str> = automaton
            .find_overlapping_iter(&text)
            .map(|found| owners[found.pattern().as_usize()])
            .collect();
        for runbook in named {
            found.entry(runbook.to_string()).or_default().push(index);
        }
    }
    found
}
