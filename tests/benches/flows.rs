//! Host flow costs: personalize, full read and verify — APDUs, bytes each way, host CPU time
//! and wall time — in-process and through pcscd + vpcd, plus the same full read with 224-byte
//! reads (the common default of ICAO readers) for comparison. In-process, the access protocols
//! (PACE, Chip Authentication, Terminal Authentication with a CVCA → DV → IS chain) are also
//! timed one by one, with the host's and the chip's CPU time apart.
//!
//! Then the printing station's throughput, cards/second personalized in-process, with the
//! document signer key in a file and in a throwaway SoftHSM token side by side (skipped
//! without `/usr/lib/softhsm/libsofthsm2.so`).
//!
//! `cargo bench -p ektp-tests --bench flows` (pcscd must be running for the PC/SC column:
//! `.ci/test` starts it, or run `pcscd -f &`).
//!
//! Host CPU time is the CPU time of the host thread. In-process, the virtual chip runs on that
//! same thread, so it includes the chip's work; through pcscd the chip runs on another thread
//! and is excluded. For the protocol table, the chip's CPU time is the thread CPU time spent
//! inside the in-process transport (the chip handling each APDU), and the host's is the rest.
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]

#[path = "../fixtures.rs"]
mod fixtures;

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};

use cpu_time::ThreadTime;
use ektp::{Card, ReadPolicy, ReadRequest, RevocationList, Station, Stats, VerifyPolicy};
use ektp_iso7816::{CardTransport, TransportError};
use ektp_lds::{Dg14, DgNumber, LdsFile};
use ektp_pcsc::Disposition;
use ektp_pki::cvc::{
    AccessRights, CertificateBuilder, CertificateReference, Chat, Curve, CvCertificate, CvDate,
    CvSigner, Role, SoftwareCvSigner,
};
use fixtures::*;

const RUNS: usize = 5;

#[derive(Default, Clone, Copy)]
struct Sample {
    stats: Stats,
    cpu: Duration,
    wall: Duration,
}

fn measure<T: CardTransport, R>(
    card: &mut Card<T>,
    f: impl FnOnce(&mut Card<T>) -> R,
) -> (R, Sample) {
    let before = card.stats();
    let cpu = ThreadTime::now();
    let wall = Instant::now();
    let r = f(card);
    let s = Sample {
        stats: card.stats().since(&before),
        cpu: cpu.elapsed(),
        wall: wall.elapsed(),
    };
    (r, s)
}

fn median(mut v: Vec<Sample>) -> Sample {
    v.sort_by_key(|s| s.wall);
    v[v.len() / 2]
}

#[derive(Default)]
struct Row {
    personalize: Vec<Sample>,
    read: Vec<Sample>,
    read_224: Vec<Sample>,
    verify: Vec<Sample>,
}

fn run_flows<T: CardTransport>(card: &mut Card<T>, row: &mut Row, pki: &Pki) {
    let app = specimen("pria");
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let (r, s) = measure(card, |c| c.personalize(&app, &station, &mut |_| {}));
    r.unwrap();
    row.personalize.push(s);

    let can = app.can.clone();
    let (r, s) = measure(card, |c| {
        c.set_read_policy(ReadPolicy::default());
        c.pace(&can)
            .and_then(|mut s| s.read_files(ReadRequest::ALL))
    });
    r.unwrap();
    row.read.push(s);

    let (r, s) = measure(card, |c| {
        c.set_read_policy(ReadPolicy::fixed(224));
        c.pace(&can)
            .and_then(|mut s| s.read_files(ReadRequest::ALL))
    });
    r.unwrap();
    row.read_224.push(s);
    card.set_read_policy(ReadPolicy::default());

    let revoked = RevocationList::new();
    let policy = VerifyPolicy {
        trust: &pki.trust,
        revoked: &revoked,
        expected: Some(&app),
        at: SystemTime::now(),
    };
    let (r, s) = measure(card, |c| c.verify(&can, &policy));
    assert!(r.unwrap().passed);
    row.verify.push(s);
}

fn print(transport: &str, row: Row) {
    for (flow, samples) in [
        ("personalize", row.personalize),
        ("full read", row.read),
        ("full read, 224-byte reads", row.read_224),
        ("verify", row.verify),
    ] {
        if samples.is_empty() {
            continue;
        }
        let m = median(samples);
        println!(
            "{transport:<10} {flow:<26} {:>5} APDUs {:>8} B sent {:>8} B received   host CPU {:>8.2} ms   wall {:>8.2} ms",
            m.stats.apdus,
            m.stats.bytes_sent,
            m.stats.bytes_received,
            m.cpu.as_secs_f64() * 1e3,
            m.wall.as_secs_f64() * 1e3,
        );
    }
}

/// A transport that adds the thread CPU time spent inside `transmit` (in-process: the chip's
/// work on each APDU) to a shared counter.
struct ChipTimed<T> {
    inner: T,
    chip: Rc<Cell<Duration>>,
}

impl<T: CardTransport> CardTransport for ChipTimed<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let t = ThreadTime::now();
        let r = self.inner.transmit(command);
        self.chip.set(self.chip.get() + t.elapsed());
        r
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        self.inner.reset()
    }
    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        self.inner.is_card_present()
    }
}

#[derive(Default, Clone, Copy)]
struct ProtoSample {
    apdus: u64,
    host: Duration,
    chip: Duration,
    wall: Duration,
}

/// Runs `f`, attributing the thread CPU time inside the transport to the chip.
/// The APDU count is filled in by the caller, from the session the step returns.
fn measure_proto<R>(chip: &Rc<Cell<Duration>>, f: impl FnOnce() -> R) -> (R, ProtoSample) {
    let c0 = chip.get();
    let cpu = ThreadTime::now();
    let wall = Instant::now();
    let r = f();
    let total = cpu.elapsed();
    let wall = wall.elapsed();
    let chip = chip.get() - c0;
    (
        r,
        ProtoSample {
            apdus: 0,
            host: total.saturating_sub(chip),
            chip,
            wall,
        },
    )
}

fn d(s: &str) -> CvDate {
    CvDate::from_yymmdd(s).unwrap()
}

/// TEST ONLY CVCA, a DV and a terminal with read-DG3 (P-256).
fn terminal() -> (CvCertificate, Vec<CvCertificate>, SoftwareCvSigner) {
    let rights = AccessRights::READ_DG3;
    let key = || SoftwareCvSigner::generate(Curve::NistP256).unwrap();
    let (cvca_key, dv_key, is_key) = (key(), key(), key());
    let cvca = CertificateBuilder::new(
        CertificateReference::new("IDCVCA00001").unwrap(),
        Chat::inspection_system(Role::Cvca, rights),
        d("260101"),
        d("290101"),
    )
    .self_signed(&cvca_key)
    .unwrap();
    let dv = CertificateBuilder::new(
        CertificateReference::new("IDDVBANK0001").unwrap(),
        Chat::inspection_system(Role::DvDomestic, rights),
        d("260101"),
        d("270101"),
    )
    .issue(&dv_key.public_key(false), &cvca, &cvca_key)
    .unwrap();
    let is = CertificateBuilder::new(
        CertificateReference::new("IDISTERM0001").unwrap(),
        Chat::inspection_system(Role::Terminal, rights),
        d("260110"),
        d("260701"),
    )
    .issue(&is_key.public_key(false), &dv, &dv_key)
    .unwrap();
    (cvca, vec![dv, is], is_key)
}

/// PACE, then Chip Authentication, then Terminal Authentication, each timed, on a card
/// personalized with the CVCA; DG3 is read at the end to check the session opened it.
fn run_protocols(serial: u8, pki: &Pki, rows: &mut [Vec<ProtoSample>; 3]) {
    let (cvca, chain, is_key) = terminal();
    let app = specimen("pria");
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: Some(&cvca),
    };
    let chip = Rc::new(Cell::new(Duration::ZERO));
    let mut card = Card::new(ChipTimed {
        inner: blank_chip(serial).into_in_process(),
        chip: chip.clone(),
    })
    .unwrap();
    card.personalize(&app, &station, &mut |_| {}).unwrap();
    let dg14 = {
        let mut s = card.pace(&app.can).unwrap();
        Dg14::decode(&s.read(LdsFile::Dg(DgNumber::DG14)).unwrap()).unwrap()
    };
    let before = card.stats().apdus;
    let (s, mut pace) = measure_proto(&chip, || card.pace(&app.can).unwrap());
    pace.apdus = s.stats().apdus - before;
    let before = s.stats().apdus;
    let (ca, mut ca_s) = measure_proto(&chip, || s.chip_authenticate(&dg14).unwrap());
    ca_s.apdus = ca.stats().apdus - before;
    let before = ca.stats().apdus;
    let (mut ta, mut ta_s) =
        measure_proto(&chip, || ca.terminal_authenticate(&chain, &is_key).unwrap());
    ta_s.apdus = ta.stats().apdus - before;
    ta.read_dg3().unwrap();
    rows[0].push(pace);
    rows[1].push(ca_s);
    rows[2].push(ta_s);
}

fn print_protocols(rows: [Vec<ProtoSample>; 3]) {
    println!();
    println!("in-process access protocols (host CPU and chip CPU apart), median of {RUNS} runs:");
    for (name, mut v) in [
        "PACE (CAN)",
        "Chip Authentication",
        "Terminal Authentication",
    ]
    .into_iter()
    .zip(rows)
    {
        v.sort_by_key(|s| s.wall);
        let m = v[v.len() / 2];
        println!(
            "in-process {name:<26} {:>5} APDUs   host CPU {:>8.2} ms   chip CPU {:>8.2} ms   wall {:>8.2} ms",
            m.apdus,
            m.host.as_secs_f64() * 1e3,
            m.chip.as_secs_f64() * 1e3,
            m.wall.as_secs_f64() * 1e3,
        );
    }
    println!();
}

const SOFTHSM: &str = "/usr/lib/softhsm/libsofthsm2.so";
const THROUGHPUT_CARDS: usize = 20;

/// Cards/second personalizing `THROUGHPUT_CARDS` blank chips in-process with `signer`.
fn cards_per_second(pki: &Pki, signer: &dyn ektp_pki::Signer) -> f64 {
    let app = specimen("pria");
    let key = master_key();
    let station = Station {
        signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let start = Instant::now();
    for i in 0..THROUGHPUT_CARDS {
        let mut card = Card::new(blank_chip(200 + i as u8).into_in_process()).unwrap();
        card.personalize(&app, &station, &mut |_| {}).unwrap();
    }
    THROUGHPUT_CARDS as f64 / start.elapsed().as_secs_f64()
}

/// A document signer whose key is generated in a throwaway SoftHSM token (its own
/// `SOFTHSM2_CONF` in a temp dir, removed by the caller), certified by the TEST root.
fn softhsm_signer(pki: &Pki, dir: &std::path::Path) -> ektp_pkcs11::Pkcs11Signer {
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            dir.join("tokens").display()
        ),
    )
    .unwrap();
    // SAFETY: set before the module is loaded; the bench runs no other thread here.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("SOFTHSM2_CONF", &conf)
    };
    let ok = std::process::Command::new("softhsm2-util")
        .args([
            "--init-token",
            "--free",
            "--label",
            "bench",
            "--pin",
            "1234",
        ])
        .args(["--so-pin", "12345678"])
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "softhsm2-util --init-token failed");
    let module = ektp_pkcs11::Module::open(std::path::Path::new(SOFTHSM)).unwrap();
    let pin = ektp_pkcs11::Pin::new("1234".into()).unwrap();
    let token = module.login("bench", &pin).unwrap();
    let public = token.generate_ec_p256_key_pair("ds", b"ds").unwrap();
    let spec = ektp_pki::test_pki::DocumentSignerSpec::new(
        "DS bench",
        ektp_pki::test_pki::TestKey::EcdsaP256,
        SystemTime::now(),
    );
    let cert = pki
        .root
        .issue_document_signer_for_public_key(&spec, &public)
        .unwrap();
    let uri: ektp_pkcs11::Pkcs11Uri = "pkcs11:token=bench;object=ds;type=private".parse().unwrap();
    ektp_pkcs11::Pkcs11Signer::new(token, &uri, Some(cert)).unwrap()
}

fn throughput(pki: &Pki) {
    let file = cards_per_second(pki, &pki.signer);
    if !std::path::Path::new(SOFTHSM).exists() {
        println!(
            "station    {file:>8.1} cards/s with the file signer; SoftHSM signer: {SOFTHSM} missing"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("ektp-bench-softhsm-{}", std::process::id()));
    let token = softhsm_signer(pki, &dir);
    let hsm = cards_per_second(pki, &token);
    drop(token);
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "station    personalize, in-process, {THROUGHPUT_CARDS} cards: {file:>8.1} cards/s file signer   {hsm:>8.1} cards/s SoftHSM signer"
    );
}

fn main() {
    let pki = pki();
    throughput(&pki);
    println!("median of {RUNS} runs, specimen 'pria' (portrait and signature ~1 KB each)");

    let mut row = Row::default();
    for i in 0..RUNS {
        let mut card = Card::new(blank_chip(i as u8).into_in_process()).unwrap();
        run_flows(&mut card, &mut row, &pki);
    }
    print("in-process", row);

    let mut rows: [Vec<ProtoSample>; 3] = Default::default();
    for i in 0..RUNS {
        run_protocols(200 + i as u8, &pki, &mut rows);
    }
    print_protocols(rows);

    match std::panic::catch_unwind(ektp_tests::Slot::zero) {
        Ok(slot) => {
            let mut row = Row::default();
            for i in 0..RUNS {
                let (inserted, _) = slot.insert(blank_chip(100 + i as u8), None);
                let mut card = Card::new(slot.ctx.connect(slot.reader).unwrap()).unwrap();
                run_flows(&mut card, &mut row, &pki);
                card.into_transport()
                    .disconnect(Disposition::LeaveCard)
                    .unwrap();
                inserted.remove().unwrap();
                slot.wait_empty();
            }
            print("pcscd", row);
        }
        Err(_) => println!(
            "pcscd       not reachable: start pcscd (e.g. `.ci/test` does) for the PC/SC figures"
        ),
    }
}
