//! Biometric records carried by DG2/DG3/DG7: ISO/IEC 19794-5:2005 face records,
//! ISO/IEC 19794-2:2005 finger minutiae records, and the image formats they wrap.
//! All parsing goes through the checked [`Cursor`].

use ektp_iso7816::cursor::Cursor;
use ektp_iso7816::{DecodeError, DecodeErrorKind};

/// Largest portrait image accepted (bytes).
pub const MAX_PORTRAIT_LEN: usize = 32 * 1024;
/// Largest signature image accepted (bytes).
pub const MAX_SIGNATURE_LEN: usize = 16 * 1024;
/// Largest finger minutiae record accepted (bytes).
pub const MAX_MINUTIAE_RECORD_LEN: usize = 4 * 1024;

fn invalid(what: &'static str, offset: usize) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Invalid(what), offset)
}

/// The encoding of an image.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// JPEG (ISO/IEC 10918), `FFD8 … FFD9`.
    Jpeg,
    /// JPEG 2000 (ISO/IEC 15444), JP2 file or raw codestream.
    Jpeg2000,
}

impl ImageFormat {
    /// ISO/IEC 19794-5 image data type code (0 JPEG, 1 JPEG 2000).
    pub const fn iso19794_code(self) -> u8 {
        match self {
            Self::Jpeg => 0,
            Self::Jpeg2000 => 1,
        }
    }
}

const JP2_SIGNATURE: [u8; 12] = [
    0, 0, 0, 0x0C, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A,
];

/// Recognises a JPEG or JPEG 2000 image and returns its format, width and height.
///
/// JPEG: must start with SOI `FFD8` and end with EOI `FFD9`; the size comes from the first
/// SOFn marker. JPEG 2000: a JP2 file (signature box, `ihdr`) or a raw codestream (`FF4F FF51`,
/// size from SIZ).
///
/// # Errors
/// [`DecodeErrorKind::Invalid`] if the bytes are neither, or no size can be found.
pub fn sniff_image(bytes: &[u8]) -> Result<(ImageFormat, u16, u16), DecodeError> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        if !bytes.ends_with(&[0xFF, 0xD9]) {
            return Err(invalid("JPEG (no FFD9 end-of-image marker)", bytes.len()));
        }
        let (w, h) = jpeg_size(bytes)?;
        return Ok((ImageFormat::Jpeg, w, h));
    }
    if bytes.starts_with(&JP2_SIGNATURE) {
        let (w, h) = jp2_size(bytes)?;
        return Ok((ImageFormat::Jpeg2000, w, h));
    }
    if bytes.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
        let (w, h) = j2k_siz(bytes, 4)?;
        return Ok((ImageFormat::Jpeg2000, w, h));
    }
    Err(invalid("image (neither JPEG nor JPEG 2000)", 0))
}

fn jpeg_size(bytes: &[u8]) -> Result<(u16, u16), DecodeError> {
    let mut c = Cursor::new(bytes);
    c.take(2)?;
    // Each marker segment is visited once and the cursor always advances: bounded by the length.
    loop {
        let at = c.offset();
        if c.u8()? != 0xFF {
            return Err(invalid("JPEG marker", at));
        }
        let mut marker = c.u8()?;
        while marker == 0xFF {
            marker = c.u8()?;
        }
        match marker {
            0xD8 | 0x01 | 0xD0..=0xD7 => continue,
            0xD9 | 0xDA => return Err(invalid("JPEG (no SOF marker before scan data)", at)),
            _ => {}
        }
        let len = usize::from(c.u16_be()?);
        let body = c.take(
            len.checked_sub(2)
                .ok_or_else(|| invalid("JPEG segment length", at))?,
        )?;
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let mut s = Cursor::with_base(body, at.saturating_add(4));
            s.u8()?;
            let h = s.u16_be()?;
            let w = s.u16_be()?;
            if w == 0 || h == 0 {
                return Err(invalid("JPEG image size", at));
            }
            return Ok((w, h));
        }
    }
}

fn jp2_size(bytes: &[u8]) -> Result<(u16, u16), DecodeError> {
    let mut c = Cursor::new(bytes);
    // Boxes: LBox(4) TBox(4) contents. Look for jp2h → ihdr.
    fn find_box<'a>(c: &mut Cursor<'a>, want: &[u8; 4]) -> Result<Cursor<'a>, DecodeError> {
        loop {
            let at = c.offset();
            let len = usize::try_from(u32::from_be_bytes(
                c.take(4)?.try_into().map_err(|_| invalid("JP2 box", at))?,
            ))
            .map_err(|_| invalid("JP2 box length", at))?;
            let ty = c.take(4)?;
            let body_len = len
                .checked_sub(8)
                .ok_or_else(|| invalid("JP2 box length", at))?;
            let body = c.take(body_len)?;
            if ty == want {
                return Ok(Cursor::with_base(body, at.saturating_add(8)));
            }
        }
    }
    let mut h = find_box(&mut c, b"jp2h")?;
    let mut ihdr = find_box(&mut h, b"ihdr")?;
    let height = u32::from_be_bytes(ihdr.take(4)?.try_into().map_err(|_| invalid("ihdr", 0))?);
    let width = u32::from_be_bytes(ihdr.take(4)?.try_into().map_err(|_| invalid("ihdr", 0))?);
    let w = u16::try_from(width).map_err(|_| invalid("JP2 width (max 65535)", 0))?;
    let h = u16::try_from(height).map_err(|_| invalid("JP2 height (max 65535)", 0))?;
    if w == 0 || h == 0 {
        return Err(invalid("JP2 image size", 0));
    }
    Ok((w, h))
}

fn j2k_siz(bytes: &[u8], at: usize) -> Result<(u16, u16), DecodeError> {
    let mut c = Cursor::new(bytes);
    c.take(at)?;
    let _lsiz = c.u16_be()?;
    let _rsiz = c.u16_be()?;
    let xsiz = u32::from_be_bytes(c.take(4)?.try_into().map_err(|_| invalid("SIZ", at))?);
    let ysiz = u32::from_be_bytes(c.take(4)?.try_into().map_err(|_| invalid("SIZ", at))?);
    let w = u16::try_from(xsiz).map_err(|_| invalid("J2K width (max 65535)", at))?;
    let h = u16::try_from(ysiz).map_err(|_| invalid("J2K height (max 65535)", at))?;
    if w == 0 || h == 0 {
        return Err(invalid("J2K image size", at));
    }
    Ok((w, h))
}

/// A portrait: the image bytes plus what ISO/IEC 19794-5 records about them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaceImage {
    /// Image encoding.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// ISO/IEC 19794-5 gender code (0 unspecified, 1 male, 2 female, 0xFF unknown).
    pub gender: u8,
    /// The image bytes, exactly as supplied.
    pub image: Vec<u8>,
}

impl FaceImage {
    /// A portrait from image bytes; format and size are read from the image.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Invalid`] if the bytes are not a JPEG/JPEG 2000 image or are larger
    /// than [`MAX_PORTRAIT_LEN`].
    pub fn from_image(image: Vec<u8>, gender: u8) -> Result<Self, DecodeError> {
        if image.len() > MAX_PORTRAIT_LEN {
            return Err(DecodeError::new(DecodeErrorKind::LengthTooLong, 0));
        }
        let (format, width, height) = sniff_image(&image)?;
        Ok(Self {
            format,
            width,
            height,
            gender,
            image,
        })
    }

    /// The ISO/IEC 19794-5:2005 face record: general header, one facial record with no
    /// feature points, frontal full-frame image information, then the image.
    ///
    /// ```text
    /// "FAC\0" "010\0" record length(4) number of faces(2)=1
    /// block length(4) feature points(2)=0 gender(1) eye colour(1)=0 hair colour(1)=0
    /// feature mask(3)=0 expression(2)=0 pose angle(3)=0 pose uncertainty(3)=0
    /// face image type(1)=1 full frontal, image data type(1), width(2), height(2),
    /// colour space(1)=1 sRGB, source type(1)=2 digital still, device type(2)=0, quality(2)=0
    /// image data
    /// ```
    pub fn to_record(&self) -> Vec<u8> {
        const HEADER: usize = 14;
        const BLOCK_FIXED: usize = 20 + 12;
        let block_len = BLOCK_FIXED.saturating_add(self.image.len());
        let record_len = HEADER.saturating_add(block_len);
        let mut out = Vec::with_capacity(record_len);
        out.extend_from_slice(b"FAC\x00010\x00");
        out.extend_from_slice(&u32::try_from(record_len).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(&1u16.to_be_bytes());
        out.extend_from_slice(&u32::try_from(block_len).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(&0u16.to_be_bytes());
        out.push(self.gender);
        out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.push(1);
        out.push(self.format.iso19794_code());
        out.extend_from_slice(&self.width.to_be_bytes());
        out.extend_from_slice(&self.height.to_be_bytes());
        out.extend_from_slice(&[1, 2, 0, 0, 0, 0]);
        out.extend_from_slice(&self.image);
        out
    }

    /// Parses an ISO/IEC 19794-5:2005 face record holding exactly one face image.
    ///
    /// # Errors
    /// A [`DecodeError`] for a wrong header, inconsistent lengths, feature points past the
    /// block, an unknown image type, or an image that does not match its declared type/size.
    pub fn from_record(record: &[u8], base: usize) -> Result<Self, DecodeError> {
        let mut c = Cursor::with_base(record, base);
        let at = c.offset();
        if c.take(8)? != b"FAC\x00010\x00" {
            return Err(invalid("ISO/IEC 19794-5 header (FAC 010)", at));
        }
        let at = c.offset();
        let record_len =
            u32::from_be_bytes(c.take(4)?.try_into().map_err(|_| invalid("length", at))?);
        if usize::try_from(record_len).ok() != Some(record.len()) {
            return Err(invalid("19794-5 record length", at));
        }
        let at = c.offset();
        if c.u16_be()? != 1 {
            return Err(invalid("19794-5 number of faces (must be 1)", at));
        }
        let at = c.offset();
        let block_len =
            u32::from_be_bytes(c.take(4)?.try_into().map_err(|_| invalid("length", at))?);
        if usize::try_from(block_len).ok() != Some(c.remaining().saturating_add(4)) {
            return Err(invalid("19794-5 facial record block length", at));
        }
        let points = usize::from(c.u16_be()?);
        let gender = c.u8()?;
        c.take(13)?;
        c.take(
            points
                .checked_mul(8)
                .ok_or_else(|| invalid("feature points", at))?,
        )?;
        c.u8()?;
        let at = c.offset();
        let format = match c.u8()? {
            0 => ImageFormat::Jpeg,
            1 => ImageFormat::Jpeg2000,
            _ => return Err(invalid("19794-5 image data type", at)),
        };
        let width = c.u16_be()?;
        let height = c.u16_be()?;
        c.take(6)?;
        let at = c.offset();
        let image = c.rest().to_vec();
        let (sniffed, w, h) = sniff_image(&image)
            .map_err(|e| DecodeError::new(e.kind, e.offset.saturating_add(at)))?;
        if sniffed != format || w != width || h != height {
            return Err(invalid(
                "19794-5 image type/size do not match the image",
                at,
            ));
        }
        Ok(Self {
            format,
            width,
            height,
            gender,
            image,
        })
    }
}

/// A finger position code (ISO/IEC 19794-2 Table 2).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Finger {
    /// Right index finger, position code 2.
    RightIndex,
    /// Left index finger, position code 7.
    LeftIndex,
}

impl Finger {
    /// The ISO/IEC 19794-2 finger position code.
    pub const fn position_code(self) -> u8 {
        match self {
            Self::RightIndex => 2,
            Self::LeftIndex => 7,
        }
    }

    /// The CBEFF biometric subtype (ICAO 9303-10 / ISO/IEC 19785-1): right 0x01 or left 0x02,
    /// plus pointer (index) finger 0x08.
    pub const fn cbeff_subtype(self) -> u8 {
        match self {
            Self::RightIndex => 0x09,
            Self::LeftIndex => 0x0A,
        }
    }
}

/// A validated ISO/IEC 19794-2:2005 finger minutiae record with exactly one finger view.
///
/// ```text
/// "FMR\0" " 20\0" record length(2, or 0000 + 4) capture equipment(2) width(2) height(2)
/// x resolution(2) y resolution(2) finger views(1)=1 reserved(1)
/// view: finger position(1) view number/impression type(1) quality(1) minutiae count(1)
///       count × [type/x(2) reserved/y(2) angle(1) quality(1)]
/// extended data length(2) extended data
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinutiaeRecord {
    finger: Finger,
    minutiae: u8,
    bytes: Vec<u8>,
}

impl MinutiaeRecord {
    /// Validates a minutiae record. The finger position must be right index (2) or left index (7).
    ///
    /// # Errors
    /// A [`DecodeError`] for a wrong header, a record length that does not match, more than one
    /// finger view, another finger, minutiae outside the image, or trailing bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() > MAX_MINUTIAE_RECORD_LEN {
            return Err(DecodeError::new(DecodeErrorKind::LengthTooLong, 0));
        }
        let mut c = Cursor::new(bytes);
        if c.take(8)? != b"FMR\0 20\0" {
            return Err(invalid("ISO/IEC 19794-2 header (FMR 20)", 0));
        }
        let at = c.offset();
        let mut len = usize::from(c.u16_be()?);
        if len == 0 {
            len = usize::try_from(u32::from_be_bytes(
                c.take(4)?.try_into().map_err(|_| invalid("length", at))?,
            ))
            .map_err(|_| invalid("19794-2 record length", at))?;
        }
        if len != bytes.len() {
            return Err(invalid("19794-2 record length", at));
        }
        c.take(2)?;
        let width = c.u16_be()?;
        let height = c.u16_be()?;
        c.take(4)?;
        let at = c.offset();
        if c.u8()? != 1 {
            return Err(invalid("19794-2 number of finger views (must be 1)", at));
        }
        c.u8()?;
        let at = c.offset();
        let finger = match c.u8()? {
            2 => Finger::RightIndex,
            7 => Finger::LeftIndex,
            _ => return Err(invalid("19794-2 finger position (2 or 7)", at)),
        };
        c.take(2)?;
        let minutiae = c.u8()?;
        for _ in 0..minutiae {
            let at = c.offset();
            let x = c.u16_be()? & 0x3FFF;
            let y = c.u16_be()? & 0x3FFF;
            c.take(2)?;
            if x >= width || y >= height {
                return Err(invalid("19794-2 minutia outside the image", at));
            }
        }
        let ext = usize::from(c.u16_be()?);
        c.take(ext)?;
        c.finish()?;
        Ok(Self {
            finger,
            minutiae,
            bytes: bytes.to_vec(),
        })
    }

    /// The finger.
    pub fn finger(&self) -> Finger {
        self.finger
    }

    /// Number of minutiae.
    pub fn minutiae_count(&self) -> u8 {
        self.minutiae
    }

    /// The record bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
pub(crate) mod tests {
    use super::*;

    /// A minimal baseline JPEG header + EOI: enough for format/size detection.
    pub(crate) fn tiny_jpeg(w: u16, h: u16) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        v.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08]);
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    pub(crate) fn fmr(position: u8, minutiae: &[(u16, u16)]) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&[0, 0]);
        body.extend_from_slice(&300u16.to_be_bytes());
        body.extend_from_slice(&400u16.to_be_bytes());
        body.extend_from_slice(&197u16.to_be_bytes());
        body.extend_from_slice(&197u16.to_be_bytes());
        body.extend_from_slice(&[1, 0, position, 0, 60, minutiae.len() as u8]);
        for (x, y) in minutiae {
            body.extend_from_slice(&(0x4000 | x).to_be_bytes());
            body.extend_from_slice(&y.to_be_bytes());
            body.extend_from_slice(&[10, 50]);
        }
        body.extend_from_slice(&[0, 0]);
        let total = 8 + 2 + body.len();
        let mut out = b"FMR\0 20\0".to_vec();
        out.extend_from_slice(&(total as u16).to_be_bytes());
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn jpeg_sniffing() {
        let j = tiny_jpeg(48, 60);
        assert_eq!(sniff_image(&j).unwrap(), (ImageFormat::Jpeg, 48, 60));
        assert!(sniff_image(&j[..j.len() - 1]).is_err());
        assert!(sniff_image(b"GIF89a").is_err());
        let mut no_sof = vec![0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9];
        assert!(sniff_image(&no_sof).is_err());
        no_sof[3] = 0xE0;
        assert!(sniff_image(&no_sof).is_err());
    }

    #[test]
    fn jpeg2000_sniffing() {
        // JP2: signature box, ftyp box, jp2h { ihdr: height 60, width 48, ... }.
        let mut jp2 = JP2_SIGNATURE.to_vec();
        jp2.extend_from_slice(&[0, 0, 0, 20, b'f', b't', b'y', b'p']);
        jp2.extend_from_slice(b"jp2 \0\0\0\0jp2 ");
        let mut ihdr = vec![0, 0, 0, 22, b'i', b'h', b'd', b'r'];
        ihdr.extend_from_slice(&60u32.to_be_bytes());
        ihdr.extend_from_slice(&48u32.to_be_bytes());
        ihdr.extend_from_slice(&[0, 3, 7, 7, 0, 0]);
        jp2.extend_from_slice(&(8 + ihdr.len() as u32).to_be_bytes());
        jp2.extend_from_slice(b"jp2h");
        jp2.extend_from_slice(&ihdr);
        assert_eq!(sniff_image(&jp2).unwrap(), (ImageFormat::Jpeg2000, 48, 60));
        let face = FaceImage::from_image(jp2.clone(), 1).unwrap();
        assert_eq!(FaceImage::from_record(&face.to_record(), 0).unwrap(), face);
        // Truncated ihdr box.
        assert!(sniff_image(&jp2[..jp2.len() - 4]).is_err());
        // Raw codestream: SOC, SIZ with Xsiz 100, Ysiz 80.
        let mut j2k = vec![0xFF, 0x4F, 0xFF, 0x51, 0, 41, 0, 0];
        j2k.extend_from_slice(&100u32.to_be_bytes());
        j2k.extend_from_slice(&80u32.to_be_bytes());
        assert_eq!(sniff_image(&j2k).unwrap(), (ImageFormat::Jpeg2000, 100, 80));
        // A width beyond 65535 is refused.
        let mut wide = j2k.clone();
        wide[8..12].copy_from_slice(&70000u32.to_be_bytes());
        assert!(sniff_image(&wide).is_err());
    }

    #[test]
    fn face_record_round_trip() {
        let f = FaceImage::from_image(tiny_jpeg(48, 60), 2).unwrap();
        let rec = f.to_record();
        assert_eq!(&rec[..8], b"FAC\x00010\x00");
        assert_eq!(FaceImage::from_record(&rec, 0).unwrap(), f);
        let mut bad = rec.clone();
        bad[8 + 3] ^= 1;
        assert!(FaceImage::from_record(&bad, 0).is_err());
    }

    #[test]
    fn minutiae_records() {
        let r = MinutiaeRecord::parse(&fmr(2, &[(10, 20), (100, 200)])).unwrap();
        assert_eq!(r.finger(), Finger::RightIndex);
        assert_eq!(r.minutiae_count(), 2);
        assert!(MinutiaeRecord::parse(&fmr(3, &[(10, 20)])).is_err());
        assert!(MinutiaeRecord::parse(&fmr(7, &[(301, 20)])).is_err());
        let mut long = fmr(7, &[]);
        long.push(0);
        assert!(MinutiaeRecord::parse(&long).is_err());
    }
}

/// CBEFF biometric information templates as ICAO 9303-10 §4.7.2 lays them out.
///
/// ```text
/// 7F61 {                      biometric information group template
///   02 01 n                   number of instances
///   7F60 {                    biometric information template (one per instance)
///     A1 {                    biometric header template
///       80 02 0101            ICAO header version 1.1
///       81 01 tt              biometric type (02 face, 08 finger)
///       82 01 ss              biometric subtype (fingers only)
///       87 02 0101            format owner: ISO/IEC JTC 1/SC 37
///       88 02 ffff            format type (0008 face image, 0001 finger minutiae)
///     }
///     5F2E L <record>         biometric data block
///   } …
/// }
/// ```
pub(crate) mod cbeff {
    use ektp_iso7816::tlv::{Reader, Tlv, Writer};
    use ektp_iso7816::{DecodeError, DecodeErrorKind};

    /// Biometric type: facial features.
    pub(crate) const TYPE_FACE: u8 = 0x02;
    /// Biometric type: fingerprint.
    pub(crate) const TYPE_FINGER: u8 = 0x08;
    /// Format type: ISO/IEC 19794-5 face image.
    pub(crate) const FORMAT_FACE: u16 = 0x0008;
    /// Format type: ISO/IEC 19794-2 finger minutiae record.
    pub(crate) const FORMAT_FINGER_MINUTIAE: u16 = 0x0001;
    /// Format owner: ISO/IEC JTC 1/SC 37.
    pub(crate) const OWNER_SC37: u16 = 0x0101;
    /// Most instances a group may declare (e-KTP uses 1 face, 2 fingers).
    pub(crate) const MAX_INSTANCES: usize = 4;

    /// One biometric information template.
    pub(crate) struct Bit<'a> {
        pub(crate) biometric_type: u8,
        pub(crate) subtype: Option<u8>,
        pub(crate) format_type: u16,
        pub(crate) data: &'a [u8],
        pub(crate) data_offset: usize,
    }

    /// Writes the group template for `instances`: (type, subtype, format type, record).
    pub(crate) fn write_group(w: &mut Writer, instances: &[(u8, Option<u8>, u16, &[u8])]) {
        w.nested(0x7F61, |w| {
            w.put(0x02, &[u8::try_from(instances.len()).unwrap_or(u8::MAX)]);
            for (ty, sub, fmt, data) in instances {
                w.nested(0x7F60, |w| {
                    w.nested(0xA1, |w| {
                        w.put(0x80, &[0x01, 0x01]).put(0x81, &[*ty]);
                        if let Some(s) = sub {
                            w.put(0x82, &[*s]);
                        }
                        w.put(0x87, &OWNER_SC37.to_be_bytes())
                            .put(0x88, &fmt.to_be_bytes());
                    });
                    w.put(0x5F2E, data);
                });
            }
        });
    }

    fn invalid(what: &'static str, offset: usize) -> DecodeError {
        DecodeError::new(DecodeErrorKind::Invalid(what), offset)
    }

    /// Reads the group template (the only content of `r`) into its instances.
    pub(crate) fn read_group<'a>(r: &mut Reader<'a>) -> Result<Vec<Bit<'a>>, DecodeError> {
        let g = r.expect(0x7F61)?;
        let mut gr = g.children()?;
        let n = gr.expect(0x02)?;
        let count = match n.value {
            [c] => usize::from(*c),
            _ => return Err(invalid("number of instances", n.value_offset)),
        };
        if count == 0 || count > MAX_INSTANCES {
            return Err(invalid("number of instances", n.value_offset));
        }
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            let bit = gr.expect(0x7F60)?;
            out.push(read_bit(&bit)?);
        }
        gr.finish()?;
        Ok(out)
    }

    fn read_bit<'a>(bit: &Tlv<'a>) -> Result<Bit<'a>, DecodeError> {
        let mut br = bit.children()?;
        let h = br.expect(0xA1)?;
        let mut hr = h.children()?;
        let mut biometric_type = None;
        let mut subtype = None;
        let mut format_type = None;
        let mut owner = None;
        while let Some(t) = hr.next_tlv()? {
            match (t.tag.value(), t.value) {
                (0x80, [0x01, 0x01]) => {}
                (0x80, _) => return Err(invalid("ICAO header version", t.value_offset)),
                (0x81, [b]) => biometric_type = Some(*b),
                (0x82, [b]) => subtype = Some(*b),
                (0x87, [a, b]) => owner = Some(u16::from_be_bytes([*a, *b])),
                (0x88, [a, b]) => format_type = Some(u16::from_be_bytes([*a, *b])),
                (0x83 | 0x85 | 0x86, _) => {}
                _ => return Err(invalid("biometric header element", t.value_offset)),
            }
        }
        if owner != Some(OWNER_SC37) {
            return Err(invalid(
                "format owner (ISO/IEC JTC 1/SC 37)",
                h.value_offset,
            ));
        }
        let biometric_type =
            biometric_type.ok_or_else(|| invalid("missing biometric type", h.value_offset))?;
        let format_type =
            format_type.ok_or_else(|| invalid("missing format type", h.value_offset))?;
        let d = br.expect(0x5F2E)?;
        br.finish()?;
        Ok(Bit {
            biometric_type,
            subtype,
            format_type,
            data: d.value,
            data_offset: d.value_offset,
        })
    }
}
