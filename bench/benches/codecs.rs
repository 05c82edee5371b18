//! Decode throughput of the generated models against the hand-written baselines the performance
//! issue names, on documented payloads repeated to about 1 MB:
//!
//! - JSON: the Backup for AWS `StandardAccountsPage` (documented list of SMTP accounts) read by
//!   the runtime (`json::from_slice`, what the client calls), by serde_json straight into the
//!   generated model, and by serde_json into hand-written `#[derive(Deserialize)]` structs of the
//!   same shape (the baseline);
//! - XML: the Enterprise Manager `EntityReferences` (documented `Ref`s with two links) read by the
//!   runtime's reader and by quick-xml's serde layer into hand-written structs (the baseline).

use bench::{accounts_page, hand_written};
use veeam_api::backup_for_aws::models::StandardAccountsPage;
use veeam_api::enterprise_manager::models::EntityReferences;

fn main() {
    divan::main();
}

const MEGABYTES: f64 = 1.0;

#[divan::bench(sample_count = 100)]
fn json_runtime(bencher: divan::Bencher) {
    let document = accounts_page(MEGABYTES);
    bencher.counter(divan::counter::BytesCount::new(document.len())).bench(|| {
        let page: StandardAccountsPage =
            veeam_runtime::json::from_slice(divan::black_box(document.as_bytes())).unwrap();
        page
    });
}

#[divan::bench(sample_count = 100)]
fn json_serde_json_generated_model(bencher: divan::Bencher) {
    let document = accounts_page(MEGABYTES);
    bencher.counter(divan::counter::BytesCount::new(document.len())).bench(|| {
        let page: StandardAccountsPage = serde_json::from_slice(divan::black_box(document.as_bytes())).unwrap();
        page
    });
}

#[divan::bench(sample_count = 100)]
fn json_hand_written_baseline(bencher: divan::Bencher) {
    let document = accounts_page(MEGABYTES);
    bencher.counter(divan::counter::BytesCount::new(document.len())).bench(|| {
        let page: hand_written::Page = serde_json::from_slice(divan::black_box(document.as_bytes())).unwrap();
        page
    });
}

#[divan::bench(sample_count = 100)]
fn xml_runtime(bencher: divan::Bencher) {
    let document = bench::list(MEGABYTES);
    bencher.counter(divan::counter::BytesCount::new(document.len())).bench(|| {
        let list: EntityReferences = veeam_runtime::xml::from_str(divan::black_box(&document)).unwrap();
        list
    });
}

#[divan::bench(sample_count = 100)]
fn xml_quick_xml_serde_baseline(bencher: divan::Bencher) {
    let document = bench::list(MEGABYTES);
    bencher.counter(divan::counter::BytesCount::new(document.len())).bench(|| {
        let list: hand_written::XmlEntityReferences = quick_xml::de::from_str(divan::black_box(&document)).unwrap();
        list
    });
}

/// The documents decode to the same content either way (checked once, outside the timing).
#[divan::bench(sample_count = 1)]
fn same_content() {
    let document = accounts_page(0.01);
    let ours: StandardAccountsPage = veeam_runtime::json::from_slice(document.as_bytes()).unwrap();
    let theirs: hand_written::Page = serde_json::from_slice(document.as_bytes()).unwrap();
    assert_eq!(ours.results.len(), theirs.results.len());
    assert_eq!(ours.results[0].name, theirs.results[0].name);
    let document = bench::list(0.01);
    let ours: EntityReferences = veeam_runtime::xml::from_str(&document).unwrap();
    let theirs: hand_written::XmlEntityReferences = quick_xml::de::from_str(&document).unwrap();
    let refs = ours.refs.unwrap_or_default();
    assert_eq!(refs.len(), theirs.refs.len());
    assert_eq!(refs[0].name, theirs.refs[0].name);
    assert_eq!(refs[0].links.as_ref().map(Vec::len), theirs.refs[0].links.as_ref().map(|l| l.link.len()));
}
