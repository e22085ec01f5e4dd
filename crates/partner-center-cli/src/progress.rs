//! Progress on stderr for long operations (paging with `--all`, exports, waits), only on a
//! terminal (indicatif), and the SDK's retry waits shown there: "throttled, retrying in
//! 3 s" reaches the person watching, below `-v` too, and never a script's stderr.

use std::io::IsTerminal as _;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// The bar on screen, if any: where retry notes go.
static CURRENT: Mutex<Option<ProgressBar>> = Mutex::new(None);

fn current() -> std::sync::MutexGuard<'static, Option<ProgressBar>> {
    CURRENT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A spinner with a count (`{pos}`) and a message, cleared when dropped.
pub(crate) struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A spinner drawn with `template` (indicatif's: `{spinner} {msg} {pos} {elapsed}`…),
    /// hidden when stderr is not a terminal.
    pub(crate) fn start(template: &str) -> Self {
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        *current() = Some(bar.clone());
        Self { bar }
    }

    /// Sets the count.
    pub(crate) fn set_position(&self, n: u64) {
        self.bar.set_position(n);
    }

    /// Runs `f` (which prints to stdout) with the spinner lifted off the terminal, so the
    /// two never share a line.
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// A line of its own on stderr: above the spinner on a terminal, plain otherwise.
    pub(crate) fn line(&self, text: &str) {
        if self.bar.is_hidden() {
            #[allow(clippy::print_stderr)] // reason: progress lines go to stderr
            {
                eprintln!("{text}");
            }
        } else {
            self.bar.println(text);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
        *current() = None;
    }
}

/// A retry wait the SDK announced: on the bar when one is drawn, else its own line on a
/// terminal's stderr; nothing when stderr is not a terminal (`-v` logs it there).
pub(crate) fn note(message: &str) {
    match current().as_ref() {
        Some(bar) if !bar.is_hidden() => bar.set_message(message.to_owned()),
        Some(_) => {}
        None if std::io::stderr().is_terminal() => {
            #[allow(clippy::print_stderr)] // reason: a note for the person at the terminal
            {
                eprintln!("{message}");
            }
        }
        None => {}
    }
}

/// A tracing layer passing the SDK's retry notes (target `partner_center::retry`) to
/// [`note`].
pub(crate) struct RetryNotes;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for RetryNotes {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if event.metadata().target() != "partner_center::retry" {
            return;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        note(&message.0);
    }
}

/// The `message` field of an event.
struct Message(String);

impl tracing::field::Visit for Message {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "message" {
            value.clone_into(&mut self.0);
        }
    }
}
