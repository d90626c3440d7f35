//! `arsite serve --watch`, end to end: the real binary on port 0 against a
//! temporary sample data set, spoken to over plain HTTP/1.1 sockets. Data
//! and template edits lead to a `reload` event and a rebuilt site; broken
//! ones to an `error` event naming the file while the previous site stays
//! served; the reload script exists only in served HTML, never on disk.

mod common;

use common::{arsite, build, files_of, is_build_record, lines_of, sample};
use rust_decimal::Decimal;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::str::FromStr;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

const SCRIPT_TAG: &str = "<script src=\"/__arsite/reload.js\"></script>";
/// Generous: a debug build on a busy machine; a passing run takes seconds.
const PATIENCE: Duration = Duration::from_secs(60);

/// The server process, killed when the test ends however it ends.
struct Server {
    child: Child,
    addr: SocketAddr,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next line on `lines` containing `needle`; earlier lines are skipped.
fn wait_for_line(lines: &Receiver<String>, needle: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => {}
            Err(e) => panic!("no line with {needle:?}: {e}"),
        }
    }
}

fn start(site: &Path, data: &Path, templates: &Path) -> Server {
    let mut child = arsite()
        .arg("serve")
        .arg(site)
        .args(["--port", "0", "--watch"])
        .arg(data)
        .arg("--templates")
        .arg(templates)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = lines_of(child.stdout.take().unwrap());
    let stderr = lines_of(child.stderr.take().unwrap());
    let mut server = Server {
        child,
        addr: "127.0.0.1:1".parse().unwrap(),
        stdout,
        stderr,
    };
    let line = wait_for_line(&server.stdout, "arsite: serving");
    let url = line.split("http://").nth(1).unwrap();
    server.addr = url
        .trim_end_matches(|c| c != '/')
        .trim_end_matches('/')
        .parse()
        .unwrap();
    assert!(server.addr.ip().is_loopback(), "{line}");
    server
}

/// Headers (lower-cased) and the reader positioned at the body.
fn read_head(reader: &mut impl BufRead) -> (u16, String) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase())
}

/// One chunk of a chunked body; `None` at its end.
fn read_chunk(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut size = String::new();
    reader.read_line(&mut size).unwrap();
    let size = usize::from_str_radix(size.trim().split(';').next().unwrap(), 16)
        .unwrap_or_else(|_| panic!("bad chunk size {size:?}"));
    let mut chunk = vec![0; size + 2];
    reader.read_exact(&mut chunk).unwrap();
    assert!(chunk.ends_with(b"\r\n"));
    chunk.truncate(size);
    (size > 0).then_some(chunk)
}

fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let (status, head) = read_head(&mut reader);
    let mut body = Vec::new();
    if head.contains("transfer-encoding: chunked") {
        while let Some(chunk) = read_chunk(&mut reader) {
            body.extend(chunk);
        }
    } else {
        reader.read_to_end(&mut body).unwrap();
    }
    (status, head, String::from_utf8(body).unwrap())
}

/// A client of `/__arsite/events`, as the page's EventSource would be.
struct Events {
    reader: BufReader<TcpStream>,
    text: String,
}

impl Events {
    fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET /__arsite/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let (status, head) = read_head(&mut reader);
        assert_eq!(status, 200, "{head}");
        assert!(head.contains("content-type: text/event-stream"), "{head}");
        assert!(head.contains("transfer-encoding: chunked"), "{head}");
        Events {
            reader,
            text: String::new(),
        }
    }

    /// The next event's name, data and id (the build's number), or `None`
    /// if none comes within `wait`.
    fn next(&mut self, wait: Duration) -> Option<Event> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(end) = self.text.find("\n\n") {
                let block: String = self.text.drain(..end + 2).collect();
                let (mut name, mut data, mut id) = (String::from("message"), Vec::new(), None);
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim_start().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push(v.strip_prefix(' ').unwrap_or(v).to_owned());
                    } else if let Some(v) = line.strip_prefix("id:") {
                        id = Some(v.trim().parse().expect("a numeric event id"));
                    }
                }
                // Keep-alive comments carry no data.
                if !data.is_empty() {
                    let build = id.unwrap_or_else(|| panic!("event without an id: {block:?}"));
                    return Some(Event {
                        name,
                        data: data.join("\n"),
                        build,
                    });
                }
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.reader.get_ref().set_read_timeout(Some(left)).unwrap();
            // A timed-out read can only happen between chunks: the server
            // writes each event as one chunk, so it is never half-read.
            if self
                .reader
                .fill_buf()
                .map(|b| b.is_empty())
                .unwrap_or(false)
            {
                panic!("event stream closed");
            }
            if self.reader.buffer().is_empty() {
                return None;
            }
            let chunk = read_chunk(&mut self.reader).expect("event stream ended");
            self.text.push_str(&String::from_utf8(chunk).unwrap());
        }
    }

    /// The next event, which must be `name` for build number `build`: one
    /// more build than expected (the build's own output seen as a change, a
    /// change counted twice) shows as a higher number or another event.
    fn expect(&mut self, name: &str, build: u64) -> String {
        match self.next(PATIENCE) {
            Some(e) if e.name == name && e.build == build => e.data,
            other => panic!("expected a {name:?} event for build {build}, got {other:?}"),
        }
    }
}

#[derive(Debug)]
struct Event {
    name: String,
    data: String,
    build: u64,
}

/// `/__arsite/status`: the latest build's number, how many changed files
/// it was for, and whether it succeeded.
fn build_status(addr: SocketAddr) -> (u64, Option<u64>, bool) {
    let (code, head, body) = get(addr, "/__arsite/status");
    assert_eq!(code, 200, "{head}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    (
        v["build"].as_u64().unwrap(),
        v["changed"].as_u64(),
        v["ok"].as_bool().unwrap(),
    )
}

/// "1,293,841.17 EUR" from the overview's Total AR tile.
fn total_ar(page: &str) -> Decimal {
    let figure = page
        .split("<dt>Total AR</dt><dd>")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap_or_else(|| panic!("no Total AR tile in\n{page}"));
    Decimal::from_str(&figure.replace(',', "")).unwrap()
}

/// `csv` with `delta` added to the first row's amount and open amount.
fn add_to_first_row(csv: &str, delta: Decimal) -> String {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (amount, open) = (col("amount"), col("open_amount"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&headers).unwrap();
    for (i, record) in reader.records().enumerate() {
        let mut fields: Vec<String> = record.unwrap().iter().map(str::to_owned).collect();
        if i == 0 {
            for c in [amount, open] {
                fields[c] = (Decimal::from_str(&fields[c]).unwrap() + delta).to_string();
            }
        }
        out.write_record(&fields).unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    for (relative, bytes) in files_of(from) {
        let path = to.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

#[test]
fn watch_rebuilds_on_data_and_template_changes_and_reloads_served_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    sample(&data, 20, 3);
    let templates = tmp.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../site"),
        &templates,
    );
    // Inside the watched folder, so its own writes must not count as changes.
    let site = data.join("public");
    let server = start(&site, &data, &templates);

    let latest = files_of(&data.join("snapshots"))
        .into_keys()
        .filter_map(|p| p.to_str()?.strip_suffix(".csv").map(str::to_owned))
        .max()
        .unwrap();
    let overview = format!("/{latest}/index.html");
    let (status, head, page) = get(server.addr, &overview);
    assert_eq!(status, 200);
    assert!(head.contains("cache-control: no-store"), "{head}");
    assert_eq!(page.matches(SCRIPT_TAG).count(), 1);
    assert!(page.contains(&format!("{SCRIPT_TAG}</body>")));
    let before = total_ar(&page);

    // The redirect page's policy forbids scripts on disk; served, it allows
    // exactly the reload script and its event stream.
    let on_disk = std::fs::read_to_string(site.join("latest/index.html")).unwrap();
    assert!(on_disk.contains("content=\"default-src 'none'; base-uri 'none'\""));
    let (_, _, served) = get(server.addr, "/latest/index.html");
    assert!(
        served.contains("content=\"default-src 'none'; base-uri 'none'; script-src 'self'; connect-src 'self'\""),
        "{served}"
    );
    assert!(served.contains(SCRIPT_TAG));
    let (status, head, script) = get(server.addr, "/__arsite/reload.js");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/javascript"), "{head}");
    assert!(script.contains("EventSource(\"/__arsite/events\")"));
    assert!(script.contains("textContent") && !script.contains("innerHTML"));

    // The page was served after the first build, so that build is done.
    assert_eq!(
        build_status(server.addr),
        (1, None, true),
        "the first build"
    );
    let mut events = Events::connect(server.addr);

    // A data change: one reload (build 2, for that one file), the new
    // figure served.
    let csv_path = data.join("snapshots").join(format!("{latest}.csv"));
    let original_csv = std::fs::read_to_string(&csv_path).unwrap();
    let delta = Decimal::from_str("1000.00").unwrap();
    std::fs::write(&csv_path, add_to_first_row(&original_csv, delta)).unwrap();
    events.expect("reload", 2);
    let line = wait_for_line(&server.stdout, "arsite: rebuilt in");
    assert!(line.ends_with("s (1 file changed)"), "{line}");
    assert_eq!(build_status(server.addr), (2, Some(1), true));
    let (_, _, page) = get(server.addr, &overview);
    assert_eq!(total_ar(&page), before + delta);

    // A broken snapshot: an error naming the file and line; the previous
    // site stays served. No build was triggered by build 2's own output:
    // this is build 3, for the one file written (a self-triggered build
    // would be build 3 itself, a reload event, or have counted the output's
    // files in with this change).
    std::fs::write(
        &csv_path,
        original_csv.replacen("open_amount", "opn_amount", 1),
    )
    .unwrap();
    let error = events.expect("error", 3);
    assert_eq!(build_status(server.addr), (3, Some(1), false));
    assert!(error.contains(&format!("{latest}.csv:1:")), "{error}");
    assert!(error.contains("open_amount"), "{error}");
    wait_for_line(&server.stderr, "still serving the previous site");
    let (status, _, page) = get(server.addr, &overview);
    assert_eq!(status, 200);
    assert_eq!(total_ar(&page), before + delta);

    // A page opened now learns of the failure at once.
    let mut late = Events::connect(server.addr);
    assert_eq!(late.expect("error", 3), error);
    drop(late);

    // Fixed: back to the original figures.
    std::fs::write(&csv_path, &original_csv).unwrap();
    events.expect("reload", 4);
    let (_, _, page) = get(server.addr, &overview);
    assert_eq!(total_ar(&page), before);

    // A template syntax error, then a designer's edit, then the original.
    let base = templates.join("templates/base.html");
    let original_base = std::fs::read_to_string(&base).unwrap();
    let main_tag = "<main id=\"main\">";
    assert!(original_base.contains(main_tag));
    std::fs::write(
        &base,
        original_base.replace(main_tag, &format!("{main_tag}{{% if %}}")),
    )
    .unwrap();
    let error = events.expect("error", 5);
    let line = original_base
        .lines()
        .position(|l| l.contains(main_tag))
        .unwrap()
        + 1;
    assert!(
        error.contains(&format!("base.html:{line}:")),
        "expected base.html:{line}: in {error}"
    );
    let (_, _, page) = get(server.addr, &overview);
    assert_eq!(total_ar(&page), before);

    std::fs::write(
        &base,
        original_base.replace(main_tag, "<main id=\"main\" data-edited=\"yes\">"),
    )
    .unwrap();
    events.expect("reload", 6);
    let (_, _, page) = get(server.addr, &overview);
    assert!(page.contains("data-edited=\"yes\""));

    std::fs::write(&base, &original_base).unwrap();
    events.expect("reload", 7);
    // Every build above was for exactly one changed file.
    assert_eq!(build_status(server.addr), (7, Some(1), true));

    // On disk: exactly what a plain build writes.
    let plain = tmp.path().join("plain");
    build(&data, &plain, &["--quiet"]);
    let (watched, plain) = (files_of(&site), files_of(&plain));
    assert_eq!(
        watched.keys().collect::<Vec<_>>(),
        plain.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &watched {
        // Here templates read from a folder, there the compiled-in ones.
        if is_build_record(path) {
            continue;
        }
        assert!(bytes == &plain[path], "{} differs", path.display());
    }
    assert!(!watched
        .values()
        .any(|b| b.windows(10).any(|w| w == b"__arsite/r")));
}
