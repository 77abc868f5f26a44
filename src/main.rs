//! The `folio` binary: everything happens in [`folio::cli`].

/// mimalloc instead of the system allocator: a build's threads (rayon, one search index
/// per language) free and allocate much, and glibc's per-thread arenas kept hundreds of
/// megabytes they no longer used on a large book.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    folio::cli::run()
}
