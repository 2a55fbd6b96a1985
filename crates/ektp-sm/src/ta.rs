//! Terminal Authentication version 1 (BSI TR-03110-1 §3.5 "EAC1", ICAO 9303-11 §7.1) as two
//! sans-I/O state machines, run after Chip Authentication ([`crate::ca`]) inside its secure
//! messaging:
//!
//! * [`host`]: the terminal. For each certificate of its chain (CVCA link certificates, DV,
//!   terminal): MSE:Set DST `00 22 81 B6 {83 CAR}` and PSO:Verify Certificate
//!   `00 2A 00 BE {7F4E body, 5F37 signature}`; then MSE:Set AT `00 22 81 A4 {83 CHR,
//!   91 Comp(PK_PCD)}`, GET CHALLENGE, and EXTERNAL AUTHENTICATE with its signature over
//!   ID_PICC ‖ r_PICC ‖ Comp(PK_PCD) ([`signed_data`]).
//! * [`card`]: the chip, which checks each certificate through a [`card::ChainVerifier`]
//!   (the virtual chip implements it with `ektp_pki::cvc::ChainValidator`: this crate sits
//!   below `ektp-pki` and does not parse certificates itself).
//!
//! With PACE, ID_PICC is Comp(PK_PICC) of the chip's ephemeral PACE key (BSI TR-03110-1
//! §3.5, "EAC1 with PACE"); Comp of an ECDH key is its x-coordinate ([`crate::ca::compressed`]).

pub mod card;
pub mod host;

use der::asn1::ObjectIdentifier;
use ektp_iso7816::tlv;
use ektp_iso7816::{CommandApdu, Ins};

/// `id-TA` = 0.4.0.127.0.7.2.2.2, the protocol of a TerminalAuthenticationInfo
/// (ICAO 9303-11 §9.2.7).
pub const ID_TA: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.2");

/// Length of the chip's challenge r_PICC.
pub const CHALLENGE_LEN: usize = 8;

/// Most certificates one Terminal Authentication sends (link certificates, DV, terminal).
pub const MAX_CHAIN_LEN: usize = 8;

/// Largest Certification Authority Reference or Certificate Holder Reference (BSI
/// TR-03110-3 §A.6.1: at most 16 characters).
pub const MAX_REFERENCE_LEN: usize = 16;

/// One certificate as Terminal Authentication sends it: the CAR that MSE:Set DST selects,
/// and the content of the `7F21` certificate (`7F4E` body ‖ `5F37` signature) that
/// PSO:Verify Certificate carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaCertificate {
    /// The Certification Authority Reference (the issuer's CHR).
    pub car: Vec<u8>,
    /// `7F4E` body ‖ `5F37` signature.
    pub content: Vec<u8>,
}

/// The message the terminal signs: ID_PICC ‖ r_PICC ‖ Comp(PK_PCD) (ICAO 9303-11 §7.1,
/// BSI TR-03110-1 §3.5.1).
pub fn signed_data(id_picc: &[u8], r_picc: &[u8], comp_pk_pcd: &[u8]) -> Vec<u8> {
    [id_picc, r_picc, comp_pk_pcd].concat()
}

/// MSE:Set DST `00 22 81 B6 {83 CAR}`: selects the public key that verifies the next
/// certificate.
pub fn mse_set_dst(car: &[u8]) -> CommandApdu {
    CommandApdu::new(0x00, Ins::ManageSecurityEnvironment, 0x81, 0xB6)
        .with_data(tlv::encode(0x83, car))
}

/// PSO:Verify Certificate `00 2A 00 BE {7F4E, 5F37}`.
pub fn pso_verify_certificate(content: &[u8]) -> CommandApdu {
    CommandApdu::new(0x00, Ins::PerformSecurityOperation, 0x00, 0xBE).with_data(content.to_vec())
}

/// MSE:Set AT `00 22 81 A4 {83 CHR, 91 Comp(PK_PCD)}`: selects the terminal's key for
/// EXTERNAL AUTHENTICATE and names the Chip Authentication key it signs.
pub fn mse_set_at(terminal_chr: &[u8], comp_pk_pcd: &[u8]) -> CommandApdu {
    let mut w = tlv::Writer::new();
    w.put(0x83, terminal_chr);
    w.put(0x91, comp_pk_pcd);
    CommandApdu::new(0x00, Ins::ManageSecurityEnvironment, 0x81, 0xA4).with_data(w.into_bytes())
}

/// GET CHALLENGE `00 84 00 00 08`.
pub fn get_challenge() -> CommandApdu {
    CommandApdu::new(0x00, Ins::GetChallenge, 0x00, 0x00).with_le(8)
}

/// EXTERNAL AUTHENTICATE `00 82 00 00 {signature}` (plain `r ‖ s`).
pub fn external_authenticate(signature: &[u8]) -> CommandApdu {
    CommandApdu::new(0x00, Ins::ExternalAuthenticate, 0x00, 0x00).with_data(signature.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_shapes() {
        let c = mse_set_dst(b"IDDV00001");
        assert_eq!(
            hex::encode_upper(c.to_bytes().unwrap()),
            "002281B60B8309494444563030303031"
        );
        let c = mse_set_at(b"IDIS1", &[0xAA; 2]);
        assert_eq!(
            hex::encode_upper(c.to_bytes().unwrap()),
            "002281A40B830549444953319102AAAA"
        );
        assert_eq!(
            hex::encode_upper(get_challenge().to_bytes().unwrap()),
            "0084000008"
        );
        assert_eq!(signed_data(&[1], &[2, 3], &[4]), vec![1, 2, 3, 4]);
    }
}
