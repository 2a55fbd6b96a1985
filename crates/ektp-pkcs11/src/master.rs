//! The batch personalization master key inside a token: each chip's keys are diversified
//! with the token's `CKM_AES_CMAC` as the PRF of the SP 800-108r1 counter-mode KDF, so the
//! master key never leaves the token.

use core::fmt;
use std::sync::Arc;

use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectHandle};
use ektp_sm::perso::{
    KDF_COUNTERS, LABEL_ENC, LABEL_MAC, MASTER_KEY_LEN, MasterKeySource, PersoKeys, SERIAL_LEN,
    kdf108_block_input,
};
use zeroize::Zeroizing;

use crate::error::{KeyPurpose, Pkcs11Error, Result, Unsuitable};
use crate::token::Token;
use crate::uri::{ObjectType, Pkcs11Uri};

/// AES block (and CMAC) length.
const BLOCK_LEN: usize = 16;

/// A batch master key (AES-256, `CKO_SECRET_KEY`) in a PKCS#11 token. Implements
/// [`MasterKeySource`]: the same keys as `ektp_sm::perso::PersoKeys::diversify` with the
/// same key in a file, computed by the token.
pub struct Pkcs11MasterKey {
    token: Arc<Token>,
    key: ObjectHandle,
    extractable: bool,
}

impl fmt::Debug for Pkcs11MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs11MasterKey")
            .field("token", &self.token.label())
            .field("extractable", &self.extractable)
            .finish_non_exhaustive()
    }
}

impl Pkcs11MasterKey {
    /// The AES-256 secret key `uri` names on `token`.
    ///
    /// # Errors
    /// [`Pkcs11Error::ObjectNotFound`], [`Pkcs11Error::WrongObjectType`],
    /// [`Pkcs11Error::KeyUnsuitable`] (not AES, not 32 bytes, `CKA_SIGN` false),
    /// [`Pkcs11Error::Token`].
    pub fn new(token: Arc<Token>, uri: &Pkcs11Uri) -> Result<Self> {
        let purpose = KeyPurpose::MasterKey;
        if let Some(given) = uri.object_type().filter(|t| *t != ObjectType::SecretKey) {
            return Err(Pkcs11Error::WrongObjectType {
                uri: uri.to_string(),
                given,
                needed: ObjectType::SecretKey,
                purpose,
            });
        }
        let key = token.find(uri, ObjectType::SecretKey)?;
        let unsuitable = |why| Pkcs11Error::KeyUnsuitable {
            uri: uri.to_string(),
            purpose,
            why,
        };
        let (mut key_type, mut len, mut sign, mut extractable) = (None, 0u64, false, true);
        let mut allowed = Vec::new();
        for a in token.attributes(
            key,
            &[
                AttributeType::KeyType,
                AttributeType::ValueLen,
                AttributeType::Sign,
                AttributeType::Extractable,
                AttributeType::AllowedMechanisms,
            ],
        )? {
            match a {
                Attribute::KeyType(t) => key_type = Some(t),
                Attribute::ValueLen(l) => len = l.into(),
                Attribute::Sign(s) => sign = s,
                Attribute::Extractable(e) => extractable = e,
                Attribute::AllowedMechanisms(m) => allowed = m,
                _ => {}
            }
        }
        match key_type {
            Some(t) if t == KeyType::AES => {}
            Some(t) => return Err(unsuitable(Unsuitable::KeyType(t.to_string()))),
            None => return Err(unsuitable(Unsuitable::KeyType("unknown".into()))),
        }
        if usize::try_from(len).ok() != Some(MASTER_KEY_LEN) {
            return Err(unsuitable(Unsuitable::KeyLength(len)));
        }
        if !sign || !(allowed.is_empty() || allowed.contains(&MechanismType::AES_CMAC)) {
            return Err(unsuitable(Unsuitable::NotForSigning));
        }
        Ok(Self {
            token,
            key,
            extractable,
        })
    }

    /// Whether the token would let the key out (`CKA_EXTRACTABLE`). A production master key
    /// should say false.
    pub fn extractable(&self) -> bool {
        self.extractable
    }

    fn kdf108(&self, label: &[u8], serial: &[u8; SERIAL_LEN]) -> Result<Zeroizing<Vec<u8>>> {
        let mut out = Zeroizing::new(Vec::with_capacity(MASTER_KEY_LEN));
        let session = self.token.session();
        for i in KDF_COUNTERS {
            let block = Zeroizing::new(
                session
                    .sign(
                        &Mechanism::AesCMac,
                        self.key,
                        &kdf108_block_input(i, label, serial),
                    )
                    .map_err(Pkcs11Error::token("C_Sign CKM_AES_CMAC"))?,
            );
            if block.len() != BLOCK_LEN {
                return Err(Pkcs11Error::BadTokenOutput {
                    expected: BLOCK_LEN,
                    got: block.len(),
                });
            }
            out.extend_from_slice(&block);
        }
        Ok(out)
    }
}

impl Token {
    /// Generates a batch master key inside the token (`C_GenerateKey`, `CKM_AES_KEY_GEN`,
    /// AES-256): a private token object, sensitive and non-extractable, allowed only to
    /// compute `CKM_AES_CMAC` (`CKA_SIGN`), the PRF [`Pkcs11MasterKey`] diversifies chip keys
    /// with. No one ever sees its value: chips are loaded with keys diversified by the token.
    ///
    /// # Errors
    /// [`Pkcs11Error::Token`] if the token refuses (read-only, full, no AES).
    pub fn generate_master_key(&self, label: &str, id: &[u8]) -> Result<()> {
        // AES-256: MASTER_KEY_LEN (32) bytes.
        let len = cryptoki::types::Ulong::from(std::os::raw::c_ulong::from(32u8));
        let template = [
            Attribute::Token(true),
            Attribute::Label(label.as_bytes().to_vec()),
            Attribute::Id(id.to_vec()),
            Attribute::KeyType(KeyType::AES),
            Attribute::ValueLen(len),
            Attribute::Private(true),
            Attribute::Sensitive(true),
            Attribute::Extractable(false),
            Attribute::Sign(true),
            Attribute::Verify(false),
            Attribute::Encrypt(false),
            Attribute::Decrypt(false),
            Attribute::Wrap(false),
            Attribute::Unwrap(false),
            Attribute::Derive(false),
            Attribute::AllowedMechanisms(vec![MechanismType::AES_CMAC]),
        ];
        self.rw_session()?
            .generate_key(&Mechanism::AesKeyGen, &template)
            .map_err(Pkcs11Error::token("C_GenerateKey CKM_AES_KEY_GEN"))?;
        Ok(())
    }
}

impl MasterKeySource for Pkcs11MasterKey {
    type Error = Pkcs11Error;

    /// `K_enc`, `K_mac` of the chip with `serial`: the token MACs each KDF block.
    fn diversify(&self, serial: &[u8; SERIAL_LEN]) -> Result<PersoKeys> {
        let enc = self.kdf108(LABEL_ENC, serial)?;
        let mac = self.kdf108(LABEL_MAC, serial)?;
        Ok(PersoKeys::from_bytes(&enc, &mac)?)
    }
}
