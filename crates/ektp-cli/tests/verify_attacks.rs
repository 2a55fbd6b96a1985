//! Issue 12 through the real pcscd and the vpcd reader: `ektp verify` exits 1, with the
//! reason on stderr and in `--json`, for each card a forger can make that an older desk passed:
//! an unlocked card, a foreign root's signature, a swapped portrait, an EF.COM that hides
//! the groups it swapped, a signer minted with a document signer's key, a delta CRL hiding a
//! revoked signer, and a revoked document number written in lower case. The library-level tests of the same attacks are in
//! `crates/ektp/tests/verify_attacks.rs`; this file shows what the desk operator sees.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::path::Path;
use std::time::{Duration, SystemTime};

use ektp::{Application, Card, Lifecycle};
use ektp_chip::Chip;
use ektp_chip::vpcd::SlotLock;
use ektp_lds::{Dg14, Dg15, DgNumber, EfCom, LdsFile, LdsImage};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey};
use ektp_pki::{Signer, SodOptions, sign_ef_sod};
use ektp_sm::PaceParams;
use ektp_sm::card_access::{
    AaHash, ActiveAuthenticationInfo, PaceInfo, SecurityInfo, SecurityInfos,
};

mod common;
use common::*;

const PORT: u16 = 35963;
const READER: &str = "Virtual PCD 00 00";
const DAY: Duration = Duration::from_secs(86_400);

fn specimen(name: &str) -> Application {
    ektp::load_application(specimen_path(name)).unwrap()
}

/// The application's CAN as typed at the desk.
fn can(app: &Application) -> String {
    String::from_utf8(app.can.expose_ascii().to_vec()).unwrap()
}

/// What a printing station writes, before EF.SOD is signed; a test changes it.
struct Parts {
    com: Vec<u8>,
    /// Data groups as written to the chip.
    dgs: Vec<(DgNumber, Vec<u8>)>,
    /// Data groups EF.SOD signs (all of `dgs` unless a test says otherwise).
    signed: Vec<DgNumber>,
    /// Data groups replaced after signing (what a forger writes under a genuine EF.SOD).
    swapped: Vec<(DgNumber, Vec<u8>)>,
}

/// Writes `app` onto a fresh chip as a station would, with `edit` applied, EF.SOD signed by
/// `signer`; locks the card only if `lock`.
fn forge(
    serial: [u8; 8],
    app: &Application,
    signer: &dyn Signer,
    lock: bool,
    edit: impl FnOnce(&mut Parts),
) -> Chip {
    let key = ektp_chip::os::test_perso_master_key().unwrap();
    let mut card = Card::new(Chip::new_blank(serial, &key).unwrap().into_in_process()).unwrap();
    {
        let mut s = card.personalization(&key).unwrap();
        let spki = s.aa_public_key().unwrap();
        let image = LdsImage::from_application(app).unwrap();
        let pace = SecurityInfo::Pace(PaceInfo::from_params(PaceParams::EKTP_DEFAULT));
        let card_access = SecurityInfos(vec![pace.clone()]).to_der().unwrap();
        let dg14 = Dg14::new(SecurityInfos(vec![
            pace,
            SecurityInfo::ActiveAuthentication(ActiveAuthenticationInfo::ecdsa(AaHash::Sha256)),
        ]))
        .unwrap();
        let dg15 = Dg15::new(spki).unwrap();
        let dgs: Vec<(DgNumber, Vec<u8>)> = [
            (DgNumber::DG1, image.dg1.as_bytes()),
            (DgNumber::DG2, image.dg2.as_bytes()),
            (DgNumber::DG3, image.dg3.as_bytes()),
            (DgNumber::DG7, image.dg7.as_bytes()),
            (DgNumber::DG11, image.dg11.as_bytes()),
            (DgNumber::DG12, image.dg12.as_bytes()),
            (DgNumber::DG13, image.dg13.as_bytes()),
            (DgNumber::DG14, dg14.as_bytes()),
            (DgNumber::DG15, dg15.as_bytes()),
        ]
        .iter()
        .map(|(n, b)| (*n, b.to_vec()))
        .collect();
        let mut parts = Parts {
            com: image.com.as_bytes().to_vec(),
            signed: dgs.iter().map(|(n, _)| *n).collect(),
            dgs,
            swapped: Vec::new(),
        };
        edit(&mut parts);
        let to_sign: Vec<(DgNumber, &[u8])> = parts
            .dgs
            .iter()
            .filter(|(n, _)| parts.signed.contains(n))
            .map(|(n, b)| (*n, b.as_slice()))
            .collect();
        let sod = sign_ef_sod(&to_sign, signer, &SodOptions::new(SystemTime::now())).unwrap();
        for (n, b) in parts.swapped {
            if let Some(slot) = parts.dgs.iter_mut().find(|(m, _)| *m == n) {
                slot.1 = b;
            }
        }
        s.write_file(LdsFile::CardAccess, &card_access).unwrap();
        s.write_file(LdsFile::Com, &parts.com).unwrap();
        for (n, b) in &parts.dgs {
            s.write_file(LdsFile::Dg(*n), b).unwrap();
        }
        s.write_file(LdsFile::Sod, &sod).unwrap();
        s.set_can(&app.can).unwrap();
    }
    card.reset().unwrap();
    if lock {
        card.personalization(&key).unwrap().lock().unwrap();
        assert_eq!(card.lifecycle().unwrap(), Lifecycle::Issued);
    }
    card.into_transport().into_card()
}

/// A TEST root with its document signer, of `country`.
fn test_pki(country: &str, org: &str) -> (TestCa, ektp_pki::RingSigner) {
    let now = SystemTime::now();
    let root = TestCa::new(
        country,
        org,
        &format!("CSCA {country}"),
        &TestKey::EcdsaP256,
        now - DAY,
        now + DAY * 3650,
    )
    .unwrap();
    let mut spec = DocumentSignerSpec::new(&format!("DS {country}"), TestKey::EcdsaP256, now);
    spec.country = country.to_owned();
    spec.organization = org.to_owned();
    let signer = root.issue_document_signer(&spec).unwrap().signer().unwrap();
    (root, signer)
}

/// Writes a root and a current empty CRL of it into the trust directory.
fn trust(dir: &Path, name: &str, root: &TestCa) {
    let now = SystemTime::now();
    std::fs::write(dir.join(format!("{name}.der")), root.certificate_der()).unwrap();
    std::fs::write(
        dir.join(format!("{name}.crl")),
        root.crl(&[], now - DAY, now + DAY * 30, 1).unwrap(),
    )
    .unwrap();
}

/// Serves `chip` and runs `ektp --json verify` (with `--expect` for the application):
/// exit 1, the failed check named on stderr with `reason`, and the same in the JSON.
fn refused(dir: &TempDir, name: &str, chip: Chip, expect: bool, check: &str, reason: &str) {
    let extra: &[&str] = if expect {
        &["--expect", &specimen_path("pria")]
    } else {
        &[]
    };
    refused_with(dir, name, chip, &dir.join("trust"), extra, check, reason);
}

/// As [`refused`], with another trust directory and more `verify` options.
fn refused_with(
    dir: &TempDir,
    name: &str,
    chip: Chip,
    trust_dir: &Path,
    extra: &[&str],
    check: &str,
    reason: &str,
) {
    let state = dir.join(&format!("{name}.json"));
    chip.save(&state).unwrap();
    let sim = Sim::start(PORT, &state);
    let mut args = vec![
        "--reader".to_owned(),
        READER.to_owned(),
        "--json".to_owned(),
        "verify".to_owned(),
        "--can".to_owned(),
        can(&specimen("pria")),
        "--trust".to_owned(),
        trust_dir.to_string_lossy().into_owned(),
    ];
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    let o = ektp().args(&args).output().unwrap();
    drop(sim);
    assert_eq!(o.status.code(), Some(1), "{name}: {}", show(&o));
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.starts_with(&format!("FAILED {check}: ")) && l.contains(reason)),
        "{name}: stderr names {check} with {reason:?}: {}",
        show(&o)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["passed"], false, "{name}");
    let c = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == check)
        .unwrap_or_else(|| panic!("{name}: no {check} in {v:#}"));
    assert_eq!(c["passed"], false, "{name}: {c}");
    assert!(
        c["reason"].as_str().unwrap().contains(reason),
        "{name}: {c}"
    );
}

#[test]
fn verify_refuses_unlocked_foreign_signed_portrait_swapped_and_ef_com_hiding_cards() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(300)).unwrap();
    let dir = TempDir::new("desk");
    std::fs::create_dir_all(dir.join("trust")).unwrap();
    let (id_root, id_signer) = test_pki("ID", "Dukcapil");
    let (my_root, my_signer) = test_pki("MY", "JPN");
    trust(&dir.join("trust"), "id", &id_root);
    trust(&dir.join("trust"), "my", &my_root);
    let app = specimen("pria");
    let other = LdsImage::from_application(&specimen("wanita")).unwrap();

    // The honest card verifies: the desk is not just refusing everything.
    let honest = forge(*b"HONEST01", &app, &id_signer, true, |_| {});
    let state = dir.join("honest.json");
    honest.save(&state).unwrap();
    let sim = Sim::start(PORT, &state);
    let o = run(&[
        "--reader",
        READER,
        "verify",
        "--can",
        &can(&app),
        "--trust",
        &dir.join("trust").to_string_lossy(),
        "--expect",
        &specimen_path("pria"),
    ]);
    drop(sim);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    for check in ["lifecycle", "issuing_state", "record_match"] {
        assert!(
            stdout(&o).contains(&format!("PASS  {check}")),
            "{}",
            show(&o)
        );
    }

    // Pulled before ACTIVATE: still personalizing.
    let unlocked = forge(*b"UNLOCK01", &app, &id_signer, false, |_| {});
    refused(&dir, "unlocked", unlocked, true, "lifecycle", "not locked");

    // Indonesian data signed under a foreign root the desk also trusts.
    let foreign = forge(*b"FOREIGN1", &app, &my_signer, true, |_| {});
    refused(
        &dir,
        "foreign",
        foreign,
        true,
        "issuing_state",
        "document signer country MY",
    );

    // Another person's portrait and signature, genuinely signed.
    let swapped = forge(*b"SWAPPED1", &app, &id_signer, true, |p| {
        for (n, b) in &mut p.dgs {
            if *n == DgNumber::DG2 {
                *b = other.dg2.as_bytes().to_vec();
            }
            if *n == DgNumber::DG7 {
                *b = other.dg7.as_bytes().to_vec();
            }
        }
    });
    refused(
        &dir,
        "swapped",
        swapped,
        true,
        "record_match",
        "DG2 (portrait) differs from the application",
    );

    // The genuine EF.SOD, swapped images, and an EF.COM that no longer lists them.
    let hiding = forge(*b"HIDING01", &app, &id_signer, true, |p| {
        p.com = EfCom::new(&[
            DgNumber::DG1,
            DgNumber::DG3,
            DgNumber::DG11,
            DgNumber::DG12,
            DgNumber::DG13,
            DgNumber::DG14,
            DgNumber::DG15,
        ])
        .as_bytes()
        .to_vec();
        p.swapped = vec![
            (DgNumber::DG2, other.dg2.as_bytes().to_vec()),
            (DgNumber::DG7, other.dg7.as_bytes().to_vec()),
        ];
    });
    refused(
        &dir,
        "hiding",
        hiding,
        false,
        "passive_authentication",
        "DG2",
    );
}

/// The trust-store and revocation attacks, as the desk operator sees them: a signer minted
/// with a document signer's key (its certificate and CRL dropped into the trust directory),
/// a root-signed delta CRL that would hide the revocation of the card's signer, and a revoked
/// document number written in lower case.
#[test]
fn verify_refuses_ds_minted_signers_delta_crl_overrides_and_lower_case_revoked_entries() {
    let _slot = SlotLock::acquire(PORT, Duration::from_secs(300)).unwrap();
    let dir = TempDir::new("desk-trust");
    let now = SystemTime::now();
    let app = specimen("pria");
    let root = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA ID",
        &TestKey::EcdsaP256,
        now - DAY,
        now + DAY * 3650,
    )
    .unwrap();
    let genuine = root
        .issue_document_signer(&DocumentSignerSpec::new("DS ID", TestKey::EcdsaP256, now))
        .unwrap();

    // A document signer's certificate and a CRL its key signed, next to the real root.
    let minted_trust = dir.join("minted-trust");
    std::fs::create_dir_all(&minted_trust).unwrap();
    trust(&minted_trust, "root", &root);
    let (minted, minted_crl) = genuine
        .mint_signer_and_crl(&DocumentSignerSpec::new("Minted", TestKey::EcdsaP256, now))
        .unwrap();
    std::fs::write(minted_trust.join("ds.der"), genuine.certificate_der()).unwrap();
    std::fs::write(minted_trust.join("ds.crl"), &minted_crl).unwrap();
    let card = forge(*b"MINTED01", &app, &minted.signer().unwrap(), true, |_| {});
    refused_with(
        &dir,
        "minted",
        card,
        &minted_trust,
        &[],
        "passive_authentication",
        "cannot be a trusted root",
    );

    // The base CRL revokes the card's signer; a newer delta CRL lists nothing.
    let delta_trust = dir.join("delta-trust");
    std::fs::create_dir_all(&delta_trust).unwrap();
    std::fs::write(delta_trust.join("root.der"), root.certificate_der()).unwrap();
    let serial = genuine.serial().unwrap();
    std::fs::write(
        delta_trust.join("base.crl"),
        root.crl(&[&serial], now - DAY * 2, now + DAY * 30, 1)
            .unwrap(),
    )
    .unwrap();
    std::fs::write(
        delta_trust.join("delta.crl"),
        root.delta_crl(&[], now - DAY, now + DAY * 30, 2, 1)
            .unwrap(),
    )
    .unwrap();
    let card = forge(*b"DELTA001", &app, &genuine.signer().unwrap(), true, |_| {});
    refused_with(
        &dir,
        "delta",
        card,
        &delta_trust,
        &[],
        "passive_authentication",
        "revoked",
    );

    // The card's document number, revoked, written in lower case.
    let id_trust = dir.join("id-trust");
    std::fs::create_dir_all(&id_trust).unwrap();
    trust(&id_trust, "root", &root);
    let list = dir.join("revoked.txt");
    std::fs::write(
        &list,
        format!(
            "# revoked cards\n{}\n",
            app.holder.document_number.as_str().to_lowercase()
        ),
    )
    .unwrap();
    let card = forge(*b"REVOKED1", &app, &genuine.signer().unwrap(), true, |_| {});
    refused_with(
        &dir,
        "revoked",
        card,
        &id_trust,
        &["--revoked", &list.to_string_lossy()],
        "not_revoked",
        "on the revocation list",
    );
}
