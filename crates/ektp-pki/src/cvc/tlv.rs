//! The CV certificate's view of BER-TLV: `ektp-iso7816`'s checked reader, plus DER's rule
//! that every length is in its shortest form (a signature covers the bytes as encoded, so
//! there must be exactly one encoding of each certificate).

use ektp_iso7816::tlv::{self, Reader, Tlv};

use super::error::{CvcDecodeKind, CvcError, Field};

/// Bytes of the shortest encoding of a tag and a length.
fn header_len(tag: u32, len: usize) -> usize {
    let mut out = Vec::with_capacity(8);
    tlv::encode_length(len, &mut out);
    let tag_len = match tag {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        _ => 3,
    };
    out.len().saturating_add(tag_len)
}

/// Offset of the first byte (the tag) of `t` in the outermost input.
pub(crate) fn start_offset(t: &Tlv<'_>) -> usize {
    t.value_offset
        .saturating_sub(t.raw.len().saturating_sub(t.value.len()))
}

/// Fails unless `t`'s length is in its shortest form.
pub(crate) fn canonical(t: &Tlv<'_>) -> Result<(), CvcError> {
    let header = t.raw.len().saturating_sub(t.value.len());
    if header == header_len(t.tag.value(), t.value.len()) {
        Ok(())
    } else {
        Err(CvcError::decode(
            CvcDecodeKind::NonCanonicalLength,
            start_offset(t),
        ))
    }
}

/// The next object, which must have `tag` and a canonical length.
pub(crate) fn expect<'a>(r: &mut Reader<'a>, tag: u32) -> Result<Tlv<'a>, CvcError> {
    let t = r.expect(tag)?;
    canonical(&t)?;
    Ok(t)
}

/// The next object if it has `tag` (with a canonical length).
pub(crate) fn optional<'a>(r: &mut Reader<'a>, tag: u32) -> Result<Option<Tlv<'a>>, CvcError> {
    match r.optional(tag)? {
        Some(t) => {
            canonical(&t)?;
            Ok(Some(t))
        }
        None => Ok(None),
    }
}

/// A children reader over a constructed object.
pub(crate) fn children<'a>(t: &Tlv<'a>) -> Result<Reader<'a>, CvcError> {
    Ok(t.children()?)
}

/// The reader must be exhausted.
pub(crate) fn finish(r: Reader<'_>) -> Result<(), CvcError> {
    Ok(r.finish()?)
}

/// An `Invalid(field)` error located at `t`.
pub(crate) fn invalid(field: Field, t: &Tlv<'_>) -> CvcError {
    CvcError::decode(CvcDecodeKind::Invalid(field), start_offset(t))
}

/// Parses exactly one top-level object of `tag` spanning `bytes`, at most `max` bytes long.
pub(crate) fn top_level(bytes: &[u8], tag: u32, max: usize) -> Result<Tlv<'_>, CvcError> {
    if bytes.len() > max {
        return Err(CvcError::decode(
            CvcDecodeKind::TooLong {
                len: bytes.len(),
                max,
            },
            0,
        ));
    }
    let mut r = Reader::new(bytes);
    let t = expect(&mut r, tag)?;
    finish(r)?;
    Ok(t)
}
