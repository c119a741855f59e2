//! The commands the window invokes. Each is thin: take the request, call the workbook, map the error.
//! Every command listed here must also be in `build.rs` (`COMMANDS`) and granted in `capabilities/default.json`.

pub mod compare;
pub mod editing;
pub mod explore;
pub mod export;
pub mod files;
pub mod optimize;
pub mod scenarios;
pub mod start;
pub mod teams;
pub mod workbook;
