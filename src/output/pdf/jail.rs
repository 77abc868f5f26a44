//! What keeps a PDF engine inside the staging directory: WeasyPrint's URL fetcher, and
//! for Chromium a loopback server of the staging directory alone.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// Run as `python -c WEASYPRINT ROOT PAGE PDF`: WeasyPrint with a URL fetcher that
/// gives only `data:` URLs and files inside ROOT (links followed); anything else (other
/// files, `http:`) is refused, so nothing outside is embedded, attached or fetched.
pub const WEASYPRINT: &str = r#"
import logging, os, sys, urllib.parse
from weasyprint import HTML, default_url_fetcher
logging.getLogger("weasyprint").setLevel(logging.ERROR)
root = os.path.realpath(sys.argv[1])
def fetcher(url, *args, **kwargs):
    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
        path = os.path.realpath(urllib.parse.unquote(parsed.path))
        if path.startswith(root + os.sep) and os.path.isfile(path):
            return default_url_fetcher(url, *args, **kwargs)
    raise ValueError("folio: outside the book: " + url)
HTML(filename=sys.argv[2], url_fetcher=fetcher).write_pdf(sys.argv[3])
"#;

/// A loopback HTTP server of one directory's files, until dropped.
pub struct StagingServer {
    address: std::net::SocketAddr,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
}

impl StagingServer {
    /// Serves `root` on a free loopback port.
    pub fn start(root: &Path) -> std::io::Result<StagingServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let address = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.canonicalize()?;
        let stopping = Arc::clone(&stop);
        let worker = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::Relaxed) {
                    break;
                }
                if let Ok(stream) = stream {
                    answer(stream, &root);
                }
            }
        });
        Ok(StagingServer {
            address,
            stop,
            worker: Some(worker),
        })
    }

    /// `host:port`.
    pub fn host(&self) -> String {
        self.address.to_string()
    }

    /// The URL of the file at `relative` (to the root).
    pub fn url(&self, relative: &Path) -> String {
        let path: Vec<String> = relative
            .iter()
            .map(|part| {
                percent_encoding::utf8_percent_encode(
                    &part.to_string_lossy(),
                    percent_encoding::NON_ALPHANUMERIC,
                )
                .to_string()
            })
            .collect();
        format!("http://{}/{}", self.address, path.join("/"))
    }
}

impl Drop for StagingServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// Answers one request: the file under `root` it names, else 404.
fn answer(stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    if reader.by_ref().take(8192).read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let file = file_of(root, target);
    let mut stream = &stream;
    let reply = match file.and_then(|file| {
        crate::source_file::read_bytes(&file)
            .ok()
            .map(|bytes| (file, bytes))
    }) {
        Some((file, bytes)) => {
            let content_type = crate::media_type::content_type(&file.to_string_lossy());
            let mut reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                bytes.len()
            )
            .into_bytes();
            reply.extend(bytes);
            reply
        }
        None => {
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    };
    let _ = stream.write_all(&reply);
}

/// The file under `root` that the request target names, if it stays inside.
fn file_of(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?.strip_prefix('/')?;
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let relative = crate::confine::normalize(&decoded).ok()?;
    let file = root.join(relative).canonicalize().ok()?;
    file.starts_with(root).then_some(file)
}
