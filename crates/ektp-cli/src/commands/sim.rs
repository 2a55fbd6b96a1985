//! `ektp sim`: a virtual e-KTP chip in pcscd's virtual reader (vsmartcard vpcd) until Ctrl-C
//! or until an injected fault pulls it.
//!
//! When vpcd drops the card (it closes the link on any framing trouble: one extended APDU
//! with Lc = 65535 from any PC/SC client is enough), the chip reinserts itself with the same
//! state and keeps serving, saying so on stderr; only if vpcd stays away (pcscd stopped) does
//! the simulator give up, with an error that says to start pcscd.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::Args;
use ektp_chip::Chip;
use ektp_chip::card::Fault;
use ektp_chip::link::{ApduLimit, BitRate, LinkParams, Linked, Pacing};
use ektp_chip::vpcd::{Reconnect, SessionEnd, VirtualCard, VpcdConfig};
use ektp_i18n::{Catalog, Lang, Message};
use ring::rand::SecureRandom as _;

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::hex_spaced;
use crate::text::{self, t};

/// When to pull the card, as `remove-after=N`, `pull-before=N` or `pull-after=N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultSpec(pub Fault);

impl FromStr for FaultSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, n) = s
            .split_once('=')
            .ok_or_else(|| format!("expected KIND=N, got {s:?}"))?;
        let n: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("{n:?} is not a number of APDUs"))?;
        Ok(FaultSpec(match kind.trim() {
            "remove-after" => Fault::RemoveAfter(n),
            "pull-before" => Fault::PullBeforeExecuting(n),
            "pull-after" => Fault::PullAfterExecuting(n),
            other => {
                return Err(format!(
                    "unknown fault {other:?}: use remove-after=N, pull-before=N or pull-after=N"
                ));
            }
        }))
    }
}

/// `ektp sim` options.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Chip state file: loaded if it exists, else a new blank chip is made and saved there;
    /// every change is saved back [default: a blank chip kept in memory only]
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// vpcd TCP port (35963 is reader "Virtual PCD 00 00", 35964 "Virtual PCD 00 01")
    #[arg(long, default_value_t = ektp_chip::vpcd::DEFAULT_PORT)]
    pub port: u16,
    /// Pull the card: remove-after=N (after answering N APDUs), pull-before=N (the N+1-th
    /// APDU is not executed), pull-after=N (the N+1-th is executed but not answered)
    #[arg(long, value_name = "KIND=N")]
    pub fault: Option<FaultSpec>,
    /// Answer every APDU this many milliseconds late
    #[arg(long, value_name = "MS")]
    pub slow: Option<u64>,
    /// Corrupt (flip) the first byte of the next response
    #[arg(long)]
    pub corrupt_next: bool,
    /// Spend the time a contactless link takes on every APDU: iso14443:106k, :212k, :424k
    /// or :848k (frames, chaining, waiting time, chip processing; docs/performance.md)
    #[arg(long, value_name = "LINK")]
    pub link: Option<BitRate>,
    /// APDUs the virtual reader passes: extended, or short (extended ones refused with 6700)
    #[arg(long, value_name = "KIND", default_value = "extended", value_parser = ["extended", "short"])]
    pub max_apdu: String,
    /// Answer through 61xx and GET RESPONSE, as a T=0 card does
    #[arg(long)]
    pub t0: bool,
}

impl SimArgs {
    /// The modelled reader and link between pcscd and the chip.
    fn linked(&self, chip: Chip) -> Linked<Chip> {
        let mut params = LinkParams::iso14443(self.link.unwrap_or(BitRate::K848));
        if self.max_apdu == "short" {
            params.apdu = ApduLimit::Short;
        }
        params.t0 = self.t0;
        let pacing = if self.link.is_some() {
            Pacing::RealTime
        } else {
            Pacing::Virtual
        };
        Linked::new(chip, params).with_pacing(pacing)
    }
}

fn new_serial() -> Result<[u8; 8], Fail> {
    let mut serial = *b"EKTP\0\0\0\0";
    let rng = ring::rand::SystemRandom::new();
    let (_, tail) = serial.split_at_mut(4);
    rng.fill(tail)
        .map_err(|_| Fail::config_said(Message::new("op-sim-err-rng")))?;
    Ok(serial)
}

/// Whether `cause` is the vpcd virtual reader failing (a card/reader error for the exit
/// status, like a PC/SC error), not the chip's state file.
pub(crate) fn is_vpcd_error(cause: &(dyn std::error::Error + 'static)) -> bool {
    cause
        .downcast_ref::<ektp_chip::ChipError>()
        .is_some_and(ektp_chip::ChipError::is_vpcd)
}

/// The lifecycle (`--json`'s `lifecycle`) as a message id, for people.
fn lifecycle_id(l: &str) -> &'static str {
    match l {
        "BLANK" => "op-sim-blank",
        "PERSONALIZING" => "op-sim-personalizing",
        _ => "op-sim-issued",
    }
}

/// A vpcd error ([`is_vpcd_error`]) in the run's language.
pub(crate) fn vpcd_text(e: &ektp_chip::ChipError) -> String {
    use ektp_chip::ChipError as E;
    match e {
        E::NotListening { addr, .. } => {
            text::f("op-vpcd-not-listening", &[("addr", &addr.to_string())])
        }
        E::ReaderBusy { port, hint } => text::f(
            "op-vpcd-busy",
            &[("port", &port.to_string()), ("hint", hint)],
        ),
        E::SlotBusy { port, .. } => text::f("op-vpcd-slot-busy", &[("port", &port.to_string())]),
        E::CardPanicked => t("op-vpcd-panicked"),
        _ => t("op-vpcd-socket"),
    }
}

fn lifecycle_text(l: ektp_chip::Lifecycle) -> &'static str {
    match l {
        ektp_chip::Lifecycle::Blank => "BLANK",
        ektp_chip::Lifecycle::Personalizing => "PERSONALIZING",
        ektp_chip::Lifecycle::Issued => "ISSUED",
    }
}

/// The chip to serve: loaded from `--state` if it exists, else a new blank one (saved there).
fn chip_for(args: &SimArgs, quiet: bool) -> Result<Chip, Fail> {
    let mut chip = match &args.state {
        Some(path) if path.exists() => Chip::load(path)
            .or_config_said(|| Message::new("op-sim-err-load").arg("path", path.display()))?,
        _ => {
            let master = ektp_chip::os::test_perso_master_key()
                .or_config_said(|| Message::new("op-sim-err-master"))?;
            let chip = Chip::new_blank(new_serial()?, &master)
                .or_config_said(|| Message::new("op-sim-err-blank"))?;
            if !quiet {
                let serial = hex::encode_upper(chip.serial());
                eprintln!("{}", text::f("op-sim-new-chip", &[("serial", &serial)]));
            }
            chip
        }
    };
    if let Some(path) = &args.state {
        chip.set_autosave(Some(path.clone()))
            .or_config_said(|| Message::new("op-sim-err-save").arg("path", path.display()))?;
    }
    let faults = chip.faults_mut();
    faults.power = args.fault.map(|f| f.0);
    faults.response_delay = args.slow.map(Duration::from_millis);
    if args.corrupt_next {
        faults.corrupt_next_response = Some(0);
    }
    Ok(chip)
}

/// Why the session ended (`--json`'s `reason` is its English), and the exit status.
fn ending(end: &SessionEnd) -> (Message, ExitCode) {
    let card = ExitCode::from(exit::CARD);
    match end {
        SessionEnd::Removed => (Message::new("op-sim-stopped"), exit::OK),
        SessionEnd::Fault(f) => (
            Message::new("op-sim-fault").arg("fault", format!("{f:?}")),
            exit::OK,
        ),
        SessionEnd::ClosedByReader => (Message::new("op-sim-closed"), card),
        SessionEnd::ReaderGone(e) => (Message::new("op-sim-gone").arg("error", e), card),
        other => (
            Message::new("op-sim-ended").arg("end", format!("{other:?}")),
            card,
        ),
    }
}

/// The link drops and reinsertions already reported.
#[derive(Default)]
struct LinkEvents {
    drops: u64,
    reinsertions: u64,
}

impl LinkEvents {
    /// Reports (stderr, or stdout events with `--json`) what happened on the vpcd link since
    /// the last call.
    fn report(
        &mut self,
        card: &VirtualCard<Linked<Chip>>,
        global: &Global,
        serial: &str,
        reader: &str,
        err: &mut dyn Write,
    ) {
        let quiet = global.verbosity < 0;
        while self.drops < card.drops() {
            self.drops = self.drops.saturating_add(1);
            if global.json {
                println!(
                    "{}",
                    serde_json::json!({"event": "dropped", "drops": self.drops})
                );
            } else if !quiet {
                let _ = writeln!(err, "{}", text::f("op-sim-dropped", &[("reader", reader)]));
            }
        }
        while self.reinsertions < card.reinsertions() {
            self.reinsertions = self.reinsertions.saturating_add(1);
            if global.json {
                println!(
                    "{}",
                    serde_json::json!({"event": "reinserted", "reinsertions": self.reinsertions})
                );
            } else if !quiet {
                let args = [("serial", serial), ("reader", reader)];
                let _ = writeln!(err, "{}", text::f("op-sim-reinserted", &args));
            }
        }
    }
}

/// Runs `ektp sim`.
pub fn run(args: &SimArgs, global: &Global) -> Result<ExitCode, Fail> {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || stop.store(true, Ordering::Release))
            .or_config_said(|| Message::new("op-sim-err-ctrlc"))?;
    }
    serve(args, global, &stop, &mut std::io::stderr())
}

/// Serves the chip until `stop` is set or the session ends; messages for people go to `err`.
fn serve(
    args: &SimArgs,
    global: &Global,
    stop: &AtomicBool,
    err: &mut dyn Write,
) -> Result<ExitCode, Fail> {
    let quiet = global.verbosity < 0;
    let chip = chip_for(args, quiet)?;
    let serial = hex::encode_upper(chip.serial());
    let lifecycle = lifecycle_text(chip.lifecycle());
    let config = VpcdConfig::new()
        .with_port(args.port)
        .with_reconnect(Reconnect::new())
        .with_busy_check(Duration::from_secs(2));
    let config = match args.fault {
        Some(f) => config.with_fault(f.0),
        None => config,
    };
    let card = VirtualCard::insert(args.linked(chip), &config).map_err(Fail::card)?;
    let reader = ektp_chip::vpcd::reader_name(args.port)
        .map(|n| text::f("op-sim-reader", &[("name", n)]))
        .unwrap_or_else(|| text::f("op-sim-reader-port", &[("port", &args.port.to_string())]));
    if global.json {
        println!(
            "{}",
            serde_json::json!({"event": "inserted", "serial": serial, "lifecycle": lifecycle, "port": args.port})
        );
    } else if !quiet {
        let atr = hex_spaced(&ektp_chip::os::CHIP_ATR);
        let state = t(lifecycle_id(lifecycle));
        let args = [
            ("serial", serial.as_str()),
            ("state", &state),
            ("atr", &atr),
            ("reader", &reader),
        ];
        let _ = writeln!(err, "{}", text::f("op-sim-inserted", &args));
    }
    let mut link = LinkEvents::default();
    while !stop.load(Ordering::Acquire) && card.is_inserted() {
        std::thread::sleep(Duration::from_millis(50));
        link.report(&card, global, &serial, &reader, err);
    }
    link.report(&card, global, &serial, &reader, err);
    let removed = card.remove().map_err(Fail::card)?;
    let (why, code) = ending(&removed.end);
    let chip = removed.card.into_inner();
    if let Some(path) = &args.state {
        chip.save(path)
            .or_config_said(|| Message::new("op-sim-err-save").arg("path", path.display()))?;
    }
    let lifecycle = lifecycle_text(chip.lifecycle());
    if global.json {
        println!(
            "{}",
            serde_json::json!({"event": "removed", "reason": Catalog::of(Lang::En).render(&why), "answered": removed.answered, "lifecycle": lifecycle})
        );
    } else if !quiet {
        let why = text::render(&why);
        let answered = removed.answered.to_string();
        let state = t(lifecycle_id(lifecycle));
        let path = args.state.as_ref().map(|p| p.display().to_string());
        let mut words = vec![
            ("serial", serial.as_str()),
            ("why", &why),
            ("n", &answered),
            ("state", &state),
        ];
        let id = match &path {
            Some(p) => {
                words.push(("path", p));
                "op-sim-removed-saved"
            }
            None => "op-sim-removed",
        };
        let _ = writeln!(err, "{}", text::f(id, &words));
    }
    Ok(code)
}

#[cfg(test)]
mod tests;
