//! The pieces of the writer's HTML: where a tag, a comment or a doctype ends (fed a line
//! at a time), what a tag holds, and text and references as XML can read them.

use std::fmt::Write as _;

/// How a `<` starts.
pub(super) enum Opening {
    /// Markup, to be ended by the finder; the length of what opened it.
    Markup(EndFinder, usize),
    /// A `<` that starts no markup: text.
    Text,
    /// Too little follows to tell (`<!-` at the end of an event).
    TooShort,
}

/// Finds where a piece of markup ends, fed a piece of text at a time: each byte is
/// looked at once, so a tag cut over many lines costs what it weighs.
#[derive(Clone, Copy)]
pub(super) enum EndFinder {
    /// A tag, ended by a `>` outside a quoted attribute value.
    Tag(TagState),
    /// A comment, ended by `-->`: how many `-` were just seen.
    Comment(u8),
    /// CDATA, ended by `]]>`: how many `]` were just seen.
    Cdata(u8),
    /// A doctype or a processing instruction, ended by `>`.
    Bogus,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TagState {
    Outside,
    AfterEquals,
    Quoted(u8),
}

impl EndFinder {
    pub(super) fn for_markup(text: &str) -> Opening {
        let starts = |prefix: &str| text.starts_with(prefix);
        let could_be = |prefix: &str| text.len() < prefix.len() && prefix.starts_with(text);
        if starts("<!--") {
            return Opening::Markup(EndFinder::Comment(0), 4);
        }
        if starts("<![CDATA[") {
            return Opening::Markup(EndFinder::Cdata(0), 9);
        }
        if could_be("<!--") || could_be("<![CDATA[") || could_be("</") {
            return Opening::TooShort;
        }
        if starts("<!") || starts("<?") {
            return Opening::Markup(EndFinder::Bogus, 2);
        }
        let name_at = if starts("</") { 2 } else { 1 };
        match text.as_bytes().get(name_at) {
            Some(byte) if byte.is_ascii_alphabetic() => {
                Opening::Markup(EndFinder::Tag(TagState::Outside), name_at)
            }
            _ => Opening::Text,
        }
    }

    /// The position in `chunk` of the `>` that ends the markup, if it is there.
    pub(super) fn feed(&mut self, chunk: &str) -> Option<usize> {
        for (at, byte) in chunk.bytes().enumerate() {
            *self = match (*self, byte) {
                (EndFinder::Tag(TagState::Quoted(quote)), byte) if byte == quote => {
                    EndFinder::Tag(TagState::Outside)
                }
                (EndFinder::Tag(TagState::Quoted(quote)), _) => {
                    EndFinder::Tag(TagState::Quoted(quote))
                }
                (EndFinder::Tag(_), b'>') | (EndFinder::Bogus, b'>') => return Some(at),
                (EndFinder::Tag(_), b'=') => EndFinder::Tag(TagState::AfterEquals),
                (EndFinder::Tag(TagState::AfterEquals), quote @ (b'"' | b'\'')) => {
                    EndFinder::Tag(TagState::Quoted(quote))
                }
                (EndFinder::Tag(TagState::AfterEquals), byte) if byte.is_ascii_whitespace() => {
                    EndFinder::Tag(TagState::AfterEquals)
                }
                (EndFinder::Tag(_), _) => EndFinder::Tag(TagState::Outside),
                (EndFinder::Comment(dashes), b'>') if dashes >= 2 => return Some(at),
                (EndFinder::Comment(dashes), b'-') => EndFinder::Comment(dashes.saturating_add(1)),
                (EndFinder::Comment(_), _) => EndFinder::Comment(0),
                (EndFinder::Cdata(brackets), b'>') if brackets >= 2 => return Some(at),
                (EndFinder::Cdata(brackets), b']') => EndFinder::Cdata(brackets.saturating_add(1)),
                (EndFinder::Cdata(_), _) => EndFinder::Cdata(0),
                (EndFinder::Bogus, _) => EndFinder::Bogus,
            };
        }
        None
    }
}

/// A start tag as written.
pub(super) struct StartTag {
    pub(super) name: String,
    pub(super) attributes: Vec<(String, Option<String>)>,
    pub(super) self_closing: bool,
}

/// A complete tag, read.
pub(super) enum Tag {
    Start(StartTag),
    /// An end tag's name.
    End(String),
}

/// Reads `markup`, a whole tag from `<` to `>`, as HTML's tokenizer reads one (the same
/// quoting as [`EndFinder`]'s, so both agree on where values end).
pub(super) fn read_tag(markup: &str) -> Tag {
    let inner = &markup[1..markup.len() - 1];
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(inner) => (true, inner),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_string();
    if closing {
        return Tag::End(name);
    }
    let bytes = inner.as_bytes();
    let mut attributes = Vec::new();
    let mut self_closing = false;
    let mut at = name_end;
    while at < bytes.len() {
        match bytes[at] {
            byte if byte.is_ascii_whitespace() => {
                at += 1;
                continue;
            }
            b'/' => {
                self_closing = at + 1 == bytes.len();
                at += 1;
                continue;
            }
            _ => {}
        }
        // A name runs to a space, `/`, or `=` (one that starts it belongs to it).
        let name_start = at;
        at += 1;
        while at < bytes.len()
            && !bytes[at].is_ascii_whitespace()
            && !matches!(bytes[at], b'/' | b'=')
        {
            at += 1;
        }
        let attribute = inner[name_start..at].to_string();
        let mut after = at;
        while after < bytes.len() && bytes[after].is_ascii_whitespace() {
            after += 1;
        }
        if bytes.get(after) != Some(&b'=') {
            attributes.push((attribute, None));
            continue;
        }
        after += 1;
        while after < bytes.len() && bytes[after].is_ascii_whitespace() {
            after += 1;
        }
        let value = match bytes.get(after) {
            Some(&quote @ (b'"' | b'\'')) => {
                let end = inner[after + 1..]
                    .find(quote as char)
                    .map_or(inner.len(), |end| end + after + 1);
                let value = inner[after + 1..end].to_string();
                at = (end + 1).min(inner.len());
                value
            }
            _ => {
                let end = inner[after..]
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or(inner.len(), |end| end + after);
                let value = inner[after..end].to_string();
                at = end;
                value
            }
        };
        attributes.push((attribute, Some(value)));
    }
    Tag::Start(StartTag {
        name,
        attributes,
        self_closing,
    })
}

/// Where `</name` (any case) starts in `text`, the end of a script or style.
pub(super) fn find_closing_tag(text: &str, name: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let needle = format!("</{name}");
    lower
        .match_indices(&needle)
        .map(|(index, _)| index)
        .find(|&index| {
            lower[index + needle.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
        })
}

/// Text between tags, for XML: a `&` that starts no reference and a stray `<` escaped,
/// named references written as numbers (XML knows five names), a reference to a
/// character XML cannot hold replaced.
pub(super) fn push_text(output: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>']) {
        output.push_str(&without_forbidden(&rest[..at]));
        rest = &rest[at..];
        match rest.as_bytes()[0] {
            b'<' => {
                output.push_str("&lt;");
                rest = &rest[1..];
            }
            b'>' => {
                output.push_str("&gt;");
                rest = &rest[1..];
            }
            _ => {
                let (written, length) = reference(rest);
                output.push_str(&written);
                rest = &rest[length..];
            }
        }
    }
    output.push_str(&without_forbidden(rest));
}

/// The reference at the start of `text` (which starts with `&`) as XML can read it,
/// and how much of `text` it took.
fn reference(text: &str) -> (String, usize) {
    let end = text[1..]
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
        .map_or(text.len(), |end| end + 1);
    if text.as_bytes().get(end) != Some(&b';') || end == 1 {
        return ("&amp;".to_string(), 1);
    }
    let body = &text[1..end];
    let decoded: Option<String> = if let Some(number) = body.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse().ok(),
        };
        Some(
            value
                .and_then(char::from_u32)
                .filter(|c| !crate::source_file::is_forbidden_character(*c))
                .unwrap_or('\u{FFFD}')
                .to_string(),
        )
    } else {
        let name = body.as_bytes();
        html_escape::NAMED_ENTITIES
            .binary_search_by(|(candidate, _)| candidate.cmp(&name))
            .ok()
            .map(|index| html_escape::NAMED_ENTITIES[index].1.to_string())
    };
    match decoded {
        Some(characters) => {
            let mut written = String::new();
            for character in characters.chars() {
                match character {
                    '&' => written.push_str("&amp;"),
                    '<' => written.push_str("&lt;"),
                    '>' => written.push_str("&gt;"),
                    c => {
                        let _ = write!(written, "&#{};", c as u32);
                    }
                }
            }
            (written, end + 1)
        }
        None => ("&amp;".to_string(), 1),
    }
}

/// `text` without the characters XML cannot hold (U+FFFD in their place).
pub(super) fn without_forbidden(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(crate::source_file::is_forbidden_character) {
        text.chars()
            .map(|c| {
                if crate::source_file::is_forbidden_character(c) {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// True for a name XML accepts (ASCII letters, digits, `-`, `_`, `.`, `:`; not
/// starting with a digit, `-` or `.`).
pub(super) fn is_xml_name(name: &str) -> bool {
    let mut characters = name.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_' || first == ':')
        && characters.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        && name.matches(':').count() <= 1
        && !name.ends_with(':')
}
