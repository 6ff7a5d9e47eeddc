//! The pages of certificates: the applications ([`applications`], [`form`]) and the certificates with the
//! public register ([`certificate`]), and the words they share ([`views`]).

pub mod applications;
pub mod appraisal;
pub mod certificate;
pub mod form;
pub mod views;
