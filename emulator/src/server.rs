//! Accepting and keeping connections: a bounded number of them, each closed
//! when it idles or dawdles over a request head, and a shutdown with a
//! deadline. Written on hyper's connection API rather than `axum::serve`,
//! which offers neither timeouts nor a connection limit.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_util::task::AtomicWaker;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

use super::handler::{self, Answer, App};

/// How many connections over the limit may wait for their `503` at once;
/// beyond that they are closed unanswered.
const MAX_REFUSING: usize = 64;

/// Serves `listener` until `stop` turns true (or its sender is dropped),
/// then lets open exchanges finish until the shutdown timeout and closes
/// whatever is left.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Arc<App>,
    max_connections: usize,
    mut stop: watch::Receiver<bool>,
) {
    let registry = Arc::new(Registry {
        slots: Mutex::new(BTreeMap::new()),
        max: max_connections,
        next_id: AtomicU64::new(0),
    });
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let mut tasks = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    match registry.admit() {
                        Some((id, slot)) => {
                            let connection = connection(stream, Arc::clone(&app), slot);
                            let registry = Arc::clone(&registry);
                            tasks.spawn(async move {
                                connection.await;
                                registry.remove(id);
                            });
                        }
                        None => {
                            if let Ok(permit) = Arc::clone(&refusing).try_acquire_owned() {
                                let wait = app.timeouts.header_read;
                                tasks.spawn(async move {
                                    let _ = tokio::time::timeout(wait, refuse(stream)).await;
                                    drop(permit);
                                });
                            }
                        }
                    }
                }
                Err(error) => {
                    // Out of file descriptors, typically: wait for some to close.
                    tracing::warn!(%error, "emulator: accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            _ = stop.changed() => break,
        }
    }
    drop(listener);
    registry.close_all(Closing::Finish);
    let drained = tokio::time::timeout(app.timeouts.shutdown, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = tasks.len(),
            "emulator: closing the connections left at the shutdown deadline"
        );
        tasks.shutdown().await;
    }
}

/// Answers the one request of a connection over the limit with `503`.
async fn refuse(stream: TcpStream) {
    let service = service_fn(
        |request: hyper::Request<hyper::body::Incoming>| async move {
            Ok::<_, Infallible>(handler::over_capacity(request.headers()))
        },
    );
    let _ = http1::Builder::new()
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// Serves one connection until it ends, idles, dawdles over a request
/// head, is evicted, or the server stops (then finishes the exchange under
/// way and closes).
async fn connection(stream: TcpStream, app: Arc<App>, slot: Arc<Slot>) {
    let io = TokioIo::new(Watched {
        stream,
        slot: Arc::clone(&slot),
    });
    let service = {
        let slot = Arc::clone(&slot);
        let app = Arc::clone(&app);
        service_fn(move |request| {
            let slot = Arc::clone(&slot);
            let app = Arc::clone(&app);
            async move {
                slot.busy.store(true, Ordering::Relaxed);
                let answer = handler::handle(&app, request).await;
                slot.ready();
                match answer {
                    Answer::Respond(response) => Ok(response),
                    Answer::Reset => {
                        slot.reset.store(true, Ordering::Relaxed);
                        Err(ResetOnPurpose)
                    }
                }
            }
        })
    };
    let connection = http1::Builder::new().serve_connection(io, service);
    tokio::pin!(connection);
    let mut stopping = false;
    let timeouts = app.timeouts;
    let deadline = || slot.deadline(timeouts.idle, timeouts.header_read);
    let recheck = || Instant::now() + timeouts.body_read;
    let mut armed = deadline().unwrap_or_else(recheck);
    let timer = tokio::time::sleep_until(armed.into());
    tokio::pin!(timer);
    // Hand-polled rather than `select!` over a timer and notifications: a
    // request that arrives whole then costs no timer operation and no lock;
    // the timer moves only when a deadline comes earlier (a head left
    // half-sent), and eviction and shutdown arrive through the slot.
    std::future::poll_fn(|cx| {
        slot.waker.register(cx.waker());
        match slot.closing.load(Ordering::Acquire) {
            EVICT => return Poll::Ready(()),
            FINISH if !stopping => {
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
            _ => {}
        }
        if connection.as_mut().poll(cx).is_ready() {
            return Poll::Ready(());
        }
        if let Some(due) = deadline().filter(|due| *due < armed) {
            armed = due;
            timer.as_mut().reset(due.into());
        }
        while timer.as_mut().poll(cx).is_ready() {
            match deadline() {
                Some(due) if due <= Instant::now() => return Poll::Ready(()),
                next => armed = next.unwrap_or_else(recheck),
            }
            timer.as_mut().reset(armed.into());
        }
        Poll::Pending
    })
    .await;
}

/// The error that makes hyper drop a connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("the emulator resets this connection on purpose")]
struct ResetOnPurpose;

/// The open connections, oldest first.
struct Registry {
    slots: Mutex<BTreeMap<u64, Arc<Slot>>>,
    max: usize,
    next_id: AtomicU64,
}

impl Registry {
    /// A slot for a new connection. At the limit, the oldest connection that
    /// is waiting for a request makes room (one that has not begun to send
    /// it first); when all are mid-request, `None`.
    fn admit(&self) -> Option<(u64, Arc<Slot>)> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if slots.len() >= self.max {
            let victim = slots
                .iter()
                .find(|(_, slot)| slot.is_idle())
                .or_else(|| slots.iter().find(|(_, slot)| slot.is_waiting()))
                .map(|(id, _)| *id)?;
            if let Some(slot) = slots.remove(&victim) {
                slot.close(Closing::Evict);
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(Slot::new());
        slots.insert(id, Arc::clone(&slot));
        Some((id, slot))
    }

    fn close_all(&self, closing: Closing) {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        for slot in slots.values() {
            slot.close(closing);
        }
    }

    fn remove(&self, id: u64) {
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
    }
}

/// What one connection is doing, for its timeouts and for eviction.
struct Slot {
    opened: Instant,
    /// A request is being handled.
    busy: AtomicBool,
    /// Milliseconds after `opened` since when it waits for a request.
    ready_at: AtomicU64,
    /// Milliseconds after `opened`, plus one, when the first byte of the
    /// next request head came; 0 while none has.
    head_at: AtomicU64,
    /// Close with a reset rather than a FIN.
    reset: AtomicBool,
    /// [`Closing`] asked of the connection's task, woken through `waker`.
    closing: AtomicU8,
    waker: AtomicWaker,
}

/// What a connection's task is asked to do from outside.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Closing {
    /// Close now, to make room for a new connection.
    Evict = EVICT,
    /// Finish the exchange under way, then close (shutdown).
    Finish = FINISH,
}

const EVICT: u8 = 1;
const FINISH: u8 = 2;

impl Slot {
    fn new() -> Self {
        Self {
            opened: Instant::now(),
            busy: AtomicBool::new(false),
            ready_at: AtomicU64::new(0),
            head_at: AtomicU64::new(0),
            reset: AtomicBool::new(false),
            closing: AtomicU8::new(0),
            waker: AtomicWaker::new(),
        }
    }

    fn close(&self, closing: Closing) {
        self.closing.store(closing as u8, Ordering::Release);
        self.waker.wake();
    }

    fn millis(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn at(&self, millis: u64) -> Instant {
        self.opened + Duration::from_millis(millis)
    }

    /// The answer is out: wait for the next request.
    fn ready(&self) {
        self.head_at.store(0, Ordering::Relaxed);
        self.ready_at.store(self.millis(), Ordering::Relaxed);
        self.busy.store(false, Ordering::Relaxed);
    }

    fn saw_bytes(&self) {
        if !self.busy.load(Ordering::Relaxed) && self.head_at.load(Ordering::Relaxed) == 0 {
            self.head_at.store(self.millis() + 1, Ordering::Relaxed);
        }
    }

    /// Waiting for a request, not a byte of it sent yet.
    fn is_idle(&self) -> bool {
        self.is_waiting() && self.head_at.load(Ordering::Relaxed) == 0
    }

    /// Waiting for a request, or for the rest of its head.
    fn is_waiting(&self) -> bool {
        !self.busy.load(Ordering::Relaxed)
    }

    /// When the connection is to be closed unless it makes progress; none
    /// while a request is handled (the handler bounds its body read).
    fn deadline(&self, idle: Duration, header_read: Duration) -> Option<Instant> {
        if self.busy.load(Ordering::Relaxed) {
            return None;
        }
        Some(match self.head_at.load(Ordering::Relaxed) {
            0 => self.at(self.ready_at.load(Ordering::Relaxed)) + idle,
            head => self.at(head - 1) + header_read,
        })
    }
}

/// A connection's stream that tells its slot when a request head begins,
/// and resets the connection when dropped if a fault asked for it.
struct Watched {
    stream: TcpStream,
    slot: Arc<Slot>,
}

impl Drop for Watched {
    fn drop(&mut self) {
        if self.slot.reset.load(Ordering::Relaxed) {
            // A zero linger makes the close send RST: the client sees a
            // reset, not an orderly end. Tokio deprecates `set_linger`
            // because a non-zero linger blocks on close; zero never does.
            #[allow(deprecated)]
            let _ = self.stream.set_linger(Some(Duration::ZERO));
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.slot.saw_bytes();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
