//! Host ↔ virtual card through the real PC/SC stack: `ektp-pcsc` → libpcsclite → pcscd →
//! vsmartcard vpcd → TCP → `ektp_chip::vpcd` → a memory card. The same scenario also runs
//! in-process, so both transports are held to one behaviour.
//!
//! Tests that use a vpcd slot hold [`Slot`], a lock shared across threads and processes.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Instant;

use ektp_chip::card::Fault;
use ektp_chip::inprocess::InProcess;
use ektp_chip::testcard::{MAX_MEMORY_CARD_SIZE, MEMORY_CARD_ATR, MemoryCard, pattern};
use ektp_chip::vpcd::SessionEnd;
use ektp_iso7816::transport::exchange;
use ektp_iso7816::{CardTransport, CommandApdu, Ins, StatusWord, TransportError};
use ektp_pcsc::{CardPresence, Disposition, PcscError, ReaderSelector};
use ektp_tests::Slot;

const SELECT: [u8; 7] = [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x01];
const BIG: usize = 60_000;

fn read(offset: u16, le: u32) -> Vec<u8> {
    let [p1, p2] = offset.to_be_bytes();
    CommandApdu::new(0x00, Ins::ReadBinary, p1, p2)
        .with_le(le)
        .to_bytes()
        .unwrap()
}

fn update(offset: u16, data: &[u8]) -> Vec<u8> {
    let [p1, p2] = offset.to_be_bytes();
    CommandApdu::new(0x00, Ins::UpdateBinary, p1, p2)
        .with_data(data.to_vec())
        .to_bytes()
        .unwrap()
}

/// Data distinct from the card's initial pattern at every position that matters.
fn new_contents() -> Vec<u8> {
    (0..BIG).map(|i| (i * 13 + 5) as u8 ^ 0xA5).collect()
}

/// The scenario both transports must pass: short APDU, 60,000-byte extended READ BINARY and
/// UPDATE BINARY, checked byte for byte. Returns the data written.
fn short_and_extended(t: &mut dyn CardTransport) -> Vec<u8> {
    assert_eq!(t.transmit(&SELECT).unwrap(), [0x90, 0x00]);

    // Short READ BINARY, Le = 16 (case 2S).
    let r = t.transmit(&read(0, 16)).unwrap();
    assert_eq!(r.len(), 18);
    assert_eq!(&r[..16], &pattern(16)[..]);
    assert_eq!(&r[16..], [0x90, 0x00]);

    // Extended READ BINARY, Le = 60000 (case 2E: 00 B0 00 00 00 EA 60).
    let cmd = read(0, BIG as u32);
    assert_eq!(cmd, [0x00, 0xB0, 0x00, 0x00, 0x00, 0xEA, 0x60]);
    let r = t.transmit(&cmd).unwrap();
    assert_eq!(r.len(), BIG + 2);
    assert_eq!(&r[BIG..], [0x90, 0x00]);
    assert!(r[..BIG] == pattern(BIG)[..], "60000-byte read differs");

    // Extended UPDATE BINARY, Lc = 60000 (case 3E, a 60007-byte command APDU).
    let data = new_contents();
    let cmd = update(0, &data);
    assert_eq!(cmd.len(), BIG + 7);
    assert_eq!(t.transmit(&cmd).unwrap(), [0x90, 0x00]);

    // Read it back through the same transport, via the exchange helper this time.
    let resp = exchange(
        t,
        &CommandApdu::new(0x00, Ins::ReadBinary, 0, 0).with_le(BIG as u32),
    )
    .unwrap();
    assert_eq!(resp.sw, StatusWord::SUCCESS);
    assert!(resp.data == data, "60000-byte update did not read back");
    data
}

#[test]
fn card_arrives_answers_short_and_extended_apdus_and_leaves() {
    let slot = Slot::zero();
    let before = slot.ctx.readers().unwrap();
    let entry = before.iter().find(|r| r.name == slot.reader).unwrap();
    assert_eq!(entry.presence, CardPresence::Empty);

    let started = Instant::now();
    let (virtual_card, arrived) = slot.insert(MemoryCard::with_size(MAX_MEMORY_CARD_SIZE), None);
    eprintln!("card seen arriving after {:?}", started.elapsed());
    assert_eq!(arrived.presence, CardPresence::Present);
    assert_eq!(arrived.atr, MEMORY_CARD_ATR);
    let listed = slot.ctx.readers().unwrap();
    let entry = listed.iter().find(|r| r.name == slot.reader).unwrap();
    assert!(entry.has_card());
    assert_eq!(entry.atr, MEMORY_CARD_ATR);

    let mut card = slot.ctx.connect(slot.reader).unwrap();
    let status = card.status().unwrap();
    assert_eq!(status.atr, MEMORY_CARD_ATR);
    assert!(status.powered);
    let written = short_and_extended(&mut card);
    card.disconnect(Disposition::LeaveCard).unwrap();

    // The card itself holds exactly what the host wrote.
    let removed = virtual_card.remove().unwrap();
    assert!(
        matches!(removed.end, SessionEnd::Removed),
        "{:?}",
        removed.end
    );
    assert!(removed.card.contents()[..BIG] == written[..]);
    assert!(removed.card.contents()[BIG..] == pattern(MAX_MEMORY_CARD_SIZE)[BIG..]);
    assert_eq!(removed.answered, 5);

    let started = Instant::now();
    slot.wait_empty();
    eprintln!("card seen leaving after {:?}", started.elapsed());
    let err = slot.ctx.connect(slot.reader).unwrap_err();
    assert!(matches!(&err, PcscError::NoCard { reader } if reader == slot.reader));
    assert_eq!(
        err.to_string(),
        format!("no card in reader {:?}", slot.reader)
    );
}

#[test]
fn same_scenario_in_process() {
    let mut t = InProcess::new(MemoryCard::with_size(MAX_MEMORY_CARD_SIZE));
    let written = short_and_extended(&mut t);
    assert!(t.card().contents()[..BIG] == written[..]);
}

#[test]
fn card_pulled_before_answering_is_card_removed_not_success() {
    let slot = Slot::zero();
    // Answers SELECT, then takes the READ and leaves without executing or answering it.
    let (virtual_card, _) = slot.insert(
        MemoryCard::with_size(MAX_MEMORY_CARD_SIZE),
        Some(Fault::PullBeforeExecuting(1)),
    );
    let mut card = slot.ctx.connect(slot.reader).unwrap();
    assert_eq!(card.transmit(&SELECT).unwrap(), [0x90, 0x00]);
    let err = card.transmit(&read(0, BIG as u32)).unwrap_err();
    assert!(
        matches!(&err, PcscError::CardRemoved { reader } if reader == slot.reader),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("card removed during command"));
    // The handle stays unusable: the next command fails the same way, never succeeds.
    let err = CardTransport::transmit(&mut card, &SELECT).unwrap_err();
    assert!(matches!(err, TransportError::CardRemoved), "{err:?}");
    assert_eq!(err.to_string(), "card removed during command");

    let removed = virtual_card.remove().unwrap();
    assert!(matches!(
        removed.end,
        SessionEnd::Fault(Fault::PullBeforeExecuting(1))
    ));
    slot.wait_empty();
    assert!(!CardTransport::is_card_present(&mut card).unwrap());
}

#[test]
fn card_pulled_after_executing_is_card_removed_and_the_write_happened() {
    let slot = Slot::zero();
    let (virtual_card, _) = slot.insert(
        MemoryCard::with_size(MAX_MEMORY_CARD_SIZE),
        Some(Fault::PullAfterExecuting(1)),
    );
    let mut card = slot.ctx.connect(slot.reader).unwrap();
    let data = new_contents();
    // Through the generic helper: the typed transport error, not a parsed "success".
    exchange(&mut card, &CommandApdu::parse(&SELECT).unwrap()).unwrap();
    let err = exchange(&mut card, &CommandApdu::parse(&update(0, &data)).unwrap()).unwrap_err();
    assert!(
        matches!(
            err,
            ektp_iso7816::Error::Transport(TransportError::CardRemoved)
        ),
        "{err:?}"
    );
    let removed = virtual_card.remove().unwrap();
    // The card wrote but the host never heard: a removal error means "outcome unknown".
    assert!(removed.card.contents()[..BIG] == data[..]);
    slot.wait_empty();
}

#[test]
fn leave_card_keeps_card_state_and_reset_drops_it() {
    let slot = Slot::one();
    let (_virtual_card, _) = slot.insert(MemoryCard::with_size(1024), None);

    let mut card = slot.ctx.connect(slot.reader).unwrap();
    assert_eq!(card.transmit(&SELECT).unwrap(), [0x90, 0x00]);
    card.disconnect(Disposition::LeaveCard).unwrap();

    // A new connection finds the file still selected.
    let mut card = slot.ctx.connect(slot.reader).unwrap();
    let r = card.transmit(&read(0, 4)).unwrap();
    assert_eq!(r, [&pattern(4)[..], &[0x90, 0x00]].concat());

    // A reset drops the selection (the card sees vpcd's reset control byte).
    assert_eq!(CardTransport::reset(&mut card).unwrap(), MEMORY_CARD_ATR);
    assert_eq!(card.transmit(&read(0, 4)).unwrap(), [0x69, 0x86]);

    // A transaction groups commands; it ends leaving the card as it is.
    {
        let mut tx = card.transaction().unwrap();
        assert_eq!(tx.transmit(&SELECT).unwrap(), [0x90, 0x00]);
        assert_eq!(
            CardTransport::transmit(&mut tx, &read(1, 2)).unwrap(),
            [&pattern(3)[1..], &[0x90, 0x00]].concat()
        );
        tx.end(Disposition::LeaveCard).unwrap();
    }
    assert_eq!(card.transmit(&read(0, 1)).unwrap().len(), 3);

    // Dropping a connection resets the card (PC/SC default).
    drop(card);
    let mut card = slot.ctx.connect(slot.reader).unwrap();
    assert_eq!(card.transmit(&read(0, 1)).unwrap(), [0x69, 0x86]);
    card.disconnect(Disposition::LeaveCard).unwrap();
}

#[test]
fn reconnect_after_the_card_is_reinserted() {
    let slot = Slot::one();
    let (virtual_card, _) = slot.insert(MemoryCard::with_size(64), None);
    let mut card = slot.ctx.connect(slot.reader).unwrap();
    assert_eq!(card.transmit(&SELECT).unwrap(), [0x90, 0x00]);

    let kept = virtual_card.remove().unwrap().card;
    slot.wait_empty();
    assert!(!CardTransport::is_card_present(&mut card).unwrap());
    let err = card.transmit(&SELECT).unwrap_err();
    assert!(matches!(err, PcscError::CardRemoved { .. }), "{err:?}");
    let err = card.reconnect(Disposition::LeaveCard).unwrap_err();
    assert!(matches!(err, PcscError::NoCard { .. }), "{err:?}");

    let (_again, _) = slot.insert(kept, None);
    assert_eq!(
        card.reconnect(Disposition::LeaveCard).unwrap(),
        MEMORY_CARD_ATR
    );
    assert!(CardTransport::is_card_present(&mut card).unwrap());
    assert_eq!(card.transmit(&SELECT).unwrap(), [0x90, 0x00]);
    card.disconnect(Disposition::LeaveCard).unwrap();
}

#[test]
fn reader_errors_name_the_problem() {
    let slot = Slot::one();
    let err = slot.ctx.connect("No Such Reader 42").unwrap_err();
    let PcscError::UnknownReader { name, available } = &err else {
        panic!("expected UnknownReader, got {err:?}");
    };
    assert_eq!(name, "No Such Reader 42");
    assert!(available.iter().any(|r| r == "Virtual PCD 00 00"));
    assert!(
        err.to_string()
            .starts_with(r#"no reader named "No Such Reader 42" (readers: "#),
        "{err}"
    );
    assert!(err.to_string().contains(r#""Virtual PCD 00 01""#));

    // Partial names pick a reader when they are unique.
    let info = slot
        .ctx
        .reader(&ReaderSelector::Named("pcd 00 01".into()))
        .unwrap();
    assert_eq!(info.name, "Virtual PCD 00 01");
    assert_eq!(info.presence, CardPresence::Empty);

    let err = slot
        .ctx
        .wait_for_card(slot.reader, std::time::Duration::from_millis(300))
        .unwrap_err();
    assert!(matches!(err, PcscError::Timeout { .. }), "{err:?}");
    let err = slot
        .ctx
        .wait_for_card("No Such Reader 42", std::time::Duration::from_millis(300))
        .unwrap_err();
    assert!(matches!(err, PcscError::UnknownReader { .. }), "{err:?}");

    // With a card in slot 1, "first with card" finds it unless slot 0 has one too.
    let (_card, _) = slot.insert(MemoryCard::with_size(8), None);
    let first = slot.ctx.reader(&ReaderSelector::FirstWithCard).unwrap();
    assert!(first.has_card());
    let t: TransportError = slot.ctx.connect("No Such Reader 42").unwrap_err().into();
    assert!(matches!(t, TransportError::Backend(_)));
}

/// An independent PC/SC client (OpenSC's `opensc-tool`) sees the virtual card and gets the
/// same answers as `ektp-pcsc`.
#[test]
fn opensc_tool_talks_to_the_virtual_card() {
    let slot = Slot::one();
    let (virtual_card, _) = slot.insert(MemoryCard::with_size(64), None);
    let out = std::process::Command::new("opensc-tool")
        .args(["--reader", slot.reader, "--card-driver", "default", "--atr"])
        .args([
            "--send-apdu",
            "00:A4:02:0C:02:01:01",
            "--send-apdu",
            "00:B0:00:00:10",
        ])
        .output()
        .expect("opensc-tool (package opensc; .ci/test installs it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "opensc-tool failed");
    assert!(stdout.contains("3b:80:80:01:01"), "ATR");
    let hex: Vec<String> = pattern(16).iter().map(|b| format!("{b:02X}")).collect();
    assert!(stdout.contains(&hex.join(" ")), "READ BINARY data");
    assert_eq!(stdout.matches("SW1=0x90, SW2=0x00").count(), 2);
    drop(virtual_card);
    slot.wait_empty();
}

#[test]
fn reset_by_another_application_then_reconnect_and_exclusive_access() {
    let slot = Slot::one();
    let (_virtual_card, _) = slot.insert(MemoryCard::with_size(64), None);
    let mut ours = slot.ctx.connect(slot.reader).unwrap();
    assert_eq!(ours.transmit(&SELECT).unwrap(), [0x90, 0x00]);

    // Another application connects and resets the card.
    let mut other = slot.ctx.connect(slot.reader).unwrap();
    assert_eq!(
        other.reconnect(Disposition::ResetCard).unwrap(),
        MEMORY_CARD_ATR
    );
    let err = ours.transmit(&read(0, 1)).unwrap_err();
    assert!(
        matches!(&err, PcscError::CardReset { reader } if reader == slot.reader),
        "{err:?}"
    );
    assert!(err.to_string().contains("reconnect"), "{err}");

    // Reconnecting without another reset works; the card's selection is gone.
    assert_eq!(
        ours.reconnect(Disposition::LeaveCard).unwrap(),
        MEMORY_CARD_ATR
    );
    assert_eq!(ours.transmit(&read(0, 1)).unwrap(), [0x69, 0x86]);
    other.disconnect(Disposition::LeaveCard).unwrap();
    ours.disconnect(Disposition::LeaveCard).unwrap();

    // An exclusive connection keeps others out, with an error that says so.
    let exclusive = slot
        .ctx
        .connect_with(slot.reader, ektp_pcsc::Share::Exclusive)
        .unwrap();
    let err = slot.ctx.connect(slot.reader).unwrap_err();
    assert!(matches!(err, PcscError::SharingViolation { .. }), "{err:?}");
    exclusive.disconnect(Disposition::LeaveCard).unwrap();
    slot.ctx
        .connect(slot.reader)
        .unwrap()
        .disconnect(Disposition::LeaveCard)
        .unwrap();
}

/// Through the real libpcsclite: with no pcscd behind the socket, the error says what to do.
/// (`PCSCLITE_CSOCK_NAME` moves the client's socket; it is read once per process, hence the
/// separate process.)
#[test]
fn no_pcscd_says_start_pcscd() {
    let probe = env!("CARGO_BIN_EXE_pcsc-probe");
    let out = std::process::Command::new(probe)
        .env("PCSCLITE_CSOCK_NAME", "/nonexistent/ektp/pcscd.comm")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: PC/SC service not running: start pcscd\n"
    );

    // The same probe against the running pcscd lists the virtual readers.
    let out = std::process::Command::new(probe).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Virtual PCD 00 00\t"), "{stdout}");
    assert!(stdout.contains("Virtual PCD 00 01\t"), "{stdout}");
}
