//! What to render again: every file after a change every page shows, otherwise only
//! the pages whose body changed, runbook pages, contents and site-wide files; the rest
//! comes from the cache.

use super::feeds::Feed;
use super::{SHARED_TOC_SCRIPT, SiteRenderer};
use crate::book::PageContent;
use crate::render::OutputFile;
use crate::render::cache::RenderCache;
use std::sync::Arc;

/// One file to render.
pub(super) enum Job {
    Page {
        edition: usize,
        page: usize,
    },
    Landing {
        edition: usize,
    },
    SharedToc {
        edition: usize,
    },
    Redirect,
    Sitemap,
    NotFound,
    Print {
        edition: usize,
    },
    Epub {
        edition: usize,
    },
    /// `[output.html.redirect]`: a page that moved (its index in the checked list).
    Moved {
        redirect: usize,
    },
    /// `[output.html] cname`.
    Cname,
    /// An Atom feed of the book's data.
    Feed {
        edition: usize,
        feed: Feed,
    },
}

impl SiteRenderer<'_> {
    /// The files to render, and the pages whose HTML the cache already has: after a
    /// `full` change every page is rendered; otherwise only the pages whose body changed,
    /// runbook pages (their cards read other pages), landing pages and site-wide files.
    pub(super) fn jobs(&self, full: bool, cache: &RenderCache) -> (Vec<Job>, Vec<OutputFile>) {
        let mut jobs = Vec::new();
        let mut reused = Vec::new();
        // A file is rendered again unless `keep` says its inputs are unchanged and the
        // cache has it.
        let mut schedule =
            |job: Job, path: String, keep: bool| match cache.page(&path).filter(|_| keep) {
                Some(bytes) => reused.push(OutputFile {
                    path,
                    bytes: Arc::clone(bytes),
                }),
                None => jobs.push(job),
            };
        for (edition_index, bodies) in self.editions.iter().enumerate() {
            let pages = &bodies.edition.pages;
            for (page_index, page) in pages.iter().enumerate() {
                let is_runbook = matches!(&page.content, PageContent::Written(written) if written.front_matter.runbook.is_some());
                schedule(
                    Job::Page {
                        edition: edition_index,
                        page: page_index,
                    },
                    Self::output_path(bodies.edition, &page.html_path()),
                    !full && !is_runbook && !bodies.rerendered.contains(&page_index),
                );
            }
            // The contents change with titles and statuses (then `full`) or sections.
            let contents_kept = !full && !bodies.sections_changed;
            if self.shares_toc(bodies.edition) {
                schedule(
                    Job::SharedToc {
                        edition: edition_index,
                    },
                    Self::output_path(bodies.edition, SHARED_TOC_SCRIPT),
                    contents_kept,
                );
            }
            for feed in Feed::ALL.into_iter().filter(|feed| self.has_feed(*feed)) {
                // Its data, titles and the configuration all make a change `full`.
                schedule(
                    Job::Feed {
                        edition: edition_index,
                        feed,
                    },
                    Self::output_path(bodies.edition, feed.file()),
                    !full,
                );
            }
            if !pages.iter().any(|page| page.html_path() == "index.html") {
                schedule(
                    Job::Landing {
                        edition: edition_index,
                    },
                    Self::output_path(bodies.edition, "index.html"),
                    contents_kept,
                );
            }
        }
        // These show nothing a page's text changes (the sitemap lists pages by status).
        if self.editions.len() > 1 {
            schedule(Job::Redirect, "index.html".to_string(), !full);
        }
        if self.site_url.is_some() {
            schedule(Job::Sitemap, "sitemap.xml".to_string(), !full);
        }
        schedule(Job::NotFound, "404.html".to_string(), !full);
        let html = &self.book.config.output.html;
        for (index, redirect) in self.redirects.iter().enumerate() {
            if redirect.to.is_some() {
                jobs.push(Job::Moved { redirect: index });
            }
        }
        if html.cname.is_some() {
            jobs.push(Job::Cname);
        }
        if self.publications.is_some() && html.print.enable {
            for edition in 0..self.editions.len() {
                jobs.push(Job::Print { edition });
                if self.book.config.output.epub.enable {
                    jobs.push(Job::Epub { edition });
                }
            }
        }
        (jobs, reused)
    }
}
