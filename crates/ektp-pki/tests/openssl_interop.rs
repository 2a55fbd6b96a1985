//! Interop with OpenSSL (an independent CMS implementation):
//! `openssl cms -verify` accepts every EF.SOD we produce (with CRL checking), and our
//! verifier accepts SignedData that `openssl cms -sign` made over our LDS Security Object,
//! including RSASSA-PSS and a root signing with RSA-4096 PSS (as Indonesia's passport root).

// This whole crate is a test: helpers outside #[test] fns may unwrap, index and add too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use ektp_lds::DgNumber;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use der::Encode;
use ektp_pki::sod::{lds_security_object, wrap_ef_sod};
use ektp_pki::test_pki::{DocumentSignerSpec, TestCa, TestKey, generate_test_pki};
use ektp_pki::{
    CheckName, DigestAlgorithm, EfSod, Failure, Pkcs8Key, RingSigner, SignatureAlgorithm,
    SodOptions, TrustStore, passive_authentication, sign_ef_sod,
};

const DAY: Duration = Duration::from_secs(86_400);

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "pki-{name}-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn openssl(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl must be installed for the interop tests")
}

fn openssl_ok(dir: &Path, args: &[&str]) {
    let out = openssl(dir, args);
    assert!(
        out.status.success(),
        "openssl {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn card() -> Vec<(u8, Vec<u8>)> {
    vec![
        (1, b"\x61\x05\x5F\x1F\x02ID".to_vec()),
        (2, vec![0x75; 2048]),
        (11, b"\x6B\x03\x5F\x10\x00".to_vec()),
    ]
}

fn pairs(dgs: &[(u8, Vec<u8>)]) -> Vec<(DgNumber, &[u8])> {
    dgs.iter()
        .map(|(n, b)| (DgNumber::new(*n).unwrap(), b.as_slice()))
        .collect()
}

/// `openssl cms -verify` with the root as CA file and the CRL checked (OpenSSL 3.0 reads
/// CRLs from the CA file); the content is written to `content.bin`.
fn openssl_verify(
    dir: &Path,
    ef_sod: &[u8],
    root_pem: &Path,
    crl_pem: &Path,
) -> std::process::Output {
    let sod = EfSod::from_bytes(ef_sod).unwrap();
    std::fs::write(dir.join("sod.cms.der"), sod.content_info_der()).unwrap();
    let mut bundle = std::fs::read(root_pem).unwrap();
    bundle.extend(std::fs::read(crl_pem).unwrap());
    std::fs::write(dir.join("ca-and-crl.pem"), bundle).unwrap();
    let _ = std::fs::remove_file(dir.join("content.bin"));
    openssl(
        dir,
        &[
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            "sod.cms.der",
            "-binary",
            "-CAfile",
            "ca-and-crl.pem",
            "-crl_check",
            "-purpose",
            "any",
            "-out",
            "content.bin",
        ],
    )
}

#[test]
fn openssl_verifies_our_ef_sod_for_each_test_signer() {
    let dir = scratch("ours");
    let now = SystemTime::now();
    let files = generate_test_pki(&dir, now).unwrap();
    // Generation never overwrites.
    assert!(generate_test_pki(&dir, now).is_err());
    for path in std::fs::read_dir(&dir)
        .unwrap()
        .chain(std::fs::read_dir(&files.trust_dir).unwrap())
    {
        let name = path.unwrap().file_name().into_string().unwrap();
        assert!(name == "trust" || name.contains("TEST-ONLY"), "{name}");
    }
    let trust = TrustStore::load_dir(&files.trust_dir).unwrap();
    assert_eq!(trust.roots().len(), 1);
    assert_eq!(trust.crls().len(), 1);
    assert!(trust.roots()[0].subject().contains("TEST ONLY"));
    let dgs = card();
    for (cert, key) in &files.document_signers {
        let signer = RingSigner::from_files(key, cert).unwrap();
        let ef_sod = sign_ef_sod(&pairs(&dgs), &signer, &SodOptions::new(now)).unwrap();
        let out = openssl_verify(&dir, &ef_sod, &files.root_certificate, &files.crl);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let content = std::fs::read(dir.join("content.bin")).unwrap();
        assert_eq!(content, EfSod::from_bytes(&ef_sod).unwrap().e_content());
        let report = passive_authentication(&ef_sod, &pairs(&dgs), &trust, now);
        assert!(report.passed(), "{report:#?}");
    }
}

#[test]
fn openssl_rejects_what_we_reject_for_a_revoked_signer() {
    let dir = scratch("revoked");
    let now = SystemTime::now();
    let ca = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA",
        &TestKey::EcdsaP256,
        now - DAY,
        now + 900 * DAY,
    )
    .unwrap();
    let ds = ca
        .issue_document_signer(&DocumentSignerSpec::new("DS", TestKey::EcdsaP256, now))
        .unwrap();
    let crl = ca
        .crl(&[&ds.serial().unwrap()], now - DAY, now + DAY, 2)
        .unwrap();
    std::fs::write(dir.join("root.pem"), ca.certificate_pem()).unwrap();
    std::fs::write(dir.join("crl.der"), &crl).unwrap();
    openssl_ok(
        &dir,
        &["crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem"],
    );
    let dgs = card();
    let ef_sod = sign_ef_sod(&pairs(&dgs), &ds.signer().unwrap(), &SodOptions::new(now)).unwrap();
    let out = openssl_verify(&dir, &ef_sod, &dir.join("root.pem"), &dir.join("crl.pem"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("revoked"));
    let mut trust = TrustStore::new();
    trust.add_bytes(ca.certificate_pem().as_bytes()).unwrap();
    trust
        .add_bytes(&std::fs::read(dir.join("crl.pem")).unwrap())
        .unwrap();
    let report = passive_authentication(&ef_sod, &pairs(&dgs), &trust, now);
    assert!(matches!(
        report.check(CheckName::Revocation).unwrap().failure(),
        Some(Failure::Revoked { .. })
    ));
}

/// A TEST ONLY root whose key is RSA from `openssl genpkey`, and an RSA-3072 signer.
fn rsa_key(dir: &Path, name: &str, bits: u32) -> Pkcs8Key {
    let file = format!("{name}.key.pem");
    openssl_ok(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            &format!("rsa_keygen_bits:{bits}"),
            "-out",
            &file,
        ],
    );
    Pkcs8Key::from_file(&dir.join(file)).unwrap()
}

#[test]
fn rsa_pkcs1_and_pss_sods_verify_with_openssl_and_with_us() {
    let dir = scratch("rsa");
    let now = SystemTime::now();
    let ca = TestCa::new(
        "ID",
        "Dukcapil",
        "CSCA RSA",
        &TestKey::EcdsaP384,
        now - DAY,
        now + 900 * DAY,
    )
    .unwrap();
    let key = rsa_key(&dir, "ds-rsa3072-TEST-ONLY", 3072);
    // The same key in DER form loads too.
    openssl_ok(
        &dir,
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "ds-rsa3072-TEST-ONLY.key.pem",
            "-outform",
            "DER",
            "-out",
            "ds.key.der",
        ],
    );
    let der_key = Pkcs8Key::from_file(&dir.join("ds.key.der")).unwrap();
    assert!(der_key.as_der() == key.as_der());
    assert_eq!(format!("{key:?}"), "Pkcs8Key(<redacted>)");
    let ds = ca
        .issue_document_signer(&DocumentSignerSpec::new(
            "DS RSA",
            TestKey::Pkcs8(key.clone()),
            now,
        ))
        .unwrap();
    std::fs::write(dir.join("root.pem"), ca.certificate_pem()).unwrap();
    std::fs::write(
        dir.join("crl.pem"),
        pem("X509 CRL", &ca.crl(&[], now - DAY, now + DAY, 1).unwrap()),
    )
    .unwrap();
    let mut trust = TrustStore::new();
    trust
        .add_bytes(&std::fs::read(dir.join("root.pem")).unwrap())
        .unwrap();
    trust
        .add_bytes(&std::fs::read(dir.join("crl.pem")).unwrap())
        .unwrap();
    let dgs = card();
    for alg in [
        SignatureAlgorithm::RsaPkcs1Sha256,
        SignatureAlgorithm::RsaPssSha256,
        SignatureAlgorithm::RsaPssSha384,
    ] {
        let signer = RingSigner::with_algorithm(&key, ds.certificate_der().to_vec(), alg).unwrap();
        let ef_sod = sign_ef_sod(&pairs(&dgs), &signer, &SodOptions::new(now)).unwrap();
        let out = openssl_verify(&dir, &ef_sod, &dir.join("root.pem"), &dir.join("crl.pem"));
        assert!(
            out.status.success(),
            "{alg}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report = passive_authentication(&ef_sod, &pairs(&dgs), &trust, now);
        assert!(report.passed(), "{alg}: {report:#?}");
        assert_eq!(report.signer.unwrap().algorithm, Some(alg));
    }
    // A key that is not the certificate's is refused.
    let other = rsa_key(&dir, "other-TEST-ONLY", 2048);
    assert!(matches!(
        RingSigner::new(&other, ds.certificate_der().to_vec()),
        Err(ektp_pki::PkiError::KeyCertificateMismatch)
    ));
}

fn pem(label: &str, der: &[u8]) -> String {
    let out = Command::new("openssl")
        .args(["base64", "-A"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(der)?;
            c.wait_with_output()
        })
        .unwrap();
    let b64 = String::from_utf8(out.stdout).unwrap();
    let mut s = format!("-----BEGIN {label}-----\n");
    for chunk in b64.trim().as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap());
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}

/// `openssl cms -sign` over our LDS Security Object; returns EF.SOD (0x77-wrapped).
fn openssl_sign(dir: &Path, lds_der: &[u8], cert: &str, key: &str, extra: &[&str]) -> Vec<u8> {
    std::fs::write(dir.join("lds.der"), lds_der).unwrap();
    let md = if extra.contains(&"-md") {
        &[][..]
    } else {
        &["-md", "sha256"][..]
    };
    let mut args = vec![
        "cms",
        "-sign",
        "-binary",
        "-nodetach",
        "-outform",
        "DER",
        "-econtent_type",
        "2.23.136.1.1.1",
        "-signer",
        cert,
        "-inkey",
        key,
        "-in",
        "lds.der",
        "-out",
        "openssl-sod.der",
    ];
    args.extend_from_slice(md);
    args.extend_from_slice(extra);
    openssl_ok(dir, &args);
    wrap_ef_sod(&std::fs::read(dir.join("openssl-sod.der")).unwrap()).unwrap()
}

#[test]
fn we_verify_openssl_signed_data_including_an_rsa_4096_pss_root() {
    let dir = scratch("theirs");
    // OpenSSL dates its certificates and CRL "now" to the second: check a minute later.
    let now = SystemTime::now() + Duration::from_secs(60);
    let subj = "/C=ID/O=Dukcapil TEST ONLY/CN=CSCA PSS TEST ONLY";
    let pss = [
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:digest",
    ];
    let mut args = vec![
        "req",
        "-x509",
        "-newkey",
        "rsa:4096",
        "-nodes",
        "-keyout",
        "root-TEST-ONLY.key",
        "-out",
        "root-TEST-ONLY.pem",
        "-days",
        "3650",
        "-sha256",
        "-subj",
        subj,
        "-addext",
        "basicConstraints=critical,CA:true",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ];
    args.extend_from_slice(&pss);
    openssl_ok(&dir, &args);
    std::fs::write(
        dir.join("ds.ext"),
        "keyUsage=critical,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
    )
    .unwrap();
    for name in ["ec", "ec384", "rsa"] {
        let key = format!("ds-{name}-TEST-ONLY.key");
        let curve = if name == "ec" {
            "ec_paramgen_curve:P-256"
        } else {
            "ec_paramgen_curve:P-384"
        };
        let keygen: Vec<&str> = match name {
            "ec" | "ec384" => vec![
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                curve,
                "-out",
                &key,
            ],
            _ => vec![
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                &key,
            ],
        };
        openssl_ok(&dir, &keygen);
        let subj = format!("/C=ID/O=Dukcapil TEST ONLY/CN=DS {name} TEST ONLY");
        openssl_ok(
            &dir,
            &[
                "req", "-new", "-key", &key, "-subj", &subj, "-out", "ds.csr",
            ],
        );
        let cert = format!("ds-{name}-TEST-ONLY.pem");
        let mut x509 = vec![
            "x509",
            "-req",
            "-in",
            "ds.csr",
            "-CA",
            "root-TEST-ONLY.pem",
            "-CAkey",
            "root-TEST-ONLY.key",
            "-set_serial",
            "4660",
            "-days",
            "365",
            "-sha256",
            "-extfile",
            "ds.ext",
            "-out",
            &cert,
        ];
        x509.extend_from_slice(&pss);
        openssl_ok(&dir, &x509);
    }
    // A CRL from the PSS root, made by `openssl ca -gencrl`.
    std::fs::write(dir.join("index.txt"), "").unwrap();
    std::fs::write(dir.join("crlnumber"), "01\n").unwrap();
    std::fs::write(
        dir.join("ca.cnf"),
        "[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n",
    )
    .unwrap();
    let mut gencrl = vec![
        "ca",
        "-gencrl",
        "-config",
        "ca.cnf",
        "-keyfile",
        "root-TEST-ONLY.key",
        "-cert",
        "root-TEST-ONLY.pem",
        "-out",
        "crl-TEST-ONLY.pem",
    ];
    gencrl.extend_from_slice(&pss);
    openssl_ok(&dir, &gencrl);
    std::fs::write(dir.join("ignored.txt"), "not a certificate").unwrap();
    std::fs::rename(
        dir.join("root-TEST-ONLY.pem"),
        dir.join("root-TEST-ONLY.crt"),
    )
    .unwrap();
    std::fs::copy(
        dir.join("root-TEST-ONLY.crt"),
        dir.join("root-TEST-ONLY.pem"),
    )
    .unwrap();
    let trust_dir = dir.join("trust");
    std::fs::create_dir_all(&trust_dir).unwrap();
    std::fs::copy(dir.join("root-TEST-ONLY.crt"), trust_dir.join("root.crt")).unwrap();
    std::fs::copy(dir.join("crl-TEST-ONLY.pem"), trust_dir.join("crl.pem")).unwrap();
    std::fs::write(trust_dir.join("README"), "ignored").unwrap();
    let trust = TrustStore::load_dir(&trust_dir).unwrap();

    let dgs = card();
    let lds = lds_security_object(&pairs(&dgs), DigestAlgorithm::Sha256)
        .unwrap()
        .to_der()
        .unwrap();
    let cases: [(&str, &[&str]); 9] = [
        ("rsa", &[]),
        ("ec", &[]),
        ("ec", &["-keyid"]),
        ("ec", &["-md", "sha384"]),
        ("ec", &["-md", "sha512"]),
        ("ec384", &["-md", "sha384"]),
        ("ec384", &["-md", "sha512"]),
        ("rsa", &["-md", "sha512"]),
        (
            "rsa",
            &[
                "-keyopt",
                "rsa_padding_mode:pss",
                "-keyopt",
                "rsa_pss_saltlen:digest",
            ],
        ),
    ];
    for (name, extra) in cases {
        let ef_sod = openssl_sign(
            &dir,
            &lds,
            &format!("ds-{name}-TEST-ONLY.pem"),
            &format!("ds-{name}-TEST-ONLY.key"),
            extra,
        );
        let report = passive_authentication(&ef_sod, &pairs(&dgs), &trust, now);
        assert!(
            report.passed(),
            "{name} {extra:?}: {:?}",
            report.failures().collect::<Vec<_>>()
        );
        // The algorithm openssl used is the one we verified.
        let md = extra
            .iter()
            .position(|a| *a == "-md")
            .map_or("sha256", |i| extra[i + 1]);
        let alg = report.signer.as_ref().unwrap().algorithm.unwrap();
        assert_eq!(alg.digest().to_string().replace('-', "").to_lowercase(), md);
        assert_eq!(
            name.starts_with("ec"),
            alg.to_string().starts_with("ECDSA"),
            "{alg}"
        );
        let mut bad = dgs.clone();
        bad[1].1[7] ^= 0x80;
        assert!(!passive_authentication(&ef_sod, &pairs(&bad), &trust, now).passed());
    }
    // PSS with a salt length other than the hash length: rejected, saying why.
    let ef_sod = openssl_sign(
        &dir,
        &lds,
        "ds-rsa-TEST-ONLY.pem",
        "ds-rsa-TEST-ONLY.key",
        &[
            "-keyopt",
            "rsa_padding_mode:pss",
            "-keyopt",
            "rsa_pss_saltlen:max",
        ],
    );
    let report = passive_authentication(&ef_sod, &pairs(&dgs), &trust, now);
    let failure = report
        .check(CheckName::SodSignature)
        .unwrap()
        .failure()
        .unwrap();
    assert!(
        matches!(failure, Failure::UnsupportedAlgorithm { reason, .. } if reason.contains("salt length")),
        "{failure:?}"
    );
    assert!(failure.to_string().contains("salt length"));
}
