//! Chip Authentication and Terminal Authentication: the host state machines against the card
//! state machines, with a stand-in certificate verifier (the real one, over
//! `ektp_pki::cvc`, is exercised by the virtual chip's tests).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use ektp_iso7816::{CommandApdu, Ins, ResponseApdu, StatusWord};
use ektp_sm::ca::{self, CaParams};
use ektp_sm::ta::{self, TaCertificate, card::ChainVerifier, host::TerminalSigner};
use ektp_sm::{CipherSuite, DomainParameters, Error};

fn wire(c: &CommandApdu) -> CommandApdu {
    CommandApdu::parse(&c.to_bytes().unwrap()).unwrap()
}

#[test]
fn chip_authentication_restarts_secure_messaging_on_both_curves() {
    for domain in [
        DomainParameters::NistP256,
        DomainParameters::BrainpoolP256r1,
    ] {
        for cipher in [CipherSuite::Aes128, CipherSuite::Aes256] {
            let params = CaParams { domain, cipher };
            let sk = ca::generate_private_key(domain).unwrap();
            let pk = ca::public_key(domain, &sk).unwrap();
            let card = ca::card::Idle::new(params, None, sk).unwrap();
            let host = ca::host::Start::new(params, pk.as_bytes(), None).unwrap();
            let (host, mse) = host.start();
            let (card, r) = card.on_mse_set_at(&wire(&mse)).unwrap();
            let (host, ga) = host.on_response(&r).unwrap();
            let (mut card_done, r) = card.on_command(&wire(&ga)).unwrap();
            assert_eq!(r.data, vec![0x7C, 0x00]);
            let mut host_done = host.on_response(&r).unwrap();
            assert_eq!(
                host_done.compressed_ephemeral(),
                card_done.compressed_ephemeral()
            );
            // The new sessions agree.
            let cmd = CommandApdu::new(0x00, Ins::ReadBinary, 0x81, 0x00).with_le(4);
            let wrapped = host_done.sm.wrap(&cmd).unwrap();
            let inner = card_done.sm.unwrap_command(&wrapped).unwrap();
            assert_eq!(inner.p1, 0x81);
            let resp = card_done
                .sm
                .wrap_response(ResponseApdu::new(vec![1, 2, 3, 4], StatusWord::SUCCESS))
                .unwrap();
            assert_eq!(host_done.sm.unwrap(&resp).unwrap().data, vec![1, 2, 3, 4]);
        }
    }
}

#[test]
fn chip_authentication_against_another_key_fails_on_the_next_response() {
    let params = CaParams::EKTP_DEFAULT;
    let sk = ca::generate_private_key(params.domain).unwrap();
    let other = ca::generate_private_key(params.domain).unwrap();
    let other_pk = ca::public_key(params.domain, &other).unwrap();
    let card = ca::card::Idle::new(params, None, sk).unwrap();
    let (host, mse) = ca::host::Start::new(params, other_pk.as_bytes(), None)
        .unwrap()
        .start();
    let (card, r) = card.on_mse_set_at(&wire(&mse)).unwrap();
    let (host, ga) = host.on_response(&r).unwrap();
    let (mut card_done, r) = card.on_command(&wire(&ga)).unwrap();
    let mut host_done = host.on_response(&r).unwrap();
    let resp = card_done
        .sm
        .wrap_response(ResponseApdu::status(StatusWord::SUCCESS));
    // The card never unwrapped a command: out of order; either way the host cannot accept.
    let resp = resp.unwrap_or(ResponseApdu::status(StatusWord::SUCCESS));
    assert!(host_done.sm.unwrap(&resp).is_err());
}

/// Accepts certificates whose content is `ok:<chr>`; the "signature" is the message reversed.
#[derive(Debug)]
struct Stub {
    terminal: Option<Vec<u8>>,
}

impl ChainVerifier for Stub {
    fn verify_certificate(&mut self, _selected: &[u8], content: &[u8]) -> Result<(), Error> {
        match content.strip_prefix(b"ok:") {
            Some(chr) => {
                self.terminal = Some(chr.to_vec());
                Ok(())
            }
            None => Err(Error::TaCertificateRejected),
        }
    }
    fn terminal_chr(&self) -> Option<Vec<u8>> {
        self.terminal.clone()
    }
    fn verify_terminal_signature(&self, message: &[u8], signature: &[u8]) -> bool {
        message.iter().rev().copied().collect::<Vec<_>>() == signature
    }
}

struct Reverse;
impl TerminalSigner for Reverse {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(message.iter().rev().copied().collect())
    }
}

fn run_ta(contents: &[&[u8]], signer: &dyn TerminalSigner) -> Result<(), Error> {
    let chain: Vec<TaCertificate> = contents
        .iter()
        .map(|c| TaCertificate {
            car: b"CAR".to_vec(),
            content: c.to_vec(),
        })
        .collect();
    let mut card = ta::card::Certificates::new(Stub { terminal: None }, &[1; 32], &[2; 32]);
    let (mut step, mut cmd) = ta::host::Start::new(chain, b"IS", &[1; 32], &[2; 32])?.start();
    loop {
        match step {
            ta::host::Step::Certificates(h) => {
                let r = if cmd.ins == Ins::PerformSecurityOperation {
                    card.on_verify_certificate(&wire(&cmd))
                } else {
                    card.on_mse_set_dst(&wire(&cmd))
                };
                let (c, r) = r.map_err(|e| e.error)?;
                card = c;
                (step, cmd) = h.on_response(&r)?;
            }
            ta::host::Step::SetAt(h) => {
                let (card, r) = card.on_mse_set_at(&wire(&cmd)).map_err(|e| e.error)?;
                let (h, gc) = h.on_response(&r)?;
                assert_eq!(gc.ins, Ins::GetChallenge);
                let r_picc = [9u8; 8];
                let (h, ea) = h.on_response(
                    &ResponseApdu::new(r_picc.to_vec(), StatusWord::SUCCESS),
                    signer,
                )?;
                let r = match card.on_external_authenticate(&wire(&ea), Some(r_picc)) {
                    Ok((_, r)) => r,
                    Err(e) => e.response,
                };
                h.on_response(&r)?;
                return Ok(());
            }
        }
    }
}

struct Wrong;
impl TerminalSigner for Wrong {
    fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(vec![0; 64])
    }
}

#[test]
fn terminal_authentication_host_and_card_agree() {
    run_ta(&[b"ok:DV", b"ok:IS"], &Reverse).unwrap();
    assert!(matches!(
        run_ta(&[b"ok:DV", b"bad"], &Reverse),
        Err(Error::TaCertificateRejected)
    ));
    assert!(matches!(
        run_ta(&[b"ok:DV", b"ok:IS"], &Wrong),
        Err(Error::TaAuthenticationFailed)
    ));
    // MSE:Set AT naming another terminal than the one verified.
    assert!(matches!(
        run_ta(&[b"ok:OTHER"], &Reverse),
        Err(Error::MechanismMismatch)
    ));
}

#[test]
fn external_authenticate_without_challenge_is_refused() {
    let card = ta::card::Certificates::new(Stub { terminal: None }, &[1; 32], &[2; 32]);
    let (card, _) = card.on_mse_set_dst(&ta::mse_set_dst(b"CAR")).unwrap();
    let (card, _) = card
        .on_verify_certificate(&ta::pso_verify_certificate(b"ok:IS"))
        .unwrap();
    let (card, _) = card
        .on_mse_set_at(&ta::mse_set_at(b"IS", &[2; 32]))
        .unwrap();
    let err = card
        .on_external_authenticate(&ta::external_authenticate(&[0; 64]), None)
        .unwrap_err();
    assert_eq!(err.response.sw, StatusWord::CONDITIONS_NOT_SATISFIED);
}
