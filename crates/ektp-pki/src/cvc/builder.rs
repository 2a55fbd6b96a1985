//! Issuing CV certificates and requests through a [`CvSigner`].

use super::error::CvcError;
use super::{
    CertificateBody, CertificateReference, CertificateRequest, Chat, CvCertificate, CvDate,
    CvPublicKey, CvSigner, Extensions, OuterSignature, RequestBody, Role,
};

/// Issues a CV certificate (BSI TR-03110-3 §C.1): a CVCA certificate
/// ([`CertificateBuilder::self_signed`]), or a link, DV or terminal certificate signed by
/// the issuer's key ([`CertificateBuilder::issue`], [`CertificateBuilder::issue_for_request`]).
///
/// ```
/// use ektp_pki::cvc::*;
/// # fn main() -> Result<(), CvcError> {
/// let d = |s| CvDate::from_yymmdd(s);
/// let cvca_key = SoftwareCvSigner::generate(Curve::BrainpoolP256r1)?; // TEST ONLY key
/// let all = AccessRights::READ_DG3.union(AccessRights::READ_DG4);
/// let cvca = CertificateBuilder::new(
///     CertificateReference::new("IDCVCA00001")?,
///     Chat::inspection_system(Role::Cvca, all),
///     d("260101")?,
///     d("290101")?,
/// )
/// .self_signed(&cvca_key)?;
///
/// let dv_key = SoftwareCvSigner::generate(Curve::BrainpoolP256r1)?;
/// let dv = CertificateBuilder::new(
///     CertificateReference::new("IDDVBANK00001")?,
///     Chat::inspection_system(Role::DvDomestic, AccessRights::READ_DG3),
///     d("260101")?,
///     d("260701")?,
/// )
/// .issue(&dv_key.public_key(false), &cvca, &cvca_key)?;
///
/// let is_key = SoftwareCvSigner::generate(Curve::BrainpoolP256r1)?;
/// let is = CertificateBuilder::new(
///     CertificateReference::new("IDISTERM00001")?,
///     Chat::inspection_system(Role::Terminal, all),
///     d("260110")?,
///     d("260117")?,
/// )
/// .issue(&is_key.public_key(false), &dv, &dv_key)?;
///
/// let trust = [TrustPoint::from_certificate(&cvca)?];
/// let chain = validate_chain(&trust, &[dv, is], d("260112")?)?;
/// // The DV may only grant DG3, so the terminal gets only DG3.
/// assert_eq!(chain.chat.rights(), AccessRights::READ_DG3);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct CertificateBuilder {
    chr: CertificateReference,
    chat: Chat,
    effective: CvDate,
    expiration: CvDate,
    extensions: Option<Extensions>,
}

impl CertificateBuilder {
    /// A certificate for `chr` with `chat` (role and rights), valid `effective..=expiration`.
    pub fn new(
        chr: CertificateReference,
        chat: Chat,
        effective: CvDate,
        expiration: CvDate,
    ) -> Self {
        Self {
            chr,
            chat,
            effective,
            expiration,
            extensions: None,
        }
    }

    /// Adds certificate extensions.
    #[must_use]
    pub fn extensions(mut self, extensions: Extensions) -> Self {
        self.extensions = Some(extensions);
        self
    }

    fn check_validity(&self) -> Result<(), CvcError> {
        if self.effective > self.expiration {
            return Err(CvcError::InvalidValidityPeriod {
                chr: self.chr.clone(),
            });
        }
        Ok(())
    }

    fn sign(
        self,
        car: CertificateReference,
        public_key: CvPublicKey,
        signer: &dyn CvSigner,
    ) -> Result<CvCertificate, CvcError> {
        let body = CertificateBody {
            car,
            public_key,
            chr: self.chr,
            chat: self.chat,
            effective: self.effective,
            expiration: self.expiration,
            extensions: self.extensions,
        };
        let signature = signer.sign(&body.to_bytes())?;
        Ok(CvCertificate::new(body, signature))
    }

    /// A self-signed CVCA certificate (CAR = CHR), with the signer's key and its domain
    /// parameters (BSI TR-03110-3 §2.2.1).
    ///
    /// # Errors
    /// [`CvcError::RoleNotAllowed`] unless the CHAT's role is CVCA;
    /// [`CvcError::InvalidValidityPeriod`]; errors of the signer.
    pub fn self_signed(self, signer: &dyn CvSigner) -> Result<CvCertificate, CvcError> {
        if self.chat.role() != Role::Cvca {
            return Err(CvcError::RoleNotAllowed {
                issuer: Role::Cvca,
                subject: self.chat.role(),
                chr: self.chr,
            });
        }
        self.check_validity()?;
        let car = self.chr.clone();
        self.sign(car, signer.public_key(true), signer)
    }

    /// A certificate for `subject_key` signed by the holder of `issuer` with `signer`:
    /// a CVCA link certificate (new CVCA key, domain parameters included), a DV certificate
    /// (issuer a CVCA) or a terminal certificate (issuer a DV), BSI TR-03110-3 §2.2.
    ///
    /// # Errors
    /// [`CvcError::SignerKeyMismatch`] if `signer` does not hold `issuer`'s key;
    /// [`CvcError::RoleNotAllowed`] if the issuer's role may not issue the CHAT's role;
    /// [`CvcError::MissingDomainParameters`] for a link certificate whose key lacks them;
    /// [`CvcError::InvalidValidityPeriod`]; errors of the signer.
    pub fn issue(
        self,
        subject_key: &CvPublicKey,
        issuer: &CvCertificate,
        signer: &dyn CvSigner,
    ) -> Result<CvCertificate, CvcError> {
        if signer.public_point() != *issuer.body().public_key.point() {
            return Err(CvcError::SignerKeyMismatch {
                chr: issuer.chr().clone(),
            });
        }
        if !issuer.role().may_issue(self.chat.role()) {
            return Err(CvcError::RoleNotAllowed {
                issuer: issuer.role(),
                subject: self.chat.role(),
                chr: self.chr,
            });
        }
        self.check_validity()?;
        let key = if self.chat.role() == Role::Cvca {
            if subject_key.domain_parameters().is_none() {
                return Err(CvcError::MissingDomainParameters { chr: self.chr });
            }
            *subject_key
        } else {
            subject_key.with_domain_parameters(None)
        };
        let car = issuer.chr().clone();
        self.sign(car, key, signer)
    }

    /// A certificate for the key of `request`, after checking the request's inner signature
    /// (proof of possession, BSI TR-03110-3 §C.2.1). The CHR is this builder's.
    ///
    /// # Errors
    /// As [`CertificateBuilder::issue`], and [`CvcError::SignatureInvalid`] if the request's
    /// inner signature does not verify.
    pub fn issue_for_request(
        self,
        request: &CertificateRequest,
        issuer: &CvCertificate,
        signer: &dyn CvSigner,
    ) -> Result<CvCertificate, CvcError> {
        request.verify_inner()?;
        self.issue(&request.body().public_key, issuer, signer)
    }
}

impl CertificateBuilder {
    /// Issuance policy, checked by a CA before it signs (the chip would reject or narrow the
    /// certificate later; a CA should not issue it at all), at the issuer's `today`:
    /// 1. the issuer's certificate has not expired ([`CvcError::Expired`] naming the issuer);
    /// 2. the new certificate has not already expired ([`CvcError::Expired`] naming it);
    /// 3. its rights are within the issuer's ([`CvcError::RightsExceedIssuer`]): the chip
    ///    grants only the intersection (BSI TR-03110-3 §2.7), so wider rights would mislead;
    /// 4. a DV or terminal certificate ends no later than its issuer's
    ///    ([`CvcError::OutlivesIssuer`]); a CVCA link certificate may, as the new CVCA
    ///    replaces the old one.
    ///
    /// [`CertificateBuilder::issue`] itself does not apply this policy, so tests can still
    /// make the certificates a chip must refuse.
    ///
    /// # Errors
    /// The first rule broken, as above.
    pub fn check_issuance(&self, issuer: &CvCertificate, today: CvDate) -> Result<(), CvcError> {
        let ib = issuer.body();
        if ib.expiration < today {
            return Err(CvcError::Expired {
                chr: ib.chr.clone(),
                expiration: ib.expiration,
                current: today,
            });
        }
        if self.expiration < today {
            return Err(CvcError::Expired {
                chr: self.chr.clone(),
                expiration: self.expiration,
                current: today,
            });
        }
        let granted = ib.chat.rights();
        let requested = self.chat.rights();
        if !granted.contains(requested) {
            return Err(CvcError::RightsExceedIssuer {
                chr: self.chr.clone(),
                issuer: ib.chr.clone(),
                requested,
                granted,
            });
        }
        if self.chat.role() != Role::Cvca && self.expiration > ib.expiration {
            return Err(CvcError::OutlivesIssuer {
                chr: self.chr.clone(),
                expiration: self.expiration,
                issuer: ib.chr.clone(),
                issuer_expiration: ib.expiration,
            });
        }
        Ok(())
    }
}

/// Makes a certificate request (BSI TR-03110-3 §C.2): the body with the requested CHR and
/// the signer's key with its domain parameters, signed by that same key.
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    chr: CertificateReference,
    car: Option<CertificateReference>,
    extensions: Option<Extensions>,
}

impl RequestBuilder {
    /// A request for `chr`.
    pub fn new(chr: CertificateReference) -> Self {
        Self {
            chr,
            car: None,
            extensions: None,
        }
    }

    /// Names the CA the request is for (recommended by §C.2.1).
    #[must_use]
    pub fn car(mut self, car: CertificateReference) -> Self {
        self.car = Some(car);
        self
    }

    /// Adds certificate extensions.
    #[must_use]
    pub fn extensions(mut self, extensions: Extensions) -> Self {
        self.extensions = Some(extensions);
        self
    }

    /// Signs the request with the requested key itself.
    ///
    /// # Errors
    /// Errors of the signer.
    pub fn sign(self, signer: &dyn CvSigner) -> Result<CertificateRequest, CvcError> {
        let body = RequestBody {
            car: self.car,
            public_key: signer.public_key(true),
            chr: self.chr,
            extensions: self.extensions,
        };
        let signature = signer.sign(&body.to_bytes())?;
        Ok(CertificateRequest::new(body, signature, None))
    }
}

impl CertificateRequest {
    /// This request wrapped in `67` with an outer signature by `outer_car`'s key
    /// (BSI TR-03110-3 §C.2.2), replacing any outer signature it had.
    ///
    /// # Errors
    /// Errors of the signer.
    pub fn authenticate(
        &self,
        outer_car: CertificateReference,
        signer: &dyn CvSigner,
    ) -> Result<CertificateRequest, CvcError> {
        let signature = signer.sign(&self.outer_signed_bytes(&outer_car))?;
        Ok(CertificateRequest::new(
            self.body().clone(),
            *self.inner_signature(),
            Some(OuterSignature {
                car: outer_car,
                signature,
            }),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{AccessRights, Curve, SoftwareCvSigner};
    use super::*;

    #[test]
    fn issuance_policy() {
        let d = |s| CvDate::from_yymmdd(s).unwrap();
        let r = |s| CertificateReference::new(s).unwrap();
        let key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
        let cvca = CertificateBuilder::new(
            r("IDCVCA00001"),
            Chat::inspection_system(Role::Cvca, AccessRights::READ_DG3),
            d("260101"),
            d("261231"),
        )
        .self_signed(&key)
        .unwrap();
        let dv = |rights, to| {
            CertificateBuilder::new(
                r("IDDV00001"),
                Chat::inspection_system(Role::DvDomestic, rights),
                d("260601"),
                d(to),
            )
        };
        let dg3 = AccessRights::READ_DG3;
        let dg4 = AccessRights::READ_DG4;
        assert_eq!(dv(dg3, "260901").check_issuance(&cvca, d("260601")), Ok(()));
        assert!(matches!(
            dv(dg3.union(dg4), "260901").check_issuance(&cvca, d("260601")),
            Err(CvcError::RightsExceedIssuer { requested, granted, .. })
                if requested == dg3.union(dg4) && granted == dg3
        ));
        assert!(matches!(
            dv(dg3, "270101").check_issuance(&cvca, d("260601")),
            Err(CvcError::OutlivesIssuer { .. })
        ));
        assert!(matches!(
            dv(dg3, "260901").check_issuance(&cvca, d("270101")),
            Err(CvcError::Expired { chr, .. }) if chr.as_str() == "IDCVCA00001"
        ));
        assert!(matches!(
            dv(dg3, "260901").check_issuance(&cvca, d("261001")),
            Err(CvcError::Expired { chr, .. }) if chr.as_str() == "IDDV00001"
        ));
        // A link certificate (new CVCA) may outlive the old one.
        let link = CertificateBuilder::new(
            r("IDCVCA00002"),
            Chat::inspection_system(Role::Cvca, dg3),
            d("260601"),
            d("290601"),
        );
        assert_eq!(link.check_issuance(&cvca, d("260601")), Ok(()));
    }
}
