//! A synthetic fingerprint generator (feature `synth`): test data, specimen images and the
//! benchmark set. Only synthetic people in the repo.
//!
//! The method is the SFinGe family's (Cappelli, Maio, Maltoni), simplified:
//!
//! 1. **Master finger** from a seed: a fingertip outline; a pattern class (loop, whorl or arch)
//!    with its cores and deltas; an orientation field from the zero-pole model of Sherlock and
//!    Monro, `θ(z) = θ₀ + ½ Σ arg(z − coreᵢ) − ½ Σ arg(z − deltaⱼ)` (a smooth arch field when
//!    there are no singular points); one ridge period (8.5–10.5 px, 500 ppi ridge spacing).
//! 2. **Ridge pattern**: a few random seed blobs grown by iterated Gabor filtering along the
//!    local orientation with a saturating gain; where fronts of different phase meet, ridges end
//!    and fork: those are the finger's minutiae.
//! 3. **Impressions** of the master: displacement, rotation, a smooth elastic distortion,
//!    partial contact (a contact ellipse of varying size and place, sometimes cut by a straight
//!    edge), pressure (ridge thickness), contrast and Gaussian noise.
//!
//! Deterministic: the same seed and impression number give the same pixels (on one platform:
//! the standard library's `f32` functions may differ in the last bit between platforms).

use crate::image::GrayImage;

/// Width of a generated impression, pixels (16.3 mm at 500 ppi).
pub const IMAGE_WIDTH: u32 = 320;
/// Height of a generated impression, pixels (20.3 mm at 500 ppi).
pub const IMAGE_HEIGHT: u32 = 400;

const MW: usize = 448;
const MH: usize = 544;
const NB: usize = 32;
const R: usize = 7;
const K: usize = 2 * R + 1;
const ITERATIONS: usize = 26;

/// A point of the master canvas, pixels.
type Point = (f32, f32);

/// SplitMix64: small, fast, and stable across versions (no dependency can change the stream).
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut r = Self(seed ^ 0x6A09_E667_F3BC_C909);
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        // 24 random bits: exact in f32.
        let bits = u32::try_from(self.next() >> 40).unwrap_or(0);
        #[allow(clippy::cast_precision_loss)]
        let v = bits as f32 / 16_777_216.0;
        v
    }

    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }

    fn chance(&mut self, p: f32) -> bool {
        self.unit() < p
    }

    /// Standard normal (Box–Muller).
    fn gauss(&mut self) -> f32 {
        let u1 = self.unit().max(1e-7);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (core::f32::consts::TAU * u2).cos()
    }
}

/// The fingerprint pattern class.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PatternClass {
    /// One core, one delta.
    Loop,
    /// Two cores, two deltas.
    Whorl,
    /// No singular point.
    Arch,
}

/// A master finger: the ridge pattern every impression is taken from.
#[derive(Clone)]
pub struct SyntheticFinger {
    seed: u64,
    class: PatternClass,
    ridges: Vec<f32>,
    centre: (f32, f32),
    axes: (f32, f32),
}

impl core::fmt::Debug for SyntheticFinger {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SyntheticFinger(seed {}, {:?})", self.seed, self.class)
    }
}

#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn idx(x: usize, y: usize) -> usize {
    y.saturating_mul(MW).saturating_add(x)
}

impl SyntheticFinger {
    /// The master finger for `seed`.
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing
    )]
    pub fn new(seed: u64) -> Self {
        use core::f32::consts::PI;
        let mut rng = Rng::new(seed);
        let centre = (MW as f32 / 2.0, MH as f32 / 2.0 + 10.0);
        let axes = (rng.range(140.0, 160.0), rng.range(190.0, 215.0));
        let roll = rng.unit();
        let class = if roll < 0.62 {
            PatternClass::Loop
        } else if roll < 0.93 {
            PatternClass::Whorl
        } else {
            PatternClass::Arch
        };
        let core = (
            centre.0 + rng.range(-30.0, 30.0),
            centre.1 - rng.range(0.0, 60.0),
        );
        let side = if rng.chance(0.5) { 1.0 } else { -1.0 };
        let (cores, deltas): (Vec<Point>, Vec<Point>) = match class {
            PatternClass::Loop => (
                vec![core],
                vec![(
                    core.0 + side * rng.range(70.0, 120.0),
                    core.1 + rng.range(90.0, 140.0),
                )],
            ),
            PatternClass::Whorl => {
                let (dx, dy) = (rng.range(-18.0, 18.0), rng.range(10.0, 25.0));
                (
                    vec![(core.0 - dx, core.1 - dy), (core.0 + dx, core.1 + dy)],
                    vec![
                        (
                            core.0 - rng.range(90.0, 130.0),
                            core.1 + rng.range(90.0, 140.0),
                        ),
                        (
                            core.0 + rng.range(90.0, 130.0),
                            core.1 + rng.range(90.0, 140.0),
                        ),
                    ],
                )
            }
            PatternClass::Arch => (Vec::new(), Vec::new()),
        };
        let tilt = rng.range(-0.15, 0.15);
        let arch_amp = rng.range(0.8, 1.6);
        let arch_y = centre.1 + rng.range(-40.0, 20.0);
        // Orientation bin per pixel, 0..NB over [0, π).
        let mut bins = vec![0u8; MW * MH];
        for y in 0..MH {
            for x in 0..MW {
                let (fx, fy) = (x as f32, y as f32);
                let theta = if class == PatternClass::Arch {
                    let u = (fx - centre.0) / 90.0;
                    let v = ((fy - arch_y) / 160.0).clamp(-1.5, 1.5);
                    let slope = -arch_amp * u * (-u * u).exp() * (1.0 - 0.6 * v);
                    tilt + slope.atan()
                } else {
                    let mut t = tilt;
                    for c in &cores {
                        t += 0.5 * (fy - c.1).atan2(fx - c.0);
                    }
                    for d in &deltas {
                        t -= 0.5 * (fy - d.1).atan2(fx - d.0);
                    }
                    t
                };
                let b = (theta.rem_euclid(PI) / PI * NB as f32).round() as usize % NB;
                bins[idx(x, y)] = b as u8;
            }
        }
        let period = rng.range(8.5, 10.5);
        let kernels = gabor_bank(period);
        // Seeds: small blobs of random sign inside the outline.
        let mut ridges = vec![0f32; MW * MH];
        // Arches grow into long laminar ridges with few defects: seed them more densely.
        let seeds = if class == PatternClass::Arch {
            rng.range(70.0, 100.0)
        } else {
            rng.range(22.0, 34.0)
        } as usize;
        for _ in 0..seeds {
            let a = rng.range(0.0, 2.0 * PI);
            let r = rng.unit().sqrt() * 0.9;
            let sx = (centre.0 + r * axes.0 * a.cos()) as usize;
            let sy = (centre.1 + r * axes.1 * a.sin()) as usize;
            let sign = if rng.chance(0.5) { 1.0 } else { -1.0 };
            for yy in sy.saturating_sub(2)..=(sy + 2).min(MH - 1) {
                for xx in sx.saturating_sub(2)..=(sx + 2).min(MW - 1) {
                    ridges[idx(xx, yy)] = sign;
                }
            }
        }
        // Grow the pattern by iterated oriented filtering, inside the outline (plus a margin so
        // the impressions' edges see ridges).
        let inside: Vec<bool> = (0..MW * MH)
            .map(|i| {
                let (x, y) = ((i % MW) as f32, (i / MW) as f32);
                let (u, v) = (
                    (x - centre.0) / (axes.0 + 12.0),
                    (y - centre.1) / (axes.1 + 12.0),
                );
                u * u + v * v <= 1.0
                    && x as usize >= R
                    && (x as usize) < MW - R
                    && y as usize >= R
                    && (y as usize) < MH - R
            })
            .collect();
        let mut next = vec![0f32; MW * MH];
        for _ in 0..ITERATIONS {
            for y in R..MH - R {
                for x in R..MW - R {
                    let i = idx(x, y);
                    if !inside[i] {
                        continue;
                    }
                    let k = &kernels[usize::from(bins[i])];
                    let mut acc = 0f32;
                    for ky in 0..K {
                        let row = &ridges[idx(x - R, y + ky - R)..idx(x + R + 1, y + ky - R)];
                        let krow = &k[ky * K..(ky + 1) * K];
                        acc += row.iter().zip(krow).map(|(a, b)| a * b).sum::<f32>();
                    }
                    next[i] = (2.0 * acc).clamp(-1.0, 1.0);
                }
            }
            core::mem::swap(&mut ridges, &mut next);
        }
        Self {
            seed,
            class,
            ridges,
            centre,
            axes,
        }
    }

    /// The pattern class.
    pub fn class(&self) -> PatternClass {
        self.class
    }

    /// Impression number `n` of this finger: an [`IMAGE_WIDTH`] × [`IMAGE_HEIGHT`] 500 ppi
    /// image with its own placement, distortion, contact, pressure and noise.
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing
    )]
    pub fn impression(&self, n: u32) -> GrayImage {
        use core::f32::consts::PI;
        let mut rng = Rng::new(
            self.seed
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(u64::from(n).wrapping_mul(0xD1B5_4A32_D192_ED03))
                .wrapping_add(1),
        );
        let (iw, ih) = (IMAGE_WIDTH as usize, IMAGE_HEIGHT as usize);
        let ic = (iw as f32 / 2.0, ih as f32 / 2.0);
        let phi = (rng.gauss() * 6.0).clamp(-15.0, 15.0) * PI / 180.0;
        let (sin, cos) = phi.sin_cos();
        let t = (rng.range(-18.0, 18.0), rng.range(-18.0, 18.0));
        // Elastic distortion: three smooth waves, a few pixels each.
        let waves: Vec<(f32, f32, f32, f32, f32)> = (0..3)
            .map(|_| {
                let dir = rng.range(0.0, 2.0 * PI);
                let k = 2.0 * PI / rng.range(140.0, 280.0);
                (
                    k * dir.cos(),
                    k * dir.sin(),
                    rng.range(0.0, 2.0 * PI),
                    rng.range(-2.5, 2.5),
                    rng.range(-2.5, 2.5),
                )
            })
            .collect();
        // Contact region, in impression coordinates.
        let cc = (ic.0 + rng.range(-14.0, 14.0), ic.1 + rng.range(-10.0, 22.0));
        let ca = (
            self.axes.0 * rng.range(0.8, 0.98),
            self.axes.1 * rng.range(0.8, 0.98),
        );
        let cut = if rng.chance(0.25) {
            let a = rng.range(0.0, 2.0 * PI);
            Some((a.cos(), a.sin(), rng.range(0.45, 0.7) * ca.0))
        } else {
            None
        };
        let pressure = rng.range(-0.3, 0.3);
        let ridge_grey = rng.range(15.0, 70.0);
        let background = rng.range(215.0, 248.0);
        let noise = rng.range(3.0, 10.0);
        let mut pixels = Vec::with_capacity(iw * ih);
        for py in 0..ih {
            for px in 0..iw {
                let (fx, fy) = (px as f32, py as f32);
                // Contact strength, soft at the edge.
                let (u, v) = ((fx - cc.0) / ca.0, (fy - cc.1) / ca.1);
                let r = (u * u + v * v).sqrt();
                let mut contact = ((1.0 - r) * 12.0).clamp(0.0, 1.0);
                if let Some((cx, cy, off)) = cut {
                    let d = (fx - cc.0) * cx + (fy - cc.1) * cy - off;
                    contact *= (-d / 4.0).clamp(0.0, 1.0);
                }
                let mut ink = 0.0;
                if contact > 0.0 {
                    let (dx, dy) = (fx - ic.0, fy - ic.1);
                    let (mut mx, mut my) = (
                        self.centre.0 + t.0 + cos * dx - sin * dy,
                        self.centre.1 + t.1 + sin * dx + cos * dy,
                    );
                    for &(kx, ky, ph, ax, ay) in &waves {
                        let s = (kx * fx + ky * fy + ph).sin();
                        mx += ax * s;
                        my += ay * s;
                    }
                    let ridge = self.sample(mx, my);
                    ink = contact * 0.5 * (1.0 + (2.5 * (ridge + pressure)).tanh());
                }
                // Sensor noise is strongest where the finger touches; a live scanner's background
                // is close to flat.
                let sigma = if contact > 0.0 { noise } else { 0.6 };
                let grey = background - (background - ridge_grey) * ink + sigma * rng.gauss();
                pixels.push(grey.round().clamp(0.0, 255.0) as u8);
            }
        }
        // The size is the constant one above, within every limit.
        GrayImage::new(IMAGE_WIDTH, IMAGE_HEIGHT, pixels).unwrap_or_else(|_| blank())
    }

    /// Bilinear ridge value at a master point, 0 outside.
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing
    )]
    fn sample(&self, x: f32, y: f32) -> f32 {
        if !(x >= 0.0 && y >= 0.0 && x < (MW - 1) as f32 && y < (MH - 1) as f32) {
            return 0.0;
        }
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (ax, ay) = (x - x0 as f32, y - y0 as f32);
        let r = &self.ridges;
        let top = r[idx(x0, y0)] * (1.0 - ax) + r[idx(x0 + 1, y0)] * ax;
        let bottom = r[idx(x0, y0 + 1)] * (1.0 - ax) + r[idx(x0 + 1, y0 + 1)] * ax;
        top * (1.0 - ay) + bottom * ay
    }
}

fn blank() -> GrayImage {
    GrayImage {
        width: IMAGE_WIDTH,
        height: IMAGE_HEIGHT,
        pixels: Vec::new(),
    }
}

/// Impression `n` of finger `seed` (builds the master each time: keep a [`SyntheticFinger`] to
/// take several impressions).
pub fn impression(seed: u64, n: u32) -> GrayImage {
    SyntheticFinger::new(seed).impression(n)
}

/// Gabor kernels for NB ridge orientations: a cosine across the ridge under a Gaussian,
/// zero-mean, scaled so a matching ridge wave of amplitude 1 gives a response of 1.
#[allow(
    clippy::cast_precision_loss,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]
fn gabor_bank(period: f32) -> Vec<Vec<f32>> {
    use core::f32::consts::{PI, TAU};
    let sigma = 0.4 * period;
    (0..NB)
        .map(|b| {
            let theta = b as f32 * PI / NB as f32;
            let (s, c) = theta.sin_cos();
            let mut k: Vec<f32> = Vec::with_capacity(K * K);
            for ky in 0..K {
                for kx in 0..K {
                    let (x, y) = (kx as f32 - R as f32, ky as f32 - R as f32);
                    // Across the ridge (normal to θ).
                    let across = -x * s + y * c;
                    let g = (-(x * x + y * y) / (2.0 * sigma * sigma)).exp();
                    k.push(g * (TAU * across / period).cos());
                }
            }
            let mean = k.iter().sum::<f32>() / (K * K) as f32;
            for v in &mut k {
                *v -= mean;
            }
            // Response to cos(2π·across/period).
            let mut resp = 0.0;
            for ky in 0..K {
                for kx in 0..K {
                    let (x, y) = (kx as f32 - R as f32, ky as f32 - R as f32);
                    let across = -x * s + y * c;
                    resp += k[ky * K + kx] * (TAU * across / period).cos();
                }
            }
            if resp.abs() > f32::EPSILON {
                for v in &mut k {
                    *v /= resp;
                }
            }
            k
        })
        .collect()
}
