//! Decoders never panic on arbitrary or mutated bytes; encoders round-trip arbitrary values.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use ektp_lds::biometric::sniff_image;
use ektp_lds::mrz::Td1;
use ektp_lds::{
    Application, BloodType, CardProfile, Citizenship, CountryCode, Date, Dg1, Dg2, Dg3, Dg7, Dg11,
    Dg12, Dg13, Dg14, Dg15, DgNumber, DocumentDetails, EfCom, FaceImage, IndonesianDetails,
    LdsImage, MaritalStatus, MinutiaeRecord, Nik, PersonalDetails, Religion, RtRw, Validity,
};
use proptest::prelude::*;

fn decode_all(b: &[u8]) {
    let _ = EfCom::decode(b);
    let _ = Dg1::decode(b);
    let _ = Dg2::decode(b);
    let _ = Dg3::decode(b);
    let _ = Dg7::decode(b);
    let _ = Dg11::decode(b);
    let _ = Dg12::decode(b);
    let _ = Dg13::decode(b);
    let _ = Dg14::decode(b);
    let _ = Dg15::decode(b);
    let _ = Td1::parse(b);
    let _ = MinutiaeRecord::parse(b);
    let _ = FaceImage::from_record(b, 0);
    let _ = sniff_image(b);
}

/// Valid files of one specimen, as seeds for mutation.
fn seeds() -> &'static Vec<Vec<u8>> {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../cards/specimens/wna/application.json");
        let app = common::from_json_file(p).unwrap();
        let img = LdsImage::from_application(&app).unwrap();
        img.files().into_iter().map(|(_, b)| b.to_vec()).collect()
    })
}

fn text() -> impl Strategy<Value = String> {
    // Any Unicode text without the ICAO separator, as DG11/12/13 store it.
    "[^<]{1,60}"
}

fn date() -> impl Strategy<Value = Date> {
    (1u16..=9999, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..600)) {
        decode_all(&b);
    }

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        let _ = Nik::parse(&s);
        let _ = Date::parse_iso(&s);
        let _ = CardProfile::from_json(&s);
        let _ = Application::from_json_str(&s, &ektp_lds::NoFiles);
    }

    #[test]
    fn mutated_files_never_panic(
        which in 0usize..8,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in any::<usize>(),
    ) {
        let mut b = seeds()[which].clone();
        for (at, v) in edits {
            let n = b.len();
            b[at % n] = v;
        }
        decode_all(&b);
        let n = b.len();
        b.truncate(cut % (n + 1));
        decode_all(&b);
    }

    #[test]
    fn ef_com_round_trips(mask in 1u16..) {
        let dgs: Vec<DgNumber> = (1..=16u8)
            .filter(|n| mask & (1 << (n - 1)) != 0)
            .map(|n| DgNumber::new(n).unwrap())
            .collect();
        let com = EfCom::new(&dgs);
        prop_assert_eq!(EfCom::decode(com.as_bytes()).unwrap(), com);
    }

    #[test]
    fn td1_round_trips(
        doc in "[A-Z0-9<]{9}",
        opt1 in "[A-Z0-9<]{15}",
        opt2 in "[A-Z0-9<]{11}",
        name in "[A-Z<]{30}",
        dob in "[0-9]{6}",
        exp in "[0-9]{6}",
        sex in prop_oneof![Just(b'M'), Just(b'F'), Just(b'<')],
    ) {
        let td1 = Td1 {
            document_code: *b"ID",
            issuing_state: *b"IDN",
            document_number: doc.as_bytes().try_into().unwrap(),
            optional_data_1: opt1.as_bytes().try_into().unwrap(),
            date_of_birth: dob.as_bytes().try_into().unwrap(),
            sex,
            date_of_expiry: exp.as_bytes().try_into().unwrap(),
            nationality: *b"IDN",
            optional_data_2: opt2.as_bytes().try_into().unwrap(),
            name: name.as_bytes().try_into().unwrap(),
        };
        let dg = Dg1::new(td1.clone());
        let back = Dg1::decode(dg.as_bytes()).unwrap();
        prop_assert_eq!(back.mrz(), &td1);
    }

    #[test]
    fn dg11_dg12_round_trip(
        name in "[A-Z]{1,10}( [A-Z]{1,10}){0,5}",
        pob in text(), street in text(), kab in text(), prov in text(), prof in text(),
        authority in text(), dob in date(), issued in date(),
    ) {
        let d = PersonalDetails {
            name,
            nik: Nik::parse("3273011708850001").unwrap(),
            date_of_birth: dob,
            place_of_birth: pob,
            street,
            kabupaten_kota: kab,
            provinsi: prov,
            profession: prof,
        };
        let dg = Dg11::new(d.clone());
        let back = Dg11::decode(dg.as_bytes()).unwrap();
        prop_assert_eq!(back.details(), &d);
        let d12 = DocumentDetails { issuing_authority: authority, date_of_issue: issued };
        let dg = Dg12::new(d12.clone());
        let back = Dg12::decode(dg.as_bytes()).unwrap();
        prop_assert_eq!(back.details(), &d12);
    }

    #[test]
    fn dg13_round_trips(
        rt in 1u16..=999, rw in 1u16..=999, kel in text(), kec in text(),
        religion in proptest::sample::select(Religion::ALL),
        marital in proptest::sample::select(MaritalStatus::ALL),
        blood in proptest::sample::select(&["-", "A", "B+", "AB-", "O", "O+"][..]),
        nationality in proptest::option::of("[A-HJ-Z]{3}"),
        until in proptest::option::of(date()),
    ) {
        let d = IndonesianDetails {
            rt: RtRw::new(rt).unwrap(),
            rw: RtRw::new(rw).unwrap(),
            kelurahan_desa: kel,
            kecamatan: kec,
            religion,
            marital_status: marital,
            blood_type: BloodType::parse(blood).unwrap(),
            citizenship: nationality
                .map_or(Citizenship::Wni, |n| Citizenship::Wna(CountryCode::parse(&n).unwrap())),
            validity: until.map_or(Validity::Lifetime, Validity::Until),
        };
        let dg = Dg13::new(d.clone());
        let back = Dg13::decode(dg.as_bytes()).unwrap();
        prop_assert_eq!(back.details(), &d);
    }
}
