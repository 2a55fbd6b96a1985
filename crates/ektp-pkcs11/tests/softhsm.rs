//! Against a throwaway SoftHSM2 token made for this test process (its own `SOFTHSM2_CONF` and
//! token directory under the target dir, removed at the end): keys generated independently by
//! OpenSC's `pkcs11-tool`, certified by the TEST root, sign EF.SODs that Passive
//! Authentication and `openssl cms -verify` accept, and a card the desk verifies; the master key imported into the token
//! diversifies the same chip keys as the file; a terminal key in the token passes Terminal
//! Authentication and reads DG3; each failure has its own error and exit code.
//!
//! Needs Debian's `softhsm2`, `opensc` and `openssl` (`.ci/lib.sh` installs them). Without the
//! SoftHSM module the test is skipped, except under CI where it fails.

// This whole crate is a test: helpers outside #[test] fns may unwrap, index and add too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]
// `std::env::set_var` is unsafe (other threads may read the environment): the one test below
// sets SOFTHSM2_CONF once, before it loads the module or starts any thread.
#![allow(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ektp_lds::DgNumber;
use ektp_pkcs11::{
    KeyPurpose, Module, Pin, PinTries, Pkcs11CvSigner, Pkcs11Error, Pkcs11MasterKey, Pkcs11Signer,
    Pkcs11Uri, Token, Unsuitable,
};
use ektp_pki::cvc::{CertificateReference, CvSigner, RequestBuilder};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey};
use ektp_pki::{
    EfSod, PublicKey, SignatureAlgorithm, Signer, SodOptions, TrustStore, passive_authentication,
    sign_ef_sod,
};
use ektp_sm::perso::{MasterKey, MasterKeySource, PersoKeys, TEST_MASTER_KEY_HEX};

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "ektp-test";
const PIN_TOKEN: &str = "ektp-pin-test";
const USER_PIN: &str = "246810";
const SO_PIN: &str = "13579135";
const DAY: Duration = Duration::from_secs(86_400);

/// The token directory; removed on drop (also when a step panics).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(dir: &Path, program: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("SOFTHSM2_CONF", dir.join("softhsm2.conf"))
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn tool(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec![
        "--module",
        MODULE,
        "--token-label",
        TOKEN,
        "--login",
        "--pin",
        USER_PIN,
    ];
    all.extend_from_slice(args);
    run(dir, "pkcs11-tool", &all)
}

/// A fresh SoftHSM2 configuration and two tokens, with keys made by `pkcs11-tool`.
fn setup() -> Scratch {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "softhsm-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    let scratch = Scratch(dir.clone());
    std::fs::write(
        dir.join("softhsm2.conf"),
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
            dir.join("tokens").display()
        ),
    )
    .unwrap();
    // SAFETY: set once, before the module is loaded and before this test starts any thread.
    unsafe { std::env::set_var("SOFTHSM2_CONF", dir.join("softhsm2.conf")) };
    for label in [TOKEN, PIN_TOKEN] {
        run(
            &dir,
            "softhsm2-util",
            &[
                "--init-token",
                "--free",
                "--label",
                label,
                "--pin",
                USER_PIN,
                "--so-pin",
                SO_PIN,
            ],
        );
    }
    // Document signers generated inside the token, independently of ektp.
    tool(
        &dir,
        &[
            "--keypairgen",
            "--key-type",
            "EC:prime256v1",
            "--label",
            "ds-p256",
            "--id",
            "01",
            "--usage-sign",
        ],
    );
    tool(
        &dir,
        &[
            "--keypairgen",
            "--key-type",
            "EC:secp384r1",
            "--label",
            "ds-p384",
            "--id",
            "02",
            "--usage-sign",
        ],
    );
    // An RSA document signer (RSASSA-PSS through CKM_RSA_PKCS_PSS).
    tool(
        &dir,
        &[
            "--keypairgen",
            "--key-type",
            "rsa:2048",
            "--label",
            "ds-rsa",
            "--id",
            "06",
            "--usage-sign",
        ],
    );
    // A key that may derive but not sign (SoftHSM sets CKA_SIGN on every EC private key; the
    // allowed mechanisms say what it is for).
    tool(
        &dir,
        &[
            "--keypairgen",
            "--key-type",
            "EC:prime256v1",
            "--label",
            "derive-only",
            "--id",
            "03",
            "--usage-derive",
            "--allowed-mechanisms",
            "ECDH1-DERIVE",
        ],
    );
    // A terminal key for CV requests.
    tool(
        &dir,
        &[
            "--keypairgen",
            "--key-type",
            "EC:prime256v1",
            "--label",
            "terminal",
            "--id",
            "04",
            "--usage-sign",
        ],
    );
    // The TEST master key, imported as a sensitive, non-extractable AES-256 secret key.
    let master = MasterKey::from_hex(TEST_MASTER_KEY_HEX).unwrap();
    std::fs::write(dir.join("master.bin"), master.expose_bytes()).unwrap();
    tool(
        &dir,
        &[
            "--write-object",
            "master.bin",
            "--type",
            "secrkey",
            "--key-type",
            "AES:32",
            "--label",
            "perso-master",
            "--id",
            "05",
            "--usage-sign",
            "--sensitive",
            "--private",
        ],
    );
    std::fs::remove_file(dir.join("master.bin")).unwrap();
    scratch
}

/// The public key as this crate reads it from the token, checked against OpenSC's export
/// (SubjectPublicKeyInfo) for P-256. (OpenSC 0.23 cannot export a P-384 public key: "cannot
/// create EVP_PKEY".)
fn public_key(dir: &Path, token: &Token, label: &str) -> PublicKey {
    if label.contains("rsa") {
        let args = [
            "--read-object",
            "--type",
            "pubkey",
            "--label",
            label,
            "-o",
            "pub.der",
        ];
        tool(dir, &args);
        return PublicKey::from_spki_der(&std::fs::read(dir.join("pub.der")).unwrap()).unwrap();
    }
    let ours = token
        .ec_public_key(&uri(&format!("pkcs11:token={TOKEN};object={label}")))
        .unwrap();
    if matches!(ours, PublicKey::EcP256(_)) {
        let args = [
            "--read-object",
            "--type",
            "pubkey",
            "--label",
            label,
            "-o",
            "pub.der",
        ];
        tool(dir, &args);
        let opensc =
            PublicKey::from_spki_der(&std::fs::read(dir.join("pub.der")).unwrap()).unwrap();
        assert_eq!(opensc.raw(), ours.raw());
    }
    ours
}

fn uri(s: &str) -> Pkcs11Uri {
    s.parse().unwrap()
}

fn login() -> Arc<Token> {
    let module = Module::open(Path::new(MODULE)).unwrap();
    module
        .login(TOKEN, &Pin::new(USER_PIN.into()).unwrap())
        .unwrap()
}

fn card() -> Vec<(DgNumber, Vec<u8>)> {
    vec![
        (
            DgNumber::new(1).unwrap(),
            b"\x61\x05\x5F\x1F\x02ID".to_vec(),
        ),
        (DgNumber::new(2).unwrap(), vec![0x75; 2048]),
    ]
}

/// The token-held key signs an EF.SOD that our Passive Authentication and OpenSSL accept.
fn document_signer_in_token_signs_verifiable_sods(dir: &Path, token: &Arc<Token>, label: &str) {
    let now = SystemTime::now();
    let ca = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA",
        &TestKey::EcdsaP256,
        now - DAY,
        now + DAY * 3650,
    )
    .unwrap();
    let spec = DocumentSignerSpec::new(&format!("DS {label}"), TestKey::EcdsaP256, now);
    let cert = ca
        .issue_document_signer_for_public_key(&spec, &public_key(dir, token, label))
        .unwrap();
    let key_uri = uri(&format!("pkcs11:token={TOKEN};object={label};type=private"));
    let signer = Pkcs11Signer::new(token.clone(), &key_uri, Some(cert)).unwrap();
    assert!(!format!("{signer:?}").contains(USER_PIN));
    let expected = match label {
        "ds-p256" => SignatureAlgorithm::EcdsaSha256,
        "ds-p384" => SignatureAlgorithm::EcdsaSha384,
        _ => SignatureAlgorithm::RsaPssSha256,
    };
    assert_eq!(signer.signature_algorithm(), expected);

    let dgs = card();
    let pairs: Vec<(DgNumber, &[u8])> = dgs.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let ef_sod = sign_ef_sod(&pairs, &signer, &SodOptions::new(now)).unwrap();

    let mut trust = TrustStore::new();
    trust.add_root_der(ca.certificate_der()).unwrap();
    trust
        .add_crl_der(&ca.crl(&[], now - DAY, now + DAY * 30, 1).unwrap())
        .unwrap();
    let report = passive_authentication(&ef_sod, &pairs, &trust, now);
    assert!(
        report.passed(),
        "{label}: {:?}",
        report.failures().collect::<Vec<_>>()
    );

    std::fs::write(
        dir.join("sod.der"),
        EfSod::from_bytes(&ef_sod).unwrap().content_info_der(),
    )
    .unwrap();
    std::fs::write(dir.join("root.pem"), ca.certificate_pem()).unwrap();
    run(
        dir,
        "openssl",
        &[
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            "sod.der",
            "-binary",
            "-CAfile",
            "root.pem",
            "-purpose",
            "any",
            "-out",
            "content.bin",
        ],
    );
    // The independently generated key signs a whole card that the desk verifies.
    if label == "ds-p256" {
        let key = MasterKey::from_hex(TEST_MASTER_KEY_HEX).unwrap();
        let station = ektp::Station {
            signer: &signer,
            master_key: &key,
            trust: &trust,
            cvca: None,
        };
        let app = ektp::load_application(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../cards/specimens/pria/application.json"),
        )
        .unwrap();
        let chip = ektp_chip::Chip::new_blank(*b"TOKENDS1", &key).unwrap();
        let mut card = ektp::Card::new(chip.into_in_process()).unwrap();
        let issued = card.personalize(&app, &station, &mut |_| {}).unwrap();
        assert!(issued.report.passed, "{:?}", issued.report);
        let revoked = ektp::RevocationList::empty();
        let desk = ektp::VerifyPolicy {
            trust: &trust,
            revoked: &revoked,
            expected: Some(&app),
            at: SystemTime::now(),
        };
        let report = card.verify(&app.can, &desk).unwrap();
        assert!(report.passed, "{:?}", report.first_failure());
    }
    // A key that is not the certificate's is caught when the signer is made.
    let other = ca.issue_document_signer(&spec).unwrap();
    let err = Pkcs11Signer::new(
        token.clone(),
        &key_uri,
        Some(other.certificate_der().to_vec()),
    )
    .unwrap_err();
    assert!(
        matches!(err, Pkcs11Error::KeyCertificateMismatch { .. }),
        "{err}"
    );
}

/// The same chip's keys diversified from the master key file and inside the token are equal.
fn master_key_in_token_diversifies_as_the_file(token: &Arc<Token>) {
    let file = MasterKey::from_hex(TEST_MASTER_KEY_HEX).unwrap();
    let in_token = Pkcs11MasterKey::new(
        token.clone(),
        &uri(&format!("pkcs11:token={TOKEN};object=perso-master")),
    )
    .unwrap();
    assert!(
        !in_token.extractable(),
        "the imported master key must be non-extractable"
    );
    for serial in [[0u8; 8], [1, 2, 3, 4, 5, 6, 7, 8], [0xFF; 8]] {
        let a: PersoKeys = MasterKeySource::diversify(&file, &serial).unwrap();
        let b = in_token.diversify(&serial).unwrap();
        assert_eq!(a.enc().expose_bytes(), b.enc().expose_bytes());
        assert_eq!(a.mac().expose_bytes(), b.mac().expose_bytes());
    }
    // A signing key is not a master key.
    let err = Pkcs11MasterKey::new(
        token.clone(),
        &uri(&format!("pkcs11:token={TOKEN};object=ds-p256;type=private")),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Pkcs11Error::WrongObjectType {
                purpose: KeyPurpose::MasterKey,
                ..
            }
        ),
        "{err}"
    );
}

/// A terminal key in the token signs a CV certificate request whose proof of possession
/// verifies.
fn terminal_key_in_token_signs_cv_requests(token: &Arc<Token>) {
    let signer = Pkcs11CvSigner::new(
        token.clone(),
        &uri(&format!(
            "pkcs11:token={TOKEN};object=terminal;type=private"
        )),
    )
    .unwrap();
    let req = RequestBuilder::new(CertificateReference::new("IDISTERM00001").unwrap())
        .sign(&signer)
        .unwrap();
    req.verify_inner().unwrap();
    assert_eq!(signer.curve(), ektp_pki::cvc::Curve::NistP256);
    // P-384 is not a CV certificate curve here.
    let err = Pkcs11CvSigner::new(
        token.clone(),
        &uri(&format!("pkcs11:token={TOKEN};object=ds-p384")),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Pkcs11Error::KeyUnsuitable {
                why: Unsuitable::Curve(_),
                ..
            }
        ),
        "{err}"
    );
}

/// A terminal key in the token performs Terminal Authentication (issue 15 with issue 14): the
/// department's CVCA, a DV and an IS certificate for the token's key; a card personalized with
/// that CVCA opens DG3 to the token, and DG3's hash is the one EF.SOD signs.
fn terminal_key_in_token_reads_dg3(token: &Arc<Token>) {
    use ektp_lds::{Dg14, LdsFile};
    use ektp_pki::cvc::{
        AccessRights, CertificateBuilder, Chat, Curve, CvDate, Role, SoftwareCvSigner,
    };
    let signer = Pkcs11CvSigner::new(
        token.clone(),
        &uri(&format!(
            "pkcs11:token={TOKEN};object=terminal;type=private"
        )),
    )
    .unwrap();
    let d = |s: &str| CvDate::from_yymmdd(s).unwrap();
    let r = |s: &str| CertificateReference::new(s).unwrap();
    let rights = AccessRights::READ_DG3;
    let cvca_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let cvca = CertificateBuilder::new(
        r("IDCVCA00001"),
        Chat::inspection_system(Role::Cvca, rights),
        d("260101"),
        d("290101"),
    )
    .self_signed(&cvca_key)
    .unwrap();
    let dv_key = SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let dv = CertificateBuilder::new(
        r("IDDVBANK0001"),
        Chat::inspection_system(Role::DvDomestic, rights),
        d("260101"),
        d("270101"),
    )
    .issue(&dv_key.public_key(false), &cvca, &cvca_key)
    .unwrap();
    let is = CertificateBuilder::new(
        r("IDISTERM0001"),
        Chat::inspection_system(Role::Terminal, rights),
        d("260110"),
        d("260701"),
    )
    .issue(&signer.public_key(false), &dv, &dv_key)
    .unwrap();

    let now = SystemTime::now();
    let root = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA",
        &TestKey::EcdsaP256,
        now - DAY,
        now + DAY * 3650,
    )
    .unwrap();
    let ds = root
        .issue_document_signer(&DocumentSignerSpec::new("DS", TestKey::EcdsaP256, now))
        .unwrap()
        .signer()
        .unwrap();
    let mut trust = TrustStore::new();
    trust.add_root_der(root.certificate_der()).unwrap();
    trust
        .add_crl_der(&root.crl(&[], now - DAY, now + DAY * 30, 1).unwrap())
        .unwrap();
    let key = MasterKey::from_hex(TEST_MASTER_KEY_HEX).unwrap();
    let station = ektp::Station {
        signer: &ds,
        master_key: &key,
        trust: &trust,
        cvca: Some(&cvca),
    };
    let app = ektp::load_application(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cards/specimens/pria/application.json"),
    )
    .unwrap();
    let chip = ektp_chip::Chip::new_blank(*b"TOKENTA1", &key).unwrap();
    let mut card = ektp::Card::new(chip.into_in_process()).unwrap();
    card.personalize(&app, &station, &mut |_| {}).unwrap();
    let (dg14, sod) = {
        let mut s = card.pace(&app.can).unwrap();
        let dg14 = Dg14::decode(&s.read(LdsFile::Dg(DgNumber::DG14)).unwrap()).unwrap();
        let sod = EfSod::from_bytes(&s.read(LdsFile::Sod).unwrap()).unwrap();
        (dg14, sod)
    };
    let mut ta = card
        .pace(&app.can)
        .unwrap()
        .chip_authenticate(&dg14)
        .unwrap()
        .terminal_authenticate(&[dv, is], &signer)
        .unwrap();
    let dg3 = ta.read_dg3().unwrap();
    assert_eq!(
        sod.data_group_digest().digest(&dg3),
        sod.data_group_hash(DgNumber::DG3).unwrap()
    );
}

fn wrong_pin_is_its_own_error() -> Pkcs11Error {
    let module = Module::open(Path::new(MODULE)).unwrap();
    let err = module
        .login(PIN_TOKEN, &Pin::new("000000".into()).unwrap())
        .unwrap_err();
    assert!(
        matches!(&err, Pkcs11Error::WrongPin { token, tries: PinTries::Unknown | PinTries::Low | PinTries::FinalTry } if token == PIN_TOKEN),
        "{err}"
    );
    assert!(
        !format!("{err} {err:?}").contains("000000"),
        "the PIN leaked: {err}"
    );
    err
}

fn missing_token_lists_the_tokens() -> Pkcs11Error {
    let module = Module::open(Path::new(MODULE)).unwrap();
    let err = module
        .login("no-such-token", &Pin::new(USER_PIN.into()).unwrap())
        .unwrap_err();
    let Pkcs11Error::TokenNotPresent { present, .. } = &err else {
        panic!("{err}")
    };
    assert!(present.iter().any(|l| l == TOKEN), "{present:?}");
    assert!(!format!("{err} {err:?}").contains(USER_PIN));
    err
}

fn missing_object_lists_what_is_there(token: &Arc<Token>) -> Pkcs11Error {
    let err = Pkcs11Signer::new(
        token.clone(),
        &uri(&format!("pkcs11:token={TOKEN};object=no-such-key")),
        None,
    )
    .unwrap_err();
    // A URI naming another token than the one logged in to is refused, not searched.
    let elsewhere = Pkcs11Signer::new(
        token.clone(),
        &uri(&format!("pkcs11:token={PIN_TOKEN};object=ds-p256")),
        None,
    )
    .unwrap_err();
    assert!(
        matches!(elsewhere, Pkcs11Error::TokenNotPresent { .. }),
        "{elsewhere}"
    );
    let Pkcs11Error::ObjectNotFound { present, .. } = &err else {
        panic!("{err}")
    };
    assert!(
        present.iter().any(|o| o.label == "ds-p256" && o.id == [1]),
        "{present:?}"
    );
    assert!(
        present.iter().any(|o| o.label == "perso-master"),
        "{present:?}"
    );
    // Labels and ids only: the master key's value is nowhere in the message.
    let master = MasterKey::from_hex(TEST_MASTER_KEY_HEX).unwrap();
    let hex: String = master
        .expose_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(!format!("{err} {err:?}").to_lowercase().contains(&hex));
    err
}

fn non_signing_key_is_refused(token: &Arc<Token>) -> Pkcs11Error {
    let err = Pkcs11Signer::new(
        token.clone(),
        &uri(&format!(
            "pkcs11:token={TOKEN};object=derive-only;type=private"
        )),
        None,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Pkcs11Error::KeyUnsuitable {
                why: Unsuitable::NotForSigning,
                purpose: KeyPurpose::DocumentSigner,
                ..
            }
        ),
        "{err}"
    );
    err
}

/// `pki init --pkcs11` groundwork: a key pair generated by ektp inside the token is
/// non-extractable, and certified outside it signs EF.SODs.
fn key_generated_in_the_token_signs_and_stays_there(token: &Arc<Token>) {
    let public = token
        .generate_ec_p256_key_pair("ektp-gen", &[0x09])
        .unwrap();
    assert!(matches!(public, PublicKey::EcP256(ref p) if p.len() == 65 && p[0] == 0x04));
    let listed = token
        .ec_public_key(&uri(&format!("pkcs11:token={TOKEN};object=ektp-gen")))
        .unwrap();
    assert_eq!(listed.raw(), public.raw());
    let now = SystemTime::now();
    let ca = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA",
        &TestKey::EcdsaP256,
        now - DAY,
        now + DAY * 3650,
    )
    .unwrap();
    let spec = DocumentSignerSpec::new("DS generated", TestKey::EcdsaP256, now);
    let cert = ca
        .issue_document_signer_for_public_key(&spec, &public)
        .unwrap();
    let key_uri = uri(&format!(
        "pkcs11:token={TOKEN};object=ektp-gen;type=private"
    ));
    let signer = Pkcs11Signer::new(token.clone(), &key_uri, Some(cert)).unwrap();
    assert!(!signer.sign(b"signed attributes").unwrap().is_empty());
}

#[test]
fn softhsm_token_end_to_end() {
    if !Path::new(MODULE).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install softhsm2 ({MODULE} is missing)"
        );
        eprintln!("SKIP: {MODULE} missing (apt-get install softhsm2 opensc)");
        return;
    }
    let scratch = setup();
    let dir = scratch.0.clone();
    let token = login();
    document_signer_in_token_signs_verifiable_sods(&dir, &token, "ds-p256");
    document_signer_in_token_signs_verifiable_sods(&dir, &token, "ds-p384");
    document_signer_in_token_signs_verifiable_sods(&dir, &token, "ds-rsa");
    master_key_in_token_diversifies_as_the_file(&token);
    terminal_key_in_token_signs_cv_requests(&token);
    terminal_key_in_token_reads_dg3(&token);
    key_generated_in_the_token_signs_and_stays_there(&token);

    let errors = [
        Module::open(Path::new("/nonexistent/libnothing.so")).unwrap_err(),
        missing_token_lists_the_tokens(),
        wrong_pin_is_its_own_error(),
        missing_object_lists_what_is_there(&token),
        non_signing_key_is_refused(&token),
    ];
    assert!(matches!(errors[0], Pkcs11Error::ModuleNotFound { .. }));
    let mut codes: Vec<u8> = errors.iter().map(Pkcs11Error::exit_code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(
        codes.len(),
        errors.len(),
        "each failure has its own exit code"
    );
    drop(token);
    drop(scratch);
}
