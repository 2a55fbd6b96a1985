//! EF.SOD: the LDS Security Object in CMS SignedData (ICAO 9303-10 §4.6.2).

use std::time::{Duration, SystemTime};

use der::asn1::{
    Any, GeneralizedTime, Int, ObjectIdentifier, OctetString, PrintableString, UtcTime,
};
use der::{Decode, Encode, Reader, Sequence, SliceReader, Tag};

use crate::alg::{AlgorithmIdentifier, DigestAlgorithm, oid};
use crate::cms::{
    Attribute, ContentInfo, EncapsulatedContentInfo, IssuerAndSerialNumber, RawSetOf, SignedData,
    SignerIdentifier, SignerInfo,
};
use crate::error::{DecodeKind, PkiError, Result, Structure};
use crate::signer::Signer;
use ektp_lds::DgNumber;

/// ICAO 9303-10 §4.6.2: EF.SOD is the application tag 0x77 around the ContentInfo.
pub const EF_SOD_TAG: u8 = 0x77;

/// Largest EF.SOD accepted (the DS certificate dominates its size).
pub const MAX_SOD_LEN: usize = 64 * 1024;

/// Largest number of data groups (ICAO 9303-10: DG1..DG16).
pub const MAX_DATA_GROUPS: usize = 16;

/// ICAO 9303-10 §4.6.2.2:
///
/// ```text
/// LDSSecurityObject ::= SEQUENCE {
///     version              LDSSecurityObjectVersion,      -- v0(0) or v1(1)
///     hashAlgorithm        DigestAlgorithmIdentifier,
///     dataGroupHashValues  SEQUENCE SIZE (2..ub-DataGroups) OF DataGroupHash,
///     ldsVersionInfo       LDSVersionInfo OPTIONAL }      -- present iff version is v1
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct LdsSecurityObject {
    /// 0, or 1 with `lds_version_info`.
    pub version: u8,
    /// The data group hash algorithm.
    pub hash_algorithm: AlgorithmIdentifier,
    /// One hash per data group present.
    pub data_group_hash_values: Vec<DataGroupHash>,
    /// LDS and Unicode versions (v1 only).
    pub lds_version_info: Option<LdsVersionInfo>,
}

/// ICAO 9303-10 §4.6.2.2:
///
/// ```text
/// DataGroupHash ::= SEQUENCE {
///     dataGroupNumber     DataGroupNumber,               -- INTEGER 1..16
///     dataGroupHashValue  OCTET STRING }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct DataGroupHash {
    /// The data group number.
    pub data_group_number: u8,
    /// Hash of the data group's complete file contents.
    pub data_group_hash_value: OctetString,
}

/// ICAO 9303-10 §4.6.2.2:
///
/// ```text
/// LDSVersionInfo ::= SEQUENCE {
///     ldsVersion      PRINTABLE STRING,
///     unicodeVersion  PRINTABLE STRING }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct LdsVersionInfo {
    /// e.g. "0108".
    pub lds_version: PrintableString,
    /// e.g. "040000".
    pub unicode_version: PrintableString,
}

/// Options for [`sign_ef_sod`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SodOptions {
    /// Hash for the data groups (SHA-256 by default).
    pub data_group_digest: DigestAlgorithm,
    /// The signing-time attribute.
    pub signing_time: SystemTime,
}

impl SodOptions {
    /// SHA-256 data group hashes, signed at `signing_time`.
    pub fn new(signing_time: SystemTime) -> Self {
        Self {
            data_group_digest: DigestAlgorithm::Sha256,
            signing_time,
        }
    }
}

/// Validates `(dg, bytes)` pairs: none twice, at least one; sorted by number.
fn validated_dgs<'a>(data_groups: &[(DgNumber, &'a [u8])]) -> Result<Vec<(DgNumber, &'a [u8])>> {
    if data_groups.is_empty() {
        return Err(PkiError::NoDataGroups);
    }
    let mut out: Vec<(DgNumber, &[u8])> = Vec::with_capacity(data_groups.len());
    for &(dg, bytes) in data_groups {
        if out.iter().any(|(d, _)| *d == dg) {
            return Err(PkiError::DuplicateDataGroup(dg));
        }
        out.push((dg, bytes));
    }
    out.sort_by_key(|(d, _)| *d);
    Ok(out)
}

/// Builds the LDS Security Object (version 0) for `data_groups`.
///
/// # Errors
/// [`PkiError::DuplicateDataGroup`], [`PkiError::NoDataGroups`].
pub fn lds_security_object(
    data_groups: &[(DgNumber, &[u8])],
    digest: DigestAlgorithm,
) -> Result<LdsSecurityObject> {
    let dgs = validated_dgs(data_groups)?;
    let data_group_hash_values = dgs
        .iter()
        .map(|(dg, bytes)| {
            Ok(DataGroupHash {
                data_group_number: dg.value(),
                data_group_hash_value: OctetString::new(digest.digest(bytes))
                    .map_err(PkiError::Encode)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(LdsSecurityObject {
        version: 0,
        hash_algorithm: digest.identifier(),
        data_group_hash_values,
        lds_version_info: None,
    })
}

fn attribute(attr_type: ObjectIdentifier, value_der: Vec<u8>) -> Result<Vec<u8>> {
    Attribute {
        attr_type,
        attr_values: RawSetOf::from_elements(vec![value_der]),
    }
    .to_der()
    .map_err(PkiError::Encode)
}

/// Signs the data groups into a complete EF.SOD (tag 0x77 around a CMS ContentInfo).
///
/// SignedData v3 with one SignerInfo (v1, issuerAndSerialNumber), the signer's certificate,
/// and the signed attributes content-type, signing-time and message-digest in DER order.
/// The SignerInfo digest algorithm is the hash of the signer's signature algorithm; the
/// data group hashes use `options.data_group_digest`.
///
/// # Errors
/// Data group errors as [`lds_security_object`], [`PkiError::Decode`] if the signer's
/// certificate is malformed, [`PkiError::TimeOutOfRange`] if the signing time cannot be
/// written as UTCTime (1950..2049), [`PkiError::SignerCertificateNotValid`] if the signer's
/// certificate is not valid at the signing time, the signer's own error, or
/// [`PkiError::Decode`] with [`DecodeKind::TooLong`] if the result exceeds [`MAX_SOD_LEN`].
pub fn sign_ef_sod(
    data_groups: &[(DgNumber, &[u8])],
    signer: &dyn Signer,
    options: &SodOptions,
) -> Result<Vec<u8>> {
    let lds = lds_security_object(data_groups, options.data_group_digest)?;
    let e_content = lds.to_der().map_err(PkiError::Encode)?;
    sign_e_content(&e_content, signer, options.signing_time)
}

/// Signs arbitrary eContent bytes as an LDS Security Object (used by [`sign_ef_sod`] and by
/// tests that need a well-signed but inconsistent SOD).
pub(crate) fn sign_e_content(
    e_content: &[u8],
    signer: &dyn Signer,
    signing_time: SystemTime,
) -> Result<Vec<u8>> {
    let content_info =
        sign_content_info(e_content, oid::LDS_SECURITY_OBJECT, signer, signing_time)?;
    wrap_ef_sod(&content_info)
}

/// CMS SignedData (RFC 5652 §5) over `e_content` of type `content_type`, as a DER
/// ContentInfo: version 3, one SignerInfo (v1, issuerAndSerialNumber), the signer's
/// certificate, signed attributes content-type, signing-time and message-digest. EF.SOD and
/// the signed revocation list ([`crate::revocation_list`]) are both made here.
pub(crate) fn sign_content_info(
    e_content: &[u8],
    content_type: ObjectIdentifier,
    signer: &dyn Signer,
    signing_time: SystemTime,
) -> Result<Vec<u8>> {
    let sig_alg = signer.signature_algorithm();
    let digest = sig_alg.digest();
    let cert_der = signer.certificate_der();
    let (_, cert) = x509_parser::parse_x509_certificate(cert_der)
        .map_err(|_| PkiError::decode(Structure::Certificate, DecodeKind::X509))?;

    let unix = signing_time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_err(|_| PkiError::TimeOutOfRange)?;
    let not_before = cert.validity().not_before.timestamp();
    let not_after = cert.validity().not_after.timestamp();
    let t = i64::try_from(unix.as_secs()).map_err(|_| PkiError::TimeOutOfRange)?;
    if t < not_before || t > not_after {
        return Err(PkiError::SignerCertificateNotValid {
            not_before,
            not_after,
        });
    }
    let utc = UtcTime::from_unix_duration(Duration::from_secs(unix.as_secs()))
        .map_err(|_| PkiError::TimeOutOfRange)?;
    let attrs = RawSetOf::from_elements(vec![
        attribute(
            oid::CONTENT_TYPE,
            content_type.to_der().map_err(PkiError::Encode)?,
        )?,
        attribute(oid::SIGNING_TIME, utc.to_der().map_err(PkiError::Encode)?)?,
        attribute(
            oid::MESSAGE_DIGEST,
            OctetString::new(digest.digest(e_content))
                .and_then(|o| o.to_der())
                .map_err(PkiError::Encode)?,
        )?,
    ]);
    let signature = signer.sign(&attrs.to_set_der().map_err(PkiError::Encode)?)?;

    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: Any::from_der(cert.issuer().as_raw())
            .map_err(|e| PkiError::der(Structure::Certificate, e))?,
        serial_number: Int::new(cert.raw_serial())
            .map_err(|e| PkiError::der(Structure::Certificate, e))?,
    });
    let signer_info = SignerInfo {
        version: 1,
        sid,
        digest_algorithm: digest.identifier(),
        signed_attrs: Some(attrs),
        signature_algorithm: sig_alg.identifier()?,
        signature: OctetString::new(signature).map_err(PkiError::Encode)?,
        unsigned_attrs: None,
    };
    let signed_data = SignedData {
        version: 3,
        digest_algorithms: RawSetOf::from_elements(vec![
            digest.identifier().to_der().map_err(PkiError::Encode)?,
        ]),
        encap_content_info: EncapsulatedContentInfo {
            e_content_type: content_type,
            e_content: Some(OctetString::new(e_content).map_err(PkiError::Encode)?),
        },
        certificates: Some(RawSetOf::from_elements(vec![cert_der.to_vec()])),
        crls: None,
        signer_infos: RawSetOf::from_elements(vec![
            signer_info.to_der().map_err(PkiError::Encode)?,
        ]),
    };
    ContentInfo {
        content_type: oid::ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(PkiError::Encode)?,
    }
    .to_der()
    .map_err(PkiError::Encode)
}

/// Puts the 0x77 tag and DER length around a ContentInfo.
///
/// # Errors
/// [`PkiError::Decode`] with [`DecodeKind::TooLong`] beyond [`MAX_SOD_LEN`].
pub fn wrap_ef_sod(content_info_der: &[u8]) -> Result<Vec<u8>> {
    let len = content_info_der.len();
    if len > MAX_SOD_LEN {
        return Err(PkiError::decode(
            Structure::EfSod,
            DecodeKind::TooLong {
                len,
                max: MAX_SOD_LEN,
            },
        ));
    }
    let length = der::Length::try_from(len).map_err(PkiError::Encode)?;
    let mut out = vec![EF_SOD_TAG];
    out.extend(length.to_der().map_err(PkiError::Encode)?);
    out.extend_from_slice(content_info_der);
    Ok(out)
}

/// The signed attributes EF.SOD requires, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedAttributes {
    /// The content-type attribute.
    pub content_type: Option<ObjectIdentifier>,
    /// The message-digest attribute.
    pub message_digest: Option<Vec<u8>>,
    /// The signing-time attribute, seconds since the Unix epoch.
    pub signing_time: Option<i64>,
}

/// A parsed EF.SOD. All parts are kept as read; nothing is re-encoded for hashing.
#[derive(Clone, Debug)]
pub struct EfSod {
    raw: Vec<u8>,
    content_info_start: usize,
    signed_data: SignedData,
    signer_info: SignerInfo,
    signed_attrs: SignedAttributes,
    lds: LdsSecurityObject,
    dg_digest: DigestAlgorithm,
    certificates: Vec<Vec<u8>>,
}

fn sod_err(structure: Structure) -> impl Fn(der::Error) -> PkiError {
    move |e| PkiError::der(structure, e)
}

impl EfSod {
    /// Parses a complete EF.SOD file (starting with tag 0x77).
    ///
    /// # Errors
    /// [`PkiError::Decode`] for anything malformed, too long, or not shaped as EF.SOD requires
    /// (SignedData v3, eContentType LDS Security Object, one SignerInfo with signed attributes,
    /// at least one certificate, LDS Security Object v0/v1 with valid, distinct DG numbers and
    /// hashes of the declared length); [`PkiError::UnsupportedAlgorithm`] for a data group hash
    /// other than SHA-256/384/512.
    pub fn from_bytes(ef_sod: &[u8]) -> Result<Self> {
        if ef_sod.len() > MAX_SOD_LEN.saturating_add(8) {
            return Err(PkiError::decode(
                Structure::EfSod,
                DecodeKind::TooLong {
                    len: ef_sod.len(),
                    max: MAX_SOD_LEN,
                },
            ));
        }
        if ef_sod.first() != Some(&EF_SOD_TAG) {
            return Err(PkiError::decode(
                Structure::EfSod,
                DecodeKind::UnexpectedTag {
                    expected: EF_SOD_TAG,
                    found: ef_sod.first().copied(),
                },
            ));
        }
        let mut reader = SliceReader::new(ef_sod).map_err(sod_err(Structure::EfSod))?;
        let header = der::Header::decode(&mut reader).map_err(sod_err(Structure::EfSod))?;
        let start = usize::try_from(u32::from(reader.position())).map_err(|_| {
            PkiError::decode(
                Structure::EfSod,
                DecodeKind::TooLong {
                    len: ef_sod.len(),
                    max: MAX_SOD_LEN,
                },
            )
        })?;
        let inner = reader
            .read_slice(header.length())
            .map_err(sod_err(Structure::EfSod))?;
        reader.finish().map_err(sod_err(Structure::EfSod))?;
        let mut sod = Self::from_content_info(inner)?;
        sod.raw = ef_sod.to_vec();
        sod.content_info_start = start;
        Ok(sod)
    }

    /// Parses a bare CMS ContentInfo (EF.SOD without the 0x77 wrapper), e.g. from
    /// `openssl cms -sign -outform DER`.
    ///
    /// # Errors
    /// As [`EfSod::from_bytes`].
    pub fn from_content_info(content_info_der: &[u8]) -> Result<Self> {
        if content_info_der.len() > MAX_SOD_LEN {
            return Err(PkiError::decode(
                Structure::EfSod,
                DecodeKind::TooLong {
                    len: content_info_der.len(),
                    max: MAX_SOD_LEN,
                },
            ));
        }
        let s = Structure::SignedData;
        let missing = |f| PkiError::decode(s, DecodeKind::MissingField(f));
        let ci = ContentInfo::from_der(content_info_der).map_err(sod_err(s))?;
        if ci.content_type != oid::ID_SIGNED_DATA {
            return Err(PkiError::decode(
                s,
                DecodeKind::UnexpectedContentType(ci.content_type),
            ));
        }
        let sd: SignedData = ci.content.decode_as().map_err(sod_err(s))?;
        if sd.version != 3 {
            return Err(PkiError::decode(
                s,
                DecodeKind::UnsupportedVersion(sd.version.into()),
            ));
        }
        for alg in sd.digest_algorithms.elements().map_err(sod_err(s))? {
            AlgorithmIdentifier::from_der(alg).map_err(sod_err(s))?;
        }
        let eci = &sd.encap_content_info;
        if eci.e_content_type != oid::LDS_SECURITY_OBJECT {
            return Err(PkiError::decode(
                s,
                DecodeKind::UnexpectedContentType(eci.e_content_type),
            ));
        }
        let e_content = eci.e_content.as_ref().ok_or_else(|| missing("eContent"))?;
        let certificates: Vec<Vec<u8>> = sd
            .certificates
            .as_ref()
            .ok_or_else(|| missing("certificates"))?
            .elements()
            .map_err(sod_err(s))?
            .into_iter()
            .map(<[u8]>::to_vec)
            .collect();
        if certificates.is_empty() {
            return Err(missing("certificates"));
        }
        let signer_infos = sd.signer_infos.elements().map_err(sod_err(s))?;
        let signer_info = match signer_infos.as_slice() {
            [one] => SignerInfo::from_der(one).map_err(sod_err(s))?,
            [] => return Err(missing("signerInfos")),
            _ => return Err(PkiError::decode(s, DecodeKind::TooMany("SignerInfo"))),
        };
        if signer_info.version != 1 && signer_info.version != 3 {
            return Err(PkiError::decode(
                s,
                DecodeKind::UnsupportedVersion(signer_info.version.into()),
            ));
        }
        let signed_attrs = decode_signed_attributes(
            signer_info
                .signed_attrs
                .as_ref()
                .ok_or_else(|| missing("signedAttrs"))?,
        )?;
        let (lds, dg_digest) = decode_lds(e_content.as_bytes())?;
        Ok(Self {
            raw: Vec::new(),
            content_info_start: 0,
            signed_data: sd,
            signer_info,
            signed_attrs,
            lds,
            dg_digest,
            certificates,
        })
    }

    /// The EF.SOD bytes as read (empty if parsed with [`EfSod::from_content_info`]).
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The ContentInfo inside the 0x77 wrapper (what `openssl cms` reads).
    pub fn content_info_der(&self) -> &[u8] {
        self.raw.get(self.content_info_start..).unwrap_or_default()
    }

    /// The SignedData.
    pub fn signed_data(&self) -> &SignedData {
        &self.signed_data
    }

    /// The one SignerInfo.
    pub fn signer_info(&self) -> &SignerInfo {
        &self.signer_info
    }

    /// The decoded signed attributes.
    pub fn signed_attributes(&self) -> &SignedAttributes {
        &self.signed_attrs
    }

    /// The eContent octets as read (the DER LDS Security Object).
    pub fn e_content(&self) -> &[u8] {
        self.signed_data
            .encap_content_info
            .e_content
            .as_ref()
            .map(OctetString::as_bytes)
            .unwrap_or_default()
    }

    /// The LDS Security Object.
    pub fn lds_security_object(&self) -> &LdsSecurityObject {
        &self.lds
    }

    /// The data group hash algorithm.
    pub fn data_group_digest(&self) -> DigestAlgorithm {
        self.dg_digest
    }

    /// The hash stored for `dg`, if any.
    pub fn data_group_hash(&self, dg: DgNumber) -> Option<&[u8]> {
        self.lds
            .data_group_hash_values
            .iter()
            .find(|h| h.data_group_number == dg.value())
            .map(|h| h.data_group_hash_value.as_bytes())
    }

    /// The data groups listed in the SOD, in order.
    pub fn data_groups(&self) -> Vec<DgNumber> {
        self.lds
            .data_group_hash_values
            .iter()
            .filter_map(|h| DgNumber::new(h.data_group_number))
            .collect()
    }

    /// The certificates embedded in SignedData (DER, as read).
    pub fn certificates(&self) -> &[Vec<u8>] {
        &self.certificates
    }
}

pub(crate) fn decode_signed_attributes(attrs: &RawSetOf) -> Result<SignedAttributes> {
    let s = Structure::SignedData;
    let mut out = SignedAttributes {
        content_type: None,
        message_digest: None,
        signing_time: None,
    };
    let mut seen: Vec<ObjectIdentifier> = Vec::new();
    for tlv in attrs.elements().map_err(sod_err(s))? {
        let attr = Attribute::from_der(tlv).map_err(sod_err(s))?;
        if seen.contains(&attr.attr_type) {
            return Err(PkiError::decode(
                s,
                DecodeKind::TooMany("signed attribute of one type"),
            ));
        }
        seen.push(attr.attr_type);
        let values = attr.attr_values.elements().map_err(sod_err(s))?;
        let known = [oid::CONTENT_TYPE, oid::MESSAGE_DIGEST, oid::SIGNING_TIME];
        let value = match values.as_slice() {
            [one] => *one,
            _ if !known.contains(&attr.attr_type) => continue,
            [] => {
                return Err(PkiError::decode(
                    s,
                    DecodeKind::MissingField("attribute value"),
                ));
            }
            _ => return Err(PkiError::decode(s, DecodeKind::TooMany("attribute value"))),
        };
        match attr.attr_type {
            oid::CONTENT_TYPE => {
                out.content_type = Some(ObjectIdentifier::from_der(value).map_err(sod_err(s))?);
            }
            oid::MESSAGE_DIGEST => {
                out.message_digest = Some(
                    OctetString::from_der(value)
                        .map_err(sod_err(s))?
                        .as_bytes()
                        .to_vec(),
                );
            }
            oid::SIGNING_TIME => {
                let secs = match value.first() {
                    Some(0x17) => UtcTime::from_der(value)
                        .map_err(sod_err(s))?
                        .to_unix_duration(),
                    _ => GeneralizedTime::from_der(value)
                        .map_err(sod_err(s))?
                        .to_unix_duration(),
                };
                out.signing_time = i64::try_from(secs.as_secs()).ok();
            }
            _ => {}
        }
    }
    Ok(out)
}

fn decode_lds(bytes: &[u8]) -> Result<(LdsSecurityObject, DigestAlgorithm)> {
    let s = Structure::LdsSecurityObject;
    let lds = LdsSecurityObject::from_der(bytes).map_err(sod_err(s))?;
    match (lds.version, &lds.lds_version_info) {
        (0, None) | (1, Some(_)) => {}
        (v, _) => {
            return Err(PkiError::decode(
                s,
                DecodeKind::UnsupportedVersion(v.into()),
            ));
        }
    }
    let digest = DigestAlgorithm::from_identifier(&lds.hash_algorithm)?;
    if lds.data_group_hash_values.is_empty() {
        return Err(PkiError::decode(
            s,
            DecodeKind::MissingField("dataGroupHashValues"),
        ));
    }
    if lds.data_group_hash_values.len() > MAX_DATA_GROUPS {
        return Err(PkiError::decode(
            s,
            DecodeKind::TooLong {
                len: lds.data_group_hash_values.len(),
                max: MAX_DATA_GROUPS,
            },
        ));
    }
    let mut seen = Vec::new();
    for h in &lds.data_group_hash_values {
        let n = h.data_group_number;
        if DgNumber::new(n).is_none() || seen.contains(&n) {
            return Err(PkiError::decode(s, DecodeKind::BadDataGroup(n.into())));
        }
        seen.push(n);
        if h.data_group_hash_value.as_bytes().len() != digest.output_len() {
            return Err(PkiError::decode(
                s,
                DecodeKind::Der(der::ErrorKind::Length {
                    tag: Tag::OctetString,
                }),
            ));
        }
    }
    Ok((lds, digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dg(n: u8) -> DgNumber {
        DgNumber::new(n).unwrap()
    }

    #[test]
    fn lds_security_object_is_sorted_and_round_trips() {
        let dgs: [(DgNumber, &[u8]); 3] = [(dg(11), b"b"), (dg(1), b"a"), (dg(2), b"")];
        let lds = lds_security_object(&dgs, DigestAlgorithm::Sha256).unwrap();
        let numbers: Vec<u8> = lds
            .data_group_hash_values
            .iter()
            .map(|h| h.data_group_number)
            .collect();
        assert_eq!(numbers, [1, 2, 11]);
        let der = lds.to_der().unwrap();
        let (back, digest) = decode_lds(&der).unwrap();
        assert_eq!(back, lds);
        assert_eq!(digest, DigestAlgorithm::Sha256);
        // SHA-256("a")
        assert_eq!(
            back.data_group_hash_values[0]
                .data_group_hash_value
                .as_bytes(),
            hex::decode("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")
                .unwrap()
        );
    }

    #[test]
    fn bad_data_group_lists_are_refused() {
        assert!(matches!(
            lds_security_object(&[], DigestAlgorithm::Sha256),
            Err(PkiError::NoDataGroups)
        ));
        assert!(matches!(
            lds_security_object(&[(dg(1), b"a"), (dg(1), b"b")], DigestAlgorithm::Sha256),
            Err(PkiError::DuplicateDataGroup(d)) if d == DgNumber::DG1
        ));
        // A number outside 1..=16 cannot be given: `DgNumber` refuses it.
        assert!(DgNumber::new(17).is_none());
    }

    #[test]
    fn decoded_lds_rejects_duplicates_and_wrong_hash_lengths() {
        let mut lds =
            lds_security_object(&[(dg(1), b"a"), (dg(2), b"b")], DigestAlgorithm::Sha256).unwrap();
        lds.data_group_hash_values[1].data_group_number = 1;
        assert!(matches!(
            decode_lds(&lds.to_der().unwrap()),
            Err(PkiError::Decode {
                kind: DecodeKind::BadDataGroup(1),
                ..
            })
        ));
        let mut lds = lds_security_object(&[(dg(1), b"a")], DigestAlgorithm::Sha256).unwrap();
        lds.data_group_hash_values[0].data_group_hash_value =
            OctetString::new(vec![0; 20]).unwrap();
        assert!(decode_lds(&lds.to_der().unwrap()).is_err());
        let mut lds = lds_security_object(&[(dg(1), b"a")], DigestAlgorithm::Sha256).unwrap();
        lds.version = 1;
        assert!(matches!(
            decode_lds(&lds.to_der().unwrap()),
            Err(PkiError::Decode {
                kind: DecodeKind::UnsupportedVersion(1),
                ..
            })
        ));
    }

    #[test]
    fn wrapper_uses_der_lengths() {
        assert_eq!(
            wrap_ef_sod(&[0x30, 0x00]).unwrap(),
            [0x77, 0x02, 0x30, 0x00]
        );
        let long = vec![0u8; 300];
        assert_eq!(&wrap_ef_sod(&long).unwrap()[..4], &[0x77, 0x82, 0x01, 0x2C]);
        assert!(wrap_ef_sod(&vec![0u8; MAX_SOD_LEN + 1]).is_err());
    }

    #[test]
    fn parse_refuses_wrong_tag_and_oversize() {
        assert!(matches!(
            EfSod::from_bytes(&[0x30, 0x00]),
            Err(PkiError::Decode {
                kind: DecodeKind::UnexpectedTag {
                    expected: 0x77,
                    found: Some(0x30)
                },
                ..
            })
        ));
        assert!(matches!(
            EfSod::from_bytes(&[]),
            Err(PkiError::Decode {
                kind: DecodeKind::UnexpectedTag { found: None, .. },
                ..
            })
        ));
        let huge = vec![0x77; MAX_SOD_LEN + 100];
        assert!(matches!(
            EfSod::from_bytes(&huge),
            Err(PkiError::Decode {
                kind: DecodeKind::TooLong { .. },
                ..
            })
        ));
    }
}
