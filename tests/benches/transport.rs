//! Transport benchmark: the same memory card through pcscd + vpcd and in-process.
//!
//! `cargo bench -p ektp-tests --bench transport` (needs pcscd with vsmartcard-vpcd running,
//! e.g. under `.ci/test`'s set-up, and a free "Virtual PCD 00 00"). Prints, per transport,
//! the median and 99th-percentile round trip of a short READ BINARY (16 bytes + SW) and the
//! median time and throughput of a 65533-byte extended READ BINARY (the largest response
//! vpcd can frame, i.e. a 64 KiB read).
#![allow(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::time::{Duration, Instant};

use ektp_chip::inprocess::InProcess;
use ektp_chip::testcard::{MAX_MEMORY_CARD_SIZE, MemoryCard};
use ektp_iso7816::CardTransport;
use ektp_pcsc::Disposition;
use ektp_tests::Slot;

const SELECT: [u8; 7] = [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x01];
const SHORT_READ: [u8; 5] = [0x00, 0xB0, 0x00, 0x00, 0x10];
/// Extended Le 0000 (65536): the card returns its 65533-byte maximum.
const BIG_READ: [u8; 7] = [0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00];
const BIG_LEN: usize = 65533;
const SHORT_ROUNDS: usize = 2000;
const BIG_ROUNDS: usize = 200;

struct Figures {
    short_median: Duration,
    short_p99: Duration,
    big_median: Duration,
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let i = ((samples.len() - 1) as f64 * p).round() as usize;
    samples[i]
}

fn measure(t: &mut dyn CardTransport) -> Figures {
    assert_eq!(t.transmit(&SELECT).unwrap(), [0x90, 0x00]);
    // Warm up caches, allocator and pcscd.
    for _ in 0..50 {
        t.transmit(&SHORT_READ).unwrap();
    }
    let mut short = Vec::with_capacity(SHORT_ROUNDS);
    for _ in 0..SHORT_ROUNDS {
        let start = Instant::now();
        let r = t.transmit(&SHORT_READ).unwrap();
        short.push(start.elapsed());
        assert_eq!(r.len(), 18);
    }
    let mut big = Vec::with_capacity(BIG_ROUNDS);
    for _ in 0..BIG_ROUNDS {
        let start = Instant::now();
        let r = t.transmit(&BIG_READ).unwrap();
        big.push(start.elapsed());
        assert_eq!(r.len(), BIG_LEN + 2);
        assert_eq!(&r[BIG_LEN..], [0x90, 0x00]);
    }
    Figures {
        short_median: percentile(&mut short, 0.5),
        short_p99: percentile(&mut short, 0.99),
        big_median: percentile(&mut big, 0.5),
    }
}

fn row(name: &str, f: &Figures) {
    let mbps = BIG_LEN as f64 / f.big_median.as_secs_f64() / 1e6;
    println!(
        "{name:<14} {:>14.2} {:>12.2} {:>16.1} {:>14.0}",
        f.short_median.as_secs_f64() * 1e6,
        f.short_p99.as_secs_f64() * 1e6,
        f.big_median.as_secs_f64() * 1e6,
        mbps
    );
}

fn main() {
    // `cargo bench` passes `--bench`; there are no options to parse.
    let slot = Slot::zero();
    let (virtual_card, _) = slot.insert(MemoryCard::with_size(MAX_MEMORY_CARD_SIZE), None);
    let mut card = slot.ctx.connect(slot.reader).unwrap();
    let via_pcscd = measure(&mut card);
    card.disconnect(Disposition::LeaveCard).unwrap();
    drop(virtual_card);
    slot.wait_empty();

    let mut local = InProcess::new(MemoryCard::with_size(MAX_MEMORY_CARD_SIZE));
    let in_process = measure(&mut local);

    println!(
        "short APDU = 00B0000010 (16 B + SW), {SHORT_ROUNDS} rounds; \
         64 KiB read = 00B00000000000 (65533 B + SW), {BIG_ROUNDS} rounds"
    );
    println!(
        "{:<14} {:>14} {:>12} {:>16} {:>14}",
        "transport", "short med µs", "short p99 µs", "64K read med µs", "64K read MB/s"
    );
    row("pcscd+vpcd", &via_pcscd);
    row("in-process", &in_process);
}
