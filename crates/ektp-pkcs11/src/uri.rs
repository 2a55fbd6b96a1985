//! RFC 7512 PKCS#11 URIs, a bounded subset: `token`, `object`, `id`, `type` in the path and
//! `pin-source` in the query. `pin-value` is refused: a PIN never travels in a key name.

use core::fmt;
use std::path::PathBuf;

use crate::error::{Pkcs11Error, Result};

/// The longest URI accepted.
pub const MAX_URI_LEN: usize = 1024;
/// The longest decoded attribute value accepted.
pub const MAX_ATTRIBUTE_LEN: usize = 256;

/// The `type` path attribute (RFC 7512 §2.3): which object class the URI names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ObjectType {
    /// `type=private`: a private key (`CKO_PRIVATE_KEY`).
    Private,
    /// `type=public`: a public key (`CKO_PUBLIC_KEY`).
    Public,
    /// `type=cert`: a certificate (`CKO_CERTIFICATE`).
    Cert,
    /// `type=secret-key`: a secret key (`CKO_SECRET_KEY`).
    SecretKey,
}

impl ObjectType {
    /// The URI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Public => "public",
            Self::Cert => "cert",
            Self::SecretKey => "secret-key",
        }
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a PKCS#11 URI was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UriErrorKind {
    /// It does not start with `pkcs11:`.
    NotPkcs11,
    /// Longer than [`MAX_URI_LEN`] or an attribute longer than [`MAX_ATTRIBUTE_LEN`].
    TooLong,
    /// A `%` not followed by two hex digits.
    BadPercentEncoding,
    /// A text attribute (`token`, `object`, `pin-source`) that is not UTF-8.
    NotUtf8,
    /// An attribute this subset does not support (its name is given).
    UnsupportedAttribute(String),
    /// An attribute given twice.
    Duplicate(&'static str),
    /// `pin-value`: a PIN must come from a prompt, a PIN file or `pin-source`, never the URI.
    PinValueRefused,
    /// A `type` other than private, public, cert, secret-key.
    UnknownType,
    /// A component without `=`.
    MissingEquals,
}

impl fmt::Display for UriErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotPkcs11 => f.write_str("it does not start with `pkcs11:`"),
            Self::TooLong => write!(
                f,
                "it is longer than {MAX_URI_LEN} bytes or an attribute longer than {MAX_ATTRIBUTE_LEN}"
            ),
            Self::BadPercentEncoding => f.write_str("a `%` is not followed by two hex digits"),
            Self::NotUtf8 => f.write_str("a text attribute is not UTF-8"),
            Self::UnsupportedAttribute(name) => write!(
                f,
                "attribute `{name}` is not supported (use token, object, id, type, pin-source)"
            ),
            Self::Duplicate(name) => write!(f, "attribute `{name}` is given twice"),
            Self::PinValueRefused => f.write_str(
                "`pin-value` is refused: give the PIN by prompt, --pin-file or pin-source",
            ),
            Self::UnknownType => {
                f.write_str("`type` must be one of private, public, cert, secret-key")
            }
            Self::MissingEquals => f.write_str("a component has no `=`"),
        }
    }
}

/// A parsed PKCS#11 URI (RFC 7512): which token and which object.
///
/// ```
/// use ektp_pkcs11::{ObjectType, Pkcs11Uri};
/// let uri: Pkcs11Uri = "pkcs11:token=Dukcapil%20DS;object=ds-2026;id=%01%02;type=private"
///     .parse()?;
/// assert_eq!(uri.token(), Some("Dukcapil DS"));
/// assert_eq!(uri.object(), Some("ds-2026"));
/// assert_eq!(uri.id(), Some(&[1u8, 2][..]));
/// assert_eq!(uri.object_type(), Some(ObjectType::Private));
/// assert!("pkcs11:token=t;object=k?pin-value=1234".parse::<Pkcs11Uri>().is_err());
/// # Ok::<(), ektp_pkcs11::Pkcs11Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pkcs11Uri {
    token: Option<String>,
    object: Option<String>,
    id: Option<Vec<u8>>,
    object_type: Option<ObjectType>,
    pin_source: Option<String>,
}

impl Pkcs11Uri {
    /// The `token` attribute (the token label, `CK_TOKEN_INFO.label`).
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The `object` attribute (`CKA_LABEL`).
    pub fn object(&self) -> Option<&str> {
        self.object.as_deref()
    }

    /// The `id` attribute (`CKA_ID`).
    pub fn id(&self) -> Option<&[u8]> {
        self.id.as_deref()
    }

    /// The `type` attribute.
    pub fn object_type(&self) -> Option<ObjectType> {
        self.object_type
    }

    /// The `pin-source` query attribute: a file holding the PIN (`file:` prefix stripped).
    pub fn pin_source(&self) -> Option<PathBuf> {
        self.pin_source.as_deref().map(|s| {
            PathBuf::from(
                s.strip_prefix("file://")
                    .or(s.strip_prefix("file:"))
                    .unwrap_or(s),
            )
        })
    }

    /// The same URI naming another object type (e.g. the certificate beside a private key).
    #[must_use]
    pub fn with_type(&self, object_type: ObjectType) -> Self {
        Self {
            object_type: Some(object_type),
            ..self.clone()
        }
    }
}

fn decode(value: &str) -> Result<Vec<u8>> {
    let bad = |kind| Pkcs11Error::InvalidUri { kind };
    let mut out = Vec::with_capacity(value.len());
    let mut bytes = value.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let (Some(h), Some(l)) = (bytes.next(), bytes.next()) else {
                return Err(bad(UriErrorKind::BadPercentEncoding));
            };
            let (Some(h), Some(l)) = (hex_val(h), hex_val(l)) else {
                return Err(bad(UriErrorKind::BadPercentEncoding));
            };
            out.push(h.wrapping_shl(4) | l);
        } else {
            out.push(b);
        }
    }
    if out.len() > MAX_ATTRIBUTE_LEN {
        return Err(bad(UriErrorKind::TooLong));
    }
    Ok(out)
}

fn hex_val(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

fn text(value: &str) -> Result<String> {
    String::from_utf8(decode(value)?).map_err(|_| Pkcs11Error::InvalidUri {
        kind: UriErrorKind::NotUtf8,
    })
}

fn set<T>(slot: &mut Option<T>, name: &'static str, value: T) -> Result<()> {
    if slot.is_some() {
        return Err(Pkcs11Error::InvalidUri {
            kind: UriErrorKind::Duplicate(name),
        });
    }
    *slot = Some(value);
    Ok(())
}

impl core::str::FromStr for Pkcs11Uri {
    type Err = Pkcs11Error;

    fn from_str(s: &str) -> Result<Self> {
        let bad = |kind| Pkcs11Error::InvalidUri { kind };
        if s.len() > MAX_URI_LEN {
            return Err(bad(UriErrorKind::TooLong));
        }
        let rest = s
            .strip_prefix("pkcs11:")
            .ok_or(bad(UriErrorKind::NotPkcs11))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut uri = Self::default();
        for component in path.split(';').filter(|c| !c.is_empty()) {
            let (name, value) = component
                .split_once('=')
                .ok_or(bad(UriErrorKind::MissingEquals))?;
            match name {
                "token" => set(&mut uri.token, "token", text(value)?)?,
                "object" => set(&mut uri.object, "object", text(value)?)?,
                "id" => set(&mut uri.id, "id", decode(value)?)?,
                "type" => {
                    let t = match text(value)?.as_str() {
                        "private" => ObjectType::Private,
                        "public" => ObjectType::Public,
                        "cert" => ObjectType::Cert,
                        "secret-key" => ObjectType::SecretKey,
                        _ => return Err(bad(UriErrorKind::UnknownType)),
                    };
                    set(&mut uri.object_type, "type", t)?;
                }
                other => {
                    return Err(bad(UriErrorKind::UnsupportedAttribute(truncated(other))));
                }
            }
        }
        for component in query.split('&').filter(|c| !c.is_empty()) {
            let (name, value) = component
                .split_once('=')
                .ok_or(bad(UriErrorKind::MissingEquals))?;
            match name {
                "pin-value" => return Err(bad(UriErrorKind::PinValueRefused)),
                "pin-source" => set(&mut uri.pin_source, "pin-source", text(value)?)?,
                other => {
                    return Err(bad(UriErrorKind::UnsupportedAttribute(truncated(other))));
                }
            }
        }
        Ok(uri)
    }
}

/// An attribute name echoed in an error, cut to a readable length.
fn truncated(name: &str) -> String {
    name.chars().take(32).collect()
}

fn encode(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            write!(f, "{}", char::from(b))?;
        } else {
            write!(f, "%{b:02X}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Pkcs11Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("pkcs11:")?;
        let mut sep = "";
        let mut attr = |f: &mut fmt::Formatter<'_>, name: &str, value: &[u8]| {
            write!(f, "{sep}{name}=")?;
            sep = ";";
            encode(f, value)
        };
        if let Some(t) = &self.token {
            attr(f, "token", t.as_bytes())?;
        }
        if let Some(o) = &self.object {
            attr(f, "object", o.as_bytes())?;
        }
        if let Some(id) = &self.id {
            attr(f, "id", id)?;
        }
        if let Some(t) = self.object_type {
            attr(f, "type", t.as_str().as_bytes())?;
        }
        if let Some(p) = &self.pin_source {
            f.write_str("?pin-source=")?;
            encode(f, p.as_bytes())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> UriErrorKind {
        match s.parse::<Pkcs11Uri>() {
            Err(Pkcs11Error::InvalidUri { kind }) => kind,
            other => unreachable!("{other:?}"),
        }
    }

    #[test]
    fn parses_the_subset_and_round_trips() {
        let s =
            "pkcs11:token=Dukcapil%20DS;object=ds;id=%01%AB;type=private?pin-source=file:/run/pin";
        let uri: Pkcs11Uri = s.parse().unwrap();
        assert_eq!(uri.token(), Some("Dukcapil DS"));
        assert_eq!(uri.id(), Some(&[0x01, 0xAB][..]));
        assert_eq!(uri.pin_source(), Some(PathBuf::from("/run/pin")));
        assert_eq!(
            uri.to_string(),
            s.replace("file:/run/pin", "file%3A%2Frun%2Fpin")
        );
        assert_eq!(uri.to_string().parse::<Pkcs11Uri>().unwrap(), uri);
    }

    #[test]
    fn pin_value_in_the_uri_is_refused() {
        assert_eq!(
            kind("pkcs11:token=t?pin-value=123456"),
            UriErrorKind::PinValueRefused
        );
        // The refusal never echoes the PIN.
        let e = "pkcs11:token=t?pin-value=987654"
            .parse::<Pkcs11Uri>()
            .unwrap_err();
        assert!(!format!("{e} {e:?}").contains("987654"));
    }

    #[test]
    fn malformed_uris_are_refused() {
        assert_eq!(kind("file:/x"), UriErrorKind::NotPkcs11);
        assert_eq!(
            kind("pkcs11:token=a;token=b"),
            UriErrorKind::Duplicate("token")
        );
        assert_eq!(kind("pkcs11:id=%0"), UriErrorKind::BadPercentEncoding);
        assert_eq!(kind("pkcs11:id=%G1"), UriErrorKind::BadPercentEncoding);
        assert_eq!(kind("pkcs11:type=data"), UriErrorKind::UnknownType);
        assert_eq!(kind("pkcs11:token"), UriErrorKind::MissingEquals);
        assert_eq!(kind("pkcs11:object=%FF"), UriErrorKind::NotUtf8);
        assert_eq!(
            kind("pkcs11:slot-id=1"),
            UriErrorKind::UnsupportedAttribute("slot-id".into())
        );
        assert_eq!(
            kind(&format!("pkcs11:object={}", "a".repeat(2000))),
            UriErrorKind::TooLong
        );
        assert_eq!(
            kind(&format!("pkcs11:object={}", "a".repeat(300))),
            UriErrorKind::TooLong
        );
    }

    #[test]
    fn arbitrary_input_never_panics() {
        for s in [
            "pkcs11:",
            "pkcs11:;;;",
            "pkcs11:?",
            "pkcs11:%",
            "pkcs11:id=%",
            "pkcs11:==",
        ] {
            let _ = s.parse::<Pkcs11Uri>();
        }
    }
}
