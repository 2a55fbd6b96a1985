//! Certificate chain validation as the chip does it in Terminal Authentication
//! (BSI TR-03110-1 §2.5 / TR-03110-3 §2.5–2.7), without I/O.

use super::error::CvcError;
use super::{
    CertificateReference, Chat, Curve, CvCertificate, CvDate, CvPublicKey, EcPoint, EcSignature,
    MAX_CHAIN_LEN, Role,
};

/// Verifies `signature` over `message` with `key` on `curve`; errors name the holder `chr`
/// and the key owner `car`.
pub(crate) fn verify_with(
    curve: Curve,
    key: &CvPublicKey,
    chr: &CertificateReference,
    car: &CertificateReference,
    message: &[u8],
    signature: &EcSignature,
) -> Result<(), CvcError> {
    curve
        .verify(key.point(), message, signature)
        .map_err(|bad_key| {
            if bad_key {
                CvcError::InvalidPublicKey {
                    chr: car.clone(),
                    curve,
                }
            } else {
                CvcError::SignatureInvalid {
                    chr: chr.clone(),
                    car: car.clone(),
                }
            }
        })
}

/// A trust point (BSI TR-03110-3 §2.5.1): a CVCA public key with its domain parameters and
/// the CVCA's CHR, which DV and link certificates name as their CAR. The chip keeps its trust
/// points from personalization and from CVCA link certificates.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TrustPoint {
    chr: CertificateReference,
    curve: Curve,
    key: CvPublicKey,
    chat: Chat,
}

impl TrustPoint {
    /// A trust point from a CVCA certificate (self-signed or a link certificate accepted
    /// earlier). A self-signed certificate's signature is checked.
    ///
    /// # Errors
    /// [`CvcError::RoleNotAllowed`] unless the role is CVCA;
    /// [`CvcError::MissingDomainParameters`] without domain parameters;
    /// [`CvcError::InvalidPublicKey`] or [`CvcError::SignatureInvalid`].
    pub fn from_certificate(cert: &CvCertificate) -> Result<Self, CvcError> {
        let body = cert.body();
        if body.role() != Role::Cvca {
            return Err(CvcError::RoleNotAllowed {
                issuer: Role::Cvca,
                subject: body.role(),
                chr: body.chr.clone(),
            });
        }
        let curve = body.public_key.domain_parameters().ok_or_else(|| {
            CvcError::MissingDomainParameters {
                chr: body.chr.clone(),
            }
        })?;
        let tp = Self::new(body.chr.clone(), curve, *body.public_key.point(), body.chat)?;
        if body.is_self_signed() {
            verify_with(
                curve,
                &tp.key,
                &body.chr,
                &body.car,
                cert.raw_body(),
                cert.signature(),
            )?;
        }
        Ok(tp)
    }

    /// A trust point from its parts; `chat` gives the CVCA's terminal type and rights.
    ///
    /// # Errors
    /// [`CvcError::InvalidPublicKey`] if `point` is not on `curve`.
    pub fn new(
        chr: CertificateReference,
        curve: Curve,
        point: EcPoint,
        chat: Chat,
    ) -> Result<Self, CvcError> {
        if !curve.is_on_curve(&point) {
            return Err(CvcError::InvalidPublicKey { chr, curve });
        }
        Ok(Self {
            chr,
            curve,
            key: CvPublicKey::new(super::TaAlgorithm::EcdsaSha256, Some(curve), point),
            chat,
        })
    }

    /// The CVCA's CHR.
    pub fn chr(&self) -> &CertificateReference {
        &self.chr
    }

    /// The curve of the CVCA key (the domain parameters of the whole chain below it).
    pub fn curve(&self) -> Curve {
        self.curve
    }

    /// The CVCA public key.
    pub fn public_key(&self) -> &CvPublicKey {
        &self.key
    }

    /// The CVCA's CHAT (its terminal type and the rights it may delegate).
    pub fn chat(&self) -> &Chat {
        &self.chat
    }
}

/// What a validated chain grants: the terminal's certificate and key, the effective
/// authorization, and the chip state to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedChain {
    /// The terminal (inspection system) certificate.
    pub terminal: CvCertificate,
    /// The curve of the terminal's key (the CVCA's domain parameters).
    pub terminal_curve: Curve,
    /// Effective authorization: the terminal's CHAT with its rights intersected with those
    /// of its DV and CVCA (BSI TR-03110-3 §2.7).
    pub chat: Chat,
    /// The chip's current date after this chain (never earlier than the date given).
    pub current_date: CvDate,
    /// Trust points added by CVCA link certificates, in chain order.
    pub new_trust_points: Vec<TrustPoint>,
}

impl ValidatedChain {
    /// Checks a signature by the terminal's key (e.g. EXTERNAL AUTHENTICATE in Terminal
    /// Authentication, ICAO 9303-11 §7.1).
    ///
    /// # Errors
    /// [`CvcError::SignatureInvalid`].
    pub fn verify_terminal_signature(
        &self,
        message: &[u8],
        signature: &EcSignature,
    ) -> Result<(), CvcError> {
        let chr = self.terminal.chr();
        verify_with(
            self.terminal_curve,
            &self.terminal.body().public_key,
            chr,
            chr,
            message,
            signature,
        )
    }
}

/// The authority whose key verifies the next certificate.
#[derive(Debug, Clone)]
struct Authority {
    chr: CertificateReference,
    curve: Curve,
    key: CvPublicKey,
    role: Role,
    chat: Chat,
}

/// Verifies certificates one at a time, as a chip does for each PSO:Verify Certificate
/// (BSI TR-03110-3 §2.5): CVCA link certificates, then a DV certificate, then a terminal
/// certificate. A failed certificate leaves the state unchanged.
///
/// For each certificate, in this order:
/// 1. its CAR names the previous DV certificate's CHR, or (for CVCA and DV certificates) a
///    trust point ([`CvcError::IssuerMismatch`], [`CvcError::NotIssuedByTrustPoint`]);
/// 2. its signature verifies over the body as read with the issuer's key on the CVCA's curve;
/// 3. the issuer's role may issue its role: CVCA → CVCA (link) or DV, DV → terminal;
/// 4. its CHAT has the issuer's terminal type;
/// 5. effective ≤ expiration, and it has not expired: expiration ≥ current date (the
///    chip's date; an effective date after it is accepted, as the chip's date lags);
/// 6. DV and terminal keys use the CVCA's domain parameters; the key is on the curve.
///
/// Then the current date moves forward to the effective date of a CVCA link certificate, a
/// domestic DV certificate or a terminal certificate issued by a domestic DV (never
/// backwards), and a link certificate's CVCA becomes a trust point.
#[derive(Debug, Clone)]
pub struct ChainValidator {
    trust_points: Vec<TrustPoint>,
    current_date: CvDate,
    issuer: Option<Authority>,
    terminal: Option<(CvCertificate, Curve, Chat)>,
    new_trust_points: Vec<TrustPoint>,
    count: usize,
}

impl ChainValidator {
    /// A validator with the chip's trust points and current date.
    pub fn new(trust_points: Vec<TrustPoint>, current_date: CvDate) -> Self {
        Self {
            trust_points,
            current_date,
            issuer: None,
            terminal: None,
            new_trust_points: Vec::new(),
            count: 0,
        }
    }

    /// The current date (moved forward by accepted certificates).
    pub fn current_date(&self) -> CvDate {
        self.current_date
    }

    /// The trust points, including those added by link certificates.
    pub fn trust_points(&self) -> &[TrustPoint] {
        &self.trust_points
    }

    /// Verifies the next certificate of the chain and returns its role.
    ///
    /// # Errors
    /// See the checks on [`ChainValidator`]; [`CvcError::ChainTooLong`] after
    /// [`MAX_CHAIN_LEN`] certificates.
    pub fn verify(&mut self, cert: &CvCertificate) -> Result<Role, CvcError> {
        if self.count >= MAX_CHAIN_LEN {
            return Err(CvcError::ChainTooLong { max: MAX_CHAIN_LEN });
        }
        let body = cert.body();
        let issuer = match &self.issuer {
            Some(prev) => {
                if body.car != prev.chr {
                    return Err(CvcError::IssuerMismatch {
                        chr: body.chr.clone(),
                        car: body.car.clone(),
                        expected: prev.chr.clone(),
                    });
                }
                prev.clone()
            }
            None => {
                let tp = self
                    .trust_points
                    .iter()
                    .rev()
                    .find(|t| t.chr == body.car)
                    .ok_or_else(|| CvcError::NotIssuedByTrustPoint {
                        chr: body.chr.clone(),
                        car: body.car.clone(),
                    })?;
                Authority {
                    chr: tp.chr.clone(),
                    curve: tp.curve,
                    key: tp.key,
                    role: Role::Cvca,
                    chat: tp.chat,
                }
            }
        };
        verify_with(
            issuer.curve,
            &issuer.key,
            &body.chr,
            &body.car,
            cert.raw_body(),
            cert.signature(),
        )?;
        let role = body.role();
        if !issuer.role.may_issue(role) {
            return Err(CvcError::RoleNotAllowed {
                issuer: issuer.role,
                subject: role,
                chr: body.chr.clone(),
            });
        }
        if body.chat.terminal_type() != issuer.chat.terminal_type() {
            return Err(CvcError::TerminalTypeMismatch {
                chr: body.chr.clone(),
            });
        }
        if body.effective > body.expiration {
            return Err(CvcError::InvalidValidityPeriod {
                chr: body.chr.clone(),
            });
        }
        if body.expiration < self.current_date {
            return Err(CvcError::Expired {
                chr: body.chr.clone(),
                expiration: body.expiration,
                current: self.current_date,
            });
        }
        let curve = match (role, body.public_key.domain_parameters()) {
            (Role::Cvca, Some(c)) => c,
            (_, Some(c)) if c != issuer.curve => {
                return Err(CvcError::DomainParametersMismatch {
                    chr: body.chr.clone(),
                });
            }
            _ => issuer.curve,
        };
        if !curve.is_on_curve(body.public_key.point()) {
            return Err(CvcError::InvalidPublicKey {
                chr: body.chr.clone(),
                curve,
            });
        }

        // Accepted: update the state.
        let updates_date = match role {
            Role::Cvca | Role::DvDomestic => true,
            Role::Terminal => issuer.role == Role::DvDomestic,
            Role::DvForeign => false,
        };
        if updates_date && body.effective > self.current_date {
            self.current_date = body.effective;
        }
        self.count = self.count.saturating_add(1);
        let effective_chat = if role == Role::Cvca {
            body.chat
        } else {
            body.chat.restrict(issuer.chat.rights())
        };
        match role {
            Role::Cvca => {
                let tp = TrustPoint {
                    chr: body.chr.clone(),
                    curve,
                    key: body.public_key.with_domain_parameters(Some(curve)),
                    chat: effective_chat,
                };
                self.trust_points.retain(|t| t.chr != tp.chr);
                self.trust_points.push(tp.clone());
                self.new_trust_points.retain(|t| t.chr != tp.chr);
                self.new_trust_points.push(tp);
                self.issuer = None;
            }
            Role::DvDomestic | Role::DvForeign | Role::Terminal => {
                self.issuer = Some(Authority {
                    chr: body.chr.clone(),
                    curve,
                    key: body.public_key,
                    role,
                    chat: effective_chat,
                });
                self.terminal =
                    (role == Role::Terminal).then(|| (cert.clone(), curve, effective_chat));
            }
        }
        Ok(role)
    }

    /// Ends the chain: it must have ended with a terminal certificate.
    ///
    /// # Errors
    /// [`CvcError::EmptyChain`] or [`CvcError::NotATerminal`].
    pub fn finish(self) -> Result<ValidatedChain, CvcError> {
        match (self.terminal, self.issuer) {
            (Some((terminal, terminal_curve, chat)), _) => Ok(ValidatedChain {
                terminal,
                terminal_curve,
                chat,
                current_date: self.current_date,
                new_trust_points: self.new_trust_points,
            }),
            (None, Some(a)) => Err(CvcError::NotATerminal {
                chr: a.chr,
                role: a.role,
            }),
            (None, None) => match self.new_trust_points.last() {
                Some(tp) => Err(CvcError::NotATerminal {
                    chr: tp.chr.clone(),
                    role: Role::Cvca,
                }),
                None => Err(CvcError::EmptyChain),
            },
        }
    }
}

/// Validates a whole chain (CVCA link certificates, DV, terminal) against `trust_points` at
/// the chip's `current_date`; see [`ChainValidator`] for the checks.
///
/// # Errors
/// The first failing check's error; [`CvcError::EmptyChain`], [`CvcError::ChainTooLong`],
/// [`CvcError::NotATerminal`] for a chain of the wrong shape.
pub fn validate_chain(
    trust_points: &[TrustPoint],
    chain: &[CvCertificate],
    current_date: CvDate,
) -> Result<ValidatedChain, CvcError> {
    if chain.len() > MAX_CHAIN_LEN {
        return Err(CvcError::ChainTooLong { max: MAX_CHAIN_LEN });
    }
    let mut v = ChainValidator::new(trust_points.to_vec(), current_date);
    for cert in chain {
        v.verify(cert)?;
    }
    v.finish()
}
