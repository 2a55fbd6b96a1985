//! File system commands (ISO/IEC 7816-4 §7, §11.2–11.3; ISO/IEC 7816-9 for CREATE/DELETE
//! FILE): SELECT, READ BINARY, and the personalization-only UPDATE BINARY, CREATE FILE and
//! DELETE FILE, with the file references (current EF, SFI, FID) they share.

use ektp_iso7816::tlv::{self, Reader};
use ektp_iso7816::{CommandApdu, Fid, Ins, ResponseApdu, Sfi, StatusWord};
use ektp_lds::Lifecycle;

use super::dispatch::{Answer, check_le_at_least, done, le_is_wildcard, no_data, ok, p1p2};
use super::profile::{Access, FileSpec, Location};
use super::state::StoredFile;
use super::{Auth, Chip, Df};

/// How a command names its file.
pub(super) enum FileRef {
    Current,
    Sfi(Sfi),
    Fid(Fid),
    /// A reserved FID (`3FFF`, `FFFF`) that no file can have: file not found.
    Reserved,
}

impl Chip {
    pub(super) fn location(df: Df) -> Location {
        match df {
            Df::Mf => Location::Mf,
            Df::Application => Location::Application,
        }
    }

    /// The spec of a created file in `location` with this FID.
    pub(super) fn existing(&self, location: Location, fid: Fid) -> Option<&FileSpec> {
        self.state
            .profile
            .file(fid)
            .filter(|s| s.location == location && self.state.file(fid).is_some())
    }

    pub(super) fn fcp(&self, spec: &FileSpec) -> Vec<u8> {
        let size = self.state.file(spec.fid).map_or(0, |f| f.data.len());
        let size = u16::try_from(size).unwrap_or(u16::MAX);
        let mut w = tlv::Writer::new();
        w.put(0x80, &size.to_be_bytes())
            .put(0x82, &[0x01])
            .put(0x83, &spec.fid.to_bytes());
        if let Some(sfi) = spec.sfi {
            // ISO 7816-4 §7.4.3 Table 12: the SFI in bits 8 to 4.
            w.put(0x88, &[sfi.value().wrapping_shl(3)]);
        }
        w.into_bytes()
    }

    pub(super) fn df_fcp(&self, df: Df) -> Vec<u8> {
        let mut w = tlv::Writer::new();
        w.put(0x82, &[0x38]);
        match df {
            Df::Mf => w.put(0x83, &[0x3F, 0x00]),
            Df::Application => w.put(0x84, &self.state.profile.aid),
        };
        w.into_bytes()
    }

    /// ISO 7816-4 §11.2.2 SELECT.
    pub(super) fn select(&mut self, cmd: &CommandApdu) -> Answer {
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
                if fid == Fid::MF.value() && cmd.p1 == 0x00 {
                    (Df::Mf, None)
                } else {
                    let fid = Fid::new(fid).map_err(|_| StatusWord::FILE_NOT_FOUND)?;
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
    pub(super) fn resolve(&mut self, r: FileRef) -> Result<Fid, StatusWord> {
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
            FileRef::Reserved => return Err(StatusWord::FILE_NOT_FOUND),
        };
        if self.existing(here, fid).is_none() {
            return Err(StatusWord::FILE_NOT_FOUND);
        }
        self.vol.ef = Some(fid);
        Ok(fid)
    }

    /// P1 P2 of the odd-INS variants (ISO 7816-4 §7.2.2): `0000` current EF, `0001`..`001E`
    /// SFI, otherwise a FID.
    pub(super) fn odd_file_ref(cmd: &CommandApdu) -> FileRef {
        match u16::from_be_bytes([cmd.p1, cmd.p2]) {
            0 => FileRef::Current,
            n @ 1..=30 => u8::try_from(n)
                .ok()
                .and_then(|n| Sfi::new(n).ok())
                .map_or(FileRef::Reserved, FileRef::Sfi),
            n => Fid::new(n).map_or(FileRef::Reserved, FileRef::Fid),
        }
    }

    /// Even INS: P1 `100x xxxx` names an SFI with the offset in P2, otherwise a 15-bit
    /// offset into the current EF.
    pub(super) fn even_file_ref(cmd: &CommandApdu) -> Result<(FileRef, usize), StatusWord> {
        if cmd.p1 & 0x80 != 0 {
            if cmd.p1 & 0x60 != 0 {
                return Err(StatusWord::INCORRECT_P1P2);
            }
            let sfi = Sfi::new(cmd.p1 & 0x1F).map_err(|_| StatusWord::INCORRECT_P1P2)?;
            Ok((FileRef::Sfi(sfi), usize::from(cmd.p2)))
        } else {
            let off = u16::from_be_bytes([cmd.p1, cmd.p2]);
            Ok((FileRef::Current, usize::from(off)))
        }
    }

    pub(super) fn may_read(&self, spec: &FileSpec, auth: Auth) -> bool {
        match spec.access {
            Access::Always => true,
            Access::Pace => {
                auth == Auth::Pace
                    || (auth == Auth::Perso && self.state.lifecycle == Lifecycle::Personalizing)
            }
            Access::TerminalAuth => self.eac_may_read(spec.fid, auth),
        }
    }

    /// ISO 7816-4 §11.2.3 READ BINARY (`B0`, and `B1` with offset DO `54`, answer in DO `53`).
    pub(super) fn read_binary(&mut self, cmd: &CommandApdu, auth: Auth, budget: usize) -> Answer {
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

    /// UPDATE BINARY (`D6`; `D7` with DO `54` offset and DO `53` data).
    pub(super) fn update_binary(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
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
    pub(super) fn resolve_any(&mut self, r: FileRef) -> Result<Fid, StatusWord> {
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
            FileRef::Reserved => return Err(StatusWord::FILE_NOT_FOUND),
        };
        if self.state.file(fid).is_none() {
            return Err(StatusWord::FILE_NOT_FOUND);
        }
        self.vol.ef = Some(fid);
        Ok(fid)
    }

    /// CREATE FILE with an FCP template `62 {80 02 size, 82 01 01, 83 02 FID, [88 01 SFI<<3]}`.
    pub(super) fn create_file(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
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
    pub(super) fn delete_file(&mut self, cmd: &CommandApdu, auth: Auth) -> Answer {
        self.perso_gate(auth)?;
        p1p2(cmd, 0, 0)?;
        let [hi, lo] =
            <[u8; 2]>::try_from(cmd.data.as_slice()).map_err(|_| StatusWord::WRONG_LENGTH)?;
        let fid = Fid::new(u16::from_be_bytes([hi, lo])).map_err(|_| StatusWord::FILE_NOT_FOUND)?;
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
    fid: Fid,
    sfi: Option<Sfi>,
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
    let fid = Fid::new(two(fid)?).map_err(|_| StatusWord::WRONG_DATA)?;
    if size == 0 || fid == Fid::MF {
        return Err(StatusWord::WRONG_DATA);
    }
    let sfi = match sfi {
        None => None,
        Some([b]) if b & 0x07 == 0 => Some(Sfi::new(b >> 3).map_err(|_| StatusWord::WRONG_DATA)?),
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
        assert_eq!(
            (f.fid.value(), f.sfi.map(Sfi::value), f.size),
            (0x0101, Some(1), 256)
        );
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
