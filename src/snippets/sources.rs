//! The places snippets come from, read safely: a directory read live from the working
//! tree, or a git clone read at a ref without checking anything out. No path may leave
//! its source's root, through `..`, an absolute path or a symbolic link.

use crate::config::SourceConfig;
use crate::confine::{self, Root};
use crate::diagnostic::Diagnostic;
use crate::trust::Trust;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where an embedded text comes from, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The source's name (`platform`), or `None` for a file of the book.
    pub source: Option<String>,
    /// The file, relative to the source root.
    pub path: String,
    /// The git ref asked for.
    pub rev: Option<String>,
    /// The commit it resolved to, shortened.
    pub commit: Option<String>,
    /// A web link to the file at that commit.
    pub url: Option<String>,
    /// What to watch for changes: the file read, or the git directory whose refs and
    /// objects it came from.
    pub watched: PathBuf,
}

enum Kind {
    Directory {
        root: Root,
        /// The HEAD commit of the git work tree holding the directory, if any: what
        /// `{commit}` in a link names.
        head: Option<gix::ObjectId>,
    },
    /// A git repository (opened again for each file read: gix's repository handle is
    /// not shared across threads without its `parallel` feature, and reads are cached).
    Git {
        directory: PathBuf,
        rev: String,
        commit: gix::ObjectId,
    },
}

struct Source {
    kind: Kind,
    url: Option<String>,
}

/// A file read from a source, shared between the pages that embed it.
pub type FileText = Arc<str>;

/// Every configured source, opened once per build, with a cache of the files read.
pub struct Sources {
    sources: BTreeMap<String, Source>,
    cache: Mutex<HashMap<(String, String), Result<FileText, ReadError>>>,
    /// Problems that do not stop the build (a link template that cannot be filled).
    warnings: Vec<Diagnostic>,
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// What went wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl ReadError {
    /// A read error with a hint.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl Sources {
    /// Opens the sources of `[snippets.sources]`; `config_file` locates errors. A source
    /// outside the book's repository must be granted in `trust`.
    pub fn open(
        configs: &BTreeMap<String, SourceConfig>,
        book_root: &Path,
        config_file: &Path,
        trust: &Trust,
    ) -> Result<Sources, Vec<Diagnostic>> {
        let mut sources = BTreeMap::new();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for (name, config) in configs {
            let line =
                crate::toml_input::line_of_key_in(config_file, &format!("snippets.sources.{name}"));
            let error = |message: String, hint: &str| {
                Diagnostic::error("snippet-source", message)
                    .in_file(config_file)
                    .at_line(line)
                    .with_hint(hint.to_string())
            };
            let location = config.path.as_ref().or(config.git.as_ref());
            if let Some(location) = location.map(|location| book_root.join(location))
                && !trust.allows(&location)
            {
                let (message, hint) = trust.refusal(
                    &format!("the snippet source `{name}`"),
                    &location,
                    "--allow-source",
                );
                errors.push(error(message, &hint));
                continue;
            }
            let kind = match (&config.path, &config.git, &config.rev) {
                (Some(path), None, None) => match Root::new(&book_root.join(path)) {
                    Ok(root) if root.path().is_dir() => {
                        let head = head_commit(root.path());
                        let needs_commit = config
                            .url
                            .as_deref()
                            .is_some_and(|url| url.contains("{commit}"));
                        if needs_commit && head.is_none() {
                            warnings.push(
                                Diagnostic::warning(
                                    "snippet-source",
                                    format!("source `{name}`: its `url` names {{commit}}, but {} is not in a git work tree; its snippets get no link", root.path().display()),
                                )
                                .in_file(config_file)
                                .at_line(line)
                                .with_hint("remove {commit} from the url, or read the source from git with `git` and `rev`"),
                            );
                        }
                        Ok(Kind::Directory { root, head })
                    }
                    _ => Err(error(
                        format!(
                            "source `{name}`: {} is not a directory",
                            book_root.join(path).display()
                        ),
                        "fix `path`, relative to the book root",
                    )),
                },
                (None, Some(git), Some(rev)) => {
                    open_git(&book_root.join(git), rev).map_err(|message| {
                        error(
                            format!("source `{name}`: {message}"),
                            "fix `git` (a local clone) or `rev` (a branch, tag or commit)",
                        )
                    })
                }
                (None, Some(_), None) => Err(error(
                    format!("source `{name}` has `git` but no `rev`"),
                    "add rev = \"main\" (or a tag or commit)",
                )),
                _ => Err(error(
                    format!("source `{name}` needs either `path` or `git` with `rev`"),
                    "e.g. path = \"infra\", or git = \"../infra\" and rev = \"v1.2\"",
                )),
            };
            match kind {
                Ok(kind) => {
                    sources.insert(
                        name.clone(),
                        Source {
                            kind,
                            url: config.url.clone(),
                        },
                    );
                }
                Err(error) => errors.push(error),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Sources {
            sources,
            cache: Mutex::new(HashMap::new()),
            warnings,
        })
    }

    /// What opening the sources found that does not stop the build.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The names of the sources.
    pub fn names(&self) -> Vec<&str> {
        self.sources.keys().map(String::as_str).collect()
    }

    /// Reads `path` from the source `name`.
    pub fn read(&self, name: &str, path: &str) -> Result<(FileText, Origin), ReadError> {
        let source = self.sources.get(name).ok_or_else(|| {
            ReadError::new(
                format!("there is no snippet source `{name}`"),
                format!(
                    "declare [snippets.sources.{name}] in book.toml; {}",
                    crate::suggest::hint(name, &self.names(), "sources declared")
                ),
            )
        })?;
        let relative = confined(path).ok_or_else(|| {
            ReadError::new(
                format!("`{path}` leaves the source `{name}`"),
                "paths are relative to the source root, without `..` or a leading `/`",
            )
        })?;
        let key = (name.to_string(), relative.clone());
        let cached = self
            .cache
            .lock()
            .expect("the cache lock is never poisoned")
            .get(&key)
            .cloned();
        let text = match cached {
            Some(result) => result?,
            None => {
                let result = match &source.kind {
                    Kind::Directory { root, .. } => {
                        read_confined(root, &relative, &format!("the source `{name}`"))
                    }
                    Kind::Git {
                        directory, commit, ..
                    } => read_blob(directory, *commit, &relative),
                };
                self.cache
                    .lock()
                    .expect("the cache lock is never poisoned")
                    .insert(key, result.clone());
                result?
            }
        };
        let (rev, commit, link_commit) = match &source.kind {
            Kind::Directory { head, .. } => (
                None,
                None,
                head.map(|head| head.to_hex_with_len(7).to_string()),
            ),
            Kind::Git { rev, commit, .. } => {
                let short = commit.to_hex_with_len(7).to_string();
                (Some(rev.clone()), Some(short.clone()), Some(short))
            }
        };
        let url = source
            .url
            .as_ref()
            .filter(|template| !template.contains("{commit}") || link_commit.is_some())
            .map(|template| {
                template
                    .replace("{path}", &relative)
                    .replace("{commit}", &link_commit.clone().unwrap_or_default())
                    .replace("{rev}", &rev.clone().unwrap_or_default())
            });
        let watched = match &source.kind {
            Kind::Directory { root, .. } => root.path().join(&relative),
            Kind::Git { directory, .. } => directory.clone(),
        };
        Ok((
            text,
            Origin {
                source: Some(name.to_string()),
                path: relative,
                rev,
                commit,
                url,
                watched,
            },
        ))
    }
}

/// The HEAD commit of the git work tree holding `directory`, if there is one.
fn head_commit(directory: &Path) -> Option<gix::ObjectId> {
    let repository = gix::discover(directory).ok()?;
    repository.workdir()?;
    repository.head_id().ok().map(|id| id.detach())
}

fn open_git(path: &Path, rev: &str) -> Result<Kind, String> {
    let repository = gix::open(path)
        .map_err(|error| format!("{} is not a git repository: {error}", path.display()))?;
    let commit = repository
        .rev_parse_single(rev)
        .map_err(|error| {
            format!(
                "`{rev}` is not a branch, tag or commit of {}: {error}",
                path.display()
            )
        })?
        .object()
        .and_then(|object| object.peel_to_commit())
        .map_err(|error| format!("`{rev}` does not name a commit: {error}"))?
        .id;
    Ok(Kind::Git {
        directory: path.to_path_buf(),
        rev: rev.to_string(),
        commit,
    })
}

fn read_blob(directory: &Path, commit: gix::ObjectId, path: &str) -> Result<FileText, ReadError> {
    let failure = |error: String| {
        ReadError::new(
            format!("cannot read `{path}` from git: {error}"),
            "check the repository is intact (`git fsck`)",
        )
    };
    let repository = gix::open(directory).map_err(|e| failure(e.to_string()))?;
    let tree = repository
        .find_commit(commit)
        .map_err(|e| failure(e.to_string()))?
        .tree()
        .map_err(|e| failure(e.to_string()))?;
    let entry = tree
        .lookup_entry_by_path(path)
        .map_err(|e| failure(e.to_string()))?
        .ok_or_else(|| {
            let siblings = git_siblings(&tree, path);
            let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
            ReadError::new(
                format!("`{path}` does not exist at that commit"),
                format!(
                    "check the path and the source's `rev`; {}",
                    crate::suggest::hint(path, &names, "files beside it")
                ),
            )
        })?;
    if entry.mode().is_link() {
        return Err(ReadError::new(
            format!("`{path}` is a symbolic link"),
            "embed the file it points to, by its own path",
        ));
    }
    if !entry.mode().is_blob() {
        return Err(ReadError::new(
            format!("`{path}` is not a file"),
            "point the snippet at a file",
        ));
    }
    let object = entry.object().map_err(|e| failure(e.to_string()))?;
    let text = String::from_utf8(object.data.clone()).map_err(|_| {
        ReadError::new(
            format!("`{path}` is not UTF-8 text"),
            "embed text files only",
        )
    })?;
    Ok(Arc::from(text))
}

/// The files and directories (`name/`) in the deepest existing directory of `path` at a
/// commit, as paths from the root: what a mistyped path was probably meant to be.
fn git_siblings(tree: &gix::Tree<'_>, path: &str) -> Vec<String> {
    siblings(path, |directory| {
        let listed = if directory.is_empty() {
            tree.clone()
        } else {
            tree.lookup_entry_by_path(directory)
                .ok()??
                .object()
                .ok()?
                .try_into_tree()
                .ok()?
        };
        let entries = listed
            .iter()
            .filter_map(Result::ok)
            .map(|entry| (entry.filename().to_string(), entry.mode().is_tree()))
            .collect();
        Some(entries)
    })
}

/// The files and directories (`name/`) in the deepest existing directory of `relative`
/// under `root`, as paths from the root (nothing outside the root is listed).
fn directory_siblings(root: &Root, relative: &str) -> Vec<String> {
    siblings(relative, |directory| {
        let written = if directory.is_empty() { "." } else { directory };
        let listed = std::fs::read_dir(root.join(root.path(), written).ok()?).ok()?;
        let entries = listed
            .filter_map(Result::ok)
            .take(10_000)
            .map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                (name, entry.file_type().is_ok_and(|kind| kind.is_dir()))
            })
            .collect();
        Some(entries)
    })
}

/// The entries (`name/` for a directory) of the deepest directory of `path` that `list`
/// can list (it gives each entry's name and whether it is a directory), as sorted paths
/// from the root.
fn siblings(path: &str, list: impl Fn(&str) -> Option<Vec<(String, bool)>>) -> Vec<String> {
    let mut directory = path;
    loop {
        directory = directory.rsplit_once('/').map_or("", |(parent, _)| parent);
        if let Some(entries) = list(directory) {
            let prefix = if directory.is_empty() {
                String::new()
            } else {
                format!("{directory}/")
            };
            let mut names: Vec<String> = entries
                .into_iter()
                .map(|(name, is_directory)| {
                    format!("{prefix}{name}{}", if is_directory { "/" } else { "" })
                })
                .collect();
            names.sort();
            return names;
        }
        if directory.is_empty() {
            return Vec::new();
        }
    }
}

/// Reads `relative` under `root`, refusing anything that resolves outside it.
pub fn read_confined(root: &Root, relative: &str, name: &str) -> Result<FileText, ReadError> {
    let resolved = root
        .join(root.path(), relative)
        .map_err(|escape| ReadError::new(escape.describe(relative, name), escape.hint()))?;
    if !resolved.is_file() {
        let siblings = directory_siblings(root, relative);
        let names: Vec<&str> = siblings.iter().map(String::as_str).collect();
        return Err(ReadError::new(
            format!("`{relative}` does not exist"),
            format!(
                "check the path; {}",
                crate::suggest::hint(relative, &names, "files beside it")
            ),
        ));
    }
    let text = crate::source_file::read_text(&resolved).map_err(|error| {
        ReadError::new(
            format!("cannot read `{relative}`: {}", error.message),
            error
                .hint
                .unwrap_or_else(|| "embed UTF-8 text files".to_string()),
        )
    })?;
    Ok(Arc::from(text))
}

/// `path` normalised when it stays inside its root (no `..` above it, not absolute).
pub fn confined(path: &str) -> Option<String> {
    confine::normalize(path)
        .ok()
        .filter(|path| !path.is_empty())
}
