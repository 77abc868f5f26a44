//! What every way of cutting a selection shares (lines, anchors, YAML paths, HCL
//! blocks): the error it gives the writer, and whole lines joined and dedented.

/// Why a selection failed: what to tell the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionError {
    /// What went wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl SelectionError {
    /// A selection error with a hint.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Removes the indentation all non-blank lines share.
pub fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let lines: Vec<&str> = text
        .lines()
        .map(|line| line.get(indent..).unwrap_or(""))
        .collect();
    join_lines(&lines)
}

/// Joins lines with a final newline.
pub fn join_lines(lines: &[&str]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}
