//! A progress bar on stderr, drawn only when stderr is a terminal.
//!
//! Why this small: workers bump one atomic counter; the main thread redraws
//! a single line a few times a second and erases it at the end.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Shared progress: `done` out of `total` units.
#[derive(Debug)]
pub(crate) struct Progress {
    pub(crate) done: AtomicU64,
    total: u64,
    visible: bool,
}

impl Progress {
    pub(crate) fn new(total: u64) -> Self {
        Self {
            done: AtomicU64::new(0),
            total: total.max(1),
            visible: std::io::stderr().is_terminal(),
        }
    }

    /// Adds finished units.
    pub(crate) fn add(&self, units: u64) {
        self.done.fetch_add(units, Ordering::Relaxed);
    }

    /// Redraws until `finished` returns true, then clears the line.
    pub(crate) fn draw_until(&self, label: &str, finished: impl Fn() -> bool) {
        while !finished() {
            self.draw(label);
            std::thread::sleep(Duration::from_millis(100));
        }
        if self.visible {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{:width$}\r", "", width = 60);
            let _ = err.flush();
        }
    }

    fn draw(&self, label: &str) {
        if !self.visible {
            return;
        }
        const WIDTH: u64 = 30;
        let done = self.done.load(Ordering::Relaxed).min(self.total);
        let filled = (done * WIDTH / self.total) as usize;
        let percent = done * 100 / self.total;
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{label} [{}{}] {percent:>3}%",
            "#".repeat(filled),
            "-".repeat(WIDTH as usize - filled)
        );
        let _ = err.flush();
    }
}
