//! One batch per journal and per reader on this machine.
//!
//! Two batches sharing a journal or a reader would both write the card in the reader. A
//! [`RunLock`] is an abstract Unix socket named after the resource; the kernel frees it when the
//! process ends, even when it is killed, and no file is left behind. On other systems the lock
//! is a no-op.

use std::path::Path;

use crate::Error;

/// Exclusive use of a journal or a reader by this process, until dropped.
#[derive(Debug)]
pub struct RunLock {
    #[cfg(target_os = "linux")]
    _socket: std::os::unix::net::UnixListener,
}

impl RunLock {
    /// Takes the journal at `path`.
    ///
    /// # Errors
    /// [`Error::Busy`] if another batch holds it; [`Error::Lock`].
    pub fn journal(path: &Path) -> Result<Self, Error> {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Self::take(
            &format!("journal {}", path.display()),
            &format!("journal:{}", canonical.display()),
        )
    }

    /// Takes the reader named `reader`.
    ///
    /// # Errors
    /// [`Error::Busy`] if another batch holds it; [`Error::Lock`].
    pub fn reader(reader: &str) -> Result<Self, Error> {
        Self::take(&format!("reader {reader:?}"), &format!("reader:{reader}"))
    }

    #[cfg(target_os = "linux")]
    fn take(what: &str, key: &str) -> Result<Self, Error> {
        use std::os::linux::net::SocketAddrExt as _;
        use std::os::unix::net::{SocketAddr, UnixListener};

        let digest = hex::encode(ring::digest::digest(&ring::digest::SHA256, key.as_bytes()));
        let name = format!("ektp-batch-{}", digest.get(..40).unwrap_or(&digest));
        let addr = SocketAddr::from_abstract_name(name.as_bytes()).map_err(Error::Lock)?;
        match UnixListener::bind_addr(&addr) {
            Ok(socket) => Ok(Self { _socket: socket }),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Err(Error::Busy {
                what: what.to_owned(),
            }),
            Err(e) => Err(Error::Lock(e)),
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn take(_what: &str, _key: &str) -> Result<Self, Error> {
        Ok(Self {})
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_reader_is_refused_until_the_first_is_dropped() {
        let name = format!("unit test reader {}", std::process::id());
        let first = RunLock::reader(&name).unwrap();
        let e = RunLock::reader(&name).unwrap_err().to_string();
        assert!(e.contains("another `ektp batch` is already running"), "{e}");
        drop(first);
        RunLock::reader(&name).unwrap();
    }
}
