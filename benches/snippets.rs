//! Benchmark: resolving 500 snippets from one git source.
//!
//! Run with `cargo bench --bench snippets`. It makes a git repository with 50
//! Terraform and YAML files (two commits, a tag), then resolves 500 directives of
//! every selector kind at that tag, cold (no cache) and warm, several times, and prints
//! the median. Nothing here is a pass/fail test.

use folio::config::SourceConfig;
use folio::snippets::embed::Embedder;
use folio::snippets::sources::Sources;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const FILES: usize = 50;
const DIRECTIVES: usize = 500;
const RUNS: usize = 7;

fn git(directory: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(directory)
        .env("GIT_AUTHOR_NAME", "bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.org")
        .env("GIT_COMMITTER_NAME", "bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.org")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn terraform(index: usize) -> String {
    let mut text = String::new();
    for block in 0..20 {
        text.push_str(&format!(
            "# Block {block} of file {index}.\nresource \"aws_instance\" \"node_{block}\" {{\n  ami           = \"ami-{index:04}{block:04}\"\n  instance_type = \"m5.xlarge\"\n\n  tags = {{\n    Name = \"node-{block}\"\n  }}\n}}\n\n"
        ));
    }
    text
}

fn yaml(index: usize) -> String {
    let mut text = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{index}\nspec:\n  template:\n    spec:\n      containers:\n"
    );
    for container in 0..10 {
        text.push_str(&format!("        - name: c{container}\n          image: registry.example.org/app-{index}:{container}\n          # ANCHOR: resources-{container}\n          resources:\n            limits:\n              memory: {container}00Mi\n          # ANCHOR_END: resources-{container}\n"));
    }
    text
}

fn directive(n: usize) -> String {
    let file = n % FILES;
    match n % 5 {
        0 => format!(
            "{{{{#snippet infra:tf/file{file}.tf block=resource.aws_instance.node_{}}}}}",
            n % 20
        ),
        1 => format!(
            "{{{{#snippet infra:k8s/app{file}.yaml yaml=spec.template.spec.containers[{}]}}}}",
            n % 10
        ),
        2 => format!(
            "{{{{#snippet infra:k8s/app{file}.yaml anchor=resources-{}}}}}",
            n % 10
        ),
        3 => format!("{{{{#snippet infra:tf/file{file}.tf lines=10-40}}}}"),
        _ => format!("{{{{#snippet infra:tf/file{file}.tf regex=^resource.*node_3..^}}}}"),
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let workspace = tempfile::tempdir().expect("a temporary directory");
    let repository = workspace.path().join("infra");
    std::fs::create_dir_all(repository.join("tf")).unwrap();
    std::fs::create_dir_all(repository.join("k8s")).unwrap();
    git(&repository, &["init", "-q"]);
    for index in 0..FILES {
        std::fs::write(
            repository.join(format!("tf/file{index}.tf")),
            terraform(index),
        )
        .unwrap();
        std::fs::write(repository.join(format!("k8s/app{index}.yaml")), yaml(index)).unwrap();
    }
    git(&repository, &["add", "."]);
    git(&repository, &["commit", "-q", "-m", "infrastructure"]);
    git(&repository, &["tag", "v1"]);
    std::fs::write(repository.join("tf/file0.tf"), "# moved on\n").unwrap();
    git(&repository, &["commit", "-q", "-am", "later"]);

    let config: BTreeMap<String, SourceConfig> = [(
        "infra".to_string(),
        SourceConfig {
            git: Some("infra".into()),
            rev: Some("v1".into()),
            ..SourceConfig::default()
        },
    )]
    .into();
    let page = workspace.path().join("page.md");
    let directives: Vec<String> = (0..DIRECTIVES).map(directive).collect();
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let sources = Sources::open(
            &config,
            workspace.path(),
            &workspace.path().join("book.toml"),
            &folio::trust::Trust::new(workspace.path(), &[]),
        )
        .expect("the source opens");
        let root = folio::confine::Root::new(workspace.path()).unwrap();
        let embedder = Embedder::new(&sources, &root, &root);
        for text in &directives {
            embedder
                .embed(text, &page)
                .expect("every directive resolves");
        }
        cold.push(started.elapsed());
        let started = Instant::now();
        for text in &directives {
            embedder
                .embed(text, &page)
                .expect("every directive resolves");
        }
        warm.push(started.elapsed());
    }
    println!(
        "snippets: {DIRECTIVES} directives over {} files of one git source at a tag, {RUNS} runs",
        FILES * 2
    );
    println!(
        "  cold (open source, read and cut): median {:.1} ms",
        median(cold).as_secs_f64() * 1000.0
    );
    println!(
        "  warm (files cached, cut again):   median {:.1} ms",
        median(warm).as_secs_f64() * 1000.0
    );
}
