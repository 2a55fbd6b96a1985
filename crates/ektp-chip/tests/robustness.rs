//! Arbitrary bytes at the dispatcher in every lifecycle state never panic, always get a
//! well-formed answer, and never change what the chip holds; faults behave as documented.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use ektp_chip::card::{Card, Fault};
use ektp_chip::inprocess::InProcess;
use ektp_chip::os::{Chip, Lifecycle};
use ektp_iso7816::{CardTransport, CommandApdu, Ins, StatusWord, TransportError};
use proptest::prelude::*;
use support::{CAN, Host, blank, issued, personalizing, sample_files};

const SELECT_APP: [u8; 12] = [
    0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0, 0, 2, 0x47, 0x10, 0x01,
];

/// Status words the chip may answer with.
const KNOWN: [u16; 22] = [
    0x9000, 0x6282, 0x6300, 0x6581, 0x6700, 0x6882, 0x6884, 0x6982, 0x6983, 0x6985, 0x6986, 0x6987,
    0x6988, 0x6A80, 0x6A82, 0x6A84, 0x6A86, 0x6A88, 0x6A89, 0x6B00, 0x6D00, 0x6E00,
];

fn files_of(chip: &Chip) -> Vec<Option<Vec<u8>>> {
    chip.profile()
        .files
        .iter()
        .map(|f| chip.file(f.fid).map(<[u8]>::to_vec))
        .collect()
}

/// A chip in each state (no session), built once: personalization is slow in debug builds.
fn chips() -> &'static [Vec<u8>] {
    static CHIPS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CHIPS.get_or_init(|| {
        vec![
            blank().state_json(),
            personalizing().state_json(),
            issued().state_json(),
        ]
    })
}

fn chip_clone(i: usize) -> Chip {
    // Chips are not Clone (sessions hold keys): rebuild from the saved state.
    let mut c = Chip::from_state_json(&chips()[i]).unwrap();
    c.set_test_rng_seed([1; 32]);
    c
}

fn apdu_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Anything at all.
        proptest::collection::vec(any::<u8>(), 0..300),
        // A plausible header with random tail: CLA from the interesting set, known INS.
        (
            prop_oneof![
                Just(0x00u8),
                Just(0x0C),
                Just(0x10),
                Just(0x1C),
                any::<u8>()
            ],
            prop_oneof![
                Just(0xA4u8),
                Just(0xB0),
                Just(0xB1),
                Just(0xD6),
                Just(0xD7),
                Just(0xE0),
                Just(0xE4),
                Just(0x84),
                Just(0x82),
                Just(0x88),
                Just(0x22),
                Just(0x86),
                Just(0xCA),
                Just(0xDA),
                Just(0x46),
                Just(0x44),
                any::<u8>()
            ],
            any::<u8>(),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..80),
        )
            .prop_map(|(cla, ins, p1, p2, rest)| {
                let mut v = vec![cla, ins, p1, p2];
                v.extend(rest);
                v
            }),
        // Well-formed APDUs with random data and Le, short or extended.
        (
            any::<u8>(),
            any::<u8>(),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..64),
            proptest::option::of(1u32..=65536),
            any::<bool>()
        )
            .prop_map(|(ins, p1, p2, data, le, ext)| {
                let mut c = CommandApdu::new(0x00, Ins::from_byte(ins), p1, p2).with_data(data);
                if let Some(le) = le {
                    c = c.with_le(le);
                }
                if ext {
                    c = c.extended();
                }
                c.to_bytes().unwrap()
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_apdus_never_panic_or_change_files(
        state in 0usize..3,
        apdus in proptest::collection::vec(apdu_strategy(), 1..12),
    ) {
        let mut chip = chip_clone(state);
        chip.power_on();
        let lifecycle = chip.lifecycle();
        let files = files_of(&chip);
        for apdu in &apdus {
            let r = chip.process(apdu);
            prop_assert!(r.len() >= 2 && r.len() <= 65535);
            let sw = u16::from_be_bytes([r[r.len() - 2], r[r.len() - 1]]);
            prop_assert!(KNOWN.contains(&sw), "unexpected SW {sw:04X} for {}", hex::encode(apdu));
        }
        // Without the keys nothing can be written: files and lifecycle are untouched.
        prop_assert_eq!(chip.lifecycle(), lifecycle);
        prop_assert_eq!(files_of(&chip), files);
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_apdus_inside_a_live_session_never_panic(
        state in 1usize..3,
        apdus in proptest::collection::vec(apdu_strategy(), 1..8),
    ) {
        // Protected commands made with the real session keys, over random plaintext.
        let mut h = Host::new(chip_clone(state));
        if state == 1 { h.perso_auth().unwrap(); } else {
            h.raw(&[0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0, 0, 2, 0x47, 0x10, 0x01]);
            h.pace(CAN).unwrap();
        }
        for apdu in &apdus {
            let Ok(cmd) = CommandApdu::parse(apdu) else { continue };
            let cmd = CommandApdu { cla: 0, ..cmd };
            if h.sm.is_none() { break; }
            let r = h.sm(&cmd);
            prop_assert!(KNOWN.contains(&r.sw.0), "SW {} for {}", r.sw, hex::encode(apdu));
        }
        if state == 2 {
            prop_assert_eq!(h.chip.lifecycle(), Lifecycle::Issued);
        }
    }
}

/// Personalization authentication and SELECT of the application through a transport
/// (3 APDUs); returns the host's SM session.
fn perso_over(t: &mut InProcess<Chip>) -> ektp_sm::HostSm {
    let ch = t.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08]).unwrap();
    let keys = ektp_sm::perso::PersoKeys::diversify(&support::master(), &support::SERIAL).unwrap();
    let (auth, data) =
        ektp_sm::perso::HostAuth::start(&keys, ch[..8].try_into().unwrap(), [1; 8], [2; 32])
            .unwrap();
    let r = t
        .transmit(
            &CommandApdu::new(0, Ins::ExternalAuthenticate, 0, 0)
                .with_data(data)
                .with_le(56)
                .to_bytes()
                .unwrap(),
        )
        .unwrap();
    let s = auth.finish(&r[..56]).unwrap();
    let mut sm =
        ektp_sm::HostSm::from_keys(s.enc().expose_bytes(), s.mac().expose_bytes(), [0; 16])
            .unwrap();
    let sel = sm.wrap(&CommandApdu::parse(&SELECT_APP).unwrap()).unwrap();
    let r = t.transmit(&sel.to_bytes().unwrap()).unwrap();
    let r = sm
        .unwrap(&ektp_iso7816::ResponseApdu::parse(&r).unwrap())
        .unwrap();
    assert_eq!(r.sw, StatusWord::SUCCESS);
    sm
}

fn write_dg1(sm: &mut ektp_sm::HostSm) -> Vec<u8> {
    sm.wrap(&CommandApdu::new(0, Ins::UpdateBinary, 0x81, 0).with_data(vec![0xEE; 4]))
        .unwrap()
        .to_bytes()
        .unwrap()
}

#[test]
fn pull_before_executing_leaves_the_chip_untouched() {
    let mut chip = personalizing();
    let before = chip.state_json();
    chip.faults_mut().power = Some(Fault::PullBeforeExecuting(3));
    let mut t = chip.into_in_process();
    let mut sm = perso_over(&mut t);
    assert!(matches!(
        t.transmit(&write_dg1(&mut sm)),
        Err(TransportError::CardRemoved)
    ));
    assert!(!t.is_card_present().unwrap());
    assert_eq!(t.card().state_json(), before);
    // Reinserted: a new power cycle, so no session.
    t.reinsert();
    assert!(!t.card().has_session());
}

#[test]
fn pull_after_executing_keeps_the_complete_change() {
    let mut chip = personalizing();
    chip.faults_mut().power = Some(Fault::PullAfterExecuting(3));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chip.json");
    chip.set_autosave(Some(path.clone())).unwrap();
    let mut t = chip.into_in_process();
    let mut sm = perso_over(&mut t);
    assert!(matches!(
        t.transmit(&write_dg1(&mut sm)),
        Err(TransportError::CardRemoved)
    ));
    assert_eq!(
        &t.card()
            .file(ektp_iso7816::Fid::new(0x0101).unwrap())
            .unwrap()[..4],
        &[0xEE; 4]
    );
    // The change reached the saved file too: a reloaded card has it.
    assert_eq!(
        &Chip::load(&path)
            .unwrap()
            .file(ektp_iso7816::Fid::new(0x0101).unwrap())
            .unwrap()[..4],
        &[0xEE; 4]
    );
}

#[test]
fn remove_after_n_apdus() {
    let mut chip = issued();
    chip.faults_mut().power = Some(Fault::RemoveAfter(2));
    let mut t = chip.into_in_process();
    assert_eq!(
        t.transmit(&[0x00, 0xCA, 0xDF, 0x02, 0x00]).unwrap(),
        [0x03, 0x90, 0x00]
    );
    assert_eq!(
        t.transmit(&[0x00, 0xCA, 0xDF, 0x02, 0x00]).unwrap(),
        [0x03, 0x90, 0x00]
    );
    assert!(matches!(
        t.transmit(&[0x00, 0xCA, 0xDF, 0x02, 0x00]),
        Err(TransportError::CardRemoved)
    ));
}

#[test]
fn corrupt_next_response_flips_one_byte_once() {
    let mut chip = issued();
    chip.power_on();
    chip.faults_mut().corrupt_next_response = Some(0);
    assert_eq!(
        chip.process(&[0x00, 0xCA, 0xDF, 0x02, 0x00]),
        [0xFC, 0x90, 0x00]
    );
    assert_eq!(
        chip.process(&[0x00, 0xCA, 0xDF, 0x02, 0x00]),
        [0x03, 0x90, 0x00]
    );
    // Index past the end: the last byte (SW2).
    chip.faults_mut().corrupt_next_response = Some(1000);
    assert_eq!(
        chip.process(&[0x00, 0xCA, 0xDF, 0x02, 0x00]),
        [0x03, 0x90, 0xFF]
    );
    assert_eq!(chip.faults().corrupt_next_response, None);
}

#[test]
fn a_corrupted_protected_response_is_caught_by_the_host() {
    let mut h = Host::new(issued());
    h.raw(&[
        0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0, 0, 2, 0x47, 0x10, 0x01,
    ]);
    h.pace(CAN).unwrap();
    h.chip.faults_mut().corrupt_next_response = Some(5);
    let w =
        h.sm.as_mut()
            .unwrap()
            .wrap(&CommandApdu::new(0, Ins::ReadBinary, 0x81, 0).with_le(4))
            .unwrap();
    let raw = h.raw(&w.to_bytes().unwrap());
    let resp = ektp_iso7816::ResponseApdu::parse(&raw).unwrap();
    assert!(h.sm.as_mut().unwrap().unwrap(&resp).is_err());
}

#[test]
fn slow_answers_take_at_least_the_delay() {
    let mut chip = blank();
    chip.power_on();
    chip.faults_mut().response_delay = Some(Duration::from_millis(30));
    let t0 = Instant::now();
    assert_eq!(
        chip.process(&[0x00, 0xCA, 0xDF, 0x02, 0x00]),
        [0x01, 0x90, 0x00]
    );
    assert!(t0.elapsed() >= Duration::from_millis(30));
}

#[test]
fn personalization_resumes_after_a_pull_at_every_step() {
    // Pull the card after executing the k-th command of a personalization (the answer is
    // lost), reinsert, run the whole personalization again as docs/personalization.md says,
    // and the card ends up identical to one personalized without interruption.
    let reference = {
        let mut h = Host::new(blank());
        h.perso_auth().unwrap();
        h.personalize(&sample_files(), CAN);
        h.chip
    };
    for k in [1u64, 5, 9, 17, 25] {
        let mut chip = blank();
        chip.faults_mut().power = Some(Fault::PullAfterExecuting(k));
        let mut t = chip.into_in_process();
        // A minimal station over the transport: auth, then files.
        let run = |t: &mut ektp_chip::inprocess::InProcess<Chip>| -> Result<(), TransportError> {
            let ch = t.transmit(&[0x00, 0x84, 0x00, 0x00, 0x08])?;
            let keys =
                ektp_sm::perso::PersoKeys::diversify(&support::master(), &support::SERIAL).unwrap();
            let (auth, data) = ektp_sm::perso::HostAuth::start(
                &keys,
                ch[..8].try_into().unwrap(),
                [1; 8],
                [2; 32],
            )
            .unwrap();
            let r = t.transmit(
                &CommandApdu::new(0, Ins::ExternalAuthenticate, 0, 0)
                    .with_data(data)
                    .with_le(56)
                    .to_bytes()
                    .unwrap(),
            )?;
            let s = auth.finish(&r[..56]).unwrap();
            let mut sm =
                ektp_sm::HostSm::from_keys(s.enc().expose_bytes(), s.mac().expose_bytes(), [0; 16])
                    .unwrap();
            let mut send = |t: &mut ektp_chip::inprocess::InProcess<Chip>,
                            c: CommandApdu|
             -> Result<ektp_iso7816::ResponseApdu, TransportError> {
                let r = t.transmit(&sm.wrap(&c).unwrap().to_bytes().unwrap())?;
                Ok(sm
                    .unwrap(&ektp_iso7816::ResponseApdu::parse(&r).unwrap())
                    .unwrap())
            };
            for (fid, content) in sample_files() {
                let sfi = Some(
                    t.card()
                        .profile()
                        .file(ektp_iso7816::Fid::new(fid).unwrap())
                        .unwrap()
                        .sfi
                        .unwrap()
                        .value(),
                );
                // Delete whatever is there, then create and write.
                let _ = send(
                    t,
                    CommandApdu::new(0, Ins::DeleteFile, 0, 0)
                        .with_data(fid.to_be_bytes().to_vec()),
                )?;
                let r = send(
                    t,
                    CommandApdu::new(0, Ins::CreateFile, 0, 0).with_data(support::create_fcp(
                        fid,
                        sfi,
                        content.len() as u16,
                    )),
                )?;
                assert_eq!(r.sw, StatusWord::SUCCESS);
                let r = send(
                    t,
                    CommandApdu::new(0, Ins::UpdateBinary, 0, 0)
                        .with_data(content[..content.len().min(30000)].to_vec()),
                )?;
                assert_eq!(r.sw, StatusWord::SUCCESS);
                if content.len() > 30000 {
                    let r = send(
                        t,
                        CommandApdu::new(
                            0,
                            Ins::UpdateBinary,
                            (30000u16 >> 8) as u8,
                            30000u16 as u8,
                        )
                        .with_data(content[30000..].to_vec()),
                    )?;
                    assert_eq!(r.sw, StatusWord::SUCCESS);
                }
            }
            let r = send(
                t,
                CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x80, 0).with_le(256),
            )?;
            if r.sw != StatusWord::SUCCESS {
                assert_eq!(r.sw, StatusWord::CONDITIONS_NOT_SATISFIED);
                assert!(
                    send(
                        t,
                        CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x81, 0).with_le(256)
                    )?
                    .is_ok()
                );
            }
            assert!(
                send(
                    t,
                    CommandApdu::new(0, Ins::PutData, 0xDF, 0x03)
                        .with_data(CAN.as_bytes().to_vec())
                )?
                .is_ok()
            );
            Ok(())
        };
        assert!(
            matches!(run(&mut t), Err(TransportError::CardRemoved)),
            "pulled at {k}"
        );
        t.reinsert();
        run(&mut t).unwrap();
        let chip = t.into_card();
        for (fid, content) in sample_files() {
            assert_eq!(
                chip.file(ektp_iso7816::Fid::new(fid).unwrap()).unwrap(),
                reference
                    .file(ektp_iso7816::Fid::new(fid).unwrap())
                    .unwrap(),
                "{fid:04X} after pull at {k}"
            );
            assert_eq!(
                chip.file(ektp_iso7816::Fid::new(fid).unwrap()).unwrap(),
                content.as_slice()
            );
        }
        assert_eq!(chip.lifecycle(), Lifecycle::Personalizing);
    }
}
