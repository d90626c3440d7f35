//! Headless Chromium over WebDriver (Debian's chromium + chromedriver).
//! Missing browsers fail the test with the command that installs them: a
//! browser test that silently skips would report success for nothing.

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    pub async fn start() -> Browser {
        Browser::start_with(serde_json::json!({})).await
    }

    /// A browser that saves downloads into `downloads` without asking.
    pub async fn start_with_downloads(downloads: &std::path::Path) -> Browser {
        Browser::start_with(serde_json::json!({
            "download.default_directory": downloads.display().to_string(),
            "download.prompt_for_download": false,
            "download.directory_upgrade": true,
        }))
        .await
    }

    /// A browser with JavaScript switched off (pages must still make sense).
    /// Call [`Browser::assert_javascript_off`] on the page under test: a
    /// preference Chromium ignored would otherwise go unnoticed.
    pub async fn start_without_javascript() -> Browser {
        Browser::start_with(serde_json::json!({
            "profile.managed_default_content_settings.javascript": 2,
        }))
        .await
    }

    /// `prefs`: Chromium preferences for the fresh profile.
    async fn start_with(prefs: serde_json::Value) -> Browser {
        for tool in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                std::path::Path::new(tool).exists(),
                "{tool} is missing: run `cargo xtask test` (installs it) or `apt-get install chromium chromium-driver`"
            );
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver");
        let profile = tempfile::tempdir().unwrap();
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "prefs": prefs,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let caps = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let mut builder =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            match builder.capabilities(caps.clone()).connect(&url).await {
                Ok(c) => break c,
                Err(e) if started.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("cannot start a Chromium session via chromedriver: {e}"),
            }
        };
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("opening {url}: {e}"));
    }

    /// Fails unless the current page has scripting disabled and has
    /// finished loading. Scripting is read from the HTML parser itself: with
    /// it off, `<noscript>` content parses as elements, with it on as text.
    /// (WebDriver's own scripts run either way, below the page's settings.)
    pub async fn assert_javascript_off(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self
                .js("const d = document.createElement('div'); d.innerHTML = '<noscript><p></p></noscript>'; \
                     return [document.readyState, d.querySelector('noscript p') !== null]")
                .await;
            assert_eq!(v[1], true, "JavaScript is on in this page");
            if v[0] == "complete" {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the page did not finish loading: {v}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the dashboard to report that it mounted (or failed).
    pub async fn wait_dashboard_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let root = self
                .client
                .find(Locator::Css("#arsite-dashboard"))
                .await
                .unwrap();
            match root.attr("data-state").await.unwrap().as_deref() {
                Some("ready") => return,
                Some("error") => panic!("dashboard failed: {}", root.text().await.unwrap()),
                _ if Instant::now() > deadline => panic!("dashboard did not start within 30 s"),
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    /// Polls until `css`'s text satisfies `ok` (views update asynchronously).
    pub async fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let t = self.text(css).await;
            if ok(&t) {
                return t;
            }
            if Instant::now() > deadline {
                return t;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Polls until `css`'s text satisfies `ok`, failing the test otherwise.
    pub async fn expect_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let t = self.wait_text(css, &ok).await;
        assert!(ok(&t), "{what}: {css} shows {t:?}");
        t
    }

    pub async fn click(&self, css: &str) {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    /// Types into a field (WebDriver keys: "\u{e003}" is Backspace).
    pub async fn type_into(&self, css: &str, text: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
            .send_keys(text)
            .await
            .unwrap();
    }

    /// Toggles the option labelled `label` of a `<select multiple>`
    /// (a WebDriver click on such an option toggles it).
    pub async fn toggle_option(&self, select_id: &str, label: &str) {
        let xpath = format!(
            "//select[@id='{select_id}']/option[normalize-space(.)={}]",
            xpath_literal(label)
        );
        self.client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no option {label:?} in #{select_id}: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// The current address.
    pub async fn url(&self) -> String {
        self.client.current_url().await.unwrap().to_string()
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// XPath string literal for any text (names may contain both quote kinds).
pub fn xpath_literal(s: &str) -> String {
    if !s.contains('\'') {
        return format!("'{s}'");
    }
    let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
    format!("concat({})", parts.join(", \"'\", "))
}
