#![doc = include_str!("../README.md")]

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use zeroize::Zeroizing;

/// Permission bits of every file this crate writes.
pub const PRIVATE_MODE: u32 = 0o600;

/// Group and other permission bits: a secret file with any of them set is refused.
const SHARED_BITS: u32 = 0o077;

/// How many temporary names are tried before giving up (each collision means someone else
/// created that name: a planted file or symlink).
const MAX_TEMP_ATTEMPTS: u32 = 16;

/// Errors from this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FsError {
    /// The file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// A secret file that group or others may read.
    #[error(
        "{path} holds a secret but others can read it (mode {mode:03o}); run `chmod 600 {path}` and check who has seen it"
    )]
    ReadableByOthers {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A secret file larger than the caller's limit.
    #[error("{path} is larger than {max} bytes: not the expected key file")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit.
        max: u64,
    },
    /// No unused temporary name could be created beside the target.
    #[error("{path}: cannot create a temporary file beside it (too many existing names)")]
    NoTemporary {
        /// The target file.
        path: PathBuf,
    },
}

/// Result alias for this crate.
pub type Result<T, E = FsError> = core::result::Result<T, E>;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FsError + '_ {
    move |source| FsError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Options for a new private file: write-only, `O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600.
fn private_new() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.write(true)
        .create_new(true)
        .mode(PRIVATE_MODE)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    o
}

/// Creates `path`, which must not exist (not even as a dangling symlink), as an empty file
/// with mode 0600, and returns it open for writing.
///
/// # Errors
/// [`FsError::Io`] (`AlreadyExists` if anything is at `path`).
pub fn create_private(path: &Path) -> Result<File> {
    private_new().open(path).map_err(io(path))
}

/// A temporary name beside `path` that nobody can predict: `.NAME.PID.NANOS.N.tmp`.
fn temporary_name(path: &Path, attempt: u32) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(
        ".{name}.{}.{nanos:09}.{n}-{attempt}.tmp",
        std::process::id()
    ))
}

/// Writes `contents` to `path`, replacing it atomically: readers see the old file or the new
/// one, never a part; after a crash the file is whole. The new file has mode 0600 whatever
/// the old one had; symlinks are never followed (a symlink at `path` itself is replaced, not
/// written through).
///
/// # Errors
/// [`FsError::Io`] if the directory cannot be written, [`FsError::NoTemporary`] if every
/// temporary name tried was taken.
pub fn write_private(path: &Path, contents: &[u8]) -> Result<()> {
    let mut attempt = 0;
    let (tmp, mut file) = loop {
        let tmp = temporary_name(path, attempt);
        match private_new().open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                attempt = attempt.saturating_add(1);
                if attempt >= MAX_TEMP_ATTEMPTS {
                    return Err(FsError::NoTemporary {
                        path: path.to_path_buf(),
                    });
                }
            }
            Err(e) => return Err(io(path)(e)),
        }
    };
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(path)(e));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// Refuses a secret file that group or others may read.
///
/// # Errors
/// [`FsError::ReadableByOthers`], or [`FsError::Io`] if it cannot be examined.
pub fn check_private(path: &Path) -> Result<()> {
    let mode = std::fs::metadata(path).map_err(io(path))?.mode() & 0o777;
    if mode & SHARED_BITS != 0 {
        return Err(FsError::ReadableByOthers {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

/// Reads a secret file (a key) of at most `max` bytes into memory that is wiped on drop.
/// Refuses a file that group or others may read (see [`check_private`]).
///
/// # Errors
/// [`FsError::ReadableByOthers`], [`FsError::TooLarge`], [`FsError::Io`].
pub fn read_secret(path: &Path, max: u64) -> Result<Zeroizing<Vec<u8>>> {
    let file = File::open(path).map_err(io(path))?;
    let meta = file.metadata().map_err(io(path))?;
    let mode = meta.mode() & 0o777;
    if mode & SHARED_BITS != 0 {
        return Err(FsError::ReadableByOthers {
            path: path.to_path_buf(),
            mode,
        });
    }
    if meta.len() > max {
        return Err(FsError::TooLarge {
            path: path.to_path_buf(),
            max,
        });
    }
    let mut out = Zeroizing::new(Vec::new());
    file.take(max.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(io(path))?;
    if u64::try_from(out.len()).unwrap_or(u64::MAX) > max {
        return Err(FsError::TooLarge {
            path: path.to_path_buf(),
            max,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("ektp-fs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().mode() & 0o777
    }

    #[test]
    fn written_files_are_0600_and_replace_the_old_one() {
        let d = scratch("write");
        let p = d.join("state.json");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
        write_private(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(mode(&p), 0o600);
        // No temporary left behind.
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_symlink_at_the_target_is_replaced_not_followed() {
        let d = scratch("symlink");
        let victim = d.join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        let p = d.join("state.json");
        std::os::unix::fs::symlink(&victim, &p).unwrap();
        write_private(&p, b"secret").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert_eq!(std::fs::read(&p).unwrap(), b"secret");
        assert!(
            !std::fs::symlink_metadata(&p)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn create_private_refuses_an_existing_name_or_symlink() {
        let d = scratch("create");
        let victim = d.join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        let link = d.join("journal.sqlite");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(create_private(&link).is_err());
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        let fresh = d.join("fresh");
        drop(create_private(&fresh).unwrap());
        assert_eq!(mode(&fresh), 0o600);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn secrets_others_can_read_are_refused_with_chmod_advice() {
        let d = scratch("read");
        let p = d.join("master.hex");
        std::fs::write(&p, b"00").unwrap();
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
        let e = read_secret(&p, 100).unwrap_err();
        assert!(
            matches!(e, FsError::ReadableByOthers { mode: 0o644, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("chmod 600"), "{e}");
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        assert_eq!(read_secret(&p, 100).unwrap().as_slice(), b"00");
        assert!(matches!(read_secret(&p, 1), Err(FsError::TooLarge { .. })));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
