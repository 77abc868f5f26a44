//! `folio init DIR`: a new bilingual book skeleton that builds as it is.

use crate::diagnostic::Diagnostic;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

/// The skeleton's files: (path relative to the new book, contents).
const SKELETON: [(&str, &str); 7] = [
    (
        "book.toml",
        r#"[book]
title = "Mon livre"
authors = ["Votre nom"]
src = "content"

[build]
build-dir = "book"

[language.fr]
title = "Mon livre"
name = "Français"
source = true

[language.en]
title = "My book"
name = "English"
"#,
    ),
    (
        "content/fr/SUMMARY.md",
        "# Sommaire\n\n[Avant-propos](preface.md)\n\n- [Introduction](chapters/introduction.md)\n",
    ),
    (
        "content/fr/preface.md",
        "# Avant-propos\n\nQuelques mots avant de commencer.\n",
    ),
    (
        "content/fr/chapters/introduction.md",
        "+++\nwritten = \"aujourd'hui\"\n+++\n\n# Introduction\n\nLe premier chapitre.\n\n## Une première section\n\nDu texte, et du code :\n\n```sh\nfolio build\n```\n",
    ),
    (
        "content/en/SUMMARY.md",
        "# Summary\n\n[Foreword](preface.md)\n\n- [Introduction](chapters/introduction.md)\n",
    ),
    (
        "content/en/preface.md",
        "# Foreword\n\nA few words before we start.\n",
    ),
    (".gitignore", "/book\n"),
];

/// Creates the skeleton in `directory`, which must not exist or be empty.
fn init(directory: &Path) -> Result<Vec<String>, Diagnostic> {
    let occupied = fs::read_dir(directory).is_ok_and(|mut entries| entries.next().is_some());
    if occupied || directory.is_file() {
        return Err(Diagnostic::error(
            "init",
            format!("{} already exists and is not empty", directory.display()),
        )
        .with_hint("choose a new directory name; folio init never overwrites files"));
    }
    let mut created = Vec::new();
    for (relative, contents) in SKELETON {
        let path = directory.join(relative);
        let parent = path.parent().expect("skeleton paths have a parent");
        fs::create_dir_all(parent)
            .and_then(|()| fs::write(&path, contents))
            .map_err(|error| {
                Diagnostic::error("init", format!("cannot write {}: {error}", path.display()))
            })?;
        created.push(relative.to_string());
    }
    Ok(created)
}

/// Creates the skeleton in `directory` and says how to build it.
pub fn run(directory: &Path) -> ExitCode {
    super::report_error(init(directory).map(|created| {
        println!(
            "Created a new book in {} ({} files).",
            directory.display(),
            created.len()
        );
        println!("Build it with: folio build {}", directory.display());
    }))
}
