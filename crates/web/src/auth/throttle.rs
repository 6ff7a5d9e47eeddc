//! Login throttling: failures are counted per account name and per client address in a fixed window;
//! past the limit the key is locked for a while, and the message says until when.

use chrono::{DateTime, Duration, Utc};
use tiendo_db::identity::{self, Throttle};

use crate::error::AppError;
use crate::state::AppState;

/// A throttling rule.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Failures allowed in a window before locking.
    pub max_failures: i64,
    /// The counting window.
    pub window: Duration,
    /// How long a lock lasts.
    pub lock: Duration,
}

/// Per account name: five failures in fifteen minutes lock the name for fifteen minutes. Unknown names
/// are counted the same way, so the lock reveals nothing about which accounts exist.
pub const PER_ACCOUNT: Limit = Limit { max_failures: 5, window: Duration::minutes(15), lock: Duration::minutes(15) };

/// Per client address: thirty failures in fifteen minutes (password spraying over many names).
pub const PER_IP: Limit = Limit { max_failures: 30, window: Duration::minutes(15), lock: Duration::minutes(15) };

/// The key of an account name.
pub fn account_key(username: &str) -> String {
    format!("user:{}", username.trim().to_lowercase())
}

/// The key of a client address.
pub fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// The state after one more failure.
pub fn after_failure(previous: Option<&Throttle>, limit: Limit, now: DateTime<Utc>) -> Throttle {
    let (failures, window_start) = match previous {
        Some(p) if now - p.window_start < limit.window => (p.failures + 1, p.window_start),
        _ => (1, now),
    };
    let locked_until = if failures >= limit.max_failures {
        Some(now + limit.lock)
    } else {
        previous.and_then(|p| p.locked_until).filter(|t| *t > now)
    };
    Throttle { failures, window_start, locked_until }
}

/// The latest lock among the keys that is still in force.
pub async fn locked_until(
    state: &AppState,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let mut latest = None;
    for key in keys {
        if let Some(t) = identity::throttle(state.db(), key).await?.and_then(|t| t.locked_until).filter(|t| *t > now) {
            latest = latest.max(Some(t));
        }
    }
    Ok(latest)
}

/// Records a failure for a key.
pub async fn record_failure(state: &AppState, key: &str, limit: Limit, now: DateTime<Utc>) -> Result<(), AppError> {
    let previous = identity::throttle(state.db(), key).await?;
    identity::save_throttle(state.db(), key, &after_failure(previous.as_ref(), limit, now)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_in_the_window_locks() {
        let t0 = Utc::now();
        let mut state = None;
        for i in 1..=4 {
            let next = after_failure(state.as_ref(), PER_ACCOUNT, t0 + Duration::minutes(i));
            assert_eq!(next.failures, i);
            assert_eq!(next.locked_until, None);
            state = Some(next);
        }
        let locked = after_failure(state.as_ref(), PER_ACCOUNT, t0 + Duration::minutes(5));
        assert_eq!(locked.locked_until, Some(t0 + Duration::minutes(20)));
    }

    #[test]
    fn failures_outside_the_window_start_a_new_count() {
        let t0 = Utc::now();
        let old = Throttle { failures: 4, window_start: t0, locked_until: None };
        let next = after_failure(Some(&old), PER_ACCOUNT, t0 + Duration::minutes(16));
        assert_eq!((next.failures, next.locked_until), (1, None));
    }
}
