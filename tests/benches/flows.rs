//! Host flow costs: personalize, full read and verify — APDUs, bytes each way, host CPU time
//! and wall time — in-process and through pcscd + vpcd, plus the same full read with 224-byte
//! reads (the common default of ICAO readers) for comparison.
//!
//! `cargo bench -p ektp-tests --bench flows` (pcscd must be running for the PC/SC column:
//! `.ci/test` starts it, or run `pcscd -f &`).
//!
//! Host CPU time is the CPU time of the host thread. In-process, the virtual chip runs on that
//! same thread, so it includes the chip's work; through pcscd the chip runs on another thread
//! and is excluded.
#![allow(
    clippy::unwrap_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]

#[path = "../fixtures.rs"]
mod fixtures;

use std::time::{Duration, Instant, SystemTime};

use cpu_time::ThreadTime;
use ektp::{Card, ReadPolicy, ReadRequest, RevocationList, Station, Stats, VerifyPolicy};
use ektp_iso7816::CardTransport;
use ektp_pcsc::Disposition;
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

fn main() {
    let pki = pki();
    println!("median of {RUNS} runs, specimen 'pria' (portrait and signature ~1 KB each)");

    let mut row = Row::default();
    for i in 0..RUNS {
        let mut card = Card::new(blank_chip(i as u8).into_in_process()).unwrap();
        run_flows(&mut card, &mut row, &pki);
    }
    print("in-process", row);

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
