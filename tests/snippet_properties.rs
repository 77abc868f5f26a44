//! A structural snippet never alters the text: for generated YAML documents (nested
//! mappings, lists in both styles, block scalars, comments) and generated Terraform,
//! every selectable node's selection, put back at its original column, is a run of
//! consecutive lines of the file.

use folio::snippets::directive::{Selector, YamlStep};
use folio::snippets::select::select;
use proptest::prelude::*;

/// A YAML value as the generator builds it.
#[derive(Debug, Clone)]
enum Node {
    Scalar(String),
    Block(Vec<String>),
    List(Vec<Node>, bool),
    Map(Vec<Node>),
}

fn node() -> impl Strategy<Value = Node> {
    let word = "[a-z]{1,8}".prop_map(|word| format!("w{word}"));
    let leaf = prop_oneof![
        word.clone().prop_map(Node::Scalar),
        prop::collection::vec(word.prop_map(|w| format!("{w} # not a comment")), 1..4)
            .prop_map(Node::Block),
    ];
    leaf.prop_recursive(4, 40, 4, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 1..4), any::<bool>())
                .prop_map(|(items, indentless)| Node::List(items, indentless)),
            prop::collection::vec(inner, 1..4).prop_map(Node::Map),
        ]
    })
}

/// Writes `map` (a top-level mapping) as YAML, with a comment before each key.
fn render_map(items: &[Node], indent: usize, out: &mut String) {
    for (index, item) in items.iter().enumerate() {
        let pad = " ".repeat(indent);
        out.push_str(&format!("{pad}# about k{index}\n{pad}k{index}:"));
        render_value(item, indent, out);
    }
}

fn render_value(node: &Node, indent: usize, out: &mut String) {
    match node {
        Node::Scalar(word) => out.push_str(&format!(" {word}\n")),
        Node::Block(lines) => {
            out.push_str(" |\n");
            for line in lines {
                out.push_str(&format!("{}{line}\n", " ".repeat(indent + 2)));
            }
        }
        Node::Map(items) => {
            out.push('\n');
            render_map(items, indent + 2, out);
        }
        Node::List(items, indentless) => {
            out.push('\n');
            let dash_indent = if *indentless { indent } else { indent + 2 };
            for item in items {
                let pad = " ".repeat(dash_indent);
                match item {
                    Node::Map(entries) => {
                        // `- k0: ...` then the other keys under the first.
                        let mut nested = String::new();
                        render_map(entries, dash_indent + 2, &mut nested);
                        let trimmed = nested.trim_start();
                        out.push_str(&format!("{pad}- {trimmed}"));
                    }
                    Node::Scalar(word) => out.push_str(&format!("{pad}- {word}\n")),
                    other => {
                        out.push_str(&format!("{pad}-"));
                        match other {
                            Node::Block(_) => render_value(other, dash_indent, out),
                            // A list in a list: its items indented past the dash.
                            _ => render_value(other, dash_indent + 2, out),
                        }
                    }
                }
            }
        }
    }
}

/// Every path to a node of the tree under `items` (a mapping).
fn paths(items: &[Node], prefix: Vec<YamlStep>, found: &mut Vec<Vec<YamlStep>>) {
    for (index, item) in items.iter().enumerate() {
        let mut path = prefix.clone();
        path.push(YamlStep::Key(format!("k{index}")));
        walk(item, path, found);
    }
}

fn walk(node: &Node, path: Vec<YamlStep>, found: &mut Vec<Vec<YamlStep>>) {
    found.push(path.clone());
    match node {
        Node::Map(items) => paths(items, path, found),
        Node::List(items, _) => {
            for (index, item) in items.iter().enumerate() {
                let mut item_path = path.clone();
                item_path.push(YamlStep::Index(index));
                walk(item, item_path, found);
            }
        }
        _ => {}
    }
}

/// True when `cut`'s lines, put back at some column, are consecutive lines of `file`;
/// the first may start after a key or a dash on its line.
fn is_slice(file: &str, cut: &str) -> bool {
    let lines: Vec<&str> = file.lines().collect();
    let cut: Vec<&str> = cut.lines().collect();
    let Some(first) = cut.first() else {
        return true;
    };
    (0..lines.len()).any(|start| {
        if start + cut.len() > lines.len() || !lines[start].ends_with(first) {
            return false;
        }
        let Some(column) = (1..cut.len())
            .find(|&k| !cut[k].is_empty())
            .map_or(Some(0), |k| {
                lines[start + k].len().checked_sub(cut[k].len())
            })
        else {
            return false;
        };
        (1..cut.len()).all(|k| {
            let line = lines[start + k];
            if cut[k].is_empty() {
                line.trim().is_empty()
            } else {
                line.len() >= column
                    && line[..column].trim().is_empty()
                    && &line[column..] == cut[k]
            }
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn every_yaml_node_is_a_slice_of_its_file(items in prop::collection::vec(node(), 1..4)) {
        let mut file = String::new();
        render_map(&items, 0, &mut file);
        let mut found = Vec::new();
        paths(&items, Vec::new(), &mut found);
        for path in found {
            let selector = Selector::YamlPath(path.clone());
            let cut = select(&file, &selector, "generated.yaml")
                .map_err(|error| TestCaseError::fail(format!("{path:?}: {}\n{file}", error.message)))?;
            prop_assert!(is_slice(&file, &cut), "{path:?} cut\n{cut}\nfrom\n{file}");
            if matches!(path.last(), Some(YamlStep::Key(_))) {
                let mut keyed = path.clone();
                keyed.push(YamlStep::WithKey);
                let cut = select(&file, &Selector::YamlPath(keyed), "generated.yaml")
                    .map_err(|error| TestCaseError::fail(error.message))?;
                prop_assert!(is_slice(&file, &cut), "{path:?} with-key cut\n{cut}\nfrom\n{file}");
            }
        }
    }

    #[test]
    fn every_terraform_block_is_a_slice_of_its_file(
        names in prop::collection::vec("[a-z][a-z0-9-]{0,10}", 1..6),
        nested in any::<bool>(),
    ) {
        let mut file = String::from("terraform {\n  required_version = \">= 1.5\"\n}\n\n");
        for (index, name) in names.iter().enumerate() {
            file.push_str(&format!("# The {name} bucket.\nresource \"aws_s3_bucket\" \"{name}-{index}\" {{\n  bucket = \"{name}\"\n"));
            if nested {
                file.push_str("\n  versioning {\n    enabled = true\n  }\n");
            }
            file.push_str("}\n\n");
        }
        for (index, name) in names.iter().enumerate() {
            let mut parts = vec!["resource".to_string(), "aws_s3_bucket".to_string(), format!("{name}-{index}")];
            let cut = select(&file, &Selector::HclBlock(parts.clone()), "main.tf")
                .map_err(|error| TestCaseError::fail(error.message))?;
            prop_assert!(is_slice(&file, &cut), "{parts:?}\n{cut}");
            if nested {
                parts.push("versioning".to_string());
                let cut = select(&file, &Selector::HclBlock(parts.clone()), "main.tf")
                    .map_err(|error| TestCaseError::fail(error.message))?;
                prop_assert!(is_slice(&file, &cut), "{parts:?}\n{cut}");
            }
        }
    }
}
