//! Card arrival and removal, watched on a thread of its own and broadcast to every event
//! stream (`GET /api/events`, Server-Sent Events).

use std::collections::BTreeMap;
use std::time::Duration;

use ektp_pcsc::PcscContext;
use tokio::sync::broadcast::Sender;

/// A card arrived in or left a reader.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct CardEvent {
    /// `arrival` or `removal`.
    #[serde(skip)]
    pub kind: &'static str,
    /// The reader's PC/SC name.
    pub reader: String,
}

/// How often the readers are looked at.
const POLL: Duration = Duration::from_millis(250);

/// Starts the watcher thread: it polls PC/SC and sends an event for each change, for as long
/// as the service (the sender) lives.
pub(crate) fn watch(tx: Sender<CardEvent>) {
    let spawned = std::thread::Builder::new()
        .name("ektp-card-events".to_owned())
        .spawn(move || {
            let mut seen: BTreeMap<String, bool> = BTreeMap::new();
            let mut ctx: Option<PcscContext> = None;
            loop {
                if ctx.is_none() {
                    ctx = PcscContext::establish().ok();
                }
                let now = ctx.as_ref().map(PcscContext::readers);
                match now {
                    Some(Ok(readers)) => {
                        let current: BTreeMap<String, bool> = readers
                            .into_iter()
                            .map(|r| {
                                let present = r.has_card();
                                (r.name, present)
                            })
                            .collect();
                        for (name, &present) in &current {
                            let before = seen.get(name).copied().unwrap_or(false);
                            if present != before {
                                let kind = if present { "arrival" } else { "removal" };
                                let _ = tx.send(CardEvent {
                                    kind,
                                    reader: name.clone(),
                                });
                            }
                        }
                        for (name, &was) in &seen {
                            if was && !current.contains_key(name) {
                                let _ = tx.send(CardEvent {
                                    kind: "removal",
                                    reader: name.clone(),
                                });
                            }
                        }
                        seen = current;
                    }
                    Some(Err(_)) | None => ctx = None,
                }
                std::thread::sleep(POLL);
            }
        });
    if spawned.is_err() {
        tracing::warn!("cannot start the card event watcher: no card events");
    }
}
