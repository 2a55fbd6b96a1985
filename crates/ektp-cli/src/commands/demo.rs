//! `ektp demo`: the whole life of a card with no hardware and no pcscd — a blank virtual chip
//! in-process, a fresh TEST PKI, the `pria` specimen application (built into the binary),
//! personalized, read back and verified, with what happens at each step.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use ektp::{
    Application, Can, Card, HolderRecord, Personalized, ReadRequest, RevocationList, Station,
    Stats, Step, TrustStore, VerifyPolicy, VerifyReport,
};
use ektp_chip::Chip;
use ektp_chip::inprocess::InProcess;
use ektp_i18n::Message;
use ektp_pki::RingSigner;
use serde_json::json;

use crate::commands::personalize::step_text;
use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::{holder_text, ms, print_json, report_text, stats_line};
use crate::text::{self, f};

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
            .or_config_said(|| Message::new("op-err-cannot-create").arg("path", path.display()))?;
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

/// What one step took: its result, its time and what crossed the wire.
struct Timed<T> {
    value: T,
    time: Duration,
    stats: Stats,
}

/// The demo's card: the virtual chip in-process.
type DemoCard = Card<InProcess<Chip>>;

/// A step's exchange and time: "N APDUs, … in T".
fn timed(stats: &Stats, time: Duration) -> String {
    let (stats, time) = (stats_line(stats), ms(time));
    format!(
        "   {}",
        f("op-demo-timed", &[("stats", &stats), ("time", &time)])
    )
}

/// Step 1: a TEST ONLY PKI — department root, CRL, document signer.
fn test_pki(tmp: &TempDir, say: &Say) -> Result<(RingSigner, TrustStore, Duration), Fail> {
    let t = Instant::now();
    let pki = ektp_pki::test_pki::generate_test_pki(&tmp.path().join("pki"), SystemTime::now())
        .or_config_said(|| Message::new("op-demo-err-pki"))?;
    let (ds_cert, ds_key) = pki
        .document_signers
        .first()
        .cloned()
        .ok_or_else(|| Fail::config_said(Message::new("op-err-no-ds")))?;
    let signer = RingSigner::from_files(&ds_key, &ds_cert)
        .or_config_said(|| Message::new("op-demo-err-pki"))?;
    let trust =
        TrustStore::load_dir(&pki.trust_dir).or_config_said(|| Message::new("op-demo-err-pki"))?;
    let pki_time = t.elapsed();
    say.line(f("op-demo-pki", &[("time", &ms(pki_time))]));
    Ok((signer, trust, pki_time))
}

/// Step 2: the application, written out and validated like any other.
fn specimen(tmp: &TempDir, say: &Say) -> Result<Application, Fail> {
    let dir = tmp.path().join("pria");
    std::fs::create_dir_all(&dir).or_config_said(|| Message::new("op-demo-err-specimen"))?;
    for (name, bytes) in SPECIMEN {
        std::fs::write(dir.join(name), bytes)
            .or_config_said(|| Message::new("op-demo-err-specimen"))?;
    }
    let app = ektp::load_application(dir.join("application.json"))
        .or_config_said(|| Message::new("op-demo-err-specimen"))?;
    let (name, doc) = (
        app.holder.name.to_string(),
        app.holder.document_number.to_string(),
    );
    say.line(f("op-demo-application", &[("name", &name), ("doc", &doc)]));
    Ok(app)
}

/// Step 3: a blank chip as the card maker ships it.
fn blank_card(chip: Chip, say: &Say) -> Result<DemoCard, Fail> {
    let mut card = Card::new(chip.into_in_process()).map_err(Fail::card)?;
    let serial = hex::encode_upper(*b"EKTPDEMO");
    let state = format!("{:?}", card.lifecycle().map_err(Fail::card)?).to_uppercase();
    let state = text::t(match state.as_str() {
        "BLANK" => "op-sim-blank",
        "PERSONALIZING" => "op-sim-personalizing",
        _ => "op-sim-issued",
    });
    say.line(f(
        "op-demo-blank",
        &[("serial", &serial), ("state", &state)],
    ));
    Ok(card)
}

/// Step 4: personalize, printing each step.
fn personalize(
    card: &mut DemoCard,
    app: &Application,
    station: &Station<'_>,
    global: &Global,
    say: &Say,
) -> Result<Timed<Personalized>, Fail> {
    say.line(text::t("op-demo-personalize"));
    let t = Instant::now();
    let before = card.stats();
    let mut progress = |step: Step| {
        if !global.json {
            println!("     {:>9}  {}", ms(t.elapsed()), step_text(step));
        }
    };
    let outcome = card
        .personalize(app, station, &mut progress)
        .map_err(crate::commands::personalize::personalize_failure)?;
    let done = Timed {
        value: outcome,
        time: t.elapsed(),
        stats: card.stats().since(&before),
    };
    let doc = done.value.document_number.to_string();
    let sha = done.value.sod_sha256.get(..16).unwrap_or_default();
    say.line(format!(
        "   {}",
        f("op-demo-locked", &[("doc", &doc), ("sha", sha)])
    ));
    say.line(timed(&done.stats, done.time));
    Ok(done)
}

/// Step 5: read back as an agency would, with PACE and the CAN printed on the card.
fn read_back(
    card: &mut DemoCard,
    app: &Application,
    can: &Can,
    global: &Global,
    say: &Say,
) -> Result<Timed<HolderRecord>, Fail> {
    let t = Instant::now();
    let before = card.stats();
    let files = card
        .pace(can)
        .and_then(|mut s| s.read_files(ReadRequest::HOLDER))
        .map_err(Fail::card)?;
    let holder = files.holder_record().map_err(Fail::card)?;
    let done = Timed {
        value: holder,
        time: t.elapsed(),
        stats: card.stats().since(&before),
    };
    say.line(text::t("op-demo-read"));
    if !global.json {
        print!("{}", holder_text(&done.value));
    }
    say.line(timed(&done.stats, done.time));
    if done.value != app.holder {
        return Err(Fail::failed(
            "the holder record read back differs from the application",
        ));
    }
    Ok(done)
}

/// Step 6: verify as the pickup desk does.
fn verify(
    card: &mut DemoCard,
    can: &Can,
    policy: &VerifyPolicy<'_>,
    global: &Global,
    say: &Say,
) -> Result<Timed<VerifyReport>, Fail> {
    let t = Instant::now();
    let before = card.stats();
    let report = card.verify(can, policy).map_err(Fail::card)?;
    let done = Timed {
        value: report,
        time: t.elapsed(),
        stats: card.stats().since(&before),
    };
    say.line(text::t("op-demo-verify"));
    if !global.json {
        for line in report_text(&done.value).lines() {
            println!("   {line}");
        }
    }
    say.line(timed(&done.stats, done.time));
    Ok(done)
}

/// The demo's results, as JSON (`--json`) or a summary line.
struct Summary {
    pki_time: Duration,
    perso: Timed<Personalized>,
    read: Timed<HolderRecord>,
    verify: Timed<VerifyReport>,
    all: Stats,
    total: Duration,
}

fn print_summary(s: &Summary, global: &Global) -> Result<(), Fail> {
    if global.json {
        return print_json(&json!({
            "personalize": s.perso.value,
            "holder": s.read.value,
            "verify": s.verify.value,
            "timings_us": {
                "pki": s.pki_time.as_micros(),
                "personalize": s.perso.time.as_micros(),
                "read": s.read.time.as_micros(),
                "verify": s.verify.time.as_micros(),
                "total": s.total.as_micros(),
            },
            "stats": s.all,
        }));
    }
    if global.verbosity >= 0 {
        eprintln!("{}", text::t("op-demo-next"));
    }
    println!();
    let done = text::t(if s.verify.value.passed {
        "op-demo-done"
    } else {
        "op-demo-not-verified"
    });
    let n = |x: u64| x.to_string();
    let args = [
        ("done", done),
        ("all", n(s.all.apdus)),
        ("perso", n(s.perso.stats.apdus)),
        ("read", n(s.read.stats.apdus)),
        ("verify", n(s.verify.stats.apdus)),
        ("perso_time", ms(s.perso.time)),
        ("read_time", ms(s.read.time)),
        ("verify_time", ms(s.verify.time)),
        ("total", ms(s.total)),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    println!("{}", f("op-demo-summary", &args));
    Ok(())
}

/// Runs `ektp demo`.
pub fn run(global: &Global) -> Result<ExitCode, Fail> {
    let say = Say { json: global.json };
    let total = Instant::now();
    let tmp = TempDir::new()?;

    say.line(text::t("op-demo-title"));
    say.line(text::t("op-demo-subtitle"));
    say.line("");

    let (signer, trust, pki_time) = test_pki(&tmp, &say)?;
    let app = specimen(&tmp, &say)?;
    let master = ektp_chip::os::test_perso_master_key()
        .or_config_said(|| Message::new("op-sim-err-master"))?;
    let chip = Chip::new_blank(*b"EKTPDEMO", &master)
        .or_config_said(|| Message::new("op-sim-err-blank"))?;
    let mut card = blank_card(chip, &say)?;
    let station = Station {
        signer: &signer,
        master_key: &master,
        trust: &trust,
        cvca: None,
    };
    let perso = personalize(&mut card, &app, &station, global, &say)?;
    let can = app.can.clone();
    let read = read_back(&mut card, &app, &can, global, &say)?;
    let revoked = RevocationList::new();
    let policy = VerifyPolicy {
        trust: &trust,
        revoked: &revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };
    let verify = verify(&mut card, &can, &policy, global, &say)?;
    let passed = verify.value.passed;
    let summary = Summary {
        pki_time,
        perso,
        read,
        verify,
        all: card.stats(),
        total: total.elapsed(),
    };
    print_summary(&summary, global)?;
    if passed {
        Ok(exit::OK)
    } else {
        Ok(ExitCode::from(exit::FAILED))
    }
}
