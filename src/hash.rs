//! FNV-1a for the maps keyed by operation Id: Ids are short, so SipHash's set-up
//! dominates (and costs most in WebAssembly). Ids come from the caller's own code and
//! its service, not from an adversary, so a keyed hash buys nothing here.

use std::hash::{BuildHasherDefault, Hasher};

/// The FNV-1a state.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Builds [`Fnv`] hashers for `HashMap`.
pub type FnvBuild = BuildHasherDefault<Fnv>;
