//! denialdesk: a worklist for medical-billing claim denial management.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod identity;
pub mod import;
pub mod import_ack;
pub mod import_read;
pub mod import_report;
pub mod import_source;
pub mod ingest;
pub mod keymap;
pub mod letter;
pub mod report;
pub mod small_file;
pub mod store;
pub mod team;
pub mod text;
pub mod tui;
pub mod ui;
