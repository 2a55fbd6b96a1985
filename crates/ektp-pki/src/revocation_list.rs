//! The department's signed revocation list: revoked e-KTP document numbers, dated, in CMS
//! SignedData (RFC 5652), signed by a *revocation signer* whose certificate the CSCA issued.
//!
//! Desks and agencies check it offline, like a document signer: signature, chain to a trusted
//! root, validity, the CSCA's CRL, and freshness (`thisUpdate <= now < nextUpdate`). Every
//! failure refuses the whole list (fail closed): a stale, unsigned, wrongly signed or malformed
//! list is never used as "nothing revoked".
//!
//! The file is a DER `ContentInfo` (what `openssl cms -verify -inform DER` reads):
//!
//! ```text
//! ContentInfo { id-signedData, SignedData v3 {
//!     encapContentInfo { eContentType id-ektp-revocationList (oid::REVOCATION_LIST),
//!                        eContent OCTET STRING (DER RevokedDocuments) },
//!     certificates { the revocation signer certificate },
//!     signerInfos { one SignerInfo, signed attributes content-type, signing-time,
//!                   message-digest } } }
//!
//! RevokedDocuments ::= SEQUENCE {
//!     version      INTEGER (0),
//!     listNumber   INTEGER (0..MAX),                -- grows with each list issued
//!     thisUpdate   GeneralizedTime,
//!     nextUpdate   GeneralizedTime,                 -- after thisUpdate
//!     revoked      SEQUENCE SIZE (0..MAX_REVOKED_DOCUMENTS) OF
//!                      PrintableString (SIZE (1..9)) }  -- [0-9A-Z], strictly ascending
//! ```
//!
//! The revocation signer certificate is an end entity under the CSCA with key usage
//! digitalSignature and the extended key usage [`oid::REVOCATION_SIGNER`]; a document signer
//! certificate (which lacks that purpose) cannot sign a list.

use std::time::{Duration, SystemTime};

use der::asn1::{Any, GeneralizedTime};
use der::{Decode, Encode, Sequence, Tag};

use crate::alg::{DigestAlgorithm, PublicKey, SignatureAlgorithm, oid};
use crate::cms::{ContentInfo, SignedData, SignerInfo};
use crate::error::{DecodeKind, PkiError, Result, Structure};
use crate::pa::{Failure, check_chain, find_certificate, unix_time};
use crate::signer::Signer;
use crate::trust::TrustStore;

/// Largest signed revocation list accepted (4 million numbers of 9 characters fit).
pub const MAX_REVOCATION_LIST_LEN: usize = 64 * 1024 * 1024;

/// Most document numbers one list may hold.
pub const MAX_REVOKED_DOCUMENTS: usize = 4_000_000;

/// Longest document number (ICAO 9303 TD1: 9 characters).
pub const MAX_DOCUMENT_NUMBER_LEN: usize = 9;

/// Why a well-formed signed revocation list is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ListFailure {
    /// No SignerInfo, or one without signed attributes: nothing vouches for the list.
    #[error("the list is not signed; ask the department for a signed list")]
    Unsigned,
    /// The signature, the signer certificate or its chain to a trusted CSCA failed.
    #[error(
        "signer not trusted: {0}; check the trust directory holds the CSCA and its current CRL"
    )]
    Signer(Failure),
    /// The signer certificate is not a revocation signer (no extended key usage
    /// [`oid::REVOCATION_SIGNER`]), e.g. a document signer.
    #[error(
        "signed by a certificate that is not a revocation signer (extended key usage {})",
        oid::REVOCATION_SIGNER
    )]
    NotRevocationSigner,
    /// The check time is before the list's thisUpdate.
    #[error("the list is not valid yet (thisUpdate {}); check the desk's clock", crate::time::fmt_time(*this_update))]
    NotYetValid {
        /// thisUpdate, Unix seconds.
        this_update: i64,
    },
    /// The check time is at or after the list's nextUpdate.
    #[error("the list is stale (nextUpdate {}); fetch the current list (`ektp registry export-revocations`)", crate::time::fmt_time(*next_update))]
    Stale {
        /// nextUpdate, Unix seconds.
        next_update: i64,
    },
}

/// The content of a revocation list: its number, dates and revoked document numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokedDocuments {
    /// Grows with each list the department issues.
    pub list_number: u64,
    /// When this list was made, Unix seconds.
    pub this_update: i64,
    /// When the next list is due; after it this list is stale. Unix seconds.
    pub next_update: i64,
    /// Revoked document numbers, upper case, strictly ascending.
    revoked: Vec<String>,
}

/// The DER shape of [`RevokedDocuments`] (module docs), the list kept raw.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct RevokedDocumentsDer {
    version: u8,
    list_number: u64,
    this_update: GeneralizedTime,
    next_update: GeneralizedTime,
    revoked: Any,
}

fn malformed(kind: DecodeKind) -> PkiError {
    PkiError::decode(Structure::RevocationList, kind)
}

fn valid_number(n: &[u8]) -> bool {
    !n.is_empty()
        && n.len() <= MAX_DOCUMENT_NUMBER_LEN
        && n.iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

fn time(secs: i64) -> Result<GeneralizedTime> {
    let secs = u64::try_from(secs).map_err(|_| PkiError::TimeOutOfRange)?;
    GeneralizedTime::from_unix_duration(Duration::from_secs(secs))
        .map_err(|_| PkiError::TimeOutOfRange)
}

fn secs(t: GeneralizedTime) -> Result<i64> {
    i64::try_from(t.to_unix_duration().as_secs()).map_err(|_| PkiError::TimeOutOfRange)
}

impl RevokedDocuments {
    /// A list of `revoked` (upper-cased, sorted, duplicates dropped).
    ///
    /// # Errors
    /// [`PkiError::Decode`] ([`Structure::RevocationList`]) if a number is not 1 to 9 letters
    /// and digits, there are more than [`MAX_REVOKED_DOCUMENTS`], or `next_update` is not
    /// after `this_update`.
    pub fn new(
        list_number: u64,
        this_update: i64,
        next_update: i64,
        revoked: impl IntoIterator<Item = String>,
    ) -> Result<Self> {
        let mut numbers: Vec<String> = revoked
            .into_iter()
            .map(|n| n.trim().to_ascii_uppercase())
            .collect();
        if numbers.len() > MAX_REVOKED_DOCUMENTS {
            return Err(malformed(DecodeKind::TooMany("revoked document number")));
        }
        if !numbers.iter().all(|n| valid_number(n.as_bytes())) {
            return Err(malformed(DecodeKind::MissingField(
                "a document number of 1 to 9 letters and digits",
            )));
        }
        if next_update <= this_update {
            return Err(malformed(DecodeKind::MissingField(
                "nextUpdate after thisUpdate",
            )));
        }
        numbers.sort_unstable();
        numbers.dedup();
        Ok(Self {
            list_number,
            this_update,
            next_update,
            revoked: numbers,
        })
    }

    /// The revoked document numbers, strictly ascending.
    pub fn revoked(&self) -> &[String] {
        &self.revoked
    }

    /// Whether `document_number` (trimmed, upper-cased) is revoked.
    pub fn is_revoked(&self, document_number: &str) -> bool {
        let n = document_number.trim().to_ascii_uppercase();
        self.revoked.binary_search(&n).is_ok()
    }

    /// The DER `RevokedDocuments` (module docs).
    ///
    /// # Errors
    /// [`PkiError::Encode`] or [`PkiError::TimeOutOfRange`] (not expected for valid lists).
    pub fn to_der(&self) -> Result<Vec<u8>> {
        let mut content = Vec::with_capacity(
            self.revoked
                .len()
                .saturating_mul(MAX_DOCUMENT_NUMBER_LEN + 2),
        );
        for n in &self.revoked {
            // PrintableString, short-form length (<= 9).
            content.push(0x13);
            content.push(u8::try_from(n.len()).map_err(|_| PkiError::TimeOutOfRange)?);
            content.extend_from_slice(n.as_bytes());
        }
        RevokedDocumentsDer {
            version: 0,
            list_number: self.list_number,
            this_update: time(self.this_update)?,
            next_update: time(self.next_update)?,
            revoked: Any::new(Tag::Sequence, content).map_err(PkiError::Encode)?,
        }
        .to_der()
        .map_err(PkiError::Encode)
    }

    /// Parses a DER `RevokedDocuments`, strictly: version 0, nextUpdate after thisUpdate, at
    /// most [`MAX_REVOKED_DOCUMENTS`] PrintableStrings of 1 to 9 `[0-9A-Z]`, strictly
    /// ascending (so no duplicates and one encoding per list).
    ///
    /// # Errors
    /// [`PkiError::Decode`] with [`Structure::RevocationList`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        if der.len() > MAX_REVOCATION_LIST_LEN {
            return Err(malformed(DecodeKind::TooLong {
                len: der.len(),
                max: MAX_REVOCATION_LIST_LEN,
            }));
        }
        let d = RevokedDocumentsDer::from_der(der)
            .map_err(|e| PkiError::der(Structure::RevocationList, e))?;
        if d.version != 0 {
            return Err(malformed(DecodeKind::UnsupportedVersion(d.version.into())));
        }
        if der::Tagged::tag(&d.revoked) != Tag::Sequence {
            return Err(malformed(DecodeKind::MissingField(
                "SEQUENCE OF revoked document numbers",
            )));
        }
        let (this_update, next_update) = (secs(d.this_update)?, secs(d.next_update)?);
        if next_update <= this_update {
            return Err(malformed(DecodeKind::MissingField(
                "nextUpdate after thisUpdate",
            )));
        }
        let revoked = parse_numbers(d.revoked.value())?;
        Ok(Self {
            list_number: d.list_number,
            this_update,
            next_update,
            revoked,
        })
    }
}

/// The SEQUENCE OF PrintableString content, element by element.
fn parse_numbers(mut rest: &[u8]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut offset = 0usize;
    while !rest.is_empty() {
        let at = |kind| PkiError::Decode {
            structure: Structure::RevocationList,
            kind,
            offset,
        };
        if out.len() >= MAX_REVOKED_DOCUMENTS {
            return Err(at(DecodeKind::TooMany("revoked document number")));
        }
        let (tag, len) = match rest {
            [tag, len, ..] => (*tag, usize::from(*len)),
            _ => return Err(at(DecodeKind::TrailingData)),
        };
        if tag != 0x13 {
            return Err(at(DecodeKind::UnexpectedTag {
                expected: 0x13,
                found: Some(tag),
            }));
        }
        let number = rest
            .get(2..len.saturating_add(2))
            .filter(|n| valid_number(n))
            .ok_or_else(|| {
                at(DecodeKind::MissingField(
                    "a document number of 1 to 9 letters and digits",
                ))
            })?;
        let number = String::from_utf8(number.to_vec())
            .map_err(|_| at(DecodeKind::MissingField("a document number")))?;
        if out.last().is_some_and(|last| *last >= number) {
            return Err(at(DecodeKind::MissingField(
                "document numbers in strictly ascending order",
            )));
        }
        out.push(number);
        rest = rest.get(len.saturating_add(2)..).unwrap_or_default();
        offset = offset.saturating_add(len).saturating_add(2);
    }
    Ok(out)
}

/// Signs `list` into a DER ContentInfo (module docs) with a revocation signer.
///
/// # Errors
/// As the list's encoding; [`PkiError::SignerCertificateNotValid`] if the signer's
/// certificate is not valid at `signing_time`; the signer's own error.
pub fn sign_revocation_list(
    list: &RevokedDocuments,
    signer: &dyn Signer,
    signing_time: SystemTime,
) -> Result<Vec<u8>> {
    let content = list.to_der()?;
    crate::sod::sign_content_info(&content, oid::REVOCATION_LIST, signer, signing_time)
}

/// A signed revocation list that passed every check at the time given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedRevocationList {
    /// The list.
    pub documents: RevokedDocuments,
    /// The revocation signer's subject, RFC 4514.
    pub signer: String,
}

fn cms_err(e: der::Error) -> PkiError {
    PkiError::der(Structure::SignedData, e)
}

/// Verifies a signed revocation list at `at` against the CSCAs (and their CRLs) in `trust`.
///
/// Checks, in order, failing closed at the first problem: the DER ContentInfo and SignedData
/// v3 with eContentType [`oid::REVOCATION_LIST`]; exactly one SignerInfo with signed
/// attributes (else [`ListFailure::Unsigned`]); content-type and message-digest attributes;
/// the signer certificate named by the SignerInfo is embedded and its key made the
/// signature; the certificate chains to a trusted CSCA exactly as a document signer does
/// (validity, key usage, country, profile, the CSCA's current CRL); it carries the extended
/// key usage [`oid::REVOCATION_SIGNER`]; the content parses; `thisUpdate <= at < nextUpdate`.
///
/// # Errors
/// [`PkiError::Decode`] for malformed input, [`PkiError::RevocationList`] for a well-formed
/// list that is not acceptable, [`PkiError::UnsupportedAlgorithm`].
pub fn verify_revocation_list(
    bytes: &[u8],
    trust: &TrustStore,
    at: SystemTime,
) -> Result<VerifiedRevocationList> {
    if bytes.len() > MAX_REVOCATION_LIST_LEN {
        return Err(PkiError::decode(
            Structure::SignedData,
            DecodeKind::TooLong {
                len: bytes.len(),
                max: MAX_REVOCATION_LIST_LEN,
            },
        ));
    }
    let s = Structure::SignedData;
    let ci = ContentInfo::from_der(bytes).map_err(cms_err)?;
    if ci.content_type != oid::ID_SIGNED_DATA {
        return Err(PkiError::decode(
            s,
            DecodeKind::UnexpectedContentType(ci.content_type),
        ));
    }
    let sd: SignedData = ci.content.decode_as().map_err(cms_err)?;
    if sd.version != 3 {
        return Err(PkiError::decode(
            s,
            DecodeKind::UnsupportedVersion(sd.version.into()),
        ));
    }
    let eci = &sd.encap_content_info;
    if eci.e_content_type != oid::REVOCATION_LIST {
        return Err(PkiError::decode(
            s,
            DecodeKind::UnexpectedContentType(eci.e_content_type),
        ));
    }
    let e_content = eci
        .e_content
        .as_ref()
        .ok_or_else(|| PkiError::decode(s, DecodeKind::MissingField("eContent")))?
        .as_bytes();
    let signer_info = match sd.signer_infos.elements().map_err(cms_err)?.as_slice() {
        [one] => SignerInfo::from_der(one).map_err(cms_err)?,
        [] => return Err(ListFailure::Unsigned.into()),
        _ => return Err(PkiError::decode(s, DecodeKind::TooMany("SignerInfo"))),
    };
    let signer = check_signature(&sd, &signer_info, e_content, trust, at)?;
    let documents = RevokedDocuments::from_der(e_content)?;
    let t = unix_time(at);
    if t < documents.this_update {
        return Err(ListFailure::NotYetValid {
            this_update: documents.this_update,
        }
        .into());
    }
    if t >= documents.next_update {
        return Err(ListFailure::Stale {
            next_update: documents.next_update,
        }
        .into());
    }
    Ok(VerifiedRevocationList { documents, signer })
}

/// The signed attributes, the signature, the signer's chain and purpose; the signer's subject.
fn check_signature(
    sd: &SignedData,
    si: &SignerInfo,
    e_content: &[u8],
    trust: &TrustStore,
    at: SystemTime,
) -> Result<String> {
    let refuse = |f: Failure| PkiError::RevocationList(ListFailure::Signer(f));
    let attrs_raw = si.signed_attrs.as_ref().ok_or(ListFailure::Unsigned)?;
    let attrs = crate::sod::decode_signed_attributes(attrs_raw)?;
    if attrs.content_type != Some(oid::REVOCATION_LIST) {
        return Err(refuse(Failure::ContentTypeMismatch {
            found: attrs.content_type,
        }));
    }
    let digest = DigestAlgorithm::from_identifier(&si.digest_algorithm)?;
    match &attrs.message_digest {
        None => return Err(refuse(Failure::MessageDigestMissing)),
        Some(md) if *md != digest.digest(e_content) => {
            return Err(refuse(Failure::MessageDigestMismatch));
        }
        Some(_) => {}
    }
    let certificates: Vec<Vec<u8>> = match &sd.certificates {
        Some(set) => set
            .elements()
            .map_err(cms_err)?
            .into_iter()
            .map(<[u8]>::to_vec)
            .collect(),
        None => Vec::new(),
    };
    let (cert_der, cert) = find_certificate(&si.sid, &certificates).map_err(refuse)?;
    let alg = SignatureAlgorithm::from_identifier(&si.signature_algorithm, Some(digest))?;
    let key = PublicKey::from_spki_der(cert.public_key().raw)?;
    let signed = attrs_raw.to_set_der().map_err(cms_err)?;
    key.verify(alg, &signed, si.signature.as_bytes())
        .map_err(|e| refuse(Failure::SignatureInvalid(e)))?;
    check_chain(cert_der, &cert, trust, unix_time(at)).map_err(refuse)?;
    let purpose = cert.extended_key_usage().ok().flatten().is_some_and(|eku| {
        eku.value
            .other
            .iter()
            .any(|o| o.to_id_string() == oid::REVOCATION_SIGNER.to_string())
    });
    if !purpose {
        return Err(ListFailure::NotRevocationSigner.into());
    }
    Ok(cert.subject().to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use proptest::prelude::*;

    fn list(numbers: &[&str]) -> RevokedDocuments {
        RevokedDocuments::new(
            7,
            1_700_000_000,
            1_700_086_400,
            numbers.iter().map(|s| (*s).to_owned()),
        )
        .unwrap()
    }

    #[test]
    fn content_round_trips_sorted_and_deduplicated() {
        let l = list(&["ida000002", "IDA000001", "IDA000002"]);
        assert_eq!(l.revoked(), ["IDA000001", "IDA000002"]);
        let back = RevokedDocuments::from_der(&l.to_der().unwrap()).unwrap();
        assert_eq!(back, l);
        assert!(back.is_revoked("ida000001"));
        assert!(!back.is_revoked("IDA000003"));
    }

    #[test]
    fn unsorted_duplicate_and_bad_numbers_are_malformed() {
        let good = list(&["A1", "B2"]).to_der().unwrap();
        // Swap the two entries: still DER, but not ascending.
        let mut swapped = good.clone();
        let n = swapped.len();
        swapped[n - 4..].copy_from_slice(b"\x13\x02A1");
        swapped[n - 8..n - 4].copy_from_slice(b"\x13\x02B2");
        assert!(matches!(
            RevokedDocuments::from_der(&swapped),
            Err(PkiError::Decode {
                structure: Structure::RevocationList,
                ..
            })
        ));
        let mut dup = good.clone();
        dup[n - 2..].copy_from_slice(b"A1");
        assert!(RevokedDocuments::from_der(&dup).is_err());
        let mut lower = good;
        lower[n - 2] = b'b';
        assert!(RevokedDocuments::from_der(&lower).is_err());
        assert!(RevokedDocuments::new(1, 0, 10, ["IDA-1".to_owned()]).is_err());
        assert!(RevokedDocuments::new(1, 10, 10, Vec::new()).is_err());
    }

    proptest! {
        #[test]
        fn content_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = RevokedDocuments::from_der(&bytes);
            let _ = verify_revocation_list(&bytes, &TrustStore::new(), SystemTime::now());
        }

        #[test]
        fn content_round_trips(numbers in proptest::collection::vec("[0-9A-Z]{1,9}", 0..40)) {
            let l = RevokedDocuments::new(1, 0, 1, numbers).unwrap();
            prop_assert_eq!(RevokedDocuments::from_der(&l.to_der().unwrap()).unwrap(), l);
        }
    }
}
