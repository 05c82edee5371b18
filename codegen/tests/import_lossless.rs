//! Import loses nothing without saying so: `allOf` with members of its own, unions whose parent
//! has members, documents split across files, out-of-range numbers, query strings in path keys,
//! API names, notes beside errors; and, over every imported document, each property of each
//! schema is a member of the spec or is named by a note.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::import::{self, FileOptions, Holder, ImportError, Imported};
use serde_json::Value as Json;

fn import_yaml(text: &str) -> Imported {
    import::import(text, "doc.yaml", "api").unwrap_or_else(|e| panic!("{e}"))
}

/// The spec's schemas (`schemas.yaml`) and operations as JSON trees.
fn spec(imported: &Imported, file: &str, section: &str) -> Json {
    let text = imported.files.get(file).map(String::as_str).unwrap_or("{}");
    let value: Json = serde_yaml::from_str(text).unwrap();
    value.get(section).cloned().unwrap_or(Json::Null)
}

fn field_names(schemas: &Json, schema: &str) -> Vec<String> {
    schemas[schema]["fields"].as_object().map(|f| f.keys().cloned().collect()).unwrap_or_default()
}

fn notes(imported: &Imported) -> Vec<String> {
    imported.notes.iter().map(ToString::to_string).collect()
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

#[test]
fn all_of_keeps_the_members_beside_its_parts() {
    let imported = import_yaml(&format!(
        "{HEAD}components:
  schemas:
    Base:
      type: object
      required: [id]
      properties:
        id: {{type: string}}
        kind: {{type: string}}
    Network:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            driver: {{type: string}}
        - required: [kind]
      properties:
        containers: {{type: object, additionalProperties: {{type: string}}}}
        status: {{type: string}}
      required: [status]
    Single:
      allOf:
        - $ref: '#/components/schemas/Base'
      properties:
        extra: {{type: integer}}
"
    ));
    let schemas = spec(&imported, "schemas.yaml", "schemas");
    assert_eq!(field_names(&schemas, "Network"), ["id", "kind", "driver", "containers", "status"]);
    for (field, required) in [("id", true), ("kind", true), ("driver", false), ("status", true)] {
        assert_eq!(schemas["Network"]["fields"][field]["required"].as_bool().unwrap_or(false), required, "{field}");
    }
    // One `$ref` part with members beside it is an object, not an alias that drops them.
    assert_eq!(schemas["Single"]["kind"], "object");
    assert_eq!(field_names(&schemas, "Single"), ["id", "kind", "extra"]);
}

#[test]
fn a_member_declared_twice_is_one_member_or_a_clear_refusal() {
    // Narrowed: a `string` and an enum of strings is the enum, with a note.
    let imported = import_yaml(&format!(
        "{HEAD}components:
  schemas:
    Base:
      properties:
        object: {{type: string}}
        note: {{type: string}}
    Letter:
      allOf:
        - $ref: '#/components/schemas/Base'
        - properties:
            object: {{type: string, enum: [letter]}}
            note: {{description: Said again, only annotated.}}
"
    ));
    let schemas = spec(&imported, "schemas.yaml", "schemas");
    assert_eq!(schemas["Letter"]["fields"]["object"]["type"], "LetterObject");
    assert_eq!(schemas["Letter"]["fields"]["note"]["type"], "string");
    assert!(
        notes(&imported).iter().any(|n| n.starts_with("#/components/schemas/Letter/allOf/1/properties/object:")
            && n.contains("the narrower `LetterObject` is kept")),
        "{:#?}",
        imported.notes
    );
    // Two types that cannot both hold: refused, naming both places, with the run's notes.
    let error = import::import(
        &format!(
            "{HEAD}components:
  schemas:
    A:
      properties:
        size: {{type: integer}}
    B:
      allOf:
        - $ref: '#/components/schemas/A'
        - properties:
            size: {{type: object, properties: {{width: {{type: integer}}}}}}
    C:
      not: {{type: string}}
"
        ),
        "doc.yaml",
        "api",
    )
    .unwrap_err();
    let ImportError::Unmappable { errors, notes } = &error else { panic!("{error}") };
    assert_eq!(errors.len(), 1, "{error}");
    assert_eq!(errors[0].pointer, "/components/schemas/B/allOf/1/properties/size");
    assert!(errors[0].message.contains("`int64` at #/components/schemas/A/properties/size"), "{error}");
    assert!(notes.iter().any(|n| n.pointer == "/components/schemas/C/not"), "{error}");
    let shown = error.to_string();
    assert!(
        shown.contains("not mapped: #/components/schemas/C/not") && shown.contains("error: #/components/schemas/B")
    );
}

#[test]
fn a_union_with_members_of_its_own_puts_them_on_every_variant() {
    let imported = import_yaml(&format!(
        "{HEAD}components:
  schemas:
    Server:
      type: object
      required: [name, type]
      properties:
        name: {{type: string}}
        type: {{type: string}}
      discriminator:
        propertyName: type
        mapping:
          Windows: '#/components/schemas/WindowsServer'
          Linux: '#/components/schemas/LinuxServer'
          Plain: '#/components/schemas/PlainServer'
      oneOf:
        - $ref: '#/components/schemas/WindowsServer'
        - $ref: '#/components/schemas/LinuxServer'
        - $ref: '#/components/schemas/PlainServer'
    WindowsServer:
      allOf:
        - $ref: '#/components/schemas/Server'
        - properties:
            domain: {{type: string}}
    LinuxServer:
      allOf:
        - $ref: '#/components/schemas/Server'
    PlainServer:
      type: object
      properties:
        port: {{type: integer}}
    Pet:
      properties:
        name: {{type: string}}
      anyOf:
        - $ref: '#/components/schemas/Cat'
        - type: string
    Cat:
      properties:
        lives: {{type: integer}}
"
    ));
    let schemas = spec(&imported, "schemas.yaml", "schemas");
    let server = &schemas["Server"];
    assert_eq!(server["kind"], "union");
    assert_eq!(server["discriminator"], "type");
    let variants: Vec<(&str, &str)> = server["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["type"].as_str().unwrap(), v["tag"].as_str().unwrap_or(v["type"].as_str().unwrap())))
        .collect();
    assert_eq!(variants, [("WindowsServer", "Windows"), ("LinuxServer", "Linux"), ("ServerPlainServer", "Plain")]);
    assert_eq!(field_names(&schemas, "WindowsServer"), ["name", "type", "domain"]);
    // `allOf: [$ref Server]` alone is an object with the parent's members, not the union again.
    assert_eq!(schemas["LinuxServer"]["kind"], "object");
    assert_eq!(field_names(&schemas, "LinuxServer"), ["name", "type"]);
    // A variant without them gets a type of its own that has them; the variant keeps its name.
    assert_eq!(field_names(&schemas, "ServerPlainServer"), ["port", "name", "type"]);
    assert_eq!(server["variants"][2]["name"], "PlainServer");
    assert_eq!(field_names(&schemas, "PlainServer"), ["port"], "used elsewhere as it is");
    // A variant that is no object cannot carry them: said.
    assert_eq!(field_names(&schemas, "PetCat"), ["lives", "name"]);
    assert!(
        notes(&imported)
            .iter()
            .any(|n| n.starts_with("#/components/schemas/Pet/properties:") && n.contains("`string`")),
        "{:#?}",
        imported.notes
    );
    assert!(!notes(&imported).iter().any(|n| n.contains("left out") && n.contains("Server")), "{:#?}", imported.notes);
}

#[test]
fn a_document_split_across_files_is_bundled() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi/split/openapi.yaml");
    let imported = import::import_file(&root, "split", None, &FileOptions::default()).unwrap();
    let schemas = spec(&imported, "schemas.yaml", "schemas");
    let operations = spec(&imported, "operations.yaml", "operations");
    // Parameters and responses from other files.
    assert_eq!(operations["listPets"]["parameters"]["limit"]["type"], "LimitValue");
    assert_eq!(operations["listPets"]["responses"]["200"]["schema"], "list<Pet>");
    assert_eq!(operations["getPet"]["parameters"]["petId"]["type"], "int64");
    assert_eq!(operations["getPet"]["errors"]["default"]["schema"], "Error");
    // Two files that refer to each other: each read once, each a type.
    assert_eq!(schemas["Pet"]["fields"]["owner"]["type"], "Owner");
    assert_eq!(schemas["Owner"]["fields"]["pets"]["type"], "list<Pet>");
    // A component that names a file is that file's type, not an alias of a second one.
    assert_eq!(schemas["Error"]["kind"], "object");
    assert!(schemas.get("Error2").is_none());
    // A URL and a file outside the folder: not read, each said once.
    let said = notes(&imported);
    let remote = "#/components/schemas/Licence/properties/remote/$ref";
    let elsewhere = "#/components/schemas/Licence/properties/elsewhere/$ref";
    assert_eq!(said.iter().filter(|n| n.starts_with(remote)).count(), 1, "{said:#?}");
    assert!(said.iter().any(|n| n.starts_with(remote) && n.contains("URLs are not fetched")));
    assert!(said.iter().any(|n| n.starts_with(elsewhere) && n.contains("outside the document's folder")));
    // Asked to, the importer reads outside the folder (here: a file that is not there, said).
    let outside = import::import_file(&root, "split", None, &FileOptions { allow_outside: true }).unwrap();
    assert!(
        notes(&outside).iter().any(|n| n.contains("outside.yaml") && n.contains("cannot be read")),
        "{:#?}",
        outside.notes
    );
}

#[test]
fn notes_on_a_bundled_file_name_the_file() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("root.yaml"),
        format!("{HEAD}components:\n  schemas:\n    A: {{$ref: 'parts/a.yaml'}}\n"),
    )
    .unwrap();
    std::fs::create_dir(folder.path().join("parts")).unwrap();
    std::fs::write(
        folder.path().join("parts/a.yaml"),
        "type: object\nproperties:\n  big: {type: integer, minimum: -9223372036854776000}\n  odd: {not: {}}\n  back: {$ref: '../root.yaml#/components/schemas/A'}\n",
    )
    .unwrap();
    let imported = import::import_file(&folder.path().join("root.yaml"), "api", None, &FileOptions::default()).unwrap();
    let said = notes(&imported);
    assert!(
        said.contains(&"parts/a.yaml#/properties/odd/not: `not` has no equivalent; read as any value".to_owned()),
        "{said:#?}"
    );
    assert!(said.iter().any(|n| n.starts_with("parts/a.yaml#/properties/big/minimum: `-9223372036854776000` does not fit 64 bits")), "{said:#?}");
    let schemas = spec(&imported, "schemas.yaml", "schemas");
    assert_eq!(schemas["A"]["fields"]["back"]["type"], "A");
}

#[test]
fn out_of_range_numbers_are_floats_with_a_note() {
    let imported = import_yaml(&format!(
        "{HEAD}components:\n  schemas:\n    Count:\n      type: integer\n      minimum: -9223372036854776000\n      maximum: 18446744073709551616\n"
    ));
    let said = notes(&imported);
    assert!(said.iter().any(|n| n.starts_with("#/components/schemas/Count/minimum:")), "{said:#?}");
    assert_eq!(spec(&imported, "schemas.yaml", "schemas")["Count"]["type"], "int64");
}

#[test]
fn a_query_string_in_a_path_key_is_sent_with_every_call() {
    let imported = import_yaml(
        "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /responses:
    get:
      operationId: listResponses
      responses: {'200': {description: ok}}
  /responses?beta=true&mode=a%20b:
    get:
      operationId: listBetaResponses
      parameters:
        - {name: beta, in: query, schema: {type: boolean}}
        - {name: limit, in: query, schema: {type: integer}}
      responses: {'200': {description: ok}}
",
    );
    let operations = spec(&imported, "operations.yaml", "operations");
    let beta = &operations["listBetaResponses"];
    assert_eq!(beta["path"], "/responses");
    assert_eq!(beta["parameters"]["beta"]["value"], "true");
    assert_eq!(beta["parameters"]["mode"]["value"], "a b");
    assert_eq!(beta["parameters"]["limit"]["type"], "int64");
    assert_eq!(operations["listResponses"]["path"], "/responses");
    let folder = tempfile::tempdir().unwrap();
    import::write(&imported, &folder.path().join("api")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_api_name_that_is_a_keyword_is_refused_first_with_a_suggestion() {
    for (name, suggestion) in [("box", "box_api"), ("type", "type_api"), ("Backup-Server", "backup_server")] {
        // The document is not even read: garbage gives the same answer.
        let error = import::import("not: [an openapi", "doc.yaml", name).unwrap_err();
        assert!(matches!(error, ImportError::Name(_)), "{name}: {error}");
        assert!(error.to_string().contains(&format!("`{suggestion}`")), "{error}");
    }
}

// ---------------------------------------------------------------------------------------------
// Every property of every schema is in the spec or in a note.

/// Every imported document of the repository: the corpus, Veeam's two documents and the
/// made-up fixtures.
fn documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut documents = Vec::new();
    for folder in ["tests/corpus", "tests/fixtures/openapi"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json" || e == "yaml") {
                documents.push(path);
            }
        }
    }
    documents.push(root.join("../spec/backup_for_aws/import/vbaws-1.0-rev0.swagger.yaml"));
    documents.push(root.join("../spec/backup_and_replication/import/vbr-1.1-rev0.openapi.json"));
    documents.sort();
    documents
}

/// Keys under which a document holds values, not schemas.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const", "x-examples"];

/// The pointer of every property of every schema in `document`: a member of a `properties`
/// object in a place a schema may be (not inside examples, defaults or extensions).
fn property_pointers(document: &Json) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![(document, String::new())];
    while let Some((value, pointer)) = stack.pop() {
        match value {
            Json::Object(object) => {
                for (key, child) in object {
                    if DATA.contains(&key.as_str()) || key.starts_with("x-") {
                        continue;
                    }
                    let child_pointer = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    let is_schema_properties = key == "properties"
                        && child.as_object().is_some_and(|p| !p.is_empty() && p.values().all(Json::is_object));
                    if is_schema_properties {
                        for (name, property) in child.as_object().into_iter().flatten() {
                            let property_pointer =
                                format!("{child_pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
                            found.push(property_pointer.clone());
                            stack.push((property, property_pointer));
                        }
                    } else {
                        stack.push((child, child_pointer));
                    }
                }
            }
            Json::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    stack.push((item, format!("{pointer}/{index}")));
                }
            }
            _ => {}
        }
    }
    found
}

#[test]
fn every_property_of_every_document_is_in_the_spec_or_a_note() {
    let documents = documents();
    assert!(documents.len() >= 17, "{documents:?}");
    let mut missing = Vec::new();
    let mut checked = 0;
    for path in &documents {
        let text = std::fs::read_to_string(path).unwrap();
        let document: Json = match serde_json::from_str(&text) {
            Ok(json) => json,
            Err(_) => serde_yaml::from_str(&text).unwrap(),
        };
        let imported = import::import_file(path, "api", None, &FileOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mapped: BTreeSet<&str> = imported.members.iter().map(|m| m.pointer.as_str()).collect();
        let schemas = spec(&imported, "schemas.yaml", "schemas");
        let operations = spec(&imported, "operations.yaml", "operations");
        // Each member the importer says it mapped is in the spec, under its wire name.
        for member in &imported.members {
            let field = match &member.holder {
                Holder::Schema(schema) => &schemas[schema]["fields"][&member.field],
                Holder::Operation(id) => &operations[id]["parameters"][&member.field],
            };
            let wire = field["json"]["name"].as_str().unwrap_or(&member.field);
            assert!(field.is_object(), "{}: {member:?} is not in the spec", path.display());
            let (at, name) = member.pointer.rsplit_once('/').unwrap();
            if at.ends_with("/properties") {
                assert_eq!(wire, name.replace("~1", "/").replace("~0", "~"), "{}: {member:?}", path.display());
            }
        }
        for pointer in property_pointers(&document) {
            checked += 1;
            // A note on a construct covers what is inside it; one on a whole section
            // (`/components/schemas`) covers nothing.
            let noted = imported.notes.iter().any(|note| {
                note.pointer.matches('/').count() >= 3
                    && pointer.starts_with(&note.pointer)
                    && (pointer.len() == note.pointer.len() || pointer.as_bytes()[note.pointer.len()] == b'/')
            });
            if !mapped.contains(pointer.as_str()) && !noted {
                missing.push(format!("{}: #{pointer}", path.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    assert!(checked > 10_000, "{checked} properties");
    assert!(
        missing.is_empty(),
        "{} of {checked} properties are neither mapped nor noted:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn a_list_of_types_is_a_union_of_those_types() {
    let imported = import_yaml(
        "openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Setting:
      type: object
      properties:
        value: {type: [string, integer, 'null']}
        tags: {type: [array, string], items: {type: string}}
",
    );
    let schemas = spec(&imported, "schemas.yaml", "schemas");
    let value = &schemas["Setting"]["fields"]["value"];
    assert_eq!(value["nullable"], true);
    let union = &schemas[value["type"].as_str().unwrap()];
    assert_eq!(union["kind"], "union");
    let types: Vec<&str> = union["variants"].as_array().unwrap().iter().map(|v| v["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["string", "int64"]);
    let tags = &schemas[schemas["Setting"]["fields"]["tags"]["type"].as_str().unwrap()];
    let types: Vec<&str> = tags["variants"].as_array().unwrap().iter().map(|v| v["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["list<string>", "string"]);
    assert!(!notes(&imported).iter().any(|n| n.contains("several types")), "{:#?}", imported.notes);
    let folder = tempfile::tempdir().unwrap();
    import::write(&imported, &folder.path().join("api")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn api_keys_in_the_query_or_a_cookie_are_mapped() {
    for (place, key) in [("query", "api_key"), ("cookie", "session"), ("header", "X-Key")] {
        let imported = import_yaml(&format!(
            "openapi: 3.0.3
info: {{title: t, version: '1'}}
security: [{{key: []}}]
paths:
  /things:
    get:
      operationId: listThings
      responses: {{'200': {{description: ok}}}}
components:
  securitySchemes:
    key: {{type: apiKey, in: {place}, name: {key}}}
"
        ));
        let api = spec(&imported, "api.yaml", "api");
        assert_eq!(api["auth"]["api_key"][place], key, "{place}");
        assert!(imported.notes.is_empty(), "{place}: {:#?}", imported.notes);
        let folder = tempfile::tempdir().unwrap();
        import::write(&imported, &folder.path().join("api")).unwrap_or_else(|e| panic!("{place}: {e}"));
    }
}

#[test]
fn deep_object_query_parameters_are_sent_member_by_member() {
    let imported = import_yaml(
        "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: filter
          in: query
          style: deepObject
          explode: true
          schema: {type: object, properties: {name: {type: string}, size: {type: integer}}}
        - name: labels
          in: query
          style: deepObject
          schema: {type: object, additionalProperties: {type: string}}
      responses: {'200': {description: ok}}
",
    );
    let operations = spec(&imported, "operations.yaml", "operations");
    let parameters = &operations["listThings"]["parameters"];
    assert_eq!(parameters["filter"]["style"], "deep_object");
    assert_eq!(parameters["labels"]["style"], "deep_object");
    assert_eq!(parameters["labels"]["type"], "map<string>");
    assert!(imported.notes.is_empty(), "{:#?}", imported.notes);
    let folder = tempfile::tempdir().unwrap();
    import::write(&imported, &folder.path().join("api")).unwrap_or_else(|e| panic!("{e}"));
}
