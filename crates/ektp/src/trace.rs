//! A transport wrapper that traces every APDU with its timing and counts what crossed the wire.
//!
//! The trace (at `debug` level, target `ektp::apdu`) shows the header, Lc, Le, the status word,
//! lengths and the time each exchange took — never the data, which carries keys, the CAN,
//! or the holder's personal data.

use std::time::{Duration, Instant};

use ektp_iso7816::{CardTransport, StatusWord, TransportError};

/// What a session sent and received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Command APDUs sent.
    pub apdus: u64,
    /// Bytes of command APDUs sent.
    pub bytes_sent: u64,
    /// Bytes of response APDUs received.
    pub bytes_received: u64,
    /// Time spent waiting on the transport.
    #[serde(serialize_with = "ser_micros")]
    pub transport_time: Duration,
}

fn ser_micros<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u128(d.as_micros())
}

impl Stats {
    /// The difference `self - earlier`, for measuring one step of a session.
    pub fn since(&self, earlier: &Stats) -> Stats {
        Stats {
            apdus: self.apdus.saturating_sub(earlier.apdus),
            bytes_sent: self.bytes_sent.saturating_sub(earlier.bytes_sent),
            bytes_received: self.bytes_received.saturating_sub(earlier.bytes_received),
            transport_time: self.transport_time.saturating_sub(earlier.transport_time),
        }
    }
}

/// Wraps a transport, tracing and counting every exchange.
#[derive(Debug)]
pub struct Traced<T> {
    inner: T,
    stats: Stats,
}

impl<T: CardTransport> Traced<T> {
    /// Wraps `inner`.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            stats: Stats::default(),
        }
    }

    /// What crossed the wire so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// The wrapped transport, mutably.
    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Unwraps.
    pub fn into_inner(self) -> T {
        self.inner
    }
}

fn describe(command: &[u8]) -> String {
    match ektp_iso7816::CommandApdu::parse(command) {
        Ok(c) => {
            let name = c.ins.name().unwrap_or("?");
            format!(
                "{:02X} {:02X} {:02X} {:02X} {name} Lc={} Le={}",
                c.cla,
                c.ins.to_byte(),
                c.p1,
                c.p2,
                c.data.len(),
                c.le.map_or_else(|| "-".to_owned(), |l| l.to_string())
            )
        }
        Err(_) => format!("malformed command of {} bytes", command.len()),
    }
}

impl<T: CardTransport> CardTransport for Traced<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let started = Instant::now();
        let result = self.inner.transmit(command);
        let took = started.elapsed();
        self.stats.apdus = self.stats.apdus.saturating_add(1);
        self.stats.bytes_sent = self.stats.bytes_sent.saturating_add(command.len() as u64);
        self.stats.transport_time = self.stats.transport_time.saturating_add(took);
        match &result {
            Ok(r) => {
                self.stats.bytes_received =
                    self.stats.bytes_received.saturating_add(r.len() as u64);
                let sw = r
                    .split_last_chunk::<2>()
                    .map(|(_, sw)| StatusWord::from_bytes(sw[0], sw[1]));
                tracing::debug!(
                    target: "ektp::apdu",
                    "-> {} <- {} ({} bytes) in {} us",
                    describe(command),
                    sw.map_or_else(|| "no status word".to_owned(), |s| s.to_string()),
                    r.len(),
                    took.as_micros()
                );
            }
            Err(e) => tracing::debug!(
                target: "ektp::apdu",
                "-> {} failed after {} us: {e}",
                describe(command),
                took.as_micros()
            ),
        }
        result
    }

    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        self.inner.reset()
    }

    fn is_card_present(&mut self) -> Result<bool, TransportError> {
        self.inner.is_card_present()
    }
}
