//! Reading transparent files with as few round trips as the card allows.
//!
//! A read starts with extended length and the largest Le, and steps down a ladder
//! (65536 → 4096 → 256 → 224 by default) when the card or the reader refuses; the step that
//! worked is remembered for the rest of the session, so only the first file pays for probing.
//!
//! A refusal of an extended Le followed by success with a short one means the reader (or the
//! card) only does short APDUs. The policy remembers that, and under secure messaging then
//! asks for at most [`SM_SHORT_MAX_LE`] bytes, the most whose protected response still fits in
//! a short response APDU. `Card::read_card_access` reads EF.CardAccess in plain before PACE,
//! so a short-APDU reader is found out before the first protected read, where a plain `6700`
//! from the reader would end the secure messaging session.

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, Sfi, StatusWord, tlv};

use crate::Error;

/// Largest file this library reads (the biggest e-KTP data group is far smaller).
pub const MAX_FILE_LEN: usize = 1 << 20;

/// Highest offset READ BINARY (B0) can address; beyond it the odd-INS form is needed.
const MAX_B0_OFFSET: usize = 0x7FFF;

/// Something that carries a command to the card and brings the answer back (plain, or
/// wrapped in secure messaging).
pub trait Channel {
    /// Sends one command and returns the (unwrapped) response.
    ///
    /// # Errors
    /// Transport or secure-messaging failures.
    fn send(&mut self, command: &CommandApdu) -> Result<ResponseApdu, Error>;

    /// The largest Le a short command may carry on this channel: 256 in plain,
    /// [`SM_SHORT_MAX_LE`] under secure messaging.
    fn max_short_le(&self) -> u32 {
        256
    }
}

/// The largest plain Le whose AES secure messaging response fits in 256 bytes: 223 data
/// bytes pad to 224 (ISO/IEC 9797-1 method 2), DO'87' is then `87 81 E1 01` + 224 bytes
/// (228), DO'99' 4 and DO'8E' 10 bytes: 242. With 224 bytes the padding adds a whole block
/// (240 + 4 + 4 + 10 = 258), one block too many (ICAO 9303-11 §9.8).
pub const SM_SHORT_MAX_LE: u32 = 223;

/// The ladder of Le values and where the session stands on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadPolicy {
    ladder: Vec<u32>,
    step: usize,
    /// An extended Le was refused and a short one worked: short APDUs only.
    short_only: bool,
}

/// The default ladder: one extended read if the card allows it, then ever smaller reads down
/// to 224 bytes, the common default of ICAO readers.
pub const DEFAULT_LADDER: [u32; 4] = [65536, 4096, 256, 224];

impl Default for ReadPolicy {
    fn default() -> Self {
        Self::new(&DEFAULT_LADDER)
    }
}

impl ReadPolicy {
    /// A policy over `ladder` (largest first). An empty ladder means 224-byte reads.
    pub fn new(ladder: &[u32]) -> Self {
        let mut ladder: Vec<u32> = ladder
            .iter()
            .copied()
            .filter(|le| (1..=65536).contains(le))
            .collect();
        if ladder.is_empty() {
            ladder.push(224);
        }
        Self {
            ladder,
            step: 0,
            short_only: false,
        }
    }

    /// Always the same Le (for comparing with fixed-size readers).
    pub fn fixed(le: u32) -> Self {
        Self::new(&[le])
    }

    /// The Le used now.
    pub fn current(&self) -> u32 {
        self.ladder.get(self.step).copied().unwrap_or(224)
    }

    /// Whether the session found that only short APDUs get through.
    pub fn short_only(&self) -> bool {
        self.short_only
    }

    fn step_down(&mut self) -> bool {
        if self.step.saturating_add(1) < self.ladder.len() {
            let was_extended = self.current() > 256;
            self.step = self.step.saturating_add(1);
            if was_extended && self.current() <= 256 {
                self.short_only = true;
            }
            true
        } else {
            false
        }
    }
}

fn read_command(sfi: Option<Sfi>, offset: usize, le: u32) -> Result<CommandApdu, Error> {
    let cmd = if offset <= MAX_B0_OFFSET {
        let off = u16::try_from(offset).map_err(|_| Error::FileTooLarge { len: offset })?;
        match (sfi, offset) {
            // The SFI form addresses only offsets 0..=255.
            (Some(sfi), 0..=255) => CommandApdu::new(
                0x00,
                Ins::ReadBinary,
                sfi.read_binary_p1(),
                off.to_be_bytes()[1],
            ),
            _ => {
                let [p1, p2] = off.to_be_bytes();
                CommandApdu::new(0x00, Ins::ReadBinary, p1, p2)
            }
        }
    } else {
        // ISO 7816-4 §11.2.3: odd INS with the offset in DO 54.
        let off = u32::try_from(offset).map_err(|_| Error::FileTooLarge { len: offset })?;
        let bytes = off.to_be_bytes();
        let skip = bytes.iter().take(3).take_while(|&&b| b == 0).count();
        CommandApdu::new(0x00, Ins::ReadBinaryOdd, 0, 0)
            .with_data(tlv::encode(0x54, bytes.get(skip..).unwrap_or_default()))
    };
    Ok(cmd.with_le(le))
}

/// Unwraps the odd-INS response's DO 53.
fn odd_payload(data: Vec<u8>) -> Result<Vec<u8>, Error> {
    let t = tlv::parse_one(&data)?.expect_tag(0x53)?;
    Ok(t.value.to_vec())
}

/// Whether a status word means "ask for less".
fn refused_for_size(sw: StatusWord) -> bool {
    matches!(sw.sw1(), 0x67 | 0x6C)
}

/// Total length of a BER-TLV file from its first bytes, if the header is complete.
fn declared_len(head: &[u8]) -> Result<Option<usize>, Error> {
    Ok(tlv::read_header(head)?.map(|h| h.total_len()))
}

/// Reads a whole BER-TLV file (a data group, EF.COM, EF.SOD, EF.CardAccess) that is already
/// selected, or by its short EF identifier, using and updating `policy`.
///
/// # Errors
/// The card's status word, transport failures, or a file header that is malformed or larger
/// than [`MAX_FILE_LEN`].
pub fn read_tlv_file(
    channel: &mut dyn Channel,
    sfi: Option<Sfi>,
    policy: &mut ReadPolicy,
) -> Result<Vec<u8>, Error> {
    let mut data: Vec<u8> = Vec::new();
    let mut total: Option<usize> = None;
    loop {
        if let Some(t) = total
            && data.len() >= t
        {
            data.truncate(t);
            return Ok(data);
        }
        let want = match total {
            Some(t) => u32::try_from(t.saturating_sub(data.len())).unwrap_or(u32::MAX),
            None => policy.current(),
        };
        let mut le = want.min(policy.current()).max(1);
        if policy.short_only {
            le = le.min(channel.max_short_le());
        }
        let cmd = read_command(sfi, data.len(), le)?;
        let resp = channel.send(&cmd)?;
        let ok = resp.sw.is_success() || resp.sw == StatusWord::WARNING_END_OF_FILE;
        if !ok {
            if refused_for_size(resp.sw) && policy.step_down() {
                tracing::debug!(target: "ektp::read", "card refused Le={le} ({}); stepping down to {}", resp.sw, policy.current());
                continue;
            }
            return Err(Error::Card {
                sw: resp.sw,
                during: "READ BINARY",
            });
        }
        let chunk = if cmd.ins == Ins::ReadBinaryOdd {
            odd_payload(resp.data)?
        } else {
            resp.data
        };
        if chunk.is_empty() {
            return Err(Error::Malformed {
                what: "empty READ BINARY answer before the end of the file",
            });
        }
        data.extend_from_slice(&chunk);
        if total.is_none() {
            total = declared_len(&data)?;
            if let Some(t) = total
                && t > MAX_FILE_LEN
            {
                return Err(Error::FileTooLarge { len: t });
            }
        }
        if data.len() > MAX_FILE_LEN {
            return Err(Error::FileTooLarge { len: data.len() });
        }
        if resp.sw == StatusWord::WARNING_END_OF_FILE && total.is_none_or(|t| data.len() < t) {
            return Err(Error::Malformed {
                what: "file shorter than its TLV header says",
            });
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    /// A card whose file is `file`, refusing any Le above `max_le` with 6700, and counting.
    struct Limited {
        file: Vec<u8>,
        max_le: u32,
        les: Vec<u32>,
    }

    impl Channel for Limited {
        fn send(&mut self, c: &CommandApdu) -> Result<ResponseApdu, Error> {
            let le = c.le.unwrap_or(0);
            self.les.push(le);
            if le > self.max_le {
                return Ok(ResponseApdu::status(StatusWord::WRONG_LENGTH));
            }
            let offset = if c.p1 & 0x80 != 0 {
                usize::from(c.p2)
            } else {
                usize::from(u16::from_be_bytes([c.p1, c.p2]))
            };
            let end = (offset + le as usize).min(self.file.len());
            let sw = if offset + (le as usize) > self.file.len() {
                StatusWord::WARNING_END_OF_FILE
            } else {
                StatusWord::SUCCESS
            };
            Ok(ResponseApdu::new(self.file[offset..end].to_vec(), sw))
        }
    }

    fn file(len: usize) -> Vec<u8> {
        let body: Vec<u8> = (0..len).map(|i| i as u8).collect();
        tlv::encode(0x75, &body)
    }

    #[test]
    fn steps_down_when_refused_and_remembers() {
        let mut card = Limited {
            file: file(3000),
            max_le: 256,
            les: Vec::new(),
        };
        let mut policy = ReadPolicy::default();
        let data = read_tlv_file(&mut card, Sfi::new(2).ok(), &mut policy).unwrap();
        assert_eq!(data, card.file);
        assert_eq!(policy.current(), 256);
        assert_eq!(&card.les[..3], &[65536, 4096, 256]);
        // The second file starts at what worked.
        card.les.clear();
        read_tlv_file(&mut card, Sfi::new(2).ok(), &mut policy).unwrap();
        assert_eq!(card.les[0], 256);
        assert!(card.les.iter().all(|&le| le <= 256));
    }

    /// A short-APDU reader in front of a secure messaging session: an extended Le is refused
    /// with `6700`; a short Le whose protected answer would not fit 256 bytes kills the session.
    struct ShortSm(Limited);

    impl Channel for ShortSm {
        fn send(&mut self, c: &CommandApdu) -> Result<ResponseApdu, Error> {
            let le = c.le.unwrap_or(0);
            if le > 256 {
                return Ok(ResponseApdu::status(StatusWord::WRONG_LENGTH));
            }
            if le > SM_SHORT_MAX_LE {
                return Err(Error::Malformed {
                    what: "protected response too long for a short APDU",
                });
            }
            self.0.send(c)
        }

        fn max_short_le(&self) -> u32 {
            SM_SHORT_MAX_LE
        }
    }

    #[test]
    fn short_reader_under_sm_reads_223_bytes_at_a_time() {
        let mut card = ShortSm(Limited {
            file: file(3000),
            max_le: 65536,
            les: Vec::new(),
        });
        let mut policy = ReadPolicy::default();
        let data = read_tlv_file(&mut card, Sfi::new(2).ok(), &mut policy).unwrap();
        assert_eq!(data, card.0.file);
        assert!(policy.short_only());
        assert_eq!(card.0.les.len(), 3004usize.div_ceil(223));
        assert!(card.0.les.iter().all(|&le| le <= SM_SHORT_MAX_LE));
        // Fixed 224-byte reads never learn that the reader is short.
        let mut policy = ReadPolicy::fixed(224);
        assert!(read_tlv_file(&mut card, Sfi::new(2).ok(), &mut policy).is_err());
        assert!(!policy.short_only());
    }

    #[test]
    fn one_extended_read_when_the_card_allows() {
        let mut card = Limited {
            file: file(30_000),
            max_le: 65536,
            les: Vec::new(),
        };
        let mut policy = ReadPolicy::default();
        let data = read_tlv_file(&mut card, None, &mut policy).unwrap();
        assert_eq!(data.len(), 30_004);
        assert_eq!(card.les, vec![65536]);
    }

    #[test]
    fn fixed_224_reads_match_icao_readers() {
        let mut card = Limited {
            file: file(1000),
            max_le: 65536,
            les: Vec::new(),
        };
        let mut policy = ReadPolicy::fixed(224);
        let data = read_tlv_file(&mut card, None, &mut policy).unwrap();
        assert_eq!(data, card.file);
        assert_eq!(card.les.len(), 1004usize.div_ceil(224));
    }

    #[test]
    fn lying_header_and_huge_declared_length_are_errors() {
        // Declares 4 GiB.
        let mut card = Limited {
            file: vec![0x75, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0],
            max_le: 65536,
            les: Vec::new(),
        };
        let e = read_tlv_file(&mut card, None, &mut ReadPolicy::default()).unwrap_err();
        assert!(
            matches!(
                e,
                Error::FileTooLarge { .. } | Error::Iso(ektp_iso7816::Error::Decode(_))
            ),
            "{e}"
        );
        // Declares 100 bytes, has 10.
        let mut card = Limited {
            file: vec![0x75, 100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            max_le: 65536,
            les: Vec::new(),
        };
        let e = read_tlv_file(&mut card, None, &mut ReadPolicy::default()).unwrap_err();
        assert!(matches!(e, Error::Malformed { .. }), "{e}");
        // Card refuses even the smallest read.
        let mut card = Limited {
            file: file(10),
            max_le: 100,
            les: Vec::new(),
        };
        let e = read_tlv_file(&mut card, None, &mut ReadPolicy::default()).unwrap_err();
        assert!(matches!(e, Error::Card { sw, .. } if sw == StatusWord::WRONG_LENGTH));
    }
}
