//! The terminal side of Terminal Authentication (BSI TR-03110-1 §3.5), sans I/O. The
//! commands are plain; the caller protects them with the Chip Authentication session.
//!
//! ```text
//! Start::new(chain, CHR, ID_PICC, Comp(PK_PCD)).start()
//!     -> (Step::Certificates, MSE:Set DST)     one DST + PSO:VC pair per certificate
//! Certificates::on_response(9000)              -> (Step::Certificates, PSO:VC / next DST)
//!                                               | (Step::SetAt, MSE:Set AT)
//! AwaitMseSetAt::on_response(9000)             -> (AwaitChallenge, GET CHALLENGE)
//! AwaitChallenge::on_response(r_PICC, signer)  -> (AwaitExternalAuthenticate, EXTERNAL AUTHENTICATE)
//! AwaitExternalAuthenticate::on_response(9000) -> TerminalAuthenticated
//! ```

use std::collections::VecDeque;

use ektp_iso7816::{CommandApdu, ResponseApdu, StatusWord};

use super::{
    CHALLENGE_LEN, MAX_CHAIN_LEN, MAX_REFERENCE_LEN, TaCertificate, external_authenticate,
    get_challenge, mse_set_at, mse_set_dst, pso_verify_certificate, signed_data,
};
use crate::Error;
use crate::error::EacStep;

/// Whatever holds the terminal's private key (a SAM, a token, a software key in tests): signs
/// with the algorithm of the terminal certificate (id-TA-ECDSA-SHA-256: ECDSA with SHA-256
/// over the message, plain `r ‖ s`).
pub trait TerminalSigner {
    /// Signs `message`.
    ///
    /// # Errors
    /// [`Error::TaSigner`] if the key holder refuses or fails.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error>;
}

fn expect_ok(step: EacStep, resp: &ResponseApdu) -> Result<(), Error> {
    if resp.sw == StatusWord::SUCCESS {
        Ok(())
    } else if resp.sw.sw1() == 0x63 {
        Err(match step {
            EacStep::TaExternalAuthenticate => Error::TaAuthenticationFailed,
            _ => Error::TaCertificateRejected,
        })
    } else {
        Err(Error::EacStatus { step, sw: resp.sw })
    }
}

/// The binding of Terminal Authentication to the session.
#[derive(Debug, Clone)]
struct Binding {
    terminal_chr: Vec<u8>,
    id_picc: Vec<u8>,
    comp_pk_pcd: Vec<u8>,
}

/// A Terminal Authentication run about to start.
#[derive(Debug)]
pub struct Start {
    chain: Vec<TaCertificate>,
    binding: Binding,
}

impl Start {
    /// TA with `chain` (link certificates, DV, terminal: each with its CAR), the terminal
    /// certificate's CHR, ID_PICC and Comp(PK_PCD) of the Chip Authentication key.
    ///
    /// # Errors
    /// [`Error::MechanismMismatch`] for an empty chain, more than [`MAX_CHAIN_LEN`]
    /// certificates or a reference longer than [`MAX_REFERENCE_LEN`].
    pub fn new(
        chain: Vec<TaCertificate>,
        terminal_chr: &[u8],
        id_picc: &[u8],
        comp_pk_pcd: &[u8],
    ) -> Result<Self, Error> {
        if chain.is_empty()
            || chain.len() > MAX_CHAIN_LEN
            || terminal_chr.len() > MAX_REFERENCE_LEN
            || chain.iter().any(|c| c.car.len() > MAX_REFERENCE_LEN)
        {
            return Err(Error::MechanismMismatch);
        }
        Ok(Self {
            chain,
            binding: Binding {
                terminal_chr: terminal_chr.to_vec(),
                id_picc: id_picc.to_vec(),
                comp_pk_pcd: comp_pk_pcd.to_vec(),
            },
        })
    }

    /// MSE:Set DST for the first certificate.
    pub fn start(self) -> (Step, CommandApdu) {
        let mut queue: VecDeque<TaCertificate> = self.chain.into();
        match queue.pop_front() {
            Some(first) => {
                let cmd = mse_set_dst(&first.car);
                (
                    Step::Certificates(Certificates {
                        queue,
                        current: first,
                        dst_sent: true,
                        binding: self.binding,
                    }),
                    cmd,
                )
            }
            None => {
                let cmd = mse_set_at(&self.binding.terminal_chr, &self.binding.comp_pk_pcd);
                (
                    Step::SetAt(AwaitMseSetAt {
                        binding: self.binding,
                    }),
                    cmd,
                )
            }
        }
    }
}

/// Where the run goes next.
#[derive(Debug)]
pub enum Step {
    /// Still sending certificates.
    Certificates(Certificates),
    /// All certificates accepted; MSE:Set AT sent.
    SetAt(AwaitMseSetAt),
}

/// Sending the chain: waiting for the answer to MSE:Set DST or PSO:Verify Certificate.
#[derive(Debug)]
pub struct Certificates {
    queue: VecDeque<TaCertificate>,
    current: TaCertificate,
    dst_sent: bool,
    binding: Binding,
}

impl Certificates {
    /// Consumes the answer and returns the next command.
    ///
    /// # Errors
    /// [`Error::TaCertificateRejected`] if the chip refused a certificate (`63xx`);
    /// [`Error::EacStatus`] for another status word.
    pub fn on_response(self, resp: &ResponseApdu) -> Result<(Step, CommandApdu), Error> {
        if self.dst_sent {
            expect_ok(EacStep::TaMseSetDst, resp)?;
            let cmd = pso_verify_certificate(&self.current.content);
            return Ok((
                Step::Certificates(Self {
                    dst_sent: false,
                    ..self
                }),
                cmd,
            ));
        }
        expect_ok(EacStep::TaVerifyCertificate, resp)?;
        let mut queue = self.queue;
        match queue.pop_front() {
            Some(next) => {
                let cmd = mse_set_dst(&next.car);
                Ok((
                    Step::Certificates(Self {
                        queue,
                        current: next,
                        dst_sent: true,
                        binding: self.binding,
                    }),
                    cmd,
                ))
            }
            None => {
                let cmd = mse_set_at(&self.binding.terminal_chr, &self.binding.comp_pk_pcd);
                Ok((
                    Step::SetAt(AwaitMseSetAt {
                        binding: self.binding,
                    }),
                    cmd,
                ))
            }
        }
    }
}

/// Waiting for the answer to MSE:Set AT.
#[derive(Debug)]
pub struct AwaitMseSetAt {
    binding: Binding,
}

impl AwaitMseSetAt {
    /// Returns GET CHALLENGE.
    ///
    /// # Errors
    /// [`Error::EacStatus`] unless `9000`.
    pub fn on_response(self, resp: &ResponseApdu) -> Result<(AwaitChallenge, CommandApdu), Error> {
        expect_ok(EacStep::TaMseSetAt, resp)?;
        Ok((
            AwaitChallenge {
                binding: self.binding,
            },
            get_challenge(),
        ))
    }
}

/// Waiting for r_PICC.
#[derive(Debug)]
pub struct AwaitChallenge {
    binding: Binding,
}

impl AwaitChallenge {
    /// Signs ID_PICC ‖ r_PICC ‖ Comp(PK_PCD) with `signer`; returns EXTERNAL AUTHENTICATE.
    ///
    /// # Errors
    /// [`Error::EacStatus`]; [`Error::Decode`]-free: a challenge of the wrong length is
    /// [`Error::EacStatus`] with the status word received; [`Error::TaSigner`].
    pub fn on_response(
        self,
        resp: &ResponseApdu,
        signer: &dyn TerminalSigner,
    ) -> Result<(AwaitExternalAuthenticate, CommandApdu), Error> {
        expect_ok(EacStep::TaGetChallenge, resp)?;
        if resp.data.len() != CHALLENGE_LEN {
            return Err(Error::EacStatus {
                step: EacStep::TaGetChallenge,
                sw: StatusWord::WRONG_LENGTH,
            });
        }
        let message = signed_data(&self.binding.id_picc, &resp.data, &self.binding.comp_pk_pcd);
        let signature = signer.sign(&message)?;
        Ok((AwaitExternalAuthenticate, external_authenticate(&signature)))
    }
}

/// Waiting for the answer to EXTERNAL AUTHENTICATE.
#[derive(Debug)]
pub struct AwaitExternalAuthenticate;

impl AwaitExternalAuthenticate {
    /// The chip accepted the signature: the session now has the terminal's rights.
    ///
    /// # Errors
    /// [`Error::TaAuthenticationFailed`] (`63xx`); [`Error::EacStatus`].
    pub fn on_response(self, resp: &ResponseApdu) -> Result<TerminalAuthenticated, Error> {
        expect_ok(EacStep::TaExternalAuthenticate, resp)?;
        Ok(TerminalAuthenticated(()))
    }
}

/// Proof that the chip accepted Terminal Authentication.
#[derive(Debug)]
pub struct TerminalAuthenticated(());
