//! Command/response APDU parsing, BER-TLV walking and the GET RESPONSE helper against a card
//! that answers with fuzzer bytes: must never panic; whatever parses re-encodes to the same
//! bytes; the exchange helper always stops within its limits.
#![no_main]

use ektp_iso7816::transport::{Limits, exchange_with};
use ektp_iso7816::{CardTransport, CommandApdu, Ins, ResponseApdu, TransportError, tlv};
use libfuzzer_sys::fuzz_target;

fn walk(r: tlv::Reader<'_>, budget: &mut u32) {
    for t in r {
        let Ok(t) = t else { return };
        *budget = budget.saturating_sub(1);
        if *budget == 0 {
            return;
        }
        if t.tag.is_constructed()
            && let Ok(c) = t.children()
        {
            walk(c, budget);
        }
    }
}

/// A card whose answers are slices of the fuzz input, then removal.
struct Hostile<'a> {
    answers: std::slice::Chunks<'a, u8>,
    sent: usize,
}

impl CardTransport for Hostile<'_> {
    fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.sent += 1;
        self.answers
            .next()
            .map(<[u8]>::to_vec)
            .ok_or(TransportError::CardRemoved)
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        Ok(vec![0x3B, 0x80, 0x80, 0x01, 0x01])
    }
    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        Ok(true)
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = CommandApdu::parse(data) {
        assert_eq!(c.to_bytes().ok().as_deref(), Some(data));
    }
    if let Ok(r) = ResponseApdu::parse(data) {
        assert_eq!(r.to_bytes(), data);
    }
    let mut budget = 10_000;
    walk(tlv::Reader::new(data), &mut budget);

    let chunk = usize::from(data.first().copied().unwrap_or(2)).max(2);
    let mut card = Hostile {
        answers: data.chunks(chunk),
        sent: 0,
    };
    let limits = Limits {
        max_rounds: 8,
        max_total: 4096,
    };
    let read = CommandApdu::new(0x00, Ins::ReadBinary, 0, 0).with_le(256);
    if let Ok(r) = exchange_with(&mut card, &read, limits) {
        assert!(r.data.len() <= 4096);
    }
    assert!(card.sent <= 9);
});
