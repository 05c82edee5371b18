//! Every malformed spec gets a precise error: file, line and column where known, YAML path and
//! message, asserted exactly. One table row per mistake.

use std::path::PathBuf;

use codegen::load::{ApiSource, SourceFile};

const API: &str = "api:
  name: demo
  title: Demo API
  base_path: /api
  formats:
    supported: [json]
    default: json
";

/// Resolves an API made of `files` (name, text) and returns the rendered diagnostics.
fn errors(files: &[(&str, &str)]) -> Vec<String> {
    let source = ApiSource {
        dir: PathBuf::from("/nonexistent/demo"),
        files: files
            .iter()
            .map(|(name, text)| SourceFile { name: PathBuf::from("demo").join(name), text: text.to_string() })
            .collect(),
    };
    match codegen::resolve_sources(vec![source]) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.iter().map(|d| d.to_string()).collect(),
    }
}

/// A spec of the API file plus `extra` appended to it.
fn with_api(extra: &str) -> Vec<String> {
    errors(&[("api.yaml", &format!("{API}{extra}"))])
}

struct Case {
    name: &'static str,
    errors: Vec<String>,
    expected: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "unknown key in the api section",
            errors: errors(&[("api.yaml", "api:\n  name: demo\n  titel: Demo\n  base_path: /api\n  formats: {supported: [json], default: json}\n")]),
            expected: &["demo/api.yaml:3:3: api.titel: unknown field `titel`, expected one of `name`, `title`, `description`, `sources`, `base_path`, `default_port`, `formats`, `xml_namespace`, `headers`, `auth`, `error_message`, `tasks`"],
        },
        Case {
            name: "unknown key in a field",
            errors: with_api("schemas:\n  Account:\n    kind: object\n    fields:\n      name: { typ: string }\n"),
            expected: &["demo/api.yaml:12:15: schemas.Account.fields.name.typ: unknown field `typ`, expected one of `type`, `rust_name`, `required`, `nullable`, `sensitive`, `description`, `example`, `read_only`, `write_only`, `id`, `json`, `xml`"],
        },
        Case {
            name: "unknown top-level key",
            errors: with_api("schema:\n  Account: {}\n"),
            expected: &["demo/api.yaml:8:1: schema: unknown field `schema`, expected one of `api`, `schemas`, `operations`"],
        },
        Case {
            name: "wrong value type",
            errors: with_api("schemas:\n  Account:\n    kind: object\n    fields:\n      name:\n        type: string\n        required: yes please\n"),
            expected: &["demo/api.yaml:14:9: schemas.Account.fields.name.required: invalid type: string \"yes please\", expected `true` or `false`"],
        },
        Case {
            name: "missing required key",
            errors: errors(&[("api.yaml", "api:\n  name: demo\n  base_path: /api\n  formats: {supported: [json], default: json}\n")]),
            expected: &["demo/api.yaml:1:1: api: missing field `title`"],
        },
        Case {
            name: "dangling schema reference suggests the closest name",
            errors: with_api("schemas:\n  Link:\n    kind: object\n    fields: {}\n  Account:\n    kind: object\n    fields:\n      links: { type: list<Lnk> }\n"),
            expected: &["demo/api.yaml:15:16: schemas.Account.fields.links.type: unknown type `Lnk`; did you mean `Link`?"],
        },
        Case {
            name: "misspelt primitive type",
            errors: with_api("schemas:\n  Account:\n    kind: object\n    fields:\n      name: { type: strng }\n"),
            expected: &["demo/api.yaml:12:15: schemas.Account.fields.name.type: unknown type `strng`; did you mean `string`?"],
        },
        Case {
            name: "malformed type expression",
            errors: with_api("schemas:\n  Account:\n    kind: object\n    fields:\n      tags: { type: list<string }\n"),
            expected: &["demo/api.yaml:12:15: schemas.Account.fields.tags.type: malformed type `list<string`: expected `>` at the end"],
        },
        Case {
            name: "schemas that collide after case conversion",
            errors: with_api("schemas:\n  FooBar: { kind: string }\n  fooBar: { kind: string }\n"),
            expected: &["demo/api.yaml:10:3: schemas.fooBar: schema `fooBar` and schema `FooBar` (demo/api.yaml) both become the Rust type `FooBar`"],
        },
        Case {
            name: "schema defined twice across files",
            errors: errors(&[("api.yaml", API), ("a.yaml", "schemas:\n  Tag: { kind: string }\n"), ("b.yaml", "schemas:\n  Tag: { kind: string }\n")]),
            expected: &["demo/b.yaml:2:3: schemas.Tag: schema `Tag` is defined twice; the first is in demo/a.yaml"],
        },
        Case {
            name: "fields that collide after case conversion",
            errors: with_api("schemas:\n  Account:\n    kind: object\n    fields:\n      userName: { type: string }\n      user_name: { type: string }\n"),
            expected: &["demo/api.yaml:13:7: schemas.Account.fields.user_name: fields `userName` and `user_name` both become the Rust field `user_name`"],
        },
        Case {
            name: "schema named after a Rust keyword, beside its escaped form",
            errors: with_api("schemas:\n  self: { kind: string }\n  Self_: { kind: string }\n"),
            expected: &["demo/api.yaml:9:3: schemas.self: schema `self` and schema `Self_` (demo/api.yaml) both become the Rust type `Self_`"],
        },
        Case {
            name: "field named after a keyword that cannot be raw, beside its escaped form",
            errors: with_api("schemas:\n  Account:\n    kind: object\n    fields:\n      super: { type: string }\n      super_: { type: string }\n"),
            expected: &["demo/api.yaml:13:7: schemas.Account.fields.super_: fields `super` and `super_` both become the Rust field `super_`"],
        },
        Case {
            name: "name with no Rust spelling",
            errors: with_api("schemas:\n  Account:\n    kind: object\n    fields:\n      \"%\": { type: string }\n"),
            expected: &["demo/api.yaml:12:7: schemas.Account.fields.%: `%` cannot be turned into a Rust name (got ``)"],
        },
        Case {
            name: "unknown schema kind",
            errors: with_api("schemas:\n  Account:\n    kind: struct\n"),
            expected: &["demo/api.yaml:10:5: schemas.Account.kind: unknown variant `struct`, expected one of `object`, `enum`, `string`, `union`, `alias`"],
        },
        Case {
            name: "wrapped union mistakes",
            errors: with_api(concat!(
                "schemas:\n",
                "  Clone:\n    kind: union\n    wrapped: true\n    discriminator: kind\n    variants:\n",
                "      - { type: Dog }\n      - { type: Dog, name: Other }\n      - { type: string }\n",
                "  Dog:\n    kind: object\n    fields:\n      kind: { type: string, required: true }\n      name: { type: string, required: true }\n",
                "  Flag:\n    kind: object\n    wrapped: true\n    fields: {}\n",
            )),
            expected: &[
                "demo/api.yaml:12:5: schemas.Clone.discriminator: a `wrapped` union names each alternative by the member wrapping it: it has no `discriminator`",
                "demo/api.yaml:15:11: schemas.Clone.variants[1].tag: variants [0] and [1] have the same tag `Dog`",
                "demo/api.yaml:16:11: schemas.Clone.variants[2]: a `wrapped` union's variant that is not an object schema needs the `tag` naming its member",
                "demo/api.yaml:22:3: schemas.Flag: `variants`, `discriminator` and `wrapped` are for unions",
            ],
        },
        Case {
            name: "a required-fields struct named like a schema",
            errors: with_api(concat!(
                "schemas:\n",
                "  Dog:\n    kind: object\n    fields:\n      kind: { type: string, required: true }\n      name: { type: string, required: true }\n",
                "  DogRequired:\n    kind: object\n    fields: {}\n",
            )),
            expected: &[
                "demo/api.yaml:9:3: schemas.Dog: schema `Dog` takes its required fields in the struct `DogRequired`, which is also the type of schema `DogRequired`; rename one of them",
            ],
        },
        Case {
            name: "union and alias mistakes, several at once",
            errors: with_api(concat!(
                "schemas:\n",
                "  Pet:\n    kind: union\n    discriminator: kind\n    variants:\n",
                "      - { type: Dog }\n      - { type: Cat, tag: Dog }\n      - { type: string }\n",
                "  Shape:\n    kind: union\n    variants:\n      - { type: Dog, tag: dog }\n      - { type: Dog }\n",
                "  Empty:\n    kind: union\n",
                "  Dog:\n    kind: object\n    fields:\n      kind: { type: string, required: true }\n",
                "  Cat:\n    kind: object\n    fields:\n      name: { type: string }\n",
                "  Loop:\n    kind: alias\n    type: list<Ring>\n",
                "  Ring:\n    kind: alias\n    type: map<Loop>\n",
                "  NoType:\n    kind: alias\n",
                "  Typo:\n    kind: alias\n    type: list<Dgo>\n",
            )),
            expected: &[
                "demo/api.yaml:14:11: schemas.Pet.variants[1].type: variant `Cat` has no field `kind`, the union's discriminator (each variant carries it, so that a value says what it is when it is sent)",
                "demo/api.yaml:14:22: schemas.Pet.variants[1].tag: variants [0] and [1] have the same tag `Dog`",
                "demo/api.yaml:15:11: schemas.Pet.variants[2].type: a union with a `discriminator` has object schemas as variants",
                "demo/api.yaml:19:22: schemas.Shape.variants[0].tag: `tag` needs the union's `discriminator` or `wrapped`",
                "demo/api.yaml:20:11: schemas.Shape.variants[1]: variants [0] and [1] are both named `Dog`; give one a `name`",
                "demo/api.yaml:21:3: schemas.Empty.variants: a union needs at least one variant",
                "demo/api.yaml:33:5: schemas.Loop.type: alias refers to itself (Loop → Ring → Loop)",
                "demo/api.yaml:36:5: schemas.Ring.type: alias refers to itself (Ring → Loop → Ring)",
                "demo/api.yaml:37:3: schemas.NoType: an alias needs `type`: the type expression it stands for",
                "demo/api.yaml:41:5: schemas.Typo.type: unknown type `Dgo`; did you mean `Dog`?",
            ],
        },
        Case {
            name: "file, text and multipart mistakes, several at once",
            errors: with_api(concat!(
                "schemas:\n",
                "  Scan:\n    kind: object\n    fields:\n      content: { type: binary }\n",
                "  Files:\n    kind: alias\n    type: list<binary>\n",
                "operations:\n",
                "  upload:\n    method: POST\n    path: /scans\n    parameters:\n",
                "      file: { in: part, type: Scan }\n      raw: { in: query, type: binary }\n      fixed: { in: part, type: binary, value: x }\n",
                "    request: { schema: string, formats: [text, json], media_type: 'text plain' }\n",
                "    responses:\n      200: { schema: Scan, format: text, media_types: [csv] }\n",
                "      201: { schema: list<binary> }\n",
                "      202: { schema: string, format: raw }\n",
                "      203: { schema: Scan, media_types: [text/csv] }\n",
                "    errors:\n      400: { schema: binary }\n      500: { schema: string, format: text }\n",
                "  put:\n    method: PUT\n    path: /scans\n",
                "    request: { schema: binary, formats: [json] }\n",
                "    responses:\n      204: {}\n",
            )),
            expected: &[
                "demo/api.yaml:12:18: schemas.Scan.fields.content.type: `binary` (raw bytes) is a whole request or response body or a multipart part (`in: part`), not a value inside a schema, parameter or header",
                "demo/api.yaml:15:5: schemas.Files.type: `binary` (raw bytes) is a whole request or response body or a multipart part (`in: part`), not a value inside a schema, parameter or header",
                "demo/api.yaml:21:25: operations.upload.parameters.file.type: a part holds a file (`binary`), a single value, or a list of either; `Scan` is not one",
                "demo/api.yaml:22:25: operations.upload.parameters.raw.type: `binary` (raw bytes) is a whole request or response body or a multipart part (`in: part`), not a value inside a schema, parameter or header",
                "demo/api.yaml:23:40: operations.upload.parameters.fixed.value: a file part cannot have a fixed value",
                "demo/api.yaml:24:5: operations.upload.request: parts (`in: part`) make the body `multipart/form-data`: an operation has them or a `request`, not both",
                "demo/api.yaml:24:32: operations.upload.request.formats: `text` and `binary` bodies are sent as they are: they stand alone in `formats`",
                "demo/api.yaml:24:55: operations.upload.request.media_type: `text plain` is not a media type (`type/subtype`, e.g. `text/csv`)",
                "demo/api.yaml:26:14: operations.upload.responses.200.schema: a `text` body is a `string`",
                "demo/api.yaml:27:14: operations.upload.responses.201.schema: `binary` (raw bytes) is a whole request or response body or a multipart part (`in: part`), not a value inside a schema, parameter or header",
                "demo/api.yaml:28:30: operations.upload.responses.202.format: unknown response format `raw`; expected `text` or `binary`",
                "demo/api.yaml:29:28: operations.upload.responses.203.media_types: `media_types` is for `text` and `binary` bodies; JSON and XML are negotiated",
                "demo/api.yaml:31:14: operations.upload.errors.400.schema: `binary` (raw bytes) is a whole request or response body or a multipart part (`in: part`), not a value inside a schema, parameter or header",
                "demo/api.yaml:32:7: operations.upload.errors.500: an error body is read in the API's formats: `format` and `media_types` are for success bodies",
                "demo/api.yaml:36:32: operations.put.request.formats: a `binary` schema is sent in the `binary` format, and only it",
            ],
        },
        Case {
            name: "authentication scheme mistakes, several at once",
            errors: errors(&[(
                "api.yaml",
                concat!(
                    "api:\n  name: demo\n  title: Demo\n  base_path: /api\n  formats: { supported: [json], default: json }\n",
                    "  auth:\n",
                    "    bearer:\n      client_credentials: { token_url: 'oauth/token', scopes: [read, 'two words'] }\n",
                    "    session: { header: X-Session, logon_operation: logon }\n",
                    "operations:\n",
                    "  logon: { method: POST, path: /logon, authenticated: false, responses: { 201: {} } }\n",
                    "  a: { method: GET, path: /a, schemes: [basic, bearer, bearer, tokens], responses: { 200: {} } }\n",
                    "  b: { method: GET, path: /b, authenticated: false, schemes: [bearer], responses: { 200: {} } }\n",
                ),
            )]),
            expected: &[
                "demo/api.yaml:8:29: api.auth.bearer.client_credentials.token_url: `oauth/token` is not a token endpoint: an absolute `https://` URL or a path below the base URL (`/oauth/token`)",
                "demo/api.yaml:8:55: api.auth.bearer.client_credentials.scopes[1]: `two words` is not a scope (visible ASCII, no spaces)",
                "demo/api.yaml:9:5: api.auth.session: a `session` scheme stands alone: the session id is the credential of every call",
                "demo/api.yaml:12:31: operations.a.schemes[2]: `bearer` is listed twice",
                "demo/api.yaml:12:31: operations.a.schemes[3]: unknown scheme `tokens`: expected `bearer`, `session`, `basic` or a key of `api.auth`",
                "demo/api.yaml:13:53: operations.b.schemes: an operation with `authenticated: false` accepts no scheme",
            ],
        },
        Case {
            name: "an operation accepting a scheme the API does not offer",
            errors: with_api("  auth: { api_key: { header: X-Key } }\noperations:\n  a: { method: GET, path: /a, schemes: [basic], responses: { 200: {} } }\n"),
            expected: &["demo/api.yaml:10:31: operations.a.schemes[0]: the API offers no `basic` scheme (see `api.auth`)"],
        },
        Case {
            name: "API keys: both forms, names that cannot be setters, keys listed twice, an unknown key",
            errors: with_api(concat!(
                "  auth:\n",
                "    api_key: { header: X-Key }\n",
                "    api_keys:\n",
                "      AppToken: { header: X-App }\n",
                "      basic: { query: basic }\n",
                "      credentials: { cookie: c }\n",
                "      app_token: { header: X-App }\n",
                "operations:\n",
                "  a: { method: GET, path: /a, schemes: [[app_token, app_token], [app_tokn], [app_token, api_key], [api_key, app_token]], responses: { 200: {} } }\n",
                "  c: { method: GET, path: /c, schemes: [[]], responses: { 200: {} } }\n",
            )),
            expected: &[
                "demo/api.yaml:9:5: api.auth.api_key: `api_key` is one key named `api_key`: give it in `api_keys` beside the others",
                "demo/api.yaml:11:7: api.auth.api_keys.AppToken: `AppToken` is not a key name: `snake_case`, such as `app_token`",
                "demo/api.yaml:12:7: api.auth.api_keys.basic: `basic` is a scheme's name: name the key after what it is, such as `app_token`",
                "demo/api.yaml:13:7: api.auth.api_keys.credentials: `credentials` would give its setter the name of a method the client has (`set_tokens`, `set_session_id`, `set_credentials`)",
                "demo/api.yaml:16:42: operations.a.schemes[0]: `app_token` is listed twice",
                "demo/api.yaml:16:66: operations.a.schemes[1]: unknown scheme `app_tokn`: expected `bearer`, `session`, `basic` or a key of `api.auth`; did you mean `app_token`?",
                "demo/api.yaml:16:100: operations.a.schemes[3]: these schemes are listed together twice",
                "demo/api.yaml:17:31: operations.c.schemes[0]: an empty list: name the schemes needed together",
            ],
        },
        Case {
            name: "paging that names no parameter, a required one, a text total and a missing list",
            errors: with_api(concat!(
                "schemas:\n",
                "  Page: { kind: object, fields: { results: { type: list<string>, required: true }, total: { type: string }, info: { type: Info } } }\n",
                "  Info: { kind: object, fields: { pages: { type: int32 } } }\n",
                "operations:\n",
                "  a:\n    method: GET\n    path: /a\n    responses: { 200: { schema: Page } }\n",
                "    parameters: { offset: { in: query, type: int32, required: true }, limit: { in: query, type: string } }\n",
                "    paging: { offset: offset, size: limt, items: result, total: total }\n",
                "  b:\n    method: GET\n    path: /b\n    responses: { 200: { schema: Page } }\n",
                "    parameters: { page: { in: query, type: int32 } }\n",
                "    paging: { offset: page, page: page, items: results, total: info.pages }\n",
                "  c:\n    method: GET\n    path: /c\n    responses: { 204: {} }\n",
                "    parameters: { page: { in: query, type: int32 } }\n",
                "    paging: { page: page, first_page: 0, items: results }\n",
            )),
            expected: &[
                "demo/api.yaml:17:15: operations.a.paging.offset: `offset` must be an optional `int32` or `int64` query parameter without a fixed value",
                "demo/api.yaml:17:31: operations.a.paging.size: the operation has no parameter `limt`; did you mean `limit`?",
                "demo/api.yaml:17:43: operations.a.paging.items: `Page` has no field `result`; did you mean `results`?",
                "demo/api.yaml:17:58: operations.a.paging.total: `total` is `string`; it must be an integer",
                "demo/api.yaml:23:5: operations.b.paging: give exactly one of `offset` (items skipped) and `page` (the page number)",
                "demo/api.yaml:29:5: operations.c.paging: a paged operation answers every success with one object that holds the page's items",
            ],
        },
        Case {
            name: "a GET marked idempotent",
            errors: with_api("operations:\n  a: { method: GET, path: /a, idempotent: true, responses: { 200: {} } }\n"),
            expected: &["demo/api.yaml:9:31: operations.a.idempotent: `GET` is idempotent already: `idempotent` is for POST and PATCH"],
        },
        Case {
            name: "an operation whose method is an API key's setter",
            errors: with_api(concat!(
                "  auth: { api_keys: { app_token: { header: X-App } } }\n",
                "operations:\n",
                "  setAppToken: { method: GET, path: /b, schemes: [app_token], responses: { 200: {} } }\n",
            )),
            expected: &["demo/api.yaml:10:3: operations.setAppToken: the operation's method `set_app_token` is the setter of the API key `app_token`: rename one"],
        },
        Case {
            name: "an API key in no place or in two",
            errors: with_api("  auth: { api_key: { header: X-Key, query: key } }\n"),
            expected: &["demo/api.yaml:8:11: api.auth.api_key: give exactly one of `header`, `query` and `cookie`: where the key is sent"],
        },
        Case {
            name: "a deep_object style where it does not apply, and an unknown style",
            errors: with_api(concat!(
                "operations:\n",
                "  a:\n    method: GET\n    path: /a\n    responses: { 200: {} }\n    parameters:\n",
                "      x: { in: header, type: map<string>, style: deep_object }\n",
                "      y: { in: query, type: string, style: deepest }\n",
            )),
            expected: &[
                "demo/api.yaml:14:43: operations.a.parameters.x.style: `deep_object` is for query parameters that hold an object or a map",
                "demo/api.yaml:15:37: operations.a.parameters.y.style: unknown style `deepest`; expected `deep_object`",
            ],
        },
        Case {
            name: "a logout id that is not a field of the logon response",
            errors: errors(&[(
                "api.yaml",
                concat!(
                    "api:\n  name: demo\n  title: Demo\n  base_path: /api\n  formats: { supported: [json], default: json }\n",
                    "  auth:\n    session: { header: X-Session, logon_operation: logon, logout_operation: logout, logout_id: SesionId }\n",
                    "schemas:\n  Session: { kind: object, fields: { SessionId: { type: string } } }\n",
                    "operations:\n",
                    "  logon: { method: POST, path: /logon, authenticated: false, responses: { 201: { schema: Session } } }\n",
                    "  logout: { method: DELETE, path: '/sessions/{id}', parameters: { id: { in: path, type: string } }, responses: { 204: {} } }\n",
                ),
            )]),
            expected: &["demo/api.yaml:7:85: api.auth.session.logout_id: the logon response `Session` has no field `SesionId`; did you mean `SessionId`?"],
        },
        Case {
            name: "enum without values",
            errors: with_api("schemas:\n  Color:\n    kind: enum\n    values: []\n"),
            expected: &["demo/api.yaml:11:5: schemas.Color.values: an enum needs at least one value"],
        },
        Case {
            name: "enum value listed twice",
            errors: with_api("schemas:\n  Sort:\n    kind: enum\n    values:\n      - value: name-asc\n      - value: name-asc\n"),
            expected: &["demo/api.yaml:13:9: schemas.Sort.values[1]: value `name-asc` is listed twice (first at [0])"],
        },
        Case {
            name: "object with enum values",
            errors: with_api("schemas:\n  Account:\n    kind: object\n    fields: {}\n    values: [{ value: a }]\n"),
            expected: &["demo/api.yaml:12:5: schemas.Account.values: `values` is for enums; an object has `fields`"],
        },
        Case {
            name: "xml attribute holding a list",
            errors: with_api("schemas:\n  Account:\n    kind: object\n    fields:\n      tags: { type: list<string>, xml: { attribute: true } }\n"),
            expected: &["demo/api.yaml:12:35: schemas.Account.fields.tags.xml: an XML attribute or text holds a single value; `list<string>` is not one"],
        },
        Case {
            name: "map in an API that speaks XML",
            errors: errors(&[("api.yaml", "api:\n  name: demo\n  title: Demo\n  base_path: /api\n  formats: { supported: [xml], default: xml }\n  xml_namespace: urn:demo\nschemas:\n  A:\n    kind: object\n    fields:\n      tags: { type: map<string> }\n")]),
            expected: &["demo/api.yaml:11:15: schemas.A.fields.tags.type: `map<string>` has no XML form, and this API speaks XML; use objects and lists"],
        },
        Case {
            name: "operation named like a client method",
            errors: with_api("operations:\n  logIn:\n    method: POST\n    path: /login\n    responses:\n      200: {}\n"),
            expected: &["demo/api.yaml:9:3: operations.logIn: operation `logIn` becomes the method `log_in`, which every client already has (it is one of new, builder, clone, clone_from, fmt, into, try_into, transport, log_in, log_in_client_credentials, log_in_authorization_code, log_out, set_tokens, set_session_id, session_id, set_credentials, set_api_key, wait_for_task, wait_for_task_with, wait_for_task_id, wait_for_task_id_with)"],
        },
        Case {
            name: "error bodies of several types, and their headers checked",
            errors: with_api(concat!(
                "schemas:\n  A: { kind: object, fields: {} }\n",
                "operations:\n",
                "  one: { method: GET, path: /a, responses: { 200: {} }, errors: { default: { schema: string } } }\n",
                "  two: { method: GET, path: /b, responses: { 200: {} }, errors: { 404: { schema: string }, 429: { schema: A, headers: { Retry After: { type: int32 }, X-Ids: { type: list<int32> } } } } }\n",
            )),
            expected: &[
                "demo/api.yaml:12:121: operations.two.errors.429.headers.Retry After: `Retry After` is not a valid HTTP header name",
                "demo/api.yaml:12:160: operations.two.errors.429.headers.X-Ids.type: a header holds a single value; `list<int32>` is not one",
            ],
        },
        Case {
            name: "a list body in an API that speaks XML",
            errors: errors(&[("api.yaml", "api:\n  name: demo\n  title: Demo\n  base_path: /api\n  formats: { supported: [xml], default: xml }\n  xml_namespace: urn:demo\noperations:\n  list:\n    method: GET\n    path: /things\n    responses:\n      200: { schema: list<string> }\n")]),
            expected: &["demo/api.yaml:12:14: operations.list.responses.200.schema: in an API that speaks XML, a body is an object schema (an XML document has one root element)"],
        },
        Case {
            name: "a session logout operation without the session id parameter",
            errors: errors(&[("api.yaml", &format!("{API}  auth:\n    session:\n      header: X-Session\n      logon_operation: logon\n      logout_operation: logout\noperations:\n  logon: {{ method: POST, path: /session, authenticated: false, responses: {{ 201: {{}} }} }}\n  logout: {{ method: DELETE, path: /session, responses: {{ 204: {{}} }} }}\n"))]),
            expected: &["demo/api.yaml:15:3: operations.logout: the logout operation `logout` must have exactly one argument, the path parameter that receives the session id"],
        },
        Case {
            name: "xml item on a field that is not a list",
            errors: with_api("schemas:\n  Account:\n    kind: object\n    fields:\n      tag: { type: string, xml: { item: Tag } }\n"),
            expected: &["demo/api.yaml:12:35: schemas.Account.fields.tag.xml.item: `item` is for lists; `string` is not a list"],
        },
        Case {
            name: "path parameter missing from the template",
            errors: with_api("operations:\n  getItem:\n    method: GET\n    path: /items\n    parameters:\n      id: { in: path, type: uuid }\n    responses:\n      200: {}\n"),
            expected: &["demo/api.yaml:13:7: operations.getItem.parameters.id: path parameter `id` does not appear in the path template `/items`"],
        },
        Case {
            name: "template parameter that is not declared",
            errors: with_api("operations:\n  getItem:\n    method: GET\n    path: /items/{itemId}\n    parameters:\n      itemid: { in: path, type: uuid }\n    responses:\n      200: {}\n"),
            expected: &[
                "demo/api.yaml:11:5: operations.getItem.path: path template uses `{itemId}` but no path parameter `itemId` is declared; did you mean `itemid`?",
                "demo/api.yaml:13:7: operations.getItem.parameters.itemid: path parameter `itemid` does not appear in the path template `/items/{itemId}`",
            ],
        },
        Case {
            name: "unknown HTTP method",
            errors: with_api("operations:\n  getItem:\n    method: GTE\n    path: /items\n    responses:\n      200: {}\n"),
            expected: &["demo/api.yaml:10:5: operations.getItem.method: unknown HTTP method `GTE`; did you mean `GET`?"],
        },
        Case {
            name: "error status under responses",
            errors: with_api("operations:\n  getItem:\n    method: GET\n    path: /items\n    responses:\n      404: {}\n"),
            expected: &["demo/api.yaml:13:7: operations.getItem.responses.404: `404` is not a success status; responses are 2xx codes, errors go under `errors`"],
        },
        Case {
            name: "operations that collide as method names",
            errors: with_api("operations:\n  getItem: { method: GET, path: /a, responses: { 200: {} } }\n  get_item: { method: GET, path: /b, responses: { 200: {} } }\n"),
            expected: &["demo/api.yaml:10:3: operations.get_item: operation `get_item` and operation `getItem` (demo/api.yaml) both become the method `get_item`"],
        },
        Case {
            name: "auth naming an unknown operation",
            errors: errors(&[("api.yaml", &format!("{API}  auth:\n    bearer:\n      token_operation: createTokn\noperations:\n  createToken: {{ method: POST, path: /token, responses: {{ 200: {{}} }} }}\n"))]),
            expected: &["demo/api.yaml:10:7: api.auth.bearer.token_operation: unknown operation `createTokn`; did you mean `createToken`?"],
        },
        Case {
            name: "default format the API does not speak",
            errors: errors(&[("api.yaml", "api:\n  name: demo\n  title: Demo\n  base_path: /api\n  formats:\n    supported: [json]\n    default: xml\n")]),
            expected: &["demo/api.yaml:7:5: api.formats.default: default format `xml` is not one of the supported formats (json)"],
        },
        Case {
            name: "xml without a namespace",
            errors: errors(&[("api.yaml", "api:\n  name: demo\n  title: Demo\n  base_path: /api\n  formats:\n    supported: [xml]\n    default: xml\n")]),
            expected: &["demo/api.yaml:1:1: api.xml_namespace: an API that speaks XML needs `xml_namespace`"],
        },
        Case {
            name: "invalid header name",
            errors: with_api("  headers:\n    \"x api\": v1\n"),
            expected: &["demo/api.yaml:9:5: api.headers.x api: `x api` is not a valid HTTP header name"],
        },
        Case {
            name: "base path without a leading slash",
            errors: errors(&[("api.yaml", &API.replace("base_path: /api", "base_path: api"))]),
            expected: &["demo/api.yaml:4:3: api.base_path: `api` must start with `/`"],
        },
        Case {
            name: "example file that does not exist",
            errors: with_api("schemas:\n  Tag:\n    kind: string\n    examples:\n      - { name: doc, format: json, file: examples/tag.json }\n"),
            expected: &["demo/api.yaml:12:36: schemas.Tag.examples[0].file: cannot read example `examples/tag.json`: No such file or directory (os error 2)"],
        },
        Case {
            name: "invalid YAML",
            errors: errors(&[("api.yaml", "api:\n  name: [demo\n")]),
            expected: &["demo/api.yaml:3:1: invalid YAML: did not find expected ',' or ']', while parsing a flow sequence at line 2 column 9"],
        },
        Case {
            name: "duplicate YAML key",
            errors: with_api("schemas:\n  Tag: { kind: string }\n  Tag: { kind: string }\n"),
            expected: &["demo/api.yaml:9:3: invalid YAML: schemas: duplicate entry with key \"Tag\""],
        },
        Case {
            name: "empty file",
            errors: errors(&[("api.yaml", API), ("empty.yaml", "")]),
            expected: &["demo/empty.yaml: the file is empty; expected a mapping with `api`, `schemas` or `operations`"],
        },
        Case {
            name: "resource ids read from something that is not a URN or URL, and from a number",
            errors: with_api("schemas:\n  Ref:\n    kind: object\n    fields:\n      UID: { type: string, id: uuid }\n      Port: { type: int32, id: href }\n      Href: { type: uri, id: href }\n"),
            expected: &[
                "demo/api.yaml:12:28: schemas.Ref.fields.UID.id: `id` is `urn` or `href`, not `uuid`",
                "demo/api.yaml:13:28: schemas.Ref.fields.Port.id: `id` reads the ID from text; `int32` is not a string",
            ],
        },
        Case {
            name: "a task resource read through wrong paths, states and poll operation, all at once",
            errors: with_api("  tasks:\n    schema: Task\n    poll: listTasks\n    id: TaskID\n    state: State\n    done: [Done]\n    success: Result.Message\n    related: { links: Result, rel: Rel, href: Href, value: Related }\nschemas:\n  Task:\n    kind: object\n    fields:\n      TaskId: { type: string }\n      State: { type: TaskState }\n      Result: { type: TaskResult }\n  TaskState: { kind: enum, values: [{ value: Running }, { value: Finished }] }\n  TaskResult:\n    kind: object\n    fields:\n      Message: { type: string }\noperations:\n  listTasks:\n    method: GET\n    path: /tasks\n    responses: { 200: { schema: Task } }\n"),
            expected: &[
                "demo/api.yaml:10:5: api.tasks.poll: operation `listTasks` must take the task id (text or a UUID) as its one argument and return `Task`",
                "demo/api.yaml:11:5: api.tasks.id: `Task` has no field `TaskID`; did you mean `TaskId`?",
                "demo/api.yaml:13:5: api.tasks.done[0]: the state has no value `Done`",
                "demo/api.yaml:14:5: api.tasks.success: `Result.Message` is `string`; it must be a boolean",
                "demo/api.yaml:15:16: api.tasks.related.links: `Result` is `TaskResult`; it must be a list of objects",
            ],
        },
        Case {
            name: "no api section",
            errors: errors(&[("types.yaml", "schemas:\n  Tag: { kind: string }\n")]),
            expected: &["demo/types.yaml:1:1: no `api` section in this API folder; one file must have it"],
        },
        Case {
            name: "two api sections",
            errors: errors(&[("api.yaml", API), ("more.yaml", API)]),
            expected: &["demo/more.yaml:1:1: api: second `api` section; the first is in demo/api.yaml"],
        },
    ]
}

#[test]
fn every_malformed_spec_gets_its_exact_error() {
    let cases = cases();
    assert!(cases.len() >= 25, "the table must cover at least 25 mistakes");
    let mut failures = Vec::new();
    for case in &cases {
        if case.errors != case.expected {
            failures.push(format!("{}:\n  expected: {:#?}\n  got: {:#?}", case.name, case.expected, case.errors));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let errors = errors(&[
        ("api.yaml", API),
        ("a.yaml", "schemas:\n  A:\n    kind: object\n    fields:\n      x: { type: Missing }\n      y: { type: strng }\n"),
        ("b.yaml", "schemas:\n  B:\n    kind: objekt\noperations:\n  op:\n    method: GET\n    path: /x/{id}\n    responses: { 200: {} }\n"),
    ]);
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert!(errors[0].starts_with("demo/a.yaml:5:"), "{errors:#?}");
    assert!(errors[1].starts_with("demo/a.yaml:6:"), "{errors:#?}");
    assert!(errors[2].starts_with("demo/b.yaml:3:"), "{errors:#?}");
    assert!(errors[3].starts_with("demo/b.yaml:7:"), "{errors:#?}");
}
