//! The list of revoked document numbers (lost, stolen, replaced cards) a pickup desk checks.
//!
//! Until the department signs the list (a later issue), the list is a plain text file: it has
//! no signature and no freshness, so it proves only what the operator who installed it
//! vouches for. This module therefore reads it strictly: every line is one document number
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
        }
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
) -> Option<Result<String, String>> {
    if !list.is_given() {
        return None;
    }
    Some(if list.is_revoked(document_number) {
        Err(format!(
            "document number {document_number} is on the revocation list"
        ))
    } else {
        Ok(format!("document number {document_number} is not revoked"))
    })
}

/// The reason a `not_revoked` check that was not made shows.
pub(crate) const NOT_CHECKED: &str =
    "revocation not checked: no revocation list was given (--revoked FILE)";

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
