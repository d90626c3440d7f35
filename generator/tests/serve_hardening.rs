//! `arsite serve` against hostile clients (issue 13, item 9): the real
//! binary on 127.0.0.1 and port 0, spoken to over raw sockets. Only the
//! loopback Host names get content (DNS rebinding), symbolic links never
//! lead out of the site, hidden files stay hidden, a folder that is not a
//! site is refused, and idle or slow clients cannot lock real ones out.
//! Every test is bounded in connections and time and stops by itself.

mod common;

use common::{arsite, build, lines_of, sample};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Generous: a debug build on a busy machine.
const PATIENCE: Duration = Duration::from_secs(60);
/// The server's header-read timeout (serve/conn.rs `HEADER_TIMEOUT`).
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The server process, killed when the test ends however it ends.
struct Server {
    child: Child,
    addr: SocketAddr,
    /// Kept open: a server whose stdout is closed fails to print.
    _stdout: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` (an `arsite serve … --port 0`) and waits for the
/// address it prints.
fn start(mut command: Command) -> Server {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = lines_of(child.stdout.take().unwrap());
    // In a Server first, so that the process is killed if this fails.
    let mut server = Server {
        child,
        addr: "127.0.0.1:1".parse().unwrap(),
        _stdout: stdout,
    };
    // Watch mode reports its first build before.
    let line = std::iter::from_fn(|| server._stdout.recv_timeout(PATIENCE).ok())
        .find(|l| l.starts_with("arsite: serving"))
        .expect("the server printed no address");
    let url = line.split("http://").nth(1).unwrap();
    server.addr = url
        .trim_end_matches('/')
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(server.addr.ip().is_loopback(), "{line}");
    server
}

fn serve(site: &Path) -> Server {
    let mut command = arsite();
    command.arg("serve").arg(site).args(["--port", "0"]);
    start(command)
}

/// One small sample site, built once for the whole file; tests that change
/// a site copy it first.
fn built_site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let tmp = tempfile::tempdir().unwrap();
            let data = tmp.path().join("data");
            sample(&data, 12, 2);
            let site = tmp.path().join("site");
            build(&data, &site, &["--quiet"]);
            (tmp, site)
        })
        .1
}

fn copy_tree(from: &Path, to: &Path) {
    for (relative, bytes) in common::files_of(from) {
        let path = to.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Sends `request` as it is and returns the status and the whole response
/// (the request should say `Connection: close`).
fn exchange(addr: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {response:?}"));
    (status, response)
}

fn get_with_host(addr: SocketAddr, path: &str, host: &str) -> (u16, String) {
    exchange(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    get_with_host(addr, path, &addr.to_string())
}

#[test]
fn only_loopback_host_names_with_the_port_get_content() {
    let server = serve(built_site());
    let port = server.addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, response) = get_with_host(server.addr, "/", &host);
        assert_eq!(status, 200, "{host}: {response}");
        assert!(response.contains("<html"), "{host}");
    }
    // DNS rebinding: a name that resolves to 127.0.0.1 is still not ours.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost.evil.example:{port}"),
        // Another port is another origin.
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("localhost:{}", port.wrapping_add(1)),
        // Without the port, the Host means port 80.
        "127.0.0.1".to_owned(),
        "localhost".to_owned(),
        format!("127.0.0.1:{port}@evil.example"),
        String::new(),
    ] {
        let (status, response) = get_with_host(server.addr, "/index.html", &host);
        assert_eq!(status, 421, "{host:?}: {response}");
        assert!(!response.contains("<html"), "{host:?}: {response}");
    }
    // No Host at all (HTTP/1.0), and an absolute URI naming another host.
    let (status, response) = exchange(server.addr, "GET /index.html HTTP/1.0\r\n\r\n");
    assert_eq!(status, 421, "{response}");
    let (status, response) = exchange(
        server.addr,
        &format!(
            "GET http://evil.example:{port}/index.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 421, "{response}");
    assert!(!response.contains("<html"));
}

#[test]
fn dotfiles_and_dot_folders_are_not_served() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(built_site(), &site);
    std::fs::create_dir_all(site.join(".git")).unwrap();
    std::fs::write(site.join(".git/config"), "[remote]").unwrap();
    std::fs::write(site.join(".env"), "SECRET=1").unwrap();
    let snapshot = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with("20"))
        .unwrap();
    assert!(site.join(&snapshot).join(".arsite-snapshot.json").is_file());
    let server = serve(&site);
    for path in [
        "/.arsite-site".to_owned(),
        "/.arsite-inputs.json".to_owned(),
        format!("/{snapshot}/.arsite-snapshot.json"),
        "/%2earsite-inputs.json".to_owned(),
        "/.git/config".to_owned(),
        "/.git/".to_owned(),
        "/.env".to_owned(),
        "/./.env".to_owned(),
    ] {
        let (status, response) = get(server.addr, &path);
        assert_eq!(status, 404, "{path}: {response}");
        for secret in ["SECRET", "[remote]", "\"snapshots\"", "\"inputs\""] {
            assert!(!response.contains(secret), "{path}: {response}");
        }
    }
    let (status, _) = get(server.addr, &format!("/{snapshot}/index.html"));
    assert_eq!(status, 200);
}

#[cfg(unix)]
#[test]
fn symbolic_links_never_lead_out_of_the_site() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "TOP-SECRET").unwrap();
    std::fs::write(outside.join("index.html"), "<p>TOP-SECRET</p>").unwrap();
    let site = tmp.path().join("site");
    copy_tree(built_site(), &site);
    symlink(outside.join("secret.txt"), site.join("leak.txt")).unwrap();
    symlink(&outside, site.join("leakdir")).unwrap();
    symlink("../outside/secret.txt", site.join("relative.txt")).unwrap();
    std::fs::create_dir_all(site.join("sub")).unwrap();
    symlink(outside.join("index.html"), site.join("sub/index.html")).unwrap();
    // A link that stays inside the site is fine.
    symlink("index.html", site.join("alias.html")).unwrap();
    let server = serve(&site);
    for path in [
        "/leak.txt",
        "/leakdir/secret.txt",
        "/leakdir/",
        "/leakdir",
        "/relative.txt",
        "/sub/",
        "/sub/index.html",
    ] {
        let (status, response) = get(server.addr, path);
        assert!(
            status == 404 || status == 403,
            "{path}: {status} {response}"
        );
        assert!(!response.contains("TOP-SECRET"), "{path}: {response}");
    }
    let (status, response) = get(server.addr, "/alias.html");
    assert_eq!(status, 200, "{response}");
    assert!(response.contains("<html"));

    // The site folder itself may be a link (e.g. to the current release).
    let linked = tmp.path().join("current");
    symlink(&site, &linked).unwrap();
    drop(server);
    let server = serve(&linked);
    assert_eq!(get(server.addr, "/index.html").0, 200);
    assert_eq!(get(server.addr, "/leak.txt").0, 404);
}

/// Runs `arsite serve ARGS --port 0` expecting it to exit by itself;
/// returns its exit code and stderr.
fn serve_refused(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let mut child = arsite()
        .arg("serve")
        .args(args)
        .args(["--port", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`arsite serve {args:?}` kept serving");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_folder_that_is_not_a_site_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("documents");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::write(plain.join("notes.txt"), "private").unwrap();
    let (code, stderr) = serve_refused(&[plain.as_os_str()]);
    assert_eq!(code, 78, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&*plain.to_string_lossy()), "{stderr}");
    assert!(stderr.contains(".arsite-site"), "{stderr}");

    let missing = tmp.path().join("missing");
    let (code, stderr) = serve_refused(&[missing.as_os_str()]);
    assert_eq!(code, 66, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&*missing.to_string_lossy()), "{stderr}");

    // In watch mode the build refuses to replace such a folder; serving it
    // anyway would publish it.
    let data = tmp.path().join("data");
    sample(&data, 5, 1);
    let (code, stderr) = serve_refused(&[plain.as_os_str(), "--watch".as_ref(), data.as_os_str()]);
    assert_eq!(code, 78, "{stderr}");
    assert!(stderr.contains(".arsite-site"), "{stderr}");
}

/// How the connection ended: closed (EOF or reset) within `wait`, or not.
fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            // A 408 or any other answer before the close is fine.
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn a_slow_header_client_is_cut_off_after_the_header_timeout() {
    let server = serve(built_site());
    let mut slow = TcpStream::connect(server.addr).unwrap();
    slow.write_all(b"GET /index.html HTTP/1.1\r\n").unwrap();
    let started = Instant::now();
    // One header byte a second: every byte is progress, none completes
    // the head. Bounded: stops at twice the timeout.
    let mut cut_off = false;
    while started.elapsed() < HEADER_TIMEOUT * 2 {
        if slow.write_all(b"X").is_err() || closed_within(&mut slow, Duration::from_secs(1)) {
            cut_off = true;
            break;
        }
    }
    let elapsed = started.elapsed();
    assert!(cut_off, "still open after {elapsed:?}");
    assert!(
        elapsed >= HEADER_TIMEOUT - Duration::from_secs(1),
        "cut off too early: {elapsed:?}"
    );
    // An idle keep-alive connection is closed after the same time.
    let mut idle = TcpStream::connect(server.addr).unwrap();
    let started = Instant::now();
    assert!(
        closed_within(&mut idle, HEADER_TIMEOUT * 2),
        "idle connection kept"
    );
    assert!(started.elapsed() >= HEADER_TIMEOUT - Duration::from_secs(1));
    // Meanwhile the server still answers.
    assert_eq!(get(server.addr, "/index.html").0, 200);
}

#[cfg(unix)]
#[test]
fn three_hundred_idle_connections_do_not_lock_out_a_real_request() {
    // As in the report: a process allowed 256 open files.
    let mut command = Command::new("sh");
    command
        .args(["-c", "ulimit -n 256 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_arsite"))
        .arg("serve")
        .arg(built_site())
        .args(["--port", "0"]);
    let server = start(command);
    let mut idle = Vec::new();
    for i in 0..300 {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        // Some send half a request head, some nothing at all.
        if i % 2 == 0 {
            stream.write_all(b"GET / HTTP/1.1\r\nHost: ").unwrap();
        }
        idle.push(stream);
    }
    for round in 0..3 {
        let started = Instant::now();
        let mut stream = TcpStream::connect(server.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        write!(
            stream,
            "GET /index.html HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        )
        .unwrap();
        let mut response = Vec::new();
        let read = stream.read_to_end(&mut response);
        let response = String::from_utf8_lossy(&response);
        assert!(
            read.is_ok() && response.starts_with("HTTP/1.1 200"),
            "round {round}: no answer within {:?} with 300 idle connections: {read:?} {response}",
            started.elapsed()
        );
        // More idle connections between rounds.
        for _ in 0..50 {
            idle.push(TcpStream::connect(server.addr).unwrap());
        }
    }
    drop(idle);
}

#[test]
fn watch_mode_is_guarded_too_and_idle_clients_never_close_an_event_stream() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    sample(&data, 5, 1);
    let site = tmp.path().join("site");
    let mut command = arsite();
    command
        .arg("serve")
        .arg(&site)
        .args(["--port", "0", "--watch"])
        .arg(&data);
    let server = start(command);
    let port = server.addr.port();
    for path in ["/__arsite/reload.js", "/__arsite/events", "/index.html"] {
        let (status, response) = get_with_host(server.addr, path, &format!("evil.example:{port}"));
        assert_eq!(status, 421, "{path}: {response}");
    }
    assert_eq!(get(server.addr, "/.arsite-site").0, 404);
    assert_eq!(get(server.addr, "/__arsite/reload.js").0, 200);

    // An open page's event stream is a request in progress: however many
    // idle connections come, it is never the one that gives way.
    let mut events = TcpStream::connect(server.addr).unwrap();
    write!(
        events,
        "GET /__arsite/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
        server.addr
    )
    .unwrap();
    events.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut head = [0u8; 12];
    events.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    let idle: Vec<TcpStream> = (0..150)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    assert_eq!(get(server.addr, "/index.html").0, 200);
    // Nor does the header timeout end it: it only bounds waiting for a
    // request, not sending a response.
    assert!(
        !closed_within(&mut events, HEADER_TIMEOUT + Duration::from_secs(2)),
        "the event stream was closed"
    );
    drop(idle);
}
