//! The one checked reader through which untrusted bytes pass.
//!
//! Every read is bounds-checked and reports the byte offset where it failed, so a
//! parse error says *where* the input went wrong and never panics.

use core::fmt;

/// What was wrong with the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended before a declared length was satisfied.
    Truncated,
    /// Bytes were left over after a complete structure.
    TrailingBytes,
    /// A BER length used more length bytes than allowed, or exceeded a named limit.
    LengthTooLong,
    /// An indefinite length (`80`) was used; only definite lengths are allowed.
    IndefiniteLength,
    /// A non-minimal length encoding (e.g. `81 05`) was used where DER is required.
    NonMinimalLength,
    /// A tag had more than three bytes.
    TagTooLong,
    /// Nesting went deeper than the limit.
    TooDeep,
    /// A different tag was found than the one expected.
    UnexpectedTag {
        /// The tag that was expected.
        expected: u32,
        /// The tag that was found.
        found: u32,
    },
    /// An expected tag was not present.
    MissingTag(u32),
    /// A value was present but not valid for its field.
    Invalid(&'static str),
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated => f.write_str("input truncated"),
            Self::TrailingBytes => f.write_str("trailing bytes after the structure"),
            Self::LengthTooLong => f.write_str("length too long"),
            Self::IndefiniteLength => f.write_str("indefinite length not allowed"),
            Self::NonMinimalLength => f.write_str("non-minimal length encoding"),
            Self::TagTooLong => f.write_str("tag longer than 3 bytes"),
            Self::TooDeep => f.write_str("nesting too deep"),
            Self::UnexpectedTag { expected, found } => {
                write!(f, "expected tag {expected:02X}, found {found:02X}")
            }
            Self::MissingTag(t) => write!(f, "missing tag {t:02X}"),
            Self::Invalid(what) => write!(f, "invalid {what}"),
        }
    }
}

/// Malformed input: what was wrong and at which byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset}")]
pub struct DecodeError {
    /// What was wrong.
    pub kind: DecodeErrorKind,
    /// Offset from the start of the outermost input given to the parser.
    pub offset: usize,
}

impl DecodeError {
    /// A new error of `kind` at `offset`.
    pub const fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}

/// A checked cursor over untrusted bytes.
///
/// ```
/// use ektp_iso7816::cursor::Cursor;
/// let mut c = Cursor::new(&[1, 2, 3]);
/// assert_eq!(c.u8()?, 1);
/// assert_eq!(c.take(2)?, &[2, 3]);
/// assert!(c.take(1).is_err());
/// c.finish()?;
/// # Ok::<(), ektp_iso7816::DecodeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `buf`.
    pub const fn new(buf: &'a [u8]) -> Self {
        Self {
            buf,
            pos: 0,
            base: 0,
        }
    }

    /// A cursor whose reported offsets start at `base` (for nested structures).
    pub const fn with_base(buf: &'a [u8], base: usize) -> Self {
        Self { buf, pos: 0, base }
    }

    /// Absolute offset of the next byte (base + position).
    pub fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// Whether all bytes were read.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// An error of `kind` at the current offset.
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, self.offset())
    }

    /// Takes the next `n` bytes.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Truncated`] if fewer than `n` bytes remain.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or_else(|| self.error(DecodeErrorKind::LengthTooLong))?;
        let out = self
            .buf
            .get(self.pos..end)
            .ok_or_else(|| self.error(DecodeErrorKind::Truncated))?;
        self.pos = end;
        Ok(out)
    }

    /// Looks at the next byte without consuming it.
    pub fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Reads one byte.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Truncated`] at the end of input.
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        let b = self.take(1)?;
        b.first()
            .copied()
            .ok_or_else(|| self.error(DecodeErrorKind::Truncated))
    }

    /// Reads a big-endian `u16`.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Truncated`] if fewer than two bytes remain.
    pub fn u16_be(&mut self) -> Result<u16, DecodeError> {
        let hi = self.u8()?;
        let lo = self.u8()?;
        Ok(u16::from_be_bytes([hi, lo]))
    }

    /// Takes every remaining byte.
    pub fn rest(&mut self) -> &'a [u8] {
        let out = self.buf.get(self.pos..).unwrap_or_default();
        self.pos = self.buf.len();
        out
    }

    /// Succeeds only if every byte was read.
    ///
    /// # Errors
    /// [`DecodeErrorKind::TrailingBytes`] if bytes remain.
    pub fn finish(self) -> Result<(), DecodeError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.error(DecodeErrorKind::TrailingBytes))
        }
    }
}
