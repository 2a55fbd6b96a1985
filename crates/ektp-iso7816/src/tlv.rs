//! BER-TLV (ISO/IEC 7816-4 §5.2, ISO/IEC 8825-1) with 1–3 byte tags and definite lengths.
//!
//! Reading is zero-copy: a [`Tlv`] borrows its value and its raw encoding from the input, so a
//! data group can be hashed over exactly the bytes that were read. Every length is checked
//! against what remains and against [`MAX_TLV_LEN`]; nesting is checked against
//! [`MAX_TLV_DEPTH`]; indefinite lengths are rejected.
//!
//! ```
//! use ektp_iso7816::tlv::{self, Reader, Writer};
//! let mut w = Writer::new();
//! w.nested(0x61, |w| {
//!     w.put(0x5F1F, b"I<IDN");
//! });
//! let bytes = w.into_bytes();
//! let dg1 = tlv::parse_one(&bytes)?;
//! let mut inner = dg1.children()?;
//! assert_eq!(inner.expect(0x5F1F)?.value, b"I<IDN");
//! inner.finish()?;
//! # Ok::<(), ektp_iso7816::DecodeError>(())
//! ```

use crate::cursor::{Cursor, DecodeError, DecodeErrorKind};
use core::fmt;

/// Deepest nesting a reader follows.
pub const MAX_TLV_DEPTH: usize = 16;
/// Largest value length accepted (16 MiB), far above any e-KTP file.
pub const MAX_TLV_LEN: usize = 16 * 1024 * 1024;

/// A BER tag of one to three bytes, held as its big-endian value (`0x5F1F`, `0x7F61`).
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(u32);

impl Tag {
    /// Validates the encoding of a 1–3 byte tag given as its big-endian value.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Invalid`] if the bytes are not a well-formed tag.
    pub fn new(value: u32) -> Result<Self, DecodeError> {
        let bytes = tag_bytes(value);
        let mut c = Cursor::new(&bytes);
        let t = read_tag(&mut c)?;
        c.finish()?;
        if t.0 == value {
            Ok(t)
        } else {
            Err(DecodeError::new(DecodeErrorKind::Invalid("tag"), 0))
        }
    }

    /// The tag's big-endian value.
    pub const fn value(self) -> u32 {
        self.0
    }

    /// The tag's first byte (class, constructed bit, number or `1F`).
    pub fn first_byte(self) -> u8 {
        tag_bytes(self.0).first().copied().unwrap_or(0)
    }

    /// Whether the constructed bit (`0x20` of the first byte) is set.
    pub fn is_constructed(self) -> bool {
        self.first_byte() & 0x20 != 0
    }

    /// The class bits (`0x00` universal, `0x40` application, `0x80` context, `0xC0` private).
    pub fn class(self) -> u8 {
        self.first_byte() & 0xC0
    }

    /// The tag's bytes.
    pub fn to_bytes(self) -> Vec<u8> {
        tag_bytes(self.0)
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({:02X})", self.0)
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02X}", self.0)
    }
}

fn tag_bytes(value: u32) -> Vec<u8> {
    let b = value.to_be_bytes();
    let skip = b.iter().take(3).take_while(|&&x| x == 0).count();
    b.get(skip..).unwrap_or_default().to_vec()
}

fn read_tag(c: &mut Cursor<'_>) -> Result<Tag, DecodeError> {
    let start = c.offset();
    let first = c.u8()?;
    if first == 0x00 || first == 0xFF {
        return Err(DecodeError::new(DecodeErrorKind::Invalid("tag"), start));
    }
    let mut value = u32::from(first);
    if first & 0x1F != 0x1F {
        return Ok(Tag(value));
    }
    for n in 1..=2 {
        let b = c.u8()?;
        if n == 1 && b == 0x80 {
            // Leading zero bits in a subsequent tag byte are not allowed (X.690 §8.1.2.4.2 c).
            return Err(DecodeError::new(DecodeErrorKind::Invalid("tag"), start));
        }
        value = (value << 8) | u32::from(b);
        if b & 0x80 == 0 {
            return Ok(Tag(value));
        }
    }
    Err(DecodeError::new(DecodeErrorKind::TagTooLong, start))
}

fn read_length(c: &mut Cursor<'_>) -> Result<usize, DecodeError> {
    let start = c.offset();
    let first = c.u8()?;
    let len = match first {
        0x00..=0x7F => usize::from(first),
        0x80 => {
            return Err(DecodeError::new(DecodeErrorKind::IndefiniteLength, start));
        }
        0x81..=0x84 => {
            let n = usize::from(first & 0x7F);
            let mut v: usize = 0;
            for b in c.take(n)? {
                v = v
                    .checked_mul(256)
                    .and_then(|v| v.checked_add(usize::from(*b)))
                    .ok_or(DecodeError::new(DecodeErrorKind::LengthTooLong, start))?;
            }
            v
        }
        _ => return Err(DecodeError::new(DecodeErrorKind::LengthTooLong, start)),
    };
    if len > MAX_TLV_LEN {
        return Err(DecodeError::new(DecodeErrorKind::LengthTooLong, start));
    }
    Ok(len)
}

/// The tag and length of a data object, read from its first bytes before its value arrives
/// (e.g. to learn a file's size from the first chunk of a READ BINARY).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The tag.
    pub tag: Tag,
    /// Bytes of tag and length.
    pub header_len: usize,
    /// Bytes of value the length announces.
    pub value_len: usize,
}

impl Header {
    /// Header plus value: the whole object's size.
    pub fn total_len(&self) -> usize {
        self.header_len.saturating_add(self.value_len)
    }
}

/// Reads the tag and length at the start of `bytes`, with the same rules and limits as
/// [`Reader`]. `Ok(None)` means the header itself is not complete yet.
///
/// # Errors
/// A [`DecodeError`] for a malformed tag or length.
pub fn read_header(bytes: &[u8]) -> Result<Option<Header>, DecodeError> {
    let mut c = Cursor::new(bytes);
    let parsed = read_tag(&mut c).and_then(|tag| Ok((tag, read_length(&mut c)?)));
    match parsed {
        Ok((tag, value_len)) => Ok(Some(Header {
            tag,
            header_len: c.offset(),
            value_len,
        })),
        Err(e) if e.kind == DecodeErrorKind::Truncated => Ok(None),
        Err(e) => Err(e),
    }
}

/// One data object: its tag, its value, and its whole raw encoding, all borrowed from the input.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The tag.
    pub tag: Tag,
    /// The value bytes.
    pub value: &'a [u8],
    /// Tag, length and value exactly as they appeared in the input.
    pub raw: &'a [u8],
    /// Offset of the value in the outermost input.
    pub value_offset: usize,
    depth: usize,
}

impl<'a> Tlv<'a> {
    /// A reader over this object's value, one nesting level deeper.
    ///
    /// # Errors
    /// [`DecodeErrorKind::TooDeep`] past [`MAX_TLV_DEPTH`].
    pub fn children(&self) -> Result<Reader<'a>, DecodeError> {
        let depth = self.depth.saturating_add(1);
        if depth > MAX_TLV_DEPTH {
            return Err(DecodeError::new(
                DecodeErrorKind::TooDeep,
                self.value_offset,
            ));
        }
        Ok(Reader {
            cursor: Cursor::with_base(self.value, self.value_offset),
            depth,
        })
    }

    /// Fails unless this object has `tag`.
    ///
    /// # Errors
    /// [`DecodeErrorKind::UnexpectedTag`].
    pub fn expect_tag(self, tag: u32) -> Result<Self, DecodeError> {
        if self.tag.value() == tag {
            Ok(self)
        } else {
            Err(DecodeError::new(
                DecodeErrorKind::UnexpectedTag {
                    expected: tag,
                    found: self.tag.value(),
                },
                self.value_offset
                    .saturating_sub(self.raw.len().saturating_sub(self.value.len())),
            ))
        }
    }
}

/// Reads a sequence of data objects from a slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    cursor: Cursor<'a>,
    depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `bytes` at nesting depth 0.
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self {
            cursor: Cursor::new(bytes),
            depth: 0,
        }
    }

    /// Offset of the next object in the outermost input.
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// The next object, or `None` at the end.
    ///
    /// # Errors
    /// A [`DecodeError`] for a malformed tag or length, or a value running past the end.
    pub fn next_tlv(&mut self) -> Result<Option<Tlv<'a>>, DecodeError> {
        if self.cursor.is_empty() {
            return Ok(None);
        }
        let mut probe = self.cursor.clone();
        let tag = read_tag(&mut probe)?;
        let len = read_length(&mut probe)?;
        let value_offset = probe.offset();
        let value = probe.take(len)?;
        let header = value_offset.saturating_sub(self.cursor.offset());
        let total = header
            .checked_add(len)
            .ok_or_else(|| self.cursor.error(DecodeErrorKind::LengthTooLong))?;
        let raw = self.cursor.take(total)?;
        Ok(Some(Tlv {
            tag,
            value,
            raw,
            value_offset,
            depth: self.depth,
        }))
    }

    /// The next object, which must have `tag`.
    ///
    /// # Errors
    /// [`DecodeErrorKind::MissingTag`] at the end, [`DecodeErrorKind::UnexpectedTag`] for another tag.
    pub fn expect(&mut self, tag: u32) -> Result<Tlv<'a>, DecodeError> {
        let at = self.offset();
        match self.next_tlv()? {
            Some(t) if t.tag.value() == tag => Ok(t),
            Some(t) => Err(DecodeError::new(
                DecodeErrorKind::UnexpectedTag {
                    expected: tag,
                    found: t.tag.value(),
                },
                at,
            )),
            None => Err(DecodeError::new(DecodeErrorKind::MissingTag(tag), at)),
        }
    }

    /// Takes the next object only if it has `tag`.
    ///
    /// # Errors
    /// A [`DecodeError`] if the next object is malformed.
    pub fn optional(&mut self, tag: u32) -> Result<Option<Tlv<'a>>, DecodeError> {
        let mut probe = self.clone();
        match probe.next_tlv()? {
            Some(t) if t.tag.value() == tag => {
                *self = probe;
                Ok(Some(t))
            }
            _ => Ok(None),
        }
    }

    /// Scans the remaining objects for `tag`, consuming up to and including it.
    ///
    /// # Errors
    /// A [`DecodeError`] if an object on the way is malformed.
    pub fn find(&mut self, tag: u32) -> Result<Option<Tlv<'a>>, DecodeError> {
        while let Some(t) = self.next_tlv()? {
            if t.tag.value() == tag {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }

    /// Whether every object was read.
    pub fn is_empty(&self) -> bool {
        self.cursor.is_empty()
    }

    /// Succeeds only if every object was read.
    ///
    /// # Errors
    /// [`DecodeErrorKind::TrailingBytes`].
    pub fn finish(self) -> Result<(), DecodeError> {
        self.cursor.finish()
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Tlv<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_tlv() {
            Ok(Some(t)) => Some(Ok(t)),
            Ok(None) => None,
            Err(e) => {
                // Stop after the first error so a caller's loop ends.
                self.cursor.rest();
                Some(Err(e))
            }
        }
    }
}

/// Parses exactly one object spanning all of `bytes`.
///
/// # Errors
/// A [`DecodeError`] if the object is malformed or followed by trailing bytes.
pub fn parse_one(bytes: &[u8]) -> Result<Tlv<'_>, DecodeError> {
    let mut r = Reader::new(bytes);
    let t = r
        .next_tlv()?
        .ok_or(DecodeError::new(DecodeErrorKind::Truncated, 0))?;
    r.finish()?;
    Ok(t)
}

/// Appends the minimal BER/DER encoding of `len`.
pub fn encode_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let b = (len as u64).to_be_bytes();
    let skip = b.iter().take_while(|&&x| x == 0).count();
    let body = b.get(skip..).unwrap_or_default();
    out.push(0x80 | body.len() as u8);
    out.extend_from_slice(body);
}

/// Encodes one object.
pub fn encode(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut out = tag_bytes(tag);
    out.reserve(value.len().saturating_add(5));
    encode_length(value.len(), &mut out);
    out.extend_from_slice(value);
    out
}

/// Builds a sequence of data objects.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one object.
    pub fn put(&mut self, tag: u32, value: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(&tag_bytes(tag));
        encode_length(value.len(), &mut self.buf);
        self.buf.extend_from_slice(value);
        self
    }

    /// Appends already-encoded bytes as they are.
    pub fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self
    }

    /// Appends a constructed object whose content `f` writes.
    pub fn nested(&mut self, tag: u32, f: impl FnOnce(&mut Writer)) -> &mut Self {
        let mut inner = Writer::new();
        f(&mut inner);
        self.put(tag, &inner.buf)
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The encoded bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_and_long_lengths() {
        for len in [0usize, 1, 127, 128, 255, 256, 65535, 65536, 1 << 20] {
            let v = vec![0xAB; len];
            let enc = encode(0x04, &v);
            let t = parse_one(&enc).unwrap();
            assert_eq!(t.value.len(), len);
            assert_eq!(t.raw, &enc[..]);
        }
        assert_eq!(encode(0x04, &[0; 128])[..3], [0x04, 0x81, 0x80]);
        assert_eq!(encode(0x04, &[0; 256])[..4], [0x04, 0x82, 0x01, 0x00]);
    }

    #[test]
    fn accepts_non_minimal_ber_length() {
        let t = parse_one(&[0x5A, 0x82, 0x00, 0x02, 1, 2]).unwrap();
        assert_eq!(t.value, &[1, 2]);
    }

    #[test]
    fn four_byte_length_and_five_rejected() {
        let mut enc = vec![0x04, 0x84, 0, 0, 0, 3, 1, 2, 3];
        assert_eq!(parse_one(&enc).unwrap().value, &[1, 2, 3]);
        enc = vec![0x04, 0x85, 0, 0, 0, 0, 3, 1, 2, 3];
        assert_eq!(
            parse_one(&enc).unwrap_err().kind,
            DecodeErrorKind::LengthTooLong
        );
        // A length over the limit is rejected before anything is allocated or sliced.
        let huge = [0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF];
        assert_eq!(
            parse_one(&huge).unwrap_err().kind,
            DecodeErrorKind::LengthTooLong
        );
    }

    #[test]
    fn multibyte_tags() {
        for tag in [0x5F1F_u32, 0x7F61, 0x5F2B, 0x7F49, 0xBF8101] {
            let enc = encode(tag, b"x");
            let t = parse_one(&enc).unwrap();
            assert_eq!(t.tag.value(), tag);
            assert_eq!(Tag::new(tag).unwrap().to_bytes(), enc[..enc.len() - 2]);
        }
        assert!(Tag::new(0x7F61).unwrap().is_constructed());
        assert!(!Tag::new(0x5F1F).unwrap().is_constructed());
        assert_eq!(Tag::new(0x61).unwrap().class(), 0x40);
        // Four tag bytes: too long.
        let err = parse_one(&[0x5F, 0x81, 0x81, 0x01, 0x00]).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::TagTooLong);
        // 1F followed by 80: leading zero bits.
        assert!(parse_one(&[0x5F, 0x80, 0x01, 0x00]).is_err());
        assert!(Tag::new(0x5F).is_err());
    }

    #[test]
    fn indefinite_length_rejected() {
        let err = parse_one(&[0x61, 0x80, 0x04, 0x01, 0x00, 0x00, 0x00]).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::IndefiniteLength);
        assert_eq!(err.offset, 1);
    }

    #[test]
    fn truncation_is_reported_with_offset() {
        let err = parse_one(&[0x61, 0x05, 0x01]).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::Truncated);
        assert_eq!(
            parse_one(&[0x61]).unwrap_err().kind,
            DecodeErrorKind::Truncated
        );
        assert_eq!(
            parse_one(&[0x61, 0x82, 0x01]).unwrap_err().kind,
            DecodeErrorKind::Truncated
        );
        let mut r = Reader::new(&[0x61, 0x00, 0x00]);
        r.next_tlv().unwrap();
        assert_eq!(
            r.next_tlv().unwrap_err().kind,
            DecodeErrorKind::Invalid("tag")
        );
        assert_eq!(
            parse_one(&[0x61, 0x00, 0x01, 0x00]).unwrap_err().kind,
            DecodeErrorKind::TrailingBytes
        );
    }

    #[test]
    fn nested_offsets_are_absolute() {
        let inner = encode(0x5F1F, b"abc");
        let outer = encode(0x61, &inner);
        let t = parse_one(&outer).unwrap();
        let mut r = t.children().unwrap();
        let c = r.expect(0x5F1F).unwrap();
        assert_eq!(c.value_offset, 5);
        let mut r = t.children().unwrap();
        let err = r.expect(0x5F20).unwrap_err();
        assert_eq!(err.offset, 2);
        assert!(matches!(err.kind, DecodeErrorKind::UnexpectedTag { .. }));
    }

    #[test]
    fn depth_limit() {
        let mut enc = encode(0x04, b"leaf");
        for _ in 0..=MAX_TLV_DEPTH {
            enc = encode(0x30, &enc);
        }
        fn walk(t: Tlv<'_>) -> Result<(), DecodeError> {
            if t.tag.is_constructed() {
                for c in t.children()? {
                    walk(c?)?;
                }
            }
            Ok(())
        }
        let err = walk(parse_one(&enc).unwrap()).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::TooDeep);
        // One level less is fine.
        let mut enc = encode(0x04, b"leaf");
        for _ in 0..MAX_TLV_DEPTH {
            enc = encode(0x30, &enc);
        }
        walk(parse_one(&enc).unwrap()).unwrap();
    }

    #[test]
    fn header_before_the_value_arrives() {
        let enc = encode(0x75, &[0xAB; 300]);
        let h = read_header(&enc[..4]).unwrap().unwrap();
        assert_eq!((h.tag.value(), h.header_len, h.value_len), (0x75, 4, 300));
        assert_eq!(h.total_len(), enc.len());
        assert_eq!(read_header(&enc[..2]).unwrap(), None);
        assert_eq!(read_header(&[]).unwrap(), None);
        assert_eq!(
            read_header(&[0x75, 0x80]).unwrap_err().kind,
            DecodeErrorKind::IndefiniteLength
        );
    }

    #[test]
    fn optional_and_find() {
        let mut w = Writer::new();
        w.put(0x80, &[1]).put(0x81, &[2]).put(0x84, &[3]);
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        assert!(r.optional(0x83).unwrap().is_none());
        assert_eq!(r.optional(0x80).unwrap().unwrap().value, &[1]);
        assert_eq!(r.find(0x84).unwrap().unwrap().value, &[3]);
        assert!(r.is_empty());
    }

    fn arb_tag() -> impl Strategy<Value = u32> {
        prop_oneof![
            (0x01u32..=0xFE).prop_filter("single", |t| t & 0x1F != 0x1F),
            (0x1Fu32..=0x7F).prop_map(|b| 0x5F00 | b),
            (0x81u32..=0xFF, 0x01u32..=0x7F).prop_map(|(a, b)| 0x7F0000 | (a << 8) | b),
        ]
    }

    proptest! {
        #[test]
        fn round_trip(items in proptest::collection::vec((arb_tag(), proptest::collection::vec(any::<u8>(), 0..300)), 0..8)) {
            let mut w = Writer::new();
            for (t, v) in &items { w.put(*t, v); }
            let bytes = w.into_bytes();
            let parsed: Vec<_> = Reader::new(&bytes).map(|t| t.map(|t| (t.tag.value(), t.value.to_vec()))).collect::<Result<_,_>>().unwrap();
            prop_assert_eq!(parsed, items);
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            fn walk(r: Reader<'_>) {
                for t in r {
                    match t {
                        Ok(t) => if let Ok(c) = t.children() { walk(c) },
                        Err(_) => return,
                    }
                }
            }
            walk(Reader::new(&bytes));
            let _ = parse_one(&bytes);
        }
    }
}
