//! A minimal memory card for exercising readers and transports (tests and benchmarks).
//!
//! One transparent elementary file, [`MEMORY_CARD_FID`], of up to [`MAX_MEMORY_CARD_SIZE`]
//! bytes. Commands (ISO/IEC 7816-4, short and extended length):
//!
//! * `SELECT` (`00 A4`, P1 `00` or `02`, P2 `0C` or `00`/`04`) with the 2-byte FID. P2 `0C`
//!   returns no data; otherwise a small FCP template `62 04 80 02 <size>`.
//! * `READ BINARY` (`00 B0`) with a 15-bit offset in P1-P2 and Le up to 65536. At most
//!   65533 bytes are returned so the response fits a vpcd frame; fewer bytes than a
//!   non-maximal Le gives `6282`.
//! * `UPDATE BINARY` (`00 D6`) with a 15-bit offset and up to 65535 data bytes.
//!
//! The selection is volatile: reset and power-off drop it (`6986` until selected again),
//! which lets tests see whether a reader reset the card. The file content persists.

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};

use crate::card::Card;

/// ATR of the memory card: `3B 80 80 01 01` (T=1, no historical bytes).
pub const MEMORY_CARD_ATR: [u8; 5] = [0x3B, 0x80, 0x80, 0x01, 0x01];

/// FID of the memory card's one transparent file.
pub const MEMORY_CARD_FID: u16 = 0x0101;

/// Largest file the memory card holds.
pub const MAX_MEMORY_CARD_SIZE: usize = 65535;

/// Most data bytes in one READ BINARY response: 65535-byte frame minus SW1 SW2.
const MAX_READ: usize = 65533;

/// A card with one transparent file. See the [module docs](self).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryCard {
    contents: Vec<u8>,
    selected: bool,
}

impl MemoryCard {
    /// A card whose file holds `contents` (truncated to [`MAX_MEMORY_CARD_SIZE`]).
    #[must_use]
    pub fn new(mut contents: Vec<u8>) -> Self {
        contents.truncate(MAX_MEMORY_CARD_SIZE);
        Self {
            contents,
            selected: false,
        }
    }

    /// A card whose file of `size` bytes (at most [`MAX_MEMORY_CARD_SIZE`]) holds
    /// [`pattern`]`(size)`.
    #[must_use]
    pub fn with_size(size: usize) -> Self {
        Self::new(pattern(size.min(MAX_MEMORY_CARD_SIZE)))
    }

    /// The file's current contents.
    #[must_use]
    pub fn contents(&self) -> &[u8] {
        &self.contents
    }

    /// Whether the file is selected (volatile state).
    #[must_use]
    pub fn is_selected(&self) -> bool {
        self.selected
    }

    fn answer(&mut self, apdu: &[u8]) -> Result<ResponseApdu, StatusWord> {
        let cmd = CommandApdu::parse(apdu).map_err(|_| StatusWord::WRONG_LENGTH)?;
        if cmd.cla != 0x00 {
            return Err(StatusWord::CLA_NOT_SUPPORTED);
        }
        match cmd.ins {
            Ins::Select => self.select(&cmd),
            Ins::ReadBinary => self.read_binary(&cmd),
            Ins::UpdateBinary => self.update_binary(&cmd),
            _ => Err(StatusWord::INS_NOT_SUPPORTED),
        }
    }

    fn select(&mut self, cmd: &CommandApdu) -> Result<ResponseApdu, StatusWord> {
        if !matches!(cmd.p1, 0x00 | 0x02) || !matches!(cmd.p2, 0x00 | 0x04 | 0x0C) {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        if cmd.data != MEMORY_CARD_FID.to_be_bytes() {
            return Err(StatusWord::FILE_NOT_FOUND);
        }
        self.selected = true;
        if cmd.p2 == 0x0C {
            return Ok(ResponseApdu::status(StatusWord::SUCCESS));
        }
        // Bounded by MAX_MEMORY_CARD_SIZE, which fits in u16.
        let size = u16::try_from(self.contents.len()).unwrap_or(u16::MAX);
        let [hi, lo] = size.to_be_bytes();
        Ok(ResponseApdu::new(
            vec![0x62, 0x04, 0x80, 0x02, hi, lo],
            StatusWord::SUCCESS,
        ))
    }

    fn offset(&self, cmd: &CommandApdu) -> Result<usize, StatusWord> {
        if !self.selected {
            return Err(StatusWord::COMMAND_NOT_ALLOWED);
        }
        if cmd.p1 & 0x80 != 0 {
            // Short-FID addressing is not supported by this card.
            return Err(StatusWord::FUNCTION_NOT_SUPPORTED);
        }
        let offset = usize::from(u16::from_be_bytes([cmd.p1, cmd.p2]));
        if offset > self.contents.len() {
            return Err(StatusWord::WRONG_P1P2);
        }
        Ok(offset)
    }

    fn read_binary(&self, cmd: &CommandApdu) -> Result<ResponseApdu, StatusWord> {
        let offset = self.offset(cmd)?;
        if !cmd.data.is_empty() {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let le = cmd.le.ok_or(StatusWord::WRONG_LENGTH)?;
        let le = usize::try_from(le).map_err(|_| StatusWord::WRONG_LENGTH)?;
        let available = self.contents.get(offset..).unwrap_or_default();
        let n = le.min(available.len()).min(MAX_READ);
        let data = available.get(..n).unwrap_or_default().to_vec();
        // Le 00 / 0000 means "as many as there are"; a specific Le not met is a warning.
        let max_le = if cmd.extended || le > 256 { 65536 } else { 256 };
        let sw = if n < le && le != max_le {
            StatusWord::WARNING_END_OF_FILE
        } else {
            StatusWord::SUCCESS
        };
        Ok(ResponseApdu::new(data, sw))
    }

    fn update_binary(&mut self, cmd: &CommandApdu) -> Result<ResponseApdu, StatusWord> {
        let offset = self.offset(cmd)?;
        if cmd.data.is_empty() {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let end = offset
            .checked_add(cmd.data.len())
            .ok_or(StatusWord::NOT_ENOUGH_MEMORY)?;
        let target = self
            .contents
            .get_mut(offset..end)
            .ok_or(StatusWord::NOT_ENOUGH_MEMORY)?;
        target.copy_from_slice(&cmd.data);
        Ok(ResponseApdu::status(StatusWord::SUCCESS))
    }
}

/// The deterministic filler of [`MemoryCard::with_size`]: byte `i` is `(i * 7 + 3) mod 251`
/// (a prime period, so offset mistakes show up).
#[must_use]
pub fn pattern(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            let v = i.wrapping_mul(7).wrapping_add(3) % 251;
            u8::try_from(v).unwrap_or(0)
        })
        .collect()
}

impl Card for MemoryCard {
    fn atr(&self) -> Vec<u8> {
        MEMORY_CARD_ATR.to_vec()
    }

    fn reset(&mut self) {
        self.selected = false;
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        match self.answer(apdu) {
            Ok(response) => response.to_bytes(),
            Err(sw) => sw.to_bytes().to_vec(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn run(card: &mut MemoryCard, hex_cmd: &str) -> String {
        let cmd = hex_decode(hex_cmd);
        hex_encode(&card.process(&cmd))
    }

    fn hex_decode(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn hex_encode(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02X}")).collect()
    }

    #[test]
    fn transcript() {
        let mut c = MemoryCard::new(vec![0x11, 0x22, 0x33, 0x44]);
        // Not selected yet.
        assert_eq!(run(&mut c, "00B0000002"), "6986");
        assert_eq!(run(&mut c, "00A4020C020102"), "6A82");
        assert_eq!(run(&mut c, "00A4020C020101"), "9000");
        assert_eq!(
            run(&mut c, "00A40200020101 00"),
            "620480020004 9000".replace(' ', "")
        );
        assert_eq!(run(&mut c, "00B0000002"), "11229000");
        assert_eq!(
            run(&mut c, "00B0000200"),
            "33449000",
            "Le 00: as many as there are"
        );
        assert_eq!(
            run(&mut c, "00B0000208"),
            "33446282",
            "end of file before Le"
        );
        assert_eq!(run(&mut c, "00B0000500"), "6B00", "offset beyond the file");
        assert_eq!(
            run(&mut c, "00B0800001"),
            "6A81",
            "SFI addressing unsupported"
        );
        assert_eq!(run(&mut c, "00D6000102AABB"), "9000");
        assert_eq!(run(&mut c, "00B0000004"), "11AABB449000");
        assert_eq!(run(&mut c, "00D6000302AABB"), "6A84", "write past the end");
        assert_eq!(run(&mut c, "00D6000000"), "6700");
        assert_eq!(run(&mut c, "80B0000001"), "6E00");
        assert_eq!(run(&mut c, "00CA000001"), "6D00");
        assert_eq!(run(&mut c, "00B000"), "6700", "truncated header");
        assert_eq!(run(&mut c, "00D60000050102"), "6700", "Lc disagrees");
        c.reset();
        assert!(!c.is_selected());
        assert_eq!(run(&mut c, "00B0000001"), "6986");
        assert_eq!(c.contents(), [0x11, 0xAA, 0xBB, 0x44], "contents persist");
    }

    #[test]
    fn extended_read_and_update() {
        let mut c = MemoryCard::with_size(MAX_MEMORY_CARD_SIZE);
        assert_eq!(run(&mut c, "00A4020C020101"), "9000");
        // Extended Le 60000 (EA60).
        let r = c.process(&[0x00, 0xB0, 0x00, 0x00, 0x00, 0xEA, 0x60]);
        assert_eq!(r.len(), 60002);
        assert_eq!(&r[..60000], &pattern(60000)[..]);
        assert_eq!(&r[60000..], [0x90, 0x00]);
        // Extended Le 0000 = 65536: capped at 65533 so the reply fits vpcd's frame.
        let r = c.process(&[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00]);
        assert_eq!(r.len(), 65535);
        assert_eq!(&r[65533..], [0x90, 0x00]);
        // Extended Le 65534: also capped, and the shortfall is a warning.
        let r = c.process(&[0x00, 0xB0, 0x00, 0x00, 0x00, 0xFF, 0xFE]);
        assert_eq!(&r[65533..], [0x62, 0x82]);
        // Extended UPDATE of 60000 bytes at offset 100.
        let data: Vec<u8> = (0..60000u32).map(|i| (i % 256) as u8).collect();
        let mut cmd = vec![0x00, 0xD6, 0x00, 0x64, 0x00, 0xEA, 0x60];
        cmd.extend_from_slice(&data);
        assert_eq!(c.process(&cmd), [0x90, 0x00]);
        assert_eq!(&c.contents()[100..60100], &data[..]);
        assert_eq!(&c.contents()[..100], &pattern(100)[..]);
    }

    #[test]
    fn never_panics_on_short_garbage() {
        let mut c = MemoryCard::with_size(300);
        let bytes = [0x00, 0x01, 0x02, 0x0C, 0x7F, 0x80, 0xA4, 0xB0, 0xD6, 0xFF];
        let mut apdu = Vec::new();
        // Every APDU of up to 5 bytes over a small alphabet, twice (unselected, selected).
        for selected in [false, true] {
            let mut n = 0u64;
            while n < 10u64.pow(5) {
                apdu.clear();
                let mut k = n;
                for _ in 0..(n % 6) {
                    apdu.push(bytes[(k % 10) as usize]);
                    k /= 10;
                }
                let r = c.process(&apdu);
                assert!(r.len() >= 2);
                if selected {
                    c.process(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x01]);
                }
                n += 7;
            }
        }
    }
}
