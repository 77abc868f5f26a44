//! Live snippets against a real git repository made by the test: every selector, refs
//! that move, escapes, cycles, and staleness.

mod common;

use common::{Fixture, Run, git};
use std::path::Path;
use std::process::Command;

const MAIN_TF: &str = "variable \"region\" {\n  default = \"eu-west-3\"\n}\n\n# The production cluster.\nresource \"aws_eks_cluster\" \"main\" {\n  name = \"prod1\"\n}\n\nmodule \"vpc\" {\n  source = \"./vpc\"\n}\n";
const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: php\n          image: catalog:1.2 # pinned in 2019\n        - name: nginx\n          image: nginx:1.17\n";
const TEMPLATE: &str = "spec:\n  replicas: {{ .Values.replicas }}\n  # ANCHOR: probe\n  readinessProbe:\n    path: /healthz\n  # ANCHOR_END: probe\n";
const HAPROXY: &str = "frontend api\n    bind :80\n\nbackend time_api\n    server onprem 10.1.0.10:80 weight 99\n    server cloud time-api:80 weight 1\n\nbackend other\n    server x 10.0.0.1:80\n";

/// A book (the bilingual fixture) next to a git repository `infra` with a tag `v1`.
fn book_with_repository(rev: &str) -> Fixture {
    let book = Fixture::copy("bilingual");
    let repository = book.path("infra");
    std::fs::create_dir_all(repository.join("terraform")).unwrap();
    git(&repository, &["init", "-q", "-b", "main"]);
    for (path, text) in [
        ("terraform/main.tf", MAIN_TF),
        ("k8s/deployment.yaml", DEPLOYMENT),
        ("chart/templates/deploy.yaml", TEMPLATE),
        ("haproxy.cfg", HAPROXY),
    ] {
        book.write(&format!("infra/{path}"), text);
    }
    git(&repository, &["add", "."]);
    git(&repository, &["commit", "-q", "-m", "first"]);
    git(&repository, &["tag", "v1"]);
    book.write(
        "book.toml",
        book.read("book.toml") + &format!("\n[snippets.sources.platform]\ngit = \"infra\"\nrev = \"{rev}\"\nurl = \"https://git.example.org/infra/blob/{{commit}}/{{path}}\"\n"),
    );
    book
}

fn page_with(book: &Fixture, body: &str) -> Run {
    book.write("content/fr/code.md", format!("# Du code\n\n{body}\n"));
    book.folio(&["build"])
}

fn code_of(html: &str, nth: usize) -> String {
    common::code_blocks(html)
        .into_iter()
        .nth(nth)
        .expect("a code block")
}

#[test]
fn every_selector_reads_the_tagged_commit_without_a_checkout() {
    let book = book_with_repository("v1");
    // The working tree moves on; the tag does not.
    book.write("infra/terraform/main.tf", "# uncommitted edit\n");
    let run = page_with(
        &book,
        "{{#snippet platform:terraform/main.tf}}\n\n\
         {{#snippet platform:terraform/main.tf lines=1-3}}\n\n\
         {{#snippet platform:chart/templates/deploy.yaml anchor=probe lang=yaml}}\n\n\
         {{#snippet platform:k8s/deployment.yaml yaml=spec.template.spec.containers[1]}}\n\n\
         {{#snippet platform:terraform/main.tf block=resource.aws_eks_cluster.main}}\n\n\
         {{#snippet platform:haproxy.cfg regex=^backend.time_api..weight.1 dedent}}",
    );
    assert!(run.success(), "{}", run.stderr);
    let html = book.read("book/fr/code.html");
    assert_eq!(code_of(&html, 0), MAIN_TF);
    assert_eq!(
        code_of(&html, 1),
        "variable \"region\" {\n  default = \"eu-west-3\"\n}\n"
    );
    assert_eq!(code_of(&html, 2), "  readinessProbe:\n    path: /healthz\n");
    assert_eq!(code_of(&html, 3), "name: nginx\nimage: nginx:1.17\n");
    assert_eq!(
        code_of(&html, 4),
        "# The production cluster.\nresource \"aws_eks_cluster\" \"main\" {\n  name = \"prod1\"\n}\n"
    );
    assert_eq!(
        code_of(&html, 5),
        "backend time_api\n    server onprem 10.1.0.10:80 weight 99\n    server cloud time-api:80 weight 1\n"
    );
    assert!(html.contains("data-lang=\"hcl\"") && html.contains("data-lang=\"yaml\""));
    // Each snippet says where it comes from.
    let commit = git(&book.path("infra"), &["rev-parse", "--short=7", "v1"]);
    let full = git(&book.path("infra"), &["rev-parse", "--short=7", "v1"]);
    assert!(html.contains(&format!(
        "<figcaption class=\"snippet-origin\"><span class=\"snippet-source\">platform</span> <a href=\"https://git.example.org/infra/blob/{full}/terraform/main.tf\"><code>terraform/main.tf</code></a> @ <code>v1</code> <code class=\"commit\">{commit}</code></figcaption>"
    )));
}

#[test]
fn a_ref_that_moves_is_followed_and_pinned_snippets_go_stale() {
    let book = book_with_repository("main");
    let run = page_with(
        &book,
        "{{#snippet platform:terraform/main.tf block=resource.aws_eks_cluster.main}}",
    );
    assert!(run.success(), "{}", run.stderr);
    let pin = book.folio(&["snippets", "--pin"]);
    assert!(pin.success(), "{}", pin.stderr);
    assert!(
        book.read("content/fr/code.md")
            .contains("block=resource.aws_eks_cluster.main hash=")
    );
    assert!(book.folio(&["snippets"]).stdout.contains("up-to-date"));
    // A commit on main changes the block: the build follows it, and warns.
    book.write("infra/terraform/main.tf", MAIN_TF.replace("prod1", "prod2"));
    git(
        &book.path("infra"),
        &["commit", "-q", "-am", "rename cluster"],
    );
    let run = book.folio(&["build"]);
    assert!(run.success());
    assert!(run.stderr.contains("warning[stale-snippet]: content/fr/code.md:3: stale snippet: the selected content changed since it was pinned"), "{}", run.stderr);
    assert!(book.read("book/fr/code.html").contains("prod2"));
    let report = book.folio(&["snippets"]);
    assert!(
        report.stdout.contains("content/fr/code.md:3  stale"),
        "{}",
        report.stdout
    );
    // --diff shows what changed, from the text --pin kept beside the book.
    let pinned: Vec<_> = std::fs::read_dir(book.path(".folio/pinned"))
        .unwrap()
        .collect();
    assert_eq!(pinned.len(), 1, "one pinned text");
    let diff = book.folio(&["snippets", "--diff"]);
    assert!(diff.success(), "{}", diff.stderr);
    assert!(
        diff.stdout.contains("content/fr/code.md:3: {{#snippet platform:terraform/main.tf block=resource.aws_eks_cluster.main hash=")
            && diff.stdout.contains("@@ -1,4 +1,4 @@\n # The production cluster.\n resource \"aws_eks_cluster\" \"main\" {\n-  name = \"prod1\"\n+  name = \"prod2\"\n }\n"),
        "{}",
        diff.stdout
    );
    // Pinned again: nothing stale, and the old text is no longer kept.
    assert!(book.folio(&["snippets", "--pin"]).success());
    assert_eq!(
        book.folio(&["snippets", "--diff"]).stdout,
        "No stale snippets.\n"
    );
    assert_eq!(
        std::fs::read_dir(book.path(".folio/pinned"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn a_pinned_selection_that_vanished_is_an_error_and_pin_pins_the_rest() {
    let book = book_with_repository("main");
    page_with(
        &book,
        "{{#snippet platform:terraform/main.tf block=resource.aws_eks_cluster.main}}\n\n{{#snippet platform:terraform/main.tf lines=1-2}}",
    );
    assert!(book.folio(&["snippets", "--pin"]).success());
    book.build();
    book.write(
        "infra/terraform/main.tf",
        format!("# header\n{}", MAIN_TF.replace("\"main\"", "\"prod\"")),
    );
    git(
        &book.path("infra"),
        &["commit", "-q", "-am", "rename resource"],
    );
    for command in ["build", "check"] {
        let run = book.folio(&[command]);
        let said = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code(), Some(1), "{command}: {said}");
        assert!(
            said.contains("content/fr/code.md:3: the pinned selection is gone: no block `resource.aws_eks_cluster.main` in the file"),
            "{command}: {said}"
        );
        assert!(
            said.contains("resource.aws_eks_cluster.prod"),
            "the hint lists the blocks there: {said}"
        );
    }
    assert!(
        book.read("book/fr/code.html").contains("aws_eks_cluster"),
        "the last good site stays; no empty block was published"
    );
    assert!(book.folio(&["snippets"]).stdout.contains("broken"));
    // --pin pins the changed lines= selection and lists the vanished one.
    let before = book.read("content/fr/code.md");
    let pin = book.folio(&["snippets", "--pin"]);
    assert_eq!(pin.code(), Some(1), "{}", pin.stderr);
    assert!(pin.stdout.contains("Pinned 1 directives"), "{}", pin.stdout);
    assert!(
        pin.stderr.contains(
            "cannot pin `{{#snippet platform:terraform/main.tf block=resource.aws_eks_cluster.main"
        ),
        "{}",
        pin.stderr
    );
    let after = book.read("content/fr/code.md");
    assert_ne!(before, after, "the lines= snippet got its new hash");
    // What vanished is still kept, and --diff shows it all removed.
    let diff = book.folio(&["snippets", "--diff"]);
    assert!(
        diff.stdout.contains("(pinned ")
            && diff.stdout.contains(", now gone)")
            && diff
                .stdout
                .contains("-resource \"aws_eks_cluster\" \"main\" {\n-  name = \"prod1\"\n-}\n"),
        "{}",
        diff.stdout
    );
    let report = book.folio(&["snippets"]);
    assert!(
        report.stdout.contains("content/fr/code.md:5  up-to-date"),
        "{}",
        report.stdout
    );
}

#[test]
fn a_missing_block_or_yaml_path_is_an_error_with_its_line() {
    let book = book_with_repository("v1");
    let run = page_with(
        &book,
        "Texte.\n\n{{#snippet platform:terraform/main.tf block=module.network}}",
    );
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr.contains(
            "error[snippet]: content/fr/code.md:5: no block `module.network` in the file"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "hint: blocks in the file: variable.region, resource.aws_eks_cluster.main, module.vpc"
        ),
        "{}",
        run.stderr
    );
    let run = page_with(
        &book,
        "{{#snippet platform:k8s/deployment.yaml yaml=spec.template.spec.containers[5]}}",
    );
    assert!(
        run.stderr
            .contains("the YAML path `spec.template.spec.containers[5]` does not exist"),
        "{}",
        run.stderr
    );
    // A Helm template that is still YAML (`{{ }}` reads as a flow mapping) is read as
    // YAML; one that is not (`{{- if }}` lines) is named a template.
    let run = page_with(
        &book,
        "{{#snippet platform:chart/templates/deploy.yaml yaml=spec.replicas}}",
    );
    assert!(run.success(), "{}", run.stderr);
    assert!(book.read("book/fr/code.html").contains(".Values.replicas"));
    book.write(
        "infra/chart/templates/service.yaml",
        "spec:\n  {{- if .Values.service.enabled }}\n  type: ClusterIP\n  {{- end }}\n",
    );
    let infra = book.path("infra");
    git(&infra, &["add", "."]);
    git(&infra, &["commit", "-q", "-m", "service"]);
    git(&infra, &["tag", "-f", "v1"]);
    let run = page_with(
        &book,
        "{{#snippet platform:chart/templates/service.yaml yaml=spec.type}}",
    );
    assert!(
        run.stderr.contains("is a Go template (Helm), not YAML") && run.stderr.contains("anchor="),
        "{}",
        run.stderr
    );
}

#[test]
fn a_mistyped_file_gets_the_files_beside_it_and_a_guess() {
    // From a git source: the files of the deepest directory that exists at the commit.
    let book = book_with_repository("v1");
    let run = page_with(&book, "{{#snippet platform:terraform/mian.tf lines=1-2}}");
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`terraform/mian.tf` does not exist at that commit")
            && run
                .stderr
                .contains("did you mean `terraform/main.tf`? files beside it: terraform/main.tf"),
        "{}",
        run.stderr
    );
    let run = page_with(&book, "{{#snippet platform:k8/deployment.yaml lines=1-2}}");
    assert!(
        run.stderr
            .contains("files beside it: chart/, haproxy.cfg, k8s/, terraform/"),
        "{}",
        run.stderr
    );
    // From the book, for an include.
    book.write("content/fr/listing.rs", "fn main() {}\n");
    let run = page_with(&book, "```rust\n{{#include listing.sr}}\n```");
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `content/fr/listing.rs`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn paths_cannot_leave_their_source() {
    let book = book_with_repository("v1");
    for escape in ["../book.toml", "/etc/hostname", "terraform/../../book.toml"] {
        let run = page_with(&book, &format!("{{{{#snippet platform:{escape}}}}}"));
        assert_eq!(run.code(), Some(1), "{escape}");
        assert!(
            run.stderr.contains("leaves the source `platform`"),
            "{escape}: {}",
            run.stderr
        );
    }
    let run = page_with(&book, "```\n{{#include ../../../etc/hostname}}\n```");
    assert!(
        run.stderr.contains("leaves the book's directory"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_symbolic_link_out_of_a_directory_source_is_refused() {
    let book = Fixture::copy("bilingual");
    book.write("infra/ok.tf", "module \"a\" {}\n");
    book.write("secret.txt", "do not embed");
    std::os::unix::fs::symlink(book.path("secret.txt"), book.path("infra/leak.txt")).unwrap();
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[snippets.sources.local]\npath = \"infra\"\n",
    );
    let run = page_with(&book, "{{#snippet local:ok.tf}}");
    assert!(run.success(), "{}", run.stderr);
    let run = page_with(&book, "{{#snippet local:leak.txt}}");
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr.contains("`leak.txt` is a symbolic link")
            && run.stderr.contains("outside the source `local`"),
        "{}",
        run.stderr
    );
    assert!(
        !book.path("book/fr/code.html").exists()
            || !book.read("book/fr/code.html").contains("do not embed")
    );
}

#[test]
fn includes_follow_mdbook_and_refuse_cycles() {
    let book = Fixture::copy("bilingual");
    book.write("content/fr/src/main.rs", "fn main() {\n    // ANCHOR: body\n    println!(\"bonjour\");\n    // ANCHOR_END: body\n}\n");
    book.write(
        "content/fr/part.md",
        "## Une partie incluse\n\nTexte inclus.\n",
    );
    let run = page_with(
        &book,
        "```rust\n{{#include src/main.rs:2:4}}\n```\n\n```rust\n{{#include src/main.rs:body}}\n```\n\n{{#include part.md}}",
    );
    assert!(run.success(), "{}", run.stderr);
    let html = book.read("book/fr/code.html");
    assert_eq!(
        code_of(&html, 0),
        "    // ANCHOR: body\n    println!(\"bonjour\");\n    // ANCHOR_END: body\n"
    );
    assert_eq!(code_of(&html, 1), "    println!(\"bonjour\");\n");
    assert!(html.contains("Une partie incluse</a></h2>") && html.contains("<p>Texte inclus.</p>"));
    // a.md includes b.md which includes a.md.
    book.write("content/fr/a.md", "A\n{{#include b.md}}\n");
    book.write("content/fr/b.md", "B\n{{#include a.md}}\n");
    let run = page_with(&book, "```text\n{{#include a.md}}\n```");
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr.contains(
            "includes form a cycle: content/fr/a.md -> content/fr/b.md -> content/fr/a.md"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_source_is_an_error_in_book_toml() {
    let book = book_with_repository("v9");
    let run = book.folio(&["build"]);
    assert_eq!(run.code(), Some(1));
    assert!(
        run.stderr.contains("book.toml:")
            && run.stderr.contains("`v9` is not a branch, tag or commit"),
        "{}",
        run.stderr
    );
    let book = Fixture::copy("bilingual");
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[snippets.sources.gone]\npath = \"nowhere\"\n",
    );
    let run = book.folio(&["build"]);
    assert!(
        run.stderr.contains("source `gone`") && run.stderr.contains("is not a directory"),
        "{}",
        run.stderr
    );
    let run = page_with(&book_with_repository("v1"), "{{#snippet nosuch:file.tf}}");
    assert!(
        run.stderr.contains("there is no snippet source `nosuch`"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_default_book_embeds_every_selector_kind_all_pinned_and_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Run::from_command(
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("snippets")
            .arg(root),
    );
    assert!(run.success(), "{}", run.stderr);
    for selector in ["block=", "yaml=", "anchor=", "regex=", "lines="] {
        assert!(
            run.stdout.contains(selector),
            "the default book uses {selector}"
        );
    }
    assert!(
        run.stdout
            .lines()
            .any(|line| line.contains("{{#snippet platform:terraform/kops/main.tf caption=")),
        "a whole file"
    );
    assert!(
        !run.stdout.contains("stale")
            && !run.stdout.contains("unpinned")
            && !run.stdout.contains("broken"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_directive_sharing_its_paragraph_is_an_error_not_silent_text() {
    let book = book_with_repository("v1");
    let run = page_with(
        &book,
        "Voici le code :\n{{#snippet platform:terraform/main.tf lines=1-3}}",
    );
    assert_eq!(run.code(), Some(1));
    assert!(run.stderr.contains("content/fr/code.md:3: a snippet or include directive shares its paragraph with other text"), "{}", run.stderr);
}

#[test]
fn a_directory_source_links_to_its_head_commit_and_outside_git_to_nothing() {
    // infra/ is a git work tree: {commit} is its HEAD.
    let book = book_with_repository("main");
    let config = book.read("book.toml");
    let start = config.find("[snippets.sources.platform]").unwrap();
    book.write(
        "book.toml",
        format!(
            "{}[snippets.sources.platform]\npath = \"infra\"\nurl = \"https://git.example.org/infra/blob/{{commit}}/{{path}}#{{lines}}\"\n",
            &config[..start]
        ),
    );
    let run = page_with(
        &book,
        "{{#snippet platform:haproxy.cfg lines=1-2}}\n\n{{#snippet platform:haproxy.cfg regex=^backend.time_api..cloud}}",
    );
    assert!(run.success(), "{}", run.stderr);
    let head = git(&book.path("infra"), &["rev-parse", "--short=7", "HEAD"]);
    let page = book.read("book/fr/code.html");
    for lines in ["L1-L2", "L4-L6"] {
        assert!(
            page.contains(&format!(
                "<a href=\"https://git.example.org/infra/blob/{head}/haproxy.cfg#{lines}\">"
            )),
            "{lines}: {page}"
        );
    }
    // Without git there is no commit to name: a warning at the source, and no link.
    std::fs::remove_dir_all(book.path("infra/.git")).unwrap();
    let run = book.folio(&["build"]);
    assert!(run.success(), "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[snippet-source]: book.toml:")
            && run.stderr.contains("not in a git work tree"),
        "{}",
        run.stderr
    );
    let page = book.read("book/fr/code.html");
    assert!(!page.contains("blob//"), "no link with an empty commit");
    assert!(!page.contains("git.example.org"), "no link at all");
}
