//! What a generated client call costs over a bare reqwest loop doing the same request by hand,
//! against the same loopback server (127.0.0.1, HTTP/1.1 keep-alive, a fixed documented body):
//! `GET /api/v1/accounts/standard/{id}` of Backup for AWS with its bearer token and
//! `x-api-version` header, the status checked and the body decoded into `StandardAccount`.
//! Each sample is 200 calls on one connection.

use veeam_api::backup_for_aws::{self, models::StandardAccount};
use veeam_bench::serve;

const CALLS: usize = 200;

fn main() {
    divan::main();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

const ID: &str = "10b074bd-0510-4795-9fdc-d5dce1db66c0";

#[divan::bench(sample_count = 50)]
fn generated_client(bencher: divan::Bencher) {
    let address = serve();
    let runtime = runtime();
    let client = backup_for_aws::Client::builder(format!("http://{address}")).build().unwrap();
    runtime.block_on(client.set_tokens("token", None, None));
    let id: veeam_api::Uuid = ID.parse().unwrap();
    bencher.counter(divan::counter::ItemsCount::new(CALLS)).bench_local(|| {
        runtime.block_on(async {
            for _ in 0..CALLS {
                let account = client.get_standard_account(id).await.unwrap();
                divan::black_box(account);
            }
        })
    });
}

#[divan::bench(sample_count = 50)]
fn bare_reqwest_baseline(bencher: divan::Bencher) {
    let address = serve();
    let runtime = runtime();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let url = format!("http://{address}/api/v1/accounts/standard/{ID}");
    bencher.counter(divan::counter::ItemsCount::new(CALLS)).bench_local(|| {
        runtime.block_on(async {
            for _ in 0..CALLS {
                let response = client
                    .get(&url)
                    .bearer_auth("token")
                    .header("x-api-version", "1.0-rev0")
                    .header("accept", "application/json")
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success());
                let body = response.bytes().await.unwrap();
                let account: StandardAccount = serde_json::from_slice(&body).unwrap();
                divan::black_box(account);
            }
        })
    });
}
