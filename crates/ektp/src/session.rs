//! Typestate sessions over a [`CardTransport`].
//!
//! [`Card`] is a card in the reader with no channel open: it can tell its lifecycle state and
//! read EF.CardAccess. [`Card::pace`] opens a [`SecureSession`] — the only place data groups
//! can be read — and [`Card::personalization`] opens a [`PersoSession`] — the only place files
//! can be written. Both borrow the card, so at most one channel exists at a time.

use ektp_iso7816::transport::exchange;
use ektp_iso7816::{CardTransport, CommandApdu, Ins, ResponseApdu, Sfi, StatusWord, tlv};
use ektp_lds::{CardProfile, LdsFile};
use ektp_sm::card_access::SecurityInfos;
use ektp_sm::pace::host::Start;
use ektp_sm::perso::HostAuth;
use ektp_sm::{Can, HostSm, PaceParams, PacePassword};
use ring::rand::{SecureRandom, SystemRandom};

use crate::Error;
use crate::read::{Channel, ReadPolicy, read_tlv_file};
use crate::trace::{Stats, Traced};

/// The chip's lifecycle (docs/personalization.md), as the chip reports it to GET DATA `DF02`:
/// one type, owned by `ektp-lds`, spoken by host and chip alike.
pub use ektp_lds::Lifecycle;

/// A card in the reader, with no secure channel open.
#[derive(Debug)]
pub struct Card<T: CardTransport> {
    transport: Traced<T>,
    profile: CardProfile,
    policy: ReadPolicy,
}

impl<T: CardTransport> Card<T> {
    /// A card using the built-in e-KTP card profile.
    ///
    /// # Errors
    /// [`Error::Lds`] if the embedded profile does not parse (a build defect).
    pub fn new(transport: T) -> Result<Self, Error> {
        let profile = CardProfile::default_ektp().map_err(ektp_lds::Error::from)?;
        Ok(Self::with_profile(transport, profile))
    }

    /// A card described by `profile`.
    pub fn with_profile(transport: T, profile: CardProfile) -> Self {
        Self {
            transport: Traced::new(transport),
            profile,
            policy: ReadPolicy::default(),
        }
    }

    /// Uses `policy` for reads (e.g. [`ReadPolicy::fixed`]`(224)` to behave like a basic reader).
    pub fn set_read_policy(&mut self, policy: ReadPolicy) {
        self.policy = policy;
    }

    /// The read policy, with what it learned about this card.
    pub fn read_policy(&self) -> &ReadPolicy {
        &self.policy
    }

    /// The card profile in use.
    pub fn profile(&self) -> &CardProfile {
        &self.profile
    }

    /// What crossed the wire so far.
    pub fn stats(&self) -> Stats {
        self.transport.stats()
    }

    /// The transport.
    pub fn transport_mut(&mut self) -> &mut T {
        self.transport.inner_mut()
    }

    /// Gives the transport back.
    pub fn into_transport(self) -> T {
        self.transport.into_inner()
    }

    /// Warm reset: ends any channel the chip had open.
    ///
    /// # Errors
    /// Transport failures.
    pub fn reset(&mut self) -> Result<(), Error> {
        self.transport.reset()?;
        Ok(())
    }

    fn plain(&mut self, cmd: &CommandApdu) -> Result<ResponseApdu, Error> {
        Ok(exchange(&mut self.transport, cmd)?)
    }

    fn get_data(&mut self, p1p2: u16, what: &'static str) -> Result<Vec<u8>, Error> {
        let [p1, p2] = p1p2.to_be_bytes();
        let r = self.plain(&CommandApdu::new(0x00, Ins::GetData, p1, p2).with_le(256))?;
        if !r.is_ok() {
            return Err(Error::Card {
                sw: r.sw,
                during: what,
            });
        }
        Ok(r.data)
    }

    /// The chip's lifecycle state (`GET DATA DF02`).
    ///
    /// # Errors
    /// Transport failures, or a card that does not answer it (not an e-KTP chip).
    pub fn lifecycle(&mut self) -> Result<Lifecycle, Error> {
        match self.get_data(0xDF02, "GET DATA (lifecycle)")?.as_slice() {
            [b] => Lifecycle::from_byte(*b),
            _ => None,
        }
        .ok_or(Error::Malformed {
            what: "lifecycle byte",
        })
    }

    /// The chip serial (`GET DATA DF01`), available before the card is issued.
    ///
    /// # Errors
    /// Transport failures; `6982` on an issued card.
    pub fn serial(&mut self) -> Result<[u8; 8], Error> {
        let s = self.get_data(0xDF01, "GET DATA (serial)")?;
        s.try_into().map_err(|_| Error::Malformed {
            what: "chip serial is not 8 bytes",
        })
    }

    /// Reads EF.CardAccess (no authentication needed).
    ///
    /// # Errors
    /// Transport failures or the card's status word.
    pub fn read_card_access(&mut self) -> Result<Vec<u8>, Error> {
        let spec = self
            .profile
            .file(LdsFile::CardAccess)
            .ok_or(Error::Malformed {
                what: "card profile lacks EF.CardAccess",
            })?;
        let sfi = spec.sfi;
        let mut policy = self.policy.clone();
        let mut plain = Plain(&mut self.transport);
        let data = match read_tlv_file(&mut plain, Some(sfi), &mut policy) {
            // EF.CardAccess lives in the MF; after an earlier session the application may
            // still be current. Select the MF (ISO 7816-4: P1=00, no data) and try again.
            Err(Error::Card { sw, .. }) if sw == StatusWord::FILE_NOT_FOUND => {
                let r = plain.send(&CommandApdu::new(0x00, Ins::Select, 0x00, 0x0C))?;
                if !r.is_ok() {
                    return Err(Error::Card {
                        sw: r.sw,
                        during: "SELECT MF",
                    });
                }
                read_tlv_file(&mut plain, Some(sfi), &mut policy)?
            }
            other => other?,
        };
        self.policy = policy;
        Ok(data)
    }

    /// Runs PACE with the CAN and selects the e-KTP application under secure messaging.
    ///
    /// # Errors
    /// [`Error::WrongCan`] if the chip rejects the CAN; [`Error::NoSupportedPace`]; transport
    /// failures.
    pub fn pace(&mut self, can: &Can) -> Result<SecureSession<'_, T>, Error> {
        let card_access = self.read_card_access()?;
        let infos = SecurityInfos::from_der(&card_access)?;
        let params = infos
            .pace_params()
            .into_iter()
            .next()
            .ok_or(Error::NoSupportedPace)?;
        self.pace_with(can, params)
    }

    /// PACE with explicit parameters.
    ///
    /// # Errors
    /// As [`Card::pace`].
    pub fn pace_with(
        &mut self,
        can: &Can,
        params: PaceParams,
    ) -> Result<SecureSession<'_, T>, Error> {
        let password = PacePassword::from_can(can);
        let (state, cmd) = Start::new(&password, params).start();
        let r = self.plain(&cmd)?;
        let (state, cmd) = state.on_response(&r)?;
        let r = self.plain(&cmd)?;
        let (state, cmd) = state.on_response(&r)?;
        let r = self.plain(&cmd)?;
        let (state, cmd) = state.on_response(&r)?;
        let r = self.plain(&cmd)?;
        let (state, cmd) = state.on_response(&r)?;
        let r = self.plain(&cmd)?;
        // ID_PICC for Terminal Authentication: Comp of the chip's ephemeral PACE key.
        let id_picc = ektp_sm::ca::compressed(state.chip_ephemeral());
        let sm = match state.on_response(&r) {
            Ok(sm) => sm,
            Err(ektp_sm::Error::AuthenticationFailed) => return Err(Error::WrongCan),
            Err(ektp_sm::Error::Status { sw, .. })
                if sw.sw1() == 0x63 || sw == StatusWord::SECURITY_STATUS_NOT_SATISFIED =>
            {
                return Err(Error::WrongCan);
            }
            Err(e) => return Err(e.into()),
        };
        let mut session = SecureSession {
            card: self,
            sm,
            id_picc,
        };
        session.select_application()?;
        Ok(session)
    }

    /// Opens a personalization session with the batch master key (docs/personalization.md).
    ///
    /// # Errors
    /// [`Error::PersoKeyRejected`], [`Error::PersoKeyBlocked`], [`Error::WrongState`] on an
    /// issued card, transport failures.
    pub fn personalization(
        &mut self,
        master_key: &dyn crate::personalize::PersoKeySource,
    ) -> Result<PersoSession<'_, T>, Error> {
        let serial = self.serial()?;
        let keys = master_key.perso_keys(&serial)?;
        let rnd_ic: [u8; 8] = {
            let r = self.plain(&CommandApdu::new(0x00, Ins::GetChallenge, 0, 0).with_le(8))?;
            if !r.is_ok() {
                return Err(Error::Card {
                    sw: r.sw,
                    during: "GET CHALLENGE",
                });
            }
            r.data.try_into().map_err(|_| Error::Malformed {
                what: "challenge is not 8 bytes",
            })?
        };
        let rng = SystemRandom::new();
        let mut rnd_ifd = [0u8; 8];
        let mut k_ifd = [0u8; 32];
        rng.fill(&mut rnd_ifd).map_err(|_| Error::Rng)?;
        rng.fill(&mut k_ifd).map_err(|_| Error::Rng)?;
        let (auth, data) = HostAuth::start(&keys, rnd_ic, rnd_ifd, k_ifd)?;
        let r = self.plain(
            &CommandApdu::new(0x00, Ins::ExternalAuthenticate, 0, 0)
                .with_data(data)
                .with_le(ektp_sm::perso::AUTH_DATA_LEN as u32),
        )?;
        match r.sw {
            StatusWord::SUCCESS => {}
            StatusWord::AUTH_METHOD_BLOCKED => return Err(Error::PersoKeyBlocked),
            StatusWord::CONDITIONS_NOT_SATISFIED => {
                return Err(Error::WrongState(
                    "card is already issued: it cannot be personalized again",
                ));
            }
            sw if sw.sw1() == 0x63 => return Err(Error::PersoKeyRejected),
            sw => {
                return Err(Error::Card {
                    sw,
                    during: "EXTERNAL AUTHENTICATE",
                });
            }
        }
        let session = auth.finish(&r.data).map_err(|_| Error::PersoKeyRejected)?;
        let sm = HostSm::from_keys(
            session.enc().expose_bytes(),
            session.mac().expose_bytes(),
            [0u8; 16],
        )?;
        Ok(PersoSession { card: self, sm })
    }
}

struct Plain<'a, T: CardTransport>(&'a mut Traced<T>);

impl<T: CardTransport> Channel for Plain<'_, T> {
    fn send(&mut self, command: &CommandApdu) -> Result<ResponseApdu, Error> {
        Ok(exchange(self.0, command)?)
    }
}

fn protected<T: CardTransport>(
    transport: &mut Traced<T>,
    sm: &mut HostSm,
    command: &CommandApdu,
) -> Result<ResponseApdu, Error> {
    let wrapped = sm.wrap(command)?;
    let r = exchange(transport, &wrapped)?;
    Ok(sm.unwrap(&r)?)
}

/// A card with a PACE secure channel open: the only way to read data groups.
#[derive(Debug)]
pub struct SecureSession<'c, T: CardTransport> {
    card: &'c mut Card<T>,
    sm: HostSm,
    /// Comp(PK_PICC) of the chip's ephemeral PACE key (ID_PICC of Terminal Authentication).
    id_picc: Vec<u8>,
}

impl<T: CardTransport> Channel for SecureSession<'_, T> {
    fn send(&mut self, command: &CommandApdu) -> Result<ResponseApdu, Error> {
        protected(&mut self.card.transport, &mut self.sm, command)
    }

    fn max_short_le(&self) -> u32 {
        crate::read::SM_SHORT_MAX_LE
    }
}

impl<T: CardTransport> SecureSession<'_, T> {
    /// ID_PICC: Comp of the chip's ephemeral PACE key.
    pub(crate) fn id_picc(&self) -> &[u8] {
        &self.id_picc
    }

    /// Switches to the session Chip Authentication restarted.
    pub(crate) fn replace_sm(&mut self, sm: HostSm) {
        self.sm = sm;
    }

    /// SELECT of the application, as the first command under new keys.
    pub(crate) fn reselect_application(&mut self) -> Result<(), Error> {
        self.select_application()
    }

    fn select_application(&mut self) -> Result<(), Error> {
        let aid = self.card.profile.aid.clone();
        let r = self.send(&CommandApdu::new(0x00, Ins::Select, 0x04, 0x0C).with_data(aid))?;
        if r.is_ok() {
            Ok(())
        } else {
            Err(Error::Card {
                sw: r.sw,
                during: "SELECT e-KTP application",
            })
        }
    }

    /// Reads one file whole, as its raw bytes (hash these, never a re-encoding).
    ///
    /// # Errors
    /// The card's status word (e.g. `6982` for DG3 without Terminal Authentication), secure
    /// messaging or transport failures, a malformed or oversized file.
    pub fn read(&mut self, file: LdsFile) -> Result<Vec<u8>, Error> {
        let sfi: Sfi = self
            .card
            .profile
            .file(file)
            .ok_or(Error::Malformed {
                what: "file not in the card profile",
            })?
            .sfi;
        let mut policy = self.card.policy.clone();
        let result = read_tlv_file(self, Some(sfi), &mut policy);
        self.card.policy = policy;
        result
    }

    /// Active Authentication (ICAO 9303-11 §6.1): the chip signs a fresh random challenge.
    /// Returns `(challenge, signature)` for the caller to verify against DG15.
    ///
    /// # Errors
    /// The card's status word, secure messaging or transport failures.
    pub fn internal_authenticate(&mut self) -> Result<([u8; 8], Vec<u8>), Error> {
        let challenge = ektp_sm::aa::random_challenge()?;
        let r = self.send(&ektp_sm::aa::internal_authenticate(&challenge))?;
        if !r.is_ok() {
            return Err(Error::Card {
                sw: r.sw,
                during: "INTERNAL AUTHENTICATE",
            });
        }
        Ok((challenge, r.data))
    }

    /// What crossed the wire so far (whole card session).
    pub fn stats(&self) -> Stats {
        self.card.stats()
    }

    /// The card profile in use.
    pub fn profile(&self) -> &CardProfile {
        &self.card.profile
    }
}

/// A card with a personalization secure channel open: the only way to write it.
#[derive(Debug)]
pub struct PersoSession<'c, T: CardTransport> {
    card: &'c mut Card<T>,
    sm: HostSm,
}

impl<T: CardTransport> Channel for PersoSession<'_, T> {
    fn send(&mut self, command: &CommandApdu) -> Result<ResponseApdu, Error> {
        protected(&mut self.card.transport, &mut self.sm, command)
    }

    fn max_short_le(&self) -> u32 {
        crate::read::SM_SHORT_MAX_LE
    }
}

/// Largest chunk one UPDATE BINARY carries (well inside vpcd's 65535-byte APDU limit once
/// secure messaging has added its padding, DOs and MAC).
pub const MAX_WRITE_CHUNK: usize = 32 * 1024;

impl<T: CardTransport> PersoSession<'_, T> {
    fn ok(&mut self, cmd: &CommandApdu, during: &'static str) -> Result<Vec<u8>, Error> {
        let r = self.send(cmd)?;
        if r.is_ok() {
            Ok(r.data)
        } else {
            Err(Error::Card { sw: r.sw, during })
        }
    }

    /// Creates `file` with exactly `content`'s size and writes it. A file left by an earlier,
    /// interrupted run is deleted and created again.
    ///
    /// # Errors
    /// The card's status word, secure messaging or transport failures.
    pub fn write_file(&mut self, file: LdsFile, content: &[u8]) -> Result<(), Error> {
        let spec = self.card.profile.file(file).ok_or(Error::Malformed {
            what: "file not in the card profile",
        })?;
        let (fid, sfi) = (spec.fid, spec.sfi);
        let size =
            u16::try_from(content.len()).map_err(|_| Error::FileTooLarge { len: content.len() })?;
        let mut fcp = tlv::Writer::new();
        fcp.nested(0x62, |w| {
            w.put(0x80, &size.to_be_bytes())
                .put(0x82, &[0x01])
                .put(0x83, &fid.to_bytes())
                // ISO 7816-4 §7.4.3 tag 88: the SFI in bits 8 to 4.
                .put(0x88, &[sfi.value() << 3]);
        });
        let create = CommandApdu::new(0x00, Ins::CreateFile, 0, 0).with_data(fcp.into_bytes());
        let r = self.send(&create)?;
        if r.sw == StatusWord::FILE_ALREADY_EXISTS {
            self.ok(
                &CommandApdu::new(0x00, Ins::DeleteFile, 0, 0).with_data(fid.to_bytes().to_vec()),
                "DELETE FILE",
            )?;
            self.ok(&create, "CREATE FILE")?;
        } else if !r.is_ok() {
            return Err(Error::Card {
                sw: r.sw,
                during: "CREATE FILE",
            });
        }
        // CREATE FILE makes the new file current: write at offsets into it.
        let mut offset = 0usize;
        for chunk in content.chunks(MAX_WRITE_CHUNK) {
            let cmd = if offset <= 0x7FFF {
                let [p1, p2] = u16::try_from(offset)
                    .map_err(|_| Error::FileTooLarge { len: offset })?
                    .to_be_bytes();
                CommandApdu::new(0x00, Ins::UpdateBinary, p1, p2).with_data(chunk.to_vec())
            } else {
                let off = u32::try_from(offset).map_err(|_| Error::FileTooLarge { len: offset })?;
                let mut w = tlv::Writer::new();
                w.put(0x54, &off.to_be_bytes()).put(0x53, chunk);
                CommandApdu::new(0x00, Ins::UpdateBinaryOdd, 0, 0).with_data(w.into_bytes())
            };
            self.ok(&cmd, "UPDATE BINARY")?;
            offset = offset.saturating_add(chunk.len());
        }
        Ok(())
    }

    /// Has the chip generate its Active Authentication key pair, or reads the public key of
    /// the one it already has (a lost answer never makes the chip replace its key).
    /// Returns the SubjectPublicKeyInfo DER for DG15.
    ///
    /// # Errors
    /// The card's status word, secure messaging or transport failures.
    pub fn aa_public_key(&mut self) -> Result<Vec<u8>, Error> {
        self.chip_key_pair(
            0x00,
            "GENERATE ASYMMETRIC KEY PAIR",
            "GENERATE ASYMMETRIC KEY PAIR (read public key)",
        )
    }

    /// Has the chip generate its Chip Authentication key pair (`GENERATE ASYMMETRIC KEY PAIR`
    /// P2 `01`), or reads the public key of the one it already has. Returns the uncompressed
    /// P-256 point for DG14's ChipAuthenticationPublicKeyInfo.
    ///
    /// # Errors
    /// The card's status word, secure messaging or transport failures.
    pub fn ca_public_key(&mut self) -> Result<Vec<u8>, Error> {
        self.chip_key_pair(
            0x01,
            "GENERATE ASYMMETRIC KEY PAIR (Chip Authentication)",
            "GENERATE ASYMMETRIC KEY PAIR (read Chip Authentication key)",
        )
    }

    /// GENERATE ASYMMETRIC KEY PAIR for the key `p2` names: P1 `80` generates it, and a chip
    /// that already has one (`6985`) is asked for its public key with P1 `81`, so a lost answer
    /// never makes the chip replace its key.
    fn chip_key_pair(
        &mut self,
        p2: u8,
        generating: &'static str,
        reading: &'static str,
    ) -> Result<Vec<u8>, Error> {
        let generate =
            CommandApdu::new(0x00, Ins::GenerateAsymmetricKeyPair, 0x80, p2).with_le(256);
        let r = self.send(&generate)?;
        if r.is_ok() {
            return Ok(r.data);
        }
        if r.sw != StatusWord::CONDITIONS_NOT_SATISFIED {
            return Err(Error::Card {
                sw: r.sw,
                during: generating,
            });
        }
        self.ok(
            &CommandApdu::new(0x00, Ins::GenerateAsymmetricKeyPair, 0x81, p2).with_le(256),
            reading,
        )
    }

    /// Writes a CVCA trust point for Terminal Authentication (`PUT DATA DF10` with the
    /// self-signed CVCA certificate). Writing the same CVCA again replaces it.
    ///
    /// # Errors
    /// `6A80` if the chip finds the certificate not a valid self-signed CVCA; secure
    /// messaging or transport failures.
    pub fn put_trust_point(&mut self, cvca: &ektp_pki::cvc::CvCertificate) -> Result<(), Error> {
        let cmd = CommandApdu::new(0x00, Ins::PutData, 0xDF, 0x10).with_data(cvca.to_bytes());
        self.ok(&cmd, "PUT DATA (CVCA trust point)").map(|_| ())
    }

    /// Stores the CAN (`PUT DATA DF03`).
    ///
    /// # Errors
    /// The card's status word, secure messaging or transport failures.
    pub fn set_can(&mut self, can: &Can) -> Result<(), Error> {
        let cmd =
            CommandApdu::new(0x00, Ins::PutData, 0xDF, 0x03).with_data(can.expose_ascii().to_vec());
        self.ok(&cmd, "PUT DATA (CAN)").map(|_| ())
    }

    /// Locks the card (`ACTIVATE FILE`): PERSONALIZING → ISSUED, forever.
    ///
    /// # Errors
    /// `6985` if the chip finds required files, the key or the CAN missing; transport failures.
    pub fn lock(&mut self) -> Result<(), Error> {
        self.ok(
            &CommandApdu::new(0x00, Ins::ActivateFile, 0, 0),
            "ACTIVATE FILE (lock)",
        )
        .map(|_| ())
    }
}
