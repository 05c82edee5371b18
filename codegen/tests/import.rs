//! OpenAPI import: the imported fixture specs are what the importer makes of the documents
//! today (so the generated crate built from them is current), every construct that cannot be
//! mapped is reported with its JSON pointer, and the synthetic API is deterministic.

use std::path::{Path, PathBuf};

use codegen::import::{self, ImportError, Note};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Public OpenAPI documents of real services, copied into the repository with their sources and
/// licences (`tests/corpus/MANIFEST.tsv`).
fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Veeam's Swagger 2.0 for Backup for AWS, kept beside the spec it is imported into.
fn vbaws_swagger() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/backup_for_aws/import/vbaws-1.0-rev0.swagger.yaml")
}

/// Documents whose imports are kept as fixtures (and so compiled, linted and tested with the
/// workspace): the made-up ones, and a slice of the corpus (Swagger 2.0, OpenAPI 3.1 with
/// unions, binary and multipart bodies).
const DOCUMENTS: [(&str, &str); 7] = [
    ("petstore.yaml", "petstore"),
    // Split across five files, with a cycle between two of them.
    ("split/openapi.yaml", "split"),
    ("everything.json", "everything"),
    ("vbaws-credentials.yaml", "vbaws"),
    ("corpus:gotify.swagger2.json", "gotify"),
    ("corpus:hf-text-generation-inference.openapi.json", "tgi"),
    ("corpus:xero-files.openapi.yaml", "xero"),
    // Veeam Backup & Replication, whole: 23 discriminated unions with members of their own.
];

/// The corpus documents, in name order (the manifest and README beside them left out).
fn corpus_documents() -> Vec<PathBuf> {
    let mut documents: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json" || ext == "yaml"))
        .collect();
    documents.sort();
    documents
}

fn document_path(file: &str) -> PathBuf {
    if let Some(file) = file.strip_prefix("spec:") {
        return Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec").join(file);
    }
    match file.strip_prefix("corpus:") {
        Some(file) => corpus().join(file),
        None => fixtures().join("openapi").join(file),
    }
}

fn import_fixture(file: &str, name: &str) -> import::Imported {
    import::import_file(&document_path(file), name, None, &import::FileOptions::default())
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Every corpus document imports into a spec that resolves (the whole corpus is compiled on
/// demand: README, "Importing OpenAPI documents").
#[test]
fn every_corpus_document_imports_into_a_spec_that_resolves() {
    let mut documents = corpus_documents();
    documents.push(vbaws_swagger());
    assert!(documents.len() >= 13, "{documents:?}");
    let temp = tempfile::tempdir().unwrap();
    for (index, path) in documents.iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap();
        let imported =
            import::import(&text, "doc", &format!("api{index}")).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // Every note once, each with its pointer.
        let mut seen = std::collections::HashSet::new();
        for note in &imported.notes {
            assert!(note.pointer.starts_with('/'), "{}: {note}", path.display());
            assert!(seen.insert(note.to_string()), "{}: repeated {note}", path.display());
        }
        import::write(&imported, &temp.path().join(format!("api{index}")))
            .unwrap_or_else(|e| panic!("{} imports into a spec the resolver rejects:\n{e}", path.display()));
    }
}

#[test]
fn imported_fixture_specs_are_current() {
    for (file, name) in DOCUMENTS {
        let imported = import_fixture(file, name);
        let folder = fixtures().join("imported").join(name);
        // The spec files, and the examples' files in `examples/`.
        let listed = |dir: &Path, prefix: &str| -> Vec<String> {
            std::fs::read_dir(dir)
                .map(|entries| {
                    entries
                        .map(|e| format!("{prefix}{}", e.unwrap().file_name().to_string_lossy()))
                        .filter(|name| !name.ends_with("examples"))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut on_disk = listed(&folder, "");
        on_disk.extend(listed(&folder.join("examples"), "examples/"));
        on_disk.sort();
        let expected: Vec<String> = imported.files.keys().cloned().collect();
        assert_eq!(on_disk, expected, "{name}");
        for (file_name, text) in &imported.files {
            let current = std::fs::read_to_string(folder.join(file_name)).unwrap();
            assert!(
                current == *text,
                "codegen/tests/fixtures/imported/{name}/{file_name} is stale: run\n  cargo xtask import-openapi \
                 {} --name {name} --out codegen/tests/fixtures/imported/{name}\n\
                 then `cargo xtask codegen`",
                document_path(file).display()
            );
        }
    }
}

#[test]
fn the_same_document_as_yaml_or_json_imports_the_same() {
    let yaml = std::fs::read_to_string(fixtures().join("openapi/petstore.yaml")).unwrap();
    let value: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
    let json = serde_json::to_string_pretty(&value).unwrap();
    let from_yaml = import::import(&yaml, "petstore", "petstore").unwrap();
    let from_json = import::import(&json, "petstore", "petstore").unwrap();
    assert_eq!(from_yaml, from_json);
    assert_eq!(from_yaml, import::import(&yaml, "petstore", "petstore").unwrap(), "deterministic");
}

#[test]
fn petstore_maps_api_key_auth_all_of_and_derived_names() {
    let imported = import_fixture("petstore.yaml", "petstore");
    let api = &imported.files["api.yaml"];
    assert!(api.contains("  auth:\n    api_key:\n      header: X-API-Key\n"), "{api}");
    assert!(api.contains("  base_path: /api\n"), "{api}");
    let schemas = &imported.files["schemas.yaml"];
    // allOf [NewPet, {id}] merged: name, tag, then id.
    assert!(schemas.contains("  Pet:\n    kind: object\n    fields:\n      name:\n        type: string\n        required: true\n      tag:\n        type: string\n      id:\n        type: int64\n        required: true\n"), "{schemas}");
    let operations = &imported.files["operations.yaml"];
    assert!(
        operations.contains("  listPets:\n    method: GET\n    path: /pets\n    summary: Returns all pets\n    description: 'The document''s operationId: `findPets`.'\n"),
        "{operations}"
    );
    assert!(operations.contains("      '200':\n        schema: list<Pet>\n"), "{operations}");
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
}

#[test]
fn several_api_keys_are_named_after_their_schemes_and_keys_needed_together_stay_together() {
    let imported = import_fixture("everything.json", "everything");
    let api = &imported.files["api.yaml"];
    let keys = "    api_keys:\n      app_key:\n        header: X-App-Key\n      app_secret:\n        query: secret\n";
    assert!(api.contains(keys), "{api}");
    let operations = &imported.files["operations.yaml"];
    // `[{appKey, appSecret}, {basic}]`: the pair together, or Basic.
    let get = "  getOrder:\n    method: GET\n    path: /orders/{orderId}\n    summary: Gets the order.\n    schemes:\n    - - app_key\n      - app_secret\n    - basic\n";
    assert!(operations.contains(get), "{operations}");
    // `[{appKey, mtls}, {appKey}]`: the way that needs mutual TLS is left out (with a note).
    let delete = "  deleteOrder:\n    method: DELETE\n    path: /orders/{orderId}\n    summary: Deletes the order.\n    schemes:\n    - app_key\n";
    assert!(operations.contains(delete), "{operations}");

    // Gotify: an application token and a client token, each in three places: six keys, and each
    // operation accepts the places of one token (or Basic).
    let gotify = import_fixture("corpus:gotify.swagger2.json", "gotify");
    let api = &gotify.files["api.yaml"];
    for key in [
        "      app_token_authorization_header:\n        header: Authorization\n",
        "      app_token_header:\n        header: X-Gotify-Key\n",
        "      app_token_query:\n        query: token\n",
        "      client_token_authorization_header:\n        header: Authorization\n",
        "      client_token_header:\n        header: X-Gotify-Key\n",
        "      client_token_query:\n        query: token\n",
    ] {
        assert!(api.contains(key), "{key} in {api}");
    }
    let operations = &gotify.files["operations.yaml"];
    let create_application = "  createApp:\n    method: POST\n    path: /application\n    summary: Create an application.\n    schemes:\n    - client_token_authorization_header\n    - client_token_header\n    - client_token_query\n    - basic\n";
    assert!(operations.contains(create_application), "{operations}");
    assert!(!gotify.notes.iter().any(|note| note.to_string().contains("API key")), "{:?}", gotify.notes);
}

#[test]
fn an_inline_enum_with_a_component_enums_values_is_that_enum() {
    let text = std::fs::read_to_string(vbaws_swagger()).unwrap();
    let vbaws = import::import(&text, "backup_for_aws", "backup_for_aws").unwrap();
    let (operations, schemas) = (&vbaws.files["operations.yaml"], &vbaws.files["schemas.yaml"]);
    // `Sort` of `GET /accounts/amazon` had its own `AmazonAccountsGetAllSortItem`.
    let list = &operations[operations.find("  listAmazonAccounts:").unwrap()..];
    let list = &list[..list[3..].find("\n  l").map_or(list.len(), |end| end + 3)];
    assert!(list.contains("type: list<AmazonAccountsSortColumns>"), "{list}");
    assert!(!schemas.contains("AmazonAccountsGetAllSortItem:"), "{schemas}");
    // Twenty of the twenty-one lists' sort enums are the document's own; one has no twin.
    let sort_items = schemas.lines().filter(|line| line.starts_with("  ") && line.ends_with("SortItem:")).count();
    assert_eq!(sort_items, 1, "{schemas}");
}

#[test]
fn paging_is_recognised_in_its_common_shapes() {
    // Backup for AWS: `Offset` and `Limit`, `results` and `totalCount`, on every list.
    let text = std::fs::read_to_string(vbaws_swagger()).unwrap();
    let vbaws = import::import(&text, "backup_for_aws", "backup_for_aws").unwrap();
    let operations = &vbaws.files["operations.yaml"];
    let offset =
        "    paging:\n      offset: Offset\n      size: Limit\n      items: results\n      total: totalCount\n";
    // 25 without the curation overlay; 27 in `spec/backup_for_aws` with it.
    assert_eq!(operations.matches(offset).count(), 25, "{operations}");
    // Lob: `offset`/`limit`, `data` and `total_count`; Veeam Backup & Replication: `skip`, the
    // total one object down; Xero: `page`/`pagesize`, no total.
    let lob = import_fixture("corpus:lob.openapi.yaml", "lob");
    let flat = "    paging:\n      offset: offset\n      size: limit\n      items: data\n      total: total_count\n";
    assert_eq!(lob.files["operations.yaml"].matches(flat).count(), 5, "{}", lob.files["operations.yaml"]);
    let vbr = import_fixture("spec:backup_and_replication/import/vbr-1.1-rev0.openapi.json", "vbr");
    let nested =
        "    paging:\n      offset: skip\n      size: limit\n      items: data\n      total: pagination.total\n";
    assert_eq!(vbr.files["operations.yaml"].matches(nested).count(), 21, "{}", vbr.files["operations.yaml"]);
    let xero = import_fixture("corpus:xero-files.openapi.yaml", "xero");
    let pages = "    paging:\n      page: page\n      size: pagesize\n      items: Items\n";
    assert!(xero.files["operations.yaml"].contains(pages), "{}", xero.files["operations.yaml"]);
    // Gotify pages by a message id (`since`): a cursor, which is not a position.
    let gotify = import_fixture("corpus:gotify.swagger2.json", "gotify");
    assert!(!gotify.files["operations.yaml"].contains("paging:"));
}

#[test]
fn everything_reports_what_it_leaves_out() {
    let imported = import_fixture("everything.json", "everything");
    let notes: Vec<String> = imported.notes.iter().map(Note::to_string).collect();
    assert_eq!(
        notes,
        [
            "#/components/schemas/Order/allOf/1/properties/attributes: field Order.attributes (`map<string>`) is not mapped: the API speaks XML, which has no form for it",
            "#/components/securitySchemes/mtls: only http bearer and basic, OAuth2 tokens and API keys are mapped",
            "#/paths/~1orders~1{orderId}/delete/security/0: needs `mtls`, which is not mapped: this way of authenticating is left out",
            "#/paths/~1orders~1{orderId}/get/parameters/0: cookie parameter `session` is not mapped",
        ]
    );
    let api = &imported.files["api.yaml"];
    assert!(
        api.contains("# - #/paths/~1orders~1{orderId}/get/parameters/0: cookie parameter `session` is not mapped\n"),
        "notes are kept in the file too"
    );
    assert!(api.contains("  xml_namespace: http://everything.example/v2\n"), "{api}");
    assert!(api.contains("  base_path: /v2\n  default_port: 9443\n"), "server variables substituted: {api}");
    let schemas = &imported.files["schemas.yaml"];
    for expected in [
        "      id:\n        type: uuid\n        required: true\n        read_only: true\n        xml:\n          name: Id\n          attribute: true\n",
        "      due:\n        type: date\n        nullable: true\n",
        "      lines:\n        type: list<Line>\n        xml:\n          name: Lines\n          item: Line\n",
        "      tags:\n        type: list<string>\n        xml:\n          name: Tag\n",
        "      owner:\n        type: Party\n",
        "      priority:\n        type: OrderPriority\n",
        "      secret:\n        type: string\n        sensitive: true\n        write_only: true\n",
        "          name: Order\n    xml_name: Orders\n",
        "  Sku:\n    kind: string\n",
        "  Quantities:\n    kind: alias\n    type: list<int64>\n",
    ] {
        assert!(schemas.contains(expected), "missing:\n{expected}\nin:\n{schemas}");
    }
    let operations = &imported.files["operations.yaml"];
    for expected in [
        "  listOrders:\n    method: GET\n    path: /orders\n    summary: List orders\n",
        "      status:\n        in: query\n        type: list<OrderStatus>\n        list_format: csv\n",
        "        headers:\n          X-Total-Count:\n            type: int64\n",
        "  issueToken:\n    method: POST\n    path: /tokens\n    summary: Issues the token.\n    authenticated: false\n",
        "      formats:\n      - form\n",
        // A status class is an error entry of its own.
        "    errors:\n      4XX:\n",
    ] {
        assert!(operations.contains(expected), "missing:\n{expected}\nin:\n{operations}");
    }
}

#[test]
fn synthetic_api_is_deterministic_and_of_the_asked_size() {
    let document = codegen::synth::openapi(50);
    assert_eq!(document, codegen::synth::openapi(50));
    let temp = tempfile::tempdir().unwrap();
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    codegen::synth::spec_folder(&document, temp.path(), &runtime).unwrap();
    let (_, spec) = codegen::load_spec(temp.path()).unwrap();
    let api = &spec.apis[0];
    assert_eq!(api.schemas.len(), 50 + 1, "50 schemas and the error body");
    assert!((90..=110).contains(&api.operations.len()), "about 2N operations: {}", api.operations.len());
    let first = codegen::render(temp.path(), &temp.path().join("out")).unwrap();
    let second = codegen::render(temp.path(), &temp.path().join("out")).unwrap();
    assert_eq!(first, second);
}

#[test]
fn what_has_no_equivalent_is_mapped_near_and_noted_with_its_pointer() {
    let document = r##"
openapi: 3.0.3
info: {title: Near, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Missing"}
        "201":
          description: Created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Shape"}
components:
  schemas:
    Shape:
      oneOf:
        - {$ref: "#/components/schemas/Circle"}
        - {$ref: "#/components/schemas/Square"}
      discriminator:
        propertyName: kind
        mapping: {round: "#/components/schemas/Circle"}
    Circle: {type: object, required: [kind], properties: {kind: {type: string}, r: {type: number}}}
    Square: {type: object, required: [kind], properties: {kind: {type: string}, a: {type: number}}}
    Level:
      oneOf:
        - {enum: [low], description: Barely.}
        - {enum: [high], description: Very.}
    NotAString:
      not: {type: string}
    Bag:
      type: object
      properties:
        items: {type: array}
        user-name: {type: string}
        userName: {type: string}
"##;
    let imported = import::import(document, "near.yaml", "near").unwrap();
    let notes: Vec<String> = imported.notes.iter().map(Note::to_string).collect();
    assert_eq!(
        notes,
        [
            "#/components/schemas/NotAString/not: `not` has no equivalent; read as any value",
            "#/paths/~1things/get/responses/200/content/application~1json/schema/$ref: reference `#/components/schemas/Missing` does not resolve; read as any value",
        ]
    );
    let schemas = &imported.files["schemas.yaml"];
    for expected in [
        "  Shape:\n    kind: union\n    variants:\n    - type: Circle\n      tag: round\n    - type: Square\n    discriminator: kind\n",
        "  Level:\n    kind: enum\n    values:\n    - value: low\n      description: Barely.\n    - value: high\n      description: Very.\n",
        "  NotAString:\n    kind: alias\n    type: any\n",
        "      items:\n        type: list<any>\n",
        "      user-name:\n        type: string\n      user_name_2:\n        type: string\n        json:\n          name: userName\n",
    ] {
        assert!(schemas.contains(expected), "missing:\n{expected}\nin:\n{schemas}");
    }
    let operations = &imported.files["operations.yaml"];
    assert!(operations.contains("      '200':\n        schema: any\n"), "{operations}");
    // And it resolves: the two success bodies make a response enum.
    let temp = tempfile::tempdir().unwrap();
    import::write(&imported, &temp.path().join("near")).unwrap();
}

#[test]
fn swagger_2_imports_natively_and_garbage_is_refused_clearly() {
    let imported = import::import(
        "swagger: '2.0'\ninfo: {title: x, version: '1'}\nhost: example.com\nbasePath: /v2\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: OK, schema: {$ref: '#/definitions/A'}}\ndefinitions:\n  A: {type: object, properties: {n: {type: integer, x-nullable: true}}}\n",
        "old.yaml",
        "old",
    )
    .unwrap();
    assert!(imported.files["api.yaml"].contains("  base_path: /v2\n"), "{:?}", imported.files);
    assert!(imported.files["schemas.yaml"].contains("      n:\n        type: int64\n        nullable: true\n"));
    let error = import::import("swagger: '1.2'\ninfo: {title: x, version: '1'}\n", "old.yaml", "old").unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot read the document: expected an OpenAPI 3.0 or 3.1 or a Swagger 2.0 document, found `swagger: 1.2`"
    );
    assert!(matches!(import::import("{ not yaml", "x", "x"), Err(ImportError::Parse(_))));
}

#[test]
fn an_import_that_would_not_generate_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let document = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {userName: {type: string}}}\n";
    let mut imported = import::import(document, "t.yaml", "t").unwrap();
    // The importer writes only specs that resolve; a broken one (edited here) is refused whole.
    let schemas = imported.files.get_mut("schemas.yaml").unwrap();
    *schemas = schemas.replace("type: string", "type: strng");
    let out = temp.path().join("t");
    let error = import::write(&imported, &out).unwrap_err();
    assert!(error.to_string().contains("unknown type `strng`"), "{error}");
    assert!(!out.exists());
}

/// The document's examples are written beside the spec; an overlay's own example files, already
/// in the folder, are still found when the import is checked, and a second import replaces the
/// spec in place.
#[test]
fn examples_are_written_and_an_overlays_own_example_files_are_found() {
    let temp = tempfile::tempdir().unwrap();
    let document = concat!(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n",
        "paths:\n  /pets:\n    post:\n      operationId: addPet\n",
        "      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}, example: {name: Rex}}}}\n",
        "      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}, example: {name: Rex, legs: 4}}}}\n",
        "components:\n  schemas:\n    Pet: {type: object, required: [name], properties: {name: {type: string}}}\n",
    );
    let out = temp.path().join("pets");
    std::fs::create_dir_all(out.join("examples")).unwrap();
    std::fs::write(out.join("examples/curated.json"), r#"{"name": "Fido"}"#).unwrap();
    let overlay = import::Overlay::parse(
        concat!(
            "operations:\n  createPet:\n    examples:\n",
            "    - { name: Curated, of: request, format: json, file: examples/curated.json }\n",
            "examples:\n  examples/create_pet.200.json: { contradicts: '`legs` is not a member of `Pet`; kept' }\n",
        ),
        "overlay.yaml",
    )
    .unwrap();
    let imported = import::import_with_overlay(document, "pets.yaml", "pets", Some(&overlay)).unwrap();
    let operations = &imported.files["operations.yaml"];
    assert!(operations.contains("file: examples/create_pet.request.json"), "{operations}");
    assert!(operations.contains("contradicts: '`legs` is not a member of `Pet`; kept'"), "{operations}");
    // Found without the overlay too, with a note saying where.
    let plain = import::import(document, "pets.yaml", "pets").unwrap();
    assert!(plain.files["operations.yaml"].contains("contradicts: the body has `legs`, which `Pet` does not"));
    assert!(plain.notes.iter().any(|n| n.message.contains("contradicts its schema")), "{:?}", plain.notes);
    for _ in 0..2 {
        import::write(&imported, &out).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(
        std::fs::read_to_string(out.join("examples/create_pet.request.json")).unwrap(),
        "{\n  \"name\": \"Rex\"\n}\n"
    );
    assert!(out.join("examples/curated.json").exists());
    let leftovers: Vec<_> = std::fs::read_dir(temp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, ["pets"], "no staging folder is left behind");
}

/// Members whose names say they hold a secret are `sensitive` (never shown by `Debug`), whatever
/// their `format`; names of kinds, hints and ids are not.
#[test]
fn members_named_as_secrets_are_sensitive() {
    let names = [
        ("password", true),
        ("rootPassword", true),
        ("refresh_token", true),
        ("secretKey", true),
        ("passphrase", true),
        ("privateKey", true),
        ("sharedKey", true),
        ("secret", true),
        ("token_type", false),
        ("accessKey", false),
        ("passwordHint", false),
        ("tokenCount", false),
    ];
    let properties: Vec<String> = names.iter().map(|(name, _)| format!("{name}: {{type: string}}")).collect();
    let document = format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Login: {{type: object, properties: {{{}}}}}\n",
        properties.join(", ")
    );
    let imported = import::import(&document, "t.yaml", "t").unwrap();
    let schemas: serde_yaml::Value = serde_yaml::from_str(&imported.files["schemas.yaml"]).unwrap();
    for (name, secret) in names {
        let field = &schemas["schemas"]["Login"]["fields"][name];
        assert_eq!(field["sensitive"].as_bool().unwrap_or(false), secret, "{name}: {field:?}");
    }
}

/// Swagger 2.0's response `examples` (a body per media type) are imported like 3.0's; one of a
/// response without a schema is noted, not dropped in silence.
#[test]
fn swagger_response_examples_are_imported_or_noted() {
    let document = concat!(
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\nproduces: [application/json]\n",
        "paths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n",
        "        '200': {description: ok, schema: {type: array, items: {$ref: '#/definitions/Pet'}}, examples: {application/json: [{name: Rex}]}}\n",
        "        '404': {description: none, examples: {application/json: {message: gone}}}\n",
        "definitions:\n  Pet: {type: object, required: [name], properties: {name: {type: string}}}\n",
    );
    let imported = import::import(document, "pets.yaml", "pets").unwrap();
    assert_eq!(imported.files["examples/list_pets.200.json"], "[\n  {\n    \"name\": \"Rex\"\n  }\n]\n");
    assert!(imported.files["operations.yaml"].contains("file: examples/list_pets.200.json"));
    let noted = imported.notes.iter().any(|n| n.pointer == "/paths/~1pets/get/responses/404/examples");
    assert!(noted, "{:?}", imported.notes);
}

/// Documents that once overflowed the importer's stack: `allOf` that includes itself directly
/// or through another schema, an object closed to extra members without properties, an array of
/// itself, and long chains of references. Each ends in a spec that resolves, never a crash.
#[test]
fn self_referring_and_deep_documents_end_in_an_answer() {
    let document = |schemas: &str| {
        format!(
            r#"{{"openapi":"3.0.3","info":{{"title":"T","version":"1"}},"paths":{{}},"components":{{"schemas":{{{schemas}}}}}}}"#
        )
    };
    let resolves = |imported: &import::Imported| {
        let temp = tempfile::tempdir().unwrap();
        import::write(imported, &temp.path().join("t")).unwrap_or_else(|e| panic!("{e}"));
    };
    let itself = document(
        r##""A":{"allOf":[{"$ref":"#/components/schemas/A"},{"type":"object","properties":{"x":{"type":"string"}}}]}"##,
    );
    let imported = import::import(&itself, "t", "t").unwrap();
    assert_eq!(
        imported.notes[0].to_string(),
        "#/components/schemas/A/allOf/0: `allOf` of `A` includes itself; the part is left out"
    );
    resolves(&imported);

    let ring = document(
        r##""A":{"allOf":[{"$ref":"#/components/schemas/B"}]},"B":{"allOf":[{"$ref":"#/components/schemas/A"}]}"##,
    );
    resolves(&import::import(&ring, "t", "t").unwrap());

    let tree = document(r##""Tree":{"type":"array","items":{"$ref":"#/components/schemas/Tree"}}"##);
    let imported = import::import(&tree, "t", "t").unwrap();
    assert!(imported.notes[0].to_string().contains("`Tree` contains itself"), "{:?}", imported.notes);
    resolves(&imported);

    let closed = document(
        r#""Empty":{"type":"object","additionalProperties":false},"Holder":{"type":"object","properties":{"e":{"type":"object","additionalProperties":false}}}"#,
    );
    let imported = import::import(&closed, "t", "t").unwrap();
    assert!(
        imported.files["schemas.yaml"].contains("Empty:\n    kind: object\n    fields: {}"),
        "{:?}",
        imported.files
    );
    resolves(&imported);

    // 2,000 schemas, each holding the next: mapped from a worklist, so no stack is used up.
    let chain: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                r##""S{i}":{{"type":"object","properties":{{"next":{{"$ref":"#/components/schemas/S{}"}}}}}}"##,
                i + 1
            )
        })
        .chain(std::iter::once(r#""S2000":{"type":"string"}"#.to_owned()))
        .collect();
    let imported = import::import(&document(&chain.join(",")), "t", "t").unwrap();
    assert!(imported.files["schemas.yaml"].contains("  S1999:\n    kind: object\n"));
}

/// Importing `document` (in `spec/<api>/import/`) with the overlay beside it gives the committed
/// spec, byte for byte (its examples' files included), so a newer document imports with the same
/// curation. Returns the number of operations.
fn committed_import(api: &str, document: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = root.join("spec").join(api);
    let overlay_path = spec.join("import/overlay.yaml");
    let overlay = import::Overlay::parse(&std::fs::read_to_string(&overlay_path).unwrap(), "overlay.yaml").unwrap();
    let text = std::fs::read_to_string(spec.join("import").join(document)).unwrap();
    let imported = import::import_with_overlay(&text, document, api, Some(&overlay)).unwrap();
    for (name, text) in &imported.files {
        let committed = std::fs::read_to_string(spec.join(name)).unwrap_or_default();
        assert!(
            committed == *text,
            "spec/{api}/{name} is not the import: run\n  cargo xtask import-openapi spec/{api}/import/{document} --name {api}"
        );
    }
    // No example file is left from an earlier import (the overlay's own examples are named in
    // the spec files).
    let examples: Vec<String> = std::fs::read_dir(spec.join("examples"))
        .map(|entries| entries.map(|e| format!("examples/{}", e.unwrap().file_name().to_string_lossy())).collect())
        .unwrap_or_default();
    for file in examples {
        let named = imported.files.values().any(|text| text.contains(&format!("file: {file}\n")));
        assert!(named, "spec/{api}/{file} is neither imported nor named by the spec: delete it");
    }
    imported.files["operations.yaml"].matches("\n    method: ").count()
}

/// The whole Backup for AWS API is Veeam's Swagger imported with the curation overlay.
#[test]
fn backup_for_aws_is_the_swagger_with_its_overlay() {
    assert_eq!(
        committed_import("backup_for_aws", "vbaws-1.0-rev0.swagger.yaml"),
        163,
        "every operation of the Swagger"
    );
}

/// The whole Backup & Replication API is VeeamHub's copy of the document imported with its
/// overlay: every operation, and the document's examples as files.
#[test]
fn backup_and_replication_is_the_document_with_its_overlay() {
    assert_eq!(
        committed_import("backup_and_replication", "vbr-1.1-rev0.openapi.json"),
        133,
        "every operation of the document"
    );
}

/// An overlay whose edits no longer fit the document fails with every problem, each at its
/// overlay key, and nothing is written.
#[test]
fn an_overlay_that_does_not_apply_names_each_problem() {
    let text = std::fs::read_to_string(fixtures().join("openapi/petstore.yaml")).unwrap();
    let overlay = import::Overlay::parse(
        concat!(
            "rename:\n  operations: { noSuchOperation: other, listPets: getPet }\n",
            "  schemas: { Pet: Animal }\n",
            "schemas:\n  Animal: { fields: { name: { sensitive: yes-please } } }\n  Ghost: null\n",
            "  Brand: { kind: string, description: Added whole. }\n",
            "operations:\n  createPet: { metod: POST }\n",
        ),
        "overlay.yaml",
    )
    .unwrap();
    let error = import::import_with_overlay(&text, "petstore.yaml", "petstore", Some(&overlay)).unwrap_err();
    let import::ImportError::Overlay(errors) = &error else { panic!("{error}") };
    assert_eq!(
        errors,
        &[
            "rename.operations.noSuchOperation: the import has no `noSuchOperation`",
            "rename.operations.listPets: the import already has `getPet`",
            "schemas.Animal: fields.name.sensitive: invalid type: string \"yes-please\", expected a boolean",
            "schemas.Ghost: the import has no `Ghost` to remove",
            "operations.createPet: metod: unknown field `metod`, expected one of `method`, `path`, `summary`, `description`, `sources`, `authenticated`, `schemes`, `parameters`, `request`, `responses`, `errors`, `idempotent`, `paging`, `examples`",
        ]
    );
    assert!(import::Overlay::parse("renames: {}\n", "o.yaml")
        .unwrap_err()
        .starts_with("o.yaml: unknown field `renames`"));
}

/// Each OpenAPI style of a query list becomes the list format that writes it (and Swagger 2.0's
/// `collectionFormat` the same way); a style with no equivalent is noted.
#[test]
fn query_list_styles_are_kept() {
    let parameter = |name: &str, extra: &str| {
        format!(r#"{{"name":"{name}","in":"query","schema":{{"type":"array","items":{{"type":"string"}}}}{extra}}}"#)
    };
    let parameters = [
        parameter("form", ""),
        parameter("formExploded", r#","style":"form","explode":true"#),
        parameter("comma", r#","explode":false"#),
        parameter("space", r#","style":"spaceDelimited""#),
        parameter("pipe", r#","style":"pipeDelimited","explode":false"#),
        parameter("pipeExploded", r#","style":"pipeDelimited","explode":true"#),
        parameter("odd", r#","style":"matrix""#),
    ];
    let text = format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"T","version":"1"}},"paths":{{"/x":{{"get":{{"operationId":"getX","parameters":[{}],"responses":{{"204":{{"description":"ok"}}}}}}}}}}}}"#,
        parameters.join(",")
    );
    let imported = import::import(&text, "t.json", "t").unwrap();
    let operations: serde_yaml::Value = serde_yaml::from_str(&imported.files["operations.yaml"]).unwrap();
    let format_of = |name: &str| {
        let parameter = &operations["operations"]["getX"]["parameters"][name];
        assert!(!parameter.is_null(), "{name}");
        parameter["list_format"].as_str().map(str::to_owned)
    };
    assert_eq!(format_of("form"), None);
    assert_eq!(format_of("formExploded"), None);
    assert_eq!(format_of("comma").as_deref(), Some("csv"));
    assert_eq!(format_of("space").as_deref(), Some("space"));
    assert_eq!(format_of("pipe").as_deref(), Some("pipe"));
    assert_eq!(format_of("pipeExploded"), None);
    assert_eq!(format_of("odd").as_deref(), Some("csv"));
    assert!(
        imported.notes.iter().any(|n| n.to_string().contains("style `matrix` of list parameter `odd`")),
        "{:?}",
        imported.notes
    );
}
