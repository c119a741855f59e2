//! The `.tessera` workbook and Tessera's file formats.
#![deny(missing_docs)]
