//! How a batch looks to the operator: sentences around the progress bar, JSON lines for machines.

use ektp_station::FromReader;

use crate::text::{f, render};

use super::*;

/// Renders the batch's events: sentences for the operator (stderr, around the progress bar;
/// warnings even with -q) and, with --json, its records as JSON lines on stdout.
pub(super) struct Ui {
    pub(super) bar: ProgressBar,
    pub(super) quiet: bool,
    pub(super) verbose: bool,
    pub(super) json: bool,
    pub(super) max_cards: Option<u64>,
    /// Several readers: lines prefixed with the reader instead of a progress bar.
    pub(super) multi: bool,
}

impl Ui {
    pub(super) fn new(global: &Global, max_cards: Option<u64>, multi: bool) -> Self {
        let quiet = global.verbosity < 0;
        let target = if quiet || multi {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        let counts = f(
            "station-bar",
            &[
                ("pos", "{pos}"),
                ("len", "{len}"),
                ("rate", "{rate}"),
                ("eta", "{eta_text}"),
            ],
        );
        let style =
            ProgressStyle::with_template(&format!("{{bar:30.cyan/blue}} {counts}  {{wide_msg}}"))
                .map(|s| {
                    s.with_key("rate", |st: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.1}", st.per_sec() * 60.0);
                    })
                    .with_key(
                        "eta_text",
                        |st: &ProgressState, w: &mut dyn std::fmt::Write| {
                            let secs = st.eta().as_secs();
                            let _ = write!(w, "{}:{:02}", secs / 60, secs % 60);
                        },
                    )
                    .progress_chars("##-")
                })
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Self {
            bar,
            quiet,
            verbose: global.verbosity > 0,
            json: global.json,
            max_cards,
            multi,
        }
    }

    /// Shows `event`, from `reader` with several readers.
    pub(super) fn show(&self, reader: Option<&str>, event: Event) {
        match &event {
            // With several readers, steps are too many lines: shown with -v only.
            Event::Step { .. } if self.multi && self.verbose => {}
            Event::Step { application, step } => {
                if !self.multi {
                    self.bar
                        .set_message(format!("{application}: {}", step_text(*step)));
                }
                return;
            }
            Event::Queue { to_issue, .. } => {
                let len = u64::try_from(*to_issue).unwrap_or(u64::MAX);
                self.bar
                    .set_length(self.max_cards.map_or(len, |m| m.min(len)));
            }
            Event::Card(ektp_station::CardOutcome::Issued { .. }) => {
                self.bar.set_message("");
                self.bar.inc(1);
            }
            Event::Card(_) | Event::Pulled { .. } | Event::Refused(_) => self.bar.set_message(""),
            Event::Skipped { .. } => self.bar.dec_length(1),
            _ => {}
        }
        if self.json && event.is_record() {
            let line = FromReader {
                event: &event,
                reader,
            };
            let line = serde_json::to_string(&line).unwrap_or_default();
            self.bar.suspend(|| to_stdout(&line));
        }
        if event.is_warning() || !self.quiet {
            let text = match (reader, &event) {
                (Some(r), Event::Step { application, step }) => {
                    format!("[{r}] {application}: {}", step_text(*step))
                }
                (Some(r), _) => format!("[{r}] {}", render(&event.message())),
                (None, _) => render(&event.message()),
            };
            self.bar.suspend(|| to_stderr(&text));
        }
    }
}

/// The summary line for machines: the summary, its kind and the exit status.
#[derive(serde::Serialize)]
pub(super) struct SummaryLine<'a> {
    pub(super) event: &'static str,
    #[serde(flatten)]
    pub(super) summary: &'a Summary,
    pub(super) exit_code: u8,
}
