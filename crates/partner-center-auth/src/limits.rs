//! Caps on what is read from outside: files, stdin and HTTP bodies. Nothing this
//! workspace reads from a peer or a user is unbounded; each cap is named here, so the
//! docs and the error messages can state it.

use std::io::{self, Read};
use std::path::Path;
use std::time::Duration;

/// The largest token endpoint answer read (2 MiB; a real one is a few KiB).
pub const MAX_TOKEN_RESPONSE_BYTES: usize = 2 << 20;

/// The largest local credential file read: a secret, a certificate, a CA bundle, a
/// config file (1 MiB).
pub const MAX_CREDENTIAL_FILE_BYTES: u64 = 1 << 20;

/// The longest lifetime accepted from a token endpoint: 24 hours, the longest Entra ID
/// issues. A larger `expires_in` or a later `expires_on` is clamped to it, so a token
/// endpoint's bytes can never overflow time arithmetic or make a token live for ever.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// Reads at most `cap` bytes from `reader`; more is an error of kind
/// [`io::ErrorKind::FileTooLarge`] that names the cap.
///
/// ```
/// use partner_center_auth::limits::read_capped;
/// assert_eq!(read_capped(&b"abc"[..], 3).unwrap(), b"abc");
/// let err = read_capped(std::io::repeat(0), 1024).unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
/// ```
pub fn read_capped(reader: impl Read, cap: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader.take(cap.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(too_large(cap));
    }
    Ok(buf)
}

/// Reads a file of at most `cap` bytes (a device such as `/dev/zero` included).
pub fn read_file_capped(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    read_capped(std::fs::File::open(path)?, cap)
}

/// The error [`read_capped`] returns past its cap.
pub fn too_large(cap: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("larger than the limit of {}", human_bytes(cap)),
    )
}

/// `1048576` → `1 MiB`; `1500` → `1500 bytes`.
pub fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n % (1 << 10) == 0 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}
