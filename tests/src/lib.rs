//! End-to-end test suites live in `tests/`; this library holds what they share with the
//! benchmark program: a real Redis to share rate budgets and tokens through.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `redis-server` of its own: on a free port, persisting nothing, in a folder of its own.
pub struct Redis {
    child: Child,
    port: u16,
    dir: std::path::PathBuf,
}

impl Redis {
    /// Starts one in `dir`; panics when `redis-server` cannot be run (a test's set-up).
    #[allow(clippy::unwrap_used, clippy::panic)] // reason: test set-up
    pub fn start(dir: &std::path::Path) -> Self {
        // A port picked by binding port 0 may be taken again before redis-server binds
        // it: then redis-server exits, and another port is tried.
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            if let Some(child) = spawn(dir, port) {
                return Self {
                    child,
                    port,
                    dir: dir.to_owned(),
                };
            }
        }
        panic!("redis-server did not start");
    }

    /// Its URL.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Stops it (it can be started again on the same port).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on its port, empty (it persists nothing); panics when it cannot.
    #[allow(clippy::panic)] // reason: test set-up
    pub fn restart(&mut self) {
        self.stop();
        for _ in 0..50 {
            if let Some(child) = spawn(&self.dir, self.port) {
                self.child = child;
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("redis-server did not start again on port {}", self.port);
    }

    /// `redis-cli` with `args`: its output, trimmed.
    pub fn cli(&self, args: &[&str]) -> String {
        Command::new("redis-cli")
            .args(["-p", &self.port.to_string()])
            .args(args)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    }
}

/// `redis-server` on `port`, once it answers; `None` when it exits (the port is taken).
#[allow(clippy::expect_used, clippy::unwrap_used)] // reason: test set-up
fn spawn(dir: &std::path::Path, port: u16) -> Option<Child> {
    let mut child = Command::new("redis-server")
        .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
        .args(["--save", "", "--appendonly", "no", "--dir"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server (apt-get install redis-server; .ci/run installs it)");
    for _ in 0..200 {
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        let pong = Command::new("redis-cli")
            .args(["-p", &port.to_string(), "PING"])
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"PONG"));
        if pong {
            return Some(child);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}
