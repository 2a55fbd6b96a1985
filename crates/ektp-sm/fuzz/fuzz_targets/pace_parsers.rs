//! The PACE message parsers (GENERAL AUTHENTICATE dynamic authentication data, MSE:Set AT),
//! EF.CardAccess SecurityInfos, the DG15 key parser and point decoding with arbitrary bytes.
#![no_main]

use ektp_sm::card_access::SecurityInfos;
use ektp_sm::{DomainParameters, pace};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for tag in [
        None,
        Some(0x80),
        Some(0x81),
        Some(0x82),
        Some(0x83),
        Some(0x84),
        Some(0x85),
        Some(0x86),
    ] {
        let _ = pace::parse_dynamic_auth_data(data, tag);
    }
    let _ = pace::parse_mse_set_at(data);
    if let Ok(infos) = SecurityInfos::from_der(data) {
        let _ = infos.pace_params();
        let _ = infos.to_der();
    }
    let _ = ektp_sm::aa::public_point_from_spki(data);
    for dp in [
        DomainParameters::NistP256,
        DomainParameters::BrainpoolP256r1,
    ] {
        let _ = dp.decode_point(data);
    }
});
