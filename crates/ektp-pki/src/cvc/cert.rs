//! The CV certificate and its body (BSI TR-03110-3 §C.1).

use ektp_iso7816::tlv::{Reader, Tlv, Writer};

use super::error::{CvcDecodeKind, CvcError, Field};
use super::{
    CertificateReference, Chat, CvDate, CvPublicKey, EcSignature, MAX_CERTIFICATE_LEN,
    MAX_EXTENSIONS, PROFILE_IDENTIFIER, Role, tlv,
};

/// Certificate Extensions (BSI TR-03110-3 §C.3): the value of `65`, a sequence of discretionary
/// data templates, kept as read.
///
/// ```text
/// 65 Certificate Extensions
///   73 Discretionary Data Template   06 extension OID, then extension data objects
///   ...                              at most MAX_EXTENSIONS templates
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Extensions(Vec<u8>);

impl Extensions {
    /// Validates the value of `65`: one to [`MAX_EXTENSIONS`] well-formed `73` templates,
    /// each starting with an OID.
    ///
    /// # Errors
    /// [`CvcError::Decode`] with [`Field::Extensions`].
    pub fn from_value(value: &[u8]) -> Result<Self, CvcError> {
        Self::check(value, 0)?;
        Ok(Self(value.to_vec()))
    }

    fn check(value: &[u8], base: usize) -> Result<(), CvcError> {
        let bad =
            |offset: usize| CvcError::decode(CvcDecodeKind::Invalid(Field::Extensions), offset);
        let mut r = Reader::new(value);
        let mut n = 0usize;
        while !r.is_empty() {
            let at = base.saturating_add(r.offset());
            let t = r.next_tlv().map_err(|_| bad(at))?.ok_or_else(|| bad(at))?;
            tlv::canonical(&t).map_err(|_| bad(at))?;
            n = n.saturating_add(1);
            if t.tag.value() != 0x73 || n > MAX_EXTENSIONS {
                return Err(bad(at));
            }
            let mut inner = t.children().map_err(|_| bad(at))?;
            let oid = inner.expect(0x06).map_err(|_| bad(at))?;
            der::asn1::ObjectIdentifier::from_bytes(oid.value).map_err(|_| bad(at))?;
            for x in inner {
                x.map_err(|_| bad(at))?;
            }
        }
        if n == 0 {
            return Err(bad(base));
        }
        Ok(())
    }

    /// The value bytes (the templates).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// The certificate body (BSI TR-03110-3 §C.1, Table C.1):
///
/// ```text
/// 7F4E Certificate Body
///   5F29 Certificate Profile Identifier   00
///   42   Certification Authority Reference
///   7F49 Public Key                       see CvPublicKey
///   5F20 Certificate Holder Reference
///   7F4C Certificate Holder Authorization Template
///   5F25 Certificate Effective Date
///   5F24 Certificate Expiration Date
///   65   Certificate Extensions           optional
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CertificateBody {
    /// CAR: the authority whose key signs this certificate.
    pub car: CertificateReference,
    /// The holder's public key.
    pub public_key: CvPublicKey,
    /// CHR: the holder.
    pub chr: CertificateReference,
    /// The holder's role and access rights.
    pub chat: Chat,
    /// First day of validity.
    pub effective: CvDate,
    /// Last day of validity.
    pub expiration: CvDate,
    /// Certificate extensions, if any.
    pub extensions: Option<Extensions>,
}

pub(crate) fn decode_profile(r: &mut Reader<'_>) -> Result<(), CvcError> {
    let t = tlv::expect(r, 0x5F29)?;
    if t.value != [PROFILE_IDENTIFIER] {
        return Err(tlv::invalid(Field::ProfileIdentifier, &t));
    }
    Ok(())
}

pub(crate) fn decode_reference(
    t: &Tlv<'_>,
    field: Field,
) -> Result<CertificateReference, CvcError> {
    CertificateReference::from_bytes(t.value).ok_or_else(|| tlv::invalid(field, t))
}

pub(crate) fn decode_extensions(r: &mut Reader<'_>) -> Result<Option<Extensions>, CvcError> {
    match tlv::optional(r, 0x65)? {
        Some(t) => {
            Extensions::check(t.value, t.value_offset)?;
            Ok(Some(Extensions(t.value.to_vec())))
        }
        None => Ok(None),
    }
}

fn decode_date(r: &mut Reader<'_>, tag: u32, field: Field) -> Result<CvDate, CvcError> {
    let t = tlv::expect(r, tag)?;
    CvDate::from_digits(t.value).ok_or_else(|| tlv::invalid(field, &t))
}

impl CertificateBody {
    pub(crate) fn decode(t: &Tlv<'_>) -> Result<Self, CvcError> {
        let mut r = tlv::children(t)?;
        decode_profile(&mut r)?;
        let car = decode_reference(&tlv::expect(&mut r, 0x42)?, Field::Car)?;
        let public_key = CvPublicKey::decode(&tlv::expect(&mut r, 0x7F49)?)?;
        let chr = decode_reference(&tlv::expect(&mut r, 0x5F20)?, Field::Chr)?;
        let chat = Chat::decode(&tlv::expect(&mut r, 0x7F4C)?)?;
        let effective = decode_date(&mut r, 0x5F25, Field::EffectiveDate)?;
        let expiration = decode_date(&mut r, 0x5F24, Field::ExpirationDate)?;
        let extensions = decode_extensions(&mut r)?;
        tlv::finish(r)?;
        Ok(Self {
            car,
            public_key,
            chr,
            chat,
            effective,
            expiration,
            extensions,
        })
    }

    /// The canonical encoding of the `7F4E` object: the bytes the signature covers.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.nested(0x7F4E, |w| {
            w.put(0x5F29, &[PROFILE_IDENTIFIER]);
            w.put(0x42, self.car.as_bytes());
            self.public_key.encode(w);
            w.put(0x5F20, self.chr.as_bytes());
            self.chat.encode(w);
            w.put(0x5F25, &self.effective.to_digits());
            w.put(0x5F24, &self.expiration.to_digits());
            if let Some(e) = &self.extensions {
                w.put(0x65, e.as_bytes());
            }
        });
        w.into_bytes()
    }

    /// The holder's role (from the CHAT).
    pub fn role(&self) -> Role {
        self.chat.role()
    }

    /// Whether CAR equals CHR (a self-signed CVCA certificate).
    pub fn is_self_signed(&self) -> bool {
        self.car == self.chr
    }
}

/// A CV certificate (BSI TR-03110-3 §C.1):
///
/// ```text
/// 7F21 CV Certificate
///   7F4E Certificate Body   see CertificateBody
///   5F37 Signature          ECDSA r ‖ s over the 7F4E object as encoded
/// ```
///
/// The body bytes are kept exactly as read; the signature is checked over them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CvCertificate {
    body: CertificateBody,
    signature: EcSignature,
    raw_body: Vec<u8>,
}

impl CvCertificate {
    /// A certificate from a body and a signature (not checked here; see
    /// [`super::validate_chain`]). Use [`super::CertificateBuilder`] to issue one.
    pub fn new(body: CertificateBody, signature: EcSignature) -> Self {
        let raw_body = body.to_bytes();
        Self {
            body,
            signature,
            raw_body,
        }
    }

    /// Parses a certificate: exactly one `7F21` object of at most [`MAX_CERTIFICATE_LEN`]
    /// bytes, every length in its shortest form, every field in order, nothing left over.
    ///
    /// # Errors
    /// [`CvcError::Decode`] for malformed bytes; [`CvcError::UnsupportedAlgorithm`],
    /// [`CvcError::UnsupportedDomainParameters`] or [`CvcError::UnsupportedTerminalType`] for
    /// well-formed certificates this crate cannot use.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CvcError> {
        let outer = tlv::top_level(bytes, 0x7F21, MAX_CERTIFICATE_LEN)?;
        Self::decode(&outer)
    }

    pub(crate) fn decode(outer: &Tlv<'_>) -> Result<Self, CvcError> {
        let (body_tlv, signature) = decode_signed(outer)?;
        let body = CertificateBody::decode(&body_tlv)?;
        Ok(Self {
            body,
            signature,
            raw_body: body_tlv.raw.to_vec(),
        })
    }

    /// The canonical encoding (equal to the input of [`CvCertificate::from_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        encode_signed(&self.raw_body, &self.signature)
    }

    /// The body.
    pub fn body(&self) -> &CertificateBody {
        &self.body
    }

    /// The signature.
    pub fn signature(&self) -> &EcSignature {
        &self.signature
    }

    /// The `7F4E` object as read: what the signature covers.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw_body
    }

    /// CAR.
    pub fn car(&self) -> &CertificateReference {
        &self.body.car
    }

    /// CHR.
    pub fn chr(&self) -> &CertificateReference {
        &self.body.chr
    }

    /// The holder's role.
    pub fn role(&self) -> Role {
        self.body.role()
    }

    /// Checks this certificate's signature over its body as read with `issuer_key` on
    /// `curve` (the issuer's certificate key and the CVCA's curve), without the other chain
    /// checks of [`super::ChainValidator`]: for tools that show one certificate beside its
    /// issuer.
    ///
    /// # Errors
    /// [`CvcError::InvalidPublicKey`] if the issuer's point is not on `curve`,
    /// [`CvcError::SignatureInvalid`] if the signature does not verify.
    pub fn verify_signature(
        &self,
        curve: super::Curve,
        issuer_key: &CvPublicKey,
    ) -> Result<(), CvcError> {
        super::chain::verify_with(
            curve,
            issuer_key,
            &self.body.chr,
            &self.body.car,
            &self.raw_body,
            &self.signature,
        )
    }
}

/// The body (`7F4E`, as read) and signature (`5F37`) inside a `7F21` object, nothing else
/// (BSI TR-03110-3 §C.1, §C.2): the shape certificates and requests share.
pub(crate) fn decode_signed<'a>(t: &Tlv<'a>) -> Result<(Tlv<'a>, EcSignature), CvcError> {
    let mut r = tlv::children(t)?;
    let body = tlv::expect(&mut r, 0x7F4E)?;
    let sig = tlv::expect(&mut r, 0x5F37)?;
    tlv::finish(r)?;
    let signature =
        EcSignature::from_bytes(sig.value).ok_or_else(|| tlv::invalid(Field::Signature, &sig))?;
    Ok((body, signature))
}

/// `7F21 { body as read, 5F37 signature }`.
pub(crate) fn encode_signed(raw_body: &[u8], signature: &EcSignature) -> Vec<u8> {
    let mut w = Writer::new();
    w.nested(0x7F21, |w| {
        w.raw(raw_body);
        w.put(0x5F37, signature.as_bytes());
    });
    w.into_bytes()
}
