//! Highlighted HTML cut into lines that stand alone: a span the highlighter left open
//! across a line end (a block comment, a string) is closed at the end of the line and
//! opened again on the next, so that each line can be wrapped (a hidden line) or dropped.

/// The lines of `html` (the highlighter's output: text, entities, `<span ...>` and
/// `</span>`), each with its `\n` and balanced spans.
pub fn split_lines(html: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    let mut line = String::new();
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with("</span>") {
            open.pop();
            line.push_str("</span>");
            rest = &rest["</span>".len()..];
        } else if rest.starts_with("<span") {
            let end = rest.find('>').map_or(rest.len(), |at| at + 1);
            open.push(&rest[..end]);
            line.push_str(&rest[..end]);
            rest = &rest[end..];
        } else {
            let end = rest.find(['<', '\n']).unwrap_or(rest.len());
            if end == 0 {
                // A line end (or a `<` that opens no span, kept as it is).
                let character = &rest[..1];
                if character == "\n" {
                    line.extend(std::iter::repeat_n("</span>", open.len()));
                    line.push('\n');
                    lines.push(std::mem::take(&mut line));
                    line.extend(open.iter().copied());
                } else {
                    line.push_str(character);
                }
                rest = &rest[1..];
            } else {
                line.push_str(&rest[..end]);
                rest = &rest[end..];
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::split_lines;

    #[test]
    fn open_spans_close_at_each_line_end_and_open_again() {
        let html = "<span class=\"c\">/* one\ntwo */</span>\n<span class=\"k\">fn</span> x\n";
        assert_eq!(
            split_lines(html),
            [
                "<span class=\"c\">/* one</span>\n",
                "<span class=\"c\">two */</span>\n",
                "<span class=\"k\">fn</span> x\n"
            ]
        );
        assert_eq!(split_lines("a &lt; b\nc"), ["a &lt; b\n", "c"]);
    }
}
