use super::*;
use clap::Parser;

const NOTHING: ReadRequest = ReadRequest {
    dg1: false,
    portrait: false,
    signature: false,
    dg11: false,
    dg12: false,
    dg13: false,
    security: false,
};

#[derive(Parser)]
struct T {
    #[command(flatten)]
    args: ReadArgs,
}

fn request(argv: &[&str]) -> ReadRequest {
    let mut v = vec!["t", "--can", "123456"];
    v.extend_from_slice(argv);
    request_for(&T::try_parse_from(v).unwrap().args)
}

#[test]
fn only_reads_the_data_groups_holding_the_fields() {
    let r = request(&["--only", "nik,name"]);
    assert_eq!(
        r,
        ReadRequest {
            dg11: true,
            ..NOTHING
        }
    );
    let r = request(&["--only", "address,sex"]);
    assert_eq!(
        r,
        ReadRequest {
            dg1: true,
            dg11: true,
            dg13: true,
            ..NOTHING
        }
    );
    let r = request(&["--only", "date_of_issue", "--photo", "p.jpg"]);
    assert_eq!(
        r,
        ReadRequest {
            dg12: true,
            portrait: true,
            ..NOTHING
        }
    );
    assert_eq!(request(&[]), ReadRequest::HOLDER);
    assert!(T::try_parse_from(["t", "--can", "1", "--only", "shoe_size"]).is_err());
}

#[test]
fn photo_output_is_private() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let dir = std::env::temp_dir().join(format!("ektp-cli-photo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().mode() & 0o777;
    let photo = dir.join("photo.jpg");
    write_image(&photo, b"\xFF\xD8portrait", "portrait", ImageFormat::Jpeg).unwrap();
    assert_eq!(mode(&photo), 0o600, "a portrait is personal data");
    // Replacing a file others could read leaves a private one.
    let signature = dir.join("signature.jpg");
    std::fs::write(&signature, b"old").unwrap();
    std::fs::set_permissions(&signature, std::fs::Permissions::from_mode(0o644)).unwrap();
    write_image(
        &signature,
        b"\xFF\xD8sig",
        "signature image",
        ImageFormat::Jpeg,
    )
    .unwrap();
    assert_eq!(mode(&signature), 0o600);
    assert_eq!(std::fs::read(&signature).unwrap(), b"\xFF\xD8sig");
    std::fs::remove_dir_all(&dir).unwrap();
}
