//! Certification Authority Reference and Certificate Holder Reference
//! (BSI TR-03110-3 §A.6.1, §D.2.1.1).

use core::fmt;

use super::error::{CvcError, Field};

/// Longest reference (BSI TR-03110-3 §A.6.1: 2 + up to 9 + 5 characters).
pub const MAX_REFERENCE_LEN: usize = 16;

/// A CAR or CHR: country code (2 characters, ISO 3166-1 alpha-2), holder mnemonic (up to 9)
/// and sequence number (5), BSI TR-03110-3 §A.6.1, e.g. `IDCVCA00001`.
///
/// ```text
/// Reference ::= 1..=16 characters; this crate accepts printable ASCII (0x20..=0x7E),
///               the subset of ISO/IEC 8859-1 that every tool displays the same way.
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CertificateReference(String);

impl CertificateReference {
    /// Validates a reference.
    ///
    /// # Errors
    /// [`CvcError::InvalidValue`] if empty, longer than 16 characters or not printable ASCII.
    pub fn new(text: &str) -> Result<Self, CvcError> {
        Self::from_bytes(text.as_bytes()).ok_or(CvcError::InvalidValue(Field::Chr))
    }

    /// Validates the bytes of a `42` / `5F20` value.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.is_empty()
            || bytes.len() > MAX_REFERENCE_LEN
            || !bytes.iter().all(|b| (0x20..=0x7E).contains(b))
        {
            return None;
        }
        core::str::from_utf8(bytes).ok().map(|s| Self(s.to_owned()))
    }

    /// The reference text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The country code: the first two characters.
    pub fn country_code(&self) -> &str {
        self.0.get(..2).unwrap_or(&self.0)
    }

    /// The sequence number: the last five characters (when there are at least eight).
    pub fn sequence_number(&self) -> Option<&str> {
        let n = self.0.len();
        if n < 8 {
            return None;
        }
        self.0.get(n.saturating_sub(5)..)
    }

    /// The holder mnemonic: what lies between country code and sequence number.
    pub fn mnemonic(&self) -> Option<&str> {
        let n = self.0.len();
        if n < 8 {
            return None;
        }
        self.0.get(2..n.saturating_sub(5))
    }
}

impl fmt::Display for CertificateReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CertificateReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CertificateReference({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        let r = CertificateReference::new("IDCVCA00001").unwrap();
        assert_eq!(r.country_code(), "ID");
        assert_eq!(r.mnemonic(), Some("CVCA"));
        assert_eq!(r.sequence_number(), Some("00001"));
        assert!(CertificateReference::new("").is_err());
        assert!(CertificateReference::new("ABCDEFGHIJKLMNOPQ").is_err());
        assert!(CertificateReference::new("ID\u{e9}").is_err());
        assert!(CertificateReference::new("ID\n").is_err());
    }
}
