//! Real-browser helpers: a static HTTP server for a built site, and a small WebDriver
//! client driving Debian's headless Chromium through chromedriver.

use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A child process killed when dropped.
pub struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free TCP port on the loopback interface.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until something listens on `port`.
fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        sleep(Duration::from_millis(50));
    }
}

/// Serves `directory` over HTTP on loopback (Python's http.server); returns it and its URL.
pub fn serve_directory(directory: &Path) -> (Process, String) {
    let port = free_port();
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
        ])
        .current_dir(directory)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 serves the built site");
    wait_for_port(port);
    (Process(child), format!("http://127.0.0.1:{port}"))
}

/// The default book built, served over HTTP, and a browser on it; each part lives as
/// long as this (the browser closes first, the built site goes last).
pub struct DefaultBookInBrowser {
    /// The site's address, without a trailing slash.
    pub base: String,
    pub browser: Browser,
    _server: Process,
    _built: super::Fixture,
}

/// [`DefaultBookInBrowser`], ready.
pub fn default_book_in_browser() -> DefaultBookInBrowser {
    let (built, site, _) = super::build_default_book(&[]);
    let (server, base) = serve_directory(&site);
    DefaultBookInBrowser {
        base,
        browser: Browser::start(),
        _server: server,
        _built: built,
    }
}

/// One headless Chromium session driven over WebDriver.
pub struct Browser {
    base: String,
    _driver: Process,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session.
    pub fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is needed: apt-get install chromium-driver (.ci/run does)");
        let driver = Process(driver);
        wait_for_port(port);
        let profile = std::env::temp_dir().join(format!("folio-chromium-{port}"));
        let capabilities = json!({"capabilities": {"alwaysMatch": {"pageLoadStrategy": "eager", "timeouts": {"pageLoad": 20000, "script": 20000}, "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,900", format!("--user-data-dir={}", profile.display())]
        }}}});
        let response = post(&format!("http://127.0.0.1:{port}/session"), &capabilities);
        let session = response["value"]["sessionId"]
            .as_str()
            .expect("a WebDriver session")
            .to_string();
        Browser {
            base: format!("http://127.0.0.1:{port}/session/{session}"),
            _driver: driver,
        }
    }

    /// Opens `url`.
    pub fn open(&self, url: &str) {
        post(&format!("{}/url", self.base), &json!({ "url": url }));
    }

    /// The current URL.
    pub fn url(&self) -> String {
        get(&format!("{}/url", self.base))["value"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Runs `script`, which ends by calling its last argument with the result (a
    /// promise's), and returns that result.
    pub fn execute_async(&self, script: &str) -> Value {
        post(
            &format!("{}/execute/async", self.base),
            &json!({"script": script, "args": []}),
        )["value"]
            .clone()
    }

    /// For each CSS selector, the computed text colour of its first element and the
    /// colour of the first background under it (white when none): red, green, blue.
    pub fn colours(&self, selectors: &[&str]) -> Vec<(String, [f64; 3], [f64; 3])> {
        let script = format!(
            "function rgb(c) {{ return c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number); }}
             function background(element) {{
               for (let e = element; e; e = e.parentElement) {{
                 const c = getComputedStyle(e).backgroundColor;
                 if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return rgb(c);
               }}
               return [255, 255, 255];
             }}
             return {}.map(css => {{ const e = document.querySelector(css);
               if (!e) throw new Error('no element ' + css);
               return [css, rgb(getComputedStyle(e).color), background(e)]; }});",
            serde_json::to_string(selectors).unwrap()
        );
        let found: Vec<(String, [f64; 3], [f64; 3])> =
            serde_json::from_value(self.execute(&script)).unwrap();
        found
    }

    /// Presses and releases `key` as a keyboard would, on whatever has the focus
    /// (WebDriver's key codes for the others: `\u{E015}` is ↓, `\u{E007}` Enter).
    pub fn press(&self, key: &str) {
        let strokes: Vec<Value> = key
            .chars()
            .flat_map(|key| {
                [
                    json!({"type": "keyDown", "value": key.to_string()}),
                    json!({"type": "keyUp", "value": key.to_string()}),
                ]
            })
            .collect();
        post(
            &format!("{}/actions", self.base),
            &json!({"actions": [{"type": "key", "id": "keyboard", "actions": strokes}]}),
        );
    }

    /// Makes the pages see a dark system theme (`prefers-color-scheme: dark`), through
    /// Chromium's DevTools protocol.
    pub fn emulate_dark_system(&self) {
        post(
            &format!("{}/goog/cdp/execute", self.base),
            &json!({"cmd": "Emulation.setEmulatedMedia",
                    "params": {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}}),
        );
    }

    /// Resizes the window (a phone's width: 390).
    pub fn resize(&self, width: u32, height: u32) {
        post(
            &format!("{}/window/rect", self.base),
            &json!({ "width": width, "height": height }),
        );
    }

    /// Runs `script` in the page and returns its result.
    pub fn execute(&self, script: &str) -> Value {
        post(
            &format!("{}/execute/sync", self.base),
            &json!({"script": script, "args": []}),
        )["value"]
            .clone()
    }

    /// The first element matching `css`, waiting up to 15 s for it.
    pub fn find(&self, css: &str) -> Element<'_> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let found = post(
                &format!("{}/elements", self.base),
                &json!({"using": "css selector", "value": css}),
            );
            if let Some(id) = found["value"]
                .as_array()
                .and_then(|all| all.first())
                .and_then(|e| e[ELEMENT_KEY].as_str())
            {
                return Element {
                    browser: self,
                    id: id.to_string(),
                };
            }
            assert!(
                Instant::now() < deadline,
                "no element matches {css} on {}",
                self.url()
            );
            sleep(Duration::from_millis(100));
        }
    }

    /// The text of every element matching `css` (possibly none).
    pub fn texts(&self, css: &str) -> Vec<String> {
        let found = post(
            &format!("{}/elements", self.base),
            &json!({"using": "css selector", "value": css}),
        );
        found["value"]
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str())
                    .map(|id| {
                        Element {
                            browser: self,
                            id: id.to_string(),
                        }
                        .text()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits up to 15 s until `condition` holds.
    pub fn wait_until(&self, what: &str, condition: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !condition() {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} on {}",
                self.url()
            );
            sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&self.base).call();
    }
}

/// An element of the current page.
pub struct Element<'b> {
    browser: &'b Browser,
    id: String,
}

impl Element<'_> {
    fn url(&self, action: &str) -> String {
        format!("{}/element/{}/{action}", self.browser.base, self.id)
    }

    /// Its visible text.
    pub fn text(&self) -> String {
        get(&self.url("text"))["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The value of its attribute `name` (empty when it has none).
    pub fn attribute(&self, name: &str) -> String {
        get(&self.url(&format!("attribute/{name}")))["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Clicks it.
    pub fn click(&self) {
        post(&self.url("click"), &json!({}));
    }

    /// Types `text` into it.
    pub fn type_text(&self, text: &str) {
        post(&self.url("value"), &json!({ "text": text }));
    }
}

/// No WebDriver call may hang a test run.
const CALL_TIMEOUT: Duration = Duration::from_secs(40);

fn post(url: &str, body: &Value) -> Value {
    ureq::post(url)
        .config()
        .timeout_global(Some(CALL_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .send_json(body)
        .unwrap_or_else(|e| panic!("POST {url}: {e}"))
        .body_mut()
        .read_json()
        .unwrap()
}

fn get(url: &str) -> Value {
    ureq::get(url)
        .config()
        .timeout_global(Some(CALL_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
        .body_mut()
        .read_json()
        .unwrap()
}
