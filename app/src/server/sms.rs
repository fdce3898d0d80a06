//! The SMS gateway that carries 短信验证码: an HTTP POST of the phone number and the text to
//! `UNIONCARD_SMS_URL`, as JSON `{"phone": …, "text": …}`, answered with any 2xx. Without a
//! gateway (the demo and the tests) the text goes to the server log and members are told they
//! are on a demonstration system.

use std::{
    sync::{
        atomic::{AtomicI64, AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use super::db::now;

/// How long the gateway may take before the member is told it failed.
pub const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub enum Gateway {
    /// No gateway: codes are written to the server log (演示环境).
    Log,
    Http {
        url: String,
        client: reqwest::Client,
        health: Arc<Health>,
    },
}

/// What the last calls to the gateway showed: how long one takes, and when one last failed.
/// A request for someone who is not a member waits about as long as a real send, and is told
/// the gateway is down while it is, so neither answer tells a member from a stranger.
#[derive(Debug, Default)]
pub struct Health {
    /// A moving average of a successful send, in microseconds.
    average_micros: AtomicU64,
    /// When a send last failed (seconds since the epoch), 0 for never.
    failed_at: AtomicI64,
}

/// A failure is news for this long: requests meanwhile are told the gateway is down.
const FAILURE_NEWS_SECS: i64 = 60;

impl Gateway {
    /// The gateway at `url`, or the log when there is none.
    pub fn from_url(url: Option<String>) -> Gateway {
        match url.filter(|u| !u.trim().is_empty()) {
            None => Gateway::Log,
            Some(url) => {
                let client = reqwest::Client::builder().timeout(TIMEOUT).build().expect("an HTTP client");
                Gateway::Http { url, client, health: Arc::default() }
            }
        }
    }

    /// Whether members are told they are on a demonstration system.
    pub fn is_demo(&self) -> bool {
        matches!(self, Gateway::Log)
    }

    /// Sends `text` to `phone`. `Err` when the gateway did not take it (logged).
    pub async fn send(&self, phone: &str, text: &str) -> Result<(), ()> {
        match self {
            Gateway::Log => {
                tracing::info!(phone = %super::super::domain::phone::mask(phone), text, "SMS (no gateway configured)");
                Ok(())
            }
            Gateway::Http { url, client, health } => {
                let started = Instant::now();
                let outcome = client
                    .post(url)
                    .json(&serde_json::json!({ "phone": phone, "text": text }))
                    .send()
                    .await
                    .and_then(|r| r.error_for_status());
                match outcome {
                    Ok(_) => {
                        let took = started.elapsed().as_micros().min(u64::MAX as u128) as u64;
                        let old = health.average_micros.load(Ordering::Relaxed);
                        let new = if old == 0 { took } else { (old * 7 + took) / 8 };
                        health.average_micros.store(new, Ordering::Relaxed);
                        Ok(())
                    }
                    Err(e) => {
                        health.failed_at.store(now(), Ordering::Relaxed);
                        tracing::error!(error = %e, "SMS gateway failed");
                        Err(())
                    }
                }
            }
        }
    }

    /// What a request for someone who is not a member does in place of a send: waits about as
    /// long, and fails while the gateway is known to be failing.
    pub async fn pretend(&self) -> Result<(), ()> {
        let Gateway::Http { health, .. } = self else { return Ok(()) };
        if now() - health.failed_at.load(Ordering::Relaxed) < FAILURE_NEWS_SECS {
            return Err(());
        }
        let micros = health.average_micros.load(Ordering::Relaxed);
        tokio::time::sleep(Duration::from_micros(micros.min(TIMEOUT.as_micros() as u64))).await;
        Ok(())
    }
}
