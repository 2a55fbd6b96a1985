//! Secure messaging unwrap on both sides with arbitrary bytes from the wire.
//! First input byte: even = host unwraps a response, odd = card unwraps a command.
//! Second byte picks the key size. Must never panic; must always end the session on error.
#![no_main]

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu};
use ektp_sm::{CardSm, HostSm};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Some((&k, wire)) = rest.split_first() else {
        return;
    };
    let len = [16usize, 24, 32][usize::from(k % 3)];
    let enc = vec![0x11; len];
    let mac = vec![0x22; len];
    if mode & 1 == 0 {
        let Ok(resp) = ResponseApdu::parse(wire) else {
            return;
        };
        let mut h = HostSm::from_keys(&enc, &mac, [0; 16]).unwrap();
        h.wrap(&CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(256))
            .unwrap();
        if h.unwrap(&resp).is_err() {
            assert!(!h.is_open());
        }
    } else {
        let Ok(cmd) = CommandApdu::parse(wire) else {
            return;
        };
        let mut c = CardSm::from_keys(&enc, &mac, [0; 16]).unwrap();
        if c.unwrap_command(&cmd).is_err() {
            assert!(!c.is_open());
        }
    }
});
