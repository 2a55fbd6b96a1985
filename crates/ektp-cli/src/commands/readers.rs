//! `ektp readers`: the PC/SC readers, whether each holds a card, and its ATR.

use std::process::ExitCode;

use ektp_pcsc::{CardPresence, PcscContext};

use crate::config::Global;
use crate::exit::{self, Fail, Tag};
use crate::output::{hex_spaced, print_json};
use crate::text::t;

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
        eprintln!("{}", t("cli-readers-none"));
        return Ok(exit::OK);
    }
    for r in &readers {
        let state = match r.presence {
            CardPresence::Present => {
                let what = if r.atr == ektp_lds::VIRTUAL_CHIP_ATR {
                    format!("  ({})", t("cli-readers-virtual"))
                } else {
                    String::new()
                };
                let busy = if r.exclusive {
                    format!("  [{}]", t("cli-readers-exclusive"))
                } else if r.in_use {
                    format!("  [{}]", t("cli-readers-in-use"))
                } else {
                    String::new()
                };
                let atr = hex_spaced(&r.atr);
                format!(
                    "{}{what}{busy}",
                    crate::text::f("cli-readers-present", &[("atr", &atr)])
                )
            }
            CardPresence::Empty => t("cli-readers-empty"),
            CardPresence::Mute => t("cli-readers-mute"),
            CardPresence::Unavailable => t("cli-readers-unavailable"),
        };
        println!("{}  {state}", r.name);
    }
    Ok(exit::OK)
}
