//! The accept loop of `serve`, bounded: a thread per connection up to
//! [`MAX_CONNECTIONS`]; past it, the connection that has waited longest without sending
//! its request head is dropped, so slow or idle clients cannot starve a reader's
//! request; a failed accept (out of file descriptors) backs off instead of spinning.

use std::collections::VecDeque;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How many connections are handled at once before the slowest is dropped.
pub const MAX_CONNECTIONS: usize = 256;

/// How long to wait after a failed accept.
const ACCEPT_BACK_OFF: Duration = Duration::from_millis(20);

/// The connections still reading their request head, oldest first.
#[derive(Default)]
pub struct Pending {
    waiting: Mutex<VecDeque<(u64, TcpStream)>>,
    next_id: AtomicU64,
    active: AtomicUsize,
}

/// A connection being handled; it leaves the count when dropped.
pub struct Slot {
    pending: Arc<Pending>,
    id: u64,
}

impl Slot {
    /// The request head has arrived: the connection can no longer be dropped as slow.
    pub fn head_received(&self) {
        self.pending
            .waiting
            .lock()
            .expect("the pending list is never poisoned")
            .retain(|(id, _)| *id != self.id);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.head_received();
        self.pending.active.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Pending {
    /// Takes a slot for `stream`, first dropping the oldest connection still waiting for
    /// its head when all are taken. `None` when the stream cannot be tracked (out of file
    /// descriptors) or when every slot is a connection past its head twice over.
    fn admit(self: &Arc<Self>, stream: &TcpStream) -> Option<Slot> {
        let mut waiting = self
            .waiting
            .lock()
            .expect("the pending list is never poisoned");
        let active = self.active.load(Ordering::Relaxed);
        if active >= MAX_CONNECTIONS {
            match waiting.pop_front() {
                Some((_, oldest)) => {
                    let _ = oldest.shutdown(Shutdown::Both);
                }
                None if active >= 2 * MAX_CONNECTIONS => return None,
                None => {}
            }
        }
        let tracked = stream.try_clone().ok()?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        waiting.push_back((id, tracked));
        self.active.fetch_add(1, Ordering::Relaxed);
        Some(Slot {
            pending: Arc::clone(self),
            id,
        })
    }
}

/// Accepts connections on `listener` until the process ends, running `handle` on a
/// thread for each one admitted.
pub fn accept_loop(
    listener: TcpListener,
    handle: impl Fn(TcpStream, Slot) + Send + Sync + 'static,
) {
    let pending = Arc::new(Pending::default());
    let handle = Arc::new(handle);
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(_) => {
                std::thread::sleep(ACCEPT_BACK_OFF);
                continue;
            }
        };
        let Some(slot) = pending.admit(&stream) else {
            continue;
        };
        let handle = Arc::clone(&handle);
        let spawned = std::thread::Builder::new().spawn(move || handle(stream, slot));
        if spawned.is_err() {
            std::thread::sleep(ACCEPT_BACK_OFF);
        }
    }
}
