//! The TD1 machine-readable zone (ICAO 9303-5 §4.2) and the 9303-3 rules it uses:
//! check digits (§4.9), the name field and its transliteration/truncation (§4.6).

use ektp_iso7816::{DecodeError, DecodeErrorKind};

/// Length of one TD1 line.
pub const TD1_LINE_LEN: usize = 30;
/// Length of the whole TD1 MRZ (3 lines, no separators), as stored in DG1 tag 5F1F.
pub const TD1_LEN: usize = 90;

/// The expiry field for a card valid for life ("SEUMUR HIDUP").
///
/// ICAO 9303 has no value for "no expiry"; e-KTP uses `991231` (31 December 2099 read with
/// the usual two-digit window), a date no dated foreign-resident card can carry, because the
/// application rules refuse a dated validity of 2099-12-31. DG13 tag `8A` carries the
/// authoritative validity text; readers must use it.
pub const LIFETIME_EXPIRY: &[u8; 6] = b"991231";

/// The value of one MRZ character for check digits (ICAO 9303-3 §4.9): digits 0-9, A-Z as
/// 10-35, filler `<` as 0. `None` for any other byte.
pub const fn char_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c.wrapping_sub(b'0')),
        b'A'..=b'Z' => Some(c.wrapping_sub(b'A').wrapping_add(10)),
        b'<' => Some(0),
        _ => None,
    }
}

/// ICAO 9303-3 §4.9 check digit: weights 7, 3, 1 repeating, sum modulo 10. `None` if a byte
/// is not an MRZ character.
pub fn check_digit(field: &[u8]) -> Option<u8> {
    let mut sum: u32 = 0;
    for (c, w) in field.iter().zip([7u32, 3, 1].iter().cycle()) {
        let v = u32::from(char_value(*c)?);
        sum = sum.wrapping_add(v.wrapping_mul(*w));
    }
    u8::try_from(sum % 10).ok().map(|d| d.wrapping_add(b'0'))
}

/// The name as it goes into the TD1 name field (positions 61-90, 30 characters).
///
/// e-KTP convention (Indonesian names have no family-name part): the whole name is the
/// primary identifier and the secondary identifier is empty. Transliteration (ICAO 9303-3
/// §4.6): space and hyphen become the filler `<`, apostrophe, full stop and comma are omitted,
/// Latin letters are kept. Truncation when the name is longer than 30 positions: characters
/// are removed from the end of the components, last component first, each component keeping
/// at least its initial; so the field always ends in a letter, which marks possible
/// truncation. If even the initials do not fit, the field is cut at 30 positions.
pub fn td1_name_field(name: &str) -> [u8; TD1_LINE_LEN] {
    let mut components: Vec<Vec<u8>> = name
        .split([' ', '-'])
        .map(|w| {
            w.bytes()
                .filter(u8::is_ascii_alphabetic)
                .map(|b| b.to_ascii_uppercase())
                .collect::<Vec<u8>>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let total = |c: &[Vec<u8>]| -> usize {
        c.iter()
            .map(Vec::len)
            .fold(c.len().saturating_sub(1), usize::saturating_add)
    };
    let mut i = components.len();
    while total(&components) > TD1_LINE_LEN && i > 0 {
        i = i.saturating_sub(1);
        let over = total(&components).saturating_sub(TD1_LINE_LEN);
        if let Some(c) = components.get_mut(i) {
            let keep = c.len().saturating_sub(over).max(1);
            c.truncate(keep);
        }
    }
    let mut out = [b'<'; TD1_LINE_LEN];
    let joined = components.join(&b'<');
    for (o, b) in out.iter_mut().zip(joined.iter()) {
        *o = *b;
    }
    out
}

/// A TD1 MRZ (ICAO 9303-5 §4.2.2), three lines of 30 characters.
///
/// ```text
/// line 1: doc code(2) state(3) doc number(9) check(1) optional data(15)
/// line 2: birth YYMMDD(6) check(1) sex(1) expiry YYMMDD(6) check(1) nationality(3)
///         optional data(11) composite check(1)
/// line 3: name(30)
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Td1 {
    /// Document code, e.g. `ID` (e-KTP) or `I<`.
    pub document_code: [u8; 2],
    /// Issuing state, e.g. `IDN`.
    pub issuing_state: [u8; 3],
    /// Document number (9 positions, filler-padded).
    pub document_number: [u8; 9],
    /// Optional data, line 1 (15 positions).
    pub optional_data_1: [u8; 15],
    /// Date of birth `YYMMDD`.
    pub date_of_birth: [u8; 6],
    /// Sex `M`, `F` or `<`.
    pub sex: u8,
    /// Date of expiry `YYMMDD`.
    pub date_of_expiry: [u8; 6],
    /// Nationality.
    pub nationality: [u8; 3],
    /// Optional data, line 2 (11 positions).
    pub optional_data_2: [u8; 11],
    /// Name field (30 positions).
    pub name: [u8; 30],
}

fn err(what: &'static str, offset: usize) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Invalid(what), offset)
}

fn arr<const N: usize>(b: &[u8], at: usize) -> Result<[u8; N], DecodeError> {
    b.get(at..at.saturating_add(N))
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| DecodeError::new(DecodeErrorKind::Truncated, at))
}

impl Td1 {
    /// The 90 characters with all four check digits computed. Fields are written as given;
    /// a field holding a byte that is not an MRZ character gets check digit `0`, and
    /// [`Td1::parse`] of the result fails.
    pub fn to_bytes(&self) -> [u8; TD1_LEN] {
        let mut l1 = Vec::with_capacity(TD1_LINE_LEN);
        l1.extend_from_slice(&self.document_code);
        l1.extend_from_slice(&self.issuing_state);
        l1.extend_from_slice(&self.document_number);
        l1.push(check_digit(&self.document_number).unwrap_or(b'0'));
        l1.extend_from_slice(&self.optional_data_1);
        let mut l2 = Vec::with_capacity(TD1_LINE_LEN);
        l2.extend_from_slice(&self.date_of_birth);
        l2.push(check_digit(&self.date_of_birth).unwrap_or(b'0'));
        l2.push(self.sex);
        l2.extend_from_slice(&self.date_of_expiry);
        l2.push(check_digit(&self.date_of_expiry).unwrap_or(b'0'));
        l2.extend_from_slice(&self.nationality);
        l2.extend_from_slice(&self.optional_data_2);
        let mut composite = Vec::with_capacity(60);
        composite.extend_from_slice(l1.get(5..30).unwrap_or_default());
        composite.extend_from_slice(l2.get(0..7).unwrap_or_default());
        composite.extend_from_slice(l2.get(8..15).unwrap_or_default());
        composite.extend_from_slice(l2.get(18..29).unwrap_or_default());
        l2.push(check_digit(&composite).unwrap_or(b'0'));
        let mut out = [b'<'; TD1_LEN];
        for (o, b) in out
            .iter_mut()
            .zip(l1.iter().chain(l2.iter()).chain(self.name.iter()))
        {
            *o = *b;
        }
        out
    }

    /// The three lines as text.
    pub fn lines(&self) -> [String; 3] {
        let b = self.to_bytes();
        let line = |r: core::ops::Range<usize>| {
            String::from_utf8_lossy(b.get(r).unwrap_or_default()).into_owned()
        };
        [line(0..30), line(30..60), line(60..90)]
    }

    /// Parses 90 MRZ characters and verifies every check digit.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Invalid`] naming the bad field (offset = its position), or
    /// [`DecodeErrorKind::Truncated`]/[`DecodeErrorKind::TrailingBytes`] for a wrong length.
    pub fn parse(b: &[u8]) -> Result<Self, DecodeError> {
        if b.len() < TD1_LEN {
            return Err(DecodeError::new(DecodeErrorKind::Truncated, b.len()));
        }
        if b.len() > TD1_LEN {
            return Err(DecodeError::new(DecodeErrorKind::TrailingBytes, TD1_LEN));
        }
        if let Some(pos) = b.iter().position(|c| char_value(*c).is_none()) {
            return Err(err("MRZ character (allowed: A-Z 0-9 <)", pos));
        }
        let td1 = Self {
            document_code: arr(b, 0)?,
            issuing_state: arr(b, 2)?,
            document_number: arr(b, 5)?,
            optional_data_1: arr(b, 15)?,
            date_of_birth: arr(b, 30)?,
            sex: b.get(37).copied().unwrap_or(b'<'),
            date_of_expiry: arr(b, 38)?,
            nationality: arr(b, 45)?,
            optional_data_2: arr(b, 48)?,
            name: arr(b, 60)?,
        };
        let rebuilt = td1.to_bytes();
        for (pos, what) in [
            (14usize, "MRZ document number check digit"),
            (36, "MRZ date of birth check digit"),
            (44, "MRZ date of expiry check digit"),
            (59, "MRZ composite check digit"),
        ] {
            if rebuilt.get(pos) != b.get(pos) {
                return Err(err(what, pos));
            }
        }
        if !matches!(td1.sex, b'M' | b'F' | b'<') {
            return Err(err("MRZ sex (M, F or <)", 37));
        }
        Ok(td1)
    }

    /// The name field with fillers turned back into spaces and trailing fillers removed.
    pub fn name_text(&self) -> String {
        let s = String::from_utf8_lossy(&self.name);
        let trimmed = s.trim_end_matches('<');
        trimmed
            .split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn name_fields() {
        assert_eq!(
            &td1_name_field("SPESIMEN BUDI SANTOSO"),
            b"SPESIMEN<BUDI<SANTOSO<<<<<<<<<"
        );
        assert_eq!(
            &td1_name_field("SPESIMEN SITI-AMINAH D'ARCY, S.E."),
            b"SPESIMEN<SITI<AMINAH<DARCY<SE<"
        );
        let long = td1_name_field("SPESIMEN MUHAMMAD ABDURRAHMAN WAHYUDI KUSUMANEGARA");
        assert_eq!(&long, b"SPESIMEN<MUHAMMAD<ABDURRAH<W<K");
        assert!(long.last().unwrap().is_ascii_alphabetic());
        // Exactly 30 is not truncated.
        assert_eq!(
            &td1_name_field("ABCDEFGHIJ ABCDEFGHIJ ABCDEFGH"),
            b"ABCDEFGHIJ<ABCDEFGHIJ<ABCDEFGH"
        );
        // Initials do not fit: hard cut.
        let many = td1_name_field("A B C D E F G H I J K L M N O P Q R");
        assert_eq!(many.len(), 30);
    }

    #[test]
    fn check_digit_rejects_non_mrz() {
        assert_eq!(check_digit(b"ab"), None);
        assert_eq!(check_digit(b""), Some(b'0'));
    }

    #[test]
    fn parse_detects_each_check_digit() {
        let td1 = Td1 {
            document_code: *b"ID",
            issuing_state: *b"IDN",
            document_number: *b"KTP000001",
            optional_data_1: [b'<'; 15],
            date_of_birth: *b"080309",
            sex: b'M',
            date_of_expiry: *LIFETIME_EXPIRY,
            nationality: *b"IDN",
            optional_data_2: [b'<'; 11],
            name: td1_name_field("SPESIMEN BUDI"),
        };
        let good = td1.to_bytes();
        assert_eq!(Td1::parse(&good).unwrap(), td1);
        for pos in [14usize, 36, 44, 59] {
            let mut bad = good;
            bad[pos] = if bad[pos] == b'0' { b'1' } else { b'0' };
            let e = Td1::parse(&bad).unwrap_err();
            assert_eq!(e.offset, pos);
        }
        let mut bad = good;
        bad[3] = b'a';
        assert_eq!(Td1::parse(&bad).unwrap_err().offset, 3);
        assert!(Td1::parse(&good[..89]).is_err());
        assert_eq!(td1.name_text(), "SPESIMEN BUDI");
    }
}
