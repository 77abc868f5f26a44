//! The layer rule of ARCHITECTURE.md, checked on the sources: every top-level module of
//! `src/` has a place in [`LAYERS`], and imports only modules placed below it (or
//! itself). Also: no source file above [`MAX_LINES`] lines.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The top-level modules of `src/`, lowest first. A module may use only those before it.
const LAYERS: &[&str] = &[
    // Foundations: no pipeline knowledge.
    "diagnostic",
    "digest",
    "source_file",
    "toml_input",
    "confine",
    "state_dir",
    "trust",
    "slug",
    "suggest",
    "escape",
    "typography",
    "media_type",
    "phases",
    "subprocess",
    // The pipeline, step by step.
    "config",
    "book",
    "snippets",
    "highlight",
    "markdown",
    "render",
    "output",
    "build",
    // What the user runs.
    "commands",
    "cli",
];

/// The longest a source file may be.
const MAX_LINES: usize = 600;

#[test]
fn no_module_imports_a_layer_above_it() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let violations = layer_violations(&source);
    assert!(
        violations.is_empty(),
        "imports against the layer rule (see ARCHITECTURE.md):\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let unplaced: Vec<String> = top_level_modules(&source)
        .into_iter()
        .filter(|module| !LAYERS.contains(&module.as_str()))
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules missing from LAYERS in tests/layers.rs: {unplaced:?}"
    );
}

#[test]
fn no_source_file_is_longer_than_the_limit() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let long: Vec<String> = rust_files(&source)
        .into_iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(&file).ok()?.lines().count();
            (lines > MAX_LINES).then(|| format!("{} has {lines} lines", file.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these files by job:\n{}",
        long.join("\n")
    );
}

#[test]
fn clap_is_used_only_by_the_command_line() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let users: Vec<String> = rust_files(&source)
        .into_iter()
        .filter(|file| !file.ends_with("cli.rs"))
        .filter(|file| std::fs::read_to_string(file).is_ok_and(|text| text.contains("clap::")))
        .map(|file| file.display().to_string())
        .collect();
    assert!(users.is_empty(), "clap types below `cli`: {users:?}");
}

#[test]
fn architecture_md_names_every_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture =
        std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("read ARCHITECTURE.md");
    let source = root.join("src");
    let missing: Vec<String> = rust_files(&source)
        .iter()
        .map(|file| module_path_of(file.strip_prefix(&source).expect("under src")).join("::"))
        .filter(|module| !module.is_empty())
        .filter(|module| !architecture.contains(&format!("`{module}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not say what these modules do: {missing:?}"
    );
}

#[test]
fn an_upward_import_is_caught() {
    let tree = tempfile::tempdir().expect("a temporary directory");
    let write = |relative: &str, text: &str| {
        let path = tree.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create");
        std::fs::write(path, text).expect("write");
    };
    write("config/mod.rs", "use crate::diagnostic::Diagnostic;\n");
    write(
        "config/sections.rs",
        "// crate::render in a comment is not an import\nuse crate::{slug, markdown::labels::X};\n",
    );
    write(
        "render/mod.rs",
        "pub fn f() { crate::output::write(); super::config::x(); }\n",
    );
    write("book/pages.rs", "use super::super::cli::Args;\n");
    let violations = layer_violations(tree.path());
    assert_eq!(
        violations,
        vec![
            "book/pages.rs:1: `book` imports `cli`, a layer above it".to_string(),
            "config/sections.rs:2: `config` imports `markdown`, a layer above it".to_string(),
            "render/mod.rs:1: `render` imports `output`, a layer above it".to_string(),
        ]
    );
}

/// Every import of a module placed above the importing one, as `file:line: message`.
fn layer_violations(source: &Path) -> Vec<String> {
    let mut violations = Vec::new();
    for file in rust_files(source) {
        let relative = file.strip_prefix(source).expect("under src");
        let module_path = module_path_of(relative);
        let Some(own) = module_path.first() else {
            continue; // lib.rs and main.rs declare the modules.
        };
        let Some(own_rank) = rank(own) else {
            continue; // reported by every_top_level_module_has_a_layer
        };
        let text = std::fs::read_to_string(&file).expect("read a source file");
        // Comments blanked out, so that offsets still give lines.
        let code: String = text
            .split_inclusive('\n')
            .map(|line| match line.find("//") {
                Some(comment) => {
                    let blank = line[comment..].trim_end_matches('\n').len();
                    format!(
                        "{}{}{}",
                        &line[..comment],
                        " ".repeat(blank),
                        &line[comment + blank..]
                    )
                }
                None => line.to_string(),
            })
            .collect();
        for (offset, target) in imported_modules(&code, &module_path) {
            let Some(target_rank) = rank(&target) else {
                continue;
            };
            if target_rank > own_rank {
                violations.push(format!(
                    "{}:{}: `{own}` imports `{target}`, a layer above it",
                    relative.display().to_string().replace('\\', "/"),
                    code[..offset].matches('\n').count() + 1
                ));
            }
        }
    }
    violations.sort();
    violations
}

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| *layer == module)
}

/// `render/site/pages.rs` -> `[render, site, pages]`; `render/mod.rs` -> `[render]`.
fn module_path_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    parts
}

/// The top-level modules named by `crate::` and `super::` paths in `code` (a file of the
/// module at `module_path`), each with the offset of its path: `use crate::{a, b::c}`
/// names `a` and `b`.
fn imported_modules(code: &str, module_path: &[String]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let follows_a_name = |start: usize| {
        code[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == ':')
    };
    for (start, _) in code.match_indices("crate::") {
        if !follows_a_name(start) {
            for name in first_segments(&code[start + "crate::".len()..]) {
                found.push((start, name));
            }
        }
    }
    for (start, _) in code.match_indices("super::") {
        if follows_a_name(start) {
            continue;
        }
        let mut depth = 0;
        let mut tail = &code[start..];
        while let Some(next) = tail.strip_prefix("super::") {
            depth += 1;
            tail = next;
        }
        // From a file's module, `super` is its parent; at the crate root the next
        // segment is a top-level module.
        match module_path.len().checked_sub(depth) {
            Some(0) => found.extend(first_segments(tail).into_iter().map(|name| (start, name))),
            Some(_) => found.push((start, module_path[0].clone())),
            None => {}
        }
    }
    found
}

/// The first path segment of `path`, or of each item of a `{...}` group.
fn first_segments(path: &str) -> Vec<String> {
    let identifier = |text: &str| -> String {
        text.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    match path.strip_prefix('{') {
        Some(group) => {
            let mut depth = 0;
            let mut items = vec![String::new()];
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(String::new());
                        continue;
                    }
                    _ => {}
                }
                items.last_mut().expect("one item at least").push(c);
            }
            items
                .iter()
                .map(|item| identifier(item))
                .filter(|name| !name.is_empty() && name != "self")
                .collect()
        }
        None => vec![identifier(path)],
    }
}

fn top_level_modules(source: &Path) -> BTreeSet<String> {
    rust_files(source)
        .iter()
        .filter_map(|file| {
            module_path_of(file.strip_prefix(source).expect("under src"))
                .first()
                .cloned()
        })
        .collect()
}

fn rust_files(directory: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).expect("read a source directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
