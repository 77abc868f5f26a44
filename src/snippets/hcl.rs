//! Selecting an HCL/Terraform block by its type and labels (`resource.TYPE.NAME`,
//! `module.NAME`, `variable.NAME`, ...), then blocks nested in it
//! (`resource.aws_eks_cluster.main.vpc_config`, `...dynamic.encryption_config`); `[n]`
//! picks the n-th of repeated blocks (`locals[1]`, from 0) and `[key=value]` the one
//! whose attribute has that value (`provider.aws[alias=files]`). hcl-edit's spans give
//! the original text, with the comments above the block (`#`, `//`, `/* */`).

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
    if parts.is_empty() {
        return Err(SelectionError::new(
            "`block=` needs TYPE[.LABEL...]",
            "e.g. block=resource.aws_eks_cluster.main",
        ));
    }
    let block = find_path(&body, parts).ok_or_else(|| {
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
    loop {
        if start > 0 && is_comment(lines[start - 1]) {
            start -= 1;
        } else if start > 0 && lines[start - 1].trim_end().ends_with("*/") {
            // A `/* ... */` comment: up to the line that opens it.
            let mut opening = start - 1;
            while opening > 0 && !lines[opening].contains("/*") {
                opening -= 1;
            }
            if !lines[opening].contains("/*") {
                break;
            }
            start = opening;
        } else {
            break;
        }
    }
    Ok(join_lines(&lines[start..=last_line]))
}

/// A path part without its `[...]`, and what the brackets hold.
fn split_bracket(part: &str) -> (&str, Option<&str>) {
    match part.find('[') {
        Some(at) if part.ends_with(']') => (&part[..at], Some(&part[at + 1..part.len() - 1])),
        _ => (part, None),
    }
}

/// The block at `parts`: an identifier, the labels of the blocks that have it (fewer
/// parts than labels match on the first ones), then the path of a block nested in it.
fn find_path<'b>(body: &'b Body, parts: &[String]) -> Option<&'b Block> {
    let (first, rest) = parts.split_first()?;
    let (ident, first_bracket) = split_bracket(first);
    let mut matches = Vec::new();
    for block in body.blocks().filter(|block| block.ident.as_str() == ident) {
        let label_count = block.labels.len().min(rest.len());
        let label_parts = &rest[..label_count];
        let labels_match = block
            .labels
            .iter()
            .zip(label_parts)
            .all(|(label, part)| label_text(label) == split_bracket(part).0);
        if !labels_match {
            continue;
        }
        let brackets: Vec<&str> = first_bracket
            .into_iter()
            .chain(label_parts.iter().filter_map(|part| split_bracket(part).1))
            .collect();
        let filters_match = brackets
            .iter()
            .all(|bracket| match bracket.split_once('=') {
                Some((key, value)) => attribute_is(block, key.trim(), value.trim()),
                None => true,
            });
        if filters_match {
            let index = brackets
                .iter()
                .find_map(|bracket| bracket.parse::<usize>().ok());
            matches.push((block, &rest[label_count..], index));
        }
    }
    let index = matches
        .first()
        .and_then(|(_, _, index)| *index)
        .unwrap_or(0);
    let (block, nested, _) = matches.into_iter().nth(index)?;
    if nested.is_empty() {
        Some(block)
    } else {
        find_path(&block.body, nested)
    }
}

/// True when `block` sets `key` to `value` (quotes aside).
fn attribute_is(block: &Block, key: &str, value: &str) -> bool {
    block.body.get_attribute(key).is_some_and(|attribute| {
        attribute.value.to_string().trim().trim_matches('"') == value.trim_matches('"')
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

    const MODULE: &str = "locals {\n  name = \"prod\"\n}\n\n/*\n * Second locals: the tags.\n */\nlocals {\n  tags = { team = \"platform\" }\n}\n\nprovider \"aws\" {\n  region = \"eu-west-3\"\n}\n\n// Static files live in Virginia.\nprovider \"aws\" {\n  alias  = \"files\"\n  region = \"us-east-1\"\n}\n\nresource \"aws_eks_cluster\" \"prod-cluster\" {\n  name = local.name\n\n  vpc_config {\n    subnet_ids = var.subnets\n  }\n\n  dynamic \"encryption_config\" {\n    for_each = var.kms_key == null ? [] : [1]\n    content {\n      resources = [\"secrets\"]\n    }\n  }\n}\n";

    fn block(path: &str) -> String {
        let parts: Vec<String> = path.split('.').map(str::to_string).collect();
        select(MODULE, &parts).unwrap()
    }

    #[test]
    fn nested_repeated_and_filtered_blocks_are_selected() {
        assert_eq!(
            block("locals[1]"),
            "/*\n * Second locals: the tags.\n */\nlocals {\n  tags = { team = \"platform\" }\n}\n",
            "the second of two locals, with its /* */ comment"
        );
        assert_eq!(
            block("provider.aws[alias=files]"),
            "// Static files live in Virginia.\nprovider \"aws\" {\n  alias  = \"files\"\n  region = \"us-east-1\"\n}\n"
        );
        assert_eq!(
            block("resource.aws_eks_cluster.prod-cluster.vpc_config"),
            "  vpc_config {\n    subnet_ids = var.subnets\n  }\n"
        );
        assert!(
            block("resource.aws_eks_cluster.prod-cluster.dynamic.encryption_config")
                .starts_with("  dynamic \"encryption_config\" {\n    for_each")
        );
        let missing = select(MODULE, &["provider".into(), "aws[alias=logs]".into()]).unwrap_err();
        assert!(missing.message.contains("no block"), "{missing:?}");
    }

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
