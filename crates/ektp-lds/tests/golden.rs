//! Golden bytes against the ICAO Doc 9303 specimens (see vectors/icao9303/SOURCE.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use ektp_lds::mrz::{Td1, check_digit};
use ektp_lds::{Dg1, DgNumber, EfCom};

fn vector(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/vectors/icao9303/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn check_digits_of_the_specimens() {
    assert_eq!(check_digit(b"D23145890"), Some(b'7'));
    assert_eq!(check_digit(b"740812"), Some(b'2'));
    assert_eq!(check_digit(b"120415"), Some(b'9'));
    assert_eq!(check_digit(b"L898902C3"), Some(b'6'));
    assert_eq!(check_digit(b"ZE184226B<<<<<"), Some(b'1'));
    let td3: Vec<String> = vector("td3-eriksson.txt")
        .lines()
        .map(str::to_owned)
        .collect();
    let l2 = td3[1].as_bytes();
    let composite: Vec<u8> = [&l2[0..10], &l2[13..20], &l2[21..43]].concat();
    assert_eq!(check_digit(&composite), Some(l2[43]));
    assert_eq!(l2[43], b'0');
}

#[test]
fn td1_specimen_encodes_byte_for_byte() {
    let lines: Vec<String> = vector("td1-eriksson.txt")
        .lines()
        .map(str::to_owned)
        .collect();
    let published: Vec<u8> = lines.concat().into_bytes();
    assert_eq!(published.len(), 90);
    let mut name = [b'<'; 30];
    name[..20].copy_from_slice(b"ERIKSSON<<ANNA<MARIA");
    let td1 = Td1 {
        document_code: *b"I<",
        issuing_state: *b"UTO",
        document_number: *b"D23145890",
        optional_data_1: [b'<'; 15],
        date_of_birth: *b"740812",
        sex: b'F',
        date_of_expiry: *b"120415",
        nationality: *b"UTO",
        optional_data_2: [b'<'; 11],
        name,
    };
    assert_eq!(td1.to_bytes().to_vec(), published);
    assert_eq!(td1.lines().to_vec(), lines);
    assert_eq!(Td1::parse(&published).unwrap(), td1);

    // DG1 = 61 5D 5F1F 5A <90 characters>.
    let dg1 = Dg1::new(td1);
    let mut expected = vec![0x61, 0x5D, 0x5F, 0x1F, 0x5A];
    expected.extend_from_slice(&published);
    assert_eq!(dg1.as_bytes(), expected.as_slice());
    assert_eq!(Dg1::decode(&expected).unwrap(), dg1);
}

#[test]
fn ef_com_example_encodes_byte_for_byte() {
    let published = hex::decode(vector("ef-com.hex").trim()).unwrap();
    let dgs = [1, 2, 4, 12].map(|n| DgNumber::new(n).unwrap());
    let com = EfCom::new(&dgs);
    assert_eq!(com.as_bytes(), published.as_slice());
    let back = EfCom::decode(&published).unwrap();
    assert_eq!(back.data_groups(), &dgs);
    assert_eq!(back.lds_version(), b"0107");
    assert_eq!(back.unicode_version(), b"040000");
}
