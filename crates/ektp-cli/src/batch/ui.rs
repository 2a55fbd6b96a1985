//! How a batch looks to the operator: sentences around the progress bar, JSON lines for machines.

use super::*;

/// Renders the batch's events: sentences for the operator (stderr, around the progress bar;
/// warnings even with -q) and, with --json, its records as JSON lines on stdout.
pub(super) struct Ui {
    pub(super) bar: ProgressBar,
    pub(super) quiet: bool,
    pub(super) json: bool,
    pub(super) max_cards: Option<u64>,
}

impl Ui {
    pub(super) fn new(global: &Global, max_cards: Option<u64>) -> Self {
        let quiet = global.verbosity < 0;
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        let style = ProgressStyle::with_template(
            "{bar:30.cyan/blue} {pos}/{len} cards  {rate}  {eta_text}  {wide_msg}",
        )
        .map(|s| {
            s.with_key("rate", |st: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.1} cards/min", st.per_sec() * 60.0);
            })
            .with_key(
                "eta_text",
                |st: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let secs = st.eta().as_secs();
                    let _ = write!(w, "{}:{:02} left", secs / 60, secs % 60);
                },
            )
            .progress_chars("##-")
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Self {
            bar,
            quiet,
            json: global.json,
            max_cards,
        }
    }

    pub(super) fn show(&self, event: Event) {
        match &event {
            Event::Step { application, step } => {
                return self
                    .bar
                    .set_message(format!("{application}: {}", step_text(*step)));
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
            let line = serde_json::to_string(&event).unwrap_or_default();
            self.bar.suspend(|| to_stdout(&line));
        }
        if event.is_warning() || !self.quiet {
            self.bar.suspend(|| to_stderr(&event.to_string()));
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
