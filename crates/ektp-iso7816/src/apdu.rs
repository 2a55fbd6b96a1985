//! Command and response APDUs (ISO/IEC 7816-4 §5.1, §5.3).
//!
//! Every case is supported: 1, 2S, 3S, 4S, 2E, 3E and 4E. Lc is 1..=65535, Le is 1..=65536
//! (short Le `00` means 256, extended Le `0000` means 65536).

use crate::{Ins, StatusWord};
use core::fmt;

/// Largest Lc (number of command data bytes).
pub const MAX_LC: usize = 65535;
/// Largest Le (maximum number of response data bytes asked for).
pub const MAX_LE: u32 = 65536;
/// Largest Le that fits a short APDU.
pub const MAX_SHORT_LE: u32 = 256;
/// Largest Lc that fits a short APDU.
pub const MAX_SHORT_LC: usize = 255;
/// CLA bit that marks a command as "not the last of a chain" (ISO 7816-4 §5.4.1).
pub const CLA_CHAINING: u8 = 0x10;

/// Malformed or unencodable APDUs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApduError {
    /// Fewer than four header bytes.
    #[error("command APDU of {len} bytes is shorter than its 4-byte header")]
    TooShort {
        /// Bytes received.
        len: usize,
    },
    /// The length fields do not agree with the number of bytes.
    #[error("command APDU length fields disagree with its {len} bytes")]
    LengthMismatch {
        /// Bytes received.
        len: usize,
    },
    /// An extended header was cut off.
    #[error("truncated extended-length header")]
    TruncatedExtended,
    /// Extended Lc of zero.
    #[error("extended Lc of 0 is not allowed")]
    ZeroLc,
    /// More data than an APDU can carry.
    #[error("command data of {len} bytes exceeds the 65535-byte maximum")]
    DataTooLong {
        /// Data length.
        len: usize,
    },
    /// Le outside 1..=65536.
    #[error("Le {le} outside 1..=65536")]
    LeOutOfRange {
        /// The Le given.
        le: u32,
    },
    /// A response without a status word.
    #[error("response of {len} bytes has no status word (card removed during command?)")]
    ResponseTooShort {
        /// Bytes received.
        len: usize,
    },
}

/// The seven APDU cases of ISO/IEC 7816-3 §12.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// No data, no Le.
    One,
    /// Short Le only.
    TwoShort,
    /// Short Lc and data.
    ThreeShort,
    /// Short Lc, data and Le.
    FourShort,
    /// Extended Le only.
    TwoExtended,
    /// Extended Lc and data.
    ThreeExtended,
    /// Extended Lc, data and Le.
    FourExtended,
}

/// A command APDU.
#[derive(Clone, PartialEq, Eq)]
pub struct CommandApdu {
    /// Class byte.
    pub cla: u8,
    /// Instruction.
    pub ins: Ins,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    /// Command data (Lc = its length).
    pub data: Vec<u8>,
    /// Maximum number of response bytes expected, 1..=65536; `None` when no data is expected.
    pub le: Option<u32>,
    /// Forces extended-length encoding even where short would fit.
    pub extended: bool,
}

impl fmt::Debug for CommandApdu {
    /// Shows the header, Lc and Le but never the data, which may be a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CommandApdu({:02X} {:02X} {:02X} {:02X}, Lc={}, Le={:?})",
            self.cla,
            self.ins.to_byte(),
            self.p1,
            self.p2,
            self.data.len(),
            self.le
        )
    }
}

impl CommandApdu {
    /// A case 1 command.
    pub const fn new(cla: u8, ins: Ins, p1: u8, p2: u8) -> Self {
        Self {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
            extended: false,
        }
    }

    /// Sets the command data.
    #[must_use]
    pub fn with_data(mut self, data: Vec<u8>) -> Self {
        self.data = data;
        self
    }

    /// Sets Le (1..=65536; 256 and 65536 are the "as many as available" values).
    #[must_use]
    pub fn with_le(mut self, le: u32) -> Self {
        self.le = Some(le);
        self
    }

    /// Forces extended-length encoding.
    #[must_use]
    pub fn extended(mut self) -> Self {
        self.extended = true;
        self
    }

    /// Whether the CLA marks this command as part of a chain with more to follow.
    pub const fn is_chained(&self) -> bool {
        self.cla & CLA_CHAINING != 0
    }

    fn uses_extended(&self) -> bool {
        self.extended
            || self.data.len() > MAX_SHORT_LC
            || self.le.is_some_and(|le| le > MAX_SHORT_LE)
    }

    /// The case this command encodes as.
    pub fn case(&self) -> Case {
        let ext = self.uses_extended();
        match (self.data.is_empty(), self.le.is_some(), ext) {
            (true, false, _) => Case::One,
            (true, true, false) => Case::TwoShort,
            (true, true, true) => Case::TwoExtended,
            (false, false, false) => Case::ThreeShort,
            (false, false, true) => Case::ThreeExtended,
            (false, true, false) => Case::FourShort,
            (false, true, true) => Case::FourExtended,
        }
    }

    /// Encodes the command, choosing extended length when the data or Le need it.
    ///
    /// # Errors
    /// [`ApduError::DataTooLong`] or [`ApduError::LeOutOfRange`].
    pub fn to_bytes(&self) -> Result<Vec<u8>, ApduError> {
        if self.data.len() > MAX_LC {
            return Err(ApduError::DataTooLong {
                len: self.data.len(),
            });
        }
        if let Some(le) = self.le
            && !(1..=MAX_LE).contains(&le)
        {
            return Err(ApduError::LeOutOfRange { le });
        }
        let mut out = Vec::with_capacity(self.data.len().saturating_add(9));
        out.extend_from_slice(&[self.cla, self.ins.to_byte(), self.p1, self.p2]);
        let ext = self.uses_extended();
        // Lc and Le were range-checked above, so the truncating encodings below are exact
        // (65536 and 256 encode as 0000 and 00 by definition).
        let le16 = |le: u32| ((le & 0xFFFF) as u16).to_be_bytes();
        if !self.data.is_empty() {
            if ext {
                out.push(0);
                out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
            } else {
                out.push(self.data.len() as u8);
            }
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            if ext {
                if self.data.is_empty() {
                    out.push(0);
                }
                out.extend_from_slice(&le16(le));
            } else {
                out.push((le & 0xFF) as u8);
            }
        }
        Ok(out)
    }

    /// Parses a command APDU, strictly: the length fields must account for every byte.
    ///
    /// # Errors
    /// An [`ApduError`] describing what disagrees.
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        let len = bytes.len();
        let (header, body) = bytes
            .split_first_chunk::<4>()
            .ok_or(ApduError::TooShort { len })?;
        let [cla, ins, p1, p2] = *header;
        let mut cmd = Self::new(cla, Ins::from_byte(ins), p1, p2);
        let short_le = |b: u8| if b == 0 { 256 } else { u32::from(b) };
        let ext_le = |hi: u8, lo: u8| match u16::from_be_bytes([hi, lo]) {
            0 => MAX_LE,
            n => u32::from(n),
        };
        match body {
            [] => {}
            [le] => cmd.le = Some(short_le(*le)),
            [0, rest @ ..] => {
                cmd.extended = true;
                match rest {
                    [hi, lo] => cmd.le = Some(ext_le(*hi, *lo)),
                    [hi, lo, data @ ..] => {
                        let lc = usize::from(u16::from_be_bytes([*hi, *lo]));
                        if lc == 0 {
                            return Err(ApduError::ZeroLc);
                        }
                        if data.len() == lc {
                            cmd.data = data.to_vec();
                        } else if let Some((d, [lh, ll])) = data.split_last_chunk::<2>()
                            && d.len() == lc
                        {
                            cmd.data = d.to_vec();
                            cmd.le = Some(ext_le(*lh, *ll));
                        } else {
                            return Err(ApduError::LengthMismatch { len });
                        }
                    }
                    _ => return Err(ApduError::TruncatedExtended),
                }
            }
            [lc, data @ ..] => {
                let lc = usize::from(*lc);
                if data.len() == lc {
                    cmd.data = data.to_vec();
                } else if let Some((d, [le])) = data.split_last_chunk::<1>()
                    && d.len() == lc
                {
                    cmd.data = d.to_vec();
                    cmd.le = Some(short_le(*le));
                } else {
                    return Err(ApduError::LengthMismatch { len });
                }
            }
        }
        Ok(cmd)
    }

    /// Splits the command into a chain (ISO 7816-4 §5.4.1) of commands carrying at most
    /// `max_chunk` data bytes each. All but the last have CLA bit `0x10` set; only the last
    /// carries Le. A command that fits is returned unchanged.
    pub fn chain(&self, max_chunk: usize) -> Vec<CommandApdu> {
        let max_chunk = max_chunk.max(1);
        if self.data.len() <= max_chunk {
            return vec![self.clone()];
        }
        let chunks: Vec<&[u8]> = self.data.chunks(max_chunk).collect();
        let last = chunks.len().saturating_sub(1);
        chunks
            .into_iter()
            .enumerate()
            .map(|(i, chunk)| CommandApdu {
                cla: if i == last {
                    self.cla
                } else {
                    self.cla | CLA_CHAINING
                },
                data: chunk.to_vec(),
                le: if i == last { self.le } else { None },
                ..self.clone()
            })
            .collect()
    }
}

/// A response APDU: data and status word.
#[derive(Clone, PartialEq, Eq)]
pub struct ResponseApdu {
    /// Response data.
    pub data: Vec<u8>,
    /// Status word.
    pub sw: StatusWord,
}

impl fmt::Debug for ResponseApdu {
    /// Shows the length and status word but never the data, which may be personal or secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResponseApdu({} bytes, {})", self.data.len(), self.sw)
    }
}

impl ResponseApdu {
    /// A response with data.
    pub const fn new(data: Vec<u8>, sw: StatusWord) -> Self {
        Self { data, sw }
    }

    /// A response with only a status word.
    pub const fn status(sw: StatusWord) -> Self {
        Self {
            data: Vec::new(),
            sw,
        }
    }

    /// Whether the status word is `9000`.
    pub const fn is_ok(&self) -> bool {
        self.sw.is_success()
    }

    /// Parses `data || SW1 SW2`.
    ///
    /// # Errors
    /// [`ApduError::ResponseTooShort`] under two bytes: that is how a card pulled mid-command looks.
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        let (data, sw) = bytes
            .split_last_chunk::<2>()
            .ok_or(ApduError::ResponseTooShort { len: bytes.len() })?;
        Ok(Self {
            data: data.to_vec(),
            sw: StatusWord::from_bytes(sw[0], sw[1]),
        })
    }

    /// `data || SW1 SW2`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len().saturating_add(2));
        out.extend_from_slice(&self.data);
        out.extend_from_slice(&self.sw.to_bytes());
        out
    }

    /// The data if the status is `9000`.
    ///
    /// # Errors
    /// [`crate::Error::Status`] with the status word otherwise.
    pub fn into_ok(self) -> Result<Vec<u8>, crate::Error> {
        if self.is_ok() {
            Ok(self.data)
        } else {
            Err(crate::Error::Status(self.sw))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn h() -> [u8; 4] {
        [0x00, 0xB0, 0x81, 0x02]
    }

    #[test]
    fn all_seven_cases() {
        let c1 = CommandApdu::new(0, Ins::ReadBinary, 0x81, 0x02);
        assert_eq!(c1.case(), Case::One);
        assert_eq!(c1.to_bytes().unwrap(), h());

        let c2s = c1.clone().with_le(256);
        assert_eq!(c2s.case(), Case::TwoShort);
        assert_eq!(c2s.to_bytes().unwrap(), [0, 0xB0, 0x81, 2, 0x00]);

        let c3s = c1.clone().with_data(vec![1, 2, 3]);
        assert_eq!(c3s.case(), Case::ThreeShort);
        assert_eq!(c3s.to_bytes().unwrap(), [0, 0xB0, 0x81, 2, 3, 1, 2, 3]);

        let c4s = c3s.clone().with_le(16);
        assert_eq!(c4s.case(), Case::FourShort);
        assert_eq!(c4s.to_bytes().unwrap(), [0, 0xB0, 0x81, 2, 3, 1, 2, 3, 16]);

        let c2e = c1.clone().with_le(65536);
        assert_eq!(c2e.case(), Case::TwoExtended);
        assert_eq!(c2e.to_bytes().unwrap(), [0, 0xB0, 0x81, 2, 0, 0, 0]);
        let c2e = c1.clone().with_le(60000);
        assert_eq!(c2e.to_bytes().unwrap(), [0, 0xB0, 0x81, 2, 0, 0xEA, 0x60]);

        let c3e = c1.clone().with_data(vec![7; 300]);
        assert_eq!(c3e.case(), Case::ThreeExtended);
        let b = c3e.to_bytes().unwrap();
        assert_eq!(b[..7], [0, 0xB0, 0x81, 2, 0, 0x01, 0x2C]);
        assert_eq!(b.len(), 307);

        let c4e = c3e.clone().with_le(65536);
        assert_eq!(c4e.case(), Case::FourExtended);
        let b = c4e.to_bytes().unwrap();
        assert_eq!(b.len(), 309);
        assert_eq!(b[307..], [0, 0]);

        // Forced extended with small sizes.
        let f = c1.clone().with_data(vec![9]).with_le(1).extended();
        assert_eq!(f.to_bytes().unwrap(), [0, 0xB0, 0x81, 2, 0, 0, 1, 9, 0, 1]);

        for c in [c1, c2s, c3s, c4s, c2e, c3e, c4e, f] {
            assert_eq!(
                CommandApdu::parse(&c.to_bytes().unwrap())
                    .unwrap()
                    .to_bytes(),
                c.to_bytes()
            );
        }
    }

    #[test]
    fn short_le_00_is_256_and_extended_0000_is_65536() {
        assert_eq!(
            CommandApdu::parse(&[0, 0xB0, 0, 0, 0]).unwrap().le,
            Some(256)
        );
        assert_eq!(
            CommandApdu::parse(&[0, 0xB0, 0, 0, 0, 0, 0]).unwrap().le,
            Some(65536)
        );
        assert_eq!(
            CommandApdu::parse(&[0, 0xB0, 0, 0, 0, 0xFF, 0xFF])
                .unwrap()
                .le,
            Some(65535)
        );
    }

    #[test]
    fn limits() {
        let big = CommandApdu::new(0, Ins::UpdateBinary, 0, 0).with_data(vec![0; 65535]);
        assert_eq!(big.to_bytes().unwrap().len(), 65542);
        let too_big = CommandApdu::new(0, Ins::UpdateBinary, 0, 0).with_data(vec![0; 65536]);
        assert_eq!(
            too_big.to_bytes(),
            Err(ApduError::DataTooLong { len: 65536 })
        );
        assert_eq!(
            CommandApdu::new(0, Ins::ReadBinary, 0, 0)
                .with_le(0)
                .to_bytes(),
            Err(ApduError::LeOutOfRange { le: 0 })
        );
        assert_eq!(
            CommandApdu::new(0, Ins::ReadBinary, 0, 0)
                .with_le(65537)
                .to_bytes(),
            Err(ApduError::LeOutOfRange { le: 65537 })
        );
    }

    #[test]
    fn malformed() {
        assert_eq!(
            CommandApdu::parse(&[0, 0xB0, 0]),
            Err(ApduError::TooShort { len: 3 })
        );
        // Lc says 3, two data bytes.
        assert!(matches!(
            CommandApdu::parse(&[0, 0xD6, 0, 0, 3, 1, 2]),
            Err(ApduError::LengthMismatch { .. })
        ));
        // Lc says 1, three data bytes.
        assert!(matches!(
            CommandApdu::parse(&[0, 0xD6, 0, 0, 1, 1, 2, 3]),
            Err(ApduError::LengthMismatch { .. })
        ));
        // Truncated extended header.
        assert_eq!(
            CommandApdu::parse(&[0, 0xB0, 0, 0, 0, 1]),
            Err(ApduError::TruncatedExtended)
        );
        // Extended Lc 0 with data.
        assert_eq!(
            CommandApdu::parse(&[0, 0xD6, 0, 0, 0, 0, 0, 1]),
            Err(ApduError::ZeroLc)
        );
        // Extended Lc disagreeing.
        assert!(matches!(
            CommandApdu::parse(&[0, 0xD6, 0, 0, 0, 0, 5, 1, 2]),
            Err(ApduError::LengthMismatch { .. })
        ));
        assert_eq!(
            ResponseApdu::parse(&[0x90]),
            Err(ApduError::ResponseTooShort { len: 1 })
        );
        assert_eq!(
            ResponseApdu::parse(&[]),
            Err(ApduError::ResponseTooShort { len: 0 })
        );
    }

    #[test]
    fn chaining() {
        let c = CommandApdu::new(0x00, Ins::GeneralAuthenticate, 0, 0)
            .with_data((0..=9).collect())
            .with_le(256);
        let parts = c.chain(4);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].cla, 0x10);
        assert!(parts[0].is_chained() && parts[1].is_chained() && !parts[2].is_chained());
        assert_eq!(parts[2].data, vec![8, 9]);
        assert_eq!((parts[0].le, parts[2].le), (None, Some(256)));
        let joined: Vec<u8> = parts.iter().flat_map(|p| p.data.clone()).collect();
        assert_eq!(joined, c.data);
        assert_eq!(c.chain(100), vec![c.clone()]);
    }

    #[test]
    fn response_round_trip_and_debug_hides_data() {
        let r = ResponseApdu::new(vec![0x31, 0x32], StatusWord::SUCCESS);
        assert_eq!(ResponseApdu::parse(&r.to_bytes()).unwrap(), r);
        assert_eq!(format!("{r:?}"), "ResponseApdu(2 bytes, 9000 success)");
        let c = CommandApdu::new(0, Ins::Verify, 0, 0).with_data(b"123456".to_vec());
        assert!(!format!("{c:?}").contains("31"));
    }

    fn arb_cmd() -> impl Strategy<Value = CommandApdu> {
        (
            any::<[u8; 4]>(),
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..300),
                proptest::collection::vec(any::<u8>(), 0..3)
            ],
            proptest::option::of(prop_oneof![1u32..=300, 1u32..=65536]),
            any::<bool>(),
        )
            .prop_map(|(h, data, le, ext)| {
                let mut c =
                    CommandApdu::new(h[0], Ins::from_byte(h[1]), h[2], h[3]).with_data(data);
                c.le = le;
                c.extended = ext && (!c.data.is_empty() || c.le.is_some());
                c
            })
    }

    proptest! {
        #[test]
        fn round_trip(c in arb_cmd()) {
            let bytes = c.to_bytes().unwrap();
            let parsed = CommandApdu::parse(&bytes).unwrap();
            prop_assert_eq!(&parsed.data, &c.data);
            prop_assert_eq!(parsed.le, c.le);
            prop_assert_eq!(parsed.to_bytes().unwrap(), bytes);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            if let Ok(c) = CommandApdu::parse(&bytes) {
                // Whatever parses re-encodes to the same bytes.
                prop_assert_eq!(c.to_bytes().unwrap(), bytes.clone());
            }
            let _ = ResponseApdu::parse(&bytes);
        }
    }
}
