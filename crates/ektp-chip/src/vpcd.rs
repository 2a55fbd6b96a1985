//! Serve a [`Card`] as a virtual card on the vsmartcard `vpcd` virtual reader.
//!
//! `vpcd` is a pcscd reader driver that listens on TCP (127.0.0.1:35963 for reader
//! "Virtual PCD 00 00", :35964 for "Virtual PCD 00 01"). A virtual card is a TCP *client*:
//! connecting is inserting the card, closing the connection is removing it. Every message in
//! both directions is a 2-byte big-endian length followed by that many bytes; vpcd starts every
//! exchange and the card only answers:
//!
//! | vpcd → card        | meaning   | card → vpcd             |
//! |--------------------|-----------|-------------------------|
//! | `00 01 00`         | power off | nothing                 |
//! | `00 01 01`         | power on  | nothing                 |
//! | `00 01 02`         | reset     | nothing                 |
//! | `00 01 04`         | get ATR   | length + ATR            |
//! | length + C-APDU    | transmit  | length + R-APDU         |
//!
//! Details that matter (measured, see `/work/shared/notes/pcsc-virtual-stack.md`):
//! * Debian's vpcd writes the length and the payload in two `send()` calls without
//!   `TCP_NODELAY`; unless the card's socket ACKs at once every APDU costs ~44 ms. The card
//!   therefore re-arms `TCP_QUICKACK` before every read (Linux).
//! * A reply of length 0 makes vpcd eject the card, and the length prefix caps every message
//!   at 65535 bytes; a [`Card`] response outside 2..=65535 bytes is replaced by `6F00`.
//! * pcscd notices insertion and removal only at its 400 ms presence poll.
//! * One card per slot: a second card connecting to a taken port waits in the listen backlog
//!   until the first leaves. [`SlotLock`] serialises users of a slot across threads and
//!   processes.
//! * vpcd closes the card's socket when anything goes wrong on the link, and a single
//!   command APDU longer than 65535 bytes (an extended APDU with Lc = 65535, from any PC/SC
//!   client) is enough. By default that ends the session ([`SessionEnd::ClosedByReader`]);
//!   with [`VpcdConfig::with_reconnect`] the card instead waits until pcscd has seen it
//!   leave, reinserts itself (same card, same persistent state; volatile state is gone, as
//!   after a real removal) and keeps serving, retrying with backoff while vpcd does not
//!   listen ([`Reconnect`]).
//!
//! ```no_run
//! use std::time::Duration;
//! use ektp_chip::testcard::MemoryCard;
//! use ektp_chip::vpcd::{SlotLock, VirtualCard, VpcdConfig, DEFAULT_PORT};
//!
//! let _slot = SlotLock::acquire(DEFAULT_PORT, Duration::from_secs(60))?;
//! let card = VirtualCard::insert(MemoryCard::with_size(1024), &VpcdConfig::new())?;
//! // Within 0.4 s every PC/SC application sees a card in "Virtual PCD 00 00".
//! let removed = card.remove()?; // or drop it
//! println!("{} APDUs answered; session ended: {:?}", removed.answered, removed.end);
//! # Ok::<(), ektp_chip::ChipError>(())
//! ```

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, SocketAddrV4, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::card::{Card, Fault, FaultAction, MAX_ATR_LEN, frameable_response};
use crate::error::ChipError;

/// TCP port of vpcd slot 0, reader "Virtual PCD 00 00" (`/etc/reader.conf.d/vpcd`: 0x8C7B).
pub const DEFAULT_PORT: u16 = 35963;

/// TCP port of vpcd slot 1, reader "Virtual PCD 00 01".
pub const SLOT1_PORT: u16 = 35964;

/// How long a card waits between attempts to connect while vpcd is not listening yet.
pub const CONNECT_RETRY_INTERVAL: Duration = Duration::from_millis(200);

/// How long [`VirtualCard::insert`] keeps retrying by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a dropped card stays out before it reinserts itself by default: longer than
/// pcscd's 400 ms presence poll, so pcscd sees the removal (hosts get "card removed" and
/// reconnect) instead of a card that silently lost its volatile state.
pub const REINSERT_DELAY: Duration = Duration::from_millis(600);

/// Slice in which waits check whether the card is being removed.
const WAIT_SLICE: Duration = Duration::from_millis(20);

/// The PC/SC reader name pcscd gives the vpcd slot served on `port`, if it is one of the two
/// ports the Debian `vsmartcard-vpcd` package configures.
#[must_use]
pub fn reader_name(port: u16) -> Option<&'static str> {
    match port {
        DEFAULT_PORT => Some("Virtual PCD 00 00"),
        SLOT1_PORT => Some("Virtual PCD 00 01"),
        _ => None,
    }
}

/// How a virtual card comes back after vpcd drops its link (see
/// [`VpcdConfig::with_reconnect`]): wait [`REINSERT_DELAY`], then try to connect; while vpcd
/// refuses, wait and try again, doubling the wait from 200 ms up to 5 s, at most 10 attempts
/// (about 27 s) before the session ends with [`SessionEnd::ReaderGone`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconnect {
    reinsert_after: Duration,
    first_backoff: Duration,
    max_backoff: Duration,
    attempts: u32,
}

impl Default for Reconnect {
    fn default() -> Self {
        Self::new()
    }
}

impl Reconnect {
    /// The defaults described on the type.
    #[must_use]
    pub fn new() -> Self {
        Self {
            reinsert_after: REINSERT_DELAY,
            first_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            attempts: 10,
        }
    }

    /// How long the dropped card stays out before its first attempt to reinsert.
    #[must_use]
    pub fn with_reinsert_delay(mut self, delay: Duration) -> Self {
        self.reinsert_after = delay;
        self
    }

    /// The wait after the first refused attempt, doubled after each one up to `max`.
    #[must_use]
    pub fn with_backoff(mut self, first: Duration, max: Duration) -> Self {
        self.first_backoff = first;
        self.max_backoff = max.max(first);
        self
    }

    /// How many connection attempts (at least 1) before giving up.
    #[must_use]
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }
}

/// How to reach vpcd and how the inserted card behaves.
#[derive(Clone, Debug)]
pub struct VpcdConfig {
    addr: SocketAddr,
    connect_timeout: Duration,
    fault: Option<Fault>,
    reconnect: Option<Reconnect>,
    busy_check: Option<Duration>,
}

impl Default for VpcdConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl VpcdConfig {
    /// 127.0.0.1:[`DEFAULT_PORT`], [`DEFAULT_CONNECT_TIMEOUT`], no fault.
    #[must_use]
    pub fn new() -> Self {
        Self {
            addr: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, DEFAULT_PORT)),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            fault: None,
            reconnect: None,
            busy_check: None,
        }
    }

    /// Use 127.0.0.1:`port` (e.g. [`SLOT1_PORT`]).
    #[must_use]
    pub fn with_port(mut self, port: u16) -> Self {
        self.addr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port));
        self
    }

    /// Use any address.
    #[must_use]
    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// How long [`VirtualCard::insert`] retries (every [`CONNECT_RETRY_INTERVAL`]) while
    /// vpcd is not listening.
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Simulate pulling the card (see [`Fault`]).
    #[must_use]
    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.fault = Some(fault);
        self
    }

    /// When vpcd drops the link (it closes the socket, for example after a command longer
    /// than 65535 bytes, or pcscd restarts), reinsert the card as `policy` says and keep
    /// serving it, instead of ending the session with [`SessionEnd::ClosedByReader`].
    /// [`VirtualCard::drops`] and [`VirtualCard::reinsertions`] count what happened.
    #[must_use]
    pub fn with_reconnect(mut self, policy: Reconnect) -> Self {
        self.reconnect = Some(policy);
        self
    }

    /// After connecting, wait up to `timeout` for vpcd's first poll (pcscd polls every
    /// 400 ms, so 2 s is plenty); if none comes, another card holds the slot (vpcd takes one
    /// card per slot; the second connection waits in the listen backlog, unanswered) and
    /// [`VirtualCard::insert`] fails with [`ChipError::ReaderBusy`] instead of serving
    /// nobody. Off by default: a test playing vpcd may accept later.
    #[must_use]
    pub fn with_busy_check(mut self, timeout: Duration) -> Self {
        self.busy_check = Some(timeout);
        self
    }

    /// The address the card connects to.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// Why a virtual card's session with vpcd ended.
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionEnd {
    /// [`VirtualCard::remove`] or drop took the card out.
    Removed,
    /// The configured [`Fault`] pulled the card.
    Fault(Fault),
    /// vpcd closed the connection: pcscd stopped, or vpcd ejected the card (for example after
    /// a command longer than 65535 bytes).
    ClosedByReader,
    /// vpcd sent a message of length 0, which the protocol does not define.
    EmptyMessage,
    /// The card's ATR was not 2..=33 bytes, so it could not be sent.
    InvalidAtr {
        /// Length of the ATR the card returned.
        len: usize,
    },
    /// Any other socket error.
    Io(io::Error),
    /// vpcd dropped the link and, with [`VpcdConfig::with_reconnect`], refused every attempt
    /// to reinsert the card: pcscd stopped (or lost its vpcd reader). Holds
    /// [`ChipError::NotListening`], which says what to do.
    ReaderGone(ChipError),
}

impl SessionEnd {
    /// Whether vpcd's side ended the link (a reconnect may bring the card back), as opposed to
    /// the card's own removal, fault or broken ATR.
    fn is_link_drop(&self) -> bool {
        matches!(
            self,
            Self::ClosedByReader | Self::EmptyMessage | Self::Io(_)
        )
    }
}

/// A card taken out of the virtual reader, with the reason its session ended.
#[derive(Debug)]
pub struct Removed<C> {
    /// The card, with whatever persistent state it built up.
    pub card: C,
    /// Why the session ended.
    pub end: SessionEnd,
    /// Command APDUs answered during the session.
    pub answered: u64,
}

/// A [`Card`] inserted into the vpcd virtual reader, served by a background thread.
///
/// Dropping the handle removes the card (shuts the connection down and joins the thread);
/// [`VirtualCard::remove`] does the same and gives the card back. However the session ends,
/// the card gets [`Card::power_off`] last, as a card leaving the field does (and also each
/// time vpcd drops a card that then reinserts itself, see [`VpcdConfig::with_reconnect`]).
pub struct VirtualCard<C: Card + Send + 'static> {
    /// The current connection, replaced on each reinsertion; shut down to remove the card.
    control: Arc<Mutex<TcpStream>>,
    addr: SocketAddr,
    leaving: Arc<AtomicBool>,
    answered: Arc<AtomicU64>,
    drops: Arc<AtomicU64>,
    reinsertions: Arc<AtomicU64>,
    thread: Option<JoinHandle<(C, SessionEnd)>>,
}

impl<C: Card + Send + 'static> VirtualCard<C> {
    /// Inserts `card`: connects to vpcd, retrying every [`CONNECT_RETRY_INTERVAL`] until
    /// the config's connect timeout, then answers vpcd in a background thread.
    ///
    /// pcscd reports the card present at its next presence poll (≤ 0.4 s later).
    ///
    /// # Errors
    /// [`ChipError::NotListening`] if vpcd did not accept the connection in time;
    /// [`ChipError::Socket`] if the socket or thread could not be set up.
    pub fn insert(card: C, config: &VpcdConfig) -> Result<Self, ChipError> {
        let stream = connect_with_retry(config.addr, config.connect_timeout)?;
        if let Some(timeout) = config.busy_check {
            check_not_busy(&stream, config.addr, timeout)?;
        }
        stream.set_nodelay(true).map_err(ChipError::Socket)?;
        let control = Arc::new(Mutex::new(stream.try_clone().map_err(ChipError::Socket)?));
        let leaving = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicU64::new(0));
        let drops = Arc::new(AtomicU64::new(0));
        let reinsertions = Arc::new(AtomicU64::new(0));
        let mut session = Session {
            stream,
            fault: config.fault,
            leaving: Arc::clone(&leaving),
            answered: Arc::clone(&answered),
            index: 0,
        };
        let link = Link {
            addr: config.addr,
            reconnect: config.reconnect.clone(),
            control: Arc::clone(&control),
            drops: Arc::clone(&drops),
            reinsertions: Arc::clone(&reinsertions),
        };
        let thread = std::thread::Builder::new()
            .name(format!("vpcd-card-{}", config.addr.port()))
            .spawn(move || {
                let mut card = card;
                let end = link.serve(&mut session, &mut card);
                (card, end)
            })
            .map_err(ChipError::Socket)?;
        Ok(Self {
            control,
            addr: config.addr,
            leaving,
            answered,
            drops,
            reinsertions,
            thread: Some(thread),
        })
    }

    /// How many times vpcd dropped the link (only counted with
    /// [`VpcdConfig::with_reconnect`]; without it the first drop ends the session).
    #[must_use]
    pub fn drops(&self) -> u64 {
        self.drops.load(Ordering::Acquire)
    }

    /// How many times the card reinserted itself after vpcd dropped it.
    #[must_use]
    pub fn reinsertions(&self) -> u64 {
        self.reinsertions.load(Ordering::Acquire)
    }

    /// The vpcd address this card is connected to.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Command APDUs answered so far.
    #[must_use]
    pub fn answered(&self) -> u64 {
        self.answered.load(Ordering::Acquire)
    }

    /// Whether the session is still running (false once vpcd closed it for good or a fault
    /// pulled the card; true while a dropped card waits to reinsert itself).
    #[must_use]
    pub fn is_inserted(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Removes the card from the reader and returns it with the reason its session ended
    /// ([`SessionEnd::Removed`] unless it had already ended).
    ///
    /// # Errors
    /// [`ChipError::CardPanicked`] if the card's `process` (or another hook) panicked.
    pub fn remove(mut self) -> Result<Removed<C>, ChipError> {
        let (card, end) = self.stop().ok_or(ChipError::CardPanicked)?;
        Ok(Removed {
            card,
            end,
            answered: self.answered(),
        })
    }

    fn stop(&mut self) -> Option<(C, SessionEnd)> {
        let thread = self.thread.take()?;
        self.leaving.store(true, Ordering::Release);
        // Wakes the serving thread out of its blocking read; errors mean it is closed already.
        // A thread between two connections sees `leaving` instead.
        let _ = lock(&self.control).shutdown(Shutdown::Both);
        thread.join().ok()
    }
}

impl<C: Card + Send + 'static> std::fmt::Debug for VirtualCard<C> {
    /// Shows where the card is inserted, never the card itself (it may hold secrets).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtualCard")
            .field("addr", &self.addr)
            .field("answered", &self.answered())
            .field("inserted", &self.is_inserted())
            .finish_non_exhaustive()
    }
}

impl<C: Card + Send + 'static> Drop for VirtualCard<C> {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// The other slot to suggest when the one on `port` is busy.
fn other_slot(port: u16) -> &'static str {
    if port == SLOT1_PORT {
        "--port 35963, reader \"Virtual PCD 00 00\""
    } else {
        "--port 35964, reader \"Virtual PCD 00 01\""
    }
}

/// Fails with [`ChipError::ReaderBusy`] unless vpcd speaks on `stream` within `timeout`
/// (see [`VpcdConfig::with_busy_check`]). Peeks, so the first message stays for the session.
fn check_not_busy(
    stream: &TcpStream,
    addr: SocketAddr,
    timeout: Duration,
) -> Result<(), ChipError> {
    stream
        .set_read_timeout(Some(timeout.max(Duration::from_millis(1))))
        .map_err(ChipError::Socket)?;
    let mut first = [0u8; 1];
    let spoke = match stream.peek(&mut first) {
        // Data, or vpcd closed the link (the session reports that).
        Ok(_) => true,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            false
        }
        Err(e) => return Err(ChipError::Socket(e)),
    };
    stream.set_read_timeout(None).map_err(ChipError::Socket)?;
    if spoke {
        Ok(())
    } else {
        let _ = stream.shutdown(Shutdown::Both);
        Err(ChipError::ReaderBusy {
            port: addr.port(),
            hint: other_slot(addr.port()),
        })
    }
}

fn connect_with_retry(addr: SocketAddr, timeout: Duration) -> Result<TcpStream, ChipError> {
    let start = Instant::now();
    loop {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
            Ok(stream) => return Ok(stream),
            Err(source) => {
                let waited = start.elapsed();
                // On this host a refused connection means nothing listens; one that times out
                // means vpcd listens but its one-place backlog is taken: another card waits.
                if source.kind() == io::ErrorKind::TimedOut
                    && waited >= timeout.min(Duration::from_secs(3))
                {
                    return Err(ChipError::ReaderBusy {
                        port: addr.port(),
                        hint: other_slot(addr.port()),
                    });
                }
                if waited >= timeout {
                    return Err(ChipError::NotListening {
                        addr,
                        waited,
                        source,
                    });
                }
                std::thread::sleep(CONNECT_RETRY_INTERVAL.min(timeout.saturating_sub(waited)));
            }
        }
    }
}

/// The lock, also if a thread panicked holding it (a `TcpStream` has no invariant to break).
fn lock(m: &Mutex<TcpStream>) -> MutexGuard<'_, TcpStream> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Sleeps `d` in short slices; false (early) once the card is being removed.
fn wait_unless_leaving(d: Duration, leaving: &AtomicBool) -> bool {
    let start = Instant::now();
    loop {
        if leaving.load(Ordering::Acquire) {
            return false;
        }
        let left = d.saturating_sub(start.elapsed());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(WAIT_SLICE));
    }
}

/// What the serving thread needs to bring a dropped card back.
struct Link {
    addr: SocketAddr,
    reconnect: Option<Reconnect>,
    control: Arc<Mutex<TcpStream>>,
    drops: Arc<AtomicU64>,
    reinsertions: Arc<AtomicU64>,
}

/// Why a dropped card did not come back.
enum NoReinsert {
    Leaving,
    Gone(ChipError),
}

impl Link {
    /// Serves sessions until one ends in a way a reconnect does not mend.
    fn serve<C: Card>(&self, session: &mut Session, card: &mut C) -> SessionEnd {
        loop {
            let end = session.serve(card);
            let Some(policy) = self.reconnect.as_ref().filter(|_| end.is_link_drop()) else {
                return end;
            };
            self.drops.fetch_add(1, Ordering::AcqRel);
            match self.reinsert(policy, &session.leaving) {
                Ok(stream) => {
                    session.stream = stream;
                    if session.leaving.load(Ordering::Acquire) {
                        let _ = session.stream.shutdown(Shutdown::Both);
                        return SessionEnd::Removed;
                    }
                    self.reinsertions.fetch_add(1, Ordering::AcqRel);
                }
                Err(NoReinsert::Leaving) => return SessionEnd::Removed,
                Err(NoReinsert::Gone(e)) => return SessionEnd::ReaderGone(e),
            }
        }
    }

    /// Waits until pcscd has seen the card leave, then connects again with backoff. The new
    /// connection is published to [`VirtualCard::stop`] before it is used.
    fn reinsert(&self, policy: &Reconnect, leaving: &AtomicBool) -> Result<TcpStream, NoReinsert> {
        if !wait_unless_leaving(policy.reinsert_after, leaving) {
            return Err(NoReinsert::Leaving);
        }
        let start = Instant::now();
        let mut backoff = policy.first_backoff;
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            match TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)) {
                Ok(stream) => {
                    // Only latency depends on it.
                    let _ = stream.set_nodelay(true);
                    let control = stream.try_clone().map_err(|source| {
                        NoReinsert::Gone(ChipError::NotListening {
                            addr: self.addr,
                            waited: start.elapsed(),
                            source,
                        })
                    })?;
                    *lock(&self.control) = control;
                    return Ok(stream);
                }
                Err(source) if attempt >= policy.attempts => {
                    return Err(NoReinsert::Gone(ChipError::NotListening {
                        addr: self.addr,
                        waited: start.elapsed(),
                        source,
                    }));
                }
                Err(_) => {
                    if !wait_unless_leaving(backoff, leaving) {
                        return Err(NoReinsert::Leaving);
                    }
                    backoff = backoff.saturating_mul(2).min(policy.max_backoff);
                }
            }
        }
    }
}

/// Linux: make the kernel ACK the next segment at once. vpcd (Debian 3.3) sends the length
/// and the payload separately without TCP_NODELAY, so a delayed ACK stalls it ~40 ms.
/// The flag is not sticky (tcp(7)), so it is re-armed before every read.
#[cfg(target_os = "linux")]
fn quickack(stream: &TcpStream) {
    // A failure only costs latency, never correctness.
    let _ = socket2::SockRef::from(stream).set_tcp_quickack(true);
}

#[cfg(not(target_os = "linux"))]
fn quickack(_stream: &TcpStream) {}

struct Session {
    stream: TcpStream,
    fault: Option<Fault>,
    leaving: Arc<AtomicBool>,
    answered: Arc<AtomicU64>,
    /// Command APDUs answered so far, across reinsertions (what a [`Fault`] counts).
    index: u64,
}

impl Session {
    fn serve<C: Card>(&mut self, card: &mut C) -> SessionEnd {
        let end = self.run(card);
        let _ = self.stream.shutdown(Shutdown::Both);
        // Out of the reader means out of power: volatile state is gone.
        card.power_off();
        end
    }

    fn read_exact(&mut self, buf: &mut [u8]) -> Result<(), SessionEnd> {
        quickack(&self.stream);
        self.stream.read_exact(buf).map_err(|e| {
            if self.leaving.load(Ordering::Acquire) {
                SessionEnd::Removed
            } else if e.kind() == io::ErrorKind::UnexpectedEof {
                SessionEnd::ClosedByReader
            } else {
                SessionEnd::Io(e)
            }
        })
    }

    /// One frame in one write: vpcd reads length and payload with MSG_WAITALL either way,
    /// but a single segment avoids a Nagle stall on our side.
    fn write_frame(&mut self, payload: &[u8]) -> Result<(), SessionEnd> {
        let len = u16::try_from(payload.len()).map_err(|_| {
            SessionEnd::Io(io::Error::new(
                io::ErrorKind::InvalidInput,
                "reply longer than 65535 bytes",
            ))
        })?;
        let mut frame = Vec::with_capacity(payload.len().saturating_add(2));
        frame.extend_from_slice(&len.to_be_bytes());
        frame.extend_from_slice(payload);
        self.stream.write_all(&frame).map_err(|e| {
            if self.leaving.load(Ordering::Acquire) {
                SessionEnd::Removed
            } else {
                SessionEnd::Io(e)
            }
        })
    }

    fn run<C: Card>(&mut self, card: &mut C) -> SessionEnd {
        let mut len = [0u8; 2];
        let mut message = Vec::new();
        loop {
            let index = self.index;
            if let Some(fault) = self.fault.filter(|f| f.leaves_before_next(index)) {
                return SessionEnd::Fault(fault);
            }
            if let Err(end) = self.read_exact(&mut len) {
                return end;
            }
            // Bounded: the prefix is a u16.
            message.resize(usize::from(u16::from_be_bytes(len)), 0);
            if let Err(end) = self.read_exact(&mut message) {
                return end;
            }
            let step = match message.as_slice() {
                [] => return SessionEnd::EmptyMessage,
                [0x00] => {
                    card.power_off();
                    Ok(())
                }
                [0x01] => {
                    card.power_on();
                    Ok(())
                }
                [0x02] => {
                    card.reset();
                    Ok(())
                }
                [0x04] => {
                    let atr = card.atr();
                    if !(2..=MAX_ATR_LEN).contains(&atr.len()) {
                        return SessionEnd::InvalidAtr { len: atr.len() };
                    }
                    self.write_frame(&atr)
                }
                // vpcd defines no other control byte; answering would desynchronise the stream.
                [_] => Ok(()),
                apdu => match self.fault.map(|fault| (fault, fault.action(index))) {
                    Some((fault, FaultAction::LeaveBeforeExecuting)) => {
                        return SessionEnd::Fault(fault);
                    }
                    Some((fault, FaultAction::LeaveAfterExecuting)) => {
                        let _ = card.process(apdu);
                        return SessionEnd::Fault(fault);
                    }
                    None | Some((_, FaultAction::Answer)) => {
                        let response = frameable_response(card.process(apdu));
                        // Counted before the write, so a host that has the answer also
                        // sees the count.
                        self.index = index.saturating_add(1);
                        self.answered.store(self.index, Ordering::Release);
                        self.write_frame(&response)
                    }
                },
            };
            if let Err(end) = step {
                return end;
            }
        }
    }
}

/// Exclusive use of one vpcd slot, across threads *and* processes, until dropped.
///
/// Two cards on one slot do not fail cleanly (the second waits in the listen backlog), and
/// the tests of several crates, or several developers, may want "Virtual PCD 00 00" at the
/// same time. The lock is an abstract Unix socket named after the port: the kernel releases
/// it when the holder exits, even on a crash, and no file is left behind.
#[cfg(target_os = "linux")]
#[derive(Debug)]
pub struct SlotLock {
    _socket: std::os::unix::net::UnixListener,
}

#[cfg(target_os = "linux")]
impl SlotLock {
    /// Waits up to `timeout` for the slot served on TCP `port`.
    ///
    /// # Errors
    /// [`ChipError::SlotBusy`] if another holder kept it for `timeout`;
    /// [`ChipError::Socket`] if the lock socket could not be created.
    pub fn acquire(port: u16, timeout: Duration) -> Result<Self, ChipError> {
        use std::os::linux::net::SocketAddrExt;
        use std::os::unix::net::{SocketAddr as UnixAddr, UnixListener};

        let name = format!("ektp-vpcd-slot-{port}");
        let addr = UnixAddr::from_abstract_name(name.as_bytes()).map_err(ChipError::Socket)?;
        let start = Instant::now();
        loop {
            match UnixListener::bind_addr(&addr) {
                Ok(socket) => return Ok(Self { _socket: socket }),
                Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
                    let waited = start.elapsed();
                    if waited >= timeout {
                        return Err(ChipError::SlotBusy { port, waited });
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(ChipError::Socket(e)),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// Echoes the APDU back with 9000, counts resets and power cycles.
    #[derive(Default)]
    struct Echo {
        resets: u32,
        powered: bool,
        executed: u32,
    }

    impl Card for Echo {
        fn atr(&self) -> Vec<u8> {
            vec![0x3B, 0x80, 0x80, 0x01, 0x01]
        }
        fn power_on(&mut self) {
            self.powered = true;
        }
        fn power_off(&mut self) {
            self.powered = false;
        }
        fn reset(&mut self) {
            self.resets += 1;
        }
        fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
            self.executed += 1;
            if apdu == [0xEE, 0xEE, 0xEE, 0xEE] {
                return Vec::new(); // a broken card: no SW
            }
            let mut r = apdu.to_vec();
            r.extend_from_slice(&[0x90, 0x00]);
            r
        }
    }

    /// Plays vpcd: a listener on an ephemeral port, so these tests need no pcscd.
    fn fake_vpcd() -> (TcpListener, VpcdConfig) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let config = VpcdConfig::new()
            .with_addr(listener.local_addr().unwrap())
            .with_connect_timeout(Duration::from_secs(2));
        (listener, config)
    }

    fn send(s: &mut TcpStream, payload: &[u8]) {
        let mut frame = u16::try_from(payload.len()).unwrap().to_be_bytes().to_vec();
        frame.extend_from_slice(payload);
        s.write_all(&frame).unwrap();
    }

    fn recv(s: &mut TcpStream) -> Vec<u8> {
        let mut len = [0u8; 2];
        s.read_exact(&mut len).unwrap();
        let mut buf = vec![0u8; usize::from(u16::from_be_bytes(len))];
        s.read_exact(&mut buf).unwrap();
        buf
    }

    fn assert_closed(s: &mut TcpStream) {
        let mut b = [0u8; 1];
        assert_eq!(s.read(&mut b).unwrap(), 0, "expected the card to close");
    }

    #[test]
    fn control_bytes_and_apdus() {
        let (listener, config) = fake_vpcd();
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        send(&mut s, &[0x04]);
        assert_eq!(recv(&mut s), [0x3B, 0x80, 0x80, 0x01, 0x01]);
        send(&mut s, &[0x01]); // power on: no reply
        send(&mut s, &[0x02]); // reset: no reply
        send(&mut s, &[0x00, 0xA4, 0x00, 0x0C]);
        // The first reply after the control bytes is the APDU's: nothing was sent for 01/02.
        assert_eq!(recv(&mut s), [0x00, 0xA4, 0x00, 0x0C, 0x90, 0x00]);
        send(&mut s, &[0xEE, 0xEE, 0xEE, 0xEE]);
        assert_eq!(recv(&mut s), [0x6F, 0x00], "never a 0-length reply");
        send(&mut s, &[0x00]); // power off
        assert_eq!(card.answered(), 2);
        let removed = card.remove().unwrap();
        assert!(matches!(removed.end, SessionEnd::Removed));
        assert_eq!(removed.card.resets, 1);
        assert_eq!(removed.card.executed, 2);
        assert!(!removed.card.powered);
        assert_closed(&mut s);
    }

    #[test]
    fn large_frames_round_trip() {
        let (listener, config) = fake_vpcd();
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        let apdu: Vec<u8> = (0..65533u32).map(|i| (i % 251) as u8).collect();
        send(&mut s, &apdu);
        let reply = recv(&mut s);
        assert_eq!(reply.len(), 65535);
        assert_eq!(&reply[..65533], &apdu[..]);
        // 65534 + SW does not fit a frame: replaced by 6F00, connection stays up.
        let apdu = vec![0x11; 65534];
        send(&mut s, &apdu);
        assert_eq!(recv(&mut s), [0x6F, 0x00]);
        send(&mut s, &[0x04]);
        assert_eq!(recv(&mut s).len(), 5);
        drop(card); // drop removes
        assert_closed(&mut s);
    }

    #[test]
    fn eof_from_reader_ends_session() {
        let (listener, config) = fake_vpcd();
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let (s, _) = listener.accept().unwrap();
        drop(s);
        let start = Instant::now();
        while card.is_inserted() && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(!card.is_inserted());
        let removed = card.remove().unwrap();
        assert!(
            matches!(removed.end, SessionEnd::ClosedByReader),
            "{:?}",
            removed.end
        );
    }

    /// Waits up to 5 s for the card to connect to `listener`.
    fn accept_within(listener: &TcpListener) -> Option<TcpStream> {
        listener.set_nonblocking(true).unwrap();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok((s, _)) = listener.accept() {
                s.set_nonblocking(false).unwrap();
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        None
    }

    fn quick_reconnect() -> Reconnect {
        Reconnect::new()
            .with_reinsert_delay(Duration::from_millis(20))
            .with_backoff(Duration::from_millis(10), Duration::from_millis(40))
    }

    #[test]
    fn a_dropped_card_reinserts_itself_and_keeps_its_state() {
        let (listener, config) = fake_vpcd();
        let config = config.with_reconnect(quick_reconnect());
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        send(&mut s, &[0x01]);
        send(&mut s, &[0x00, 0xB0, 0x00, 0x00, 0x01]);
        assert_eq!(recv(&mut s).len(), 7);
        // vpcd closes the card's socket (as after a command longer than 65535 bytes).
        drop(s);
        let mut s = accept_within(&listener).expect("the card came back");
        send(&mut s, &[0x04]);
        assert_eq!(recv(&mut s).len(), 5);
        send(&mut s, &[0x00, 0xB0, 0x00, 0x00, 0x01]);
        assert_eq!(recv(&mut s).len(), 7);
        assert_eq!(card.drops(), 1);
        assert_eq!(card.reinsertions(), 1);
        assert_eq!(card.answered(), 2, "counted across the reinsertion");
        assert!(card.is_inserted());
        let removed = card.remove().unwrap();
        assert!(
            matches!(removed.end, SessionEnd::Removed),
            "{:?}",
            removed.end
        );
        assert_eq!(
            removed.card.executed, 2,
            "one card object served both links"
        );
        assert!(!removed.card.powered, "the drop powered it off");
        assert_closed(&mut s);
    }

    #[test]
    fn a_fault_still_counts_apdus_across_a_reinsertion() {
        let (listener, config) = fake_vpcd();
        let config = config
            .with_reconnect(quick_reconnect())
            .with_fault(Fault::RemoveAfter(2));
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        send(&mut s, &[0x00, 0x84, 0x00, 0x00, 0x08]);
        assert_eq!(recv(&mut s).len(), 7);
        drop(s);
        let mut s = accept_within(&listener).expect("the card came back");
        send(&mut s, &[0x00, 0x84, 0x00, 0x00, 0x08]);
        assert_eq!(recv(&mut s).len(), 7);
        assert_closed(&mut s);
        let removed = card.remove().unwrap();
        assert!(
            matches!(removed.end, SessionEnd::Fault(Fault::RemoveAfter(2))),
            "a fault is not a drop: no reinsertion"
        );
    }

    #[test]
    fn vpcd_gone_for_good_ends_with_a_clear_error_after_bounded_retries() {
        let (listener, config) = fake_vpcd();
        let config = config.with_reconnect(quick_reconnect().with_attempts(3));
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let (s, _) = listener.accept().unwrap();
        // pcscd stops: the listener and the link go away.
        drop(listener);
        drop(s);
        let start = Instant::now();
        while card.is_inserted() && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(!card.is_inserted(), "gave up");
        assert_eq!(card.drops(), 1);
        assert_eq!(card.reinsertions(), 0);
        let removed = card.remove().unwrap();
        let SessionEnd::ReaderGone(err) = removed.end else {
            panic!("{:?}", removed.end)
        };
        assert!(matches!(err, ChipError::NotListening { .. }));
        assert!(err.to_string().contains("start pcscd"), "{err}");
    }

    #[test]
    fn removing_a_card_waiting_to_reinsert_returns_at_once() {
        let (listener, config) = fake_vpcd();
        let config =
            config.with_reconnect(Reconnect::new().with_reinsert_delay(Duration::from_secs(30)));
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let (s, _) = listener.accept().unwrap();
        drop(s);
        let start = Instant::now();
        while card.drops() == 0 && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(card.drops(), 1);
        let start = Instant::now();
        let removed = card.remove().unwrap();
        assert!(start.elapsed() < Duration::from_secs(2));
        assert!(matches!(removed.end, SessionEnd::Removed));
    }

    #[test]
    fn fault_pull_before_executing() {
        let (listener, config) = fake_vpcd();
        let config = config.with_fault(Fault::PullBeforeExecuting(1));
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        send(&mut s, &[0x00, 0xB0, 0x00, 0x00, 0x01]);
        assert_eq!(recv(&mut s).len(), 7);
        send(&mut s, &[0x04]);
        assert_eq!(recv(&mut s).len(), 5, "ATR requests do not count as APDUs");
        send(&mut s, &[0x00, 0xB0, 0x00, 0x00, 0x01]);
        assert_closed(&mut s);
        let removed = card.remove().unwrap();
        assert!(matches!(
            removed.end,
            SessionEnd::Fault(Fault::PullBeforeExecuting(1))
        ));
        assert_eq!(
            removed.card.executed, 1,
            "the pulled command was not executed"
        );
        assert_eq!(removed.answered, 1);
    }

    #[test]
    fn fault_pull_after_executing() {
        let (listener, config) = fake_vpcd();
        let config = config.with_fault(Fault::PullAfterExecuting(0));
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        send(&mut s, &[0x00, 0xD6, 0x00, 0x00, 0x01, 0x42]);
        assert_closed(&mut s);
        let removed = card.remove().unwrap();
        assert_eq!(removed.card.executed, 1, "executed, but never answered");
        assert_eq!(removed.answered, 0);
    }

    #[test]
    fn fault_remove_after() {
        let (listener, config) = fake_vpcd();
        let config = config.with_fault(Fault::RemoveAfter(2));
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        for _ in 0..2 {
            send(&mut s, &[0x00, 0x84, 0x00, 0x00, 0x08]);
            assert_eq!(recv(&mut s).len(), 7);
        }
        assert_closed(&mut s);
        let removed = card.remove().unwrap();
        assert!(matches!(
            removed.end,
            SessionEnd::Fault(Fault::RemoveAfter(2))
        ));
        assert_eq!(removed.card.executed, 2);
    }

    #[test]
    fn invalid_atr_ends_session_instead_of_sending_length_zero() {
        struct NoAtr;
        impl Card for NoAtr {
            fn atr(&self) -> Vec<u8> {
                Vec::new()
            }
            fn reset(&mut self) {}
            fn process(&mut self, _apdu: &[u8]) -> Vec<u8> {
                vec![0x90, 0x00]
            }
        }
        let (listener, config) = fake_vpcd();
        let card = VirtualCard::insert(NoAtr, &config).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        send(&mut s, &[0x04]);
        assert_closed(&mut s);
        let removed = card.remove().unwrap();
        assert!(matches!(removed.end, SessionEnd::InvalidAtr { len: 0 }));
    }

    #[test]
    fn not_listening_is_a_clear_error() {
        // Bind then drop: the port is (almost certainly) closed now.
        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let config = VpcdConfig::new()
            .with_addr(addr)
            .with_connect_timeout(Duration::from_millis(450));
        let start = Instant::now();
        let err = VirtualCard::insert(Echo::default(), &config).unwrap_err();
        assert!(start.elapsed() >= Duration::from_millis(400), "retried");
        assert!(matches!(err, ChipError::NotListening { .. }));
        assert!(err.to_string().contains("start pcscd"), "{err}");
    }

    #[test]
    fn connect_retries_until_listener_appears() {
        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let late = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            let listener = TcpListener::bind(addr).unwrap();
            listener.accept().unwrap().0
        });
        let config = VpcdConfig::new()
            .with_addr(addr)
            .with_connect_timeout(Duration::from_secs(5));
        let card = VirtualCard::insert(Echo::default(), &config).unwrap();
        let mut s = late.join().unwrap();
        send(&mut s, &[0x04]);
        assert_eq!(recv(&mut s).len(), 5);
        drop(card);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn slot_lock_is_exclusive() {
        // A port number no real slot uses, so this never blocks a real test.
        let first = SlotLock::acquire(1, Duration::from_secs(1)).unwrap();
        let err = SlotLock::acquire(1, Duration::from_millis(50)).unwrap_err();
        assert!(matches!(err, ChipError::SlotBusy { port: 1, .. }));
        drop(first);
        let _again = SlotLock::acquire(1, Duration::from_millis(500)).unwrap();
    }

    #[test]
    fn reader_names() {
        assert_eq!(reader_name(DEFAULT_PORT), Some("Virtual PCD 00 00"));
        assert_eq!(reader_name(SLOT1_PORT), Some("Virtual PCD 00 01"));
        assert_eq!(reader_name(1), None);
    }
}
