use super::*;

fn d(s: &str) -> CvDate {
    CvDate::from_yymmdd(s).unwrap()
}

#[test]
fn lifetimes_are_inclusive() {
    assert_eq!(after_months(d("261206"), 3), Some(d("270305")));
    assert_eq!(after_months(d("260131"), 1), Some(d("260227")));
    assert_eq!(after_months(d("260101"), 36), Some(d("281231")));
    assert_eq!(after_days(d("261206"), 7), Some(d("261212")));
    assert_eq!(after_days(d("261206"), 1), Some(d("261206")));
    assert_eq!(after_months(d("270201"), 1), Some(d("270228")));
    assert_eq!(after_months(d("280201"), 1), Some(d("280229")));
    assert_eq!(after_months(d("990101"), 12), Some(d("991231")));
    assert_eq!(after_months(d("990102"), 12), None);
}

#[test]
fn dates_parse_both_forms() {
    assert_eq!(parse_date("2026-12-06").unwrap(), d("261206"));
    assert_eq!(parse_date("261206").unwrap(), d("261206"));
    assert!(parse_date("2026-13-06").is_err());
    assert!(parse_date("20261206").is_err());
    assert!(parse_date("2026/12/06").is_err());
}

#[test]
fn rights_text_matches_the_option() {
    assert_eq!(
        rights_text(AccessRights::READ_DG3.union(AccessRights::READ_DG4)),
        "read-dg3,read-dg4"
    );
    assert_eq!(rights_text(AccessRights::NONE), "none");
    assert_eq!(
        rights_text(AccessRights::from_bits(0b101)),
        "read-dg3,bit-2"
    );
}
