//! Live snippets: `{{#snippet SOURCE:PATH ...}}` embeds part of a file from an
//! infrastructure repository (a directory, or a git clone read at a ref), and
//! `{{#include PATH...}}` (and mdBook's other forms, [`mdbook_forms`]) a file of the
//! book's repository. [`directive`] parses them, [`select`] cuts the selection,
//! [`sources`] reads files safely.

pub mod cut;
pub mod directive;
pub mod embed;
pub mod hcl;
mod mdbook_forms;
pub mod select;
pub mod sources;
pub mod yaml;
pub mod yaml_path;
