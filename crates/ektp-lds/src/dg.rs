//! Data group numbers and the LDS1 file ↔ tag mapping (ICAO 9303-10 §4.6, Table 34).

use core::fmt;

/// Tag of EF.COM.
pub const TAG_COM: u32 = 0x60;
/// Tag of EF.SOD.
pub const TAG_SOD: u32 = 0x77;

/// A data group number, 1..=16. Serializes as the bare number.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct DgNumber(u8);

const DG_TAGS: [u8; 16] = [
    0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70,
];

impl DgNumber {
    /// DG1, machine readable zone.
    pub const DG1: Self = Self(1);
    /// DG2, encoded face.
    pub const DG2: Self = Self(2);
    /// DG3, encoded fingers.
    pub const DG3: Self = Self(3);
    /// DG7, displayed signature.
    pub const DG7: Self = Self(7);
    /// DG11, additional personal details.
    pub const DG11: Self = Self(11);
    /// DG12, additional document details.
    pub const DG12: Self = Self(12);
    /// DG13, optional details (e-KTP: the Indonesian fields).
    pub const DG13: Self = Self(13);
    /// DG14, security options.
    pub const DG14: Self = Self(14);
    /// DG15, Active Authentication public key.
    pub const DG15: Self = Self(15);

    /// The data groups of the e-KTP profile, in order.
    pub const EKTP: [Self; 9] = [
        Self::DG1,
        Self::DG2,
        Self::DG3,
        Self::DG7,
        Self::DG11,
        Self::DG12,
        Self::DG13,
        Self::DG14,
        Self::DG15,
    ];

    /// 1..=16.
    pub const fn new(n: u8) -> Option<Self> {
        if n >= 1 && n <= 16 {
            Some(Self(n))
        } else {
            None
        }
    }

    /// The number.
    pub const fn value(self) -> u8 {
        self.0
    }

    /// The one-byte tag of this data group's outer template (`61` for DG1 … `70` for DG16).
    pub fn tag(self) -> u8 {
        DG_TAGS
            .get(usize::from(self.0.saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    }

    /// The data group whose template has this tag.
    pub fn from_tag(tag: u8) -> Option<Self> {
        let i = DG_TAGS.iter().position(|t| *t == tag)?;
        Self::new(u8::try_from(i).ok()?.checked_add(1)?)
    }
}

impl fmt::Display for DgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DG{}", self.0)
    }
}

/// A file of the e-KTP application (or EF.CardAccess in the MF), ordered as listed here
/// (data groups by number).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LdsFile {
    /// EF.CardAccess (PACE parameters, in the MF).
    CardAccess,
    /// EF.COM.
    Com,
    /// A data group.
    Dg(DgNumber),
    /// EF.SOD.
    Sod,
}

impl LdsFile {
    /// The outer tag of the file's content (`None` for EF.CardAccess, a bare SET).
    pub fn tag(self) -> Option<u32> {
        match self {
            Self::CardAccess => None,
            Self::Com => Some(TAG_COM),
            Self::Dg(n) => Some(u32::from(n.tag())),
            Self::Sod => Some(TAG_SOD),
        }
    }
}

impl fmt::Display for LdsFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CardAccess => f.write_str("EF.CardAccess"),
            Self::Com => f.write_str("EF.COM"),
            Self::Dg(n) => write!(f, "EF.{n}"),
            Self::Sod => f.write_str("EF.SOD"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        let expect = [
            (1, 0x61),
            (2, 0x75),
            (3, 0x63),
            (7, 0x67),
            (11, 0x6B),
            (12, 0x6C),
            (13, 0x6D),
            (14, 0x6E),
            (15, 0x6F),
            (16, 0x70),
        ];
        for (n, t) in expect {
            let dg = DgNumber::new(n).unwrap();
            assert_eq!(dg.tag(), t);
            assert_eq!(DgNumber::from_tag(t), Some(dg));
        }
        assert_eq!(DgNumber::new(0), None);
        assert_eq!(DgNumber::new(17), None);
        assert_eq!(DgNumber::from_tag(0x60), None);
        assert_eq!(LdsFile::Com.tag(), Some(0x60));
        assert_eq!(LdsFile::Sod.tag(), Some(0x77));
        assert_eq!(LdsFile::Dg(DgNumber::DG11).to_string(), "EF.DG11");
    }
}

/// Shared decoding helpers for the data-group modules.
pub(crate) mod codec {
    use ektp_iso7816::tlv::{self, Tlv};
    use ektp_iso7816::{DecodeError, DecodeErrorKind};

    use super::LdsFile;
    use crate::Error;

    /// Largest file any decoder accepts (64 KiB, above every e-KTP profile maximum).
    pub(crate) const MAX_FILE_LEN: usize = 64 * 1024;

    /// Parses exactly one TLV with `tag` spanning all of `bytes`.
    pub(crate) fn outer(file: LdsFile, bytes: &[u8], tag: u32) -> Result<Tlv<'_>, Error> {
        if bytes.len() > MAX_FILE_LEN {
            return Err(Error::decode(
                file,
                DecodeError::new(DecodeErrorKind::LengthTooLong, 0),
            ));
        }
        tlv::parse_one(bytes)
            .and_then(|t| t.expect_tag(tag))
            .map_err(|e| Error::decode(file, e))
    }

    /// A closure mapping a [`DecodeError`] into [`Error::Decode`] for `file`.
    pub(crate) fn de(file: LdsFile) -> impl Fn(DecodeError) -> Error {
        move |e| Error::decode(file, e)
    }

    /// A [`DecodeErrorKind::Invalid`] error at the value of `t`.
    pub(crate) fn invalid(file: LdsFile, t: &Tlv<'_>, what: &'static str) -> Error {
        Error::decode(
            file,
            DecodeError::new(DecodeErrorKind::Invalid(what), t.value_offset),
        )
    }

    /// The value of `t` as UTF-8 text of at most `max` bytes.
    pub(crate) fn text(
        file: LdsFile,
        t: &Tlv<'_>,
        max: usize,
        what: &'static str,
    ) -> Result<String, Error> {
        if t.value.len() > max {
            return Err(invalid(file, t, what));
        }
        core::str::from_utf8(t.value)
            .map(str::to_owned)
            .map_err(|_| invalid(file, t, what))
    }
}
