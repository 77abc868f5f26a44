//! Parsing `{{#snippet NAME:PATH [SELECTOR] [OPTIONS]}}` and mdBook's
//! `{{#include PATH[:RANGE|:ANCHOR]}}`, `{{#rustdoc_include PATH[:RANGE|:ANCHOR]}}` and
//! `{{#playground PATH [ATTRIBUTES]}}` into typed values.

pub use super::yaml_path::YamlStep;
use std::fmt;

/// What part of a file to take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// The whole file.
    Whole,
    /// Lines `start` to `end`, 1-based and inclusive; open ends allowed.
    Lines {
        start: Option<usize>,
        end: Option<usize>,
    },
    /// Between mdBook's `ANCHOR: name` and `ANCHOR_END: name` markers.
    Anchor(String),
    /// A YAML node by path (`spec.template.spec.containers[0]`).
    YamlPath(Vec<YamlStep>),
    /// An HCL block by type and labels (`resource.aws_eks_cluster.main`).
    HclBlock(Vec<String>),
    /// From the first line matching `start` to the next line matching `end`.
    Regex { start: String, end: String },
}

/// Which directive it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `{{#snippet SOURCE:PATH ...}}`: a selection from a named source.
    Snippet,
    /// `{{#include PATH}}`: the selection itself.
    Include,
    /// `{{#rustdoc_include PATH}}`: the whole file, lines outside the selection hidden
    /// (written behind `# `, as mdBook does).
    RustdocInclude,
    /// `{{#playground PATH ATTRIBUTES}}`: the whole file as a Rust code block.
    Playground,
}

/// A parsed `{{#snippet ...}}`, `{{#include ...}}`, `{{#rustdoc_include ...}}` or
/// `{{#playground ...}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Which directive it is.
    pub form: Form,
    /// The named source, `None` for the mdBook forms (a file of the book's repository).
    pub source: Option<String>,
    /// The file, relative to the source root (or to the page for includes).
    pub path: String,
    /// What to take from it.
    pub selector: Selector,
    /// `lang=`: the highlighting language.
    pub language: Option<String>,
    /// `dedent`: remove the common indentation.
    pub dedent: bool,
    /// `caption="..."`.
    pub caption: Option<String>,
    /// `hash=`: the pinned hash of the expected content.
    pub pinned: Option<String>,
}

/// Why a directive could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError(pub String);

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The directives that stand for a file's text.
const EMBEDDING: [&str; 4] = ["snippet", "include", "rustdoc_include", "playground"];

/// True when `text` (trimmed) is one directive that stands for a file's text:
/// `{{#snippet}}`, `{{#include}}`, `{{#rustdoc_include}}` or `{{#playground}}`.
pub fn is_directive(text: &str) -> bool {
    let text = text.trim();
    text.ends_with("}}")
        && EMBEDDING.iter().any(|name| {
            text.strip_prefix("{{#")
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|rest| rest.starts_with(char::is_whitespace))
        })
}

/// True when `text` holds the start of a directive that stands for a file's text, not
/// escaped (mdBook shows `\{{#include file}}` as the directive's own text).
pub fn mentions_directive(text: &str) -> bool {
    // Every paragraph is asked: no allocation, one pass over the `{{#` in it.
    text.match_indices("{{#").any(|(at, opening)| {
        let rest = &text[at + opening.len()..];
        !text[..at].ends_with('\\')
            && EMBEDDING.iter().any(|name| {
                rest.strip_prefix(name)
                    .is_some_and(|after| after.starts_with(' '))
            })
    })
}

/// mdBook's escape: `\{{#...}}` is shown as `{{#...}}`, never expanded.
pub fn unescape(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("\\{{#") {
        std::borrow::Cow::Owned(text.replace("\\{{#", "{{#"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Parses a whole directive, braces included.
pub fn parse(text: &str) -> Result<Directive, SyntaxError> {
    let inner = text
        .trim()
        .strip_prefix("{{#")
        .and_then(|rest| rest.strip_suffix("}}"))
        .ok_or_else(|| {
            SyntaxError("a directive is written `{{#snippet ...}}` or `{{#include ...}}`".into())
        })?;
    let words = split_words(inner)?;
    let (kind, arguments) = words
        .split_first()
        .ok_or_else(|| SyntaxError("empty directive".into()))?;
    match kind.as_str() {
        "snippet" => parse_snippet(arguments),
        "include" => super::mdbook_forms::parse_include(arguments, Form::Include),
        "rustdoc_include" => super::mdbook_forms::parse_include(arguments, Form::RustdocInclude),
        "playground" | "playpen" => super::mdbook_forms::parse_playground(arguments),
        other => Err(SyntaxError(format!("unknown directive `{other}`"))),
    }
}

fn parse_snippet(arguments: &[String]) -> Result<Directive, SyntaxError> {
    let (target, options) = arguments
        .split_first()
        .ok_or_else(|| SyntaxError("`{{#snippet}}` needs `SOURCE:PATH`".into()))?;
    let (source, path) = target
        .split_once(':')
        .filter(|(source, path)| !source.is_empty() && !path.is_empty())
        .ok_or_else(|| SyntaxError(format!("`{target}` is not `SOURCE:PATH`")))?;
    let mut directive = Directive {
        form: Form::Snippet,
        source: Some(source.to_string()),
        path: path.to_string(),
        selector: Selector::Whole,
        language: None,
        dedent: false,
        caption: None,
        pinned: None,
    };
    let mut selectors = 0;
    let mut document = None;
    let mut with_key = false;
    for option in options {
        let (key, given) = match option.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (option.as_str(), None),
        };
        let raw = || {
            given
                .map(str::to_string)
                .ok_or_else(|| SyntaxError(format!("`{key}` needs a value: `{key}=...`")))
        };
        let value = || raw().map(|value| unquote(&value));
        match key {
            "lines" => directive.selector = parse_lines(&value()?)?,
            "anchor" => directive.selector = Selector::Anchor(value()?),
            "yaml" => {
                directive.selector =
                    Selector::YamlPath(super::yaml_path::parse(&raw()?).map_err(SyntaxError)?)
            }
            "block" => {
                directive.selector =
                    Selector::HclBlock(value()?.split('.').map(str::to_string).collect())
            }
            "regex" => {
                let value = value()?;
                let (start, end) = value
                    .split_once("..")
                    .ok_or_else(|| SyntaxError(format!("`regex={value}` is not `START..END`")))?;
                directive.selector = Selector::Regex {
                    start: start.to_string(),
                    end: end.to_string(),
                };
            }
            // `from=START to=END`: a range whose patterns may hold `..` and quotes.
            "from" | "to" => {
                let (start, end) = match &directive.selector {
                    Selector::Regex { start, end } => (start.clone(), end.clone()),
                    _ => (String::new(), String::new()),
                };
                directive.selector = if key == "from" {
                    Selector::Regex {
                        start: value()?,
                        end,
                    }
                } else {
                    Selector::Regex {
                        start,
                        end: value()?,
                    }
                };
            }
            "lang" => directive.language = Some(value()?),
            "dedent" if given.is_none() => directive.dedent = true,
            "caption" => directive.caption = Some(value()?),
            "hash" => directive.pinned = Some(value()?),
            "with-key" if given.is_none() => with_key = true,
            "doc" => {
                let number: usize = value()?
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| SyntaxError("`doc=` is a document number, from 1".into()))?;
                document = Some(number);
            }
            _ => {
                return Err(SyntaxError(format!(
                    "unknown option `{option}`; use lines=, anchor=, yaml=, doc=, with-key, block=, regex=, from= and to=, lang=, dedent, caption=, hash="
                )));
            }
        }
        if matches!(
            key,
            "lines" | "anchor" | "yaml" | "block" | "regex" | "from"
        ) {
            selectors += 1;
        }
    }
    if selectors > 1 {
        return Err(SyntaxError("a snippet takes one selector at most".into()));
    }
    if with_key {
        let Selector::YamlPath(steps) = &mut directive.selector else {
            return Err(SyntaxError("`with-key` goes with `yaml=`".into()));
        };
        steps.push(YamlStep::WithKey);
    }
    if let Some(number) = document {
        let Selector::YamlPath(steps) = &mut directive.selector else {
            return Err(SyntaxError("`doc=` goes with `yaml=`".into()));
        };
        if matches!(steps.first(), Some(YamlStep::Document(_))) {
            return Err(SyntaxError(
                "choose the document once: `doc=N` or `yaml=[key=value].path`".into(),
            ));
        }
        steps.insert(
            0,
            YamlStep::Document(super::yaml_path::Document::Number(number)),
        );
    }
    if let Selector::Regex { start, end } = &directive.selector
        && (start.is_empty() || end.is_empty())
    {
        return Err(SyntaxError(
            "`from=` and `to=` go together: `from=\"START\" to=\"END\"`".into(),
        ));
    }
    Ok(directive)
}

fn parse_lines(value: &str) -> Result<Selector, SyntaxError> {
    let bad = || {
        SyntaxError(format!(
            "`lines={value}` is not START-END (e.g. 10-25, 10-, -25)"
        ))
    };
    let (start, end) = value.split_once('-').ok_or_else(bad)?;
    let number = |text: &str| -> Result<Option<usize>, SyntaxError> {
        if text.is_empty() {
            Ok(None)
        } else {
            text.parse().map(Some).map_err(|_| bad())
        }
    };
    let (start, end) = (number(start)?, number(end)?);
    if start.is_none() && end.is_none()
        || start.zip(end).is_some_and(|(s, e)| s > e || s == 0)
        || start == Some(0)
    {
        return Err(bad());
    }
    Ok(Selector::Lines { start, end })
}

/// A value without its quotes: `"a \"b\""` is `a "b"`; text with quotes only inside it,
/// or none, is kept as it is.
fn unquote(value: &str) -> String {
    match value
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
    {
        Some(inner) if !inner.replace("\\\"", "").contains('"') => inner.replace("\\\"", "\""),
        _ => value.to_string(),
    }
}

/// Splits on spaces, keeping quoted parts together (`caption="two words"`,
/// `yaml=labels."app.kubernetes.io/name"`); the quotes stay, for [`unquote`] or the
/// YAML path to read, and `\"` is a quote inside them.
fn split_words(text: &str) -> Result<Vec<String>, SyntaxError> {
    let (words, closed) = super::yaml_path::split_outside_quotes(text, char::is_whitespace);
    if !closed {
        return Err(SyntaxError("a quote is not closed".into()));
    }
    Ok(words.into_iter().filter(|word| !word.is_empty()).collect())
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Whole => f.write_str("whole file"),
            Selector::Lines { start, end } => write!(
                f,
                "lines={}-{}",
                start.map(|s| s.to_string()).unwrap_or_default(),
                end.map(|e| e.to_string()).unwrap_or_default()
            ),
            Selector::Anchor(name) => write!(f, "anchor={name}"),
            Selector::YamlPath(steps) => {
                f.write_str("yaml=")?;
                for (index, step) in steps.iter().enumerate() {
                    match step {
                        YamlStep::Key(key) => {
                            if index > 0 {
                                f.write_str(".")?;
                            }
                            if key.contains(['.', '[', ']', '"', ' ']) {
                                write!(f, "\"{}\"", key.replace('"', "\\\""))?;
                            } else {
                                f.write_str(key)?;
                            }
                        }
                        YamlStep::Index(i) => write!(f, "[{i}]")?,
                        YamlStep::WithKey => f.write_str(" with-key")?,
                        YamlStep::Document(super::yaml_path::Document::Number(n)) => {
                            write!(f, "(document {n})")?
                        }
                        YamlStep::Document(super::yaml_path::Document::Matching(conditions)) => {
                            write!(f, "[{} condition(s)]", conditions.len())?
                        }
                    }
                }
                Ok(())
            }
            Selector::HclBlock(parts) => write!(f, "block={}", parts.join(".")),
            Selector::Regex { start, end } => write!(f, "regex={start}..{end}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_and_keys_keep_what_is_inside_the_quotes() {
        let labels =
            parse(r#"{{#snippet s:d.yaml yaml=metadata.labels."app.kubernetes.io/name"}}"#)
                .unwrap();
        assert_eq!(
            labels.selector,
            Selector::YamlPath(vec![
                YamlStep::Key("metadata".into()),
                YamlStep::Key("labels".into()),
                YamlStep::Key("app.kubernetes.io/name".into()),
            ])
        );
        assert_eq!(
            labels.selector.to_string(),
            r#"yaml=metadata.labels."app.kubernetes.io/name""#
        );
        let indexed = parse(r#"{{#snippet s:d.yaml yaml="a.b"[1].c}}"#).unwrap();
        assert_eq!(
            indexed.selector,
            Selector::YamlPath(vec![
                YamlStep::Key("a.b".into()),
                YamlStep::Index(1),
                YamlStep::Key("c".into()),
            ])
        );
        let range = parse(r#"{{#snippet s:f.tf from="name = \"prod\"" to="^}$"}}"#).unwrap();
        assert_eq!(
            range.selector,
            Selector::Regex {
                start: r#"name = "prod""#.into(),
                end: "^}$".into()
            }
        );
        let dots = parse(r#"{{#snippet s:f.tf from="a\.\.b" to=end}}"#).unwrap();
        assert!(matches!(dots.selector, Selector::Regex { start, .. } if start == r"a\.\.b"));
        assert!(parse(r#"{{#snippet s:f.tf from=a}}"#).is_err());
        let caption = parse(r#"{{#snippet s:f.tf caption="Le \"cluster\" de prod"}}"#).unwrap();
        assert_eq!(caption.caption.as_deref(), Some(r#"Le "cluster" de prod"#));
        assert!(parse(r#"{{#snippet s:d.yaml yaml="open.key}}"#).is_err());
    }

    #[test]
    fn snippets_parse_with_every_selector_and_option() {
        let d = parse(
            "{{#snippet platform:terraform/eks/main.tf block=resource.aws_eks_cluster.main}}",
        )
        .unwrap();
        assert_eq!(d.source.as_deref(), Some("platform"));
        assert_eq!(d.path, "terraform/eks/main.tf");
        assert_eq!(
            d.selector,
            Selector::HclBlock(vec![
                "resource".into(),
                "aws_eks_cluster".into(),
                "main".into()
            ])
        );
        let d = parse("{{#snippet p:a.yaml yaml=spec.template.spec.containers[0] lang=yaml dedent caption=\"The pod spec\" hash=abc}}").unwrap();
        assert_eq!(
            d.selector,
            Selector::YamlPath(vec![
                YamlStep::Key("spec".into()),
                YamlStep::Key("template".into()),
                YamlStep::Key("spec".into()),
                YamlStep::Key("containers".into()),
                YamlStep::Index(0)
            ])
        );
        assert_eq!(
            (
                d.language.as_deref(),
                d.dedent,
                d.caption.as_deref(),
                d.pinned.as_deref()
            ),
            (Some("yaml"), true, Some("The pod spec"), Some("abc"))
        );
        assert_eq!(
            parse("{{#snippet p:f lines=10-25}}").unwrap().selector,
            Selector::Lines {
                start: Some(10),
                end: Some(25)
            }
        );
        assert_eq!(
            parse("{{#snippet p:f lines=10-}}").unwrap().selector,
            Selector::Lines {
                start: Some(10),
                end: None
            }
        );
        assert_eq!(
            parse("{{#snippet p:f lines=-25}}").unwrap().selector,
            Selector::Lines {
                start: None,
                end: Some(25)
            }
        );
        assert_eq!(
            parse("{{#snippet p:f regex=^backend..^$}}")
                .unwrap()
                .selector,
            Selector::Regex {
                start: "^backend".into(),
                end: "^$".into()
            }
        );
        for bad in [
            "{{#snippet p}}",
            "{{#snippet :f}}",
            "{{#snippet p:f lines=9-3}}",
            "{{#snippet p:f colour=red}}",
            "{{#snippet p:f lines=1-2 anchor=x}}",
            "{{#snippet p:f caption=\"open}}",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
