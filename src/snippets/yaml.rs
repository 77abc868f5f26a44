//! Selecting a YAML node by path (`spec.template.spec.containers[0]`) with saphyr's
//! positions; whole lines of the original text are cut, comments kept.

use super::cut::{SelectionError, dedent, join_lines};
use super::yaml_path::{Document, YamlStep};
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// How deep a YAML file may nest (block levels, sequence dashes and flow brackets
/// together) before it is refused: far above any real manifest, far below what would
/// exhaust a thread's stack in the parser.
const MAX_NESTING: usize = 400;

/// The text of the node at `steps` in `text` (the file at `path`), dedented as a whole
/// (a block scalar with an indentation indicator, `|2`, by what the indicator declares).
pub fn select(text: &str, steps: &[YamlStep], path: &str) -> Result<String, SelectionError> {
    let depth = nesting_depth(text);
    if depth > MAX_NESTING {
        return Err(SelectionError::new(
            format!("{path} nests {depth} levels deep; yaml= reads at most {MAX_NESTING}"),
            "select with lines= or anchor=, which do not parse the file",
        ));
    }
    let documents = MarkedYaml::load_from_str(text).map_err(|error| {
        // `{{` in a comment or a string is fine; only a file that is not YAML is a template.
        if text.contains("{{") {
            SelectionError::new(
                format!(
                    "{path} is a Go template (Helm), not YAML ({error}), so yaml= cannot read it"
                ),
                "select with anchor= (ANCHOR/ANCHOR_END comments), lines= or regex= instead",
            )
        } else {
            SelectionError::new(
                format!("{path} is not valid YAML: {error}"),
                "fix the file, or select with lines=",
            )
        }
    })?;
    if documents.is_empty() {
        return Err(SelectionError::new(
            format!("{path} is empty"),
            "point the snippet at a YAML file with content",
        ));
    }
    // In a multi-document file: the documents asked for (`doc=N`, `[kind=...]`), else
    // every one; the first where the whole path exists.
    let (choice, steps) = match steps.split_first() {
        Some((YamlStep::Document(choice), rest)) => (Some(choice), rest),
        _ => (None, steps),
    };
    let (with_key, steps) = match steps.split_last() {
        Some((YamlStep::WithKey, rest)) => (true, rest),
        _ => (false, steps),
    };
    let candidates: Vec<(usize, &MarkedYaml<'_>)> = documents
        .iter()
        .enumerate()
        .map(|(index, document)| (index + 1, document))
        .filter(|(number, document)| match choice {
            None => true,
            Some(Document::Number(wanted)) => number == wanted,
            Some(Document::Matching(conditions)) => conditions.iter().all(|(at, value)| {
                walk(document, at, path)
                    .ok()
                    .and_then(|node| scalar_text(node))
                    .is_some_and(|found| found == *value)
            }),
        })
        .collect();
    if candidates.is_empty() {
        return Err(SelectionError::new(
            format!("no document of {path} is the one asked for"),
            format!(
                "the file has {} document(s); count from 1 with doc=N, or match with yaml=[kind=...,metadata.name=...].path",
                documents.len()
            ),
        ));
    }
    // Where it fails everywhere: the document where the path went deepest.
    let mut deepest: Option<(usize, usize, SelectionError)> = None;
    for (number, document) in candidates {
        match walk_deep(document, steps, path) {
            Ok(node) => {
                let key = with_key.then(|| key_of(document, steps, path)).flatten();
                let cut = cut(text, node, key.map(|key| key.span.start));
                let declared = key
                    .is_none()
                    .then(|| declared_indentation(text, node, &cut));
                return Ok(match declared.flatten() {
                    Some(columns) => remove_columns(&cut, columns),
                    None => dedent(&cut),
                });
            }
            Err((depth, error)) => {
                if deepest.as_ref().is_none_or(|(best, _, _)| depth > *best) {
                    deepest = Some((depth, number, error));
                }
            }
        }
    }
    let (_, number, error) = deepest.expect("there is at least one candidate");
    Err(if documents.len() > 1 {
        SelectionError::new(format!("{} (document {number})", error.message), error.hint)
    } else {
        error
    })
}

/// A scalar node's text, to compare with a document filter's value.
fn scalar_text(node: &MarkedYaml<'_>) -> Option<String> {
    match &node.data {
        YamlData::Value(scalar) => Some(match scalar {
            Scalar::String(text) => text.to_string(),
            Scalar::Integer(number) => number.to_string(),
            Scalar::FloatingPoint(number) => number.to_string(),
            Scalar::Boolean(value) => value.to_string(),
            Scalar::Null => "null".to_string(),
        }),
        YamlData::Representation(text, _, _) => Some(text.to_string()),
        _ => None,
    }
}

fn walk<'n, 'i>(
    document: &'n MarkedYaml<'i>,
    steps: &[YamlStep],
    path: &str,
) -> Result<&'n MarkedYaml<'i>, SelectionError> {
    walk_deep(document, steps, path).map_err(|(_, error)| error)
}

/// [`walk`], telling on failure how many steps it took first.
fn walk_deep<'n, 'i>(
    document: &'n MarkedYaml<'i>,
    steps: &[YamlStep],
    path: &str,
) -> Result<&'n MarkedYaml<'i>, (usize, SelectionError)> {
    let mut node = document;
    for (depth, step) in steps.iter().enumerate() {
        let found = match (&node.data, step) {
            (YamlData::Mapping(mapping), YamlStep::Key(key)) => mapping
                .iter()
                .find(|(k, _)| key_text(k) == Some(key.as_str()))
                .map(|(_, value)| value),
            (YamlData::Sequence(sequence), YamlStep::Index(index)) => sequence.get(*index),
            _ => None,
        };
        node = found.ok_or_else(|| {
            let walked = path_text(&steps[..=depth]);
            (
                depth,
                SelectionError::new(
                    format!("the YAML path `{walked}` does not exist in {path}"),
                    describe_children(node, step),
                ),
            )
        })?;
    }
    Ok(node)
}

/// The key node of the last step of `steps`, when it is a mapping key.
fn key_of<'n, 'i>(
    document: &'n MarkedYaml<'i>,
    steps: &[YamlStep],
    path: &str,
) -> Option<&'n MarkedYaml<'i>> {
    let (YamlStep::Key(wanted), parent) = steps.split_last()? else {
        return None;
    };
    let YamlData::Mapping(mapping) = &walk(document, parent, path).ok()?.data else {
        return None;
    };
    mapping
        .keys()
        .find(|key| key_text(key) == Some(wanted.as_str()))
}

fn key_text<'a>(key: &'a MarkedYaml<'_>) -> Option<&'a str> {
    match &key.data {
        YamlData::Value(Scalar::String(text)) => Some(text.as_ref()),
        YamlData::Representation(text, _, _) => Some(text.as_ref()),
        _ => None,
    }
}

/// What the node where a path broke holds, with the key closest to the missing `step`.
fn describe_children(node: &MarkedYaml<'_>, step: &YamlStep) -> String {
    let wanted = match step {
        YamlStep::Key(key) => key.as_str(),
        YamlStep::Index(_) | YamlStep::Document(_) | YamlStep::WithKey => "",
    };
    match &node.data {
        YamlData::Mapping(mapping) => {
            let keys: Vec<&str> = mapping.keys().filter_map(key_text).collect();
            crate::suggest::hint(wanted, &keys, "keys there")
        }
        YamlData::Sequence(sequence) => format!("that list has {} items, from [0]", sequence.len()),
        _ => "the path goes through a plain value".to_string(),
    }
}

fn path_text(steps: &[YamlStep]) -> String {
    let mut text = String::new();
    for step in steps {
        match step {
            YamlStep::Key(key) if text.is_empty() => text.push_str(key),
            YamlStep::Key(key) => {
                text.push('.');
                text.push_str(key);
            }
            YamlStep::Index(index) => text.push_str(&format!("[{index}]")),
            YamlStep::Document(_) | YamlStep::WithKey => {}
        }
    }
    text
}

/// Cuts a node out of the original text, whole lines, comments kept. A one-line scalar
/// is its own text; a scalar over several lines (a `|` or `>` block, a folded string)
/// is its lines; a collection is its lines from its first key or its first `- ` (a
/// list item's own dash becomes a space), down to its last line and the comments after
/// it that are indented like its content (less indented ones belong to what follows).
fn cut(text: &str, node: &MarkedYaml<'_>, key: Option<saphyr::Marker>) -> String {
    // `with-key`: from the key's line, as a collection is cut.
    let start = key.unwrap_or(node.span.start);
    let end = node.span.end;
    let is_collection =
        key.is_some() || matches!(node.data, YamlData::Mapping(_) | YamlData::Sequence(_));
    if !is_collection && start.line() == end.line() {
        let chars: Vec<char> = text.chars().collect();
        let value: String = chars[start.index().min(chars.len())..end.index().min(chars.len())]
            .iter()
            .collect();
        return format!("{}\n", value.trim_end());
    }
    let lines: Vec<&str> = text.lines().collect();
    let first = start
        .line()
        .saturating_sub(1)
        .min(lines.len().saturating_sub(1));
    let mut column = start.col();
    if key.is_none() && matches!(node.data, YamlData::Sequence(_)) {
        // The span starts after the first item's `- ` (and a comment on its line): take
        // the line from its dash.
        let opening = lines[first];
        let indent = opening.len() - opening.trim_start().len();
        if opening.trim_start().starts_with('-') && indent <= column {
            column = indent;
        }
    }
    let end_line_text = lines
        .get(end.line().saturating_sub(1))
        .copied()
        .unwrap_or_default();
    let before_end: String = end_line_text.chars().take(end.col()).collect();
    let mut last = if before_end.trim().is_empty() || before_end.trim() == "-" {
        end.line().saturating_sub(2)
    } else {
        end.line().saturating_sub(1)
    };
    last = last.min(lines.len() - 1).max(first);
    let indentation = |line: &str| line.len() - line.trim_start().len();
    let is_comment = |line: &str| line.trim_start().starts_with('#');
    // Comments belong to the node when indented like its content (a list's items, not
    // its dashes; with its key, the value, not the key); less indented ones, and blank
    // lines, belong to what follows.
    let content_column = node.span.start.col();
    while last > first
        && (lines[last].trim().is_empty()
            || (is_comment(lines[last]) && indentation(lines[last]) < content_column))
    {
        last -= 1;
    }
    while last + 1 < lines.len()
        && is_comment(lines[last + 1])
        && indentation(lines[last + 1]) >= content_column
    {
        last += 1;
    }
    while last > first && lines[last].trim().is_empty() {
        last -= 1;
    }
    let mut selected: Vec<String> = lines[first..=last]
        .iter()
        .map(|line| line.to_string())
        .collect();
    if is_collection {
        let opening: String = selected[0]
            .chars()
            .enumerate()
            .map(|(at, c)| if at < column { ' ' } else { c })
            .collect();
        selected[0] = opening;
    }
    join_lines(&selected.iter().map(String::as_str).collect::<Vec<_>>())
}

/// For a block scalar whose header declares its indentation (`|2`, `>-4`, `|+1`): the
/// column its content starts at in `cut` (the node's lines as written), found from the
/// value the parser read: what the first line holds beyond it is text. Dedenting by the
/// least indented line would take that off.
fn declared_indentation(text: &str, node: &MarkedYaml<'_>, cut: &str) -> Option<usize> {
    let YamlData::Value(Scalar::String(value)) = &node.data else {
        return None;
    };
    let before: String = text.chars().take(node.span.start.index()).collect();
    let header_line = before.trim_end().lines().last()?;
    let header = header_line
        .split(" #")
        .next()
        .unwrap_or(header_line)
        .trim_end();
    let indicator = header.rsplit([' ', '\t']).next()?;
    let mut characters = indicator.chars();
    if !matches!(characters.next(), Some('|' | '>')) || !characters.any(|c| c.is_ascii_digit()) {
        return None;
    }
    let leading = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let written = cut.lines().find(|line| !line.trim().is_empty())?;
    let read = value.lines().find(|line| !line.trim().is_empty())?;
    leading(written).checked_sub(leading(read))
}

/// `text` with its first `columns` columns taken off every line (blank lines kept).
fn remove_columns(text: &str, columns: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(|line| line.get(columns..).unwrap_or(line.trim_start()))
        .collect();
    join_lines(&lines)
}

/// An upper bound of how deep `text` nests: the block indentation levels open at a
/// line, plus its leading `- ` dashes, plus the flow brackets open on it. It may
/// overcount (a bracket in a quoted string), never undercount.
fn nesting_depth(text: &str) -> usize {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut deepest = 0;
    for line in text.lines() {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        while indents.last().is_some_and(|&last| last > indent) {
            indents.pop();
        }
        if indents.last() != Some(&indent) {
            indents.push(indent);
        }
        let mut rest = content;
        let mut dashes = 0;
        while let Some(after) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("-\t")) {
            dashes += 1;
            rest = after.trim_start();
        }
        let mut widest = flow;
        for character in rest.chars() {
            match character {
                '[' | '{' => {
                    flow += 1;
                    widest = widest.max(flow);
                }
                ']' | '}' => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        deepest = deepest.max(indents.len() + dashes + widest);
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 4 # evening peak\n  template:\n    spec:\n      containers:\n        - name: php\n          image: registry.example.org/catalog:1.2\n          # limits chosen in 2019\n          resources:\n            limits:\n              memory: 256Mi\n\n        - name: nginx\n          image: nginx:1.17\n      nodeSelector:\n        lifecycle: spot\n";

    fn path(text: &str) -> Vec<YamlStep> {
        match crate::snippets::directive::parse(&format!("{{{{#snippet s:f yaml={text}}}}}"))
            .unwrap()
            .selector
        {
            crate::snippets::directive::Selector::YamlPath(steps) => steps,
            _ => unreachable!(),
        }
    }

    #[test]
    fn nodes_are_cut_from_the_original_text() {
        let first = select(
            DEPLOYMENT,
            &path("spec.template.spec.containers[0]"),
            "d.yaml",
        )
        .unwrap();
        assert_eq!(
            first,
            "name: php\nimage: registry.example.org/catalog:1.2\n# limits chosen in 2019\nresources:\n  limits:\n    memory: 256Mi\n"
        );
        let second = select(
            DEPLOYMENT,
            &path("spec.template.spec.containers[1]"),
            "d.yaml",
        )
        .unwrap();
        assert_eq!(second, "name: nginx\nimage: nginx:1.17\n");
        assert_eq!(
            select(DEPLOYMENT, &path("spec.replicas"), "d.yaml").unwrap(),
            "4\n"
        );
        assert_eq!(
            select(
                DEPLOYMENT,
                &path("spec.template.spec.nodeSelector"),
                "d.yaml"
            )
            .unwrap(),
            "lifecycle: spot\n"
        );
        let missing =
            select(DEPLOYMENT, &path("spec.template.spec.volumes"), "d.yaml").unwrap_err();
        assert!(
            missing.message.contains("spec.template.spec.volumes")
                && missing.hint.contains("containers"),
            "{missing:?}"
        );
        let helm = select(
            "metadata:\n  labels:\n    {{- include \"chart.labels\" . | nindent 4 }}\n  name: x\n",
            &path("metadata"),
            "t.yaml",
        )
        .unwrap_err();
        assert!(
            helm.message.contains("Go template") && helm.hint.contains("anchor="),
            "{helm:?}"
        );
    }

    const SERVICE: &str = "spec:\n  ports:\n  - containerPort: 7000\n    name: http\n  # the admin port\n  - containerPort: 8000\n    # kept for the probes\n  selector:\n    app: web # {{ not a template }}\nrules:\n  expr: |\n    sum(rate(errors[5m]))\n    # a line of the query, not a comment\n      > 0\n  # about the next rule\n  for: 5m\n";

    const TWO_DEPLOYMENTS: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  replicas: 1\n";

    #[test]
    fn with_key_shows_the_key_line_too() {
        let steps = |text: &str| {
            let directive = crate::snippets::directive::parse(&format!(
                "{{{{#snippet s:d.yaml yaml={text} with-key}}}}"
            ))
            .unwrap();
            let crate::snippets::directive::Selector::YamlPath(steps) = directive.selector else {
                unreachable!()
            };
            steps
        };
        let shown = |text: &str| {
            crate::snippets::cut::dedent(&select(SERVICE, &steps(text), "s.yaml").unwrap())
        };
        assert_eq!(
            shown("spec.ports"),
            "ports:\n- containerPort: 7000\n  name: http\n# the admin port\n- containerPort: 8000\n  # kept for the probes\n"
        );
        assert_eq!(
            shown("rules.expr"),
            "expr: |\n  sum(rate(errors[5m]))\n  # a line of the query, not a comment\n    > 0\n"
        );
        assert_eq!(shown("rules.for"), "for: 5m\n");
    }

    #[test]
    fn a_document_is_chosen_by_number_or_by_content() {
        let replicas = |selector: &str| select(TWO_DEPLOYMENTS, &path(selector), "m.yaml");
        assert_eq!(
            replicas("spec.replicas").unwrap(),
            "3\n",
            "the first document that has the path"
        );
        assert_eq!(
            replicas("[kind=Deployment,metadata.name=worker].spec.replicas").unwrap(),
            "1\n"
        );
        let third =
            crate::snippets::directive::parse("{{#snippet s:m.yaml yaml=spec.replicas doc=3}}")
                .unwrap();
        let crate::snippets::directive::Selector::YamlPath(steps) = third.selector else {
            unreachable!()
        };
        assert_eq!(select(TWO_DEPLOYMENTS, &steps, "m.yaml").unwrap(), "1\n");
        let none = replicas("[kind=StatefulSet].spec").unwrap_err();
        assert!(
            none.message.contains("no document") && none.hint.contains("3 document"),
            "{none:?}"
        );
        // Broken everywhere: the document where the path went deepest, and its keys.
        let broken = replicas("spec.replica").unwrap_err();
        assert!(broken.message.contains("(document 2)"), "{broken:?}");
        assert!(
            broken.hint.contains("did you mean `replicas`?"),
            "{broken:?}"
        );
    }

    #[test]
    fn indentless_lists_block_scalars_and_comments_are_cut_as_written() {
        // As a page shows it: dedented as a whole.
        let cut_as_shown = |steps: &[YamlStep]| {
            crate::snippets::cut::dedent(&select(SERVICE, steps, "s.yaml").unwrap())
        };
        assert_eq!(
            cut_as_shown(&path("spec.ports")),
            "- containerPort: 7000\n  name: http\n# the admin port\n- containerPort: 8000\n  # kept for the probes\n",
            "an indentless list keeps its dashes and its comments"
        );
        assert_eq!(
            cut_as_shown(&path("spec.ports[1]")),
            "containerPort: 8000\n# kept for the probes\n"
        );
        assert_eq!(
            cut_as_shown(&path("rules.expr")),
            "sum(rate(errors[5m]))\n# a line of the query, not a comment\n  > 0\n",
            "a block scalar is dedented as a whole, its `#` line kept; the comment about the next key is not its"
        );
        assert_eq!(
            cut_as_shown(&path("spec.selector")),
            "app: web # {{ not a template }}\n",
            "`{{` in a comment does not make the file a template"
        );
        let labels = "metadata:\n  labels:\n    app.kubernetes.io/name: catalog\n    app: web\n";
        assert_eq!(
            select(
                labels,
                &path(r#"metadata.labels."app.kubernetes.io/name""#),
                "l.yaml"
            )
            .unwrap(),
            "catalog\n",
            "a quoted key holds dots and slashes"
        );
    }

    #[test]
    fn an_indentation_indicator_keeps_the_indentation_it_declares() {
        let text = "rules:\n  - expr: |2\n        leading spaces are content\n        here too\n    labels:\n      note: >-4 # folded\n          four more\n          than the key\n  - plain: |\n      a\n        b\n";
        let cut = |path_text: &str| select(text, &path(path_text), "rules.yaml").unwrap();
        assert_eq!(
            cut("rules[0].expr"),
            "  leading spaces are content\n  here too\n",
            "`|2` under a key at column 4: content at column 6, the rest is text"
        );
        assert_eq!(cut("rules[0].labels.note"), "four more\nthan the key\n");
        assert_eq!(
            cut("rules[1].plain"),
            "a\n  b\n",
            "no indicator: dedented as a whole"
        );
        assert_eq!(
            select(
                text,
                &[path("rules[0].expr"), vec![YamlStep::WithKey]].concat(),
                "rules.yaml"
            )
            .unwrap(),
            "expr: |2\n    leading spaces are content\n    here too\n",
            "with its key: the file's indentation under the key, as written"
        );
    }
}
