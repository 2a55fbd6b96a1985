//! AES secure messaging (ICAO 9303-11 §9.8), both sides.
//!
//! * [`HostSm`]: [`HostSm::wrap`] protects a command, [`HostSm::unwrap`] checks and decrypts
//!   the card's answer.
//! * [`CardSm`]: [`CardSm::unwrap_command`] checks and decrypts a protected command,
//!   [`CardSm::wrap_response`] protects the answer.
//!
//! Protected command: `CLA|0C INS P1 P2 Lc [DO'87'|DO'85'] [DO'97'] DO'8E' Le=00(00)`;
//! protected response: `[DO'87'|DO'85'] DO'99' DO'8E' SW`. DO'87' carries the padding
//! indicator `01`; DO'85' (odd INS) does not. Data is padded `80 00..`, encrypted with
//! AES-CBC under KS_enc with IV = E(KS_enc, SSC); DO'8E' is the AES-CMAC under KS_mac of
//! `SSC || [padded header] || DOs`, padded, truncated to 8 bytes. The 16-byte SSC is
//! incremented before every command and every response.
//!
//! Any MAC failure, missing data object or bad padding closes the session on that side:
//! the keys are zeroized and every later call returns [`Error::SmSessionClosed`]. A
//! replayed or reordered APDU is detected because its MAC was made with another SSC. The
//! card side answers such a command with [`Error::status_word`] (`6987`/`6988`) in plain.

use core::fmt;

use ektp_iso7816::apdu::{MAX_LC, MAX_SHORT_LC, MAX_SHORT_LE};
use ektp_iso7816::tlv::{self, Reader, Tlv};
use ektp_iso7816::{ApduError, CommandApdu, Ins, ResponseApdu, StatusWord};
use zeroize::Zeroize;

use crate::Error;
use crate::kdf::{self, AesKey, BLOCK_LEN};
use crate::pace::SessionKeys;

/// Length of DO'8E' (CMAC truncated to 8 bytes).
pub const MAC_LEN: usize = 8;

/// The send sequence counter: 16 bytes for AES (ICAO 9303-11 §9.8.7.3).
pub type Ssc = [u8; BLOCK_LEN];

const CLA_SM: u8 = 0x0C;
const TAG_CRYPTOGRAM_PADDED: u32 = 0x87;
const TAG_CRYPTOGRAM_PLAIN: u32 = 0x85;
const TAG_LE: u32 = 0x97;
const TAG_SW: u32 = 0x99;
const TAG_MAC: u32 = 0x8E;
const PADDING_INDICATOR: u8 = 0x01;

/// Keys and counter shared by both sides.
struct Core {
    keys: Option<SessionKeys>,
    ssc: Ssc,
}

impl Core {
    fn new(keys: SessionKeys, ssc: Ssc) -> Self {
        Self {
            keys: Some(keys),
            ssc,
        }
    }

    fn keys(&self) -> Result<&SessionKeys, Error> {
        self.keys.as_ref().ok_or(Error::SmSessionClosed)
    }

    fn close(&mut self) {
        // AesKey zeroizes on drop.
        self.keys = None;
        self.ssc.zeroize();
    }

    fn next_ssc(&self) -> Result<Ssc, Error> {
        let mut next = self.ssc;
        for b in next.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                return Ok(next);
            }
        }
        Err(Error::SmCounterExhausted)
    }

    fn iv(keys: &SessionKeys, ssc: &Ssc) -> Result<[u8; BLOCK_LEN], Error> {
        kdf::encrypt_block(&keys.enc, ssc)
    }

    fn mac(keys: &SessionKeys, ssc: &Ssc, body: &[u8]) -> Result<[u8; MAC_LEN], Error> {
        let full = kdf::cmac(&keys.mac, &[ssc, &kdf::pad(body)])?;
        let mut out = [0u8; MAC_LEN];
        out.copy_from_slice(full.get(..MAC_LEN).unwrap_or(&[0; MAC_LEN]));
        Ok(out)
    }

    fn verify_mac(keys: &SessionKeys, ssc: &Ssc, body: &[u8], tag: &[u8]) -> Result<bool, Error> {
        if tag.len() != MAC_LEN {
            return Ok(false);
        }
        kdf::cmac_verify_truncated(&keys.mac, &[ssc, &kdf::pad(body)], tag)
    }

    /// DO'87' (`01 || cryptogram`) or DO'85' (cryptogram) for `data`.
    fn encrypt_do(
        keys: &SessionKeys,
        ssc: &Ssc,
        odd_ins: bool,
        data: &[u8],
    ) -> Result<Vec<u8>, Error> {
        let iv = Self::iv(keys, ssc)?;
        let ct = kdf::cbc_encrypt(&keys.enc, &iv, &kdf::pad(data))?;
        Ok(if odd_ins {
            tlv::encode(TAG_CRYPTOGRAM_PLAIN, &ct)
        } else {
            let mut v = Vec::with_capacity(ct.len().saturating_add(1));
            v.push(PADDING_INDICATOR);
            v.extend_from_slice(&ct);
            tlv::encode(TAG_CRYPTOGRAM_PADDED, &v)
        })
    }

    /// Decrypts the value of DO'87'/DO'85' and removes the padding.
    fn decrypt_do(keys: &SessionKeys, ssc: &Ssc, obj: &Tlv<'_>) -> Result<Vec<u8>, Error> {
        let ct = match obj.tag.value() {
            TAG_CRYPTOGRAM_PADDED => match obj.value.split_first() {
                Some((&PADDING_INDICATOR, ct)) => ct,
                _ => return Err(Error::SmDataMissing),
            },
            _ => obj.value,
        };
        let iv = Self::iv(keys, ssc)?;
        let plain = kdf::cbc_decrypt(&keys.enc, &iv, ct)?;
        kdf::unpad(&plain)
            .map(<[u8]>::to_vec)
            .ok_or(Error::SmPadding)
    }
}

/// `CLA INS P1 P2` padded to one block: the first part of a command's MAC input.
fn padded_header(cla: u8, ins: Ins, p1: u8, p2: u8) -> Vec<u8> {
    kdf::pad(&[cla, ins.to_byte(), p1, p2])
}

fn next_obj<'a>(r: &mut Reader<'a>) -> Result<Option<Tlv<'a>>, Error> {
    r.next_tlv().map_err(|_| Error::SmDataMissing)
}

fn decode_le(value: &[u8]) -> Result<u32, Error> {
    match *value {
        [0] => Ok(MAX_SHORT_LE),
        [b] => Ok(u32::from(b)),
        [0, 0] => Ok(65_536),
        [hi, lo] => Ok(u32::from(u16::from_be_bytes([hi, lo]))),
        _ => Err(Error::SmDataMissing),
    }
}

fn encode_le(le: u32) -> Vec<u8> {
    if le <= MAX_SHORT_LE {
        // 256 encodes as 00.
        vec![u8::try_from(le).unwrap_or(0)]
    } else {
        // 65536 encodes as 0000.
        u16::try_from(le).unwrap_or(0).to_be_bytes().to_vec()
    }
}

/// The host (terminal) side of a secure messaging session.
pub struct HostSm {
    core: Core,
}

impl fmt::Debug for HostSm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostSm")
            .field("open", &self.is_open())
            .finish_non_exhaustive()
    }
}

impl HostSm {
    /// A session from PACE session keys with SSC = 0 (ICAO 9303-11 §9.8.1).
    pub fn new(keys: SessionKeys) -> Self {
        Self {
            core: Core::new(keys, [0; BLOCK_LEN]),
        }
    }

    /// A session from raw AES keys (16, 24 or 32 bytes, both the same size) and an initial
    /// SSC, e.g. for a personalization session whose keys were derived elsewhere.
    ///
    /// # Errors
    /// [`Error::InvalidKeyLength`].
    pub fn from_keys(ks_enc: &[u8], ks_mac: &[u8], ssc: Ssc) -> Result<Self, Error> {
        Ok(Self {
            core: Core::new(keys_from_raw(ks_enc, ks_mac)?, ssc),
        })
    }

    /// Whether the session can still be used.
    pub fn is_open(&self) -> bool {
        self.core.keys.is_some()
    }

    /// The current send sequence counter.
    pub fn ssc(&self) -> Ssc {
        self.core.ssc
    }

    /// The session keys. Secret: only for checking published test vectors.
    #[doc(hidden)]
    pub fn expose_session_keys(&self) -> Option<&SessionKeys> {
        self.core.keys.as_ref()
    }

    /// Protects a command.
    ///
    /// # Errors
    /// [`Error::SmSessionClosed`]; [`Error::Apdu`] if the protected command would exceed
    /// 65535 data bytes (the session stays usable); [`Error::SmCounterExhausted`].
    pub fn wrap(&mut self, cmd: &CommandApdu) -> Result<CommandApdu, Error> {
        let keys = self.core.keys()?;
        let ssc = self.core.next_ssc()?;
        let cla = cmd.cla | CLA_SM;
        let mut body = Vec::new();
        if !cmd.data.is_empty() {
            body.extend_from_slice(&Core::encrypt_do(keys, &ssc, cmd.ins.is_odd(), &cmd.data)?);
        }
        if let Some(le) = cmd.le {
            body.extend_from_slice(&tlv::encode(TAG_LE, &encode_le(le)));
        }
        let mut mac_input = padded_header(cla, cmd.ins, cmd.p1, cmd.p2);
        mac_input.extend_from_slice(&body);
        let mac = Core::mac(keys, &ssc, &mac_input)?;
        body.extend_from_slice(&tlv::encode(TAG_MAC, &mac));
        if body.len() > MAX_LC {
            return Err(Error::Apdu(ApduError::DataTooLong { len: body.len() }));
        }
        let extended = body.len() > MAX_SHORT_LC || cmd.le.is_some_and(|le| le > MAX_SHORT_LE);
        self.core.ssc = ssc;
        Ok(CommandApdu {
            cla,
            ins: cmd.ins,
            p1: cmd.p1,
            p2: cmd.p2,
            data: body,
            le: Some(if extended { 65_536 } else { MAX_SHORT_LE }),
            extended,
        })
    }

    /// Checks and decrypts a protected response. The status word returned is the
    /// MAC-protected one from DO'99', not the unprotected trailer.
    ///
    /// # Errors
    /// [`Error::SmCardAborted`] if the card answered `6987`/`6988` in plain,
    /// [`Error::SmNotProtected`], [`Error::SmDataMissing`], [`Error::SmMacMismatch`],
    /// [`Error::SmPadding`]: all of them close the session. [`Error::SmSessionClosed`]
    /// afterwards.
    pub fn unwrap(&mut self, resp: &ResponseApdu) -> Result<ResponseApdu, Error> {
        let result = self.unwrap_inner(resp);
        if result.is_err() {
            self.core.close();
        }
        result
    }

    fn unwrap_inner(&mut self, resp: &ResponseApdu) -> Result<ResponseApdu, Error> {
        let keys = self.core.keys()?;
        let ssc = self.core.next_ssc()?;
        if resp.data.is_empty() {
            return Err(
                if resp.sw == StatusWord::SM_DATA_MISSING
                    || resp.sw == StatusWord::SM_DATA_INCORRECT
                {
                    Error::SmCardAborted(resp.sw)
                } else {
                    Error::SmNotProtected
                },
            );
        }
        let mut r = Reader::new(&resp.data);
        let mut obj = next_obj(&mut r)?;
        let mut cryptogram = None;
        if let Some(t) = obj
            && matches!(t.tag.value(), TAG_CRYPTOGRAM_PADDED | TAG_CRYPTOGRAM_PLAIN)
        {
            cryptogram = Some(t);
            obj = next_obj(&mut r)?;
        }
        let sw_obj = obj
            .filter(|t| t.tag.value() == TAG_SW)
            .ok_or(Error::SmDataMissing)?;
        let mac_obj = next_obj(&mut r)?
            .filter(|t| t.tag.value() == TAG_MAC)
            .ok_or(Error::SmDataMissing)?;
        if !r.is_empty() {
            return Err(Error::SmDataMissing);
        }
        let mut mac_input = Vec::new();
        if let Some(c) = &cryptogram {
            mac_input.extend_from_slice(c.raw);
        }
        mac_input.extend_from_slice(sw_obj.raw);
        if !Core::verify_mac(keys, &ssc, &mac_input, mac_obj.value)? {
            return Err(Error::SmMacMismatch);
        }
        let [sw1, sw2] = *sw_obj.value else {
            return Err(Error::SmDataMissing);
        };
        let data = match &cryptogram {
            Some(c) => Core::decrypt_do(keys, &ssc, c)?,
            None => Vec::new(),
        };
        self.core.ssc = ssc;
        Ok(ResponseApdu::new(data, StatusWord::from_bytes(sw1, sw2)))
    }
}

/// The card (chip) side of a secure messaging session.
pub struct CardSm {
    core: Core,
    /// INS of the command awaiting its response; `None` while waiting for a command.
    pending_ins: Option<Ins>,
}

impl fmt::Debug for CardSm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardSm")
            .field("open", &self.is_open())
            .finish_non_exhaustive()
    }
}

impl CardSm {
    /// A session from PACE session keys with SSC = 0.
    pub fn new(keys: SessionKeys) -> Self {
        Self {
            core: Core::new(keys, [0; BLOCK_LEN]),
            pending_ins: None,
        }
    }

    /// A session from raw AES keys and an initial SSC (see [`HostSm::from_keys`]).
    ///
    /// # Errors
    /// [`Error::InvalidKeyLength`].
    pub fn from_keys(ks_enc: &[u8], ks_mac: &[u8], ssc: Ssc) -> Result<Self, Error> {
        Ok(Self {
            core: Core::new(keys_from_raw(ks_enc, ks_mac)?, ssc),
            pending_ins: None,
        })
    }

    /// Whether the session can still be used.
    pub fn is_open(&self) -> bool {
        self.core.keys.is_some()
    }

    /// The current send sequence counter.
    pub fn ssc(&self) -> Ssc {
        self.core.ssc
    }

    /// Ends the session and zeroizes the keys (e.g. when a plain command arrives).
    pub fn close(&mut self) {
        self.core.close();
    }

    /// Checks and decrypts a protected command.
    ///
    /// On error the session is closed; answer with [`Error::status_word`] in plain.
    ///
    /// # Errors
    /// [`Error::SmNotProtected`] (CLA without `0C`), [`Error::SmDataMissing`],
    /// [`Error::SmMacMismatch`], [`Error::SmPadding`], [`Error::SmOutOfOrder`] (the previous
    /// command was not answered through [`CardSm::wrap_response`]),
    /// [`Error::SmSessionClosed`].
    pub fn unwrap_command(&mut self, cmd: &CommandApdu) -> Result<CommandApdu, Error> {
        let result = self.unwrap_inner(cmd);
        match &result {
            Ok(_) => self.pending_ins = Some(cmd.ins),
            Err(_) => self.core.close(),
        }
        result
    }

    fn unwrap_inner(&mut self, cmd: &CommandApdu) -> Result<CommandApdu, Error> {
        let keys = self.core.keys()?;
        if self.pending_ins.is_some() {
            return Err(Error::SmOutOfOrder);
        }
        if cmd.cla & CLA_SM != CLA_SM {
            return Err(Error::SmNotProtected);
        }
        let ssc = self.core.next_ssc()?;
        let odd = cmd.ins.is_odd();
        let mut r = Reader::new(&cmd.data);
        let mut obj = next_obj(&mut r)?;
        let mut cryptogram = None;
        let expected_tag = if odd {
            TAG_CRYPTOGRAM_PLAIN
        } else {
            TAG_CRYPTOGRAM_PADDED
        };
        if let Some(t) = obj
            && t.tag.value() == expected_tag
        {
            cryptogram = Some(t);
            obj = next_obj(&mut r)?;
        }
        let mut le_obj = None;
        if let Some(t) = obj
            && t.tag.value() == TAG_LE
        {
            le_obj = Some(t);
            obj = next_obj(&mut r)?;
        }
        let mac_obj = obj
            .filter(|t| t.tag.value() == TAG_MAC)
            .ok_or(Error::SmDataMissing)?;
        if !r.is_empty() {
            return Err(Error::SmDataMissing);
        }
        let mut mac_input = padded_header(cmd.cla, cmd.ins, cmd.p1, cmd.p2);
        for o in [&cryptogram, &le_obj].into_iter().flatten() {
            mac_input.extend_from_slice(o.raw);
        }
        if !Core::verify_mac(keys, &ssc, &mac_input, mac_obj.value)? {
            return Err(Error::SmMacMismatch);
        }
        let le = le_obj.map(|t| decode_le(t.value)).transpose()?;
        let data = match &cryptogram {
            Some(c) => Core::decrypt_do(keys, &ssc, c)?,
            None => Vec::new(),
        };
        self.core.ssc = ssc;
        Ok(CommandApdu {
            cla: cmd.cla & !CLA_SM,
            ins: cmd.ins,
            p1: cmd.p1,
            p2: cmd.p2,
            data,
            le,
            // Short or extended follows from the sizes when re-encoded.
            extended: false,
        })
    }

    /// Protects the answer to the command last returned by [`CardSm::unwrap_command`].
    ///
    /// # Errors
    /// [`Error::SmOutOfOrder`] without a pending command, [`Error::SmSessionClosed`],
    /// [`Error::SmCounterExhausted`].
    pub fn wrap_response(&mut self, resp: ResponseApdu) -> Result<ResponseApdu, Error> {
        let keys = self.core.keys()?;
        let ins = self.pending_ins.ok_or(Error::SmOutOfOrder)?;
        let ssc = self.core.next_ssc()?;
        let mut body = Vec::new();
        if !resp.data.is_empty() {
            body.extend_from_slice(&Core::encrypt_do(keys, &ssc, ins.is_odd(), &resp.data)?);
        }
        body.extend_from_slice(&tlv::encode(TAG_SW, &resp.sw.to_bytes()));
        let mac = Core::mac(keys, &ssc, &body)?;
        body.extend_from_slice(&tlv::encode(TAG_MAC, &mac));
        self.core.ssc = ssc;
        self.pending_ins = None;
        Ok(ResponseApdu::new(body, resp.sw))
    }
}

fn keys_from_raw(ks_enc: &[u8], ks_mac: &[u8]) -> Result<SessionKeys, Error> {
    if ks_enc.len() != ks_mac.len() {
        return Err(Error::InvalidKeyLength { len: ks_mac.len() });
    }
    Ok(SessionKeys {
        enc: AesKey::new(ks_enc)?,
        mac: AesKey::new(ks_mac)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (HostSm, CardSm) {
        let k = [0x11u8; 16];
        let m = [0x22u8; 16];
        (
            HostSm::from_keys(&k, &m, [0; 16]).unwrap(),
            CardSm::from_keys(&k, &m, [0; 16]).unwrap(),
        )
    }

    #[test]
    fn round_trip_all_cases() {
        let (mut h, mut c) = pair();
        let cmds = [
            CommandApdu::new(0x00, Ins::GetChallenge, 0, 0).with_le(8),
            CommandApdu::new(0x00, Ins::Select, 2, 0x0C).with_data(vec![0x01, 0x1E]),
            CommandApdu::new(0x00, Ins::ReadBinary, 0, 0).with_le(256),
            CommandApdu::new(0x00, Ins::ReadBinaryOdd, 0, 0)
                .with_data(vec![0x54, 0x02, 0x00, 0x10])
                .with_le(65_536),
            CommandApdu::new(0x00, Ins::UpdateBinary, 0, 0).with_data(vec![0x5A; 1000]),
            CommandApdu::new(0x00, Ins::ActivateFile, 0, 0),
        ];
        for cmd in cmds {
            let wrapped = h.wrap(&cmd).unwrap();
            let bytes = wrapped.to_bytes().unwrap();
            let parsed = CommandApdu::parse(&bytes).unwrap();
            let unwrapped = c.unwrap_command(&parsed).unwrap();
            assert_eq!(unwrapped.data, cmd.data);
            assert_eq!(unwrapped.le, cmd.le);
            assert_eq!(
                (unwrapped.cla, unwrapped.ins, unwrapped.p1, unwrapped.p2),
                (cmd.cla, cmd.ins, cmd.p1, cmd.p2)
            );
            let resp = ResponseApdu::new(vec![7; 300], StatusWord::SUCCESS);
            let wr = c.wrap_response(resp.clone()).unwrap();
            let parsed = ResponseApdu::parse(&wr.to_bytes()).unwrap();
            assert_eq!(h.unwrap(&parsed).unwrap(), resp);
        }
        assert_eq!(h.ssc(), c.ssc());
        assert_eq!(h.ssc()[15], 12);
    }

    #[test]
    fn odd_ins_uses_do85_and_even_do87() {
        let (mut h, mut c) = pair();
        let odd = CommandApdu::new(0, Ins::ReadBinaryOdd, 0, 0)
            .with_data(vec![0x54, 0x02, 0x00, 0x00])
            .with_le(256);
        let w = h.wrap(&odd).unwrap();
        assert_eq!(w.data[0], 0x85);
        assert_eq!(w.data[1], 16, "no padding-indicator byte in DO'85'");
        assert_eq!(w.cla, 0x0C);
        // DO'97' with Le 00, then DO'8E' with 8 bytes.
        assert_eq!(&w.data[18..21], &[0x97, 0x01, 0x00]);
        assert_eq!(&w.data[21..23], &[0x8E, 0x08]);
        c.unwrap_command(&w).unwrap();
        let r = c
            .wrap_response(ResponseApdu::new(
                vec![0x53, 0x01, 0xAA],
                StatusWord::SUCCESS,
            ))
            .unwrap();
        assert_eq!(r.data[0], 0x85);
        h.unwrap(&r).unwrap();
        let even = CommandApdu::new(0x10, Ins::UpdateBinary, 0, 0).with_data(vec![1; 20]);
        let w = h.wrap(&even).unwrap();
        assert_eq!(w.cla, 0x1C, "chaining bit kept");
        assert_eq!(&w.data[..3], &[0x87, 33, 0x01]);
        assert_eq!(c.unwrap_command(&w).unwrap(), even);
    }

    #[test]
    fn error_status_without_data() {
        let (mut h, mut c) = pair();
        let w = h
            .wrap(&CommandApdu::new(0, Ins::Select, 2, 0x0C).with_data(vec![1, 2]))
            .unwrap();
        c.unwrap_command(&w).unwrap();
        let r = c
            .wrap_response(ResponseApdu::status(StatusWord::FILE_NOT_FOUND))
            .unwrap();
        assert_eq!(r.sw, StatusWord::FILE_NOT_FOUND);
        let u = h.unwrap(&r).unwrap();
        assert_eq!(u, ResponseApdu::status(StatusWord::FILE_NOT_FOUND));
    }

    #[test]
    fn bad_mac_closes_both_sides() {
        let (mut h, mut c) = pair();
        let mut w = h
            .wrap(&CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(4))
            .unwrap();
        let last = w.data.len() - 1;
        w.data[last] ^= 1;
        let err = c.unwrap_command(&w).unwrap_err();
        assert!(matches!(err, Error::SmMacMismatch));
        assert_eq!(err.status_word(), StatusWord::SM_DATA_INCORRECT);
        assert!(!c.is_open());
        assert!(matches!(c.unwrap_command(&w), Err(Error::SmSessionClosed)));
        // The host sees the plain 6988 and ends too.
        let err = h
            .unwrap(&ResponseApdu::status(StatusWord::SM_DATA_INCORRECT))
            .unwrap_err();
        assert!(matches!(err, Error::SmCardAborted(_)));
        assert!(matches!(
            h.wrap(&CommandApdu::new(0, Ins::ReadBinary, 0, 0)),
            Err(Error::SmSessionClosed)
        ));
    }

    #[test]
    fn replay_is_rejected() {
        let (mut h, mut c) = pair();
        let w = h
            .wrap(&CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(4))
            .unwrap();
        c.unwrap_command(&w).unwrap();
        let r = c
            .wrap_response(ResponseApdu::new(vec![1, 2, 3, 4], StatusWord::SUCCESS))
            .unwrap();
        h.unwrap(&r).unwrap();
        // The same command again: MAC was made with an older SSC.
        assert!(matches!(c.unwrap_command(&w), Err(Error::SmMacMismatch)));
        // A replayed response at the host.
        let (mut h, mut c) = pair();
        let w = h
            .wrap(&CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(4))
            .unwrap();
        c.unwrap_command(&w).unwrap();
        let r = c
            .wrap_response(ResponseApdu::new(vec![1, 2, 3, 4], StatusWord::SUCCESS))
            .unwrap();
        h.unwrap(&r).unwrap();
        let w2 = h
            .wrap(&CommandApdu::new(0, Ins::ReadBinary, 0, 4).with_le(4))
            .unwrap();
        c.unwrap_command(&w2).unwrap();
        assert!(matches!(h.unwrap(&r), Err(Error::SmMacMismatch)));
        assert!(!h.is_open());
    }

    #[test]
    fn plain_command_and_out_of_order() {
        let (_h, mut c) = pair();
        let err = c
            .unwrap_command(&CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(4))
            .unwrap_err();
        assert_eq!(err.status_word(), StatusWord::SM_DATA_MISSING);
        assert!(!c.is_open());
        let (_h, mut c) = pair();
        assert!(matches!(
            c.wrap_response(ResponseApdu::status(StatusWord::SUCCESS)),
            Err(Error::SmOutOfOrder)
        ));
    }

    #[test]
    fn ssc_wraps_to_error() {
        let mut h = HostSm::from_keys(&[1; 32], &[2; 32], [0xFF; 16]).unwrap();
        assert!(matches!(
            h.wrap(&CommandApdu::new(0, Ins::ReadBinary, 0, 0)),
            Err(Error::SmCounterExhausted)
        ));
        assert!(HostSm::from_keys(&[1; 16], &[2; 32], [0; 16]).is_err());
    }

    #[test]
    fn too_long_command_keeps_session() {
        let (mut h, _c) = pair();
        let err = h
            .wrap(&CommandApdu::new(0, Ins::UpdateBinary, 0, 0).with_data(vec![0; 65_535]))
            .unwrap_err();
        assert!(matches!(err, Error::Apdu(_)));
        assert!(h.is_open());
        assert_eq!(h.ssc(), [0; 16]);
    }
}
