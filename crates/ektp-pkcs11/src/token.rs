//! Loading a module, finding a token by label, logging in, finding objects by URI.

use core::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use cryptoki::context::{CInitializeArgs, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;

use crate::error::{ObjectSummary, PinTries, Pkcs11Error, Result};
use crate::pin::Pin;
use crate::uri::{ObjectType, Pkcs11Uri};

/// At most this many objects are listed in an [`Pkcs11Error::ObjectNotFound`].
pub const MAX_LISTED_OBJECTS: usize = 64;

/// Modules loaded by this process: a module is initialized once per process
/// (`C_Initialize` twice fails), so every [`Module::open`] of the same path shares it. They
/// stay loaded until the process ends.
static MODULES: Mutex<Vec<(PathBuf, Pkcs11)>> = Mutex::new(Vec::new());

/// A loaded PKCS#11 module (a `.so`).
#[derive(Clone)]
pub struct Module {
    path: PathBuf,
    ctx: Pkcs11,
}

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Module").field("path", &self.path).finish()
    }
}

impl Module {
    /// Loads and initializes the module at `path` (once per process; later calls share it).
    ///
    /// # Errors
    /// [`Pkcs11Error::ModuleNotFound`] if there is no such file, [`Pkcs11Error::ModuleLoad`]
    /// if it is not a PKCS#11 module or its initialization fails.
    pub fn open(path: &Path) -> Result<Self> {
        let mut modules = MODULES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, ctx)) = modules.iter().find(|(p, _)| p == path) {
            return Ok(Self {
                path: path.to_path_buf(),
                ctx: ctx.clone(),
            });
        }
        if !path.is_file() {
            return Err(Pkcs11Error::ModuleNotFound {
                path: path.to_path_buf(),
            });
        }
        let load = |source| Pkcs11Error::ModuleLoad {
            path: path.to_path_buf(),
            source,
        };
        let ctx = Pkcs11::new(path).map_err(load)?;
        match ctx.initialize(CInitializeArgs::OsThreads) {
            Ok(()) | Err(CkError::AlreadyInitialized) => {}
            Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(load(e)),
        }
        modules.push((path.to_path_buf(), ctx.clone()));
        Ok(Self {
            path: path.to_path_buf(),
            ctx,
        })
    }

    /// The module's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The labels of the tokens present.
    ///
    /// # Errors
    /// [`Pkcs11Error::Token`] if the module fails.
    pub fn token_labels(&self) -> Result<Vec<String>> {
        Ok(self.tokens()?.into_iter().map(|(_, label)| label).collect())
    }

    fn tokens(&self) -> Result<Vec<(Slot, String)>> {
        let slots = self
            .ctx
            .get_slots_with_token()
            .map_err(Pkcs11Error::token("C_GetSlotList"))?;
        let mut out = Vec::with_capacity(slots.len());
        for slot in slots {
            let info = self
                .ctx
                .get_token_info(slot)
                .map_err(Pkcs11Error::token("C_GetTokenInfo"))?;
            out.push((slot, info.label().trim_end().to_owned()));
        }
        Ok(out)
    }

    /// Opens a session on the token labelled `label` and logs the user in with `pin`.
    ///
    /// PKCS#11 keeps one login per token and application: if this process is already logged
    /// in to the token (another [`Token`] is open), the token accepts the session without
    /// checking `pin` again.
    ///
    /// # Errors
    /// [`Pkcs11Error::TokenNotPresent`] (listing the labels present),
    /// [`Pkcs11Error::WrongPin`] (with what the token says about tries left),
    /// [`Pkcs11Error::PinLocked`], [`Pkcs11Error::Token`].
    pub fn login(&self, label: &str, pin: &Pin) -> Result<Arc<Token>> {
        let tokens = self.tokens()?;
        let Some((slot, _)) = tokens.iter().find(|(_, l)| l == label) else {
            return Err(Pkcs11Error::TokenNotPresent {
                label: label.to_owned(),
                present: tokens.into_iter().map(|(_, l)| l).collect(),
            });
        };
        let slot = *slot;
        let session = self
            .ctx
            .open_ro_session(slot)
            .map_err(Pkcs11Error::token("C_OpenSession"))?;
        match session.login(UserType::User, Some(&pin.auth())) {
            Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
            Err(CkError::Pkcs11(rv, _)) => {
                let info = self.ctx.get_token_info(slot).ok();
                return Err(login_error(
                    label,
                    rv,
                    info.as_ref().map(|i| {
                        (
                            i.user_pin_locked(),
                            i.user_pin_final_try(),
                            i.user_pin_count_low(),
                        )
                    }),
                ));
            }
            Err(e) => return Err(Pkcs11Error::token("C_Login")(e)),
        }
        Ok(Arc::new(Token {
            module: self.clone(),

            label: label.to_owned(),
            session: Mutex::new(session),
        }))
    }

    /// Logs in to the token the URI names (`token=`) with `pin`.
    ///
    /// # Errors
    /// [`Pkcs11Error::NoTokenInUri`], or as [`Module::login`].
    pub fn login_uri(&self, uri: &Pkcs11Uri, pin: &Pin) -> Result<Arc<Token>> {
        self.login(uri.token().ok_or(Pkcs11Error::NoTokenInUri)?, pin)
    }
}

/// Maps a failed `C_Login` to its error, with the token's PIN flags
/// `(locked, final try, count low)` read after the failure.
pub(crate) fn login_error(
    label: &str,
    rv: RvError,
    flags: Option<(bool, bool, bool)>,
) -> Pkcs11Error {
    let token = label.to_owned();
    let (locked, final_try, low) = flags.unwrap_or((false, false, false));
    match rv {
        RvError::PinLocked => Pkcs11Error::PinLocked { token },
        RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange if locked => {
            Pkcs11Error::PinLocked { token }
        }
        RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange => {
            Pkcs11Error::WrongPin {
                token,
                tries: if final_try {
                    PinTries::FinalTry
                } else if low {
                    PinTries::Low
                } else {
                    PinTries::Unknown
                },
            }
        }
        other => Pkcs11Error::Token {
            operation: "C_Login",
            source: CkError::Pkcs11(other, cryptoki::context::Function::Login),
        },
    }
}

/// A token the user is logged in to, with one session that every key on it shares (the
/// session is used by one thread at a time).
pub struct Token {
    module: Module,
    label: String,
    session: Mutex<Session>,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("module", &self.module.path)
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

pub(crate) fn class_of(t: ObjectType) -> ObjectClass {
    match t {
        ObjectType::Private => ObjectClass::PRIVATE_KEY,
        ObjectType::Public => ObjectClass::PUBLIC_KEY,
        ObjectType::Cert => ObjectClass::CERTIFICATE,
        ObjectType::SecretKey => ObjectClass::SECRET_KEY,
    }
}

impl Token {
    /// The token label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The module the token is in.
    pub fn module(&self) -> &Module {
        &self.module
    }

    /// A read-write session on the token (for generating keys); it shares the user's login.
    pub(crate) fn rw_session(&self) -> Result<Session> {
        let tokens = self.module.tokens()?;
        let Some((slot, _)) = tokens.iter().find(|(_, l)| *l == self.label) else {
            return Err(Pkcs11Error::TokenNotPresent {
                label: self.label.clone(),
                present: tokens.into_iter().map(|(_, l)| l).collect(),
            });
        };
        self.module
            .ctx
            .open_rw_session(*slot)
            .map_err(Pkcs11Error::token("C_OpenSession (read-write)"))
    }

    pub(crate) fn session(&self) -> MutexGuard<'_, Session> {
        self.session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Class, label and id of the objects the logged-in user sees (at most
    /// [`MAX_LISTED_OBJECTS`]); never a value.
    ///
    /// # Errors
    /// [`Pkcs11Error::Token`].
    pub fn objects(&self) -> Result<Vec<ObjectSummary>> {
        let session = self.session();
        let handles = session
            .find_objects(&[])
            .map_err(Pkcs11Error::token("C_FindObjects"))?;
        let mut out = Vec::new();
        for h in handles.into_iter().take(MAX_LISTED_OBJECTS) {
            let attrs = session
                .get_attributes(
                    h,
                    &[
                        AttributeType::Class,
                        AttributeType::Label,
                        AttributeType::Id,
                    ],
                )
                .map_err(Pkcs11Error::token("C_GetAttributeValue"))?;
            let mut s = ObjectSummary {
                class: String::new(),
                label: String::new(),
                id: Vec::new(),
            };
            for a in attrs {
                match a {
                    Attribute::Class(c) => s.class = c.to_string(),
                    Attribute::Label(l) => s.label = String::from_utf8_lossy(&l).into_owned(),
                    Attribute::Id(id) => s.id = id,
                    _ => {}
                }
            }
            out.push(s);
        }
        Ok(out)
    }

    /// The one object of type `wanted` that `uri` names (its label and id; the token must be
    /// this one).
    ///
    /// # Errors
    /// [`Pkcs11Error::TokenNotPresent`] if the URI names another token,
    /// [`Pkcs11Error::ObjectNotFound`] listing what is there, [`Pkcs11Error::AmbiguousObject`],
    /// [`Pkcs11Error::Token`].
    pub(crate) fn find(&self, uri: &Pkcs11Uri, wanted: ObjectType) -> Result<ObjectHandle> {
        if let Some(other) = uri.token().filter(|t| *t != self.label) {
            return Err(Pkcs11Error::TokenNotPresent {
                label: other.to_owned(),
                present: vec![self.label.clone()],
            });
        }
        let mut template = vec![Attribute::Class(class_of(wanted))];
        if let Some(label) = uri.object() {
            template.push(Attribute::Label(label.as_bytes().to_vec()));
        }
        if let Some(id) = uri.id() {
            template.push(Attribute::Id(id.to_vec()));
        }
        let found = self
            .session()
            .find_objects(&template)
            .map_err(Pkcs11Error::token("C_FindObjects"))?;
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(Pkcs11Error::ObjectNotFound {
                uri: uri.to_string(),
                wanted,
                token: self.label.clone(),
                present: self.objects()?,
            }),
            many => Err(Pkcs11Error::AmbiguousObject {
                uri: uri.to_string(),
                count: many.len(),
            }),
        }
    }

    /// The attributes of `object` (only those asked for; never call this for `CKA_VALUE` of
    /// a key).
    pub(crate) fn attributes(
        &self,
        object: ObjectHandle,
        types: &[AttributeType],
    ) -> Result<Vec<Attribute>> {
        self.session()
            .get_attributes(object, types)
            .map_err(Pkcs11Error::token("C_GetAttributeValue"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_failures_map_to_their_own_errors() {
        let e = |rv, flags| login_error("t", rv, Some(flags));
        assert!(matches!(
            e(RvError::PinIncorrect, (false, false, false)),
            Pkcs11Error::WrongPin {
                tries: PinTries::Unknown,
                ..
            }
        ));
        assert!(matches!(
            e(RvError::PinIncorrect, (false, false, true)),
            Pkcs11Error::WrongPin {
                tries: PinTries::Low,
                ..
            }
        ));
        assert!(matches!(
            e(RvError::PinIncorrect, (false, true, true)),
            Pkcs11Error::WrongPin {
                tries: PinTries::FinalTry,
                ..
            }
        ));
        // The try that locked it.
        assert!(matches!(
            e(RvError::PinIncorrect, (true, false, false)),
            Pkcs11Error::PinLocked { .. }
        ));
        assert!(matches!(
            login_error("t", RvError::PinLocked, None),
            Pkcs11Error::PinLocked { .. }
        ));
        assert!(matches!(
            login_error("t", RvError::DeviceError, None),
            Pkcs11Error::Token {
                operation: "C_Login",
                ..
            }
        ));
        let locked = login_error("t", RvError::PinLocked, None);
        let wrong = e(RvError::PinIncorrect, (false, true, true));
        assert_ne!(locked.exit_code(), wrong.exit_code());
        assert!(wrong.to_string().contains("one try left"), "{wrong}");
    }
}
