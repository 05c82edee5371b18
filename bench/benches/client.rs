//! What a generated client call costs over a bare reqwest loop doing the same request by hand,
//! against the same loopback server (127.0.0.1, HTTP/1.1 keep-alive, a fixed documented body):
//! `GET /api/v1/accounts/standard/{id}` of Backup for AWS with its bearer token and
//! `x-api-version` header, the status checked and the body decoded into `StandardAccount`.
//! Each sample is 200 calls on one connection.

use bench::Loopback;

const CALLS: usize = 200;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 50)]
fn generated_client(bencher: divan::Bencher) {
    let loopback = Loopback::start();
    bencher.counter(divan::counter::ItemsCount::new(CALLS)).bench_local(|| loopback.generated_calls(CALLS));
}

#[divan::bench(sample_count = 50)]
fn bare_reqwest_baseline(bencher: divan::Bencher) {
    let loopback = Loopback::start();
    bencher.counter(divan::counter::ItemsCount::new(CALLS)).bench_local(|| loopback.bare_calls(CALLS));
}
