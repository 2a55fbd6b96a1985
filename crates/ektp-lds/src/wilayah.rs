//! Official Indonesian region codes (kode wilayah, Kepmendagri 300.2.2-2138/2025).
//!
//! The tables ship inside the crate (`data/`, MIT licence beside them) as gzipped JSON and are
//! decompressed once, lazily, on first use: the province/regency/district table (~57 KB gz) for
//! NIK checks, the village table (~600 KB gz) only when an address is validated.
//!
//! Codes use the dotted form of the source: `PP` province, `PP.KK` regency/city,
//! `PP.KK.CC` district (kecamatan), `PP.KK.CC.DDDD` village (kelurahan/desa).

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

use crate::Error;

static REGIONS_GZ: &[u8] = include_bytes!("../data/wilayah.json.gz");
static VILLAGES_GZ: &[u8] = include_bytes!("../data/desa.json.gz");

/// Upper bound on a decompressed table (the village table is ~2.6 MB).
const MAX_TABLE_LEN: u64 = 16 * 1024 * 1024;

/// Code → name, ordered by code so that all children of a code are one range.
type Table = BTreeMap<String, String>;

static REGIONS: OnceLock<Option<Table>> = OnceLock::new();
static VILLAGES: OnceLock<Option<Table>> = OnceLock::new();

fn load(gz: &[u8]) -> Option<Table> {
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .take(MAX_TABLE_LEN)
        .read_to_end(&mut json)
        .ok()?;
    serde_json::from_slice(&json).ok()
}

fn regions() -> Result<&'static Table, Error> {
    REGIONS
        .get_or_init(|| load(REGIONS_GZ))
        .as_ref()
        .ok_or(Error::RegionTableUnavailable)
}

fn villages() -> Result<&'static Table, Error> {
    VILLAGES
        .get_or_init(|| load(VILLAGES_GZ))
        .as_ref()
        .ok_or(Error::RegionTableUnavailable)
}

/// The official name of a province (`PP`), regency/city (`PP.KK`) or district (`PP.KK.CC`).
///
/// # Errors
/// [`Error::RegionTableUnavailable`] if the embedded table cannot be decompressed (a build defect).
pub fn region_name(code: &str) -> Result<Option<&'static str>, Error> {
    Ok(regions()?.get(code).map(String::as_str))
}

/// The official name of a village (`PP.KK.CC.DDDD`).
///
/// # Errors
/// [`Error::RegionTableUnavailable`] if the embedded table cannot be decompressed.
pub fn village_name(code: &str) -> Result<Option<&'static str>, Error> {
    Ok(villages()?.get(code).map(String::as_str))
}

/// The district code `PP.KK.CC` for the six digits `PPKKCC` of a NIK, if it is in the table.
///
/// # Errors
/// [`Error::RegionTableUnavailable`] if the embedded table cannot be decompressed.
pub fn district_of_nik_prefix(six_digits: &str) -> Result<Option<String>, Error> {
    let b = six_digits.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
        return Ok(None);
    }
    let code = format!(
        "{}.{}.{}",
        six_digits.get(0..2).unwrap_or_default(),
        six_digits.get(2..4).unwrap_or_default(),
        six_digits.get(4..6).unwrap_or_default()
    );
    Ok(regions()?.contains_key(&code).then_some(code))
}

/// Compares two region names as printed on a card: ASCII case and runs of white space ignored.
pub fn same_name(a: &str, b: &str) -> bool {
    let mut x = a.split_whitespace();
    let mut y = b.split_whitespace();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(q) => {}
            _ => return false,
        }
    }
}

/// Whether a regency/city of this name exists (e.g. "KOTA BANDUNG", "KABUPATEN ACEH SELATAN").
///
/// # Errors
/// [`Error::RegionTableUnavailable`] if the embedded table cannot be decompressed.
pub fn regency_exists(name: &str) -> Result<bool, Error> {
    Ok(regions()?
        .iter()
        .any(|(code, n)| code.len() == 5 && same_name(n, name)))
}

/// Entries whose code starts with `parent` followed by a dot (its children and their
/// descendants), found by one range scan of the ordered table.
fn children<'a>(table: &'a Table, parent: &str) -> impl Iterator<Item = (&'a String, &'a String)> {
    let from = format!("{parent}.");
    // '/' is the character after '.', so this range is exactly the codes starting with "parent.".
    let to = format!("{parent}/");
    table.range(from..to)
}

/// How an address failed to match the official table, from the most specific level.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AddressMismatch {
    /// No province of that name.
    Provinsi,
    /// No regency/city of that name in that province.
    KabupatenKota,
    /// No district of that name in that regency/city.
    Kecamatan,
    /// No village of that name in that district.
    KelurahanDesa,
}

/// Finds the village code `PP.KK.CC.DDDD` whose village, district, regency/city and province
/// names are the given ones, all in one branch of the official table.
///
/// # Errors
/// [`Error::RegionTableUnavailable`] if an embedded table cannot be decompressed.
pub fn find_village(
    provinsi: &str,
    kabupaten_kota: &str,
    kecamatan: &str,
    kelurahan_desa: &str,
) -> Result<Result<String, AddressMismatch>, Error> {
    let regions = regions()?;
    let provinces: Vec<&String> = regions
        .iter()
        .filter(|(c, n)| c.len() == 2 && same_name(n, provinsi))
        .map(|(c, _)| c)
        .collect();
    if provinces.is_empty() {
        return Ok(Err(AddressMismatch::Provinsi));
    }
    let regencies: Vec<&String> = provinces
        .iter()
        .flat_map(|p| children(regions, p))
        .filter(|(c, n)| c.len() == 5 && same_name(n, kabupaten_kota))
        .map(|(c, _)| c)
        .collect();
    if regencies.is_empty() {
        return Ok(Err(AddressMismatch::KabupatenKota));
    }
    let districts: Vec<&String> = regencies
        .iter()
        .flat_map(|r| children(regions, r))
        .filter(|(c, n)| c.len() == 8 && same_name(n, kecamatan))
        .map(|(c, _)| c)
        .collect();
    if districts.is_empty() {
        return Ok(Err(AddressMismatch::Kecamatan));
    }
    let villages = villages()?;
    let mut found: Vec<&String> = districts
        .iter()
        .flat_map(|d| children(villages, d))
        .filter(|(_, n)| same_name(n, kelurahan_desa))
        .map(|(c, _)| c)
        .collect();
    found.sort();
    Ok(found
        .first()
        .map(|c| (*c).clone())
        .ok_or(AddressMismatch::KelurahanDesa))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn readme_examples() {
        assert_eq!(
            region_name("31.71").unwrap(),
            Some("Kota Administrasi Jakarta Pusat")
        );
        assert_eq!(region_name("31.71.01").unwrap(), Some("Gambir"));
        assert_eq!(
            district_of_nik_prefix("317101").unwrap().as_deref(),
            Some("31.71.01")
        );
        assert_eq!(district_of_nik_prefix("317199").unwrap(), None);
        assert_eq!(district_of_nik_prefix("31710a").unwrap(), None);
    }

    #[test]
    fn villages_belong_to_their_district() {
        assert_eq!(
            find_village("JAWA BARAT", "KOTA BANDUNG", "SUKASARI", "GEGERKALONG").unwrap(),
            Ok("32.73.01.1002".to_owned())
        );
        // Gegerkalong exists, but not in Coblong.
        assert_eq!(
            find_village("JAWA BARAT", "KOTA BANDUNG", "COBLONG", "GEGERKALONG").unwrap(),
            Err(AddressMismatch::KelurahanDesa)
        );
        assert_eq!(
            find_village("BALI", "KOTA BANDUNG", "SUKASARI", "GEGERKALONG").unwrap(),
            Err(AddressMismatch::KabupatenKota)
        );
        assert_eq!(
            find_village("NARNIA", "KOTA BANDUNG", "SUKASARI", "GEGERKALONG").unwrap(),
            Err(AddressMismatch::Provinsi)
        );
        assert!(regency_exists("kota  bandung").unwrap());
        assert!(!regency_exists("KOTA ATLANTIS").unwrap());
        assert_eq!(village_name("32.73.01.1002").unwrap(), Some("Gegerkalong"));
    }
}
