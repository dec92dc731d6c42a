//! Terraform front end.

use crate::Extraction;

/// Finds the policies of a Terraform file.
pub fn extract(_text: &str, _ex: &mut Extraction) {}
