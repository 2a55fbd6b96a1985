//! Reading keys, certificates and CRLs from PEM or DER files.

use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{DecodeKind, PkiError, Result, Structure};

/// Largest key, certificate or CRL file this crate reads.
pub const MAX_FILE_LEN: usize = 4 * 1024 * 1024;

/// Largest number of PEM blocks read from one file.
pub const MAX_PEM_BLOCKS: usize = 1024;

/// Reads a file of at most [`MAX_FILE_LEN`] bytes.
///
/// # Errors
/// [`PkiError::Io`] if it cannot be read, [`PkiError::Decode`] with
/// [`DecodeKind::TooLong`] if it is too large.
pub fn read_bounded(path: &Path, structure: Structure) -> Result<Vec<u8>> {
    let io = |source| PkiError::Io {
        path: path.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > MAX_FILE_LEN {
        return Err(PkiError::decode(
            structure,
            DecodeKind::TooLong {
                len,
                max: MAX_FILE_LEN,
            },
        ));
    }
    std::fs::read(path).map_err(io)
}

/// True if the bytes look like PEM armour.
pub(crate) fn is_pem(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes
        .get(start..)
        .is_some_and(|b| b.starts_with(b"-----BEGIN "))
}

/// One PEM block: its label and DER contents.
pub(crate) struct PemBlock {
    pub(crate) label: String,
    pub(crate) contents: Zeroizing<Vec<u8>>,
}

/// All PEM blocks in `bytes` (at most [`MAX_PEM_BLOCKS`]).
pub(crate) fn pem_blocks(bytes: &[u8]) -> Result<Vec<PemBlock>> {
    let mut out = Vec::new();
    for block in x509_parser::pem::Pem::iter_from_buffer(bytes) {
        if out.len() >= MAX_PEM_BLOCKS {
            return Err(PkiError::decode(
                Structure::Pem,
                DecodeKind::TooLong {
                    len: out.len(),
                    max: MAX_PEM_BLOCKS,
                },
            ));
        }
        let block = block.map_err(|_| PkiError::decode(Structure::Pem, DecodeKind::Pem))?;
        out.push(PemBlock {
            label: block.label,
            contents: Zeroizing::new(block.contents),
        });
    }
    if out.is_empty() {
        return Err(PkiError::decode(Structure::Pem, DecodeKind::Pem));
    }
    Ok(out)
}

/// An unencrypted PKCS#8 private key (RFC 5208 / RFC 5958), as `openssl genpkey` writes it.
///
/// The bytes are zeroized on drop and never shown by `Debug`.
#[derive(Clone)]
pub struct Pkcs8Key {
    der: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for Pkcs8Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Pkcs8Key(<redacted>)")
    }
}

impl Pkcs8Key {
    /// Takes PKCS#8 DER.
    ///
    /// # Errors
    /// [`PkiError::Decode`] if the bytes are not one DER SEQUENCE. The key itself is checked
    /// when a signer is built from it.
    pub fn from_der(der: Vec<u8>) -> Result<Self> {
        let der = Zeroizing::new(der);
        let mut reader = <der::SliceReader<'_>>::new(&der)
            .map_err(|e| PkiError::der(Structure::PrivateKey, e))?;
        let tlv = der::Reader::tlv_bytes(&mut reader)
            .map_err(|e| PkiError::der(Structure::PrivateKey, e))?;
        if tlv.first() != Some(&0x30) {
            return Err(PkiError::decode(
                Structure::PrivateKey,
                DecodeKind::UnexpectedTag {
                    expected: 0x30,
                    found: tlv.first().copied(),
                },
            ));
        }
        der::Reader::finish(reader).map_err(|e| PkiError::der(Structure::PrivateKey, e))?;
        Ok(Self { der })
    }

    /// Takes a PEM `PRIVATE KEY` block.
    ///
    /// # Errors
    /// [`PkiError::Decode`] with [`DecodeKind::PemLabel`] if there is no `PRIVATE KEY` block
    /// (encrypted keys and traditional `EC PRIVATE KEY` / `RSA PRIVATE KEY` files must first
    /// be converted: `openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem`).
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        let block = pem_blocks(pem)?
            .into_iter()
            .find(|b| b.label == "PRIVATE KEY")
            .ok_or_else(|| {
                PkiError::decode(
                    Structure::PrivateKey,
                    DecodeKind::PemLabel {
                        expected: "PRIVATE KEY",
                    },
                )
            })?;
        Self::from_der(block.contents.to_vec())
    }

    /// PEM or DER, sniffed.
    ///
    /// # Errors
    /// As [`Pkcs8Key::from_pem`] and [`Pkcs8Key::from_der`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if is_pem(bytes) {
            Self::from_pem(bytes)
        } else {
            Self::from_der(bytes.to_vec())
        }
    }

    /// Reads a PEM or DER PKCS#8 file.
    ///
    /// # Errors
    /// [`PkiError::Io`] or as [`Pkcs8Key::from_bytes`].
    pub fn from_file(path: &Path) -> Result<Self> {
        let bytes = Zeroizing::new(read_bounded(path, Structure::PrivateKey)?);
        Self::from_bytes(&bytes)
    }

    /// The PKCS#8 DER (for a signer; never log it).
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// PEM `PRIVATE KEY` armour.
    pub fn to_pem(&self) -> Zeroizing<String> {
        Zeroizing::new(pem_encode("PRIVATE KEY", &self.der))
    }
}

/// PEM-armours `der` with `label` (RFC 7468, 64-column base64).
pub(crate) fn pem_encode(label: &str, der: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let sym = |shift: u32| {
            let idx = usize::try_from((n >> shift) & 63).unwrap_or(0);
            char::from(ALPHABET.get(idx).copied().unwrap_or(b'A'))
        };
        b64.push(sym(18));
        b64.push(sym(12));
        b64.push(if chunk.len() > 1 { sym(6) } else { '=' });
        b64.push(if chunk.len() > 2 { sym(0) } else { '=' });
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(core::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Certificates from PEM (`CERTIFICATE` blocks) or one DER certificate.
///
/// # Errors
/// [`PkiError::Decode`] if the PEM is malformed or holds no certificate.
pub fn certificates_from_bytes(bytes: &[u8]) -> Result<Vec<Vec<u8>>> {
    if !is_pem(bytes) {
        return Ok(vec![bytes.to_vec()]);
    }
    let certs: Vec<Vec<u8>> = pem_blocks(bytes)?
        .into_iter()
        .filter(|b| b.label == "CERTIFICATE")
        .map(|b| b.contents.to_vec())
        .collect();
    if certs.is_empty() {
        return Err(PkiError::decode(
            Structure::Certificate,
            DecodeKind::PemLabel {
                expected: "CERTIFICATE",
            },
        ));
    }
    Ok(certs)
}
