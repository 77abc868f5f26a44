//! The HTTP side of `serve`: a small HTTP/1.1 server (GET and HEAD, one request per
//! connection) over `std::net`, requests confined to the rendered site held in memory
//! (no `..`, encoded or not; the site is a map, so nothing on disk is reachable),
//! content types, the book's 404 page, and the live-reload endpoints.

use super::connections::{self, Slot};
use super::live::{self, Broadcaster, ErrorView, LiveEvent};
use super::search::BackgroundIndex;
use percent_encoding::percent_decode_str;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The site as served: every file by path, and the errors of the last build.
#[derive(Default)]
pub struct SiteState {
    /// Files by path relative to the site root (`fr/index.html`).
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// The last build's errors (the files are then the last good build's).
    pub errors: Vec<ErrorView>,
    /// Counts successful builds; a page knows the one it was served from.
    pub generation: u64,
}

/// What the HTTP threads share with the watcher.
#[derive(Default)]
pub struct Shared {
    /// The current site, swapped whole after each rebuild.
    pub state: RwLock<Arc<SiteState>>,
    /// The connected pages.
    pub live: Broadcaster,
    /// The search index, built in the background.
    pub search: Arc<BackgroundIndex>,
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

/// A response: status, content type, body.
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    fn new(status: u16, content_type: impl Into<String>, body: Vec<u8>) -> Self {
        Self {
            status,
            content_type: content_type.into(),
            body,
        }
    }

    /// The whole HTTP/1.1 response; the connection closes after it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let reason = match self.status {
            200 => "OK",
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            _ => "Error",
        };
        let mut bytes = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
            self.status,
            self.content_type,
            self.body.len()
        )
        .into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// How long a client may take to send its request head.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// Listens on `listener` until the process ends, one thread per connection (cheap on
/// loopback, and an idle connection a browser opens ahead never delays another), at
/// most [`connections::MAX_CONNECTIONS`] at once. `bound_host` is the `-n` address:
/// requests naming another host (DNS rebinding) are refused.
pub fn listen(listener: TcpListener, shared: Arc<Shared>, bound_host: String) {
    connections::accept_loop(listener, move |stream, slot| {
        serve_connection(stream, &shared, &bound_host, &slot);
    });
}

/// Reads one request from `stream` and answers it (an event stream stays open).
fn serve_connection(mut stream: TcpStream, shared: &Arc<Shared>, bound_host: &str, slot: &Slot) {
    let Some(head) = read_request_head(&mut stream) else {
        let _ = stream.write_all(
            &Reply::new(
                400,
                "text/plain; charset=utf-8",
                b"400 Bad Request\n".to_vec(),
            )
            .to_bytes(),
        );
        return;
    };
    slot.head_received();
    let _ = stream.set_read_timeout(Some(HEAD_DEADLINE));
    let RequestHead {
        method,
        target,
        hosts,
        is_http_1_1,
    } = head;
    // RFC 9112: an HTTP/1.1 request names exactly one host; two could each be read by a
    // different party (the check here, a proxy there).
    let malformed = match hosts.len() {
        0 if is_http_1_1 => {
            Some(&b"400 Bad Request: an HTTP/1.1 request needs a Host header\n"[..])
        }
        0 | 1 => None,
        _ => Some(&b"400 Bad Request: a request names one host, in one Host header\n"[..]),
    };
    if let Some(message) = malformed {
        let _ = stream
            .write_all(&Reply::new(400, "text/plain; charset=utf-8", message.to_vec()).to_bytes());
        return;
    }
    if hosts
        .first()
        .is_some_and(|host| !is_allowed_host(host, bound_host))
    {
        let _ = stream.write_all(
            &Reply::new(
                403,
                "text/plain; charset=utf-8",
                b"403 Forbidden: this server answers to localhost and its own address only\n"
                    .to_vec(),
            )
            .to_bytes(),
        );
        return;
    }
    if method != "GET" && method != "HEAD" {
        let _ = stream.write_all(
            &Reply::new(
                405,
                "text/plain; charset=utf-8",
                b"405 Method Not Allowed\n".to_vec(),
            )
            .to_bytes(),
        );
        return;
    }
    if target.starts_with(live::EVENTS_PATH) {
        let _ = stream.set_read_timeout(None);
        let state = shared.current();
        let mut initial = vec![LiveEvent::Hello {
            generation: state.generation,
        }];
        if !state.errors.is_empty() {
            initial.push(LiveEvent::Errors(state.errors.clone()));
        }
        shared.live.stream(Box::new(stream), initial);
        return;
    }
    let reply = respond(&target, &shared.current(), &shared.search);
    let mut bytes = reply.to_bytes();
    if method == "HEAD" {
        let head_end = bytes.len() - reply.body.len();
        bytes.truncate(head_end);
    }
    let _ = stream.write_all(&bytes);
}

/// What the server reads of a request.
struct RequestHead {
    method: String,
    target: String,
    /// The values of its `Host` headers.
    hosts: Vec<String>,
    /// True for HTTP/1.1 (which requires a `Host`), false for HTTP/1.0.
    is_http_1_1: bool,
}

/// The request's head (at most 16 KiB, within [`HEAD_DEADLINE`]); its lines may end
/// with CRLF or a bare LF.
fn read_request_head(stream: &mut TcpStream) -> Option<RequestHead> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut head = Vec::new();
    let mut buffer = [0u8; 2048];
    while !ends_head(&head) {
        let left = deadline.checked_duration_since(Instant::now())?;
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .ok()?;
        let read = stream.read(&mut buffer).ok().filter(|&n| n > 0)?;
        head.extend_from_slice(&buffer[..read]);
        if head.len() > 16 * 1024 {
            return None;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.lines();
    let mut parts = lines.next()?.split(' ');
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let version = parts
        .next()
        .map(str::trim_end)
        .filter(|version| version.starts_with("HTTP/1."))?;
    let hosts = lines
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("host")
                .then(|| value.trim().to_string())
        })
        .collect();
    Some(RequestHead {
        method,
        target,
        hosts,
        is_http_1_1: version != "HTTP/1.0",
    })
}

/// True once `head` holds an empty line.
fn ends_head(head: &[u8]) -> bool {
    head.windows(3).any(|window| window == b"\n\r\n")
        || head.windows(2).any(|window| window == b"\n\n")
}

/// True for a `Host` header this server answers: `localhost`, an IP address (no name a
/// stranger's page could point at this machine), or the address it was bound to.
fn is_allowed_host(host: &str, bound_host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok()
        || name == bound_host.trim_matches(['[', ']']).to_ascii_lowercase()
}

fn respond(url: &str, state: &SiteState, search: &BackgroundIndex) -> Reply {
    if url.starts_with(live::SCRIPT_PATH) {
        return Reply::new(
            200,
            "text/javascript; charset=utf-8",
            live::LIVE_SCRIPT.as_bytes().to_vec(),
        );
    }
    if url.starts_with(live::STATUS_PATH) {
        let body = serde_json::json!({ "errors": state.errors }).to_string();
        return Reply::new(200, "application/json", body.into_bytes());
    }
    let key = match resolve(url) {
        Ok(key) => key,
        Err(Refusal::Forbidden) => {
            return Reply::new(
                403,
                "text/plain; charset=utf-8",
                b"403 Forbidden: the path leaves the site\n".to_vec(),
            );
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
    let indexed = || search.file(&key).map(|bytes| (key.clone(), bytes));
    match found
        .map(|(path, bytes)| (path, Arc::clone(bytes)))
        .or_else(indexed)
    {
        Some((path, bytes)) => page(&path, &bytes, state, 200),
        None => match state.files.get("404.html") {
            Some(bytes) => page("404.html", bytes, state, 404),
            None => Reply::new(
                404,
                "text/plain; charset=utf-8",
                b"404 Not Found\n".to_vec(),
            ),
        },
    }
}

fn page(path: &str, bytes: &[u8], state: &SiteState, status: u16) -> Reply {
    let content_type = crate::media_type::content_type(path);
    let body = if content_type.starts_with("text/html") {
        live::inject(bytes, &state.errors, state.generation)
    } else {
        bytes.to_vec()
    };
    Reply::new(status, content_type, body)
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
