//! The accept loop of `arsite serve`, in place of `axum::serve` (which sets
//! no header-read timeout and no connection cap): idle and slow clients
//! cannot take the server away from a real one.
//!
//! - [`HEADER_TIMEOUT`]: a connection must deliver a complete request head
//!   within this time of opening, and again within this time after each
//!   response (hyper's HTTP/1 header-read timer runs from the moment it
//!   starts waiting for a head, so it is the idle keep-alive timeout too);
//!   otherwise it is closed. A response being sent (a large file, the live
//!   reload event stream) is not limited.
//! - [`MAX_CONNECTIONS`] open at once, so that a connection and the one
//!   file it may be sending stay well within a small open-files limit
//!   (`ulimit -n 256`). When all are taken, a new connection closes the one
//!   that has been idle longest (no request in progress: a browser's spare
//!   keep-alive connection, or a client that never sent a request); a
//!   browser simply opens another. Only when every connection is busy does
//!   a new one wait for a free place (in the listen queue).

use anyhow::Result;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::Router;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// Browsers open at most about six connections per site; the rest is
/// headroom for several tabs and their event streams.
pub const MAX_CONNECTIONS: usize = 100;
/// Browsers send a request head in one go, far within this.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Pause after a failed accept (typically: out of file descriptors), so
/// that the loop does not spin while closed connections free some.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// While every connection is busy, how often to look for one that became
/// idle (and can give way) besides waiting for one to close.
const RETRY: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until the future is dropped.
pub async fn run(listener: TcpListener, app: Router) -> Result<()> {
    let table = Arc::new(Table::new(MAX_CONNECTIONS));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let http = Arc::new(http);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                table.evict_longest_idle();
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let place = table.admit().await;
        // Event-stream chunks are small; send them at once.
        let _ = stream.set_nodelay(true);
        let (app, http) = (app.clone(), Arc::clone(&http));
        tokio::spawn(async move {
            let state = Arc::clone(&place.state);
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let busy = Busy::start(Arc::clone(&state));
                let app = app.clone();
                async move {
                    let response = app.oneshot(request).await?;
                    Ok::<_, Infallible>(
                        response.map(|body| Body::new(Tracked { body, _busy: busy })),
                    )
                }
            });
            let mut serving = pin!(http.serve_connection(TokioIo::new(stream), service));
            loop {
                tokio::select! {
                    _ = serving.as_mut() => break,
                    () = place.state.evict.notified() => {
                        // A request may have arrived since it was chosen.
                        if place.state.busy.load(Ordering::SeqCst) == 0 {
                            break;
                        }
                        place.state.evicting.store(false, Ordering::SeqCst);
                    }
                }
            }
            // Dropping the connection closes it; dropping `place` frees it.
        });
    }
}

/// The open connections, for the cap and for choosing which gives way.
struct Table {
    places: Arc<Semaphore>,
    open: Mutex<HashMap<u64, Arc<ConnState>>>,
    next_id: AtomicU64,
    epoch: Instant,
}

struct ConnState {
    id: u64,
    /// Requests whose response has not been sent completely yet.
    busy: AtomicUsize,
    /// Milliseconds since the table's epoch at which `busy` last fell to 0.
    idle_since: AtomicU64,
    epoch: Instant,
    evict: Notify,
    evicting: AtomicBool,
}

impl ConnState {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// One connection's place in the table, given back on drop.
struct Place {
    table: Arc<Table>,
    state: Arc<ConnState>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Ok(mut open) = self.table.open.lock() {
            open.remove(&self.state.id);
        }
    }
}

impl Table {
    fn new(cap: usize) -> Table {
        Table {
            places: Arc::new(Semaphore::new(cap)),
            open: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    /// A place for a new connection: a free one, or one made by closing the
    /// longest-idle connection; waits while every connection is busy.
    async fn admit(self: &Arc<Self>) -> Place {
        let permit = loop {
            if let Ok(permit) = Arc::clone(&self.places).try_acquire_owned() {
                break permit;
            }
            self.evict_longest_idle();
            let wait = Arc::clone(&self.places).acquire_owned();
            if let Ok(Ok(permit)) = tokio::time::timeout(RETRY, wait).await {
                break permit;
            }
        };
        let state = Arc::new(ConnState {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
            epoch: self.epoch,
            evict: Notify::new(),
            evicting: AtomicBool::new(false),
        });
        state.idle_since.store(state.now(), Ordering::SeqCst);
        if let Ok(mut open) = self.open.lock() {
            open.insert(state.id, Arc::clone(&state));
        }
        Place {
            table: Arc::clone(self),
            state,
            _permit: permit,
        }
    }

    /// Asks the connection idle for longest to close; `false` if every
    /// connection is busy (or already asked).
    fn evict_longest_idle(&self) -> bool {
        let Ok(open) = self.open.lock() else {
            return false;
        };
        let victim = open
            .values()
            .filter(|c| c.busy.load(Ordering::SeqCst) == 0 && !c.evicting.load(Ordering::SeqCst))
            .min_by_key(|c| c.idle_since.load(Ordering::SeqCst));
        match victim {
            Some(c) => {
                c.evicting.store(true, Ordering::SeqCst);
                // Stored if the connection's task is not waiting right now.
                c.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Counts a request as in progress until its response body is dropped
/// (sent completely, or the connection ended).
struct Busy(Arc<ConnState>);

impl Busy {
    fn start(state: Arc<ConnState>) -> Busy {
        state.busy.fetch_add(1, Ordering::SeqCst);
        Busy(state)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        // Idle from now: stamped before the count falls, so the connection
        // never looks idle with an old stamp.
        self.0.idle_since.store(self.0.now(), Ordering::SeqCst);
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response body that holds its request's [`Busy`].
struct Tracked {
    body: Body,
    _busy: Busy,
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_table_closes_the_longest_idle_connection_and_never_a_busy_one() {
        let table = Arc::new(Table::new(2));
        let a = table.admit().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
        let b = table.admit().await;
        // `a` has been idle longer, but is now serving a request: `b` gives way.
        let request = Busy::start(Arc::clone(&a.state));
        assert!(table.evict_longest_idle());
        assert!(b.state.evicting.load(Ordering::SeqCst));
        assert!(!a.state.evicting.load(Ordering::SeqCst));
        // `b` already asked, `a` busy: nobody else to ask.
        assert!(!table.evict_longest_idle());
        drop(b);
        let c = table.admit().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
        // `a`'s response is sent: idle from now, so for less time than `c`.
        drop(request);
        assert!(table.evict_longest_idle());
        assert!(c.state.evicting.load(Ordering::SeqCst));
        assert!(!a.state.evicting.load(Ordering::SeqCst));
    }
}
