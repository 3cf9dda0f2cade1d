//! The worker pool every parallel step runs on: rayon threads, started on first
//! use (as many as cores, or `RAYON_NUM_THREADS`, or [`set_threads`]).
//!
//! Not rayon's global pool, for one reason: `fork()`. A child forked from a
//! process whose pool has started (Python's `ProcessPoolExecutor` on Linux, a
//! daemon that forks per request) inherits a pool with no threads, and the first
//! parallel step would wait for ever. Here the pool remembers the process that
//! started it; in a forked child the next step starts a new pool.

use std::sync::{Arc, Mutex};

struct State {
    pid: u32,
    pool: Arc<rayon::ThreadPool>,
}

static POOL: Mutex<Option<State>> = Mutex::new(None);
static THREADS: Mutex<Option<usize>> = Mutex::new(None);

/// Sets the number of worker threads for pools started from now on (0: one per
/// core). Returns false, changing nothing, if this process's pool has started.
pub fn set_threads(n: usize) -> bool {
    let pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
    if pool.as_ref().is_some_and(|s| s.pid == std::process::id()) {
        return false;
    }
    *THREADS.lock().unwrap_or_else(|e| e.into_inner()) = Some(n);
    true
}

fn pool() -> Arc<rayon::ThreadPool> {
    let mut guard = POOL.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    if let Some(s) = guard.as_ref().filter(|s| s.pid == pid) {
        return s.pool.clone();
    }
    let threads = THREADS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .unwrap_or(0);
    let mut builder = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("nhos-{i}"))
        .num_threads(threads);
    if threads == 0 {
        builder = builder.num_threads(
            std::env::var("RAYON_NUM_THREADS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        );
    }
    let pool = match builder.build() {
        Ok(p) => Arc::new(p),
        // No threads could be started: run on one, the calling thread's pool.
        Err(_) => Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .use_current_thread()
                .build()
                .unwrap_or_else(|_| unreachable_pool()),
        ),
    };
    if let Some(old) = guard.replace(State {
        pid,
        pool: pool.clone(),
    }) {
        // The parent's pool: its threads do not exist in this (forked) process, so
        // it must not be dropped (dropping would wait on them).
        std::mem::forget(old);
    }
    pool
}

#[cold]
fn unreachable_pool() -> rayon::ThreadPool {
    panic!("nhos: no worker thread could be started")
}

/// Runs `f` on the pool: every rayon parallel iterator inside it uses the pool.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    pool().install(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_in_parallel_on_named_threads() {
        use rayon::prelude::*;
        let names: Vec<String> = install(|| {
            (0..64)
                .into_par_iter()
                .map(|_| std::thread::current().name().unwrap_or("").to_owned())
                .collect()
        });
        assert!(names.iter().all(|n| n.starts_with("nhos-")), "{names:?}");
        assert!(!set_threads(3), "the pool has started in this process");
    }
}
