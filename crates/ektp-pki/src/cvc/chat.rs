//! Certificate Holder Authorization Template (BSI TR-03110-3 §C.1.5, §C.4).

use core::fmt;

use der::asn1::ObjectIdentifier;
use ektp_iso7816::tlv::{Tlv, Writer};

use super::error::{CvcError, Field};
use super::tlv;

/// id-IS: inspection system, BSI TR-03110-3 §C.4.1.
pub const ID_IS: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.3.1.2.1");
/// id-AT: authentication terminal, BSI TR-03110-3 §C.4.2.
pub const ID_AT: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.3.1.2.2");
/// id-ST: signature terminal, BSI TR-03110-3 §C.4.3.
pub const ID_ST: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.3.1.2.3");

/// The terminal type a CHAT is for, named by its OID (BSI TR-03110-3 §C.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TerminalType {
    /// id-IS: inspection system (ePassport application: DG3, DG4), §C.4.1. One byte.
    InspectionSystem,
    /// id-AT: authentication terminal (eID application), §C.4.2. Five bytes.
    AuthenticationTerminal,
    /// id-ST: signature terminal, §C.4.3. One byte.
    SignatureTerminal,
}

impl TerminalType {
    /// The OID.
    pub const fn oid(self) -> ObjectIdentifier {
        match self {
            Self::InspectionSystem => ID_IS,
            Self::AuthenticationTerminal => ID_AT,
            Self::SignatureTerminal => ID_ST,
        }
    }

    /// The terminal type of an OID.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        [
            Self::InspectionSystem,
            Self::AuthenticationTerminal,
            Self::SignatureTerminal,
        ]
        .into_iter()
        .find(|t| t.oid() == *oid)
    }

    /// Bytes of the discretionary data (`53`) for this type.
    pub const fn template_len(self) -> usize {
        match self {
            Self::AuthenticationTerminal => 5,
            Self::InspectionSystem | Self::SignatureTerminal => 1,
        }
    }

    /// Bits of access rights below the two role bits.
    const fn rights_bits(self) -> u32 {
        match self {
            Self::AuthenticationTerminal => 38,
            Self::InspectionSystem | Self::SignatureTerminal => 6,
        }
    }
}

impl fmt::Display for TerminalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InspectionSystem => "inspection system",
            Self::AuthenticationTerminal => "authentication terminal",
            Self::SignatureTerminal => "signature terminal",
        })
    }
}

/// The role in the two most significant bits of the CHAT (BSI TR-03110-3 §C.4, Table C.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// `11`: Country Verifying CA.
    Cvca,
    /// `10`: Document Verifier, official domestic.
    DvDomestic,
    /// `01`: Document Verifier, non-official / foreign.
    DvForeign,
    /// `00`: terminal (for id-IS: the inspection system).
    Terminal,
}

impl Role {
    const fn from_bits(b: u8) -> Self {
        match b >> 6 {
            0b11 => Self::Cvca,
            0b10 => Self::DvDomestic,
            0b01 => Self::DvForeign,
            _ => Self::Terminal,
        }
    }

    const fn bits(self) -> u8 {
        match self {
            Self::Cvca => 0xC0,
            Self::DvDomestic => 0x80,
            Self::DvForeign => 0x40,
            Self::Terminal => 0x00,
        }
    }

    /// Whether this is one of the two Document Verifier roles.
    pub const fn is_dv(self) -> bool {
        matches!(self, Self::DvDomestic | Self::DvForeign)
    }

    /// Whether a holder of this role may issue a certificate for `subject`
    /// (BSI TR-03110-3 §2.2: CVCA → CVCA (link) or DV; DV → terminal; a terminal issues none).
    pub const fn may_issue(self, subject: Role) -> bool {
        match self {
            Self::Cvca => !matches!(subject, Self::Terminal),
            Self::DvDomestic | Self::DvForeign => matches!(subject, Self::Terminal),
            Self::Terminal => false,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Cvca => "CVCA",
            Self::DvDomestic => "DV (official domestic)",
            Self::DvForeign => "DV (non-official/foreign)",
            Self::Terminal => "terminal",
        })
    }
}

/// Access rights: the CHAT bits below the role, least significant bit first
/// (BSI TR-03110-3 §C.4.1 for inspection systems: bit 0 read DG3, bit 1 read DG4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AccessRights(u64);

impl AccessRights {
    /// No rights.
    pub const NONE: Self = Self(0);
    /// id-IS bit 0: read access to ePassport application DG3 (fingerprints).
    pub const READ_DG3: Self = Self(1);
    /// id-IS bit 1: read access to ePassport application DG4 (iris).
    pub const READ_DG4: Self = Self(1 << 1);

    /// Rights from raw bits (bit 0 = least significant bit of the last template byte).
    pub const fn from_bits(bits: u64) -> Self {
        Self(bits)
    }

    /// The raw bits.
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// Rights present in both: what a chain grants (BSI TR-03110-3 §2.7, effective
    /// authorization).
    #[must_use]
    pub const fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// Rights present in either.
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every right of `other` is here.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no right is granted.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for AccessRights {
    /// Inspection-system names for bits 0 and 1, `bit N` for the others.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        let mut first = true;
        for bit in 0..64u32 {
            if self.0 & (1u64 << bit) == 0 {
                continue;
            }
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            match bit {
                0 => f.write_str("read DG3")?,
                1 => f.write_str("read DG4")?,
                n => write!(f, "bit {n}")?,
            }
        }
        Ok(())
    }
}

/// Certificate Holder Authorization Template (BSI TR-03110-3 §C.1.5):
///
/// ```text
/// 7F4C CHAT
///   06 terminal type OID (id-IS, id-AT, id-ST)
///   53 discretionary data: role (2 most significant bits) and access rights, big-endian
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chat {
    terminal_type: TerminalType,
    role: Role,
    rights: AccessRights,
}

impl Chat {
    /// A CHAT.
    ///
    /// # Errors
    /// [`CvcError::InvalidValue`] if `rights` has bits beyond what the terminal type holds.
    pub fn new(
        terminal_type: TerminalType,
        role: Role,
        rights: AccessRights,
    ) -> Result<Self, CvcError> {
        if rights.0 >> terminal_type.rights_bits() != 0 {
            return Err(CvcError::InvalidValue(Field::Chat));
        }
        Ok(Self {
            terminal_type,
            role,
            rights,
        })
    }

    /// An inspection-system CHAT (id-IS) with `rights` masked to its six bits.
    pub const fn inspection_system(role: Role, rights: AccessRights) -> Self {
        Self {
            terminal_type: TerminalType::InspectionSystem,
            role,
            rights: AccessRights(rights.0 & 0x3F),
        }
    }

    /// The terminal type.
    pub const fn terminal_type(&self) -> TerminalType {
        self.terminal_type
    }

    /// The role.
    pub const fn role(&self) -> Role {
        self.role
    }

    /// The access rights.
    pub const fn rights(&self) -> AccessRights {
        self.rights
    }

    /// This CHAT with its rights intersected with `other`.
    #[must_use]
    pub const fn restrict(self, other: AccessRights) -> Self {
        Self {
            rights: self.rights.intersection(other),
            ..self
        }
    }

    /// The discretionary data bytes (value of `53`).
    pub fn template(&self) -> Vec<u8> {
        let len = self.terminal_type.template_len();
        let bytes = self.rights.0.to_be_bytes();
        let mut out = bytes
            .get(bytes.len().saturating_sub(len)..)
            .unwrap_or_default()
            .to_vec();
        if let Some(first) = out.first_mut() {
            *first = (*first & 0x3F) | self.role.bits();
        }
        out
    }

    pub(crate) fn decode(t: &Tlv<'_>) -> Result<Self, CvcError> {
        let mut r = tlv::children(t)?;
        let oid_tlv = tlv::expect(&mut r, 0x06)?;
        let oid = ObjectIdentifier::from_bytes(oid_tlv.value)
            .map_err(|_| tlv::invalid(Field::Chat, &oid_tlv))?;
        let data = tlv::expect(&mut r, 0x53)?;
        tlv::finish(r)?;
        let terminal_type =
            TerminalType::from_oid(&oid).ok_or(CvcError::UnsupportedTerminalType { oid })?;
        if data.value.len() != terminal_type.template_len() {
            return Err(tlv::invalid(Field::Chat, &data));
        }
        let first = data.value.first().copied().unwrap_or(0);
        let mut bits: u64 = 0;
        for (i, b) in data.value.iter().enumerate() {
            let b = if i == 0 { b & 0x3F } else { *b };
            bits = (bits << 8) | u64::from(b);
        }
        Ok(Self {
            terminal_type,
            role: Role::from_bits(first),
            rights: AccessRights(bits),
        })
    }

    pub(crate) fn encode(&self, w: &mut Writer) {
        w.nested(0x7F4C, |w| {
            w.put(0x06, self.terminal_type.oid().as_bytes());
            w.put(0x53, &self.template());
        });
    }
}

impl fmt::Display for Chat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.terminal_type, self.role, self.rights)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_bits() {
        let c = Chat::inspection_system(
            Role::Cvca,
            AccessRights::READ_DG3.union(AccessRights::READ_DG4),
        );
        assert_eq!(c.template(), [0xC3]);
        let mut w = Writer::new();
        c.encode(&mut w);
        let bytes = w.into_bytes();
        assert_eq!(
            hex::encode_upper(&bytes),
            "7F4C0E060904007F000703010201530 1C3".replace(' ', "")
        );
        let t = ektp_iso7816::tlv::parse_one(&bytes).unwrap();
        assert_eq!(Chat::decode(&t).unwrap(), c);
        assert!(Role::Cvca.may_issue(Role::DvDomestic));
        assert!(Role::Cvca.may_issue(Role::Cvca));
        assert!(!Role::Cvca.may_issue(Role::Terminal));
        assert!(Role::DvForeign.may_issue(Role::Terminal));
        assert!(!Role::DvDomestic.may_issue(Role::DvDomestic));
        assert!(!Role::Terminal.may_issue(Role::Terminal));
        assert!(
            Chat::new(
                TerminalType::InspectionSystem,
                Role::Terminal,
                AccessRights(0x40)
            )
            .is_err()
        );
        let at = Chat::new(
            TerminalType::AuthenticationTerminal,
            Role::DvForeign,
            AccessRights(0x3F_0000_0001),
        )
        .unwrap();
        assert_eq!(at.template(), [0x7F, 0, 0, 0, 1]);
    }
}
