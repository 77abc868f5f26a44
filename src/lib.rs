//! folio: a bilingual book and runbook site generator.
//!
//! The pipeline, one module per step: [`config`] reads book.toml, [`book`] loads every
//! language's summary and pages, [`markdown`] turns each page into HTML (with
//! [`highlight`] for code), [`render`] lays pages out with the theme, and [`output`]
//! writes the site atomically. [`build`] runs the steps in order; [`cli`] is the
//! command line.

pub mod book;
pub mod build;
pub mod cli;
pub mod commands;
pub mod config;
pub mod confine;
pub mod diagnostic;
pub mod digest;
pub mod escape;
pub mod highlight;
pub mod markdown;
pub mod media_type;
pub mod output;
pub mod render;
pub mod slug;
pub mod snippets;
pub mod source_file;
pub mod toml_input;
pub mod typography;
