//! An independent PC/SC client, OpenSC's `opensc-tool`, talks to the virtual e-KTP chip
//! (`ektp_chip::os::Chip`) through pcscd and the vpcd reader: it selects the eMRTD
//! application, reads EF.CardAccess, and is refused DG1 (`6982`) without PACE.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ektp_chip::os::{CHIP_ATR, Chip};
use ektp_tests::Slot;

/// The committed TEST ONLY issued chip (see `cards/test-chips/README.md`).
fn issued_chip() -> Chip {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../cards/test-chips/chip-synthetic-issued-TEST-ONLY.json");
    Chip::load(path).unwrap()
}

#[test]
fn opensc_tool_selects_reads_card_access_and_gets_6982_for_dg1() {
    let slot = Slot::zero();
    let (virtual_card, _) = slot.insert(issued_chip(), None);
    let out = std::process::Command::new("opensc-tool")
        .args(["--reader", slot.reader, "--card-driver", "default", "--atr"])
        .args([
            // SELECT the eMRTD application by AID.
            "-s",
            "00 A4 04 0C 07 A0 00 00 02 47 10 01",
            // SELECT EF.CardAccess (P1=00 finds it in the MF) and read it.
            "-s",
            "00 A4 00 0C 02 01 1C",
            "-s",
            "00 B0 00 00 00",
            // Back to the application; DG1 by SFI without PACE.
            "-s",
            "00 A4 04 0C 07 A0 00 00 02 47 10 01",
            "-s",
            "00 B0 81 00 00",
        ])
        .output()
        .expect("opensc-tool (package opensc)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "opensc-tool failed");
    let atr: Vec<String> = CHIP_ATR.iter().map(|b| format!("{b:02x}")).collect();
    assert!(stdout.contains(&atr.join(":")), "ATR");
    // EF.CardAccess: SET { PACEInfo { id-PACE-ECDH-GM-AES-CBC-CMAC-128, 2, 12 } }.
    // (opensc-tool prints 16 bytes per line.)
    assert!(
        stdout.contains("31 14 30 12 06 0A 04 00 7F 00 07 02 02 04 02 02")
            && stdout.contains("02 01 02 02 01 0C"),
        "EF.CardAccess content"
    );
    assert_eq!(
        stdout.matches("SW1=0x90, SW2=0x00").count(),
        4,
        "four successes"
    );
    assert_eq!(
        stdout.matches("SW1=0x69, SW2=0x82").count(),
        1,
        "DG1 refused with 6982"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    let last = lines
        .iter()
        .rposition(|l| l.starts_with("Received"))
        .unwrap();
    assert!(
        lines[last].contains("SW1=0x69, SW2=0x82"),
        "the last APDU (DG1) got 6982"
    );
    let removed = virtual_card.remove().unwrap();
    assert!(removed.answered >= 5);
    slot.wait_empty();
}

/// The chip's own power fault, handed to vpcd by `Chip::insert_vpcd`, pulls the card at that
/// APDU: the PC/SC host sees "card removed", never an answer.
#[test]
fn chip_power_fault_through_vpcd_is_a_removed_card() {
    use ektp_chip::card::Fault;
    use ektp_chip::vpcd::{SessionEnd, VpcdConfig};

    let slot = Slot::one();
    let mut chip = issued_chip();
    chip.faults_mut().power = Some(Fault::PullAfterExecuting(1));
    let inserted = chip
        .insert_vpcd(&VpcdConfig::new().with_port(slot.port))
        .unwrap();
    slot.ctx
        .wait_for_card(slot.reader, ektp_tests::PRESENCE_TIMEOUT)
        .unwrap();
    let mut card = slot.ctx.connect(slot.reader).unwrap();
    let get_lifecycle = [0x00, 0xCA, 0xDF, 0x02, 0x00];
    assert_eq!(card.transmit(&get_lifecycle).unwrap(), [0x03, 0x90, 0x00]);
    let err = card.transmit(&get_lifecycle).unwrap_err();
    assert!(
        matches!(&err, ektp_pcsc::PcscError::CardRemoved { .. }),
        "{err:?}"
    );
    let removed = inserted.remove().unwrap();
    assert!(matches!(
        removed.end,
        SessionEnd::Fault(Fault::PullAfterExecuting(1))
    ));
    // The chip itself survives the pull with its state intact.
    assert_eq!(removed.card.lifecycle(), ektp_chip::Lifecycle::Issued);
    slot.wait_empty();
}
