//! Login throttling: failures are counted per account name and per client address in a fixed window;
//! past the limit the key is locked for a while, and the message says until when.

use chrono::{DateTime, Duration, Utc};
use tiendo_db::identity::{self, Throttle};

use crate::{App, Result};

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

/// The keys of a sign-in attempt with their limits: the account name, and the client address when known.
pub fn keys(username: &str, ip: Option<&str>) -> Vec<(String, Limit)> {
    let mut keys = vec![(account_key(username), PER_ACCOUNT)];
    if let Some(ip) = ip {
        keys.push((ip_key(ip), PER_IP));
    }
    keys
}

/// Whether an attempt that made the count `attempts` is allowed; the lock to set when the limit is
/// reached. The limit's last attempt is still checked (and locks if it fails); later ones are refused
/// without checking the password.
pub fn decide(attempt: &Throttle, limit: Limit, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
    if let Some(until) = attempt.locked_until.filter(|t| *t > now) {
        return Err(until);
    }
    if attempt.failures > limit.max_failures {
        return Err(now + limit.lock);
    }
    Ok(())
}

/// Counts an attempt on every key before the password is checked, so that parallel attempts are counted
/// too; `Err(until)` when one key is locked (the lock is recorded).
pub(crate) async fn begin_attempt(
    app: &App,
    keys: &[(String, Limit)],
    now: DateTime<Utc>,
) -> Result<Result<(), DateTime<Utc>>> {
    let mut refused: Option<DateTime<Utc>> = None;
    for (key, limit) in keys {
        let attempt = identity::count_attempt(app.db(), key, now, now - limit.window).await?;
        if let Err(until) = decide(&attempt, *limit, now) {
            identity::lock_throttle(app.db(), key, until).await?;
            refused = refused.max(Some(until));
        }
    }
    Ok(match refused {
        Some(until) => Err(until),
        None => Ok(()),
    })
}

/// After a failed check: a key whose count reached its limit is locked.
pub(crate) async fn failed(app: &App, keys: &[(String, Limit)], now: DateTime<Utc>) -> Result<()> {
    for (key, limit) in keys {
        if let Some(t) = identity::throttle(app.db(), key).await?
            && t.failures >= limit.max_failures
        {
            identity::lock_throttle(app.db(), key, now + limit.lock).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_attempt_is_checked_and_later_ones_are_refused() {
        let now = Utc::now();
        let at = |failures| Throttle { failures, window_start: now, locked_until: None };
        for n in 1..=5 {
            assert_eq!(decide(&at(n), PER_ACCOUNT, now), Ok(()), "attempt {n}");
        }
        assert_eq!(decide(&at(6), PER_ACCOUNT, now), Err(now + Duration::minutes(15)));
        let locked = Throttle { failures: 1, window_start: now, locked_until: Some(now + Duration::minutes(3)) };
        assert_eq!(decide(&locked, PER_ACCOUNT, now), Err(now + Duration::minutes(3)), "a lock in force wins");
    }
}
