//! The `yaml=` path syntax: `spec.template.spec.containers[0]`, keys in quotes when
//! they hold dots or slashes (`metadata.labels."app.kubernetes.io/name"`), and in a
//! multi-document file the document first: `[kind=Deployment,metadata.name=web].spec`
//! (or the `doc=N` option).

/// One step of a YAML path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlStep {
    /// Which document of the file (first step only).
    Document(Document),
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
    /// Show the last key's line too (`with-key`, last step only).
    WithKey,
}

/// Which document of a multi-document file a path starts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// The N-th, from 1 (`doc=N`).
    Number(usize),
    /// The first whose value at each path is the given text (`[kind=Deployment]`).
    Matching(Vec<(Vec<YamlStep>, String)>),
}

/// A leading `[path=value,...]` document filter, and the rest of the path.
fn document_filter(value: &str) -> Result<Option<(Document, &str)>, String> {
    let Some(inner) = value.strip_prefix('[') else {
        return Ok(None);
    };
    let Some(close) = inner.find(']') else {
        return Ok(None);
    };
    let filter = &inner[..close];
    if !filter.contains('=') {
        return Ok(None);
    }
    let mut conditions = Vec::new();
    for condition in filter.split(',') {
        let (path, wanted) = condition
            .split_once('=')
            .ok_or_else(|| format!("`{condition}` is not `path=value`"))?;
        let steps = parse(path.trim())?;
        conditions.push((steps, wanted.trim().trim_matches('"').to_string()));
    }
    let rest = inner[close + 1..]
        .strip_prefix('.')
        .unwrap_or(&inner[close + 1..]);
    Ok(Some((Document::Matching(conditions), rest)))
}

/// `text` split at the characters `is_separator` accepts outside double quotes (a `\"`
/// inside quotes is a quote); the quotes stay in the parts, empty parts too. The flag
/// is false when a quote is left open. The directive's words and the path's steps are
/// both split this way.
pub(super) fn split_outside_quotes(
    text: &str,
    is_separator: impl Fn(char) -> bool,
) -> (Vec<String>, bool) {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    let mut escaped = false;
    for c in text.chars() {
        let part = parts.last_mut().expect("one part at least");
        match c {
            _ if escaped => {
                part.push(c);
                escaped = false;
            }
            '\\' if quoted => {
                part.push(c);
                escaped = true;
            }
            '"' => {
                quoted = !quoted;
                part.push(c);
            }
            c if !quoted && is_separator(c) => parts.push(String::new()),
            c => part.push(c),
        }
    }
    (parts, !quoted)
}

/// The steps of a `yaml=` path: keys (quoted when they hold dots: `"app.kubernetes.io/name"`)
/// and `[n]` indices.
pub fn parse(value: &str) -> Result<Vec<YamlStep>, String> {
    let mut steps = Vec::new();
    let mut value = value;
    if let Some((document, rest)) = document_filter(value)? {
        steps.push(YamlStep::Document(document));
        if rest.is_empty() {
            return Err(
                "`yaml=[...]` needs a path after the document: `[kind=Deployment].spec`".into(),
            );
        }
        value = rest;
    }
    // `labels."app.kubernetes.io/name"[0]` is `labels` and `"app.kubernetes.io/name"[0]`.
    for part in split_outside_quotes(value, |c| c == '.').0 {
        let part = part.as_str();
        // A quoted key (dots, slashes, brackets and all), then its indices.
        if let Some(rest) = part.strip_prefix('"') {
            let mut key = String::new();
            let mut chars = rest.char_indices();
            let mut after = None;
            while let Some((at, c)) = chars.next() {
                match c {
                    '\\' => key.extend(chars.next().map(|(_, c)| c)),
                    '"' => {
                        after = Some(&rest[at + 1..]);
                        break;
                    }
                    c => key.push(c),
                }
            }
            let after = after.ok_or_else(|| format!("`{part}`: a quote is not closed"))?;
            steps.push(YamlStep::Key(key));
            if !push_indices(after, part, &mut steps)?.is_empty() {
                return Err(format!("`{part}` is not a YAML path step"));
            }
            continue;
        }
        let (key, mut rest) = match part.find('[') {
            Some(bracket) => part.split_at(bracket),
            None => (part, ""),
        };
        if !key.is_empty() {
            steps.push(YamlStep::Key(key.to_string()));
        }
        rest = push_indices(rest, part, &mut steps)?;
        if !rest.is_empty() {
            return Err(format!("`{part}` is not a YAML path step"));
        }
    }
    if steps.is_empty() {
        return Err("`yaml=` needs a path such as spec.containers[0]".into());
    }
    Ok(steps)
}

/// The `[n]` indices at the start of `rest`, pushed onto `steps`; returns what follows.
fn push_indices<'r>(
    mut rest: &'r str,
    part: &str,
    steps: &mut Vec<YamlStep>,
) -> Result<&'r str, String> {
    while let Some(after) = rest.strip_prefix('[') {
        let close = after
            .find(']')
            .ok_or_else(|| format!("`{part}`: `[` without `]`"))?;
        let index = after[..close]
            .parse()
            .map_err(|_| format!("`{part}`: `{}` is not a list index", &after[..close]))?;
        steps.push(YamlStep::Index(index));
        rest = &after[close + 1..];
    }
    Ok(rest)
}
