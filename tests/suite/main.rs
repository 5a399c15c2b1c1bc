//! The integration tests, in one binary: one link instead of one per file.
//!
//! Each file here is a module named by what it tests; `common` is the
//! shared harness (the fixture scheme and workbooks, running the binary,
//! reading back what it wrote). A test is named `FILE::TEST`, so
//! `cargo test --test suite bad_input::` runs one file's tests and
//! `cargo test --test suite -- --ignored libreoffice:: formats::` runs the
//! LibreOffice checks CI runs (.ci/run).

mod common;

mod bad_input;
mod config_errors;
mod continuation;
mod derived_metrics;
mod docs;
mod engine;
mod explain;
mod feedback;
mod formats;
mod fuzz;
mod history;
mod instruments;
mod interrupt;
mod libreoffice;
mod load_from_disk;
mod number_formats;
mod own_terms;
mod print_setup;
mod product_example;
mod properties;
mod provisional_marks;
mod reconcile;
mod roster_filter;
mod schema;
mod scheme_defaults;
mod shared_kpis;
mod streamed_sheets;
mod summary_sheets;
mod units;
mod whatif;
