use super::*;

#[test]
fn no_card_says_insert_a_card() {
    let e = ektp::Error::from(TransportError::from(PcscError::NoCard {
        reader: "Virtual PCD 00 00".into(),
    }));
    let e = anyhow::Error::new(e).context("cannot read the card");
    let line = message(&e);
    assert_eq!(
        line,
        "cannot read the card: no card in reader Virtual PCD 00 00: insert a card (or give --wait SECONDS)"
    );
    assert_eq!(Fail::from_anyhow(e).kind, Kind::Card);
}

#[test]
fn no_service_is_a_card_error_saying_start_pcscd() {
    let e = anyhow::Error::new(PcscError::NoService);
    assert_eq!(message(&e), "PC/SC service not running: start pcscd");
    assert_eq!(Fail::from_anyhow(e).kind, Kind::Card);
}

#[test]
fn a_malformed_card_answer_says_to_reinsert() {
    let e = anyhow::Error::new(ektp::Error::Malformed {
        what: "lifecycle byte",
    });
    let line = message(&e);
    assert!(
        line.starts_with("malformed card answer: lifecycle byte: "),
        "{line}"
    );
    assert!(line.contains("reinsert the card"), "{line}");
    assert_eq!(Fail::from_anyhow(e).kind, Kind::Card);
}

#[test]
fn a_malformed_revocation_list_is_a_file_error_not_a_card_error() {
    let e = ektp::RevocationList::parse("IDA000001\nnot a number\n").unwrap_err();
    let e = anyhow::Error::new(e).context("cannot load the revocation list revoked.txt");
    let line = message(&e);
    assert!(line.contains("line 2"), "{line}");
    assert!(!line.contains("card"), "{line}");
    assert_eq!(Fail::from_anyhow(e).kind, Kind::Config);
}

#[test]
fn wrong_can_has_its_own_line() {
    let e = anyhow::Error::new(ektp::Error::WrongCan).context("PACE");
    assert_eq!(
        message(&e),
        "wrong CAN: check the 6 digits printed on the card"
    );
}

#[test]
fn repeated_text_is_not_printed_twice() {
    let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
    let e = anyhow::Error::new(io).context("cannot read x.pem: gone");
    assert_eq!(message(&e), "cannot read x.pem: gone");
    assert_eq!(Fail::from_anyhow(e).kind, Kind::Config);
}

#[test]
fn json_errors_name_kind_message_and_exit() {
    let f = Fail::card(PcscError::NoService);
    let v = f.json(&message(&f.error));
    assert_eq!(
        v.to_string(),
        r#"{"error":{"exit":3,"kind":"card","message":"PC/SC service not running: start pcscd"}}"#
    );
}

#[test]
fn toml_errors_keep_their_lines() {
    let e = toml::from_str::<toml::Value>("reader = \"x\n").unwrap_err();
    let e = anyhow::Error::new(e).context("config file x.toml is not valid");
    let m = message(&e);
    assert!(
        m.starts_with("config file x.toml is not valid:\n  TOML parse error at line 1"),
        "{m}"
    );
    assert!(m.lines().count() > 2, "{m}");
}

/// The CLI's table and the PKCS#11 crate's codes must not drift apart.
#[test]
fn token_errors_keep_the_documented_codes() {
    use ektp_pkcs11::Pkcs11Error as E;
    let cases = [
        (
            E::ModuleNotFound {
                path: "/nope.so".into(),
            },
            PKCS11_MODULE,
        ),
        (E::NoTokenInUri, TOKEN_NOT_PRESENT),
        (E::PinInvalid, PKCS11_INPUT),
    ];
    for (e, code) in cases {
        assert_eq!(Fail::token(e).kind.status(), code);
    }
    let e = anyhow::Error::new(E::PinInvalid).context("loading the station");
    assert_eq!(Fail::from_anyhow(e).kind, Kind::Token(PKCS11_INPUT));
    for c in [
        WRONG_PIN,
        PIN_LOCKED,
        KEY_NOT_FOUND,
        KEY_UNSUITABLE,
        TOKEN_FAILED,
    ] {
        assert!((20..=27).contains(&c));
    }
}

#[test]
fn kinds_map_to_documented_codes() {
    assert_eq!(Kind::Failed.code(), ExitCode::from(1));
    assert_eq!(Kind::Usage.code(), ExitCode::from(2));
    assert_eq!(Kind::Card.code(), ExitCode::from(3));
    assert_eq!(Kind::Config.code(), ExitCode::from(4));
    assert_eq!(Kind::Token(22).code(), ExitCode::from(22));
    assert_eq!(batch_status(ektp_station::Status::Complete), 0);
    assert_eq!(batch_status(ektp_station::Status::Incomplete), 1);
    assert_eq!(batch_status(ektp_station::Status::CardTimeout), 3);
}
