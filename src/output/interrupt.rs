//! Temporary report files removed when a run is interrupted.
//!
//! Every temporary file an [`Output`](super::Output) writes is registered
//! here while it exists. An error, or a panic unwinding, drops it (tempfile
//! deletes it); a signal does not unwind, so [`remove_temporaries_on_signal`]
//! installs a handler (SIGINT, SIGTERM, SIGHUP) that deletes every
//! registered file and exits with status 130. Renaming a finished report
//! into place holds the same lock, so a signal never removes a report
//! half-renamed, and never leaves a half report: the file at the target path
//! is the old one or the whole new one.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Temporary files alive now, by registration number.
static LIVE: Mutex<BTreeMap<u64, PathBuf>> = Mutex::new(BTreeMap::new());
static NEXT: AtomicU64 = AtomicU64::new(0);

/// The exit status of a run ended by a signal (128 + SIGINT, as shells use).
pub const INTERRUPTED: i32 = 130;

fn live() -> std::sync::MutexGuard<'static, BTreeMap<u64, PathBuf>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A registered temporary file: dropping it takes it off the list.
#[derive(Debug)]
pub struct Registered(u64);

/// Registers `path` for removal on a signal.
pub fn register(path: PathBuf) -> Registered {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    live().insert(id, path);
    Registered(id)
}

impl Registered {
    /// Runs `rename` (which moves the file into place) with the list locked,
    /// and takes the file off it.
    pub fn persist<R>(self, rename: impl FnOnce() -> R) -> R {
        let mut live = live();
        let result = rename();
        live.remove(&self.0);
        drop(live);
        std::mem::forget(self);
        result
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        live().remove(&self.0);
    }
}

/// Installs the signal handler (the binary calls it once, first thing).
/// Failing to install it is not fatal: the run goes on without it.
pub fn remove_temporaries_on_signal() {
    let _ = ctrlc::set_handler(|| {
        // The list stays locked to the end: no report is renamed into
        // place after this, and none is left half-renamed.
        let live = live();
        for path in live.values() {
            let _ = std::fs::remove_file(path);
        }
        std::process::exit(INTERRUPTED);
    });
}
