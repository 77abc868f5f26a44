//! Paths and links between the pages of a book: a markdown path's output page, a link
//! resolved from a page, the shortest relative link between two pages, hrefs escaped.

/// Maps a markdown path to its output path: `a/b.md` -> `a/b.html`, `README.md` -> `index.html`.
pub fn html_path_of(markdown_path: &str) -> String {
    let stem = markdown_path.strip_suffix(".md").unwrap_or(markdown_path);
    match stem.rsplit_once('/') {
        Some((dir, "README" | "index")) => format!("{dir}/index.html"),
        None if matches!(stem, "README" | "index") => "index.html".to_string(),
        _ => format!("{stem}.html"),
    }
}

/// True for a link that leaves the book: a URL with a scheme (`https:`, `mailto:`) or a
/// path from the server's root. `page.html#fig:a` is not one: its colon is in the fragment.
pub fn is_external_link(link: &str) -> bool {
    let scheme_end = link.find(':');
    let path_end = link.find(['/', '#', '?']).unwrap_or(link.len());
    link.starts_with('/') || scheme_end.is_some_and(|colon| colon < path_end)
}

/// Resolves `link` relative to the file at `from` (both relative to the same root);
/// `None` when it climbs above the root.
pub fn resolve_link(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/").replace("%20", " "))
}

/// The characters of a path that cannot stand as they are in a URL's path: controls,
/// space, and those that end a path or change its meaning (`#`, `?`, `%`...).
const NOT_IN_URL_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A `/`-separated path of the site as a URL path: `what?.html` is `what%3F.html`
/// (letters of any language are kept as they are).
pub fn href_of(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, NOT_IN_URL_PATH).to_string()
}

/// A URL path back to the site path it names (`a%23b.html` -> `a#b.html`).
pub fn path_of_href(href: &str) -> String {
    percent_encoding::percent_decode_str(href)
        .decode_utf8_lossy()
        .into_owned()
}

/// The shortest relative link (a URL) from the page at `from` to the file `to`, both
/// paths relative to the same root: `a/b.md` to `a/c.html` is `c.html`, to `d.html`
/// `../d.html`.
pub fn relative_link(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from
        .split('/')
        .collect::<Vec<_>>()
        .split_last()
        .map_or(Vec::new(), |(_, dirs)| dirs.to_vec());
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dirs, to_file) = to_parts.split_at(to_parts.len() - 1);
    let common = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut link = "../".repeat(from_dirs.len() - common);
    for part in &to_dirs[common..] {
        link.push_str(part);
        link.push('/');
    }
    link.push_str(to_file[0]);
    href_of(&link)
}

#[cfg(test)]
mod tests {
    use super::relative_link;

    #[test]
    fn relative_links_are_as_short_as_possible() {
        assert_eq!(
            relative_link("chapters/01.md", "chapters/02.html"),
            "02.html"
        );
        assert_eq!(
            relative_link("chapters/01.md", "appendices/a.html"),
            "../appendices/a.html"
        );
        assert_eq!(
            relative_link("index.md", "runbooks/a.html"),
            "runbooks/a.html"
        );
        assert_eq!(relative_link("a/b/c.md", "a/d.html"), "../d.html");
        assert_eq!(relative_link("a.md", "b.html"), "b.html");
    }
}
