//! Typography of running text, per language: French spacing (a narrow no-break space
//! before `; ! ?` and inside « », a no-break space before `:`), curly quotes, and
//! `...` to an ellipsis. Applied to text only: never to code, URLs or attributes. Also
//! [`wrapped`]: a title broken into lines for a drawing (a cover, a graph's boxes).

use serde::Deserialize;

/// U+202F, the narrow no-break space of French typography.
pub const NARROW_NBSP: char = '\u{202F}';
/// U+00A0, the no-break space before a French colon.
pub const NBSP: char = '\u{A0}';

/// `[typography]` in book.toml: each rule can be turned off.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "kebab-case")]
pub struct TypographyRules {
    /// French: narrow no-break space before `; ! ?` and inside « ».
    pub narrow_nbsp: bool,
    /// French: no-break space before `:`.
    pub nbsp_colon: bool,
    /// Straight quotes to the language's curly ones (« » in French, “ ” in English).
    pub quotes: bool,
    /// `...` to `…`.
    pub ellipsis: bool,
}

impl Default for TypographyRules {
    fn default() -> Self {
        Self {
            narrow_nbsp: true,
            nbsp_colon: true,
            quotes: true,
            ellipsis: true,
        }
    }
}

/// Applies the rules of one language to successive pieces of one text block.
#[derive(Debug, Clone, Copy)]
pub struct Typographer {
    rules: TypographyRules,
    french: bool,
}

/// What the typographer remembers between the pieces of one paragraph.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextState {
    previous: Option<char>,
    open_double: bool,
}

impl TextState {
    /// Records text that typography did not touch (inline code), so the next piece
    /// knows what it follows.
    pub fn follow(&mut self, text: &str) {
        if let Some(last) = text.chars().last() {
            self.previous = Some(last);
        }
    }
}

impl Typographer {
    /// The typographer for a language code (`fr`, `fr-CA` get French rules).
    pub fn new(language: &str, rules: TypographyRules) -> Self {
        Self {
            rules,
            french: language == "fr" || language.starts_with("fr-"),
        }
    }

    /// Applies the rules to a standalone string (a title, a metadata value).
    pub fn text(&self, text: &str) -> String {
        self.piece(text, &mut TextState::default())
    }

    /// Applies the rules to one piece of a paragraph, continuing from `state`.
    pub fn piece(&self, text: &str, state: &mut TextState) -> String {
        let mut output = String::with_capacity(text.len() + 8);
        let mut rest = text;
        while let Some(start) = find_url(rest) {
            self.prose(&rest[..start], state, &mut output);
            let end = start
                + rest[start..]
                    .find(char::is_whitespace)
                    .unwrap_or(rest.len() - start);
            output.push_str(&rest[start..end]);
            state.previous = rest[..end].chars().last();
            rest = &rest[end..];
        }
        self.prose(rest, state, &mut output);
        output
    }

    fn prose(&self, text: &str, state: &mut TextState, output: &mut String) {
        let chars: Vec<char> = text.chars().collect();
        let mut index = 0;
        while index < chars.len() {
            let c = chars[index];
            let next = chars.get(index + 1).copied();
            match c {
                '.' if self.rules.ellipsis
                    && chars[index..].starts_with(&['.', '.', '.'])
                    && chars.get(index + 3) != Some(&'.') =>
                {
                    output.push('…');
                    index += 2;
                }
                '"' if self.rules.quotes => {
                    let opening = opens_quote(state.previous) && !state.open_double;
                    state.open_double = opening;
                    match (self.french, opening) {
                        (true, true) => self.open_guillemet(output, &chars, &mut index),
                        (true, false) => self.close_guillemet(output, '»'),
                        (false, true) => output.push('“'),
                        (false, false) => output.push('”'),
                    }
                }
                '\'' if self.rules.quotes => {
                    let opening = !self.french && opens_quote(state.previous);
                    output.push(if opening { '‘' } else { '’' });
                }
                '«' if self.french => {
                    output.push('«');
                    if self.rules.narrow_nbsp {
                        output.push(NARROW_NBSP);
                        while chars.get(index + 1).is_some_and(|c| is_space(*c)) {
                            index += 1;
                        }
                    }
                }
                '»' if self.french => self.close_guillemet(output, '»'),
                ';' | '!' | '?' if self.french && self.rules.narrow_nbsp => {
                    self.space_before(output, state.previous, next, NARROW_NBSP);
                    output.push(c);
                }
                ':' if self.french && self.rules.nbsp_colon => {
                    self.space_before(output, state.previous, next, NBSP);
                    output.push(c);
                }
                _ => output.push(c),
            }
            state.previous = output.chars().last();
            index += 1;
        }
    }

    fn open_guillemet(&self, output: &mut String, chars: &[char], index: &mut usize) {
        output.push('«');
        if self.rules.narrow_nbsp {
            output.push(NARROW_NBSP);
        } else {
            output.push(' ');
        }
        while chars.get(*index + 1).is_some_and(|c| is_space(*c)) {
            *index += 1;
        }
    }

    fn close_guillemet(&self, output: &mut String, guillemet: char) {
        if self.rules.narrow_nbsp {
            trim_one_space(output);
            output.push(NARROW_NBSP);
        } else if !output.ends_with(char::is_whitespace) {
            output.push(' ');
        }
        output.push(guillemet);
    }

    /// Puts `space` before French high punctuation: replaces a typed space, or adds
    /// one after a word when the mark ends it (so `12:30` and `a?b` stay as they are).
    fn space_before(
        &self,
        output: &mut String,
        previous: Option<char>,
        next: Option<char>,
        space: char,
    ) {
        let typed_space = output.ends_with(is_space);
        let ends_word = next.is_none_or(|n| n.is_whitespace() || "»)]!?;:.,".contains(n));
        let after_word = previous.is_some_and(|p| !p.is_whitespace() && !";:!?".contains(p));
        if typed_space {
            trim_one_space(output);
            output.push(space);
        } else if after_word && ends_word && !output.is_empty() {
            output.push(space);
        }
    }
}

fn is_space(c: char) -> bool {
    c == ' ' || c == NBSP || c == NARROW_NBSP
}

fn trim_one_space(output: &mut String) {
    if output.ends_with(is_space) {
        output.pop();
    }
}

fn opens_quote(previous: Option<char>) -> bool {
    previous.is_none_or(|p| p.is_whitespace() || "([{—–-/«“‘".contains(p))
}

/// The byte offset of the next URL-looking word, which typography leaves alone.
fn find_url(text: &str) -> Option<usize> {
    ["://", "www."]
        .iter()
        .filter_map(|marker| text.find(marker))
        .min()
        .map(|position| {
            text[..position]
                .rfind(char::is_whitespace)
                .map_or(0, |space| space + 1)
        })
}

/// `text` in lines of at most `width` characters, broken between words (a longer word
/// has a line of its own).
pub fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {

    #[test]
    fn titles_break_between_words() {
        assert_eq!(
            wrapped("The Copenhagen Initiative", 18),
            ["The Copenhagen", "Initiative"]
        );
        assert_eq!(wrapped("Le Plan Copenhague", 18), ["Le Plan Copenhague"]);
        assert!(wrapped("", 18).is_empty());
    }
    use super::*;

    fn french(text: &str) -> String {
        Typographer::new("fr", TypographyRules::default()).text(text)
    }

    fn english(text: &str) -> String {
        Typographer::new("en", TypographyRules::default()).text(text)
    }

    #[test]
    fn french_high_punctuation_gets_a_narrow_no_break_space() {
        assert_eq!(
            french("Pourquoi ? Parce que !"),
            "Pourquoi\u{202F}? Parce que\u{202F}!"
        );
        assert_eq!(french("Vraiment?"), "Vraiment\u{202F}?");
        assert_eq!(french("un ; deux"), "un\u{202F}; deux");
        assert_eq!(french("Quoi ?!"), "Quoi\u{202F}?!");
    }

    #[test]
    fn french_colon_gets_a_no_break_space_but_not_in_times() {
        assert_eq!(french("Note : ceci"), "Note\u{A0}: ceci");
        assert_eq!(french("Note: ceci"), "Note\u{A0}: ceci");
        assert_eq!(french("à 20:30 précises"), "à 20:30 précises");
        assert_eq!(french("a?b"), "a?b");
    }

    #[test]
    fn quotes_follow_the_language() {
        assert_eq!(
            french("le \"Plan\" et « lui »"),
            "le «\u{202F}Plan\u{202F}» et «\u{202F}lui\u{202F}»"
        );
        assert_eq!(french("l'équipe"), "l’équipe");
        assert_eq!(
            english("the \"plan\" and 'it' isn't"),
            "the “plan” and ‘it’ isn’t"
        );
    }

    #[test]
    fn ellipsis_and_urls() {
        assert_eq!(english("wait..."), "wait…");
        assert_eq!(
            french("voir https://example.org/?a=1 : fin"),
            "voir https://example.org/?a=1\u{A0}: fin"
        );
        assert_eq!(english("Note: plain; English!"), "Note: plain; English!");
    }

    #[test]
    fn each_rule_can_be_turned_off() {
        let off = TypographyRules {
            narrow_nbsp: false,
            nbsp_colon: false,
            quotes: false,
            ellipsis: false,
        };
        let text = "Quoi ? Note : \"x\" l'a...";
        assert_eq!(Typographer::new("fr", off).text(text), text);
    }
}
