//! `ektp readers`: the PC/SC readers, whether each holds a card, and its ATR.

use std::process::ExitCode;

use ektp_pcsc::{CardPresence, PcscContext};

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::{hex_spaced, print_json};

fn presence(p: CardPresence) -> &'static str {
    match p {
        CardPresence::Empty => "empty",
        CardPresence::Present => "present",
        CardPresence::Mute => "mute",
        CardPresence::Unavailable => "unavailable",
    }
}

/// Runs `ektp readers`.
pub fn run(global: &Global) -> Result<ExitCode, Fail> {
    let ctx = PcscContext::establish().or_card()?;
    let readers = ctx.readers().or_card()?;
    if global.json {
        let list: Vec<serde_json::Value> = readers
            .iter()
            .map(|r| {
                serde_json::json!({
                    "name": r.name,
                    "card": presence(r.presence),
                    "atr": hex::encode_upper(&r.atr),
                    "ektp_virtual_chip": r.atr == ektp_lds::VIRTUAL_CHIP_ATR,
                    "in_use": r.in_use,
                    "exclusive": r.exclusive,
                })
            })
            .collect();
        print_json(&list)?;
        return Ok(exit::OK);
    }
    if readers.is_empty() {
        eprintln!(
            "no smart-card readers found: connect a reader (for the virtual reader install \
             vsmartcard-vpcd and restart pcscd)"
        );
        return Ok(exit::OK);
    }
    for r in &readers {
        let state = match r.presence {
            CardPresence::Present => {
                let what = if r.atr == ektp_lds::VIRTUAL_CHIP_ATR {
                    "  (ektp virtual chip)"
                } else {
                    ""
                };
                let busy = if r.exclusive {
                    "  [in exclusive use]"
                } else if r.in_use {
                    "  [in use]"
                } else {
                    ""
                };
                format!("card present  ATR {}{what}{busy}", hex_spaced(&r.atr))
            }
            CardPresence::Empty => "no card".to_owned(),
            CardPresence::Mute => "card does not answer (mute): reinsert it".to_owned(),
            CardPresence::Unavailable => "unavailable (unplugged or driver failed)".to_owned(),
        };
        println!("{}  {state}", r.name);
    }
    Ok(exit::OK)
}
