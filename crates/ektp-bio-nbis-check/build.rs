//! Builds NIST's C MINDTCT and BOZORTH3 (NBIS, public domain, as vendored by nbis-rs 0.1.0; see
//! nbis/SOURCE.md) and the two shims that run them the way the stock command-line tools do.

fn main() {
    let mindtct = [
        "log", "line", "contour", "imgutil", "quality", "block", "loop", "mytime", "minutia",
        "link", "matchpat", "binar", "morph", "chaincod", "detect", "dft", "free", "globals",
        "init", "isempty", "remove", "ridges", "shape", "sort", "util", "maps", "xytreps",
        "getmin",
    ];
    let mut b = cc::Build::new();
    for f in mindtct {
        b.file(format!("nbis/mindtct/src/lib/mindtct/{f}.c"));
    }
    b.file("shim/mindtct_shim.c")
        .include("nbis/mindtct/include")
        .flag_if_supported("-w")
        .compile("nbis_mindtct");

    let bozorth = [
        "bozorth3", "bz_alloc", "bz_drvrs", "bz_gbls", "bz_io", "bz_sort",
    ];
    let mut b = cc::Build::new();
    for f in bozorth {
        b.file(format!("nbis/bozorth/src/lib/bozorth3/{f}.c"));
    }
    b.file("shim/bozorth3_fresh.c")
        .file("shim/bozorth_shim.c")
        .include("nbis/bozorth/include")
        .flag_if_supported("-w")
        .compile("nbis_bozorth3");

    println!("cargo:rerun-if-changed=nbis");
    println!("cargo:rerun-if-changed=shim");
}
