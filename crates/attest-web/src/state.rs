//! What every handler shares: the application, the configuration, the
//! one-time setup token and the sign-in throttle.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;

use attest_app::App;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::Config;
use crate::sso::Sso;

pub(crate) struct AppState {
    pub(crate) app: App,
    pub(crate) config: Config,
    /// Present until the first owner is created; shown once on the console.
    setup_token: Mutex<Option<String>>,
    /// Sign-in, second-factor and reset attempts per client address.
    throttle: DefaultKeyedRateLimiter<IpAddr>,
    /// Single sign-on, when configured.
    pub(crate) sso: Option<Sso>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub(crate) fn new(app: App, config: Config, needs_setup: bool, sso: Option<Sso>) -> AppState {
        let per_minute =
            NonZeroU32::new(config.sign_in_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        AppState {
            app,
            setup_token: Mutex::new(needs_setup.then(attest_app::new_secret)),
            throttle: RateLimiter::keyed(Quota::per_minute(per_minute)),
            config,
            sso,
        }
    }

    pub(crate) fn setup_token(&self) -> Option<String> {
        self.setup_token.lock().ok().and_then(|t| t.clone())
    }

    /// Checks a presented setup token in constant time.
    pub(crate) fn setup_token_matches(&self, presented: &str) -> bool {
        self.setup_token()
            .is_some_and(|t| attest_app::constant_time_eq(t.as_bytes(), presented.as_bytes()))
    }

    /// Closes setup for good once the first owner exists.
    pub(crate) fn close_setup(&self) {
        if let Ok(mut t) = self.setup_token.lock() {
            *t = None;
        }
    }

    /// False when this client has made too many sign-in attempts in the last minute. An IPv6
    /// client counts as its whole /64: one host usually holds that many addresses.
    pub(crate) fn allow_attempt(&self, client: IpAddr) -> bool {
        self.throttle.check_key(&throttle_key(client)).is_ok()
    }
}

fn throttle_key(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from_bits(
                v6.to_bits() & !((1u128 << 64) - 1),
            )),
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::throttle_key;

    #[test]
    fn an_ipv6_network_counts_as_one_client() {
        let a = throttle_key("2001:db8:1:2::1".parse().unwrap());
        let b = throttle_key("2001:db8:1:2:ffff::9".parse().unwrap());
        let other = throttle_key("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, other);
        let v4 = throttle_key("::ffff:192.0.2.7".parse().unwrap());
        assert_eq!(v4, "192.0.2.7".parse::<std::net::IpAddr>().unwrap());
    }
}
