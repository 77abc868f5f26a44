//! folio: a bilingual book and runbook site generator.
//!
//! Modules are layers, each importing only those below it (ARCHITECTURE.md;
//! `tests/layers.rs` enforces it). From the bottom: the foundations `diagnostic`,
//! `digest`, `source_file`, `toml_input`, `confine`, `state_dir`, `trust`, `slug`, `suggest`, `escape`, `typography`,
//! `media_type`, `phases`, `subprocess`; then `config`, `book`, `snippets`, `highlight`, `markdown`, `render`,
//! `output`, `build`, `commands`, `cli`. The pipeline:
//! [`config`] reads book.toml, [`book`] loads every language's summary and pages,
//! [`markdown`] turns each page into HTML (with [`snippets`] and [`highlight`]),
//! [`render`] lays pages out with the theme, and [`output`] writes the site atomically.
//! [`build`] runs the steps in order; [`commands`] are what the user runs; [`cli`] is
//! the command line.

// Foundations: no knowledge of the pipeline.
pub mod confine;
pub mod diagnostic;
pub mod digest;
pub mod escape;
pub mod media_type;
pub mod phases;
pub mod slug;
pub mod source_file;
pub mod state_dir;
pub mod subprocess;
pub mod suggest;
pub mod toml_input;
pub mod trust;
pub mod typography;

// The pipeline, step by step.
pub mod book;
pub mod build;
pub mod config;
pub mod highlight;
pub mod markdown;
pub mod output;
pub mod render;
pub mod snippets;

// What the user runs.
pub mod cli;
pub mod commands;
