//! The HTTP side of `serve`: requests confined to the rendered site held in memory (no
//! `..`, encoded or not; the site is a map, so nothing on disk is reachable), content
//! types, the book's 404 page, and the live-reload endpoints.

use super::live::{self, Broadcaster, ErrorView, LiveEvent};
use percent_encoding::percent_decode_str;
use std::collections::HashMap;
use std::io::Cursor;
use std::sync::{Arc, RwLock};
use tiny_http::{Header, Request, Response, StatusCode};

/// The site as served: every file by path, and the errors of the last build.
#[derive(Default)]
pub struct SiteState {
    /// Files by path relative to the site root (`fr/index.html`).
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// The last build's errors (the files are then the last good build's).
    pub errors: Vec<ErrorView>,
}

/// What the HTTP threads share with the watcher.
#[derive(Default)]
pub struct Shared {
    /// The current site, swapped whole after each rebuild.
    pub state: RwLock<Arc<SiteState>>,
    /// The connected pages.
    pub live: Broadcaster,
}

impl Shared {
    /// The current site.
    pub fn current(&self) -> Arc<SiteState> {
        self.state
            .read()
            .expect("the site lock is never poisoned")
            .clone()
    }

    /// Replaces the site in one step: readers see the old one or the new one.
    pub fn replace(&self, state: SiteState) {
        *self.state.write().expect("the site lock is never poisoned") = Arc::new(state);
    }
}

/// Why a request was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The path tries to leave the site (`..`, encoded or not, backslashes, NUL).
    Forbidden,
}

/// The site path a request URL names, or why it is refused.
pub fn resolve(url: &str) -> Result<String, Refusal> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return Err(Refusal::Forbidden);
    }
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| Refusal::Forbidden)?;
    if decoded.contains(['\\', '\0']) {
        return Err(Refusal::Forbidden);
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Err(Refusal::Forbidden),
            other => segments.push(other),
        }
    }
    let mut key = segments.join("/");
    if key.is_empty() || decoded.ends_with('/') {
        key = if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        };
    }
    Ok(key)
}

/// Answers one request (an event stream is handed to its own thread).
pub fn handle(request: Request, shared: &Arc<Shared>) {
    let url = request.url().to_string();
    if url.starts_with(live::EVENTS_PATH) {
        let initial = {
            let state = shared.current();
            (!state.errors.is_empty()).then(|| LiveEvent::Errors(state.errors.clone()))
        };
        let shared = Arc::clone(shared);
        std::thread::spawn(move || shared.live.stream(request.into_writer(), initial));
        return;
    }
    let response = respond(&url, &shared.current());
    let _ = request.respond(response);
}

fn respond(url: &str, state: &SiteState) -> Response<Cursor<Vec<u8>>> {
    if url.starts_with(live::SCRIPT_PATH) {
        return with_type(
            Response::from_data(live::LIVE_SCRIPT.as_bytes().to_vec()),
            "text/javascript; charset=utf-8",
        );
    }
    if url.starts_with(live::STATUS_PATH) {
        let body = serde_json::json!({ "errors": state.errors }).to_string();
        return with_type(Response::from_data(body.into_bytes()), "application/json");
    }
    let key = match resolve(url) {
        Ok(key) => key,
        Err(Refusal::Forbidden) => {
            return with_type(
                Response::from_data(b"403 Forbidden: the path leaves the site\n".to_vec()),
                "text/plain; charset=utf-8",
            )
            .with_status_code(StatusCode(403));
        }
    };
    let found = state
        .files
        .get(&key)
        .map(|bytes| (key.clone(), bytes))
        .or_else(|| {
            let index = format!("{key}/index.html");
            state.files.get(&index).map(|bytes| (index, bytes))
        });
    match found {
        Some((path, bytes)) => page(&path, bytes, state, 200),
        None => match state.files.get("404.html") {
            Some(bytes) => page("404.html", bytes, state, 404),
            None => with_type(
                Response::from_data(b"404 Not Found\n".to_vec()),
                "text/plain; charset=utf-8",
            )
            .with_status_code(StatusCode(404)),
        },
    }
}

fn page(path: &str, bytes: &[u8], state: &SiteState, status: u16) -> Response<Cursor<Vec<u8>>> {
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        live::inject(bytes, &state.errors)
    } else {
        bytes.to_vec()
    };
    with_type(Response::from_data(body), content_type)
        .with_status_code(StatusCode(status))
        .with_header(Header::from_bytes("Cache-Control", "no-cache").expect("a valid header"))
}

fn with_type(response: Response<Cursor<Vec<u8>>>, content_type: &str) -> Response<Cursor<Vec<u8>>> {
    response.with_header(Header::from_bytes("Content-Type", content_type).expect("a valid header"))
}

/// The content type of a site file, by extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "xml" => "application/xml",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_confined_to_the_site() {
        assert_eq!(resolve("/"), Ok("index.html".into()));
        assert_eq!(resolve("/fr/"), Ok("fr/index.html".into()));
        assert_eq!(
            resolve("/fr/chapters/01.html?x=1"),
            Ok("fr/chapters/01.html".into())
        );
        assert_eq!(resolve("/caf%C3%A9.html"), Ok("café.html".into()));
        for attack in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/fr/..%2f..%2fetc",
            "/fr/%2E%2E/x",
            "http://example.org/x",
            "etc/passwd",
            "/a\\..\\b",
            "/a%00b",
            "/./x",
        ] {
            assert_eq!(resolve(attack), Err(Refusal::Forbidden), "{attack}");
        }
    }
}
