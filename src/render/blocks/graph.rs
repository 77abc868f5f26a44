//! The runbooks' dependency graph, drawn at build time as an SVG that needs no
//! stylesheet (every colour, stroke and font is an attribute), so that a browser,
//! WeasyPrint and an EPUB reader draw it alike.
//!
//! Layered by call depth: an application that calls nothing is in the first column,
//! every other one a column after the deepest application it calls; within a column,
//! applications are ordered by where their dependencies are (fewer crossings). An
//! edge leaves its caller's left side and ends on its dependency's right side; between
//! columns it runs in the gaps, and through a column it passes in a free lane between
//! two boxes, so no edge crosses a box. Each edge has its own end point on a box's
//! side (arrowheads do not pile up), and a legend explains the borders.

use crate::book::runbooks::MigrationStatus;
use crate::escape::escape_html as escape;
use crate::typography::wrapped;
use std::fmt::Write;

/// An application of the graph.
pub struct Node {
    /// Its runbook's name (`data-runbook`).
    pub name: String,
    /// Its title as escaped HTML text.
    pub label: String,
    /// Its runbook page, relative to the page drawing the graph.
    pub href: String,
    /// Its migration status: the border.
    pub status: MigrationStatus,
    /// The nodes it calls (indices).
    pub depends_on: Vec<usize>,
}

/// Text size of the labels, in SVG units (the body text's size when drawn at scale 1).
const FONT_SIZE: usize = 16;
const LINE_HEIGHT: usize = 20;
/// Characters per label line: about half an em each, within the box's padding.
const LINE_CHARACTERS: usize = 18;
const NODE_WIDTH: usize = 184;
const COLUMN_GAP: usize = 64;
const ROW_GAP: usize = 36;
const MARGIN: usize = 8;
const LEGEND_HEIGHT: usize = 44;
const EDGE_COLOUR: &str = "#57606a";
const TEXT_COLOUR: &str = "#1f2328";

/// A box's place: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rectangle {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// An edge as drawn: (caller, dependency, the points of its line).
pub type RoutedEdge = (usize, usize, Vec<(f64, f64)>);

/// Where everything goes.
#[derive(Debug)]
pub struct Layout {
    /// Each node's box, by node index.
    pub boxes: Vec<Rectangle>,
    /// Each edge with its line.
    pub edges: Vec<RoutedEdge>,
    /// Each node's label in lines.
    lines: Vec<Vec<String>>,
    /// The drawing's size, the legend's top.
    width: usize,
    height: usize,
    legend_top: usize,
}

/// The border of a status: colour and dash pattern (told apart without colour too).
fn border(status: MigrationStatus) -> (&'static str, &'static str) {
    match status {
        MigrationStatus::Cloud => ("#1a7f37", ""),
        MigrationStatus::Migrating => ("#0b5cad", " stroke-dasharray=\"10 4\""),
        MigrationStatus::OnPrem => ("#6e7781", " stroke-dasharray=\"3 3\""),
    }
}

/// The graph as a figure: the SVG (labelled `title`) and its caption; `legend` names
/// each status's border.
pub fn figure(nodes: &[Node], title: &str, legend: &[(MigrationStatus, String)]) -> String {
    let layout = layout(nodes);
    let (width, height) = (layout.width, layout.height);
    let mut svg = format!(
        "<figure class=\"dependency-graph\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" style=\"max-width: 100%; height: auto;\" aria-label=\"{title}\">\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" markerWidth=\"8\" markerHeight=\"8\" refX=\"10\" refY=\"5\" orient=\"auto\" markerUnits=\"userSpaceOnUse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{EDGE_COLOUR}\"/></marker></defs>\n<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n"
    );
    for (from, to, points) in &layout.edges {
        let points: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
        let _ = writeln!(
            svg,
            "<polyline data-from=\"{}\" data-to=\"{}\" points=\"{}\" fill=\"none\" stroke=\"{EDGE_COLOUR}\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>",
            escape(&nodes[*from].name),
            escape(&nodes[*to].name),
            points.join(" ")
        );
    }
    for ((node, rectangle), lines) in nodes.iter().zip(&layout.boxes).zip(&layout.lines) {
        let (colour, dashes) = border(node.status);
        let centre = rectangle.x + rectangle.width / 2.0;
        let first_line = rectangle.y + rectangle.height / 2.0
            - (lines.len() as f64 - 1.0) * LINE_HEIGHT as f64 / 2.0
            + FONT_SIZE as f64 * 0.35;
        let text: String = lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                format!(
                    "<tspan x=\"{centre}\" y=\"{}\">{line}</tspan>",
                    first_line + (index * LINE_HEIGHT) as f64
                )
            })
            .collect();
        let _ = writeln!(
            svg,
            "<a href=\"{href}\"><title>{label}</title><g data-runbook=\"{name}\"><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"6\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"2.5\"{dashes}/><text text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"{FONT_SIZE}\" fill=\"{TEXT_COLOUR}\">{text}</text></g></a>",
            href = escape(&node.href),
            label = node.label,
            name = escape(&node.name),
            x = rectangle.x,
            y = rectangle.y,
            w = rectangle.width,
            h = rectangle.height,
        );
    }
    svg.push_str(&legend_svg(legend, layout.legend_top));
    let _ = write!(svg, "</svg>\n<figcaption>{title}</figcaption>\n</figure>\n");
    svg
}

/// One row of samples under the graph: each status's border and its name.
fn legend_svg(legend: &[(MigrationStatus, String)], top: usize) -> String {
    let mut x = MARGIN;
    let mut svg = String::new();
    for (status, name) in legend {
        let (colour, dashes) = border(*status);
        let _ = writeln!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"32\" height=\"20\" rx=\"4\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"2.5\"{dashes}/><text x=\"{}\" y=\"{}\" font-family=\"sans-serif\" font-size=\"{FONT_SIZE}\" fill=\"{TEXT_COLOUR}\">{}</text>",
            top + 12,
            x + 40,
            top + 28,
            escape(name)
        );
        x += 40 + name.chars().count() * FONT_SIZE / 2 + 32;
    }
    svg
}

/// Each node's column: 0 for a node that calls nothing, else one more than the deepest
/// node it calls (a cycle is cut where it closes).
fn columns(nodes: &[Node]) -> Vec<usize> {
    fn column_of(
        node: usize,
        nodes: &[Node],
        columns: &mut [Option<usize>],
        path: &mut Vec<usize>,
    ) -> usize {
        if let Some(column) = columns[node] {
            return column;
        }
        if path.contains(&node) {
            return 0;
        }
        path.push(node);
        let column = nodes[node]
            .depends_on
            .iter()
            .map(|&dependency| column_of(dependency, nodes, columns, path) + 1)
            .max()
            .unwrap_or(0);
        path.pop();
        columns[node] = Some(column);
        column
    }
    let mut columns = vec![None; nodes.len()];
    for node in 0..nodes.len() {
        column_of(node, nodes, &mut columns, &mut Vec::new());
    }
    columns
        .into_iter()
        .map(|column| column.unwrap_or(0))
        .collect()
}

/// Places the boxes and routes the edges.
pub fn layout(nodes: &[Node]) -> Layout {
    let columns = columns(nodes);
    let column_count = columns.iter().max().map_or(0, |max| max + 1);
    // Rows: the first column in the book's order, each next one by the mean row of
    // what its nodes call.
    let mut rows = vec![0usize; nodes.len()];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); column_count];
    for (column, column_members) in members.iter_mut().enumerate() {
        let mut in_column: Vec<(f64, usize)> = (0..nodes.len())
            .filter(|&node| columns[node] == column)
            .map(|node| {
                let called: Vec<f64> = nodes[node]
                    .depends_on
                    .iter()
                    .filter(|&&dependency| columns[dependency] < column)
                    .map(|&dependency| rows[dependency] as f64)
                    .collect();
                let mean = if called.is_empty() {
                    f64::MAX
                } else {
                    called.iter().sum::<f64>() / called.len() as f64
                };
                (mean, node)
            })
            .collect();
        in_column.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (row, (_, node)) in in_column.iter().enumerate() {
            rows[*node] = row;
            column_members.push(*node);
        }
    }
    let lines: Vec<Vec<String>> = nodes
        .iter()
        .map(|node| wrapped(&node.label, LINE_CHARACTERS))
        .collect();
    let most_lines = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let node_height = 16 + most_lines * LINE_HEIGHT;
    let row_count = members.iter().map(Vec::len).max().unwrap_or(0);
    let column_x = |column: usize| (MARGIN + column * (NODE_WIDTH + COLUMN_GAP)) as f64;
    // A lane above every box, between boxes and below the last.
    let row_y = |row: usize| (ROW_GAP + row * (node_height + ROW_GAP)) as f64;
    let boxes: Vec<Rectangle> = (0..nodes.len())
        .map(|node| Rectangle {
            x: column_x(columns[node]),
            y: row_y(rows[node]),
            width: NODE_WIDTH as f64,
            height: node_height as f64,
        })
        .collect();
    // Every edge's own point on each side: callers' edges spread down the left side in
    // the order of their targets, dependencies' arrows down the right side.
    let column_of = &columns;
    let mut edges: Vec<(usize, usize)> = nodes
        .iter()
        .enumerate()
        .flat_map(|(from, node)| {
            node.depends_on
                .iter()
                .filter(move |&&to| to != from && column_of[to] < column_of[from])
                .map(move |&to| (from, to))
        })
        .collect();
    edges.sort_by_key(|&(from, to)| (rows[to], columns[to], rows[from]));
    let port = |rectangle: &Rectangle, index: usize, count: usize| {
        rectangle.y + rectangle.height * (index + 1) as f64 / (count + 1) as f64
    };
    // Each node's edges out and in, in the edges' order, gathered once.
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for &(from, to) in &edges {
        outgoing[from].push(to);
        incoming[to].push(from);
    }
    let mut routed = Vec::new();
    for &(from, to) in &edges {
        let (outgoing, incoming) = (&outgoing[from], &incoming[to]);
        let start_index = outgoing.iter().position(|&n| n == to).unwrap_or(0);
        let end_index = incoming.iter().position(|&n| n == from).unwrap_or(0);
        let (caller, dependency) = (boxes[from], boxes[to]);
        let mut y = port(&caller, start_index, outgoing.len());
        let mut points = vec![(caller.x, y)];
        let gap_middle = |column: usize| column_x(column) - COLUMN_GAP as f64 / 2.0;
        // Through every column between them, in the free lane nearest to the line.
        for column in (columns[to] + 1..columns[from]).rev() {
            let lanes = (0..=members[column].len()).map(|row| row_y(row) - ROW_GAP as f64 / 2.0);
            let lane = lanes
                .min_by(|a, b| (a - y).abs().total_cmp(&(b - y).abs()))
                .expect("a column has a lane above its first box");
            points.push((gap_middle(column + 1), lane));
            points.push((gap_middle(column), lane));
            y = lane;
        }
        points.push((
            dependency.x + dependency.width,
            port(&dependency, end_index, incoming.len()),
        ));
        routed.push((from, to, points));
    }
    let graph_height = row_y(row_count) - ROW_GAP as f64 / 2.0;
    let width = (column_x(column_count.max(1)) - COLUMN_GAP as f64) as usize + MARGIN;
    let legend_top = graph_height as usize;
    Layout {
        boxes,
        edges: routed,
        lines,
        width,
        height: legend_top + LEGEND_HEIGHT,
        legend_top,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// True when the segment from `a` to `b` passes through the inside of `rectangle`
    /// (touching its border, where an edge starts or ends, is not crossing it).
    fn crosses(a: (f64, f64), b: (f64, f64), rectangle: &Rectangle) -> bool {
        let inset = 0.5;
        let (left, right) = (rectangle.x + inset, rectangle.x + rectangle.width - inset);
        let (top, bottom) = (rectangle.y + inset, rectangle.y + rectangle.height - inset);
        // Liang-Barsky: clip the segment to the rectangle; anything left is inside.
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut enter, mut leave) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.0 - left),
            (dx, right - a.0),
            (-dy, a.1 - top),
            (dy, bottom - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    enter = enter.max(t);
                } else {
                    leave = leave.min(t);
                }
            }
        }
        enter < leave
    }

    fn graph(dependencies: &[Vec<usize>]) -> Vec<Node> {
        dependencies
            .iter()
            .enumerate()
            .map(|(index, depends_on)| Node {
                name: format!("app-{index}"),
                label: format!("Application number {index} of the platform"),
                href: format!("app-{index}.html"),
                status: MigrationStatus::Cloud,
                depends_on: depends_on.clone(),
            })
            .collect()
    }

    fn assert_no_edge_crosses_a_box(nodes: &[Node]) {
        let layout = layout(nodes);
        for (from, to, points) in &layout.edges {
            for segment in points.windows(2) {
                for (node, rectangle) in layout.boxes.iter().enumerate() {
                    assert!(
                        !crosses(segment[0], segment[1], rectangle),
                        "edge {from}->{to} segment {segment:?} crosses box {node} {rectangle:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_segment_test_sees_a_crossing_and_a_touch() {
        let rectangle = Rectangle {
            x: 10.0,
            y: 10.0,
            width: 10.0,
            height: 10.0,
        };
        assert!(crosses((0.0, 15.0), (30.0, 15.0), &rectangle));
        assert!(
            !crosses((20.0, 15.0), (30.0, 15.0), &rectangle),
            "starts on its side"
        );
        assert!(!crosses((0.0, 0.0), (30.0, 5.0), &rectangle));
    }

    #[test]
    fn an_edge_over_two_columns_goes_around_the_box_between() {
        // 2 calls 1 and 0, 1 calls 0: the edge 2 -> 0 passes column 1.
        let nodes = graph(&[vec![], vec![0], vec![0, 1]]);
        assert_no_edge_crosses_a_box(&nodes);
        let layout = layout(&nodes);
        let long = layout
            .edges
            .iter()
            .find(|edge| edge.0 == 2 && edge.1 == 0)
            .unwrap();
        assert_eq!(long.2.len(), 4, "routed through a lane: {:?}", long.2);
    }

    #[test]
    fn edges_into_one_box_end_at_different_points() {
        let nodes = graph(&[vec![], vec![0], vec![0], vec![0]]);
        let layout = layout(&nodes);
        let mut ends: Vec<String> = layout
            .edges
            .iter()
            .map(|edge| format!("{:?}", edge.2.last().unwrap()))
            .collect();
        ends.dedup();
        assert_eq!(ends.len(), 3);
    }

    proptest! {
        #[test]
        fn no_edge_crosses_a_box(
            dependencies in proptest::collection::vec(
                proptest::collection::vec(0usize..12, 0..4), 1..12)
        ) {
            // Any graph of up to 12 applications, calls to earlier ones only (and
            // some to themselves or later ones, which the layout must ignore or cut).
            let count = dependencies.len();
            let dependencies: Vec<Vec<usize>> = dependencies
                .into_iter()
                .map(|calls| calls.into_iter().map(|call| call % count).collect())
                .collect();
            assert_no_edge_crosses_a_box(&graph(&dependencies));
        }
    }
}
