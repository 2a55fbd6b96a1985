//! The connection to the PC/SC service: readers, waiting for cards, connecting.

use std::ffi::CString;
use std::time::{Duration, Instant};

use crate::card::{PcscCard, Share};
use crate::error::{Operation, PcscError, WaitEvent};
use crate::reader::{ReaderInfo, ReaderSelector, select};

/// A connection to the PC/SC service (pcscd). Cheap to clone; usable from several threads.
#[derive(Clone)]
pub struct PcscContext {
    ctx: pcsc::Context,
}

impl std::fmt::Debug for PcscContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcscContext").finish_non_exhaustive()
    }
}

pub(crate) fn c_name(name: &str) -> Result<CString, PcscError> {
    CString::new(name).map_err(|_| PcscError::InvalidReaderName {
        name: name.to_owned(),
    })
}

impl PcscContext {
    /// Connects to the PC/SC service.
    ///
    /// # Errors
    /// [`PcscError::NoService`] if pcscd is not running.
    pub fn establish() -> Result<Self, PcscError> {
        let ctx = pcsc::Context::establish(pcsc::Scope::User)
            .map_err(|e| PcscError::from_pcsc(Operation::Establish, None, e))?;
        Ok(Self { ctx })
    }

    /// The names of all readers, in PC/SC order (empty if there are none).
    ///
    /// # Errors
    /// [`PcscError::NoService`] if pcscd went away, or another PC/SC failure.
    pub fn reader_names(&self) -> Result<Vec<String>, PcscError> {
        match self.ctx.list_readers_owned() {
            Ok(names) => Ok(names
                .iter()
                .map(|n| n.to_string_lossy().into_owned())
                .collect()),
            Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
            Err(e) => Err(PcscError::from_pcsc(Operation::ListReaders, None, e)),
        }
    }

    /// All readers with their current state and the ATR of any card in them.
    ///
    /// # Errors
    /// As [`PcscContext::reader_names`].
    pub fn readers(&self) -> Result<Vec<ReaderInfo>, PcscError> {
        let names = self.reader_names()?;
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let mut states = names
            .iter()
            .map(|n| Ok(pcsc::ReaderState::new(c_name(n)?, pcsc::State::UNAWARE)))
            .collect::<Result<Vec<_>, PcscError>>()?;
        // With UNAWARE current states this returns at once with the present state.
        self.ctx
            .get_status_change(Duration::ZERO, &mut states)
            .map_err(|e| PcscError::from_pcsc(Operation::GetStatusChange, None, e))?;
        Ok(names
            .into_iter()
            .zip(&states)
            .map(|(name, rs)| ReaderInfo::from_state(name, rs.event_state(), rs.atr()))
            .collect())
    }

    /// The reader `selector` picks.
    ///
    /// # Errors
    /// [`PcscError::UnknownReader`] (with the list of readers),
    /// [`PcscError::AmbiguousReader`], [`PcscError::NoReaders`],
    /// [`PcscError::NoCardInAnyReader`], or a PC/SC failure.
    pub fn reader(&self, selector: &ReaderSelector) -> Result<ReaderInfo, PcscError> {
        let readers = self.readers()?;
        select(&readers, selector).cloned()
    }

    /// Waits up to `timeout` for a card in `reader` and returns the reader's state with the
    /// card's ATR. Returns at once if a card is already there.
    ///
    /// # Errors
    /// [`PcscError::Timeout`], [`PcscError::UnknownReader`] if the reader does not exist (or
    /// disappears), or a PC/SC failure.
    pub fn wait_for_card(&self, reader: &str, timeout: Duration) -> Result<ReaderInfo, PcscError> {
        self.wait_for(reader, timeout, WaitEvent::Arrival)
    }

    /// Waits up to `timeout` until `reader` is empty. Returns at once if it is already.
    ///
    /// pcscd notices a removal at its next presence poll (every 400 ms for vpcd).
    ///
    /// # Errors
    /// As [`PcscContext::wait_for_card`].
    pub fn wait_for_removal(&self, reader: &str, timeout: Duration) -> Result<(), PcscError> {
        self.wait_for(reader, timeout, WaitEvent::Removal)
            .map(|_| ())
    }

    fn wait_for(
        &self,
        reader: &str,
        timeout: Duration,
        event: WaitEvent,
    ) -> Result<ReaderInfo, PcscError> {
        let start = Instant::now();
        let mut states = [pcsc::ReaderState::new(
            c_name(reader)?,
            pcsc::State::UNAWARE,
        )];
        loop {
            let remaining = timeout.saturating_sub(start.elapsed());
            match self.ctx.get_status_change(remaining, &mut states) {
                Ok(()) => {}
                Err(pcsc::Error::Timeout) => {
                    return Err(PcscError::Timeout {
                        reader: reader.to_owned(),
                        event,
                        waited: start.elapsed(),
                    });
                }
                Err(pcsc::Error::UnknownReader) => return Err(self.unknown_reader(reader)),
                Err(e) => {
                    return Err(PcscError::from_pcsc(
                        Operation::GetStatusChange,
                        Some(reader),
                        e,
                    ));
                }
            }
            let [rs] = &mut states;
            let state = rs.event_state();
            if state.intersects(pcsc::State::UNKNOWN | pcsc::State::IGNORE) {
                return Err(self.unknown_reader(reader));
            }
            let done = match event {
                WaitEvent::Arrival => state.contains(pcsc::State::PRESENT),
                WaitEvent::Removal => state.contains(pcsc::State::EMPTY),
            };
            if done {
                return Ok(ReaderInfo::from_state(reader.to_owned(), state, rs.atr()));
            }
            rs.sync_current_state();
        }
    }

    fn unknown_reader(&self, name: &str) -> PcscError {
        PcscError::UnknownReader {
            name: name.to_owned(),
            available: self.reader_names().unwrap_or_default(),
        }
    }

    /// Connects to the card in `reader`, shared with other applications, T=0 or T=1.
    ///
    /// # Errors
    /// [`PcscError::NoCard`], [`PcscError::UnknownReader`] (with the list of readers),
    /// [`PcscError::UnresponsiveCard`], [`PcscError::SharingViolation`], or a PC/SC failure.
    pub fn connect(&self, reader: &str) -> Result<PcscCard, PcscError> {
        self.connect_with(reader, Share::Shared)
    }

    /// Connects to the card in `reader` with the given sharing mode.
    ///
    /// # Errors
    /// As [`PcscContext::connect`].
    pub fn connect_with(&self, reader: &str, share: Share) -> Result<PcscCard, PcscError> {
        let name = c_name(reader)?;
        match self
            .ctx
            .connect(&name, share.to_pcsc(), pcsc::Protocols::ANY)
        {
            Ok(card) => Ok(PcscCard::new(card, reader.to_owned(), share)),
            Err(pcsc::Error::UnknownReader) => Err(self.unknown_reader(reader)),
            Err(e) => Err(PcscError::from_pcsc(Operation::Connect, Some(reader), e)),
        }
    }

    /// Connects to the reader `selector` picks.
    ///
    /// # Errors
    /// As [`PcscContext::reader`] and [`PcscContext::connect`].
    pub fn connect_selected(&self, selector: &ReaderSelector) -> Result<PcscCard, PcscError> {
        let reader = self.reader(selector)?;
        self.connect(&reader.name)
    }
}
