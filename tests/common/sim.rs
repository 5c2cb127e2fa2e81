//! A single-threaded executor on virtual time, run turn by turn. Hand-rolled (a few
//! lines over `ArcWake`) so the same tests run natively and as WebAssembly, where
//! `futures::executor` would need threads.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use durable_checkpoint::sim::VirtualTimer;
use futures::future::LocalBoxFuture;
use futures::task::{waker, ArcWake};
use futures::FutureExt;

struct Woken(AtomicBool);

impl ArcWake for Woken {
    fn wake_by_ref(arc: &Arc<Self>) {
        arc.0.store(true, Ordering::SeqCst);
    }
}

struct Task {
    future: LocalBoxFuture<'static, ()>,
    woken: Arc<Woken>,
}

/// Tasks, polled whenever woken, until none can progress.
#[derive(Default, Clone)]
struct Pool {
    tasks: Rc<RefCell<Vec<Task>>>,
}

impl Pool {
    fn spawn(&self, f: impl Future<Output = ()> + 'static) {
        self.tasks.borrow_mut().push(Task {
            future: f.boxed_local(),
            woken: Arc::new(Woken(AtomicBool::new(true))),
        });
    }

    fn run_until_stalled(&mut self) {
        loop {
            let mut tasks = std::mem::take(&mut *self.tasks.borrow_mut());
            let mut progressed = false;
            tasks.retain_mut(|t| {
                if !t.woken.0.swap(false, Ordering::SeqCst) {
                    return true;
                }
                progressed = true;
                let w = waker(t.woken.clone());
                t.future.poll_unpin(&mut Context::from_waker(&w)) == Poll::Pending
            });
            // Tasks spawned while polling were pushed to the emptied list.
            let spawned = std::mem::take(&mut *self.tasks.borrow_mut());
            progressed |= !spawned.is_empty();
            tasks.extend(spawned);
            *self.tasks.borrow_mut() = tasks;
            if !progressed {
                return;
            }
        }
    }
}

/// A single-threaded executor on virtual time.
#[derive(Default)]
pub struct Sim {
    pool: Pool,
    /// The clock every task shares.
    pub clock: VirtualTimer,
}

impl Sim {
    /// A new simulation at time 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Spawns a task.
    pub fn spawn(&self, f: impl Future<Output = ()> + 'static) {
        self.pool.spawn(f);
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
