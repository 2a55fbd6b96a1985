//! Lifecycle, personalization rules, persistence and atomicity.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use ektp_chip::card::Card;
use ektp_chip::os::{Chip, ChipError, Lifecycle, MAX_PERSO_FAILURES};
use ektp_iso7816::{CommandApdu, Ins, StatusWord};
use support::{CAN, Host, SEED, blank, create_fcp, issued, personalizing, sample_files, sw};

const SELECT_APP: [u8; 12] = [
    0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0, 0, 2, 0x47, 0x10, 0x01,
];

#[test]
fn full_personalization_reaches_issued_and_aa_verifies() {
    let mut h = Host::new(blank());
    assert_eq!(h.chip.lifecycle(), Lifecycle::Blank);
    h.perso_auth().unwrap();
    assert_eq!(h.chip.lifecycle(), Lifecycle::Personalizing);
    let spki = h.personalize(&sample_files(), CAN);
    for (fid, content) in sample_files() {
        assert_eq!(
            h.chip.file(ektp_iso7816::Fid::new(fid).unwrap()).unwrap(),
            content.as_slice(),
            "{fid:04X}"
        );
    }
    assert_eq!(h.lock(), StatusWord::SUCCESS);
    assert_eq!(h.chip.lifecycle(), Lifecycle::Issued);

    // Read back as a pickup desk would, and check Active Authentication with ektp-sm's
    // verifier (ring), independent of the chip's signer (RustCrypto p256).
    h.raw(&SELECT_APP);
    h.pace(CAN).unwrap();
    let challenge = [9u8, 8, 7, 6, 5, 4, 3, 2];
    let r = h.sm(&CommandApdu::new(0, Ins::InternalAuthenticate, 0, 0)
        .with_data(challenge.to_vec())
        .with_le(256));
    assert_eq!(r.sw, StatusWord::SUCCESS);
    assert_eq!(r.data.len(), 64);
    ektp_sm::aa::verify_signature(
        &spki,
        ektp_sm::card_access::AaHash::Sha256,
        &challenge,
        &r.data,
    )
    .unwrap();
    let mut bad = r.data.clone();
    bad[10] ^= 1;
    assert!(
        ektp_sm::aa::verify_signature(
            &spki,
            ektp_sm::card_access::AaHash::Sha256,
            &challenge,
            &bad
        )
        .is_err()
    );
}

#[test]
fn aa_public_key_is_a_valid_spki_for_openssl() {
    let mut h = Host::new(personalizing());
    h.perso_auth().unwrap();
    let r = h.sm(&CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x81, 0).with_le(256));
    assert_eq!(r.sw, StatusWord::SUCCESS);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aa.der");
    std::fs::write(&path, &r.data).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["pkey", "-pubin", "-inform", "DER", "-noout", "-text", "-in"])
        .arg(&path)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("prime256v1") || text.contains("P-256"),
        "{text}"
    );
}

#[test]
fn the_aa_private_key_never_leaves_in_any_response() {
    let mut h = Host::new(blank());
    h.perso_auth().unwrap();
    h.personalize(&sample_files(), CAN);
    h.lock();
    h.raw(&SELECT_APP);
    h.pace(CAN).unwrap();
    for sfi in [1u8, 2, 7, 11, 14, 15, 29, 30] {
        h.sm(&CommandApdu::new(0, Ins::ReadBinary, 0x80 | sfi, 0).with_le(65536));
    }
    let state: serde_json::Value = serde_json::from_slice(&h.chip.state_json()).unwrap();
    let key = hex::decode(state["aa_private_key"].as_str().unwrap()).unwrap();
    assert_eq!(key.len(), 32);
    // Responses are mostly encrypted, so also check the plain answers the host saw.
    for (_, resp) in &h.log {
        assert!(!resp.windows(32).any(|w| w == key.as_slice()));
    }
}

#[test]
fn lock_requires_can_key_and_every_required_file() {
    // Each case personalizes everything except one ingredient.
    type Edit = Box<dyn Fn(&mut Vec<(u16, Vec<u8>)>) -> bool>;
    let cases: Vec<(&str, Edit)> = vec![
        (
            "no DG15",
            Box::new(|f| {
                f.retain(|(fid, _)| *fid != 0x010F);
                true
            }),
        ),
        (
            "no EF.SOD",
            Box::new(|f| {
                f.retain(|(fid, _)| *fid != 0x011D);
                true
            }),
        ),
        (
            "no DG14",
            Box::new(|f| {
                f.retain(|(fid, _)| *fid != 0x010E);
                true
            }),
        ),
        (
            "DG1 all zero",
            Box::new(|f| {
                for (fid, c) in f.iter_mut() {
                    if *fid == 0x0101 {
                        c.iter_mut().for_each(|b| *b = 0);
                    }
                }
                true
            }),
        ),
    ];
    for (what, edit) in cases {
        let mut files = sample_files();
        edit(&mut files);
        let mut h = Host::new(blank());
        h.perso_auth().unwrap();
        h.personalize(&files, CAN);
        assert_eq!(h.lock(), StatusWord::CONDITIONS_NOT_SATISFIED, "{what}");
        assert_eq!(h.chip.lifecycle(), Lifecycle::Personalizing, "{what}");
    }
    // Without the CAN and without the AA key.
    let mut h = Host::new(blank());
    h.perso_auth().unwrap();
    for (fid, content) in sample_files() {
        let sfi = h
            .chip
            .profile()
            .file(ektp_iso7816::Fid::new(fid).unwrap())
            .unwrap()
            .sfi
            .map(ektp_iso7816::Sfi::value);
        assert!(
            h.sm(
                &CommandApdu::new(0, Ins::CreateFile, 0, 0).with_data(create_fcp(
                    fid,
                    sfi,
                    content.len() as u16
                ))
            )
            .is_ok()
        );
        for (i, chunk) in content.chunks(30000).enumerate() {
            let off = i * 30000;
            assert!(
                h.sm(
                    &CommandApdu::new(0, Ins::UpdateBinary, (off >> 8) as u8, off as u8)
                        .with_data(chunk.to_vec())
                )
                .is_ok()
            );
        }
    }
    assert_eq!(
        h.lock(),
        StatusWord::CONDITIONS_NOT_SATISFIED,
        "no CAN, no key"
    );
    assert!(
        h.sm(&CommandApdu::new(0, Ins::PutData, 0xDF, 0x03).with_data(CAN.as_bytes().to_vec()))
            .is_ok()
    );
    assert_eq!(h.lock(), StatusWord::CONDITIONS_NOT_SATISFIED, "no key");
    assert!(
        h.sm(&CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x80, 0).with_le(256))
            .is_ok()
    );
    assert_eq!(h.lock(), StatusWord::SUCCESS);
}

#[test]
fn personalization_key_blocks_after_ten_failures_and_success_resets_the_count() {
    let mut h = Host::new(blank());
    let wrong = ektp_sm::perso::MasterKey::from_bytes([0x11u8; 32]);
    for _ in 0..3 {
        assert_eq!(h.perso_auth_with(&wrong), Err(StatusWord(0x6300)));
    }
    assert_eq!(h.chip.perso_failures(), 3);
    h.perso_auth().unwrap();
    assert_eq!(h.chip.perso_failures(), 0);
    for i in 1..MAX_PERSO_FAILURES {
        assert_eq!(
            h.perso_auth_with(&wrong),
            Err(StatusWord(0x6300)),
            "failure {i}"
        );
    }
    assert_eq!(
        h.perso_auth_with(&wrong),
        Err(StatusWord::AUTH_METHOD_BLOCKED)
    );
    // Blocked for good, even with the right key, and across save/load.
    assert_eq!(h.perso_auth(), Err(StatusWord::AUTH_METHOD_BLOCKED));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chip.json");
    h.chip.save(&path).unwrap();
    let mut h2 = Host::new(Chip::load(&path).unwrap());
    assert_eq!(h2.perso_auth(), Err(StatusWord::AUTH_METHOD_BLOCKED));
}

#[test]
fn issued_chip_refuses_perso_auth_forever() {
    let mut h = Host::new(issued());
    assert_eq!(h.perso_auth(), Err(StatusWord::CONDITIONS_NOT_SATISFIED));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chip.json");
    h.chip.save(&path).unwrap();
    let mut again = Host::new(Chip::load(&path).unwrap());
    assert_eq!(again.chip.lifecycle(), Lifecycle::Issued);
    assert_eq!(
        again.perso_auth(),
        Err(StatusWord::CONDITIONS_NOT_SATISFIED)
    );
}

#[test]
fn resumed_personalization_replaces_files_and_reads_the_key_back() {
    let mut h = Host::new(personalizing());
    h.perso_auth().unwrap();
    // DG11 exists with another size: delete and create again.
    let fcp = create_fcp(0x010B, Some(0x0B), 10);
    assert_eq!(
        h.sm(&CommandApdu::new(0, Ins::CreateFile, 0, 0).with_data(fcp.clone()))
            .sw,
        StatusWord::FILE_ALREADY_EXISTS
    );
    assert!(
        h.sm(&CommandApdu::new(0, Ins::DeleteFile, 0, 0).with_data(vec![0x01, 0x0B]))
            .is_ok()
    );
    assert!(
        h.sm(&CommandApdu::new(0, Ins::CreateFile, 0, 0).with_data(fcp))
            .is_ok()
    );
    assert_eq!(
        h.chip
            .file(ektp_iso7816::Fid::new(0x010B).unwrap())
            .unwrap(),
        &[0u8; 10]
    );
    let first = h.sm(&CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x81, 0).with_le(256));
    let again = h.sm(&CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x80, 0).with_le(256));
    assert_eq!(again.sw, StatusWord::CONDITIONS_NOT_SATISFIED);
    let later = h.sm(&CommandApdu::new(0, Ins::GenerateAsymmetricKeyPair, 0x81, 0).with_le(256));
    assert_eq!(first.data, later.data, "the key was not replaced");
}

#[test]
fn saved_mid_personalization_and_reloaded_behaves_byte_identically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chip.json");
    // Half a personalization: authenticated, some files written, no key, no CAN.
    let mut h = Host::new(blank());
    h.perso_auth().unwrap();
    let files = sample_files();
    h.personalize(&files[..4], CAN);
    h.chip.save(&path).unwrap();

    // Continue on the original chip (after a power cycle, as the reload implies).
    let mut a = Host::new(Chip::load(&path).unwrap());
    let mut original = h.chip;
    original.power_off();
    original.set_test_rng_seed([0xC3; 32]);
    a.chip.set_test_rng_seed([0xC3; 32]);
    let mut b = Host::new(original);
    // Drive `b` with the real host (PACE later needs a CAN, so personalize the rest).
    b.perso_auth().unwrap();
    b.personalize(&files[4..], CAN);
    assert_eq!(b.lock(), StatusWord::SUCCESS);
    b.raw(&SELECT_APP);
    b.pace(CAN).unwrap();
    b.sm(&CommandApdu::new(0, Ins::InternalAuthenticate, 0, 0)
        .with_data(vec![1; 8])
        .with_le(256));
    b.sm(&CommandApdu::new(0, Ins::ReadBinary, 0x82, 0).with_le(65536));
    b.raw(&[0x00, 0xB0, 0x81, 0x00, 0x04]);
    assert!(b.log.len() > 20, "{}", b.log.len());

    // Replay exactly the same command bytes to the reloaded chip: same answers, byte for
    // byte, and the same final state.
    for (i, (cmd, resp)) in b.log.iter().enumerate() {
        let got = a.raw(cmd);
        assert_eq!(&got, resp, "APDU {i}: {}", hex::encode_upper(cmd));
    }
    assert_eq!(a.chip.state_json(), b.chip.state_json());
}

#[test]
fn autosave_persists_every_committed_change_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chip.json");
    let mut h = Host::new(blank());
    h.chip.set_autosave(Some(path.clone())).unwrap();
    assert_eq!(Chip::load(&path).unwrap().lifecycle(), Lifecycle::Blank);
    h.perso_auth().unwrap();
    assert_eq!(
        Chip::load(&path).unwrap().lifecycle(),
        Lifecycle::Personalizing
    );
    h.personalize(&sample_files(), CAN);
    assert_eq!(h.lock(), StatusWord::SUCCESS);
    let saved = Chip::load(&path).unwrap();
    assert_eq!(saved.lifecycle(), Lifecycle::Issued);
    assert_eq!(saved.state_json(), h.chip.state_json());
    assert!(!dir.path().join("chip.json.tmp").exists());
}

#[test]
fn failed_autosave_rolls_the_command_back_with_6581() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("gone");
    std::fs::create_dir(&sub).unwrap();
    let path = sub.join("chip.json");
    let mut h = Host::new(personalizing());
    h.chip.set_autosave(Some(path.clone())).unwrap();
    h.perso_auth().unwrap();
    assert!(h.sm(&CommandApdu::parse(&SELECT_APP).unwrap()).is_ok());
    std::fs::remove_dir_all(&sub).unwrap();
    let before = h.chip.state_json();
    let r = h.sm(&CommandApdu::new(0, Ins::UpdateBinary, 0x81, 0).with_data(vec![0xEE; 4]));
    assert_eq!(r.sw, StatusWord::MEMORY_FAILURE);
    assert_eq!(h.chip.state_json(), before, "nothing half-applied");
    let r = h.sm(&CommandApdu::new(0, Ins::ActivateFile, 0, 0));
    assert_eq!(r.sw, StatusWord::MEMORY_FAILURE);
    assert_eq!(h.chip.lifecycle(), Lifecycle::Personalizing);
}

#[test]
fn load_rejects_bad_files_without_leaking_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chip.json");
    assert!(matches!(Chip::load(&path), Err(ChipError::Io { .. })));
    std::fs::write(&path, b"{\"format\": 1, \"can\": \"123456\"").unwrap();
    let e = Chip::load(&path).unwrap_err();
    assert!(matches!(e, ChipError::Malformed { .. }));
    assert!(!e.to_string().contains("123456"));
    let chip = personalizing();
    let mut v: serde_json::Value = serde_json::from_slice(&chip.state_json()).unwrap();
    v["can"] = serde_json::Value::String("12345x".into());
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    let e = Chip::load(&path).unwrap_err();
    assert!(matches!(e, ChipError::Inconsistent { .. }), "{e}");
    assert!(!e.to_string().contains("12345x"));
    v["can"] = serde_json::Value::String(CAN.into());
    v["files"][0]["data"] = serde_json::Value::String("00".repeat(70000));
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    assert!(matches!(
        Chip::load(&path),
        Err(ChipError::Inconsistent { .. })
    ));
}

#[test]
fn wrong_can_attempts_are_counted_and_slowed() {
    let mut profile = ektp_chip::os::ChipProfile::ektp().unwrap();
    profile.pace.free_attempts = 2;
    profile.pace.delay_initial_ms = 1;
    profile.pace.delay_max_ms = 4;
    assert_eq!(profile.pace.delay_after(1), 0);
    assert_eq!(profile.pace.delay_after(2), 1);
    assert_eq!(profile.pace.delay_after(4), 4);
    assert_eq!(profile.pace.delay_after(40), 4);
    let mut chip =
        Chip::new_blank_with_profile(support::SERIAL, &support::master(), profile).unwrap();
    chip.set_test_rng_seed(SEED);
    let mut h = Host::new(chip);
    h.perso_auth().unwrap();
    h.personalize(&sample_files(), CAN);
    for n in 1..=4u32 {
        assert_eq!(h.pace("000000"), Err(StatusWord(0x6300)));
        assert_eq!(h.chip.pace_failures(), n);
    }
    // Attempts 3 and 4 started after 2 and 3 failures: slowed.
    assert_eq!(h.chip.throttled(), 2);
    h.pace(CAN).unwrap();
    assert_eq!(h.chip.throttled(), 3);
    assert_eq!(h.chip.pace_failures(), 0);
    h.pace(CAN).unwrap();
    assert_eq!(h.chip.throttled(), 3, "no delay once a PACE succeeded");
}

#[test]
fn pace_needs_the_can_and_proper_chaining() {
    let mut h = Host::new(blank());
    assert_eq!(h.pace(CAN), Err(StatusWord::REFERENCED_DATA_NOT_FOUND));
    let mut h = Host::new(issued());
    // MSE:Set AT with another password reference (MRZ) or garbage.
    let mse = ektp_sm::pace::mse_set_at_data(
        &ektp_sm::PaceParams::EKTP_DEFAULT,
        ektp_sm::PasswordRef::Mrz,
    );
    let mut cmd = vec![0x00, 0x22, 0xC1, 0xA4, mse.len() as u8];
    cmd.extend_from_slice(&mse);
    assert_eq!(sw(&h.raw(&cmd)), StatusWord::REFERENCED_DATA_NOT_FOUND);
    let garbage = sw(&h.raw(&[0x00, 0x22, 0xC1, 0xA4, 0x02, 0xAB, 0x00]));
    assert!(
        garbage == StatusWord::WRONG_DATA || garbage == StatusWord::REFERENCED_DATA_NOT_FOUND,
        "{garbage}"
    );
    assert_eq!(
        sw(&h.raw(&[0x00, 0x22, 0x41, 0xA4, 0x02, 0x83, 0x00])),
        StatusWord::INCORRECT_P1P2
    );
    // A correct MSE, then GA step 1 without the chaining bit: refused, run over.
    let mse = ektp_sm::pace::mse_set_at_data(
        &ektp_sm::PaceParams::EKTP_DEFAULT,
        ektp_sm::PasswordRef::Can,
    );
    let mut cmd = vec![0x00, 0x22, 0xC1, 0xA4, mse.len() as u8];
    cmd.extend_from_slice(&mse);
    assert_eq!(h.raw(&cmd), [0x90, 0x00]);
    assert_eq!(
        sw(&h.raw(&[0x00, 0x86, 0x00, 0x00, 0x02, 0x7C, 0x00, 0x00])),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );
    assert_eq!(
        sw(&h.raw(&[0x10, 0x86, 0x00, 0x00, 0x02, 0x7C, 0x00, 0x00])),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );
    // Another command between MSE and GA aborts the run.
    assert_eq!(h.raw(&cmd), [0x90, 0x00]);
    assert_eq!(
        sw(&h.raw(&[0x00, 0xCA, 0xDF, 0x02, 0x00])),
        StatusWord::SUCCESS
    );
    assert_eq!(
        sw(&h.raw(&[0x10, 0x86, 0x00, 0x00, 0x02, 0x7C, 0x00, 0x00])),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );
    // A good run still works afterwards, and wrong CANs were not counted for aborted runs.
    assert_eq!(h.chip.pace_failures(), 0);
    h.pace(CAN).unwrap();
}
