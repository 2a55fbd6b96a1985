//! What is read from a card: raw files, kept exactly as read, and their decoded forms.

use std::collections::BTreeMap;

use ektp_iso7816::CardTransport;
use ektp_lds::profile::ReadAccess;
use ektp_lds::{Dg1, Dg11, Dg12, Dg13, DgNumber, EfCom, HolderRecord, LdsFile};
use ektp_pki::EfSod;

use crate::Error;
use crate::session::SecureSession;

/// Raw files read from a card, by file. Hash these bytes, never a re-encoding.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CardFiles {
    files: BTreeMap<LdsFile, Vec<u8>>,
}

impl core::fmt::Debug for CardFiles {
    /// Lists the files and their sizes, never their content (personal data).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_map()
            .entries(self.files.iter().map(|(k, v)| (k, v.len())))
            .finish()
    }
}

impl CardFiles {
    /// Stores a file's raw bytes.
    pub fn insert(&mut self, file: LdsFile, raw: Vec<u8>) {
        self.files.insert(file, raw);
    }

    /// A file's raw bytes, if read.
    pub fn get(&self, file: LdsFile) -> Option<&[u8]> {
        self.files.get(&file).map(Vec::as_slice)
    }

    /// A data group's raw bytes, if read.
    pub fn dg(&self, dg: DgNumber) -> Option<&[u8]> {
        self.get(LdsFile::Dg(dg))
    }

    /// The data groups read, in number order, as `(number, raw bytes)` for Passive
    /// Authentication.
    pub fn data_groups(&self) -> Vec<(DgNumber, &[u8])> {
        self.files
            .iter()
            .filter_map(|(file, raw)| match file {
                LdsFile::Dg(n) => Some((*n, raw.as_slice())),
                _ => None,
            })
            .collect()
    }

    fn need(&self, dg: DgNumber) -> Result<&[u8], Error> {
        self.dg(dg).ok_or(Error::Malformed {
            what: "a data group needed for the holder record was not read",
        })
    }

    /// The holder record rebuilt from DG1, DG11, DG12 and DG13.
    ///
    /// # Errors
    /// [`Error::Lds`] if a data group is malformed or they disagree; [`Error::Malformed`] if
    /// one was not read.
    pub fn holder_record(&self) -> Result<HolderRecord, Error> {
        let dg1 = Dg1::decode(self.need(DgNumber::DG1)?)?;
        let dg11 = Dg11::decode(self.need(DgNumber::DG11)?)?;
        let dg12 = Dg12::decode(self.need(DgNumber::DG12)?)?;
        let dg13 = Dg13::decode(self.need(DgNumber::DG13)?)?;
        Ok(HolderRecord::from_data_groups(&dg1, &dg11, &dg12, &dg13)?)
    }
}

/// Which parts of the card to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadRequest {
    /// DG1 (MRZ: document number, sex, expiry, nationality).
    pub dg1: bool,
    /// DG2 (portrait).
    pub portrait: bool,
    /// DG7 (signature image).
    pub signature: bool,
    /// DG11 (name, NIK, birth, address, occupation).
    pub dg11: bool,
    /// DG12 (issuing office, date of issue).
    pub dg12: bool,
    /// DG13 (Indonesian fields).
    pub dg13: bool,
    /// DG14, DG15 and EF.SOD (what verification needs).
    pub security: bool,
}

impl ReadRequest {
    /// Everything PACE opens.
    pub const ALL: Self = Self {
        dg1: true,
        portrait: true,
        signature: true,
        dg11: true,
        dg12: true,
        dg13: true,
        security: true,
    };

    /// The holder record (DG1, DG11, DG12, DG13) without images or security objects.
    pub const HOLDER: Self = Self {
        dg1: true,
        portrait: false,
        signature: false,
        dg11: true,
        dg12: true,
        dg13: true,
        security: false,
    };

    fn files(&self) -> Vec<LdsFile> {
        let mut out = Vec::new();
        let pick = [
            (self.dg1, DgNumber::DG1),
            (self.portrait, DgNumber::DG2),
            (self.signature, DgNumber::DG7),
            (self.dg11, DgNumber::DG11),
            (self.dg12, DgNumber::DG12),
            (self.dg13, DgNumber::DG13),
            (self.security, DgNumber::DG14),
            (self.security, DgNumber::DG15),
        ];
        out.extend(
            pick.iter()
                .filter(|(on, _)| *on)
                .map(|(_, dg)| LdsFile::Dg(*dg)),
        );
        if self.security {
            out.push(LdsFile::Sod);
        }
        out
    }
}

impl<T: CardTransport> SecureSession<'_, T> {
    /// Reads the requested files that the card profile lets PACE read (DG3 needs Terminal
    /// Authentication and is never read here).
    ///
    /// Which data groups exist is taken from what is signed: with
    /// [`ReadRequest::security`] EF.SOD is read first and every requested data group it lists
    /// is read (ICAO 9303-10 §4.6.1 deprecates EF.COM for this: it is unsigned, and a card
    /// whose EF.COM hid a data group would keep it from being checked). EF.COM is then read
    /// and kept as it is, but decides nothing. Without `security` nothing is verified, and
    /// EF.COM (one short read) says which groups to read.
    ///
    /// # Errors
    /// The first read that fails.
    pub fn read_files(&mut self, request: ReadRequest) -> Result<CardFiles, Error> {
        let mut files = CardFiles::default();
        let listed: Vec<DgNumber> = if request.security {
            let sod_raw = self.read(LdsFile::Sod)?;
            // An EF.SOD that does not parse lists nothing: Passive Authentication says why.
            let listed = EfSod::from_bytes(&sod_raw)
                .map(|sod| sod.data_groups())
                .unwrap_or_default();
            files.insert(LdsFile::Sod, sod_raw);
            // Kept as read (a station compares it with what it wrote), never trusted.
            let com_raw = self.read(LdsFile::Com)?;
            files.insert(LdsFile::Com, com_raw);
            listed
        } else {
            let com_raw = self.read(LdsFile::Com)?;
            let listed = EfCom::decode(&com_raw)?.data_groups().to_vec();
            files.insert(LdsFile::Com, com_raw);
            listed
        };
        for file in request.files() {
            if files.get(file).is_some() {
                continue;
            }
            if let LdsFile::Dg(dg) = file
                && !listed.contains(&dg)
            {
                continue;
            }
            let readable = self
                .profile()
                .file(file)
                .is_some_and(|spec| matches!(spec.read, ReadAccess::Always | ReadAccess::Pace));
            if !readable {
                continue;
            }
            let raw = self.read(file)?;
            files.insert(file, raw);
        }
        Ok(files)
    }
}
