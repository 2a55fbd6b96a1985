//! CMS SignedData (RFC 5652) as EF.SOD uses it (ICAO 9303-10 §4.6.2, 9303-12 appendix).
//!
//! Only what EF.SOD needs is modelled; `SET OF` fields are kept as their raw content octets
//! ([`RawSetOf`]) so the signed attributes are verified exactly as they were read.

use der::asn1::{Any, Int, ObjectIdentifier, OctetString};
use der::{
    Choice, DecodeValue, EncodeValue, FixedTag, Header, Length, Reader, Sequence, SliceReader, Tag,
    Writer,
};

use crate::alg::AlgorithmIdentifier;

/// Upper bound on the elements of any `SET OF` this crate reads.
pub const MAX_SET_ELEMENTS: usize = 64;

/// A `SET OF` kept as its raw content octets.
///
/// Decoding keeps the bytes exactly as read (hash raw as read); encoding from elements sorts
/// them into DER order (X.690 §11.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawSetOf {
    content: Vec<u8>,
}

impl RawSetOf {
    /// Builds a SET OF from DER-encoded elements, sorting them into DER order.
    pub fn from_elements(mut elements: Vec<Vec<u8>>) -> Self {
        elements.sort();
        Self {
            content: elements.concat(),
        }
    }

    /// The content octets (the concatenated element encodings).
    pub fn content(&self) -> &[u8] {
        &self.content
    }

    /// The element TLVs, at most [`MAX_SET_ELEMENTS`].
    ///
    /// # Errors
    /// A `der` error if the content is not a sequence of complete TLVs or has too many.
    pub fn elements(&self) -> der::Result<Vec<&[u8]>> {
        let mut reader = SliceReader::new(&self.content)?;
        let mut out = Vec::new();
        while !reader.is_finished() {
            if out.len() >= MAX_SET_ELEMENTS {
                return Err(der::ErrorKind::Overlength.at(reader.position()));
            }
            out.push(reader.tlv_bytes()?);
        }
        Ok(out)
    }

    /// The complete DER encoding with the universal SET tag (0x31), as CMS signs signed
    /// attributes (RFC 5652 §5.4).
    ///
    /// # Errors
    /// A `der` error if the content is too long to encode.
    pub fn to_set_der(&self) -> der::Result<Vec<u8>> {
        der::Encode::to_der(self)
    }
}

impl<'a> DecodeValue<'a> for RawSetOf {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        let content = reader.read_slice(header.length())?.to_vec();
        Ok(Self { content })
    }
}

impl EncodeValue for RawSetOf {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.content.len())
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(&self.content)
    }
}

impl FixedTag for RawSetOf {
    const TAG: Tag = Tag::Set;
}

/// RFC 5652 §3:
///
/// ```text
/// ContentInfo ::= SEQUENCE {
///     contentType  ContentType,
///     content      [0] EXPLICIT ANY DEFINED BY contentType }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct ContentInfo {
    /// id-signedData for EF.SOD.
    pub content_type: ObjectIdentifier,
    /// The SignedData, raw.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub content: Any,
}

/// RFC 5652 §5.1:
///
/// ```text
/// SignedData ::= SEQUENCE {
///     version           CMSVersion,
///     digestAlgorithms  DigestAlgorithmIdentifiers,   -- SET OF AlgorithmIdentifier
///     encapContentInfo  EncapsulatedContentInfo,
///     certificates      [0] IMPLICIT CertificateSet OPTIONAL,
///     crls              [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///     signerInfos       SignerInfos }                 -- SET OF SignerInfo
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SignedData {
    /// CMSVersion; 3 for EF.SOD (eContentType is not id-data).
    pub version: u8,
    /// DigestAlgorithmIdentifiers.
    pub digest_algorithms: RawSetOf,
    /// The LDS Security Object.
    pub encap_content_info: EncapsulatedContentInfo,
    /// The document signer certificate.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub certificates: Option<RawSetOf>,
    /// Revocation information (not used by EF.SOD; kept if present).
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub crls: Option<RawSetOf>,
    /// Exactly one SignerInfo for EF.SOD.
    pub signer_infos: RawSetOf,
}

/// RFC 5652 §5.2:
///
/// ```text
/// EncapsulatedContentInfo ::= SEQUENCE {
///     eContentType  ContentType,
///     eContent      [0] EXPLICIT OCTET STRING OPTIONAL }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct EncapsulatedContentInfo {
    /// id-icao-mrtd-security-ldsSecurityObject for EF.SOD.
    pub e_content_type: ObjectIdentifier,
    /// The DER LDS Security Object.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub e_content: Option<OctetString>,
}

/// RFC 5652 §5.3:
///
/// ```text
/// SignerInfo ::= SEQUENCE {
///     version             CMSVersion,
///     sid                 SignerIdentifier,
///     digestAlgorithm     DigestAlgorithmIdentifier,
///     signedAttrs         [0] IMPLICIT SignedAttributes OPTIONAL,
///     signatureAlgorithm  SignatureAlgorithmIdentifier,
///     signature           SignatureValue,             -- OCTET STRING
///     unsignedAttrs       [1] IMPLICIT UnsignedAttributes OPTIONAL }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SignerInfo {
    /// 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier.
    pub version: u8,
    /// Which certificate signed.
    pub sid: SignerIdentifier,
    /// Digest algorithm for the content and the signed attributes.
    pub digest_algorithm: AlgorithmIdentifier,
    /// Signed attributes, raw as read.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub signed_attrs: Option<RawSetOf>,
    /// Signature algorithm.
    pub signature_algorithm: AlgorithmIdentifier,
    /// The signature.
    pub signature: OctetString,
    /// Unsigned attributes (ignored).
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub unsigned_attrs: Option<RawSetOf>,
}

/// RFC 5652 §5.3:
///
/// ```text
/// SignerIdentifier ::= CHOICE {
///     issuerAndSerialNumber  IssuerAndSerialNumber,
///     subjectKeyIdentifier   [0] SubjectKeyIdentifier }   -- OCTET STRING
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Choice)]
pub enum SignerIdentifier {
    /// The certificate's issuer and serial number.
    IssuerAndSerialNumber(IssuerAndSerialNumber),
    /// The certificate's subject key identifier.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    SubjectKeyIdentifier(OctetString),
}

/// RFC 5652 §10.2.4:
///
/// ```text
/// IssuerAndSerialNumber ::= SEQUENCE {
///     issuer        Name,
///     serialNumber  CertificateSerialNumber }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct IssuerAndSerialNumber {
    /// The issuer Name, raw DER.
    pub issuer: Any,
    /// The serial number.
    pub serial_number: Int,
}

/// RFC 5652 §5.3:
///
/// ```text
/// Attribute ::= SEQUENCE {
///     attrType    OBJECT IDENTIFIER,
///     attrValues  SET OF AttributeValue }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct Attribute {
    /// Attribute type.
    pub attr_type: ObjectIdentifier,
    /// Values, raw.
    pub attr_values: RawSetOf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::{Decode, Encode};

    #[test]
    fn raw_set_of_sorts_on_encode_and_keeps_order_on_decode() {
        let set = RawSetOf::from_elements(vec![vec![0x04, 0x01, 0x02], vec![0x02, 0x01, 0x05]]);
        assert_eq!(
            set.to_set_der().unwrap(),
            [0x31, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0x02]
        );
        // Unsorted input is kept exactly as read (it is what was signed).
        let unsorted = [0x31, 0x06, 0x04, 0x01, 0x02, 0x02, 0x01, 0x05];
        let decoded = RawSetOf::from_der(&unsorted).unwrap();
        assert_eq!(decoded.to_der().unwrap(), unsorted);
        assert_eq!(
            decoded.elements().unwrap(),
            vec![&[4u8, 1, 2][..], &[2, 1, 5][..]]
        );
    }

    #[test]
    fn raw_set_of_bounds_elements_and_rejects_partial_tlvs() {
        let many: Vec<u8> = core::iter::repeat_n([0x05u8, 0x00], MAX_SET_ELEMENTS + 1)
            .flatten()
            .collect();
        let set = RawSetOf { content: many };
        assert!(set.elements().is_err());
        let partial = RawSetOf {
            content: vec![0x04, 0x05, 0x01],
        };
        assert!(partial.elements().is_err());
    }
}
