//! Extended Access Control (BSI TR-03110-1 "EAC1 with PACE", ICAO 9303-11 §6.2, §7): Chip
//! Authentication and Terminal Authentication on the virtual chip, driven through the
//! card-side state machines of `ektp_sm::ca` and `ektp_sm::ta`, with certificates checked
//! by `ektp_pki::cvc::ChainValidator` against the chip's CVCA trust points and its date.
//!
//! | command | when | effect |
//! |---|---|---|
//! | GENERATE ASYMMETRIC KEY PAIR `00 46 80 01` / `81 01` | personalization | generates (once) / reads the Chip Authentication key; answers the uncompressed P-256 point |
//! | PUT DATA `00 DA DF 10 {7F21 CVCA certificate}` | personalization | adds a CVCA trust point (self-signed, signature checked); the chip's date moves to its effective date if later |
//! | MSE:Set AT `0C 22 41 A4 {80 id-CA-ECDH-AES-CBC-CMAC-128}` | after PACE | starts Chip Authentication |
//! | GENERAL AUTHENTICATE `0C 86 00 00 {7C{80 PK_PCD}}` | after the MSE | answers `7C 00` under the PACE keys, then secure messaging restarts with the CA keys, SSC 0 |
//! | MSE:Set DST `0C 22 81 B6 {83 CAR}` | after CA | selects the key for the next certificate |
//! | PSO:Verify Certificate `0C 2A 00 BE {7F4E, 5F37}` | after Set DST | verifies one certificate; an accepted CVCA link certificate becomes a trust point, and the chip's date moves forward as the validator decides (both persisted before the answer) |
//! | MSE:Set AT `0C 22 81 A4 {83 CHR, 91 Comp(PK_PCD)}` | after a terminal certificate | selects the terminal's key |
//! | GET CHALLENGE `0C 84 00 00 08` | any time | r_PICC, used by at most one EXTERNAL AUTHENTICATE |
//! | EXTERNAL AUTHENTICATE `0C 82 00 00 {signature}` | after Set AT | checks the signature over ID_PICC ‖ r_PICC ‖ Comp(PK_PCD); success grants the terminal's effective rights (read DG3 / DG4) for this session |
//!
//! Any refusal ends the Terminal Authentication run. Rights last until the secure messaging
//! session ends; a new PACE starts from nothing. Files with
//! [`Access::TerminalAuth`](super::profile::Access::TerminalAuth) answer `6982` unless the
//! session holds the right for them.

use ektp_iso7816::{CommandApdu, Fid, StatusWord};
use ektp_pki::cvc::{
    AccessRights, CertificateReference, ChainValidator, Chat, Curve, CvCertificate, CvDate,
    EcPoint as CvPoint, EcSignature, Role, TerminalType, TrustPoint,
};
use ektp_sm::ca::{self, CaParams, card as ca_card};
use ektp_sm::ta::card::{self as ta_card, ChainVerifier};
use ektp_sm::{CardSm, DomainParameters};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::dispatch::{Answer, check_le_at_least, done, no_data, ok};
use super::{Auth, Chip, PaceRun};

/// P2 of GENERATE ASYMMETRIC KEY PAIR that names the Chip Authentication key (the Active
/// Authentication key is P2 `00`).
pub(crate) const CA_KEY_REF: u8 = 0x01;

/// P1 P2 of PUT DATA that writes a CVCA trust point.
pub(crate) const TRUST_POINT_TAG: (u8, u8) = (0xDF, 0x10);

/// Most CVCA trust points the chip keeps (TR-03110-3 §2.5.1 asks for two: the current CVCA
/// and its predecessor during a rollover).
pub const MAX_TRUST_POINTS: usize = 4;

/// The Chip Authentication protocol the chip offers (DG14).
pub const CA_PARAMS: CaParams = CaParams::EKTP_DEFAULT;

/// A CVCA trust point as the state file keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredTrustPoint {
    /// The CVCA's CHR.
    pub(crate) chr: String,
    /// `P-256` or `brainpoolP256r1`.
    pub(crate) curve: String,
    /// The uncompressed public point.
    #[serde(with = "crate::os::hexser")]
    pub(crate) point: Vec<u8>,
    /// The CVCA's rights (bits of its CHAT, inspection system).
    pub(crate) rights: u64,
}

impl StoredTrustPoint {
    fn from_trust_point(tp: &TrustPoint) -> Self {
        Self {
            chr: tp.chr().as_str().to_owned(),
            curve: match tp.curve() {
                Curve::NistP256 => "P-256",
                Curve::BrainpoolP256r1 => "brainpoolP256r1",
                _ => "unsupported",
            }
            .to_owned(),
            point: tp.public_key().point().as_bytes().to_vec(),
            rights: tp.chat().rights().bits(),
        }
    }

    fn to_trust_point(&self) -> Option<TrustPoint> {
        let curve = match self.curve.as_str() {
            "P-256" => Curve::NistP256,
            "brainpoolP256r1" => Curve::BrainpoolP256r1,
            _ => return None,
        };
        let chat = Chat::new(
            TerminalType::InspectionSystem,
            Role::Cvca,
            AccessRights::from_bits(self.rights),
        )
        .ok()?;
        TrustPoint::new(
            CertificateReference::new(&self.chr).ok()?,
            curve,
            CvPoint::from_bytes(&self.point)?,
            chat,
        )
        .ok()
    }

    /// Whether a loaded entry is usable.
    pub(crate) fn is_valid(&self) -> bool {
        self.to_trust_point().is_some()
    }
}

/// The chip's certificate checks for Terminal Authentication, over
/// [`ChainValidator`].
#[derive(Debug)]
pub(crate) struct ChipVerifier {
    validator: ChainValidator,
    terminal: Option<CertificateReference>,
}

impl ChainVerifier for ChipVerifier {
    fn verify_certificate(
        &mut self,
        selected: &[u8],
        content: &[u8],
    ) -> Result<(), ektp_sm::Error> {
        let wrapped = ektp_iso7816::tlv::encode(0x7F21, content);
        let cert = CvCertificate::from_bytes(&wrapped)
            .map_err(|_| ektp_sm::Error::TaCertificateRejected)?;
        if cert.car().as_bytes() != selected {
            return Err(ektp_sm::Error::TaCertificateRejected);
        }
        let role = self
            .validator
            .verify(&cert)
            .map_err(|_| ektp_sm::Error::TaCertificateRejected)?;
        self.terminal = (role == Role::Terminal).then(|| cert.chr().clone());
        Ok(())
    }

    fn terminal_chr(&self) -> Option<Vec<u8>> {
        self.terminal.as_ref().map(|c| c.as_bytes().to_vec())
    }

    fn verify_terminal_signature(&self, message: &[u8], signature: &[u8]) -> bool {
        let Some(sig) = EcSignature::from_bytes(signature) else {
            return false;
        };
        self.validator
            .clone()
            .finish()
            .is_ok_and(|chain| chain.verify_terminal_signature(message, &sig).is_ok())
    }
}

/// A Terminal Authentication run.
pub(crate) enum TaRun {
    Certificates(ta_card::Certificates<ChipVerifier>),
    Authenticate(ta_card::AwaitExternalAuthenticate<ChipVerifier>),
}

/// What the chip remembers of EAC in the current PACE session (forgotten on reset).
#[derive(Default)]
pub(crate) struct EacVolatile {
    /// Comp(PK_PICC) of the chip's ephemeral PACE key: ID_PICC.
    id_picc: Option<Vec<u8>>,
    /// Chip Authentication between MSE:Set AT and GENERAL AUTHENTICATE.
    ca: Option<ca_card::AwaitKeyAgreement>,
    /// The session to switch to once the GENERAL AUTHENTICATE answer is protected.
    pub(crate) new_sm: Option<CardSm>,
    /// Comp(PK_PCD) once Chip Authentication succeeded.
    comp_pk_pcd: Option<Vec<u8>>,
    ta: Option<TaRun>,
    /// The terminal's effective rights once Terminal Authentication succeeded.
    rights: Option<AccessRights>,
}

impl Chip {
    fn cv_date(&self) -> Option<CvDate> {
        self.state
            .cv_date
            .as_deref()
            .and_then(|d| CvDate::from_yymmdd(d).ok())
    }

    fn trust_points(&self) -> Vec<TrustPoint> {
        self.state
            .cvca_trust_points
            .iter()
            .filter_map(StoredTrustPoint::to_trust_point)
            .collect()
    }

    /// The Chip Authentication private key.
    fn ca_key(&self) -> Option<Zeroizing<[u8; 32]>> {
        let k = self.state.ca_private_key.as_deref()?;
        let arr: [u8; 32] = k.try_into().ok()?;
        let arr = Zeroizing::new(arr);
        ca::public_key(DomainParameters::NistP256, &arr).ok()?;
        Some(arr)
    }

    /// Whether this command's session may read a file with `Access::TerminalAuth`.
    pub(super) fn eac_may_read(&self, fid: Fid, auth: Auth) -> bool {
        let need = match fid.value() {
            0x0103 => AccessRights::READ_DG3,
            0x0104 => AccessRights::READ_DG4,
            _ => return false,
        };
        auth == Auth::Pace && self.vol.eac.rights.is_some_and(|r| r.contains(need))
    }

    /// GENERAL AUTHENTICATE: PACE in plain, Chip Authentication inside the PACE session.
    /// A completed PACE starts a fresh EAC state with ID_PICC.
    pub(super) fn general_authenticate_any(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if auth == Auth::Pace {
            return self.ca_general_authenticate(cmd);
        }
        let id_picc = match &self.vol.pace {
            Some(PaceRun::Token(s)) => Some(ca::compressed(s.chip_ephemeral())),
            _ => None,
        };
        let answer = self.general_authenticate(cmd, auth);
        if id_picc.is_some()
            && self
                .vol
                .session
                .as_ref()
                .is_some_and(|s| s.kind == Auth::Pace)
        {
            self.vol.eac = EacVolatile {
                id_picc,
                ..EacVolatile::default()
            };
        }
        answer
    }

    /// MSE for Chip Authentication (`41 A4`) and Terminal Authentication (`81 B6`, `81 A4`).
    pub(super) fn eac_mse(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if auth != Auth::Pace {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        match (cmd.p1, cmd.p2) {
            (0x41, 0xA4) => {
                if self.vol.eac.comp_pk_pcd.is_some() {
                    return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
                }
                let key = self.ca_key().ok_or(StatusWord::REFERENCED_DATA_NOT_FOUND)?;
                let idle = ca_card::Idle::new(CA_PARAMS, None, key)
                    .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
                match idle.on_mse_set_at(cmd) {
                    Ok((next, resp)) => {
                        self.vol.eac.ca = Some(next);
                        Ok(resp)
                    }
                    Err(rejected) => Ok(rejected.response),
                }
            }
            (0x81, 0xB6) => {
                let run = self.ta_certificates()?;
                match run.on_mse_set_dst(cmd) {
                    Ok((next, resp)) => {
                        self.vol.eac.ta = Some(TaRun::Certificates(next));
                        Ok(resp)
                    }
                    Err(rejected) => Ok(rejected.response),
                }
            }
            (0x81, 0xA4) => {
                let run = self.ta_certificates()?;
                match run.on_mse_set_at(cmd) {
                    Ok((next, resp)) => {
                        self.vol.eac.ta = Some(TaRun::Authenticate(next));
                        Ok(resp)
                    }
                    Err(rejected) => Ok(rejected.response),
                }
            }
            _ => Err(StatusWord::INCORRECT_P1P2),
        }
    }

    /// The Terminal Authentication run in its certificate phase, started if needed. Needs
    /// Chip Authentication first and no Terminal Authentication passed yet.
    fn ta_certificates(&mut self) -> Result<ta_card::Certificates<ChipVerifier>, StatusWord> {
        let eac = &mut self.vol.eac;
        let (Some(id_picc), Some(comp)) = (&eac.id_picc, &eac.comp_pk_pcd) else {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        };
        if eac.rights.is_some() {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        match eac.ta.take() {
            Some(TaRun::Certificates(c)) => Ok(c),
            Some(TaRun::Authenticate(_)) => Err(StatusWord::CONDITIONS_NOT_SATISFIED),
            None => {
                let (id_picc, comp) = (id_picc.clone(), comp.clone());
                let date = self
                    .cv_date()
                    .ok_or(StatusWord::REFERENCED_DATA_NOT_FOUND)?;
                let verifier = ChipVerifier {
                    validator: ChainValidator::new(self.trust_points(), date),
                    terminal: None,
                };
                Ok(ta_card::Certificates::new(verifier, &id_picc, &comp))
            }
        }
    }

    fn ca_general_authenticate(&mut self, cmd: &CommandApdu) -> Answer {
        let run = self
            .vol
            .eac
            .ca
            .take()
            .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED)?;
        match run.on_command(cmd) {
            Ok((done, resp)) => {
                let comp = done.compressed_ephemeral();
                self.vol.eac.comp_pk_pcd = Some(comp);
                self.vol.eac.new_sm = Some(done.sm);
                self.vol.eac.ta = None;
                self.vol.eac.rights = None;
                Ok(resp)
            }
            Err(rejected) => Ok(rejected.response),
        }
    }

    /// PSO:Verify Certificate `00 2A 00 BE`.
    pub(super) fn pso(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if auth != Auth::Pace {
            return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        if (cmd.p1, cmd.p2) != (0x00, 0xBE) {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        let run = match self.vol.eac.ta.take() {
            Some(TaRun::Certificates(c)) => c,
            _ => return Err(StatusWord::CONDITIONS_NOT_SATISFIED),
        };
        match run.on_verify_certificate(cmd) {
            Ok((next, resp)) => {
                // Persist what the accepted certificate changed (date forward, link
                // certificate trust points) before answering.
                let v = &next.verifier().validator;
                let mut state = self.state.clone();
                if self.cv_date().is_none_or(|d| v.current_date() > d) {
                    state.cv_date = Some(v.current_date().to_yymmdd());
                }
                let points: Vec<StoredTrustPoint> = v
                    .trust_points()
                    .iter()
                    .map(StoredTrustPoint::from_trust_point)
                    .collect();
                if points != state.cvca_trust_points {
                    let skip = points.len().saturating_sub(MAX_TRUST_POINTS);
                    state.cvca_trust_points = points.into_iter().skip(skip).collect();
                }
                if state != self.state {
                    self.commit(state)?;
                }
                self.vol.eac.ta = Some(TaRun::Certificates(next));
                Ok(resp)
            }
            Err(rejected) => Ok(rejected.response),
        }
    }

    /// EXTERNAL AUTHENTICATE of Terminal Authentication (inside the CA session).
    pub(super) fn ta_external_authenticate(&mut self, cmd: &CommandApdu) -> Answer {
        let challenge = self.vol.challenge.take();
        let run = match self.vol.eac.ta.take() {
            Some(TaRun::Authenticate(a)) => a,
            _ => return Err(StatusWord::CONDITIONS_NOT_SATISFIED),
        };
        match run.on_external_authenticate(cmd, challenge) {
            Ok((verifier, resp)) => {
                let chain = verifier
                    .validator
                    .finish()
                    .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
                self.vol.eac.rights = Some(chain.chat.rights());
                Ok(resp)
            }
            Err(rejected) => Ok(rejected.response),
        }
    }

    /// GENERATE ASYMMETRIC KEY PAIR for the Chip Authentication key: P1 `80` generates it
    /// (once), P1 `81` reads it; both answer the uncompressed P-256 public point.
    pub(super) fn generate_ca_key_pair(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        if !matches!(cmd.p1, 0x80 | 0x81) {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        no_data(cmd)?;
        check_le_at_least(cmd, 65)?;
        let public = |k: &[u8; 32]| {
            ca::public_key(DomainParameters::NistP256, k)
                .map(|p| p.as_bytes().to_vec())
                .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)
        };
        if cmd.p1 == 0x81 {
            let key = self.ca_key().ok_or(StatusWord::REFERENCED_DATA_NOT_FOUND)?;
            return ok(public(&key)?);
        }
        if self.state.ca_private_key.is_some() {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        let mut found = None;
        for _ in 0..16 {
            let candidate = self
                .rng
                .array::<32>()
                .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
            if ca::public_key(DomainParameters::NistP256, &candidate).is_ok() {
                found = Some(candidate);
                break;
            }
        }
        let key = found.ok_or(StatusWord::NO_PRECISE_DIAGNOSIS)?;
        let answer = public(&key)?;
        let mut next = self.state.clone();
        next.ca_private_key = Some(key.to_vec());
        self.commit(next)?;
        ok(answer)
    }

    /// PUT DATA `DF10`: a CVCA certificate (`7F21`, self-signed) as a trust point. Writing
    /// the same CVCA again replaces it; the chip's date moves to the certificate's effective
    /// date if that is later.
    pub(super) fn put_trust_point(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        let cert = CvCertificate::from_bytes(&cmd.data).map_err(|_| StatusWord::WRONG_DATA)?;
        if !cert.body().is_self_signed() {
            return Err(StatusWord::WRONG_DATA);
        }
        let tp = TrustPoint::from_certificate(&cert).map_err(|_| StatusWord::WRONG_DATA)?;
        let stored = StoredTrustPoint::from_trust_point(&tp);
        let mut next = self.state.clone();
        next.cvca_trust_points.retain(|t| t.chr != stored.chr);
        if next.cvca_trust_points.len() >= MAX_TRUST_POINTS {
            return Err(StatusWord::NOT_ENOUGH_MEMORY);
        }
        next.cvca_trust_points.push(stored);
        let effective = cert.body().effective;
        if self.cv_date().is_none_or(|d| effective > d) {
            next.cv_date = Some(effective.to_yymmdd());
        }
        if next != self.state {
            self.commit(next)?;
        }
        done()
    }
}
