//! `folio serve` as a real process on a free loopback port, for the tests that drive it.

use super::Fixture;
use super::browser::free_port;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A running `folio serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(book: &Fixture) -> Server {
        let port = free_port();
        let log = book.path("serve.log");
        let child = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["serve", ".", "-p", &port.to_string()])
            .current_dir(book.root())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        // The port is taken before the first build; the first answer comes after it, once
        // the sources are watched.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !server.answers() {
            assert!(Instant::now() < deadline, "folio serve did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// True once the server answers a request.
    fn answers(&self) -> bool {
        ureq::get(&format!("{}/__folio/status", self.base))
            .config()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .call()
            .is_ok()
    }

    pub fn get(&self, path: &str) -> (u16, String, String) {
        let mut response = ureq::get(&format!("{}{path}", self.base))
            .config()
            .http_status_as_error(false)
            .build()
            .call()
            .unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (
            status,
            content_type,
            response.body_mut().read_to_string().unwrap(),
        )
    }

    /// Waits until `path` serves a body satisfying `condition`.
    pub fn wait_for(&self, path: &str, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (_, _, body) = self.get(path);
            if condition(&body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} at {path}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's event stream, line by line.
    pub fn events(&self) -> Receiver<String> {
        let (sender, receiver) = channel();
        let mut stream = TcpStream::connect(self.base.trim_start_matches("http://")).unwrap();
        stream.write_all(b"GET /__folio/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { return };
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        let first = receiver
            .recv_timeout(Duration::from_secs(5))
            .expect("the event stream answers");
        assert!(first.starts_with("HTTP/1.1 200"), "{first}");
        while receiver
            .recv_timeout(Duration::from_secs(5))
            .expect("headers")
            != ": connected"
        {}
        receiver
    }

    pub fn rebuilds(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .matches("Rebuilt in")
            .count()
    }
}

/// The next `event:` and its `data:` line.
pub fn next_event(events: &Receiver<String>) -> (String, String) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let line = events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("an event in time");
        if let Some(name) = line.strip_prefix("event: ").filter(|name| *name != "hello") {
            let data = events.recv_timeout(Duration::from_secs(1)).unwrap();
            return (
                name.to_string(),
                data.trim_start_matches("data: ").to_string(),
            );
        }
    }
}
