//! Certificate requests (BSI TR-03110-3 §C.2).

use ektp_iso7816::tlv::{Tlv, Writer};

use super::cert::{
    decode_extensions, decode_profile, decode_reference, decode_signed, encode_signed,
};
use super::error::{CvcDecodeKind, CvcError, Field};
use super::{
    CertificateReference, Curve, CvPublicKey, EcSignature, Extensions, MAX_REQUEST_LEN,
    PROFILE_IDENTIFIER, tlv,
};

/// The body of a certificate request (BSI TR-03110-3 §C.2.1, Table C.2):
///
/// ```text
/// 7F4E Certificate Body
///   5F29 Certificate Profile Identifier   00
///   42   Certification Authority Reference  recommended: the CA the request is for
///   7F49 Public Key                       with domain parameters
///   5F20 Certificate Holder Reference     the requested CHR
///   65   Certificate Extensions           optional
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestBody {
    /// CAR of the CA the request is addressed to, if given.
    pub car: Option<CertificateReference>,
    /// The requested key, with its domain parameters.
    pub public_key: CvPublicKey,
    /// The requested CHR.
    pub chr: CertificateReference,
    /// Certificate extensions, if any.
    pub extensions: Option<Extensions>,
}

impl RequestBody {
    fn decode(t: &Tlv<'_>) -> Result<Self, CvcError> {
        let mut r = tlv::children(t)?;
        decode_profile(&mut r)?;
        let car = match tlv::optional(&mut r, 0x42)? {
            Some(c) => Some(decode_reference(&c, Field::Car)?),
            None => None,
        };
        let key_tlv = tlv::expect(&mut r, 0x7F49)?;
        let public_key = CvPublicKey::decode(&key_tlv)?;
        if public_key.domain_parameters().is_none() {
            return Err(CvcError::decode(
                CvcDecodeKind::Missing(Field::DomainParameters),
                tlv::start_offset(&key_tlv),
            ));
        }
        let chr = decode_reference(&tlv::expect(&mut r, 0x5F20)?, Field::Chr)?;
        let extensions = decode_extensions(&mut r)?;
        tlv::finish(r)?;
        Ok(Self {
            car,
            public_key,
            chr,
            extensions,
        })
    }

    /// The canonical encoding of the `7F4E` object: what the inner signature covers.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.nested(0x7F4E, |w| {
            w.put(0x5F29, &[PROFILE_IDENTIFIER]);
            if let Some(car) = &self.car {
                w.put(0x42, car.as_bytes());
            }
            self.public_key.encode(w);
            w.put(0x5F20, self.chr.as_bytes());
            if let Some(e) = &self.extensions {
                w.put(0x65, e.as_bytes());
            }
        });
        w.into_bytes()
    }

    /// The curve of the requested key (requests always carry domain parameters).
    pub fn curve(&self) -> Option<Curve> {
        self.public_key.domain_parameters()
    }
}

/// The outer authentication of a request (BSI TR-03110-3 §C.2.2): a signature by a key the
/// CA already knows (the holder's current certificate, or its DV for a first request).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OuterSignature {
    /// Outer CAR: whose key made the outer signature.
    pub car: CertificateReference,
    /// The signature over the `7F21` object followed by the `42` outer CAR object.
    pub signature: EcSignature,
}

/// A certificate request (BSI TR-03110-3 §C.2):
///
/// ```text
/// 67 Authentication              only for an authenticated request
///   7F21 CV Certificate
///     7F4E Certificate Body      see RequestBody
///     5F37 Signature             inner: by the requested key itself (proof of possession)
///   42   Outer CAR
///   5F37 Outer Signature         over 7F21 ‖ 42 as encoded
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CertificateRequest {
    body: RequestBody,
    inner_signature: EcSignature,
    outer: Option<OuterSignature>,
    raw_body: Vec<u8>,
}

impl CertificateRequest {
    /// A request from its parts (signatures not checked here).
    pub fn new(
        body: RequestBody,
        inner_signature: EcSignature,
        outer: Option<OuterSignature>,
    ) -> Self {
        let raw_body = body.to_bytes();
        Self {
            body,
            inner_signature,
            outer,
            raw_body,
        }
    }

    /// Parses a request: a `7F21` (plain) or `67` (authenticated) object of at most
    /// [`MAX_REQUEST_LEN`] bytes, canonical lengths, nothing left over.
    ///
    /// # Errors
    /// As [`super::CvCertificate::from_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CvcError> {
        let tag = if bytes.first() == Some(&0x67) {
            0x67
        } else {
            0x7F21
        };
        let outer = tlv::top_level(bytes, tag, MAX_REQUEST_LEN)?;
        if tag == 0x7F21 {
            return Self::decode_inner(&outer, None);
        }
        let mut r = tlv::children(&outer)?;
        let inner = tlv::expect(&mut r, 0x7F21)?;
        let car_tlv = tlv::expect(&mut r, 0x42)?;
        let car = decode_reference(&car_tlv, Field::OuterCar)?;
        let sig_tlv = tlv::expect(&mut r, 0x5F37)?;
        tlv::finish(r)?;
        let signature = EcSignature::from_bytes(sig_tlv.value)
            .ok_or_else(|| tlv::invalid(Field::Signature, &sig_tlv))?;
        Self::decode_inner(&inner, Some(OuterSignature { car, signature }))
    }

    fn decode_inner(t: &Tlv<'_>, outer: Option<OuterSignature>) -> Result<Self, CvcError> {
        let (body_tlv, inner_signature) = decode_signed(t)?;
        let body = RequestBody::decode(&body_tlv)?;
        Ok(Self {
            body,
            inner_signature,
            outer,
            raw_body: body_tlv.raw.to_vec(),
        })
    }

    /// The `7F21` object (body and inner signature).
    pub fn inner_bytes(&self) -> Vec<u8> {
        encode_signed(&self.raw_body, &self.inner_signature)
    }

    /// What the outer signature covers: the `7F21` object then the `42` outer CAR object.
    pub fn outer_signed_bytes(&self, outer_car: &CertificateReference) -> Vec<u8> {
        let mut w = Writer::new();
        w.raw(&self.inner_bytes());
        w.put(0x42, outer_car.as_bytes());
        w.into_bytes()
    }

    /// The canonical encoding: `67` when authenticated, else `7F21`.
    pub fn to_bytes(&self) -> Vec<u8> {
        match &self.outer {
            None => self.inner_bytes(),
            Some(o) => {
                let mut w = Writer::new();
                w.nested(0x67, |w| {
                    w.raw(&self.outer_signed_bytes(&o.car));
                    w.put(0x5F37, o.signature.as_bytes());
                });
                w.into_bytes()
            }
        }
    }

    /// The body.
    pub fn body(&self) -> &RequestBody {
        &self.body
    }

    /// The `7F4E` object as read: what the inner signature covers.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw_body
    }

    /// The inner signature.
    pub fn inner_signature(&self) -> &EcSignature {
        &self.inner_signature
    }

    /// The outer authentication, if any.
    pub fn outer(&self) -> Option<&OuterSignature> {
        self.outer.as_ref()
    }

    /// Checks the inner signature with the requested key (proof of possession,
    /// BSI TR-03110-3 §C.2.1).
    ///
    /// # Errors
    /// [`CvcError::InvalidPublicKey`] if the point is not on the curve,
    /// [`CvcError::SignatureInvalid`] if the signature does not verify.
    pub fn verify_inner(&self) -> Result<(), CvcError> {
        let chr = &self.body.chr;
        let curve = self
            .body
            .curve()
            .ok_or_else(|| CvcError::MissingDomainParameters { chr: chr.clone() })?;
        super::chain::verify_with(
            curve,
            &self.body.public_key,
            chr,
            chr,
            &self.raw_body,
            &self.inner_signature,
        )
    }

    /// Checks the outer signature with the key of the outer CAR (`curve` and `key` from that
    /// holder's certificate chain).
    ///
    /// # Errors
    /// [`CvcError::SignatureInvalid`] if there is no outer signature or it does not verify.
    pub fn verify_outer(&self, curve: Curve, key: &CvPublicKey) -> Result<(), CvcError> {
        let chr = &self.body.chr;
        let Some(o) = &self.outer else {
            return Err(CvcError::SignatureInvalid {
                chr: chr.clone(),
                car: chr.clone(),
            });
        };
        super::chain::verify_with(
            curve,
            key,
            chr,
            &o.car,
            &self.outer_signed_bytes(&o.car),
            &o.signature,
        )
    }
}
