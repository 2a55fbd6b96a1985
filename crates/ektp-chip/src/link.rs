//! A model of the ISO/IEC 14443 contactless link between a reader and the chip, and a
//! [`Card`] wrapper ([`Linked`]) that charges its time to every APDU.
//!
//! Everything here is pure computation: [`LinkParams::exchange`] says how long one command
//! APDU and its response take on the air, block by block, and [`Linked`] adds that time to a
//! shared [`LinkClock`] (virtual time, deterministic, for benchmarks) and, in
//! [`Pacing::RealTime`], also sleeps it (for `ektp sim --link`). Because [`Linked`] is itself a
//! [`Card`], the same model serves the in-process transport and the vpcd reader.
//!
//! What one APDU costs (all from the standards except the chip and reader times, which are a
//! configurable table, [`ChipTimes`]):
//!
//! - **Bits**: the carrier is fc = 13.56 MHz (ISO/IEC 14443-2 §6.1); one bit (etu) lasts
//!   128/fc at 106 kbit/s, 64/fc at 212, 32/fc at 424 and 16/fc at 848 kbit/s.
//! - **Frames** (Type A, ISO/IEC 14443-3 §6.2.3, standard frame): start of communication
//!   (1 bit), each byte as 8 data bits plus an odd parity bit, end of communication (1 bit):
//!   `9 n + 2` etu for `n` bytes. The model keeps the parity bit at every bit rate.
//! - **Blocks** (ISO/IEC 14443-4 §7.1): each I-block is PCB (1 byte), an optional CID
//!   (1 byte), the information field, and CRC_A (2 bytes, ISO/IEC 14443-3 §6.2.4). A frame is at
//!   most FSC bytes towards the chip and FSD bytes towards the reader (ISO/IEC 14443-4 §5.2.3,
//!   FSCI in the ATS, FSDI in RATS; defaults 128 and 256).
//! - **Chaining** (ISO/IEC 14443-4 §7.5.2): an APDU longer than one frame's information field
//!   is sent as chained I-blocks, each acknowledged by an R(ACK) block (PCB + CRC) from the
//!   other side.
//! - **Frame delay times** (ISO/IEC 14443-3 §6.2.1.1): the chip answers no sooner than
//!   `(n·128 + 84)/fc` with n = 9, i.e. 1236/fc, after the reader's frame; the reader sends no
//!   sooner than 1172/fc after the chip's frame (FDT PICC→PCD, min).
//! - **Waiting time** (ISO/IEC 14443-4 §7.2, §7.3): the chip must answer within
//!   FWT = (256·16/fc)·2^FWI; a longer operation is bridged by S(WTX) requests from the chip,
//!   each answered by the reader (PCB + WTXM + CRC each way).
//! - **Chip time** per command: a fixed command cost, AES blocks for secure messaging, EC
//!   scalar multiplications for PACE and Chip/Terminal Authentication, an ECDSA signature for
//!   Active Authentication, EEPROM page writes for UPDATE BINARY ([`ChipTimes`]).
//! - **Reader time** per APDU: the host ↔ reader turnaround (USB CCID), [`LinkParams::reader_apdu`].
//!
//! The reader can also be made to behave as many do: [`ApduLimit::Short`] refuses extended
//! length command APDUs and responses over 256 data bytes (a CCID reader at the short APDU
//! exchange level), and `t0` returns every response with data through `61xx` and GET RESPONSE
//! (ISO/IEC 7816-4 §5.3.4, the T=0 case 4 procedure).
//!
//! Sources and the defaults' rationale: `docs/performance.md`.
//!
//! ```
//! use ektp_chip::link::{BitRate, LinkParams};
//!
//! // One plain 256-byte READ BINARY at 106 kbit/s: a 5-byte command, 258 bytes back.
//! let link = LinkParams::iso14443(BitRate::K106);
//! let x = link.exchange(5, 258, std::time::Duration::ZERO);
//! assert_eq!(x.frames, 4); // command, first response block, R(ACK), second response block
//! assert!(x.air.as_millis() == 23);
//! ```

use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::card::Card;

/// The carrier frequency fc, ISO/IEC 14443-2 §6.1: 13.56 MHz.
pub const FC_HZ: u64 = 13_560_000;

/// The chip's minimal answer delay after a reader frame, in fc cycles: (9·128 + 84), ISO/IEC
/// 14443-3 §6.2.1.1 (last transmitted bit a 1).
pub const FDT_PCD_PICC_CYCLES: u64 = 1236;

/// The reader's minimal delay after a chip frame, in fc cycles, ISO/IEC 14443-3 §6.2.1.2.
pub const FDT_PICC_PCD_CYCLES: u64 = 1172;

/// Largest response data a short APDU can ask for (Le = 00).
pub const SHORT_MAX_DATA: usize = 256;

/// The bit rates of ISO/IEC 14443-2: fc/128, fc/64, fc/32, fc/16.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum BitRate {
    /// fc/128 ≈ 106 kbit/s, the rate every card and reader starts at.
    K106,
    /// fc/64 ≈ 212 kbit/s.
    K212,
    /// fc/32 ≈ 424 kbit/s.
    K424,
    /// fc/16 ≈ 848 kbit/s.
    K848,
}

impl BitRate {
    /// All four, slowest first.
    pub const ALL: [BitRate; 4] = [Self::K106, Self::K212, Self::K424, Self::K848];

    /// fc cycles per bit (one etu).
    pub fn etu_cycles(self) -> u64 {
        match self {
            Self::K106 => 128,
            Self::K212 => 64,
            Self::K424 => 32,
            Self::K848 => 16,
        }
    }

    /// The nominal rate in kbit/s (106, 212, 424, 848).
    pub fn kbit(self) -> u32 {
        match self {
            Self::K106 => 106,
            Self::K212 => 212,
            Self::K424 => 424,
            Self::K848 => 848,
        }
    }
}

impl std::fmt::Display for BitRate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}k", self.kbit())
    }
}

/// A link specification that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown link {0:?}: use iso14443:106k, iso14443:212k, iso14443:424k or iso14443:848k")]
pub struct UnknownLink(pub String);

impl FromStr for BitRate {
    type Err = UnknownLink;

    /// `106k`, `212k`, `424k`, `848k`, optionally prefixed `iso14443:`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rate = s.strip_prefix("iso14443:").unwrap_or(s);
        Self::ALL
            .into_iter()
            .find(|r| r.to_string() == rate)
            .ok_or_else(|| UnknownLink(s.to_owned()))
    }
}

/// Which command APDUs the reader passes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum ApduLimit {
    /// Short and extended length (ISO/IEC 7816-4 §5.1).
    #[default]
    Extended,
    /// Short APDUs only: an extended command is refused with `6700` before it reaches the
    /// chip, and a response with more than 256 data bytes is replaced by `6700`.
    Short,
}

/// The chip's processing time per operation. Defaults are assumptions for a current
/// contactless ID chip with crypto coprocessors; `docs/performance.md` says where they come
/// from and how to change them.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ChipTimes {
    /// Every command: OS dispatch, access checks, file system lookup.
    pub command: Duration,
    /// One EC scalar multiplication on a 256-bit curve (ECDH, key generation).
    pub ec_scalar_mul: Duration,
    /// One ECDSA signature on a 256-bit curve (Active Authentication).
    pub ecdsa_sign: Duration,
    /// One AES block (encryption, decryption or one CMAC step) in secure messaging.
    pub aes_block: Duration,
    /// Writing one EEPROM/flash page.
    pub eeprom_page_write: Duration,
    /// The page size in bytes.
    pub eeprom_page: u16,
}

impl Default for ChipTimes {
    fn default() -> Self {
        Self {
            command: Duration::from_millis(2),
            ec_scalar_mul: Duration::from_millis(40),
            ecdsa_sign: Duration::from_millis(45),
            aes_block: Duration::from_micros(5),
            eeprom_page_write: Duration::from_millis(2),
            eeprom_page: 64,
        }
    }
}

/// The link's parameters.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LinkParams {
    /// Bit rate in both directions.
    pub bit_rate: BitRate,
    /// Largest frame the reader accepts (FSD), bytes including PCB, CID and CRC.
    pub fsd: u16,
    /// Largest frame the chip accepts (FSC), bytes including PCB, CID and CRC.
    pub fsc: u16,
    /// Whether blocks carry a CID byte.
    pub cid: bool,
    /// Frame waiting time integer (ISO/IEC 14443-4 §7.2), 0..=14.
    pub fwi: u8,
    /// The host ↔ reader turnaround per APDU (e.g. USB CCID transfers).
    pub reader_apdu: Duration,
    /// Which APDUs the reader passes.
    pub apdu: ApduLimit,
    /// Return responses through `61xx` / GET RESPONSE.
    pub t0: bool,
    /// The chip's processing times.
    pub chip: ChipTimes,
}

impl LinkParams {
    /// ISO/IEC 14443-4 Type A at `bit_rate` with FSD 256, FSC 128, no CID, FWI 8 (77 ms),
    /// a 1 ms reader turnaround, extended APDUs, and the default [`ChipTimes`].
    pub fn iso14443(bit_rate: BitRate) -> Self {
        Self {
            bit_rate,
            fsd: 256,
            fsc: 128,
            cid: false,
            fwi: 8,
            reader_apdu: Duration::from_millis(1),
            apdu: ApduLimit::Extended,
            t0: false,
            chip: ChipTimes::default(),
        }
    }

    /// Bytes of PCB and CID in every block.
    fn prologue(&self) -> usize {
        if self.cid { 2 } else { 1 }
    }

    /// Largest information field towards the chip (FSC − PCB − CID − CRC).
    pub fn max_inf_to_chip(&self) -> usize {
        usize::from(self.fsc)
            .saturating_sub(self.prologue().saturating_add(2))
            .max(1)
    }

    /// Largest information field towards the reader (FSD − PCB − CID − CRC).
    pub fn max_inf_to_reader(&self) -> usize {
        usize::from(self.fsd)
            .saturating_sub(self.prologue().saturating_add(2))
            .max(1)
    }

    /// fc cycles of one standard frame of `bytes` bytes (SoC, 9 etu per byte, EoC).
    pub fn frame_cycles(&self, bytes: usize) -> u64 {
        let bits = u64::try_from(bytes)
            .unwrap_or(u64::MAX)
            .saturating_mul(9)
            .saturating_add(2);
        bits.saturating_mul(self.bit_rate.etu_cycles())
    }

    /// The frame waiting time FWT = (256·16/fc)·2^FWI.
    pub fn fwt(&self) -> Duration {
        cycles(4096u64.saturating_mul(1u64 << self.fwi.min(14)))
    }

    /// fc cycles to carry `bytes` as bare bits (8 data + 1 parity each, no frames, no delays):
    /// the wire floor of those bytes.
    pub fn wire_floor(&self, bytes: u64) -> Duration {
        cycles(
            bytes
                .saturating_mul(9)
                .saturating_mul(self.bit_rate.etu_cycles()),
        )
    }

    /// The time one command APDU of `command_len` bytes and its response of `response_len`
    /// bytes take, with the chip working `chip` between them.
    pub fn exchange(&self, command_len: usize, response_len: usize, chip: Duration) -> Exchange {
        let pro = self.prologue();
        let block = |inf: usize| pro.saturating_add(inf).saturating_add(2);
        let r_ack = block(0);
        let mut air: u64 = FDT_PICC_PCD_CYCLES;
        let mut frames: u64 = 0;
        // Command: chained I-blocks, each but the last acknowledged by the chip.
        let mut left = command_len;
        loop {
            let inf = left.min(self.max_inf_to_chip());
            left = left.saturating_sub(inf);
            air = air
                .saturating_add(self.frame_cycles(block(inf)))
                .saturating_add(FDT_PCD_PICC_CYCLES);
            frames = frames.saturating_add(1);
            if left == 0 {
                break;
            }
            air = air
                .saturating_add(self.frame_cycles(r_ack))
                .saturating_add(FDT_PICC_PCD_CYCLES);
            frames = frames.saturating_add(1);
        }
        // Waiting-time extensions for what exceeds one FWT.
        let fwt = self.fwt().as_nanos().max(1);
        let wtx = chip
            .as_nanos()
            .saturating_sub(1)
            .checked_div(fwt)
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0);
        let wtx_round = self
            .frame_cycles(block(1))
            .saturating_mul(2)
            .saturating_add(FDT_PICC_PCD_CYCLES)
            .saturating_add(FDT_PCD_PICC_CYCLES);
        air = air.saturating_add(wtx.saturating_mul(wtx_round));
        frames = frames.saturating_add(wtx.saturating_mul(2));
        // Response: chained I-blocks, each but the last acknowledged by the reader.
        let mut left = response_len;
        loop {
            let inf = left.min(self.max_inf_to_reader());
            left = left.saturating_sub(inf);
            air = air.saturating_add(self.frame_cycles(block(inf)));
            frames = frames.saturating_add(1);
            if left == 0 {
                break;
            }
            air = air
                .saturating_add(FDT_PICC_PCD_CYCLES)
                .saturating_add(self.frame_cycles(r_ack))
                .saturating_add(FDT_PCD_PICC_CYCLES);
            frames = frames.saturating_add(1);
        }
        Exchange {
            air: cycles(air),
            chip,
            reader: self.reader_apdu,
            frames,
            wtx,
        }
    }

    /// The chip's work for `command` answered by `response` (both as on the wire), split
    /// into the fixed command cost and the cryptography no read strategy avoids.
    pub fn chip_time(&self, command: &[u8], response: &[u8]) -> ChipWork {
        let t = &self.chip;
        let cla = command.first().copied().unwrap_or(0);
        let ins = command.get(1).copied().unwrap_or(0);
        let sm = cla & 0x0C != 0;
        let data = command_data(command);
        let mut crypto = Duration::ZERO;
        if sm {
            // Verify the command's MAC and decrypt it; encrypt and MAC the response.
            let blocks = blocks16(data.len())
                .saturating_mul(2)
                .saturating_add(blocks16(response.len().saturating_sub(2)).saturating_mul(2));
            crypto = crypto.saturating_add(times(t.aes_block, blocks));
        }
        let muls: u32 = match (ins, sm) {
            // PACE (plain GENERAL AUTHENTICATE): the mapping step generates a key pair,
            // computes the shared point and the mapped generator (3 multiplications); key
            // agreement generates a key pair on it and the shared secret (2).
            (0x86, false) => match data.get(2).copied() {
                Some(0x81) => 3,
                Some(0x83) => 2,
                _ => 0,
            },
            // Chip Authentication: ECDH with the static key.
            (0x86, true) => 1,
            // Terminal Authentication: a certificate or the terminal's signature verified
            // (ECDSA verification ≈ two multiplications).
            (0x2A | 0x82, true) => 2,
            // On-chip key pair generation.
            (0x46, _) => 1,
            _ => 0,
        };
        crypto = crypto.saturating_add(times(t.ec_scalar_mul, u64::from(muls)));
        if ins == 0x88 {
            crypto = crypto.saturating_add(t.ecdsa_sign);
        }
        if matches!(ins, 0xD6 | 0xD7) {
            let pages = data
                .len()
                .div_ceil(usize::from(t.eeprom_page.max(1)))
                .max(1);
            crypto = crypto.saturating_add(times(
                t.eeprom_page_write,
                u64::try_from(pages).unwrap_or(0),
            ));
        }
        ChipWork {
            command: t.command,
            crypto,
        }
    }
}

/// The chip's work on one command.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ChipWork {
    /// The fixed cost of any command.
    pub command: Duration,
    /// Cryptography and EEPROM writes.
    pub crypto: Duration,
}

/// The time one APDU exchange takes.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Exchange {
    /// On the air: frames and frame delay times, including waiting-time extensions.
    pub air: Duration,
    /// In the chip.
    pub chip: Duration,
    /// In the reader and the host's link to it.
    pub reader: Duration,
    /// Frames sent (both directions).
    pub frames: u64,
    /// S(WTX) round trips.
    pub wtx: u64,
}

impl Exchange {
    /// The whole exchange.
    pub fn total(&self) -> Duration {
        self.air
            .saturating_add(self.chip)
            .saturating_add(self.reader)
    }
}

/// What a [`Linked`] card has cost so far.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// Command APDUs exchanged (including GET RESPONSE and refused ones).
    pub apdus: u64,
    /// Command APDU bytes sent.
    pub command_bytes: u64,
    /// Response APDU bytes received.
    pub response_bytes: u64,
    /// Frames on the air.
    pub frames: u64,
    /// S(WTX) round trips.
    pub wtx: u64,
    /// Time on the air.
    pub air: Duration,
    /// The chip's fixed per-command time.
    pub chip_command: Duration,
    /// The chip's cryptography and EEPROM writes.
    pub chip_crypto: Duration,
    /// Reader turnaround.
    pub reader: Duration,
    /// Extended commands or long responses the reader refused.
    pub refused: u64,
}

impl LinkStats {
    /// Everything: air, chip and reader time.
    pub fn total(&self) -> Duration {
        self.air
            .saturating_add(self.chip_command)
            .saturating_add(self.chip_crypto)
            .saturating_add(self.reader)
    }

    /// The difference from an earlier reading of the same clock.
    pub fn since(&self, earlier: &LinkStats) -> LinkStats {
        LinkStats {
            apdus: self.apdus.saturating_sub(earlier.apdus),
            command_bytes: self.command_bytes.saturating_sub(earlier.command_bytes),
            response_bytes: self.response_bytes.saturating_sub(earlier.response_bytes),
            frames: self.frames.saturating_sub(earlier.frames),
            wtx: self.wtx.saturating_sub(earlier.wtx),
            air: self.air.saturating_sub(earlier.air),
            chip_command: self.chip_command.saturating_sub(earlier.chip_command),
            chip_crypto: self.chip_crypto.saturating_sub(earlier.chip_crypto),
            reader: self.reader.saturating_sub(earlier.reader),
            refused: self.refused.saturating_sub(earlier.refused),
        }
    }
}

/// A shared, cloneable accumulator of [`LinkStats`] (virtual time).
#[derive(Clone, Debug, Default)]
pub struct LinkClock(Arc<Mutex<LinkStats>>);

impl LinkClock {
    /// A clock at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// The figures so far.
    pub fn stats(&self) -> LinkStats {
        self.0.lock().map(|s| *s).unwrap_or_default()
    }

    fn add(&self, command_len: usize, response_len: usize, x: &Exchange, work: ChipWork) {
        if let Ok(mut s) = self.0.lock() {
            s.apdus = s.apdus.saturating_add(1);
            s.command_bytes = s
                .command_bytes
                .saturating_add(u64::try_from(command_len).unwrap_or(0));
            s.response_bytes = s
                .response_bytes
                .saturating_add(u64::try_from(response_len).unwrap_or(0));
            s.frames = s.frames.saturating_add(x.frames);
            s.wtx = s.wtx.saturating_add(x.wtx);
            s.air = s.air.saturating_add(x.air);
            s.chip_command = s.chip_command.saturating_add(work.command);
            s.chip_crypto = s.chip_crypto.saturating_add(work.crypto);
            s.reader = s.reader.saturating_add(x.reader);
        }
    }

    fn refused(&self) {
        if let Ok(mut s) = self.0.lock() {
            s.refused = s.refused.saturating_add(1);
        }
    }
}

/// Whether [`Linked`] only counts the link's time or also spends it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Pacing {
    /// Add to the [`LinkClock`] only (deterministic; benchmarks).
    #[default]
    Virtual,
    /// Also sleep for it before answering (`ektp sim --link`).
    RealTime,
}

/// A card behind a modelled ISO/IEC 14443 reader: every APDU costs [`LinkParams::exchange`]
/// time, the reader may refuse extended APDUs, and responses may come through GET RESPONSE.
pub struct Linked<C: Card> {
    card: C,
    params: LinkParams,
    clock: LinkClock,
    pacing: Pacing,
    /// T=0: the rest of a response waiting for GET RESPONSE.
    pending: Option<Vec<u8>>,
}

impl<C: Card> Linked<C> {
    /// `card` behind the link `params`, counting on a new clock, without sleeping.
    pub fn new(card: C, params: LinkParams) -> Self {
        Self {
            card,
            params,
            clock: LinkClock::new(),
            pacing: Pacing::Virtual,
            pending: None,
        }
    }

    /// Counts on `clock` (e.g. one clock shared by several cards).
    pub fn with_clock(mut self, clock: LinkClock) -> Self {
        self.clock = clock;
        self
    }

    /// Sleeps or not.
    pub fn with_pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// The clock this card counts on.
    pub fn clock(&self) -> &LinkClock {
        &self.clock
    }

    /// The link's parameters.
    pub fn params(&self) -> &LinkParams {
        &self.params
    }

    /// The card.
    pub fn card(&self) -> &C {
        &self.card
    }

    /// The card, mutably.
    pub fn card_mut(&mut self) -> &mut C {
        &mut self.card
    }

    /// Takes the card back.
    pub fn into_inner(self) -> C {
        self.card
    }

    fn charge(&self, command: &[u8], response: &[u8], work: ChipWork) {
        let x = self.params.exchange(
            command.len(),
            response.len(),
            work.command.saturating_add(work.crypto),
        );
        self.clock.add(command.len(), response.len(), &x, work);
        if self.pacing == Pacing::RealTime {
            std::thread::sleep(x.total());
        }
    }

    /// T=0: hands out `response` in pieces of at most 256 data bytes.
    fn t0_answer(&mut self, response: Vec<u8>) -> Vec<u8> {
        if response.len() <= 2 {
            self.pending = None;
            return response;
        }
        let data_len = response.len().saturating_sub(2);
        self.pending = Some(response);
        // 61xx: xx bytes are waiting (00: 256 or more).
        let xx = u8::try_from(data_len.min(SHORT_MAX_DATA)).unwrap_or(0);
        vec![0x61, xx]
    }

    fn get_response(&mut self, command: &[u8]) -> Vec<u8> {
        let Some(mut pending) = self.pending.take() else {
            return vec![0x69, 0x85];
        };
        let sw_at = pending.len().saturating_sub(2);
        let asked = match command.get(4).copied() {
            None | Some(0) => SHORT_MAX_DATA,
            Some(n) => usize::from(n),
        };
        let n = asked.min(sw_at);
        let rest = pending.split_off(n);
        let mut out = pending;
        if rest.len() <= 2 {
            out.extend_from_slice(&rest);
        } else {
            let left = rest.len().saturating_sub(2);
            out.push(0x61);
            out.push(u8::try_from(left.min(SHORT_MAX_DATA)).unwrap_or(0));
            self.pending = Some(rest);
        }
        out
    }
}

impl<C: Card> Card for Linked<C> {
    fn atr(&self) -> Vec<u8> {
        self.card.atr()
    }

    fn power_on(&mut self) {
        self.pending = None;
        self.card.power_on();
    }

    fn reset(&mut self) {
        self.pending = None;
        self.card.reset();
    }

    fn power_off(&mut self) {
        self.pending = None;
        self.card.power_off();
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        let short = self.params.apdu == ApduLimit::Short;
        if short && is_extended(apdu) {
            self.clock.refused();
            let response = vec![0x67, 0x00];
            self.charge(apdu, &response, ChipWork::default());
            return response;
        }
        if self.params.t0 && apdu.get(1) == Some(&0xC0) && self.pending.is_some() {
            let response = self.get_response(apdu);
            let work = ChipWork {
                command: self.params.chip.command,
                crypto: Duration::ZERO,
            };
            self.charge(apdu, &response, work);
            return response;
        }
        self.pending = None;
        let mut response = self.card.process(apdu);
        let work = self.params.chip_time(apdu, &response);
        if short && response.len() > SHORT_MAX_DATA.saturating_add(2) {
            self.clock.refused();
            response = vec![0x67, 0x00];
        }
        if self.params.t0 {
            response = self.t0_answer(response);
        }
        self.charge(apdu, &response, work);
        response
    }
}

impl<C: Card> std::fmt::Debug for Linked<C> {
    /// Never shows the card (it may hold secrets).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Linked")
            .field("params", &self.params)
            .field("pacing", &self.pacing)
            .finish_non_exhaustive()
    }
}

/// ISO/IEC 7816-4 §5.1: a command APDU is extended when byte 5 is 00 and more follows.
pub fn is_extended(apdu: &[u8]) -> bool {
    apdu.len() >= 7 && apdu.get(4) == Some(&0)
}

/// The command data field (empty for cases 1 and 2, or when malformed).
fn command_data(apdu: &[u8]) -> &[u8] {
    let body = apdu.get(4..).unwrap_or_default();
    let (lc, start): (usize, usize) = match body {
        [] | [_] => return &[],
        [0, hi, lo, ..] if body.len() > 3 => (usize::from(u16::from_be_bytes([*hi, *lo])), 3),
        [n, ..] => (usize::from(*n), 1),
    };
    body.get(start..start.saturating_add(lc))
        .unwrap_or_default()
}

fn blocks16(len: usize) -> u64 {
    u64::try_from(len.div_ceil(16)).unwrap_or(0)
}

fn times(d: Duration, n: u64) -> Duration {
    Duration::from_nanos(
        u64::try_from(d.as_nanos())
            .unwrap_or(u64::MAX)
            .saturating_mul(n),
    )
}

/// fc cycles as a duration (rounded down to whole nanoseconds).
pub fn cycles(n: u64) -> Duration {
    let nanos = u128::from(n)
        .saturating_mul(1_000_000_000)
        .checked_div(u128::from(FC_HZ))
        .unwrap_or(0);
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::inprocess::InProcess;
    use crate::testcard::MemoryCard;
    use ektp_iso7816::CardTransport;

    const SELECT: [u8; 7] = [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x01];

    /// One 256-byte READ BINARY at 106 kbit/s, computed by hand from the standards.
    ///
    /// Command `00 B0 00 00 00`: one I-block of PCB + 5 + CRC = 8 bytes.
    /// Response 256 data + SW = 258 bytes; FSD 256 leaves 253 bytes per block (256 − PCB −
    /// CRC), so two I-blocks of 256 and 8 bytes, with the reader's R(ACK) (3 bytes) between.
    /// A frame of n bytes is 9n + 2 bits of 128/fc; FDTs 1172/fc (reader) and 1236/fc (chip).
    #[test]
    fn one_256_byte_read_binary_at_106k_by_hand() {
        let bits_cmd = 9 * 8 + 2; // 74
        let bits_block1 = 9 * 256 + 2; // 2306
        let bits_rack = 9 * 3 + 2; // 29
        let bits_block2 = 9 * 8 + 2; // 74
        let bits = bits_cmd + bits_block1 + bits_rack + bits_block2; // 2483
        let delays = 1172 + 1236 + 1172 + 1236; // before cmd, after cmd, around R(ACK)
        let cycles_by_hand: u64 = bits * 128 + delays; // 317824 + 4816 = 322640
        assert_eq!(cycles_by_hand, 322_640);
        // 322640 / 13.56 MHz = 23.793510... ms
        let air_by_hand = Duration::from_nanos(23_793_510);

        let link = LinkParams::iso14443(BitRate::K106);
        let x = link.exchange(5, 258, Duration::ZERO);
        assert_eq!(x.air, air_by_hand);
        assert_eq!(x.frames, 4);
        assert_eq!(x.wtx, 0);

        // Through the Linked card: the chip's fixed 2 ms and the reader's 1 ms on top.
        let mut t = InProcess::new(Linked::new(
            MemoryCard::with_size(300),
            LinkParams::iso14443(BitRate::K106),
        ));
        t.transmit(&SELECT).unwrap();
        let before = t.card().clock().stats();
        let r = t.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x00]).unwrap();
        assert_eq!(r.len(), 258);
        let s = t.card().clock().stats().since(&before);
        assert_eq!(s.air, air_by_hand);
        assert_eq!(
            s.total(),
            air_by_hand + Duration::from_millis(2) + Duration::from_millis(1)
        );
    }

    #[test]
    fn bit_rates_scale_the_bits_not_the_delays() {
        for rate in BitRate::ALL {
            let link = LinkParams::iso14443(rate);
            let x = link.exchange(5, 258, Duration::ZERO);
            let expect = 2483 * rate.etu_cycles() + 4816;
            assert_eq!(x.air, cycles(expect), "{rate}");
        }
        assert_eq!("iso14443:848k".parse::<BitRate>(), Ok(BitRate::K848));
        assert_eq!("212k".parse::<BitRate>(), Ok(BitRate::K212));
        assert!("iso14443:1m".parse::<BitRate>().is_err());
    }

    #[test]
    fn long_commands_chain_and_long_work_asks_for_more_time() {
        let link = LinkParams::iso14443(BitRate::K106);
        // 300-byte command: FSC 128 leaves 125 per block → 3 blocks, 2 R(ACK)s; 2-byte answer.
        let x = link.exchange(300, 2, Duration::ZERO);
        assert_eq!(x.frames, 3 + 2 + 1);
        // FWT at FWI 8 = 4096·256/fc ≈ 77.3 ms: 200 ms of work needs two S(WTX) rounds.
        assert_eq!(link.fwt(), cycles(4096 * 256));
        let x = link.exchange(5, 2, Duration::from_millis(200));
        assert_eq!(x.wtx, 2);
        assert_eq!(x.frames, 2 + 4);
    }

    #[test]
    fn short_reader_refuses_extended_apdus() {
        let mut params = LinkParams::iso14443(BitRate::K424);
        params.apdu = ApduLimit::Short;
        let mut t = InProcess::new(Linked::new(MemoryCard::with_size(600), params));
        t.transmit(&SELECT).unwrap();
        // Extended READ BINARY with Le = 0000 (65536).
        let r = t
            .transmit(&[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00])
            .unwrap();
        assert_eq!(r, [0x67, 0x00]);
        let r = t.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x00]).unwrap();
        assert_eq!(r.len(), 258);
        assert_eq!(t.card().clock().stats().refused, 1);
    }

    #[test]
    fn t0_hands_out_responses_through_get_response() {
        let mut params = LinkParams::iso14443(BitRate::K106);
        params.t0 = true;
        let mut t = InProcess::new(Linked::new(MemoryCard::with_size(300), params));
        assert_eq!(t.transmit(&SELECT).unwrap(), [0x90, 0x00]);
        let r = t.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x10]).unwrap();
        assert_eq!(r, [0x61, 0x10]);
        let r = t.transmit(&[0x00, 0xC0, 0x00, 0x00, 0x08]).unwrap();
        assert_eq!(r.len(), 10);
        assert_eq!(&r[8..], [0x61, 0x08]);
        let r = t.transmit(&[0x00, 0xC0, 0x00, 0x00, 0x08]).unwrap();
        assert_eq!(&r[8..], [0x90, 0x00]);
        // The transport's exchange follows 61xx on its own.
        let r = ektp_iso7816::transport::exchange(
            &mut t,
            &ektp_iso7816::CommandApdu::new(0, ektp_iso7816::Ins::ReadBinary, 0, 0).with_le(256),
        )
        .unwrap();
        assert_eq!(r.data.len(), 256);
        assert_eq!(r.data.as_slice(), &t.card().card().contents()[..256]);
    }

    #[test]
    fn chip_time_table() {
        let link = LinkParams::iso14443(BitRate::K106);
        let t = link.chip;
        // PACE mapping (plain GA with 7C 41 81 41 …): three scalar multiplications.
        let mut ga = vec![0x10, 0x86, 0, 0, 0x45, 0x7C, 0x43, 0x81, 0x41];
        ga.extend([0u8; 65]);
        assert_eq!(link.chip_time(&ga, &[0x90, 0]).crypto, t.ec_scalar_mul * 3);
        // Active Authentication under SM: one signature plus the SM blocks.
        let aa = [0x0C, 0x88, 0, 0, 0x20, 0x87, 0x11, 0x01];
        let w = link.chip_time(&aa, &[0u8; 0x42]);
        assert!(w.crypto > t.ecdsa_sign);
        // A 200-byte UPDATE BINARY: four 64-byte pages.
        let mut upd = vec![0x00, 0xD6, 0, 0, 200];
        upd.extend([0u8; 200]);
        assert_eq!(
            link.chip_time(&upd, &[0x90, 0]).crypto,
            t.eeprom_page_write * 4
        );
        assert_eq!(command_data(&[0, 0xD6, 0, 0, 0, 0, 3, 1, 2, 3]), &[1, 2, 3]);
    }
}
