//! Where a JSON decode error points: the runtime reads a document once with serde_json and, only
//! on failure, finds the member path by scanning the text up to where the reader stopped. Checked
//! against serde_path_to_error (which tracks the path while reading) on documented payloads and
//! thousands of mutations of them, decoded into the generated models.

use serde::de::DeserializeOwned;
use veeam_api::{backup_for_aws, enterprise_manager};
use veeam_runtime::json;

/// The path serde_path_to_error gives, written as the runtime writes paths (`.` is the document).
fn tracked<T: DeserializeOwned>(document: &str) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_str(document);
    let path = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => error.path().to_string(),
        // Trailing text after the document.
        Ok(_) => return deserializer.end().err().map(|_| String::new()),
    };
    Some(if path == "." { String::new() } else { path })
}

/// A small deterministic generator (xorshift): a number below `bound` per call.
fn xorshift(mut state: u64) -> impl FnMut(usize) -> usize {
    move |bound| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    }
}

fn without_last_index(path: &str) -> &str {
    match path.strip_suffix(']').and_then(|rest| rest.rsplit_once('[')) {
        Some((list, index)) if index.bytes().all(|b| b.is_ascii_digit()) => list,
        _ => path,
    }
}

/// Mutates `document` (deletions, insertions of values and punctuation) `runs` times and compares
/// the two paths; returns how many mutations failed to decode.
fn compare<T: DeserializeOwned>(document: &str, runs: usize, seed: u64) -> usize {
    let mut next = xorshift(seed);
    let pieces = ["1", "\"x\"", "null", "true", "[]", "{}", "[1, {\"a\": 2}]", ",", ":", "}", "]", "\"k\": 3, "];
    let original: Vec<char> = document.chars().collect();
    let (mut failed, mut opened) = (0, 0);
    for _ in 0..runs {
        let mut text = original.clone();
        let at = next(text.len() + 1);
        if next(2) == 0 {
            text.drain(at..(at + 1 + next(8)).min(text.len()));
        } else {
            text.splice(at..at, pieces[next(pieces.len())].chars()).for_each(drop);
        }
        let text: String = text.into_iter().collect();
        let expected = tracked::<T>(&text);
        let found = json::from_str::<T>(&text).err().map(|error| error.path);
        match (&found, &expected) {
            // serde_path_to_error writes `?` for a member whose name it has not read (a broken
            // key); the scan names the member the reader was in, which is at least as precise.
            (Some(found), Some(expected)) if expected.contains('?') => {
                let known = expected.split('?').next().unwrap_or_default().trim_end_matches('.');
                assert!(found.starts_with(known), "document: {text}\nfound {found}, expected {expected}");
            }
            // An error at a list's bracket or comma: serde_json's position does not always tell
            // whether the reader had stepped into the list or asked for the next item, so the
            // last index may differ or be missing on one side.
            (Some(found), Some(expected))
                if without_last_index(found) == without_last_index(expected)
                    || without_last_index(found) == expected
                    || found == without_last_index(expected) =>
            {
                opened += usize::from(found != expected)
            }
            _ => assert_eq!(found, expected, "document: {text}"),
        }
        failed += usize::from(found.is_some());
    }
    assert!(opened * 50 < runs, "{opened} paths differ in the last index");
    failed
}

#[test]
fn error_paths_match_a_path_tracking_reader() {
    let failed = [
        compare::<backup_for_aws::models::StandardAccountsPage>(
            include_str!("../../spec/backup_for_aws/examples/vbaws-standardaccounts-list.response.json"),
            3000,
            1,
        ),
        compare::<enterprise_manager::models::EntityReferences>(
            include_str!("../../spec/enterprise_manager/examples/em-entityreferences-cloudtenants.resource.json"),
            3000,
            2,
        ),
        compare::<enterprise_manager::models::CreateObjectInJobSpec>(
            include_str!("../../spec/enterprise_manager/examples/em-job-include-create.request.json"),
            3000,
            3,
        ),
        compare::<enterprise_manager::models::BackupServerSpec>(
            include_str!("../../spec/enterprise_manager/examples/em-backupserver-create.request.json"),
            3000,
            4,
        ),
    ];
    // Most mutations break the document somewhere, so the paths were compared on failures.
    assert!(failed.iter().all(|&count| count > 1000), "{failed:?}");
}

#[test]
fn paths_name_the_member_and_the_item() {
    let mut page: serde_json::Value = serde_json::from_str(include_str!(
        "../../spec/backup_for_aws/examples/vbaws-standardaccounts-list.response.json"
    ))
    .unwrap();
    let mut second = page["results"][0].clone();
    second["id"] = 5.into();
    page["results"].as_array_mut().unwrap().push(second);
    let error = json::from_str::<backup_for_aws::models::StandardAccountsPage>(&page.to_string()).unwrap_err();
    assert_eq!(error.path, "results[1].id");
    let error = json::from_str::<backup_for_aws::models::StandardAccountsPage>(r#"{"results": [{}]}"#).unwrap_err();
    assert_eq!(error.path, "results[0]");
    assert!(error.message.starts_with("missing field"), "{}", error.message);
    let error = json::from_str::<backup_for_aws::models::StandardAccountsPage>(r#"{"results": [], "totalCount": 1} x"#)
        .unwrap_err();
    assert_eq!((error.path.as_str(), error.to_string().starts_with(".: trailing characters")), ("", true));
}

#[test]
fn any_text_gets_an_error_with_a_path_and_no_panic() {
    // Random strings over JSON's punctuation, literals and escapes: the scan meets unclosed
    // strings, stray backslashes, lone brackets and multi-line input.
    let alphabet: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\"a\"",
        "\"results\"",
        "1",
        "-",
        "e",
        "true",
        "nul",
        "\n",
        " ",
        "é",
    ];
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let text: String = (0..next(40)).map(|_| alphabet[next(alphabet.len())]).collect();
        if let Err(error) = json::from_str::<backup_for_aws::models::StandardAccountsPage>(&text) {
            assert!(error.path.len() <= text.len() * 4, "{text:?}: {}", error.path);
        }
    }
}
