//! Readers: what is plugged in, what each holds, and picking one.

use crate::error::PcscError;

/// Whether a reader holds a usable card.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CardPresence {
    /// No card.
    Empty,
    /// A card that answered its reset.
    Present,
    /// A card is in, but it does not answer (mute).
    Mute,
    /// The reader cannot be used (unplugged, driver failure) or its state is unknown.
    Unavailable,
}

/// One reader and its card, as PC/SC reports them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReaderInfo {
    /// The PC/SC reader name, e.g. `Virtual PCD 00 00`.
    pub name: String,
    /// What the reader holds.
    pub presence: CardPresence,
    /// The card's ATR (empty without a card).
    pub atr: Vec<u8>,
    /// Some application is connected to the card.
    pub in_use: bool,
    /// Some application holds the card exclusively.
    pub exclusive: bool,
}

impl ReaderInfo {
    /// Builds the info from a PC/SC event state.
    pub(crate) fn from_state(name: String, state: pcsc::State, atr: &[u8]) -> Self {
        use pcsc::State as S;
        let presence = if state.intersects(S::UNKNOWN | S::UNAVAILABLE | S::IGNORE) {
            CardPresence::Unavailable
        } else if state.contains(S::MUTE) {
            CardPresence::Mute
        } else if state.contains(S::PRESENT) {
            CardPresence::Present
        } else {
            CardPresence::Empty
        };
        let atr = if presence == CardPresence::Present {
            atr.to_vec()
        } else {
            Vec::new()
        };
        Self {
            name,
            presence,
            atr,
            in_use: state.contains(S::INUSE),
            exclusive: state.contains(S::EXCLUSIVE),
        }
    }

    /// Whether the reader holds a card that answered its reset.
    #[must_use]
    pub fn has_card(&self) -> bool {
        self.presence == CardPresence::Present
    }
}

/// Which reader to use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReaderSelector {
    /// The reader with this name: an exact match, or else the one reader whose name
    /// contains it (ignoring case), e.g. `"PCD 00 01"`.
    Named(String),
    /// The first reader (in PC/SC order) holding a card.
    FirstWithCard,
    /// The one reader holding a card; with cards in several readers
    /// [`PcscError::SeveralCards`] lists them (a desk must never pick one silently).
    OnlyWithCard,
}

impl ReaderInfo {
    /// The reader and its card's state, for a list shown to people:
    /// `"Virtual PCD 00 00" (card present, in use)`.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut parts = vec![match self.presence {
            CardPresence::Empty => "no card",
            CardPresence::Present => "card present",
            CardPresence::Mute => "card does not answer",
            CardPresence::Unavailable => "unavailable",
        }];
        if self.exclusive {
            parts.push("in exclusive use");
        } else if self.in_use {
            parts.push("in use");
        }
        format!("{:?} ({})", self.name, parts.join(", "))
    }
}

/// Picks a reader from `readers`.
pub(crate) fn select<'a>(
    readers: &'a [ReaderInfo],
    selector: &ReaderSelector,
) -> Result<&'a ReaderInfo, PcscError> {
    let names = || readers.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
    match selector {
        ReaderSelector::Named(name) => {
            if let Some(exact) = readers.iter().find(|r| &r.name == name) {
                return Ok(exact);
            }
            let wanted = name.to_lowercase();
            let matches: Vec<&ReaderInfo> = readers
                .iter()
                .filter(|r| r.name.to_lowercase().contains(&wanted))
                .collect();
            match matches.as_slice() {
                [one] => Ok(one),
                [] => Err(PcscError::UnknownReader {
                    name: name.clone(),
                    available: names(),
                }),
                several => Err(PcscError::AmbiguousReader {
                    name: name.clone(),
                    matches: several.iter().map(|r| r.name.clone()).collect(),
                }),
            }
        }
        ReaderSelector::FirstWithCard => {
            if readers.is_empty() {
                return Err(PcscError::NoReaders);
            }
            readers
                .iter()
                .find(|r| r.has_card())
                .ok_or_else(|| PcscError::NoCardInAnyReader { available: names() })
        }
        ReaderSelector::OnlyWithCard => {
            let with_card: Vec<&ReaderInfo> = readers.iter().filter(|r| r.has_card()).collect();
            match with_card.as_slice() {
                [one] => Ok(one),
                [] => select(readers, &ReaderSelector::FirstWithCard),
                several => Err(PcscError::SeveralCards {
                    readers: several.iter().map(|r| r.describe()).collect(),
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcsc::State as S;

    fn info(name: &str, state: pcsc::State) -> ReaderInfo {
        ReaderInfo::from_state(name.into(), state, &[0x3B, 0x80, 0x80, 0x01, 0x01])
    }

    fn readers() -> Vec<ReaderInfo> {
        vec![
            info("Virtual PCD 00 00", S::EMPTY),
            info("Virtual PCD 00 01", S::PRESENT | S::INUSE),
            info("ACS ACR39U ICC Reader 00 00", S::PRESENT),
        ]
    }

    #[test]
    fn states() {
        let r = info("x", S::PRESENT | S::INUSE | S::EXCLUSIVE | S::CHANGED);
        assert_eq!(r.presence, CardPresence::Present);
        assert!(r.has_card() && r.in_use && r.exclusive);
        assert_eq!(r.atr, [0x3B, 0x80, 0x80, 0x01, 0x01]);
        let r = info("x", S::EMPTY);
        assert_eq!(r.presence, CardPresence::Empty);
        assert!(r.atr.is_empty(), "no ATR without a card");
        assert_eq!(info("x", S::PRESENT | S::MUTE).presence, CardPresence::Mute);
        assert_eq!(
            info("x", S::UNKNOWN | S::IGNORE).presence,
            CardPresence::Unavailable
        );
        assert_eq!(
            info("x", S::UNAVAILABLE).presence,
            CardPresence::Unavailable
        );
    }

    #[test]
    fn select_by_name() {
        let rs = readers();
        let pick = |n: &str| select(&rs, &ReaderSelector::Named(n.into()));
        assert_eq!(pick("Virtual PCD 00 00").unwrap().name, "Virtual PCD 00 00");
        assert_eq!(pick("pcd 00 01").unwrap().name, "Virtual PCD 00 01");
        assert_eq!(pick("ACR39").unwrap().name, "ACS ACR39U ICC Reader 00 00");
        let err = pick("Virtual").unwrap_err();
        assert!(
            matches!(&err, PcscError::AmbiguousReader { matches, .. } if matches.len() == 2),
            "{err}"
        );
        let err = pick("Gemalto").unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"no reader named "Gemalto" (readers: "Virtual PCD 00 00", "Virtual PCD 00 01", "ACS ACR39U ICC Reader 00 00")"#
        );
    }

    #[test]
    fn cards_in_two_readers_are_never_a_silent_choice() {
        let mut rs = readers();
        let err = select(&rs, &ReaderSelector::OnlyWithCard).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"cards in 2 readers: "Virtual PCD 00 01" (card present, in use), "ACS ACR39U ICC Reader 00 00" (card present); name the reader to use with --reader NAME (or reader in --config), or take the other cards out"#
        );
        rs.pop();
        let r = select(&rs, &ReaderSelector::OnlyWithCard).unwrap();
        assert_eq!(r.name, "Virtual PCD 00 01");
        rs.pop();
        assert!(matches!(
            select(&rs, &ReaderSelector::OnlyWithCard),
            Err(PcscError::NoCardInAnyReader { .. })
        ));
    }

    #[test]
    fn select_first_with_card() {
        let rs = readers();
        let r = select(&rs, &ReaderSelector::FirstWithCard).unwrap();
        assert_eq!(r.name, "Virtual PCD 00 01");
        let empty = vec![info("Virtual PCD 00 00", S::EMPTY)];
        let err = select(&empty, &ReaderSelector::FirstWithCard).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"no card in any reader (readers: "Virtual PCD 00 00")"#
        );
        assert!(matches!(
            select(&[], &ReaderSelector::FirstWithCard),
            Err(PcscError::NoReaders)
        ));
    }
}
