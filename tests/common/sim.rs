//! A single-threaded executor on virtual time: a LocalPool run turn by turn.

use std::future::Future;

use durable_checkpoint::sim::VirtualTimer;
use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;

/// A single-threaded executor on virtual time.
pub struct Sim {
    pool: LocalPool,
    /// The clock every task shares.
    pub clock: VirtualTimer,
}

impl Default for Sim {
    fn default() -> Self {
        Sim {
            pool: LocalPool::new(),
            clock: VirtualTimer::default(),
        }
    }
}

impl Sim {
    /// A new simulation at time 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Spawns a task.
    pub fn spawn(&self, f: impl Future<Output = ()> + 'static) {
        // The pool lives as long as the Sim, so spawning cannot fail.
        let _ = self.pool.spawner().spawn_local(f);
    }

    /// Runs what is runnable, turn after turn, without moving time.
    pub fn settle(&mut self) {
        for _ in 0..1_000_000 {
            self.pool.run_until_stalled();
            if !self.clock.turn_pending() {
                return;
            }
            self.clock.end_turn();
        }
    }

    /// Runs until virtual time `t`, waking sleepers in deadline order.
    pub fn run_until(&mut self, t: u64) {
        self.settle();
        while let Some(d) = self.clock.next_deadline().filter(|&d| d <= t) {
            self.clock.set(d);
            self.settle();
        }
        self.clock.set(t);
        self.settle();
    }

    /// Runs for `ms` of virtual time.
    pub fn run_for(&mut self, ms: u64) {
        let t = self.clock.now() + ms;
        self.run_until(t);
    }

    /// Runs until no task waits on anything but input (at most `limit_ms` of virtual time).
    pub fn run_to_quiet(&mut self, limit_ms: u64) {
        let end = self.clock.now() + limit_ms;
        self.settle();
        while let Some(d) = self.clock.next_deadline().filter(|&d| d <= end) {
            self.clock.set(d);
            self.settle();
        }
    }
}
