//! The per-installation token: 32 random bytes as 64 hex digits, in a 0600 file.

use std::path::Path;

use crate::Error;

/// The token every request must carry. `Debug` does not show it.
#[derive(Clone)]
pub struct Token(String);

impl core::fmt::Debug for Token {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Token(…)")
    }
}

impl Token {
    /// A fresh random token.
    ///
    /// # Errors
    /// [`Error::Random`].
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0_u8; 32];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
            .map_err(|_| Error::Random)?;
        Ok(Self(hex::encode(bytes)))
    }

    /// A token from its 64 hex digits.
    ///
    /// # Errors
    /// [`Error::BadToken`].
    pub fn parse(s: &str) -> Result<Self, Error> {
        let s = s.trim();
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(s.to_ascii_lowercase()))
        } else {
            Err(Error::BadToken)
        }
    }

    /// Creates a new token and writes it to `path` (0600, replacing an old one).
    ///
    /// # Errors
    /// [`Error::TokenFile`], [`Error::Random`].
    pub fn create_file(path: &Path) -> Result<Self, Error> {
        let t = Self::generate()?;
        ektp_fs::write_private(path, format!("{}\n", t.0).as_bytes())?;
        Ok(t)
    }

    /// Reads the token from `path`, which others must not be able to read.
    ///
    /// # Errors
    /// [`Error::TokenFile`] (missing, or readable by others: `chmod 600`), [`Error::BadToken`].
    pub fn load(path: &Path) -> Result<Self, Error> {
        let bytes = ektp_fs::read_secret(path, 256)?;
        Self::parse(core::str::from_utf8(&bytes).map_err(|_| Error::BadToken)?)
    }

    /// The 64 hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
