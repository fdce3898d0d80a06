//! Bounds on costly or probing work, per instance: a gate lets a few through at once (password
//! hashing: 19 MiB of Argon2 each; workbook parsing), the rest wait a while and then get a clear
//! 请稍后再试; a rate limit counts an account's calls in a window (the member search).

use std::{
    collections::HashMap,
    hash::Hash,
    sync::Mutex,
    time::{Duration, Instant},
};

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::{AppError, AppResult};

pub struct Gate {
    permits: Semaphore,
    wait: Duration,
    busy: &'static str,
}

impl Gate {
    pub const fn new(permits: usize, wait: Duration, busy: &'static str) -> Self {
        Gate { permits: Semaphore::const_new(permits), wait, busy }
    }

    /// A place inside the gate, held until the permit is dropped; refused with the gate's
    /// message after waiting its time.
    pub async fn enter(&self) -> AppResult<SemaphorePermit<'_>> {
        match tokio::time::timeout(self.wait, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AppError::Locked { message: self.busy.into() }),
        }
    }
}

/// Password hashes and checks at once: four of 19 MiB each, whatever a flood of logins sends.
pub static PASSWORD_HASHING: Gate = Gate::new(4, Duration::from_secs(5), "当前登录的人较多，请稍后再试。");

/// Uploaded workbooks read at once: two, each up to a 100,000-row sheet in memory.
pub static WORKBOOK_PARSING: Gate = Gate::new(2, Duration::from_secs(120), "当前正在检查的导入文件较多，请稍后再试。");

/// Member searches an account may make a minute on an instance (each, whatever it finds, a probe
/// of numbers); the limit lives in `AppState`.
pub const MEMBER_SEARCHES_PER_MINUTE: u32 = 30;

/// At most `max` calls per key in each `window` (a fixed window, reset when it has passed).
#[derive(Debug)]
pub struct RateLimit<K> {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<K, (Instant, u32)>>,
}

impl<K: Hash + Eq + Copy> RateLimit<K> {
    pub fn new(max: u32, window: Duration) -> Self {
        RateLimit { max, window, seen: Mutex::new(HashMap::new()) }
    }

    /// Counts a call for `key`; `false` once the key has had `max` in the current window.
    pub fn allow(&self, key: K) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 10_000 {
            let window = self.window;
            seen.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = seen.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.max {
            return false;
        }
        entry.1 += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_gate_answers_with_its_message_after_waiting() {
        let gate = Gate::new(1, Duration::from_millis(20), "请稍后再试。");
        let held = gate.enter().await.unwrap();
        match gate.enter().await {
            Err(AppError::Locked { message }) => assert_eq!(message, "请稍后再试。"),
            other => panic!("{other:?}"),
        }
        drop(held);
        assert!(gate.enter().await.is_ok(), "open again once the place is free");
    }

    #[test]
    fn a_rate_limit_counts_each_key_in_its_window() {
        let limit = RateLimit::new(3, Duration::from_millis(50));
        assert!((0..3).all(|_| limit.allow(1)));
        assert!(!limit.allow(1), "the fourth call in the window");
        assert!(limit.allow(2), "another account has its own count");
        std::thread::sleep(Duration::from_millis(60));
        assert!(limit.allow(1), "a new window");
    }
}
