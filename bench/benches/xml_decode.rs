//! XML decoding cost by document size and nesting depth: time and peak memory (`max alloc`,
//! from divan's allocation profiler). Lists of documented `Ref` items of 1, 10 and 50 MB grow
//! linearly; nesting of 1k, 10k and 100k levels is refused at the depth limit (default 128) in
//! time proportional to the limit, and read in linear time when the limit is lifted.

use veeam_api::enterprise_manager::models::EntityReferences;

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

use bench::{list, nested};

#[divan::bench(args = [1, 10, 50], sample_count = 5, sample_size = 1)]
fn list_of_refs(bencher: divan::Bencher, megabytes: usize) {
    let document = list(megabytes as f64);
    bencher.counter(divan::counter::BytesCount::new(document.len())).bench(|| {
        let list: EntityReferences = veeam_runtime::xml::from_str(divan::black_box(&document)).unwrap();
        assert!(list.refs.as_ref().is_some_and(|refs| !refs.is_empty()));
        list
    });
}

#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 5, sample_size = 1)]
fn nesting_refused_at_the_limit(bencher: divan::Bencher, depth: usize) {
    let document = nested(depth);
    bencher.bench(|| {
        let error = veeam_runtime::xml::from_str::<EntityReferences>(divan::black_box(&document)).unwrap_err();
        assert!(error.message.contains("deeper than 128"));
        error
    });
}

#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 5, sample_size = 1)]
fn nesting_read_without_a_limit(bencher: divan::Bencher, depth: usize) {
    let document = nested(depth);
    bencher.counter(divan::counter::BytesCount::new(document.len())).bench(|| {
        veeam_runtime::xml::from_str_with_depth::<EntityReferences>(divan::black_box(&document), usize::MAX).unwrap()
    });
}
