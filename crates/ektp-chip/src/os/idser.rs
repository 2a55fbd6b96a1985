//! Serde helpers: file identifiers and short EF identifiers as plain numbers in the chip's
//! JSON state (as they were written before they had types), validated when read back.

/// A [`Fid`](ektp_iso7816::Fid) as its `u16` value.
pub(crate) mod fid {
    use ektp_iso7816::Fid;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(fid: &Fid, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(fid.value())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Fid, D::Error> {
        Fid::new(u16::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// An optional [`Sfi`](ektp_iso7816::Sfi) as its `u8` value or `null`.
pub(crate) mod opt_sfi {
    use ektp_iso7816::Sfi;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(sfi: &Option<Sfi>, s: S) -> Result<S::Ok, S::Error> {
        match sfi {
            Some(sfi) => s.serialize_some(&sfi.value()),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Sfi>, D::Error> {
        Option::<u8>::deserialize(d)?
            .map(|v| Sfi::new(v).map_err(serde::de::Error::custom))
            .transpose()
    }
}
