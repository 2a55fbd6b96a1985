#![doc = include_str!("README.md")]
//!
//! Shared helpers for the workspace end-to-end tests: a virtual card inserted into the real
//! pcscd through the vsmartcard `vpcd` reader, one test at a time per reader slot.
//!
//! Needs a running pcscd with vsmartcard-vpcd installed; `.ci/test` sets that up.

use std::time::Duration;

use ektp_chip::card::{Card, Fault};
use ektp_chip::vpcd::{self, SlotLock, VirtualCard, VpcdConfig};
use ektp_pcsc::{PcscContext, ReaderInfo};

/// How long a test waits for pcscd to see a card arrive or leave. pcscd polls vpcd every
/// 400 ms, so this is generous on a loaded 2-core machine without hiding a hang.
pub const PRESENCE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a test waits for another test (in this or another process) to free a slot.
pub const SLOT_TIMEOUT: Duration = Duration::from_secs(300);

/// Exclusive use of one vpcd reader slot for the duration of a test.
///
/// Holding it means no other test, in this binary or any other process, inserts a card into
/// this slot; on creation the reader is confirmed empty.
#[derive(Debug)]
pub struct Slot {
    /// The PC/SC context the test uses.
    pub ctx: PcscContext,
    /// The slot's TCP port.
    pub port: u16,
    /// The slot's PC/SC reader name.
    pub reader: &'static str,
    _lock: SlotLock,
}

impl Slot {
    /// Takes slot 0 ("Virtual PCD 00 00", port 35963).
    ///
    /// # Panics
    /// If pcscd is not running, the slot stays busy, or the reader does not become empty.
    #[must_use]
    pub fn zero() -> Self {
        Self::take(vpcd::DEFAULT_PORT)
    }

    /// Takes slot 1 ("Virtual PCD 00 01", port 35964).
    ///
    /// # Panics
    /// As [`Slot::zero`].
    #[must_use]
    pub fn one() -> Self {
        Self::take(vpcd::SLOT1_PORT)
    }

    #[allow(clippy::panic, clippy::expect_used)]
    fn take(port: u16) -> Self {
        let lock = SlotLock::acquire(port, SLOT_TIMEOUT).expect("vpcd slot lock");
        let reader = vpcd::reader_name(port).expect("a vpcd port");
        let ctx = PcscContext::establish().expect("pcscd (run the tests with .ci/test)");
        // A card another test removed may still be seen for one poll.
        if let Err(e) = ctx.wait_for_removal(reader, PRESENCE_TIMEOUT) {
            panic!("reader {reader} is not free: {e}");
        }
        Self {
            ctx,
            port,
            reader,
            _lock: lock,
        }
    }

    /// Inserts `card` into this slot and waits until pcscd reports it present.
    ///
    /// # Panics
    /// If vpcd does not accept the card or pcscd does not see it in time.
    #[allow(clippy::expect_used)]
    pub fn insert<C: Card + Send + 'static>(
        &self,
        card: C,
        fault: Option<Fault>,
    ) -> (VirtualCard<C>, ReaderInfo) {
        let mut config = VpcdConfig::new().with_port(self.port);
        if let Some(fault) = fault {
            config = config.with_fault(fault);
        }
        let inserted = VirtualCard::insert(card, &config).expect("insert the virtual card");
        let info = self
            .ctx
            .wait_for_card(self.reader, PRESENCE_TIMEOUT)
            .expect("pcscd sees the virtual card arrive");
        (inserted, info)
    }

    /// Waits until pcscd reports the reader empty.
    ///
    /// # Panics
    /// If it does not within [`PRESENCE_TIMEOUT`].
    #[allow(clippy::expect_used)]
    pub fn wait_empty(&self) {
        self.ctx
            .wait_for_removal(self.reader, PRESENCE_TIMEOUT)
            .expect("pcscd sees the virtual card leave");
    }
}
