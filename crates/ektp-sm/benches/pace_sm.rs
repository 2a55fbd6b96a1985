//! CPU time of one PACE establishment (host side and card side measured separately) and
//! secure messaging throughput for 64 KiB responses.
//!
//! Run: `cargo bench -p ektp-sm`. The figures are the benchmark thread's CPU time
//! (`CLOCK_THREAD_CPUTIME_ID` via the `cpu-time` crate), so load from other processes on a
//! shared machine does not inflate them.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use std::hint::black_box;
use std::time::Duration;

use cpu_time::ThreadTime;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use ektp_sm::pace::{card, host};
use ektp_sm::{CardSm, CipherSuite, DomainParameters, HostSm, PaceParams, PacePassword};

/// Measures CPU time of the current thread.
struct Clock(ThreadTime);
impl Clock {
    fn start() -> Self {
        Self(ThreadTime::now())
    }
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}

/// One full PACE run; returns (host CPU time, card CPU time, sessions).
fn pace_once(params: PaceParams, pw: &PacePassword) -> (Duration, Duration, HostSm, CardSm) {
    let mut th = Duration::ZERO;
    let mut tc = Duration::ZERO;
    macro_rules! timed {
        ($acc:ident, $e:expr) => {{
            let c = Clock::start();
            let r = $e;
            $acc += c.elapsed();
            r
        }};
    }
    let (h, cmd) = timed!(th, host::Start::new(pw, params).start());
    let (c, r) = timed!(tc, card::Idle::new(pw, params).on_mse_set_at(&cmd).unwrap());
    let (h, cmd) = timed!(th, h.on_response(&r).unwrap());
    let (c, r) = timed!(tc, c.on_command(&cmd).unwrap());
    let (h, cmd) = timed!(th, h.on_response(&r).unwrap());
    let (c, r) = timed!(tc, c.on_command(&cmd).unwrap());
    let (h, cmd) = timed!(th, h.on_response(&r).unwrap());
    let (c, r) = timed!(tc, c.on_command(&cmd).unwrap());
    let (h, cmd) = timed!(th, h.on_response(&r).unwrap());
    let (csm, r) = timed!(tc, c.on_command(&cmd).unwrap());
    let hsm = timed!(th, h.on_response(&r).unwrap());
    (th, tc, hsm, csm)
}

fn pace(c: &mut Criterion) {
    let pw = PacePassword::from_can(&"123456".parse().unwrap());
    let mut g = c.benchmark_group("pace_cpu");
    for (name, domain) in [
        ("p256", DomainParameters::NistP256),
        ("brainpoolP256r1", DomainParameters::BrainpoolP256r1),
    ] {
        for cipher in [CipherSuite::Aes128, CipherSuite::Aes256] {
            let params = PaceParams { domain, cipher };
            let id = format!("{name}_{cipher:?}");
            g.bench_function(format!("host/{id}"), |b| {
                b.iter_custom(|n| (0..n).map(|_| pace_once(params, &pw).0).sum())
            });
            g.bench_function(format!("card/{id}"), |b| {
                b.iter_custom(|n| (0..n).map(|_| pace_once(params, &pw).1).sum())
            });
        }
    }
    g.finish();
}

fn secure_messaging(c: &mut Criterion) {
    const LEN: usize = 64 * 1024;
    let mut g = c.benchmark_group("sm_64k_response_cpu");
    g.throughput(Throughput::Bytes(LEN as u64));
    for cipher in [CipherSuite::Aes128, CipherSuite::Aes256] {
        let k = cipher.key_len();
        let mut host = HostSm::from_keys(&vec![1; k], &vec![2; k], [0; 16]).unwrap();
        let mut card = CardSm::from_keys(&vec![1; k], &vec![2; k], [0; 16]).unwrap();
        let read = CommandApdu::new(0, Ins::ReadBinary, 0, 0).with_le(65_536);
        let payload = vec![0xA5u8; LEN];
        g.bench_function(format!("wrap_unwrap/{cipher:?}"), |b| {
            b.iter_custom(|n| {
                let mut total = Duration::ZERO;
                for _ in 0..n {
                    let resp = ResponseApdu::new(payload.clone(), StatusWord::SUCCESS);
                    let clock = Clock::start();
                    let cmd = card.unwrap_command(&host.wrap(&read).unwrap()).unwrap();
                    let protected = card.wrap_response(resp).unwrap();
                    let plain = host.unwrap(&protected).unwrap();
                    total += clock.elapsed();
                    black_box((cmd, plain));
                }
                total
            })
        });
    }
    g.finish();
}

criterion_group!(benches, pace, secure_messaging);
criterion_main!(benches);
