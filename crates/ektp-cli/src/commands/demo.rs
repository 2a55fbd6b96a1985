//! `ektp demo`: the whole life of a card with no hardware and no pcscd — a blank virtual chip
//! in-process, a fresh TEST PKI, the `pria` specimen application (built into the binary),
//! personalized, read back and verified, with what happens at each step.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use ektp::{Card, ReadRequest, RevocationList, Station, Step, TrustStore, VerifyPolicy};
use ektp_chip::Chip;
use ektp_pki::RingSigner;
use serde_json::json;

use crate::commands::personalize::step_text;
use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::{holder_text, ms, print_json, report_text, stats_line};

/// The `pria` specimen (a synthetic applicant), embedded so the demo runs from anywhere.
const SPECIMEN: [(&str, &[u8]); 5] = [
    (
        "application.json",
        include_bytes!("../../../../cards/specimens/pria/application.json"),
    ),
    (
        "portrait.jpg",
        include_bytes!("../../../../cards/specimens/pria/portrait.jpg"),
    ),
    (
        "signature.jpg",
        include_bytes!("../../../../cards/specimens/pria/signature.jpg"),
    ),
    (
        "right-index.fmr",
        include_bytes!("../../../../cards/specimens/pria/right-index.fmr"),
    ),
    (
        "left-index.fmr",
        include_bytes!("../../../../cards/specimens/pria/left-index.fmr"),
    ),
];

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<Self, Fail> {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let path =
            std::env::temp_dir().join(format!("ektp-demo-{}-{nanos:09}", std::process::id()));
        std::fs::create_dir_all(&path)
            .or_config(|| format!("cannot create a temporary directory {}", path.display()))?;
        Ok(Self(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Prints a line on stdout unless the output is JSON.
struct Say {
    json: bool,
}

impl Say {
    fn line(&self, text: impl AsRef<str>) {
        if !self.json {
            println!("{}", text.as_ref());
        }
    }
}

/// Runs `ektp demo`.
pub fn run(global: &Global) -> Result<ExitCode, Fail> {
    let say = Say { json: global.json };
    let total = Instant::now();
    let tmp = TempDir::new()?;

    say.line("ektp demo: a virtual e-KTP card from blank to verified, in this process");
    say.line("(no reader, no pcscd; every key here is TEST ONLY)");
    say.line("");

    // 1. A TEST ONLY PKI: department root, CRL, document signer.
    let t = Instant::now();
    let pki = ektp_pki::test_pki::generate_test_pki(&tmp.path().join("pki"), SystemTime::now())
        .or_config(|| "cannot generate the TEST PKI".to_owned())?;
    let (ds_cert, ds_key) = pki
        .document_signers
        .first()
        .cloned()
        .ok_or_else(|| Fail::config(anyhow::anyhow!("the TEST PKI has no document signer")))?;
    let signer = RingSigner::from_files(&ds_key, &ds_cert)
        .or_config(|| "cannot load the TEST document signer".to_owned())?;
    let trust = TrustStore::load_dir(&pki.trust_dir)
        .or_config(|| "cannot load the TEST trust store".to_owned())?;
    let pki_time = t.elapsed();
    say.line(format!(
        "1. TEST PKI: root CSCA (P-384) with its CRL, document signer 1 (P-256)  [{}]",
        ms(pki_time)
    ));

    // 2. The application, written out and validated like any other.
    let dir = tmp.path().join("pria");
    std::fs::create_dir_all(&dir).or_config(|| "cannot write the specimen".to_owned())?;
    for (name, bytes) in SPECIMEN {
        std::fs::write(dir.join(name), bytes)
            .or_config(|| format!("cannot write the specimen's {name}"))?;
    }
    let app = ektp::load_application(dir.join("application.json")).map_err(|e| {
        Fail::config(anyhow::anyhow!(
            "the embedded specimen does not validate: {e}"
        ))
    })?;
    say.line(format!(
        "2. application: specimen `pria`, {} (document {}), validated",
        app.holder.name, app.holder.document_number
    ));

    // 3. A blank chip as the card maker ships it.
    let master = ektp_chip::os::test_perso_master_key()
        .or_config(|| "the built-in TEST ONLY master key".to_owned())?;
    let chip = Chip::new_blank(*b"EKTPDEMO", &master)
        .or_config(|| "cannot make a blank chip".to_owned())?;
    let mut card = Card::new(chip.into_in_process()).map_err(Fail::card)?;
    say.line(format!(
        "3. blank virtual chip, serial {}, lifecycle {}",
        hex::encode_upper(*b"EKTPDEMO"),
        format!("{:?}", card.lifecycle().map_err(Fail::card)?).to_uppercase()
    ));

    // 4. Personalize.
    say.line("4. personalize:");
    let station = Station {
        signer: &signer,
        master_key: &master,
        trust: &trust,
    };
    let t = Instant::now();
    let before = card.stats();
    let mut progress = |step: Step| {
        if !global.json {
            println!("     {:>9}  {}", ms(t.elapsed()), step_text(step));
        }
    };
    let outcome = card
        .personalize(&app, &station, &mut progress)
        .map_err(crate::commands::personalize::personalize_failure)?;
    let perso_time = t.elapsed();
    let perso_stats = card.stats().since(&before);
    say.line(format!(
        "   card LOCKED: document {}, EF.SOD SHA-256 {}…",
        outcome.document_number,
        outcome.sod_sha256.get(..16).unwrap_or_default()
    ));
    say.line(format!(
        "   {} in {}",
        stats_line(&perso_stats),
        ms(perso_time)
    ));

    // 5. Read back as an agency would: PACE with the CAN printed on the card.
    let can = app.can.clone();
    let t = Instant::now();
    let before = card.stats();
    let files = card
        .pace(&can)
        .and_then(|mut s| s.read_files(ReadRequest::HOLDER))
        .map_err(Fail::card)?;
    let holder = files.holder_record().map_err(Fail::card)?;
    let read_time = t.elapsed();
    let read_stats = card.stats().since(&before);
    say.line("5. read back (PACE with the CAN, DG1 DG11 DG12 DG13):");
    if !global.json {
        print!("{}", holder_text(&holder));
    }
    say.line(format!(
        "   {} in {}",
        stats_line(&read_stats),
        ms(read_time)
    ));
    if holder != app.holder {
        return Err(Fail::failed(
            "the holder record read back differs from the application",
        ));
    }

    // 6. Verify as the pickup desk does.
    let revoked = RevocationList::new();
    let policy = VerifyPolicy {
        trust: &trust,
        revoked: &revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };
    let t = Instant::now();
    let before = card.stats();
    let report = card.verify(&can, &policy).map_err(Fail::card)?;
    let verify_time = t.elapsed();
    let verify_stats = card.stats().since(&before);
    say.line("6. verify (pickup desk):");
    if !global.json {
        for line in report_text(&report).lines() {
            println!("   {line}");
        }
    }
    say.line(format!(
        "   {} in {}",
        stats_line(&verify_stats),
        ms(verify_time)
    ));

    let all = card.stats();
    if global.json {
        print_json(&json!({
            "personalize": outcome,
            "holder": holder.to_json(),
            "verify": report,
            "timings_us": {
                "pki": pki_time.as_micros(),
                "personalize": perso_time.as_micros(),
                "read": read_time.as_micros(),
                "verify": verify_time.as_micros(),
                "total": total.elapsed().as_micros(),
            },
            "stats": all,
        }))?;
    } else {
        if global.verbosity >= 0 {
            eprintln!(
                "next: `ektp pki init DIR` writes a TEST station; `ektp sim` serves a virtual card to pcscd"
            );
        }
        println!();
        println!(
            "{}: {} APDUs in all (personalize {}, read {}, verify {}); personalize {}, read {}, verify {}; total {}",
            if report.passed {
                "DONE, card verified"
            } else {
                "DONE, card did NOT verify"
            },
            all.apdus,
            perso_stats.apdus,
            read_stats.apdus,
            verify_stats.apdus,
            ms(perso_time),
            ms(read_time),
            ms(verify_time),
            ms(total.elapsed())
        );
    }
    if report.passed {
        Ok(exit::OK)
    } else {
        Ok(ExitCode::from(exit::FAILED))
    }
}
