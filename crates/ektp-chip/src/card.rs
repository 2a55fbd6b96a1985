//! The card side of a reader: an object that answers APDUs.
//!
//! Everything that can be served as a virtual card — the memory card in [`crate::testcard`],
//! later the full virtual e-KTP chip — implements [`Card`]. The same object can then be
//! inserted into the `vpcd` virtual reader ([`crate::vpcd`]) and reached through the real
//! pcscd, or be driven directly in-process ([`crate::inprocess`]).

/// ISO/IEC 7816-3 §8.2: an answer-to-reset is at most 33 bytes (TS plus 32 characters).
pub const MAX_ATR_LEN: usize = 33;

/// Largest response APDU (data plus SW1 SW2) a card may return: vpcd frames every
/// message with a 16-bit length, so 65535 bytes in total (at most 65533 data bytes).
pub const MAX_RESPONSE_LEN: usize = 65535;

/// Largest command APDU that reaches a card through vpcd (16-bit length prefix).
/// A longer command makes vpcd drop the card; [`crate::inprocess::InProcess`] mirrors
/// that limit so both paths behave alike.
pub const MAX_COMMAND_LEN: usize = 65535;

/// An object that answers APDUs as a smart card does.
///
/// The reader side (vpcd or [`crate::inprocess::InProcess`]) calls the power and reset
/// hooks in the order a real reader would: `power_on` before the first APDU, `reset` on a
/// warm reset (the card drops volatile state such as the selected file or a secure
/// messaging session, but keeps its persistent memory), `power_off` when the field or
/// contacts go away.
///
/// Implementations must not panic on any input: `process` receives untrusted bytes.
///
/// ```
/// use ektp_chip::card::Card;
///
/// /// Answers every command with `9000` and counts warm resets.
/// struct Hello {
///     resets: u32,
/// }
///
/// impl Card for Hello {
///     fn atr(&self) -> Vec<u8> {
///         vec![0x3B, 0x80, 0x80, 0x01, 0x01]
///     }
///     fn reset(&mut self) {
///         self.resets = self.resets.saturating_add(1);
///     }
///     fn process(&mut self, _apdu: &[u8]) -> Vec<u8> {
///         vec![0x90, 0x00]
///     }
/// }
/// ```
pub trait Card {
    /// The answer-to-reset, 2 to [`MAX_ATR_LEN`] bytes (e.g. `3B 80 80 01 01` for T=1).
    fn atr(&self) -> Vec<u8>;

    /// The card is powered (cold start). The default does nothing.
    fn power_on(&mut self) {}

    /// Warm reset: drop volatile state (selected application/file, sessions).
    fn reset(&mut self);

    /// The card loses power. The default performs a [`Card::reset`], which drops volatile
    /// state exactly as a power loss does.
    fn power_off(&mut self) {
        self.reset();
    }

    /// Answers one command APDU with a response APDU (data followed by SW1 SW2).
    ///
    /// The response must be 2 to [`MAX_RESPONSE_LEN`] bytes; a reader substitutes
    /// `6F00` for anything outside that range rather than send a frame vpcd cannot carry.
    fn process(&mut self, apdu: &[u8]) -> Vec<u8>;
}

impl<C: Card + ?Sized> Card for Box<C> {
    fn atr(&self) -> Vec<u8> {
        (**self).atr()
    }
    fn power_on(&mut self) {
        (**self).power_on();
    }
    fn reset(&mut self) {
        (**self).reset();
    }
    fn power_off(&mut self) {
        (**self).power_off();
    }
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        (**self).process(apdu)
    }
}

/// `6F00` "no precise diagnosis": what a reader answers in place of a response that is
/// shorter than SW1 SW2 or too long to frame.
pub(crate) const SW_NO_PRECISE_DIAGNOSIS: [u8; 2] = [0x6F, 0x00];

/// Returns `response` if it is a frameable response APDU (2..=[`MAX_RESPONSE_LEN`] bytes),
/// otherwise `6F00`.
pub(crate) fn frameable_response(response: Vec<u8>) -> Vec<u8> {
    if (2..=MAX_RESPONSE_LEN).contains(&response.len()) {
        response
    } else {
        SW_NO_PRECISE_DIAGNOSIS.to_vec()
    }
}

/// When to simulate pulling the card out of the reader.
///
/// Counting is in command APDUs (control messages such as ATR requests do not count).
/// The same fault behaves the same through vpcd and in-process.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answer `n` APDUs, then leave the reader before the next one arrives
    /// (the card is removed between commands).
    RemoveAfter(u64),
    /// Answer `n` APDUs, read the next command and leave without executing or answering
    /// it (pulled while the command was on its way in).
    PullBeforeExecuting(u64),
    /// Answer `n` APDUs, read and execute the next command, then leave without answering
    /// (pulled after the card wrote but before the reader got the answer).
    PullAfterExecuting(u64),
}

/// What a fault says to do with one command APDU.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum FaultAction {
    /// Execute and answer as normal.
    Answer,
    /// Leave without executing.
    LeaveBeforeExecuting,
    /// Execute, then leave without answering.
    LeaveAfterExecuting,
}

impl Fault {
    /// Whether the card leaves now, having answered `answered` APDUs, before reading more.
    pub(crate) fn leaves_before_next(self, answered: u64) -> bool {
        matches!(self, Fault::RemoveAfter(n) if answered >= n)
    }

    /// The action for the command APDU numbered `index` (0-based).
    pub(crate) fn action(self, index: u64) -> FaultAction {
        match self {
            Fault::PullBeforeExecuting(n) if index == n => FaultAction::LeaveBeforeExecuting,
            Fault::PullAfterExecuting(n) if index == n => FaultAction::LeaveAfterExecuting,
            Fault::RemoveAfter(_)
            | Fault::PullBeforeExecuting(_)
            | Fault::PullAfterExecuting(_) => FaultAction::Answer,
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn frameable_response_limits() {
        assert_eq!(frameable_response(vec![]), vec![0x6F, 0x00]);
        assert_eq!(frameable_response(vec![0x90]), vec![0x6F, 0x00]);
        assert_eq!(frameable_response(vec![0x90, 0x00]), vec![0x90, 0x00]);
        let max = vec![0u8; MAX_RESPONSE_LEN];
        assert_eq!(frameable_response(max.clone()), max);
        assert_eq!(
            frameable_response(vec![0u8; MAX_RESPONSE_LEN + 1]),
            vec![0x6F, 0x00]
        );
    }

    #[test]
    fn fault_actions() {
        assert!(!Fault::RemoveAfter(2).leaves_before_next(1));
        assert!(Fault::RemoveAfter(2).leaves_before_next(2));
        assert!(Fault::RemoveAfter(0).leaves_before_next(0));
        assert!(!Fault::PullBeforeExecuting(0).leaves_before_next(5));
        assert_eq!(Fault::RemoveAfter(2).action(1), FaultAction::Answer);
        assert_eq!(Fault::PullBeforeExecuting(1).action(0), FaultAction::Answer);
        assert_eq!(
            Fault::PullBeforeExecuting(1).action(1),
            FaultAction::LeaveBeforeExecuting
        );
        assert_eq!(
            Fault::PullAfterExecuting(0).action(0),
            FaultAction::LeaveAfterExecuting
        );
        assert_eq!(Fault::PullAfterExecuting(0).action(1), FaultAction::Answer);
    }
}
