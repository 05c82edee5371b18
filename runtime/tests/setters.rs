//! `#[derive(Setters)]`: `new` from the required fields (text by `impl Into`, a boxed field by
//! its value, a required nullable one by its `Option`), `Default` when nothing is required, and
//! a `with_*` setter per optional field.

use veeam_runtime::Setters;

#[derive(Debug, PartialEq, Setters)]
#[setters(into(name, note), skip(parent))]
pub struct Folder {
    pub id: u32,
    pub name: String,
    pub child: Box<Folder2>,
    pub parent: Option<u32>,
    pub note: Option<String>,
    pub size: Option<i64>,
    pub next: Option<Box<Folder2>>,
}

#[derive(Debug, PartialEq, Setters)]
pub struct Folder2 {
    pub size: Option<i64>,
    pub r#type: Option<bool>,
}

#[test]
fn new_takes_the_required_fields_and_setters_the_optional_ones() {
    let folder = Folder::new(7, "docs", Folder2::default(), None)
        .with_note("kept")
        .with_size(3)
        .with_next(Folder2::new().with_type(true));
    assert_eq!(
        folder,
        Folder {
            id: 7,
            name: "docs".to_owned(),
            child: Box::new(Folder2 { size: None, r#type: None }),
            parent: None,
            note: Some("kept".to_owned()),
            size: Some(3),
            next: Some(Box::new(Folder2 { size: None, r#type: Some(true) })),
        }
    );
    assert_eq!(Folder::new(1, String::from("x"), Folder2::new(), Some(2)).parent, Some(2));
}

#[test]
fn nothing_required_means_default_is_new() {
    assert_eq!(Folder2::default(), Folder2::new());
    assert_eq!(Folder2::new().with_size(5).size, Some(5));
}
