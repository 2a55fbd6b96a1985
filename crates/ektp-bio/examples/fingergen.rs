//! Writes synthetic fingerprint impressions as 500 ppi PNGs and prints what MINDTCT finds.
//!
//! ```text
//! cargo run --release -p ektp-bio --features synth --example fingergen -- SEED IMPRESSION OUT.png
//! ```

use ektp_bio::FingerPosition;
use ektp_bio::extract::extract_ungated;
use ektp_bio::synth::SyntheticFinger;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [seed, n, out] = args.as_slice() else {
        return Err("usage: fingergen SEED IMPRESSION OUT.png".into());
    };
    let finger = SyntheticFinger::new(seed.parse()?);
    let image = finger.impression(n.parse()?);
    let record = extract_ungated(&image, FingerPosition::Unknown)?;
    let png = image.to_png()?;
    std::fs::write(out, &png)?;
    println!(
        "{out}: {:?}, {} bytes, {} minutiae, quality {}",
        finger.class(),
        png.len(),
        record.minutiae().len(),
        record.quality()
    );
    Ok(())
}
