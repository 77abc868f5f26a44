//! Structural snippets on files in the shapes real repositories have
//! (tests/fixtures/infra-real: generated Terraform with dashed names, two `locals`, an
//! aliased provider and a dynamic block; Helm values with `{{` in comments; a
//! multi-document manifest with two Deployments and both list styles; Prometheus rules
//! with block scalars, anchors and aliases): what the page shows, to the character.

mod common;

use common::{Fixture, code_blocks, copy_tree};
use std::path::Path;

/// (directive after `{{#snippet infra:`, the text the page must show)
const CASES: &[(&str, &str)] = &[
    (
        "terraform/storage.tf block=locals[1]",
        "/*\n * The tags every bucket carries.\n * Changed with the FinOps review of 2020.\n */\nlocals {\n  tags = {\n    team        = \"platform\"\n    cost-center = \"vod-42\"\n  }\n}\n",
    ),
    (
        "terraform/storage.tf block=provider.aws[alias=us-east-1]",
        "# CloudFront certificates must live in us-east-1.\nprovider \"aws\" {\n  alias  = \"us-east-1\"\n  region = \"us-east-1\"\n}\n",
    ),
    (
        "terraform/storage.tf block=resource.aws_s3_bucket.logs-eu-west-3",
        "resource \"aws_s3_bucket\" \"logs-eu-west-3\" {\n  bucket = \"vod-logs-eu-west-3\"\n  tags   = local.tags\n}\n",
    ),
    (
        "terraform/storage.tf block=resource.aws_s3_bucket.images-eu-west-3.dynamic.server_side_encryption_configuration",
        "dynamic \"server_side_encryption_configuration\" {\n  for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]\n  content {\n    rule {\n      apply_server_side_encryption_by_default {\n        sse_algorithm     = \"aws:kms\"\n        kms_master_key_id = server_side_encryption_configuration.value\n      }\n    }\n  }\n}\n",
    ),
    (
        "helm/values.yaml yaml=resources",
        "limits:\n  memory: 512Mi\nrequests:\n  cpu: 250m\n  memory: 256Mi\n# Limits reviewed after the 2020-03 incident.\n",
    ),
    (
        "helm/values.yaml yaml=image with-key",
        "image:\n  repository: registry.example.org/catalog-api\n  # Overridden per environment; \"{{ .Chart.AppVersion }}\" when empty.\n  tag: \"\"\n  pullPolicy: IfNotPresent\n",
    ),
    (
        "k8s/frontend.yaml yaml=[kind=Deployment,metadata.name=frontend].spec.template.spec.containers[0].ports",
        "- containerPort: 8080\n  name: http\n",
    ),
    (
        "k8s/frontend.yaml yaml=metadata.labels.\"app.kubernetes.io/name\" doc=2",
        "frontend\n",
    ),
    (
        "k8s/frontend.yaml yaml=spec.template.spec.containers[0].args doc=3",
        "- --queue=transcoding\n- --concurrency=4\n",
    ),
    (
        "k8s/frontend.yaml yaml=[metadata.name=worker].spec.template.spec.containers[0]",
        "name: worker\nimage: registry.example.org/worker:2.4.1\nargs:\n  - --queue=transcoding\n  - --concurrency=4\n",
    ),
    (
        "prometheus/rules.yaml yaml=groups[0].rules[0].expr",
        "sum(rate(http_requests_total{job=\"catalog-api\",code=~\"5..\"}[5m]))\n# errors first, then the traffic\n  / sum(rate(http_requests_total{job=\"catalog-api\"}[5m])) > 0.05\n",
    ),
    (
        "prometheus/rules.yaml yaml=groups[0].rules[0].annotations.summary",
        "More than 5% of the catalog API's requests\nfail.\n",
    ),
    (
        "prometheus/rules.yaml yaml=groups[0].rules[0].annotations.runbook",
        "https://runbooks.example.org/catalog-api#alerts\n",
    ),
    (
        // `|2`: the content starts 2 columns in from the rule's keys; the rest is text.
        "prometheus/rules.yaml yaml=groups[0].rules[1].expr",
        "    up{job=\"catalog-api\"} == 0\n",
    ),
    (
        "prometheus/rules.yaml yaml=defaults with-key",
        "defaults: &defaults\n  for: 5m\n  labels:\n    team: platform\n",
    ),
];

#[test]
fn real_shaped_files_are_embedded_exactly_as_written() {
    let book = Fixture::copy("bilingual");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/infra-real"),
        &book.path("infra"),
    );
    book.write(
        "book.toml",
        book.read("book.toml") + "\n[snippets.sources.infra]\npath = \"infra\"\n",
    );
    let page: String = CASES
        .iter()
        .map(|(directive, _)| format!("{{{{#snippet infra:{directive}}}}}\n\n"))
        .collect();
    book.write("content/fr/annexe.md", format!("# Annexe\n\n{page}"));
    let run = book.folio(&["build"]);
    assert!(run.success(), "{}", run.stderr);
    let shown = code_blocks(&book.read("book/fr/annexe.html"));
    assert_eq!(shown.len(), CASES.len());
    for ((directive, expected), shown) in CASES.iter().zip(&shown) {
        assert_eq!(shown, expected, "{directive}");
    }
}
