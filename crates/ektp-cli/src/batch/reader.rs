//! The PC/SC reader as the batch's card source.

use std::time::Duration;

use ektp_pcsc::{PcscCard, PcscContext, PcscError, ReaderSelector};
use ektp_station::CardSource;

/// One PC/SC reader as the batch's card source.
pub struct Reader {
    ctx: PcscContext,
    /// The reader's name.
    pub name: String,
}

impl Reader {
    /// `--reader` / the config's, else the only reader there is.
    pub fn pick(ctx: PcscContext, wanted: Option<&str>) -> anyhow::Result<Self> {
        let name = match wanted {
            Some(name) => ctx.reader(&ReaderSelector::Named(name.to_owned()))?.name,
            None => match ctx.reader_names()?.as_slice() {
                [] => return Err(PcscError::NoReaders.into()),
                [one] => one.clone(),
                many => anyhow::bail!(
                    "several readers ({}): choose one with --reader or `reader` in the station \
                     config",
                    many.iter()
                        .map(|n| format!("{n:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            },
        };
        Ok(Self { ctx, name })
    }
}

impl CardSource for Reader {
    type Transport = PcscCard;
    type Error = PcscError;

    fn wait_for_card(&mut self, timeout: Duration) -> Result<bool, PcscError> {
        match self.ctx.wait_for_card(&self.name, timeout) {
            Ok(_) => Ok(true),
            Err(PcscError::Timeout { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn wait_for_removal(&mut self, timeout: Duration) -> Result<bool, PcscError> {
        match self.ctx.wait_for_removal(&self.name, timeout) {
            Ok(()) => Ok(true),
            Err(PcscError::Timeout { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn connect(&mut self) -> Result<Option<PcscCard>, PcscError> {
        match self.ctx.connect(&self.name) {
            Ok(card) => Ok(Some(card)),
            // Gone again before we could talk to it.
            Err(PcscError::NoCard { .. } | PcscError::CardRemoved { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
