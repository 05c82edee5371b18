//! Ratios against the baselines on a noisy machine: each round runs the measured code and its
//! baseline one right after the other (alternating which goes first), so a busy moment falls on
//! both; the report gives each side's median and the median of the per-round ratios.
//!
//! ```sh
//! cargo run --release -p bench --example paired -- [ROUNDS] [json|xml|client] [ours|baseline]
//! ```
//!
//! With a side, only that side runs and its median is printed: alternating whole processes
//! (`for i in 1 2 3; do paired 200 client ours; paired 200 client baseline; done`) measures each
//! in a steady state, without the other's code and data evicting its caches between rounds.
//!
//! - JSON: a 1 MB page of documented Backup for AWS accounts, the runtime's reader against
//!   serde_json into hand-written structs;
//! - XML: 1 MB of documented Enterprise Manager references, the runtime's reader against
//!   quick-xml's serde layer into hand-written structs;
//! - client: 200 `GET` calls of the generated client against a bare reqwest loop doing the same
//!   request by hand, one loopback server.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bench::{accounts_page, hand_written, list, Loopback};
use veeam_api::backup_for_aws::models::StandardAccountsPage;
use veeam_api::enterprise_manager::models::EntityReferences;

fn time(run: &mut dyn FnMut()) -> Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Runs both `rounds` times, alternating which goes first; prints medians and the ratio.
fn compare(name: &str, rounds: usize, ours: &mut dyn FnMut(), baseline: &mut dyn FnMut()) {
    if let Some(side) = std::env::args().nth(3) {
        let run: &mut dyn FnMut() = if side == "ours" { ours } else { baseline };
        let times: Vec<f64> = (0..rounds + 3).map(|_| time(run).as_secs_f64()).skip(3).collect();
        println!("| {name}: {side} only | {:.3} ms |", median(times) * 1e3);
        return;
    }
    // Warm up both (allocator, caches, connections).
    for _ in 0..3 {
        ours();
        baseline();
    }
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (x, y) = if round % 2 == 0 {
            let x = time(ours);
            (x, time(baseline))
        } else {
            let y = time(baseline);
            (time(ours), y)
        };
        a.push(x.as_secs_f64());
        b.push(y.as_secs_f64());
        ratios.push(y.as_secs_f64() / x.as_secs_f64());
    }
    println!("| {name} | {:.3} ms | {:.3} ms | {:.2} |", median(a) * 1e3, median(b) * 1e3, median(ratios));
}

fn main() {
    let rounds = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(200);
    let only = std::env::args().nth(2);
    let runs = |pair: &str| only.as_deref().is_none_or(|only| only == pair);
    println!(
        "| pair ({rounds} rounds) | ours (median) | baseline (median) | baseline time / ours (median of rounds) |"
    );
    println!("| --- | --- | --- | --- |");

    let json = accounts_page(1.0);
    if runs("json") {
        compare(
            "JSON 1 MB: runtime / serde_json into hand-written structs",
            rounds,
            &mut || {
                black_box(veeam_runtime::json::from_slice::<StandardAccountsPage>(black_box(json.as_bytes())).unwrap());
            },
            &mut || {
                black_box(serde_json::from_slice::<hand_written::Page>(black_box(json.as_bytes())).unwrap());
            },
        );
    }

    let xml = list(1.0);
    if runs("xml") {
        compare(
            "XML 1 MB: runtime / quick-xml serde into hand-written structs",
            rounds,
            &mut || {
                black_box(veeam_runtime::xml::from_str::<EntityReferences>(black_box(&xml)).unwrap());
            },
            &mut || {
                black_box(quick_xml::de::from_str::<hand_written::XmlEntityReferences>(black_box(&xml)).unwrap());
            },
        );
    }
    if !runs("client") {
        return;
    }

    let loopback = Loopback::start();
    const CALLS: usize = 200;
    compare(
        "200 calls: generated client / bare reqwest loop",
        rounds.div_ceil(4),
        &mut || loopback.generated_calls(CALLS),
        &mut || loopback.bare_calls(CALLS),
    );
}
