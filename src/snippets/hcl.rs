//! Selecting an HCL/Terraform block by its type and labels (`resource.TYPE.NAME`,
//! `module.NAME`, `variable.NAME`, ...), with hcl-edit's spans so the original text,
//! comments included, is what gets embedded.

use super::cut::{SelectionError, join_lines};
use hcl_edit::Span;
use hcl_edit::structure::{Block, BlockLabel, Body};

/// The block named by `parts` (its identifier then its labels), with the comment
/// lines right above it.
pub fn select(text: &str, parts: &[String]) -> Result<String, SelectionError> {
    let body = hcl_edit::parser::parse_body(text).map_err(|error| {
        SelectionError::new(
            format!(
                "the file is not valid HCL: {}",
                error.to_string().lines().next().unwrap_or_default()
            ),
            "block= works on Terraform/HCL files; use lines= or anchor= elsewhere",
        )
    })?;
    let (ident, labels) = parts.split_first().ok_or_else(|| {
        SelectionError::new(
            "`block=` needs TYPE[.LABEL...]",
            "e.g. block=resource.aws_eks_cluster.main",
        )
    })?;
    let block = find(&body, ident, labels).ok_or_else(|| {
        let available: Vec<String> = body.blocks().map(describe).collect();
        let available: Vec<&str> = available.iter().map(String::as_str).collect();
        let wanted = parts.join(".");
        SelectionError::new(
            format!("no block `{wanted}` in the file"),
            crate::suggest::hint(&wanted, &available, "blocks in the file"),
        )
    })?;
    let span = block.span().ok_or_else(|| {
        SelectionError::new("the block has no position", "report this as a folio bug")
    })?;
    let lines: Vec<&str> = text.lines().collect();
    let first_line = text[..span.start].matches('\n').count();
    let last_line = text[..span.end.saturating_sub(1).max(span.start)]
        .matches('\n')
        .count();
    let mut start = first_line;
    while start > 0 && is_comment(lines[start - 1]) {
        start -= 1;
    }
    Ok(join_lines(&lines[start..=last_line]))
}

fn find<'b>(body: &'b Body, ident: &str, labels: &[String]) -> Option<&'b Block> {
    body.blocks().find(|block| {
        block.ident.as_str() == ident
            && block.labels.len() >= labels.len()
            && block
                .labels
                .iter()
                .zip(labels)
                .all(|(label, wanted)| label_text(label) == wanted)
    })
}

fn label_text(label: &BlockLabel) -> &str {
    match label {
        BlockLabel::Ident(ident) => ident.as_str(),
        BlockLabel::String(text) => text.as_str(),
    }
}

fn describe(block: &Block) -> String {
    std::iter::once(block.ident.as_str())
        .chain(block.labels.iter().map(label_text))
        .collect::<Vec<_>>()
        .join(".")
}

fn is_comment(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with('#') || line.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str = "variable \"region\" {\n  default = \"eu-west-3\"\n}\n\n# The production cluster.\n# Managed by kops.\nresource \"aws_eks_cluster\" \"main\" {\n  name = \"prod1\" # inline comment\n\n  vpc_config {\n    subnet_ids = var.subnets\n  }\n}\n\nmodule \"vpc\" {\n  source = \"./vpc\"\n}\n";

    #[test]
    fn blocks_are_cut_with_their_comments() {
        let block = select(
            MAIN,
            &["resource".into(), "aws_eks_cluster".into(), "main".into()],
        )
        .unwrap();
        assert_eq!(
            block,
            "# The production cluster.\n# Managed by kops.\nresource \"aws_eks_cluster\" \"main\" {\n  name = \"prod1\" # inline comment\n\n  vpc_config {\n    subnet_ids = var.subnets\n  }\n}\n"
        );
        assert_eq!(
            select(MAIN, &["module".into(), "vpc".into()]).unwrap(),
            "module \"vpc\" {\n  source = \"./vpc\"\n}\n"
        );
        assert_eq!(
            select(MAIN, &["variable".into(), "region".into()]).unwrap(),
            "variable \"region\" {\n  default = \"eu-west-3\"\n}\n"
        );
        let missing = select(
            MAIN,
            &["resource".into(), "aws_eks_cluster".into(), "old".into()],
        )
        .unwrap_err();
        assert!(
            missing.hint.contains("resource.aws_eks_cluster.main"),
            "{missing:?}"
        );
        assert!(select("not { hcl", &["module".into()]).is_err());
    }
}
