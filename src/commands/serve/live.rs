//! Live reload: the events a rebuild sends to every open page (Server-Sent Events over
//! the server's connections), and what the server adds to the HTML it serves.

use crate::diagnostic::Diagnostic;
use crate::escape::escape_html as escape;
use serde::Serialize;
use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// The script every served page loads.
pub const LIVE_SCRIPT: &str = include_str!("../../../themes/default/js/live.js");

/// Where the script, the event stream and the status are served.
pub const SCRIPT_PATH: &str = "/__folio/live.js";
/// The Server-Sent Events stream.
pub const EVENTS_PATH: &str = "/__folio/events";
/// The current build state, as JSON.
pub const STATUS_PATH: &str = "/__folio/status";

/// A problem as the browser shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorView {
    /// `file:line`.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

impl From<&Diagnostic> for ErrorView {
    fn from(diagnostic: &Diagnostic) -> Self {
        let mut location = diagnostic
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        if let Some(line) = diagnostic.line {
            location.push_str(&format!(":{line}"));
        }
        Self {
            location,
            message: diagnostic.message.clone(),
            hint: diagnostic.hint.clone(),
        }
    }
}

/// One message to the pages.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// Sent first on every stream: the current build, so a page served by an older one
    /// (an edit landed while it was connecting) reloads.
    Hello { generation: u64 },
    /// A rebuild changed these pages (`all` when the whole site changed).
    Reload { changed: Vec<String>, all: bool },
    /// Only stylesheets changed: old file name to new file name.
    Css { renamed: Vec<(String, String)> },
    /// The rebuild failed: show these errors.
    Errors(Vec<ErrorView>),
}

impl LiveEvent {
    fn to_sse(&self) -> String {
        let (name, data) = match self {
            LiveEvent::Hello { generation } => {
                ("hello", serde_json::json!({ "generation": generation }))
            }
            LiveEvent::Reload { changed, all } => (
                "reload",
                serde_json::json!({ "changed": changed, "all": all }),
            ),
            LiveEvent::Css { renamed } => {
                let map: serde_json::Map<String, serde_json::Value> = renamed
                    .iter()
                    .map(|(old, new)| (old.clone(), new.clone().into()))
                    .collect();
                ("css", serde_json::json!({ "renamed": map }))
            }
            LiveEvent::Errors(errors) => ("errors", serde_json::json!({ "errors": errors })),
        };
        format!("event: {name}\ndata: {data}\n\n")
    }
}

/// Sends events to every connected page.
#[derive(Default)]
pub struct Broadcaster {
    clients: Mutex<Vec<Sender<LiveEvent>>>,
}

impl Broadcaster {
    /// Sends `event` to every page still connected.
    pub fn send(&self, event: &LiveEvent) {
        let mut clients = self
            .clients
            .lock()
            .expect("the client list lock is never poisoned");
        clients.retain(|client| client.send(event.clone()).is_ok());
    }

    fn subscribe(&self) -> Receiver<LiveEvent> {
        let (sender, receiver) = mpsc::channel();
        self.clients
            .lock()
            .expect("the client list lock is never poisoned")
            .push(sender);
        receiver
    }

    /// Streams events to one page until it goes away (runs on its own thread).
    pub fn stream(&self, mut writer: Box<dyn Write + Send>, initial: Vec<LiveEvent>) {
        let receiver = self.subscribe();
        let header = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
        let mut message =
            header.to_string() + &initial.iter().map(LiveEvent::to_sse).collect::<String>();
        loop {
            if writer
                .write_all(message.as_bytes())
                .and_then(|()| writer.flush())
                .is_err()
            {
                return;
            }
            message = match receiver.recv_timeout(Duration::from_secs(15)) {
                Ok(event) => event.to_sse(),
                Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return,
            };
        }
    }
}

/// Adds the live-reload script (and the error overlay, when the last build failed) to
/// an HTML page.
pub fn inject(html: &[u8], errors: &[ErrorView], generation: u64) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut addition =
        format!("<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\" defer></script>\n");
    if !errors.is_empty() {
        addition.push_str(&overlay_html(errors));
    }
    addition.push_str(OVERLAY_STYLE);
    match text.rfind("</body>") {
        Some(at) => format!("{}{addition}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{addition}").into_bytes(),
    }
}

const OVERLAY_STYLE: &str = "<style>#folio-error-overlay{position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:100;max-height:50vh;overflow:auto;background:#2b0b0b;color:#ffd7d7;border:2px solid #ff6b6b;border-radius:8px;padding:1rem;font:14px/1.5 ui-monospace,monospace;box-shadow:0 4px 20px rgba(0,0,0,.4)}#folio-error-overlay code{color:#fff;background:#5c1a1a;padding:0 .25em;border-radius:3px;font:inherit}#folio-error-overlay strong{color:#fff}</style>\n";

fn overlay_html(errors: &[ErrorView]) -> String {
    let items: String = errors
        .iter()
        .map(|error| {
            let hint = error
                .hint
                .as_deref()
                .map(|hint| format!("<br><em>{}</em>", escape(hint)))
                .unwrap_or_default();
            format!(
                "<li><code>{}</code> {}{hint}</li>",
                escape(&error.location),
                escape(&error.message)
            )
        })
        .collect();
    format!("<div id=\"folio-error-overlay\"><strong>Build failed</strong><ul>{items}</ul></div>\n")
}
