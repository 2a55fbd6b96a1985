//! The one APDU dispatcher: CLA and secure messaging handling, then routing on the typed
//! [`Ins`] to one handler per command, grouped by command family:
//!
//! | module | commands |
//! |---|---|
//! | [`super::fs`] | SELECT, READ BINARY, UPDATE BINARY, CREATE FILE, DELETE FILE |
//! | [`super::perso`] | EXTERNAL AUTHENTICATE (personalization), PUT DATA, GENERATE ASYMMETRIC KEY PAIR, ACTIVATE FILE, GET DATA |
//! | [`super::pace`] | MSE:Set AT (PACE), GENERAL AUTHENTICATE |
//! | [`super::auth`] | GET CHALLENGE, INTERNAL AUTHENTICATE (Active Authentication) |
//! | [`super::eac`] | Chip Authentication (MSE:Set AT `41 A4`, GENERAL AUTHENTICATE in a PACE session), Terminal Authentication (MSE:Set DST / Set AT `81 xx`, PSO:Verify Certificate, EXTERNAL AUTHENTICATE in a PACE session), the CA key and CVCA trust points at personalization |
//!
//! Every handler returns `Result<ResponseApdu, StatusWord>`. Handlers that change persistent
//! state build the next `State` and hand it to [`Chip::commit`], so a command takes effect
//! completely or not at all. See `docs/apdu-reference.md` for the command table.

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use ektp_lds::Lifecycle;

use super::{Auth, Chip, eac};

/// Most response data bytes in a plain response: a 65535-byte vpcd frame minus SW1 SW2.
pub(crate) const MAX_PLAIN_DATA: usize = 65533;

/// Most response data bytes under secure messaging, so that the protected response
/// (`87`/`85` cryptogram padded to 16 bytes, `99 02 SW`, `8E 08 MAC`, SW) still fits a
/// 65535-byte frame.
pub(crate) const MAX_SM_DATA: usize = 65471;

const CLA_SM: u8 = 0x0C;
const CLA_CHAIN: u8 = 0x10;

pub(super) type Answer = Result<ResponseApdu, StatusWord>;

pub(super) fn ok(data: Vec<u8>) -> Answer {
    Ok(ResponseApdu::new(data, StatusWord::SUCCESS))
}

pub(super) fn done() -> Answer {
    ok(Vec::new())
}

/// ISO 7816-4 §5.1: short Le `00` (256) and extended Le `0000` (65536) ask for "everything
/// available" rather than an exact count.
pub(super) fn le_is_wildcard(cmd: &CommandApdu) -> bool {
    matches!(cmd.le, Some(65536)) || (cmd.le == Some(256) && !cmd.extended)
}

/// Le must be present and, unless a wildcard, at least `len`.
pub(super) fn check_le_at_least(cmd: &CommandApdu, len: usize) -> Result<(), StatusWord> {
    let le = cmd.le.ok_or(StatusWord::WRONG_LENGTH)?;
    if le_is_wildcard(cmd) || usize::try_from(le).is_ok_and(|le| le >= len) {
        Ok(())
    } else {
        Err(StatusWord::WRONG_LENGTH)
    }
}

pub(super) fn no_data(cmd: &CommandApdu) -> Result<(), StatusWord> {
    if cmd.data.is_empty() {
        Ok(())
    } else {
        Err(StatusWord::WRONG_LENGTH)
    }
}

pub(super) fn p1p2(cmd: &CommandApdu, p1: u8, p2: u8) -> Result<(), StatusWord> {
    if cmd.p1 == p1 && cmd.p2 == p2 {
        Ok(())
    } else {
        Err(StatusWord::INCORRECT_P1P2)
    }
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
        // Chip Authentication: its answer goes out under the PACE keys, then secure
        // messaging restarts with the new keys (eac.rs).
        if let Some(sm) = self.vol.eac.new_sm.take()
            && wrapped.is_ok()
        {
            session.sm = sm;
        }
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

    /// Routes one (unwrapped) command to its handler by instruction. An instruction no
    /// handler takes answers `6D00`.
    fn execute(&mut self, cmd: &CommandApdu, auth: Auth, budget: usize) -> Answer {
        match cmd.ins {
            // File system (fs.rs).
            Ins::Select => self.select(cmd),
            Ins::ReadBinary | Ins::ReadBinaryOdd => self.read_binary(cmd, auth, budget),
            Ins::UpdateBinary | Ins::UpdateBinaryOdd => self.update_binary(cmd, auth),
            Ins::CreateFile => self.create_file(cmd, auth),
            Ins::DeleteFile => self.delete_file(cmd, auth),
            // Terminal Authentication's EXTERNAL AUTHENTICATE inside a PACE session, the Chip
            // Authentication key and the CVCA trust points (eac.rs).
            Ins::ExternalAuthenticate if auth == Auth::Pace => self.ta_external_authenticate(cmd),
            Ins::PutData if (cmd.p1, cmd.p2) == eac::TRUST_POINT_TAG => {
                self.put_trust_point(cmd, auth)
            }
            Ins::GenerateAsymmetricKeyPair if cmd.p2 == eac::CA_KEY_REF => {
                self.generate_ca_key_pair(cmd, auth)
            }
            // Personalization (perso.rs).
            Ins::ExternalAuthenticate => self.external_authenticate(cmd, auth),
            Ins::PutData => self.put_data(cmd, auth),
            Ins::GenerateAsymmetricKeyPair => self.generate_key_pair(cmd, auth),
            Ins::ActivateFile => self.activate(cmd, auth),
            Ins::GetData => self.get_data(cmd),
            // MSE:Set AT for Chip Authentication (P1 P2 `41 A4`) and MSE:Set DST / Set AT for
            // Terminal Authentication (`81 B6`, `81 A4`) inside a PACE session go to eac.rs;
            // the rest to PACE (pace.rs), which answers other P1 P2 with `6A86`.
            Ins::ManageSecurityEnvironment
                if auth == Auth::Pace && matches!(cmd.p1, 0x41 | 0x81) =>
            {
                self.eac_mse(cmd, auth)
            }
            Ins::ManageSecurityEnvironment => self.mse_set_at(cmd, auth),
            // PACE in plain (pace.rs), Chip Authentication inside a PACE session (eac.rs).
            Ins::GeneralAuthenticate => self.general_authenticate_any(cmd, auth),
            // Authentication (auth.rs).
            Ins::GetChallenge => self.get_challenge(cmd),
            Ins::InternalAuthenticate => self.internal_authenticate(cmd, auth),
            // Terminal Authentication: PSO:Verify Certificate (eac.rs).
            Ins::PerformSecurityOperation => self.pso(cmd, auth),
            Ins::Verify | Ins::GetResponse | Ins::TerminateCardUsage | Ins::Other(_) => {
                Err(StatusWord::INS_NOT_SUPPORTED)
            }
        }
    }
}
