#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]

use super::*;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::time::Instant;

/// Plays vpcd's side of the link: the 2-byte big-endian length framing.
fn send(s: &mut TcpStream, payload: &[u8]) {
    let mut frame = u16::try_from(payload.len()).unwrap().to_be_bytes().to_vec();
    frame.extend_from_slice(payload);
    s.write_all(&frame).unwrap();
}

fn recv(s: &mut TcpStream) -> Vec<u8> {
    let mut len = [0u8; 2];
    s.read_exact(&mut len).unwrap();
    let mut buf = vec![0u8; usize::from(u16::from_be_bytes(len))];
    s.read_exact(&mut buf).unwrap();
    buf
}

/// Waits up to 10 s for the virtual card to connect (insert itself).
fn accept(vpcd: &TcpListener) -> Option<TcpStream> {
    vpcd.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok((s, _)) = vpcd.accept() {
            s.set_nonblocking(false).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// Power-up as pcscd does it, then GET DATA `DF01`: the chip's serial.
fn serial_over(s: &mut TcpStream) -> Vec<u8> {
    send(s, &[0x04]);
    assert_eq!(recv(s), ektp_chip::os::CHIP_ATR);
    send(s, &[0x01]);
    send(s, &[0x00, 0xCA, 0xDF, 0x01, 0x00]);
    let r = recv(s);
    assert_eq!(r.len(), 10, "serial and 9000: {r:02X?}");
    assert_eq!(&r[8..], [0x90, 0x00]);
    r
}

#[test]
fn oversized_apdu_drops_the_link_and_the_sim_reconnects() {
    // A fake vpcd (no pcscd): the sim's card connects to it as it would to pcscd's.
    let vpcd = TcpListener::bind("127.0.0.1:0").unwrap();
    let args = SimArgs {
        state: None,
        port: vpcd.local_addr().unwrap().port(),
        fault: None,
        slow: None,
        corrupt_next: false,
        link: None,
        max_apdu: "extended".to_owned(),
        t0: false,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let sim = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let global = Global {
                reader: None,
                json: false,
                verbosity: 0,
                config: crate::config::Config::default(),
            };
            let mut err = Vec::new();
            let code = serve(&args, &global, &stop, &mut err);
            (code.map_err(|f| format!("{f:?}")), err)
        })
    };
    let mut link = accept(&vpcd).expect("the card was inserted");
    let serial = serial_over(&mut link);
    // A PC/SC client sends an extended APDU with Lc = 65535 (65542 bytes): vpcd's u16
    // frame cannot carry it, so vpcd closes the card's socket.
    drop(link);
    let again = accept(&vpcd);
    if again.is_none() {
        stop.store(true, Ordering::Release);
    }
    let mut again = again.expect("the sim reinserted the card after vpcd dropped it");
    assert_eq!(serial_over(&mut again), serial, "the same chip, state kept");
    stop.store(true, Ordering::Release);
    drop(again);
    let (code, err) = sim.join().unwrap();
    let err = String::from_utf8(err).unwrap();
    assert_eq!(code.unwrap(), exit::OK, "{err}");
    assert!(err.contains("dropped the card"), "{err}");
    assert!(err.contains("reinserted"), "{err}");
}

#[test]
fn faults_parse() {
    assert_eq!(
        "remove-after=3".parse::<FaultSpec>().unwrap().0,
        Fault::RemoveAfter(3)
    );
    assert_eq!(
        "pull-before=0".parse::<FaultSpec>().unwrap().0,
        Fault::PullBeforeExecuting(0)
    );
    assert_eq!(
        "pull-after=12".parse::<FaultSpec>().unwrap().0,
        Fault::PullAfterExecuting(12)
    );
    assert!("pull-after".parse::<FaultSpec>().is_err());
    assert!("explode=1".parse::<FaultSpec>().is_err());
    assert!("pull-after=x".parse::<FaultSpec>().is_err());
}
