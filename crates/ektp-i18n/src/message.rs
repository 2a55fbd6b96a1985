//! A message that is not yet in any language: a catalogue id and named arguments.

/// A message id with named arguments, made by code that does not know the reader's language
/// (a library check's reason) and put into words by [`crate::Catalog::render`].
///
/// Arguments are language-neutral: numbers, ISO dates, document numbers, hex digests, check
/// names, or other messages (never an English fragment). A raw error text may ride along in a
/// `detail` argument that only the English catalogue shows.
///
/// Serializes as `{"id": "check-pace-ok", "args": {"doc": "IDA000001", ...}}`: a nested
/// message as such an object, a list as an array of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The catalogue id (`check-not-revoked-ok`).
    pub id: &'static str,
    /// The named arguments, in the order given.
    pub args: Vec<(&'static str, Arg)>,
}

/// One argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A language-neutral value: a number, an ISO date, a document number, a digest.
    Text(String),
    /// Another message, put into the same language.
    Msg(Box<Message>),
    /// Messages, each put into the language, joined with the separator (`", "`, `"; "`).
    List(Vec<Message>, &'static str),
}

impl Message {
    /// The message `id` without arguments.
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    /// Adds a language-neutral argument.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl core::fmt::Display) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Adds another message as an argument.
    #[must_use]
    pub fn msg(mut self, name: &'static str, value: Message) -> Self {
        self.args.push((name, Arg::Msg(Box::new(value))));
        self
    }

    /// Adds a list of messages, joined with `sep`.
    #[must_use]
    pub fn list(mut self, name: &'static str, items: Vec<Message>, sep: &'static str) -> Self {
        self.args.push((name, Arg::List(items, sep)));
        self
    }

    /// The argument `name`, if given.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
}

impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        struct Args<'a>(&'a [(&'static str, Arg)]);
        impl serde::Serialize for Args<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for (name, arg) in self.0 {
                    map.serialize_entry(name, arg)?;
                }
                map.end()
            }
        }
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("id", self.id)?;
        map.serialize_entry("args", &Args(&self.args))?;
        map.end()
    }
}

impl serde::Serialize for Arg {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(t) => s.serialize_str(t),
            Self::Msg(m) => m.serialize(s),
            Self::List(items, _) => items.serialize(s),
        }
    }
}
