//! The `folio` binary: everything happens in [`folio::cli`].

fn main() -> std::process::ExitCode {
    folio::cli::run()
}
