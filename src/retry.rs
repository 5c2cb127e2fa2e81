//! The throttle retry schedule (SPEC §6, identical to the seed).

/// Retries after the first attempt; a batch gets at most `MAX_RETRIES + 1` attempts.
pub const MAX_RETRIES: u32 = 5;
/// Wait before the first retry.
pub const INITIAL_DELAY_MS: u64 = 100;
/// No wait, computed or server-given, exceeds this.
pub const MAX_DELAY_MS: u64 = 10_000;

/// Wait before retry number `retry` (1-based): 100, 200, 400, 800, 1600 ms, doubling,
/// capped at 10 s; a server-given Retry-After replaces it, capped the same way.
pub fn delay_ms(retry: u32, retry_after_ms: Option<u64>) -> u64 {
    match retry_after_ms {
        Some(ms) => ms.min(MAX_DELAY_MS),
        None => {
            let shift = retry.saturating_sub(1).min(16);
            (INITIAL_DELAY_MS << shift).min(MAX_DELAY_MS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_doubles_and_caps() {
        let got: Vec<u64> = (1..=MAX_RETRIES).map(|r| delay_ms(r, None)).collect();
        assert_eq!(got, vec![100, 200, 400, 800, 1600]);
        assert_eq!(delay_ms(8, None), 10_000);
        assert_eq!(delay_ms(100, None), 10_000);
        assert_eq!(delay_ms(1, Some(2500)), 2500);
        assert_eq!(delay_ms(1, Some(0)), 0);
        assert_eq!(delay_ms(1, Some(60_000)), 10_000);
    }
}
