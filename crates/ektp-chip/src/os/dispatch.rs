//! The APDU dispatcher: CLA and secure messaging handling, then one handler per command.
//!
//! Every handler returns `Result<ResponseApdu, StatusWord>`. Handlers that change persistent
//! state build the next [`State`] and hand it to [`Chip::commit`], so a command takes effect
//! completely or not at all. See `docs/apdu-reference.md` for the command table.

use std::time::Duration;

use ektp_iso7816::tlv::{self, Reader};
use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use ektp_sm::pace::card as pace_card;
use ektp_sm::{Can, CardSm, FixedRandomness, PaceParams, PacePassword};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};

use super::profile::{Access, FileSpec, Location};
use super::state::{MAX_PERSO_FAILURES, StoredFile};
use super::{Auth, Chip, Df, PaceRun, Session};
use ektp_lds::Lifecycle;

/// Most response data bytes in a plain response: a 65535-byte vpcd frame minus SW1 SW2.
pub(crate) const MAX_PLAIN_DATA: usize = 65533;

/// Most response data bytes under secure messaging, so that the protected response
/// (`87`/`85` cryptogram padded to 16 bytes, `99 02 SW`, `8E 08 MAC`, SW) still fits a
/// 65535-byte frame.
pub(crate) const MAX_SM_DATA: usize = 65471;

/// DER prefix of a P-256 SubjectPublicKeyInfo (RFC 5480): SEQUENCE { SEQUENCE { id-ecPublicKey,
/// prime256v1 }, BIT STRING (65-byte uncompressed point) }.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A,
    0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

const CLA_SM: u8 = 0x0C;
const CLA_CHAIN: u8 = 0x10;

type Answer = Result<ResponseApdu, StatusWord>;

fn ok(data: Vec<u8>) -> Answer {
    Ok(ResponseApdu::new(data, StatusWord::SUCCESS))
}

fn done() -> Answer {
    ok(Vec::new())
}

/// ISO 7816-4 §5.1: short Le `00` (256) and extended Le `0000` (65536) ask for "everything
/// available" rather than an exact count.
fn le_is_wildcard(cmd: &CommandApdu) -> bool {
    matches!(cmd.le, Some(65536)) || (cmd.le == Some(256) && !cmd.extended)
}

/// Le must be present and, unless a wildcard, at least `len`.
fn check_le_at_least(cmd: &CommandApdu, len: usize) -> Result<(), StatusWord> {
    let le = cmd.le.ok_or(StatusWord::WRONG_LENGTH)?;
    if le_is_wildcard(cmd) || usize::try_from(le).is_ok_and(|le| le >= len) {
        Ok(())
    } else {
        Err(StatusWord::WRONG_LENGTH)
    }
}

fn no_data(cmd: &CommandApdu) -> Result<(), StatusWord> {
    if cmd.data.is_empty() {
        Ok(())
    } else {
        Err(StatusWord::WRONG_LENGTH)
    }
}

fn p1p2(cmd: &CommandApdu, p1: u8, p2: u8) -> Result<(), StatusWord> {
    if cmd.p1 == p1 && cmd.p2 == p2 {
        Ok(())
    } else {
        Err(StatusWord::INCORRECT_P1P2)
    }
}

/// How a command names its file.
enum FileRef {
    Current,
    Sfi(u8),
    Fid(u16),
}

impl Chip {
    /// Answers one raw command APDU (never panics).
    pub(crate) fn handle(&mut self, raw: &[u8]) -> Vec<u8> {
        let Ok(cmd) = CommandApdu::parse(raw) else {
            // A malformed APDU aborts any session or PACE run: it cannot be a valid
            // protected command.
            self.vol.session = None;
            self.vol.pace = None;
            return StatusWord::WRONG_LENGTH.to_bytes().to_vec();
        };
        if cmd.cla & !(CLA_SM | CLA_CHAIN) != 0 {
            self.vol.session = None;
            self.vol.pace = None;
            return StatusWord::CLA_NOT_SUPPORTED.to_bytes().to_vec();
        }
        match cmd.cla & CLA_SM {
            0 => self.handle_plain(&cmd),
            CLA_SM => self.handle_protected(&cmd),
            _ => {
                // Proprietary SM formats (b4 b3 = 01 or 10).
                self.vol.session = None;
                self.vol.pace = None;
                StatusWord::SM_NOT_SUPPORTED.to_bytes().to_vec()
            }
        }
    }

    fn handle_plain(&mut self, cmd: &CommandApdu) -> Vec<u8> {
        // ICAO 9303-11 §9.8: a plain command ends secure messaging; it is then answered as
        // an unauthenticated command.
        self.vol.session = None;
        if cmd.ins != Ins::GeneralAuthenticate {
            self.vol.pace = None;
            if cmd.is_chained() {
                return StatusWord::CHAINING_NOT_SUPPORTED.to_bytes().to_vec();
            }
        }
        let answer = self.execute(cmd, Auth::None, MAX_PLAIN_DATA);
        answer.unwrap_or_else(ResponseApdu::status).to_bytes()
    }

    fn handle_protected(&mut self, cmd: &CommandApdu) -> Vec<u8> {
        self.vol.pace = None;
        if cmd.is_chained() {
            self.vol.session = None;
            return StatusWord::CHAINING_NOT_SUPPORTED.to_bytes().to_vec();
        }
        let Some(session) = self.vol.session.as_mut() else {
            return StatusWord::SM_DATA_INCORRECT.to_bytes().to_vec();
        };
        let kind = session.kind;
        let inner = match session.sm.unwrap_command(cmd) {
            Ok(inner) => inner,
            Err(e) => {
                self.vol.session = None;
                return e.status_word().to_bytes().to_vec();
            }
        };
        let was = self.state.lifecycle;
        let answer = self
            .execute(&inner, kind, MAX_SM_DATA)
            .unwrap_or_else(ResponseApdu::status);
        let Some(session) = self.vol.session.as_mut() else {
            return StatusWord::NO_PRECISE_DIAGNOSIS.to_bytes().to_vec();
        };
        let wrapped = session.sm.wrap_response(answer);
        // Locking the card ends the personalization session once its answer is protected.
        if kind == Auth::Perso
            && was != Lifecycle::Issued
            && self.state.lifecycle == Lifecycle::Issued
        {
            self.vol.session = None;
        }
        match wrapped {
            Ok(r) => r.to_bytes(),
            Err(e) => {
                self.vol.session = None;
                e.status_word().to_bytes().to_vec()
            }
        }
    }

    fn execute(&mut self, cmd: &CommandApdu, auth: Auth, budget: usize) -> Answer {
        match cmd.ins {
            Ins::Select => self.select(cmd),
            Ins::ReadBinary | Ins::ReadBinaryOdd => self.read_binary(cmd, auth, budget),
            Ins::UpdateBinary | Ins::UpdateBinaryOdd => self.update_binary(cmd, auth),
            Ins::CreateFile => self.create_file(cmd, auth),
            Ins::DeleteFile => self.delete_file(cmd, auth),
            Ins::GetChallenge => self.get_challenge(cmd),
            Ins::ExternalAuthenticate => self.external_authenticate(cmd, auth),
            Ins::InternalAuthenticate => self.internal_authenticate(cmd, auth),
            Ins::ManageSecurityEnvironment => self.mse_set_at(cmd, auth),
            Ins::GeneralAuthenticate => self.general_authenticate(cmd, auth),
            Ins::GetData => self.get_data(cmd),
            Ins::PutData => self.put_data(cmd, auth),
            Ins::GenerateAsymmetricKeyPair => self.generate_key_pair(cmd, auth),
            Ins::ActivateFile => self.activate(cmd, auth),
            _ => Err(StatusWord::INS_NOT_SUPPORTED),
        }
    }

    // ----- file system -------------------------------------------------------------------

    fn location(df: Df) -> Location {
        match df {
            Df::Mf => Location::Mf,
            Df::Application => Location::Application,
        }
    }

    /// The spec of a created file in `location` with this FID.
    fn existing(&self, location: Location, fid: u16) -> Option<&FileSpec> {
        self.state
            .profile
            .file(fid)
            .filter(|s| s.location == location && self.state.file(fid).is_some())
    }

    fn fcp(&self, spec: &FileSpec) -> Vec<u8> {
        let size = self.state.file(spec.fid).map_or(0, |f| f.data.len());
        let size = u16::try_from(size).unwrap_or(u16::MAX);
        let mut w = tlv::Writer::new();
        w.put(0x80, &size.to_be_bytes())
            .put(0x82, &[0x01])
            .put(0x83, &spec.fid.to_be_bytes());
        if let Some(sfi) = spec.sfi {
            // ISO 7816-4 §7.4.3 Table 12: the SFI in bits 8 to 4.
            w.put(0x88, &[sfi.wrapping_shl(3)]);
        }
        w.into_bytes()
    }

    fn df_fcp(&self, df: Df) -> Vec<u8> {
        let mut w = tlv::Writer::new();
        w.put(0x82, &[0x38]);
        match df {
            Df::Mf => w.put(0x83, &[0x3F, 0x00]),
            Df::Application => w.put(0x84, &self.state.profile.aid),
        };
        w.into_bytes()
    }

    /// ISO 7816-4 §11.2.2 SELECT.
    fn select(&mut self, cmd: &CommandApdu) -> Answer {
        let template = match cmd.p2 {
            0x00 => Some(0x6F),
            0x04 => Some(0x62),
            0x0C => None,
            _ => return Err(StatusWord::INCORRECT_P1P2),
        };
        let (df, ef) = match cmd.p1 {
            0x04 => {
                if cmd.data.is_empty() || cmd.data.len() > 16 {
                    return Err(StatusWord::WRONG_LENGTH);
                }
                if cmd.data != self.state.profile.aid {
                    return Err(StatusWord::FILE_NOT_FOUND);
                }
                (Df::Application, None)
            }
            0x00 | 0x02 => {
                let fid = match cmd.data.as_slice() {
                    [] if cmd.p1 == 0x00 => 0x3F00,
                    [hi, lo] => u16::from_be_bytes([*hi, *lo]),
                    _ => return Err(StatusWord::WRONG_LENGTH),
                };
                if fid == 0x3F00 && cmd.p1 == 0x00 {
                    (Df::Mf, None)
                } else {
                    let here = Self::location(self.vol.df);
                    if self.existing(here, fid).is_some() {
                        (self.vol.df, Some(fid))
                    } else if cmd.p1 == 0x00 && self.existing(Location::Mf, fid).is_some() {
                        (Df::Mf, Some(fid))
                    } else {
                        return Err(StatusWord::FILE_NOT_FOUND);
                    }
                }
            }
            _ => return Err(StatusWord::INCORRECT_P1P2),
        };
        let body = match ef {
            Some(fid) => self
                .state
                .profile
                .file(fid)
                .map(|s| self.fcp(s))
                .unwrap_or_default(),
            None => self.df_fcp(df),
        };
        let data = match (template, cmd.le) {
            (Some(tag), Some(_)) => {
                let data = tlv::encode(tag, &body);
                check_le_at_least(cmd, data.len())?;
                data
            }
            _ => Vec::new(),
        };
        self.vol.df = df;
        self.vol.ef = ef;
        ok(data)
    }

    /// Resolves a file reference to a created file, making it the current EF.
    fn resolve(&mut self, r: FileRef) -> Result<u16, StatusWord> {
        let here = Self::location(self.vol.df);
        let fid = match r {
            FileRef::Current => self.vol.ef.ok_or(StatusWord::COMMAND_NOT_ALLOWED)?,
            FileRef::Sfi(sfi) => self
                .state
                .profile
                .file_by_sfi(here, sfi)
                .map(|s| s.fid)
                .ok_or(StatusWord::FILE_NOT_FOUND)?,
            FileRef::Fid(fid) => fid,
        };
        if self.existing(here, fid).is_none() {
            return Err(StatusWord::FILE_NOT_FOUND);
        }
        self.vol.ef = Some(fid);
        Ok(fid)
    }

    /// P1 P2 of the odd-INS variants (ISO 7816-4 §7.2.2): `0000` current EF, `0001`..`001E`
    /// SFI, otherwise a FID.
    fn odd_file_ref(cmd: &CommandApdu) -> FileRef {
        match u16::from_be_bytes([cmd.p1, cmd.p2]) {
            0 => FileRef::Current,
            n @ 1..=30 => FileRef::Sfi(u8::try_from(n).unwrap_or(0)),
            n => FileRef::Fid(n),
        }
    }

    /// Even INS: P1 `100x xxxx` names an SFI with the offset in P2, otherwise a 15-bit
    /// offset into the current EF.
    fn even_file_ref(cmd: &CommandApdu) -> Result<(FileRef, usize), StatusWord> {
        if cmd.p1 & 0x80 != 0 {
            if cmd.p1 & 0x60 != 0 {
                return Err(StatusWord::INCORRECT_P1P2);
            }
            let sfi = cmd.p1 & 0x1F;
            if sfi == 0 || sfi > 30 {
                return Err(StatusWord::INCORRECT_P1P2);
            }
            Ok((FileRef::Sfi(sfi), usize::from(cmd.p2)))
        } else {
            let off = u16::from_be_bytes([cmd.p1, cmd.p2]);
            Ok((FileRef::Current, usize::from(off)))
        }
    }

    fn may_read(&self, spec: &FileSpec, auth: Auth) -> bool {
        match spec.access {
            Access::Always => true,
            Access::Pace => {
                auth == Auth::Pace
                    || (auth == Auth::Perso && self.state.lifecycle == Lifecycle::Personalizing)
            }
            Access::TerminalAuth => false,
        }
    }

    /// ISO 7816-4 §11.2.3 READ BINARY (`B0`, and `B1` with offset DO `54`, answer in DO `53`).
    fn read_binary(&mut self, cmd: &CommandApdu, auth: Auth, budget: usize) -> Answer {
        let odd = cmd.ins == Ins::ReadBinaryOdd;
        let (fref, offset) = if odd {
            (Self::odd_file_ref(cmd), parse_offset_do(&cmd.data)?)
        } else {
            no_data(cmd)?;
            Self::even_file_ref(cmd)?
        };
        let le = cmd.le.ok_or(StatusWord::WRONG_LENGTH)?;
        let fid = self.resolve(fref)?;
        let spec = self
            .state
            .profile
            .file(fid)
            .ok_or(StatusWord::FILE_NOT_FOUND)?;
        if !self.may_read(spec, auth) {
            return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        let content = self
            .state
            .file(fid)
            .map(|f| f.data.as_slice())
            .unwrap_or_default();
        let rest = content.get(offset..).ok_or(StatusWord::WRONG_P1P2)?;
        let le = usize::try_from(le).unwrap_or(usize::MAX);
        let cap = budget.min(le);
        let (data, n) = if odd {
            let n = max_wrapped_payload(cap).min(rest.len());
            let chunk = rest.get(..n).unwrap_or_default();
            (tlv::encode(0x53, chunk), n)
        } else {
            let n = cap.min(rest.len());
            (rest.get(..n).unwrap_or_default().to_vec(), n)
        };
        // 6282: the end of the file came before Ne bytes (for an exact Le, or nothing at all
        // was left to read).
        let short = data.len() < le && !le_is_wildcard(cmd);
        let sw = if n == rest.len() && (rest.is_empty() || short) {
            StatusWord::WARNING_END_OF_FILE
        } else {
            StatusWord::SUCCESS
        };
        Ok(ResponseApdu::new(data, sw))
    }

    // ----- personalization ---------------------------------------------------------------

    /// The gate of every personalization command: `6985` once issued, `6982` outside the
    /// personalization session.
    fn perso_gate(&self, auth: Auth) -> Result<(), StatusWord> {
        if self.state.lifecycle == Lifecycle::Issued {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        if auth != Auth::Perso {
            return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        Ok(())
    }

    /// UPDATE BINARY (`D6`; `D7` with DO `54` offset and DO `53` data).
    fn update_binary(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        let (fref, offset, data) = if cmd.ins == Ins::UpdateBinaryOdd {
            let (offset, data) = parse_offset_and_data(&cmd.data)?;
            (Self::odd_file_ref(cmd), offset, data)
        } else {
            let (fref, offset) = Self::even_file_ref(cmd)?;
            (fref, offset, cmd.data.as_slice())
        };
        if data.is_empty() {
            return Err(StatusWord::WRONG_LENGTH);
        }
        // Resolve on a scratch selection: a failed command must not move the current EF.
        let saved_ef = self.vol.ef;
        let fid = match self.resolve_any(fref) {
            Ok(fid) => fid,
            Err(sw) => {
                self.vol.ef = saved_ef;
                return Err(sw);
            }
        };
        let end = offset
            .checked_add(data.len())
            .ok_or(StatusWord::NOT_ENOUGH_MEMORY)?;
        let mut next = self.state.clone();
        let file = next.file_mut(fid).ok_or(StatusWord::FILE_NOT_FOUND)?;
        let target = file
            .data
            .get_mut(offset..end)
            .ok_or(StatusWord::NOT_ENOUGH_MEMORY)?;
        target.copy_from_slice(data);
        self.commit(next)?;
        done()
    }

    /// Like [`Chip::resolve`] but the personalization session may also address files by
    /// SFI or FID wherever they live (the profile makes FIDs unique).
    fn resolve_any(&mut self, r: FileRef) -> Result<u16, StatusWord> {
        let fid = match r {
            FileRef::Current => self.vol.ef.ok_or(StatusWord::COMMAND_NOT_ALLOWED)?,
            FileRef::Sfi(sfi) => {
                let here = Self::location(self.vol.df);
                self.state
                    .profile
                    .file_by_sfi(here, sfi)
                    .map(|s| s.fid)
                    .ok_or(StatusWord::FILE_NOT_FOUND)?
            }
            FileRef::Fid(fid) => fid,
        };
        if self.state.file(fid).is_none() {
            return Err(StatusWord::FILE_NOT_FOUND);
        }
        self.vol.ef = Some(fid);
        Ok(fid)
    }

    /// CREATE FILE with an FCP template `62 {80 02 size, 82 01 01, 83 02 FID, [88 01 SFI<<3]}`.
    fn create_file(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        p1p2(cmd, 0, 0)?;
        if cmd.data.is_empty() {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let fcp = parse_create_fcp(&cmd.data)?;
        let spec = self
            .state
            .profile
            .file(fcp.fid)
            .ok_or(StatusWord::WRONG_DATA)?;
        if fcp.sfi.is_some() && fcp.sfi != spec.sfi {
            return Err(StatusWord::WRONG_DATA);
        }
        if u32::from(fcp.size) > spec.max_size {
            return Err(StatusWord::NOT_ENOUGH_MEMORY);
        }
        if self.state.file(fcp.fid).is_some() {
            return Err(StatusWord::FILE_ALREADY_EXISTS);
        }
        let mut next = self.state.clone();
        next.files.push(StoredFile {
            fid: fcp.fid,
            data: vec![0; usize::from(fcp.size)],
        });
        next.files.sort_by_key(|f| f.fid);
        let df = match spec.location {
            Location::Mf => Df::Mf,
            _ => Df::Application,
        };
        self.commit(next)?;
        // The new EF becomes current, in the DF it lives in.
        self.vol.df = df;
        self.vol.ef = Some(fcp.fid);
        done()
    }

    /// DELETE FILE `00 E4 00 00 02 FID`.
    fn delete_file(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        p1p2(cmd, 0, 0)?;
        let [hi, lo] =
            <[u8; 2]>::try_from(cmd.data.as_slice()).map_err(|_| StatusWord::WRONG_LENGTH)?;
        let fid = u16::from_be_bytes([hi, lo]);
        if self.state.file(fid).is_none() {
            return Err(StatusWord::FILE_NOT_FOUND);
        }
        let mut next = self.state.clone();
        next.files.retain(|f| f.fid != fid);
        self.commit(next)?;
        if self.vol.ef == Some(fid) {
            self.vol.ef = None;
        }
        done()
    }

    /// PUT DATA `DF03`: the CAN, six ASCII digits.
    fn put_data(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        if (cmd.p1, cmd.p2) != (0xDF, 0x03) {
            return Err(StatusWord::REFERENCED_DATA_NOT_FOUND);
        }
        if cmd.data.is_empty() {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let text = std::str::from_utf8(&cmd.data).map_err(|_| StatusWord::WRONG_DATA)?;
        Can::new(text).map_err(|_| StatusWord::WRONG_DATA)?;
        let mut next = self.state.clone();
        next.can = Some(text.to_owned());
        self.commit(next)?;
        done()
    }

    /// GENERATE ASYMMETRIC KEY PAIR: P1 `80` generates the Active Authentication key (once),
    /// P1 `81` reads its public key; both answer the P-256 SubjectPublicKeyInfo.
    fn generate_key_pair(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        if cmd.p2 != 0 || !matches!(cmd.p1, 0x80 | 0x81) {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        no_data(cmd)?;
        check_le_at_least(cmd, P256_SPKI_PREFIX.len().saturating_add(65))?;
        if cmd.p1 == 0x81 {
            let key = self.aa_key().ok_or(StatusWord::REFERENCED_DATA_NOT_FOUND)?;
            return ok(spki(&key));
        }
        if self.state.aa_private_key.is_some() {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        let key = self.new_signing_key()?;
        let mut next = self.state.clone();
        next.aa_private_key = Some(key.to_bytes().to_vec());
        self.commit(next)?;
        ok(spki(&key))
    }

    fn new_signing_key(&mut self) -> Result<SigningKey, StatusWord> {
        for _ in 0..16 {
            let candidate = self
                .rng
                .array::<32>()
                .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
            if let Ok(k) = SigningKey::from_slice(candidate.as_slice()) {
                return Ok(k);
            }
        }
        Err(StatusWord::NO_PRECISE_DIAGNOSIS)
    }

    fn aa_key(&self) -> Option<SigningKey> {
        self.state
            .aa_private_key
            .as_ref()
            .and_then(|k| SigningKey::from_slice(k).ok())
    }

    /// ACTIVATE FILE `00 44 00 00`: locks the card (→ ISSUED).
    fn activate(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        p1p2(cmd, 0, 0)?;
        no_data(cmd)?;
        let s = &self.state;
        let complete = s.can.is_some()
            && self.aa_key().is_some()
            && s.profile.files.iter().filter(|f| f.required).all(|f| {
                s.file(f.fid)
                    .is_some_and(|f| f.data.iter().any(|&b| b != 0))
            });
        if !complete {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        let mut next = self.state.clone();
        next.lifecycle = Lifecycle::Issued;
        self.commit(next)?;
        done()
    }

    // ----- authentication ----------------------------------------------------------------

    /// GET CHALLENGE `00 84 00 00 08`.
    fn get_challenge(&mut self, cmd: &CommandApdu) -> Answer {
        p1p2(cmd, 0, 0)?;
        no_data(cmd)?;
        if !(cmd.le == Some(8) || le_is_wildcard(cmd)) {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let c = self
            .rng
            .array::<8>()
            .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
        self.vol.challenge = Some(*c);
        ok(c.to_vec())
    }

    /// EXTERNAL AUTHENTICATE: the personalization mutual authentication.
    fn external_authenticate(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if self.state.lifecycle == Lifecycle::Issued || auth != Auth::None {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        p1p2(cmd, 0, 0)?;
        if self.state.perso_failures >= MAX_PERSO_FAILURES {
            return Err(StatusWord::AUTH_METHOD_BLOCKED);
        }
        if cmd.data.len() != ektp_sm::perso::AUTH_DATA_LEN {
            return Err(StatusWord::WRONG_LENGTH);
        }
        check_le_at_least(cmd, ektp_sm::perso::AUTH_DATA_LEN)?;
        let challenge = self
            .vol
            .challenge
            .take()
            .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED)?;
        let keys =
            ektp_sm::perso::PersoKeys::from_bytes(&self.state.perso_k_enc, &self.state.perso_k_mac)
                .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
        let k_ic = self
            .rng
            .array::<32>()
            .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
        match ektp_sm::perso::card_respond(&keys, &challenge, &cmd.data, *k_ic) {
            Ok((response, session)) => {
                let sm = CardSm::from_keys(
                    session.enc().expose_bytes(),
                    session.mac().expose_bytes(),
                    [0; 16],
                )
                .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
                let mut next = self.state.clone();
                next.perso_failures = 0;
                if next.lifecycle == Lifecycle::Blank {
                    next.lifecycle = Lifecycle::Personalizing;
                }
                if next != self.state {
                    self.commit(next)?;
                }
                self.vol.session = Some(Session {
                    kind: Auth::Perso,
                    sm,
                });
                ok(response)
            }
            Err(_) => {
                let mut next = self.state.clone();
                next.perso_failures = next.perso_failures.saturating_add(1);
                let blocked = next.perso_failures >= MAX_PERSO_FAILURES;
                self.commit(next)?;
                Err(if blocked {
                    StatusWord::AUTH_METHOD_BLOCKED
                } else {
                    StatusWord(0x6300)
                })
            }
        }
    }

    /// INTERNAL AUTHENTICATE: Active Authentication, ECDSA P-256 with SHA-256 over the
    /// 8-byte challenge, answered as plain `r ‖ s` (BSI TR-03111 §5.2.1).
    fn internal_authenticate(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if auth != Auth::Pace {
            return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        p1p2(cmd, 0, 0)?;
        if cmd.data.len() != 8 {
            return Err(StatusWord::WRONG_LENGTH);
        }
        check_le_at_least(cmd, 64)?;
        let key = self.aa_key().ok_or(StatusWord::REFERENCED_DATA_NOT_FOUND)?;
        let sig: Signature = key
            .try_sign(&cmd.data)
            .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
        ok(sig.to_bytes().to_vec())
    }

    /// MSE:Set AT for PACE (`00 22 C1 A4`).
    fn mse_set_at(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if auth != Auth::None {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        if (cmd.p1, cmd.p2) != (0xC1, 0xA4) {
            return Err(StatusWord::INCORRECT_P1P2);
        }
        if cmd.data.is_empty() {
            return Err(StatusWord::WRONG_LENGTH);
        }
        let can = self
            .state
            .can
            .as_deref()
            .and_then(|c| Can::new(c).ok())
            .ok_or(StatusWord::REFERENCED_DATA_NOT_FOUND)?;
        let delay = self
            .state
            .profile
            .pace
            .delay_after(self.state.pace_failures);
        if delay > 0 {
            self.throttled = self.throttled.saturating_add(1);
            self.sleep(Duration::from_millis(delay));
        }
        let password = PacePassword::from_can(&can);
        let params = PaceParams::EKTP_DEFAULT;
        let idle = if self.rng.is_seeded() {
            let nonce = self.fixed(params.cipher.nonce_len())?;
            let map = self.fixed(32)?;
            let eph = self.fixed(32)?;
            pace_card::Idle::with_fixed_randomness(
                &password,
                params,
                FixedRandomness::new([nonce, map, eph]),
            )
        } else {
            pace_card::Idle::new(&password, params)
        };
        match idle.on_mse_set_at(cmd) {
            Ok((next, resp)) => {
                self.vol.pace = Some(PaceRun::Nonce(next));
                Ok(resp)
            }
            Err(rejected) => Ok(rejected.response),
        }
    }

    fn fixed(&mut self, n: usize) -> Result<Vec<u8>, StatusWord> {
        let mut v = vec![0u8; n];
        self.rng
            .fill(&mut v)
            .map_err(|_| StatusWord::NO_PRECISE_DIAGNOSIS)?;
        Ok(v)
    }

    /// GENERAL AUTHENTICATE, the four PACE steps (chained with CLA `10` but the last).
    fn general_authenticate(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        if auth != Auth::None {
            return Err(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        let run = self
            .vol
            .pace
            .take()
            .ok_or(StatusWord::CONDITIONS_NOT_SATISFIED)?;
        let step = match run {
            PaceRun::Nonce(s) => s
                .on_command(cmd)
                .map(|(n, r)| (Some(PaceRun::Mapping(n)), None, r)),
            PaceRun::Mapping(s) => s
                .on_command(cmd)
                .map(|(n, r)| (Some(PaceRun::KeyAgreement(n)), None, r)),
            PaceRun::KeyAgreement(s) => s
                .on_command(cmd)
                .map(|(n, r)| (Some(PaceRun::Token(n)), None, r)),
            PaceRun::Token(s) => s.on_command(cmd).map(|(sm, r)| (None, Some(sm), r)),
        };
        match step {
            Ok((next, sm, resp)) => {
                self.vol.pace = next;
                if let Some(sm) = sm {
                    if self.state.pace_failures != 0 {
                        let mut next = self.state.clone();
                        next.pace_failures = 0;
                        self.commit(next)?;
                    }
                    self.vol.session = Some(Session {
                        kind: Auth::Pace,
                        sm,
                    });
                }
                Ok(resp)
            }
            Err(rejected) => {
                if matches!(rejected.error, ektp_sm::Error::AuthenticationFailed) {
                    let mut next = self.state.clone();
                    next.pace_failures = next.pace_failures.saturating_add(1);
                    self.commit(next)?;
                }
                Ok(rejected.response)
            }
        }
    }

    /// GET DATA `DF01` (serial, not once issued) and `DF02` (lifecycle byte).
    fn get_data(&mut self, cmd: &CommandApdu) -> Answer {
        no_data(cmd)?;
        let data = match (cmd.p1, cmd.p2) {
            (0xDF, 0x01) => {
                if self.state.lifecycle == Lifecycle::Issued {
                    return Err(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
                }
                self.state.serial.clone()
            }
            (0xDF, 0x02) => vec![self.state.lifecycle.to_byte()],
            _ => return Err(StatusWord::REFERENCED_DATA_NOT_FOUND),
        };
        check_le_at_least(cmd, data.len())?;
        ok(data)
    }
}

/// The SubjectPublicKeyInfo of an Active Authentication key.
fn spki(key: &SigningKey) -> Vec<u8> {
    let point = key.verifying_key().to_sec1_point(false);
    let mut out = P256_SPKI_PREFIX.to_vec();
    out.extend_from_slice(point.as_bytes());
    out
}

/// The largest `n` such that `53 len(n) <n bytes>` fits `cap` bytes.
fn max_wrapped_payload(cap: usize) -> usize {
    let header = |n: usize| match n {
        0..=127 => 2usize,
        128..=255 => 3,
        _ => 4,
    };
    let mut n = cap.saturating_sub(2);
    while n > 0 && n.saturating_add(header(n)) > cap {
        n = n.saturating_sub(1);
    }
    n
}

/// An offset DO `54` (1 to 3 bytes, value at most 32767 + 65535) and nothing else.
fn parse_offset_do(data: &[u8]) -> Result<usize, StatusWord> {
    let mut r = Reader::new(data);
    let t = r.expect(0x54).map_err(|_| StatusWord::WRONG_DATA)?;
    r.finish().map_err(|_| StatusWord::WRONG_DATA)?;
    offset_value(t.value)
}

fn offset_value(v: &[u8]) -> Result<usize, StatusWord> {
    if v.is_empty() || v.len() > 3 {
        return Err(StatusWord::WRONG_DATA);
    }
    Ok(v.iter()
        .fold(0usize, |acc, &b| acc.wrapping_shl(8) | usize::from(b)))
}

/// `54 offset` then `53 data`, nothing else.
fn parse_offset_and_data(data: &[u8]) -> Result<(usize, &[u8]), StatusWord> {
    let mut r = Reader::new(data);
    let off = r.expect(0x54).map_err(|_| StatusWord::WRONG_DATA)?;
    let body = r.expect(0x53).map_err(|_| StatusWord::WRONG_DATA)?;
    r.finish().map_err(|_| StatusWord::WRONG_DATA)?;
    Ok((offset_value(off.value)?, body.value))
}

struct CreateFcp {
    fid: u16,
    sfi: Option<u8>,
    size: u16,
}

/// `62 { 80 02 size, 82 01 01, 83 02 FID, [88 01 SFI<<3] }`, each DO once, nothing else.
fn parse_create_fcp(data: &[u8]) -> Result<CreateFcp, StatusWord> {
    let bad = |_| StatusWord::WRONG_DATA;
    let mut outer = Reader::new(data);
    let fcp = outer.expect(0x62).map_err(bad)?;
    outer.finish().map_err(bad)?;
    let mut r = fcp.children().map_err(bad)?;
    let (mut size, mut kind, mut fid, mut sfi) = (None, None, None, None);
    while let Some(t) = r.next_tlv().map_err(bad)? {
        let slot = match t.tag.value() {
            0x80 => &mut size,
            0x82 => &mut kind,
            0x83 => &mut fid,
            0x88 => &mut sfi,
            _ => return Err(StatusWord::WRONG_DATA),
        };
        if slot.replace(t.value).is_some() {
            return Err(StatusWord::WRONG_DATA);
        }
    }
    let two = |v: Option<&[u8]>| -> Result<u16, StatusWord> {
        let b = <[u8; 2]>::try_from(v.ok_or(StatusWord::WRONG_DATA)?)
            .map_err(|_| StatusWord::WRONG_DATA)?;
        Ok(u16::from_be_bytes(b))
    };
    if kind != Some(&[0x01][..]) {
        return Err(StatusWord::WRONG_DATA);
    }
    let size = two(size)?;
    let fid = two(fid)?;
    if size == 0 || matches!(fid, 0x3F00 | 0x3FFF | 0xFFFF) {
        return Err(StatusWord::WRONG_DATA);
    }
    let sfi = match sfi {
        None => None,
        Some([b]) if b & 0x07 == 0 && (1..=30).contains(&(b >> 3)) => Some(b >> 3),
        Some(_) => return Err(StatusWord::WRONG_DATA),
    };
    Ok(CreateFcp { fid, sfi, size })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_payload_fits() {
        for cap in [0usize, 1, 2, 3, 100, 129, 130, 131, 257, 258, 259, 65533] {
            let n = max_wrapped_payload(cap);
            assert!(
                tlv::encode(0x53, &vec![0; n]).len() <= cap || n == 0,
                "{cap}"
            );
            if cap >= 3 {
                assert!(tlv::encode(0x53, &vec![0; n + 1]).len() > cap, "{cap}");
            }
        }
    }

    #[test]
    fn fcp_parsing() {
        let good = [
            0x62, 0x0D, 0x80, 0x02, 0x01, 0x00, 0x82, 0x01, 0x01, 0x83, 0x02, 0x01, 0x01, 0x88,
            0x01, 0x08,
        ];
        assert!(
            parse_create_fcp(&good[..]).is_err(),
            "length says 0D but 0E follow"
        );
        let mut good = good.to_vec();
        good[1] = 0x0E;
        let f = parse_create_fcp(&good).unwrap();
        assert_eq!((f.fid, f.sfi, f.size), (0x0101, Some(1), 256));
        let mut dup = good.clone();
        dup[6] = 0x80;
        assert_eq!(parse_create_fcp(&dup).err(), Some(StatusWord::WRONG_DATA));
        let mut bad_sfi = good.clone();
        bad_sfi[15] = 0x09;
        assert_eq!(
            parse_create_fcp(&bad_sfi).err(),
            Some(StatusWord::WRONG_DATA)
        );
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset_do(&[0x54, 0x02, 0x80, 0x00]), Ok(0x8000));
        assert_eq!(
            parse_offset_do(&[0x54, 0x03, 0x01, 0x00, 0x00]),
            Ok(0x10000)
        );
        assert!(parse_offset_do(&[0x54, 0x00]).is_err());
        assert!(parse_offset_do(&[0x54, 0x01, 0x00, 0x00]).is_err());
        assert!(parse_offset_do(&[0x53, 0x01, 0x00]).is_err());
    }
}
