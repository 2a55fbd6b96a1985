//! The list of revoked document numbers (lost, stolen, replaced cards) a pickup desk checks.
//!
//! The department's list is signed and dated ([`ektp_pki::revocation_list`]):
//! [`RevocationList::load_signed`] checks its signature, its signer's chain to a trusted CSCA
//! and its freshness, and refuses the whole list on any failure (fail closed). The older
//! plain text file ([`RevocationList::load`]) has no signature and no freshness, so it proves
//! only what the operator who installed it vouches for: TEST setups only. It is read strictly: every line is one document number
//! (normalised: surrounding whitespace trimmed, upper-cased, a UTF-8 byte order mark at the
//! start ignored), and any other line makes the whole file a [`RevocationListError`] naming
//! the line — never a silently shorter list. A verification without a list reports the
//! `not_revoked` check as not made (SKIP), not as passed.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::Error;

/// Most document numbers a revocation list file may hold.
pub const MAX_REVOKED: usize = 1_000_000;

/// Longest revocation list file read: [`MAX_REVOKED`] lines of a 9-character number with a
/// comment each leave room; anything larger is not a revocation list.
pub const MAX_REVOCATION_FILE_LEN: u64 = 64 * 1024 * 1024;

/// Longest document number (ICAO 9303 TD1: 9 characters).
const MAX_DOCUMENT_NUMBER_LEN: usize = 9;

/// The UTF-8 byte order mark some editors put at the start of a text file.
const BOM: char = '\u{FEFF}';

/// Document numbers the department has revoked (lost, stolen, replaced cards).
///
/// [`RevocationList::new`] is *no list*: verification then reports `not_revoked` as not
/// checked. A list read with [`parse`](Self::parse) or [`load`](Self::load), one made with
/// [`empty`](Self::empty), or one a number was [`revoke`](Self::revoke)d on is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevocationList {
    numbers: BTreeSet<String>,
    given: bool,
    signed: Option<SignedListInfo>,
}

/// Where a signed list came from: its number, dates and signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedListInfo {
    /// The list's number (grows with each list issued).
    pub list_number: u64,
    /// thisUpdate, Unix seconds.
    pub this_update: i64,
    /// nextUpdate, Unix seconds: after it the list is refused as stale.
    pub next_update: i64,
    /// The revocation signer's subject.
    pub signer: String,
}

/// What is wrong with a line of a revocation list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListProblem {
    /// The line is not 1 to 9 letters and digits.
    NotADocumentNumber,
    /// More than [`MAX_REVOKED`] numbers.
    TooLong,
    /// The file is larger than [`MAX_REVOCATION_FILE_LEN`].
    FileTooLarge,
    /// The bytes are not UTF-8 text.
    NotText,
}

impl core::fmt::Display for ListProblem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::NotADocumentNumber => {
                "not a document number (each line holds one document number of 1 to 9 letters \
                 and digits; `#` starts a comment)"
            }
            Self::TooLong => "more than 1,000,000 document numbers",
            Self::FileTooLarge => "the file is larger than 64 MiB: not a revocation list",
            Self::NotText => "not UTF-8 text",
        })
    }
}

/// A revocation list that cannot be used: a file problem for the operator to fix, never a
/// card error. The offending line's text is not repeated (it could be anything).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("revocation list {}line {line}: {problem}; fix the file or ask for a new list", self.file_prefix())]
pub struct RevocationListError {
    /// The file, when the list was loaded from one.
    pub path: Option<PathBuf>,
    /// The 1-based line (0 for the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub problem: ListProblem,
}

impl RevocationListError {
    fn file_prefix(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(String::new, |p| format!("{}, ", p.display()))
    }
}

/// One document number as the list and DG1 compare it: trimmed and upper-cased (MRZ
/// characters are upper case; a list typed by hand may not be).
fn normalise(document_number: &str) -> String {
    document_number.trim().to_ascii_uppercase()
}

impl RevocationList {
    /// No list: verification reports the `not_revoked` check as not made (SKIP).
    pub fn new() -> Self {
        Self::default()
    }

    /// A list that revokes nothing (checked: `not_revoked` passes).
    pub fn empty() -> Self {
        Self {
            numbers: BTreeSet::new(),
            given: true,
            signed: None,
        }
    }

    /// The list a signed revocation list verified to.
    pub fn from_verified(verified: &ektp_pki::revocation_list::VerifiedRevocationList) -> Self {
        let d = &verified.documents;
        Self {
            numbers: d.revoked().iter().cloned().collect(),
            given: true,
            signed: Some(SignedListInfo {
                list_number: d.list_number,
                this_update: d.this_update,
                next_update: d.next_update,
                signer: verified.signer.clone(),
            }),
        }
    }

    /// Loads and verifies a signed revocation list (DER CMS, see
    /// [`ektp_pki::revocation_list`]) at `at` against the CSCAs and CRLs in `trust`.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; [`Error::Pki`] if the list is malformed,
    /// unsigned, signed by anyone but a revocation signer under a trusted CSCA, or stale.
    pub fn load_signed(
        path: &Path,
        trust: &ektp_pki::TrustStore,
        at: std::time::SystemTime,
    ) -> Result<Self, Error> {
        let io = |e| Error::Io {
            what: "revocation list",
            source: e,
        };
        let limit = ektp_pki::revocation_list::MAX_REVOCATION_LIST_LEN;
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .map_err(io)?
            .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        let verified = ektp_pki::revocation_list::verify_revocation_list(&bytes, trust, at)?;
        Ok(Self::from_verified(&verified))
    }

    /// The signed list's number, dates and signer; `None` for a plain text (TEST) list.
    pub fn signed(&self) -> Option<&SignedListInfo> {
        self.signed.as_ref()
    }

    /// Whether a list was given (read, made with [`empty`](Self::empty), or a number revoked).
    /// Without one, nothing can be said about revocation.
    pub fn is_given(&self) -> bool {
        self.given
    }

    /// How many document numbers are revoked.
    pub fn len(&self) -> usize {
        self.numbers.len()
    }

    /// Whether no document number is revoked.
    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }

    /// Adds a document number (trimmed, upper-cased); the list counts as given from then on.
    pub fn revoke(&mut self, document_number: &str) {
        self.given = true;
        self.numbers.insert(normalise(document_number));
    }

    /// Whether `document_number` is revoked (compared trimmed and upper-cased).
    pub fn is_revoked(&self, document_number: &str) -> bool {
        self.numbers.contains(&normalise(document_number))
    }

    /// Parses a list: one document number per line (case and surrounding whitespace do not
    /// matter); blank lines and `#` comments ignored; a UTF-8 byte order mark at the start
    /// ignored.
    ///
    /// # Errors
    /// [`Error::RevocationList`] naming the first line that is not a document number, or a
    /// list over [`MAX_REVOKED`] numbers.
    pub fn parse(text: &str) -> Result<Self, Error> {
        Self::parse_lines(text).map_err(Error::RevocationList)
    }

    fn parse_lines(text: &str) -> Result<Self, RevocationListError> {
        let text = text.strip_prefix(BOM).unwrap_or(text);
        let mut list = Self::empty();
        for (index, line) in text.lines().enumerate() {
            let fail = |problem| RevocationListError {
                path: None,
                line: index.saturating_add(1),
                problem,
            };
            let number = line.split('#').next().unwrap_or_default().trim();
            if number.is_empty() {
                continue;
            }
            if number.len() > MAX_DOCUMENT_NUMBER_LEN
                || !number.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Err(fail(ListProblem::NotADocumentNumber));
            }
            if list.numbers.len() >= MAX_REVOKED {
                return Err(fail(ListProblem::TooLong));
            }
            list.revoke(number);
        }
        Ok(list)
    }

    /// Loads a list from a file (as [`parse`](Self::parse)); errors name the file.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read, [`Error::RevocationList`] (with the path and
    /// line) if it is not a revocation list.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let with_path = |mut e: RevocationListError| {
            e.path = Some(path.to_path_buf());
            Error::RevocationList(e)
        };
        let file = std::fs::File::open(path).map_err(|e| Error::Io {
            what: "revocation list",
            source: e,
        })?;
        let mut bytes = Vec::new();
        file.take(MAX_REVOCATION_FILE_LEN.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Io {
                what: "revocation list",
                source: e,
            })?;
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_REVOCATION_FILE_LEN {
            return Err(with_path(RevocationListError {
                path: None,
                line: 0,
                problem: ListProblem::FileTooLarge,
            }));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let good = e
                .as_bytes()
                .get(..e.utf8_error().valid_up_to())
                .unwrap_or(&[]);
            let line = good
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                .saturating_add(1);
            with_path(RevocationListError {
                path: None,
                line,
                problem: ListProblem::NotText,
            })
        })?;
        Self::parse_lines(&text).map_err(with_path)
    }
}

/// The `not_revoked` check of a verification: `None` when no list was given (not checked),
/// else passed or failed with the reason.
pub(crate) fn check_not_revoked(
    list: &RevocationList,
    document_number: &str,
) -> Option<crate::reason::Verdict> {
    if !list.is_given() {
        return None;
    }
    let revoked = list.is_revoked(document_number);
    let id = if revoked {
        "check-not-revoked-revoked"
    } else {
        "check-not-revoked-ok"
    };
    let message = ektp_i18n::Message::new(id).arg("doc", document_number);
    Some(if revoked { Err(message) } else { Ok(message) })
}

/// The reason a `not_revoked` check that was not made shows.
pub(crate) fn not_checked() -> ektp_i18n::Message {
    ektp_i18n::Message::new("check-not-revoked-skip")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn lower_case_revoked_entry_still_revokes() {
        let list = RevocationList::parse("ida000001\n  IDA000002 \r\n").unwrap();
        assert!(list.is_revoked("IDA000001"));
        assert!(list.is_revoked("IDA000002"));
        assert!(!list.is_revoked("IDA000003"));
        let mut by_hand = RevocationList::new();
        by_hand.revoke("ida000009");
        assert!(by_hand.is_revoked("IDA000009"));
    }

    #[test]
    fn bom_list_is_read() {
        let list = RevocationList::parse("\u{FEFF}IDA000001\n# lost\nIDA000002\n").unwrap();
        assert!(list.is_revoked("IDA000001"));
        assert!(list.is_revoked("IDA000002"));
        assert_eq!(list.len(), 2);

        let dir = std::env::temp_dir().join(format!("ektp-revocation-bom-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("revoked.txt");
        std::fs::write(&path, b"\xEF\xBB\xBFIDA000001\r\n").unwrap();
        assert!(RevocationList::load(&path).unwrap().is_revoked("IDA000001"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn malformed_list_is_a_file_error() {
        let dir = std::env::temp_dir().join(format!("ektp-revocation-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("revoked.txt");
        std::fs::write(&path, "IDA000001\n\nIDA-00002\n").unwrap();
        let e = RevocationList::load(&path).unwrap_err();
        match &e {
            Error::RevocationList(RevocationListError {
                path: Some(p),
                line: 3,
                problem: ListProblem::NotADocumentNumber,
            }) => assert_eq!(p, &path),
            other => panic!("not a file error naming the line: {other:?}"),
        }
        let text = e.to_string();
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(text.contains("line 3"), "{text}");
        assert!(!text.contains("card"), "{text}");

        std::fs::write(&path, b"IDA000001\n\xFF\xFE\n").unwrap();
        let e = RevocationList::load(&path).unwrap_err();
        assert!(
            matches!(
                e,
                Error::RevocationList(RevocationListError {
                    line: 2,
                    problem: ListProblem::NotText,
                    ..
                })
            ),
            "{e:?}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn signed_list_is_checked_and_a_stale_one_refused() {
        use ektp_pki::revocation_list::{ListFailure, RevokedDocuments, sign_revocation_list};
        let dir =
            std::env::temp_dir().join(format!("ektp-revocation-signed-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let now = std::time::SystemTime::now();
        let files = ektp_pki::test_pki::generate_test_pki(&dir, now).unwrap();
        let trust = ektp_pki::TrustStore::load_dir(&files.trust_dir).unwrap();
        let signer = ektp_pki::RingSigner::from_files(
            &files.revocation_signer.1,
            &files.revocation_signer.0,
        )
        .unwrap();
        let t =
            i64::try_from(now.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()).unwrap();
        let docs = RevokedDocuments::new(1, t - 60, t + 3600, ["IDA000001".to_owned()]).unwrap();
        let path = dir.join("revocations.der");
        std::fs::write(&path, sign_revocation_list(&docs, &signer, now).unwrap()).unwrap();
        let list = RevocationList::load_signed(&path, &trust, now).unwrap();
        assert!(list.is_revoked("IDA000001"));
        assert!(!list.is_revoked("IDA000002"));
        assert_eq!(list.signed().unwrap().list_number, 1);
        let later = now + std::time::Duration::from_secs(7200);
        assert!(matches!(
            RevocationList::load_signed(&path, &trust, later),
            Err(Error::Pki(ektp_pki::PkiError::RevocationList(
                ListFailure::Stale { .. }
            )))
        ));
        // The plain text loader does not take a signed list as text.
        assert!(RevocationList::load(&path).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_list_is_not_checked_not_pass() {
        assert!(!RevocationList::new().is_given());
        assert_eq!(check_not_revoked(&RevocationList::new(), "IDA000001"), None);
        assert!(matches!(
            check_not_revoked(&RevocationList::empty(), "IDA000001"),
            Some(Ok(_))
        ));
        assert!(RevocationList::parse("").unwrap().is_given());
    }
}
