//! A minimal test terminal for the chip: plain APDUs, the personalization mutual
//! authentication, PACE with the CAN and secure messaging, all from `ektp-sm`'s host side.
#![allow(
    dead_code,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::missing_panics_doc
)]

use ektp_chip::card::Card;
use ektp_chip::os::{Chip, test_perso_master_key};
use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use ektp_sm::card_access::SecurityInfos;
use ektp_sm::pace::host;
use ektp_sm::perso::{HostAuth, PersoKeys};
use ektp_sm::{Can, FixedRandomness, HostSm, PaceParams, PacePassword};

pub const SERIAL: [u8; 8] = [0x45, 0x4B, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34];
pub const CAN: &str = "123456";
pub const SEED: [u8; 32] = [0x5E; 32];

pub fn master() -> ektp_sm::perso::MasterKey {
    test_perso_master_key().unwrap()
}

/// A blank chip with a seeded RNG.
pub fn blank() -> Chip {
    let mut chip = Chip::new_blank(SERIAL, &master()).unwrap();
    chip.set_test_rng_seed(SEED);
    chip
}

pub fn sw(r: &[u8]) -> StatusWord {
    let n = r.len();
    StatusWord::from_bytes(r[n - 2], r[n - 1])
}

/// The file contents a printing station would write: a real EF.CardAccess, synthetic bytes
/// elsewhere (the chip does not interpret them).
pub fn sample_files() -> Vec<(u16, Vec<u8>)> {
    let card_access = SecurityInfos::for_pace(&[PaceParams::EKTP_DEFAULT])
        .to_der()
        .unwrap();
    let synthetic = |tag: u8, n: usize| {
        let mut v = vec![tag, 0x82, (n >> 8) as u8, n as u8];
        v.extend((0..n).map(|i| (i * 7 + 3) as u8));
        v
    };
    vec![
        (0x011C, card_access),
        (0x011E, synthetic(0x60, 20)),
        (0x0101, synthetic(0x61, 93)),
        (0x0102, synthetic(0x75, 33996)),
        (0x0103, synthetic(0x63, 300)),
        (0x0107, synthetic(0x67, 500)),
        (0x010B, synthetic(0x6B, 200)),
        (0x010E, synthetic(0x6E, 100)),
        (0x010F, synthetic(0x6F, 91)),
        (0x011D, synthetic(0x77, 1500)),
    ]
}

pub fn create_fcp(fid: u16, sfi: Option<u8>, size: u16) -> Vec<u8> {
    let mut inner = vec![0x80, 0x02];
    inner.extend_from_slice(&size.to_be_bytes());
    inner.extend_from_slice(&[0x82, 0x01, 0x01, 0x83, 0x02]);
    inner.extend_from_slice(&fid.to_be_bytes());
    if let Some(s) = sfi {
        inner.extend_from_slice(&[0x88, 0x01, s << 3]);
    }
    let mut out = vec![0x62, inner.len() as u8];
    out.extend(inner);
    out
}

/// A terminal holding a chip and, once authenticated, its end of the SM session.
pub struct Host {
    pub chip: Chip,
    pub sm: Option<HostSm>,
    /// Every raw command sent and the raw response, for replay tests.
    pub log: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Host {
    pub fn new(mut chip: Chip) -> Self {
        chip.power_on();
        Self {
            chip,
            sm: None,
            log: Vec::new(),
        }
    }

    pub fn raw(&mut self, apdu: &[u8]) -> Vec<u8> {
        let r = self.chip.process(apdu);
        self.log.push((apdu.to_vec(), r.clone()));
        r
    }

    pub fn plain(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        let r = self.raw(&cmd.to_bytes().unwrap());
        ResponseApdu::parse(&r).unwrap()
    }

    /// Sends `cmd` under secure messaging. A plain error answer (the chip ended the
    /// session) is returned as is and the host drops its session too.
    pub fn sm(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        let sm = self.sm.as_mut().expect("an SM session");
        let wrapped = sm.wrap(cmd).unwrap();
        let r = self.raw(&wrapped.to_bytes().unwrap());
        let resp = ResponseApdu::parse(&r).unwrap();
        if resp.data.is_empty() && resp.sw != StatusWord::SUCCESS {
            self.sm = None;
            return resp;
        }
        self.sm.as_mut().unwrap().unwrap(&resp).unwrap()
    }

    /// GET CHALLENGE + EXTERNAL AUTHENTICATE with the TEST ONLY master key.
    pub fn perso_auth(&mut self) -> Result<(), StatusWord> {
        self.perso_auth_with(&master())
    }

    pub fn perso_auth_with(
        &mut self,
        master: &ektp_sm::perso::MasterKey,
    ) -> Result<(), StatusWord> {
        self.sm = None;
        let keys = PersoKeys::diversify(master, &SERIAL).unwrap();
        let ch = self.plain(&CommandApdu::new(0, Ins::GetChallenge, 0, 0).with_le(8));
        if ch.sw != StatusWord::SUCCESS {
            return Err(ch.sw);
        }
        let rnd_ic: [u8; 8] = ch.data.as_slice().try_into().unwrap();
        let (auth, data) = HostAuth::start(&keys, rnd_ic, [0xA1; 8], [0xB2; 32]).unwrap();
        let r = self.plain(
            &CommandApdu::new(0, Ins::ExternalAuthenticate, 0, 0)
                .with_data(data)
                .with_le(56),
        );
        if r.sw != StatusWord::SUCCESS {
            return Err(r.sw);
        }
        let session = auth.finish(&r.data).unwrap();
        self.sm = Some(
            HostSm::from_keys(
                session.enc().expose_bytes(),
                session.mac().expose_bytes(),
                [0; 16],
            )
            .unwrap(),
        );
        Ok(())
    }

    /// PACE with `can`; `Err(sw)` with the status word of the step that failed.
    pub fn pace(&mut self, can: &str) -> Result<(), StatusWord> {
        self.sm = None;
        let password = PacePassword::from_can(&Can::new(can).unwrap());
        let start = host::Start::with_fixed_randomness(
            &password,
            PaceParams::EKTP_DEFAULT,
            FixedRandomness::new([vec![0x21; 32], vec![0x43; 32]]),
        );
        let (s, cmd) = start.start();
        let r = self.plain(&cmd);
        let (s, cmd) = s.on_response(&r).map_err(|_| r.sw)?;
        let r = self.plain(&cmd);
        let (s, cmd) = s.on_response(&r).map_err(|_| r.sw)?;
        let r = self.plain(&cmd);
        let (s, cmd) = s.on_response(&r).map_err(|_| r.sw)?;
        let r = self.plain(&cmd);
        let (s, cmd) = s.on_response(&r).map_err(|_| r.sw)?;
        let r = self.plain(&cmd);
        let sm = s.on_response(&r).map_err(|_| r.sw)?;
        self.sm = Some(sm);
        Ok(())
    }

    /// Creates, writes (in chunks), generates the AA key and stores the CAN, under the
    /// personalization session (which must be open). Returns the AA SubjectPublicKeyInfo.
    pub fn personalize(&mut self, files: &[(u16, Vec<u8>)], can: &str) -> Vec<u8> {
        let profile = self.chip.profile().clone();
        for (fid, content) in files {
            let spec = profile.file(ektp_iso7816::Fid::new(*fid).unwrap()).unwrap();
            let r = self.sm(
                &CommandApdu::new(0, Ins::CreateFile, 0, 0).with_data(create_fcp(
                    *fid,
                    spec.sfi.map(ektp_iso7816::Sfi::value),
                    content.len() as u16,
                )),
            );
            assert_eq!(r.sw, StatusWord::SUCCESS, "create {fid:04X}");
            for (i, chunk) in content.chunks(4000).enumerate() {
                let off = i * 4000;
                let cmd = if off <= 0x7FFF {
                    CommandApdu::new(0, Ins::UpdateBinary, (off >> 8) as u8, off as u8)
                        .with_data(chunk.to_vec())
                } else {
                    let mut d = vec![0x54, 0x02, (off >> 8) as u8, off as u8, 0x53, 0x82];
                    d.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
                    d.extend_from_slice(chunk);
                    let [p1, p2] = fid.to_be_bytes();
                    CommandApdu::new(0, Ins::UpdateBinaryOdd, p1, p2).with_data(d)
                };
                let r = self.sm(&cmd);
                assert_eq!(r.sw, StatusWord::SUCCESS, "update {fid:04X} at {off}");
            }
        }
        let mut r =
            self.sm(&CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x80, 0).with_le(256));
        if r.sw == StatusWord::CONDITIONS_NOT_SATISFIED {
            // Resumed run: the key exists; read it back.
            r = self.sm(&CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x81, 0).with_le(256));
        }
        assert_eq!(r.sw, StatusWord::SUCCESS, "generate AA key");
        let r2 = self
            .sm(&CommandApdu::new(0, Ins::PutData, 0xDF, 0x03).with_data(can.as_bytes().to_vec()));
        assert_eq!(r2.sw, StatusWord::SUCCESS, "put CAN");
        r.data
    }

    pub fn lock(&mut self) -> StatusWord {
        self.sm(&CommandApdu::new(0, Ins::ActivateFile, 0, 0)).sw
    }
}

/// A chip personalized with [`sample_files`] and [`CAN`], still PERSONALIZING.
pub fn personalizing() -> Chip {
    let mut h = Host::new(blank());
    h.perso_auth().unwrap();
    h.personalize(&sample_files(), CAN);
    h.chip
}

/// A chip personalized and locked (ISSUED).
pub fn issued() -> Chip {
    let mut h = Host::new(blank());
    h.perso_auth().unwrap();
    h.personalize(&sample_files(), CAN);
    assert_eq!(h.lock(), StatusWord::SUCCESS);
    h.chip
}
