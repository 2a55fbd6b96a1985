#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod application;
pub mod biometric;
pub mod com;
pub mod date;
pub mod dg;
pub mod dg1;
pub mod dg11;
pub mod dg12;
pub mod dg13;
pub mod dg14;
pub mod dg15;
pub mod dg2;
pub mod dg3;
pub mod dg7;
mod error;
pub mod holder;
pub mod image;
pub mod lifecycle;
pub mod mrz;
pub mod nik;
pub mod profile;
pub mod sex;
mod text;
pub mod wilayah;

pub use application::{
    Application, ApplicationFiles, ApplicationType, FieldError, NoFiles, Problem, ValidationErrors,
};
pub use biometric::{FaceImage, Finger, ImageFormat, MAX_MINUTIAE_RECORD_LEN, MinutiaeRecord};
pub use com::EfCom;
pub use date::Date;
pub use dg::{DgNumber, LdsFile};
pub use dg1::Dg1;
pub use dg2::Dg2;
pub use dg3::Dg3;
pub use dg7::{Dg7, SignatureImage};
pub use dg11::{Dg11, PersonalDetails};
pub use dg12::{Dg12, DocumentDetails};
pub use dg13::{Dg13, IndonesianDetails};
pub use dg14::Dg14;
pub use dg15::Dg15;
pub use error::Error;
pub use holder::{
    Address, BloodGroup, BloodType, Citizenship, CountryCode, DocumentNumber, HolderRecord,
    MaritalStatus, Religion, RtRw, Validity,
};
pub use image::LdsImage;
pub use lifecycle::{Lifecycle, VIRTUAL_CHIP_ATR};
pub use mrz::Td1;
pub use nik::{Nik, NikError};
pub use profile::{CardProfile, Df, FileSpec, ProfileError, ReadAccess, WrongCanThrottle};
pub use sex::Sex;
