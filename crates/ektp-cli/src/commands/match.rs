//! `ektp match A B`: two fingerprints (500 ppi PNG images or ISO/IEC 19794-2 records) scored
//! with BOZORTH3 against the threshold; exit 0 for a match, 1 for none.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use ektp::fingerprint::{QualityGate, compare};

use crate::config::Global;
use crate::exit::{self, Fail};
use crate::finger::{read_print, threshold};
use crate::output::print_json;

/// `ektp match` options.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// The probe: a 500 ppi 8-bit grayscale PNG or an ISO/IEC 19794-2 record (e.g. a live
    /// capture)
    #[arg(value_name = "A")]
    pub a: PathBuf,
    /// The gallery print, in either form (e.g. a template from `ektp read --fingerprints`)
    #[arg(value_name = "B")]
    pub b: PathBuf,
    /// Decision threshold, a BOZORTH3 score [config: fingerprint_threshold] [default: 40]
    #[arg(long, value_name = "SCORE")]
    pub threshold: Option<u32>,
}

/// Runs `ektp match`.
pub fn run(args: &MatchArgs, global: &Global) -> Result<ExitCode, Fail> {
    let a = read_print(&args.a)?;
    let b = read_print(&args.b)?;
    let threshold = threshold(args.threshold, global);
    let result = compare(&a, &b, threshold, &QualityGate::default()).map_err(|e| {
        let message = ektp_i18n::Message::new("cli-err-match")
            .arg("a", args.a.display())
            .arg("b", args.b.display())
            .arg("detail", e);
        Fail::new(
            crate::exit::Kind::Failed,
            anyhow::Error::new(crate::exit::Said(message)),
        )
    })?;
    if global.json {
        print_json(&result)?;
    } else {
        let verdict = crate::text::t(if result.matched {
            "cli-match-yes"
        } else {
            "cli-match-no"
        });
        let line = crate::text::f(
            "cli-match-line",
            &[
                ("verdict", &verdict),
                ("score", &result.score.to_string()),
                ("cmp", if result.matched { ">=" } else { "<" }),
                ("threshold", &result.threshold.to_string()),
                ("minutiae_a", &result.minutiae_a.to_string()),
                ("a", &args.a.display().to_string()),
                ("minutiae_b", &result.minutiae_b.to_string()),
                ("b", &args.b.display().to_string()),
            ],
        );
        println!("{line}");
    }
    Ok(if result.matched {
        exit::OK
    } else {
        ExitCode::from(exit::FAILED)
    })
}
