//! `pcsc-probe`: lists PC/SC readers with their state and ATR through `ektp-pcsc`, or prints
//! the error and exits with status 1. The end-to-end tests run it in a separate process to
//! see errors that depend on the process environment (such as a missing pcscd).

use std::process::ExitCode;

use ektp_pcsc::PcscContext;

fn main() -> ExitCode {
    let readers = PcscContext::establish().and_then(|ctx| ctx.readers());
    match readers {
        Ok(readers) => {
            for r in readers {
                let atr: String = r.atr.iter().map(|b| format!("{b:02X}")).collect();
                println!("{}\t{:?}\t{atr}", r.name, r.presence);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
