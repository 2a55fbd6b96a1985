//! The realistic card over the ISO/IEC 14443 link model, in virtual time.
//!
//! The card is the `potret-icao` specimen (a 17 KB JPEG 2000 portrait, a 4 KB signature, two
//! minutiae templates). The virtual chip sits behind `ektp_chip::link::Linked` at 106, 212,
//! 424 and 848 kbit/s, once in a reader that passes extended APDUs and once in one that only
//! does short APDUs. For a full read and for verify the tables give the modelled time of:
//!
//! - ektp's adaptive strategy (`ReadPolicy::default()`, probing included),
//! - fixed 223-, 224- and 256-byte reads (`ReadPolicy::fixed`),
//! - the floor: the fewest command and response bytes any strategy that worked moved, at
//!   9 bits per byte and the bit rate (no frames, no delays, no per-command cost), plus the
//!   chip's cryptography in that run (PACE, Chip Authentication, Active Authentication,
//!   secure messaging AES blocks) — what no read strategy avoids.
//!
//! Then personalization per bit rate, with its read-back and without it (the time up to the
//! read-back), and the station's host CPU time per card (several readers at once: the
//! `stations` bench).
//!
//! `cargo bench -p ektp-tests --bench link`. Times are virtual (the model's), so the figures
//! are the same on every machine; only the CPU column is measured. The parameters are those of
//! `LinkParams::iso14443`, explained in `docs/performance.md`.
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
use std::time::{Duration, SystemTime};

use cpu_time::ThreadTime;
use ektp::{Card, ReadPolicy, ReadRequest, RevocationList, Station, Step, VerifyPolicy};
use ektp_chip::Chip;
use ektp_chip::inprocess::InProcess;
use ektp_chip::link::{ApduLimit, BitRate, LinkClock, LinkParams, LinkStats, Linked};
use ektp_iso7816::{CardTransport, TransportError};
use fixtures::*;

const SPECIMEN: &str = "potret-icao";

type LinkedCard = Card<InProcess<Linked<Chip>>>;

fn params(rate: BitRate, limit: ApduLimit) -> LinkParams {
    let mut p = LinkParams::iso14443(rate);
    p.apdu = limit;
    p
}

fn insert(chip: Chip, p: LinkParams, clock: &LinkClock) -> LinkedCard {
    Card::new(InProcess::new(
        Linked::new(chip, p).with_clock(clock.clone()),
    ))
    .unwrap()
}

fn take_chip(card: LinkedCard) -> Chip {
    card.into_transport().into_card().into_inner()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// What one run cost, or why it failed.
struct Run {
    stats: Option<LinkStats>,
    failure: Option<String>,
}

impl Run {
    fn floor(&self, p: &LinkParams) -> Option<Duration> {
        self.stats
            .map(|s| p.wire_floor(s.command_bytes + s.response_bytes) + s.chip_crypto)
    }

    fn cell(&self) -> String {
        match (&self.stats, &self.failure) {
            (Some(s), _) => format!("{:>9.0} ms {:>4}", ms(s.total()), s.apdus),
            (None, Some(_)) => format!("{:>17}", "fails"),
            (None, None) => format!("{:>17}", "-"),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Read,
    Verify,
}

fn run(
    card: &mut LinkedCard,
    clock: &LinkClock,
    flow: Flow,
    policy: ReadPolicy,
    pki: &Pki,
    app: &ektp::Application,
) -> Run {
    card.set_read_policy(policy);
    card.reset().unwrap();
    let before = clock.stats();
    let result = match flow {
        Flow::Read => card
            .pace(&app.can)
            .and_then(|mut s| s.read_files(ReadRequest::ALL))
            .map(|_| None),
        Flow::Verify => {
            let revoked = RevocationList::new();
            let policy = VerifyPolicy {
                trust: &pki.trust,
                revoked: &revoked,
                expected: Some(app),
                at: SystemTime::now(),
            };
            card.verify(&app.can, &policy).map(|r| {
                r.first_failure()
                    .map(|c| format!("{:?}: {}", c.check, c.reason))
            })
        }
    };
    let stats = clock.stats().since(&before);
    match result {
        Ok(None) => Run {
            stats: Some(stats),
            failure: None,
        },
        Ok(Some(why)) => Run {
            stats: None,
            failure: Some(why),
        },
        Err(e) => Run {
            stats: None,
            failure: Some(e.to_string()),
        },
    }
}

/// Personalizes a blank chip over the link; returns the issued chip and the time of the whole
/// run and of the part before the read-back.
fn personalize(
    rate: BitRate,
    serial: u8,
    pki: &Pki,
    app: &ektp::Application,
) -> (Chip, LinkStats, LinkStats, Duration) {
    let clock = LinkClock::new();
    let mut card = insert(
        blank_chip(serial),
        params(rate, ApduLimit::Extended),
        &clock,
    );
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let mut before_read_back = None;
    let cpu = ThreadTime::now();
    card.personalize(app, &station, &mut |step| {
        if step == Step::Verifying && before_read_back.is_none() {
            before_read_back = Some(clock.stats());
        }
    })
    .unwrap();
    let cpu = cpu.elapsed();
    let whole = clock.stats();
    (take_chip(card), whole, before_read_back.unwrap(), cpu)
}

const STRATEGIES: [(&str, Option<u32>); 4] = [
    ("ektp", None),
    ("223 B", Some(223)),
    ("224 B", Some(224)),
    ("256 B", Some(256)),
];

fn table(flow: Flow, limit: ApduLimit, chips: &mut [Option<Chip>; 4], pki: &Pki) {
    let app = specimen(SPECIMEN);
    let (flow_name, limit_name) = (
        match flow {
            Flow::Read => "full read",
            Flow::Verify => "verify",
        },
        match limit {
            ApduLimit::Extended => "extended-APDU reader",
            ApduLimit::Short => "short-APDU reader",
        },
    );
    println!("\n{flow_name}, {limit_name} (modelled time, APDUs)");
    print!("{:>6}", "rate");
    for (name, _) in STRATEGIES {
        print!(" {name:>17}");
    }
    println!(
        " {:>12} {:>11} {:>12}",
        "floor", "ektp/floor", "ektp vs 224"
    );
    for (i, rate) in BitRate::ALL.into_iter().enumerate() {
        let p = params(rate, limit);
        let clock = LinkClock::new();
        let mut card = insert(chips[i].take().unwrap(), p, &clock);
        let runs: Vec<Run> = STRATEGIES
            .iter()
            .map(|(_, le)| {
                let policy = le.map_or_else(ReadPolicy::default, ReadPolicy::fixed);
                run(&mut card, &clock, flow, policy, pki, &app)
            })
            .collect();
        chips[i] = Some(take_chip(card));
        let floor = runs.iter().filter_map(|r| r.floor(&p)).min().unwrap();
        print!("{:>6}", rate.to_string());
        for r in &runs {
            print!(" {}", r.cell());
        }
        let ektp = runs[0].stats.map(|s| s.total());
        let vs224 = match (ektp, runs[2].stats) {
            (Some(e), Some(s)) => format!("{:+.0} %", (ms(e) / ms(s.total()) - 1.0) * 100.0),
            _ => "-".to_owned(),
        };
        println!(
            " {:>9.0} ms {:>11} {:>12}",
            ms(floor),
            ektp.map_or("-".to_owned(), |e| format!(
                "{:.3}",
                e.as_secs_f64() / floor.as_secs_f64()
            )),
            vs224
        );
        for ((name, _), r) in STRATEGIES.iter().zip(&runs) {
            if let Some(f) = &r.failure {
                println!("{:>6}   {name} failed: {f}", "");
            }
        }
    }
}

/// A transport that adds the thread CPU time spent inside `transmit` (in-process: the chip's
/// work) to a counter, so the station's own CPU time can be told apart.
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

/// One station card at 848 kbit/s: its time on the link (virtual) and the station's host CPU
/// (chip excluded). Several readers at once are measured by the `stations` bench, which runs
/// the real multi-reader batch in real time.
fn station(pki: &Pki, app: &ektp::Application) {
    const CARDS: usize = 5;
    let key = master_key();
    let station = Station {
        signer: &pki.signer,
        master_key: &key,
        trust: &pki.trust,
        cvca: None,
    };
    let mut link = Vec::new();
    let mut host = Vec::new();
    for i in 0..CARDS {
        let clock = LinkClock::new();
        let chip = Rc::new(Cell::new(Duration::ZERO));
        let linked = Linked::new(
            blank_chip(60 + i as u8),
            params(BitRate::K848, ApduLimit::Extended),
        )
        .with_clock(clock.clone());
        let mut card = Card::new(ChipTimed {
            inner: InProcess::new(linked),
            chip: Rc::clone(&chip),
        })
        .unwrap();
        let cpu = ThreadTime::now();
        card.personalize(app, &station, &mut |_| {}).unwrap();
        host.push(cpu.elapsed().saturating_sub(chip.get()));
        link.push(clock.stats().total());
    }
    host.sort();
    link.sort();
    let (host, link) = (host[CARDS / 2], link[CARDS / 2]);
    println!(
        "\nstation at 848k: one card (personalize + read-back) {:.0} ms on the link; station CPU {:.1} ms per card (chip excluded, median of {CARDS})",
        ms(link),
        ms(host)
    );
    println!(
        "several readers at once: measured with the real multi-reader batch, `cargo bench -p \
         ektp-tests --bench stations`"
    );
}

/// How the comparison with 224-byte reads at 106 kbit/s depends on the chip's fixed time per
/// command (an assumption of the model).
fn sensitivity(chip: &mut Option<Chip>, pki: &Pki, app: &ektp::Application) {
    println!("\nverify at 106k, extended-APDU reader, by the chip's time per command");
    println!(
        "{:>10} {:>10} {:>10} {:>10} {:>11} {:>12}",
        "command", "ektp", "224 B", "floor", "ektp/floor", "ektp vs 224"
    );
    for command_ms in [1u64, 2, 5, 10] {
        let mut p = params(BitRate::K106, ApduLimit::Extended);
        p.chip.command = Duration::from_millis(command_ms);
        let clock = LinkClock::new();
        let mut card = insert(chip.take().unwrap(), p, &clock);
        let ektp = run(
            &mut card,
            &clock,
            Flow::Verify,
            ReadPolicy::default(),
            pki,
            app,
        );
        let fixed = run(
            &mut card,
            &clock,
            Flow::Verify,
            ReadPolicy::fixed(224),
            pki,
            app,
        );
        *chip = Some(take_chip(card));
        let (e, f) = (ektp.stats.unwrap().total(), fixed.stats.unwrap().total());
        let floor = ektp.floor(&p).unwrap();
        println!(
            "{:>7} ms {:>7.0} ms {:>7.0} ms {:>7.0} ms {:>11.3} {:>10.0} %",
            command_ms,
            ms(e),
            ms(f),
            ms(floor),
            e.as_secs_f64() / floor.as_secs_f64(),
            (ms(e) / ms(f) - 1.0) * 100.0
        );
    }
}

fn main() {
    let pki = pki();
    let app = specimen(SPECIMEN);
    println!(
        "specimen '{SPECIMEN}': portrait {} B (JPEG 2000 {}x{}), signature {} B, two minutiae templates",
        app.portrait.image.len(),
        app.portrait.width,
        app.portrait.height,
        app.signature.as_bytes().len(),
    );
    println!(
        "link: ISO/IEC 14443-4 Type A, FSD 256, FSC 128, no CID, FWI 8; reader 1 ms per APDU;"
    );
    let t = LinkParams::iso14443(BitRate::K106).chip;
    println!(
        "chip: {:?} per command, {:?} per EC scalar multiplication, {:?} per ECDSA signature, {:?} per AES block, {:?} per {}-byte EEPROM page",
        t.command, t.ec_scalar_mul, t.ecdsa_sign, t.aes_block, t.eeprom_page_write, t.eeprom_page
    );

    println!("\npersonalization (modelled time; host CPU measured, chip included, in-process)");
    println!(
        "{:>6} {:>16} {:>20} {:>8} {:>8} {:>12}",
        "rate", "with read-back", "without read-back", "APDUs", "WTX", "host CPU"
    );
    let mut chips: [Option<Chip>; 4] = Default::default();
    for (i, rate) in BitRate::ALL.into_iter().enumerate() {
        let (chip, whole, before, cpu) = personalize(rate, 40 + i as u8, &pki, &app);
        println!(
            "{:>6} {:>13.0} ms {:>17.0} ms {:>8} {:>8} {:>9.1} ms",
            rate.to_string(),
            ms(whole.total()),
            ms(before.total()),
            whole.apdus,
            whole.wtx,
            ms(cpu)
        );
        chips[i] = Some(chip);
    }

    for flow in [Flow::Read, Flow::Verify] {
        for limit in [ApduLimit::Extended, ApduLimit::Short] {
            table(flow, limit, &mut chips, &pki);
        }
    }
    sensitivity(&mut chips[0], &pki, &app);
    station(&pki, &app);
}
