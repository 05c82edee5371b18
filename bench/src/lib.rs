//! What the benchmarks share (see `BENCHMARKS.md`): the documents they decode, the hand-written
//! baselines, the loopback server of the client benchmark.

/// A documented Enterprise Manager `Ref` (two links), as one list item.
pub const REF: &str = r#" <Ref Type="BackupServerReference" Href="https://localhost:9398/api/backupServers/1eb5b858-e557-43b3-8e79-386161b7ea44" Name="srv03.tech.local" UID="urn:veeam:BackupServer:1eb5b858-e557-43b3-8e79-386161b7ea44">
   <Links>
     <Link Rel="Down" Type="JobReferenceList" Href="https://localhost:9398/api/backupServers/1eb5b858-e557-43b3-8e79-386161b7ea44/jobs" />
     <Link Rel="Alternate" Type="BackupServer" Href="https://localhost:9398/api/backupServers/1eb5b858-e557-43b3-8e79-386161b7ea44?format=Entity" Name="srv03.tech.local" />
   </Links>
 </Ref>
"#;

/// An `EntityReferences` list document holding `item` repeated to about `megabytes` MB.
pub fn list_of(item: &str, megabytes: f64) -> String {
    let count = (megabytes * 1_000_000.0) as usize / item.len().max(1);
    let mut document = String::with_capacity(count * item.len() + 100);
    document.push_str(r#"<EntityReferences xmlns="http://www.veeam.com/ent/v1.0">"#);
    for _ in 0..count {
        document.push_str(item);
    }
    document.push_str("</EntityReferences>");
    document
}

/// A list document of about `megabytes` MB of documented `Ref`s.
pub fn list(megabytes: f64) -> String {
    list_of(REF, megabytes)
}

/// A list document with `depth` unknown elements nested inside it.
pub fn nested(depth: usize) -> String {
    format!(
        r#"<EntityReferences xmlns="http://www.veeam.com/ent/v1.0">{}{}</EntityReferences>"#,
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    )
}

/// About `megabytes` MB of JSON: the documented page with its one account repeated.
pub fn accounts_page(megabytes: f64) -> String {
    let documented: serde_json::Value = serde_json::from_str(include_str!(
        "../../spec/backup_for_aws/examples/vbaws-standardaccounts-list.response.json"
    ))
    .unwrap();
    let account = documented["results"][0].to_string();
    let count = (megabytes * 1_000_000.0) as usize / account.len();
    let mut page = documented.clone();
    page["results"] = serde_json::Value::Array(vec![documented["results"][0].clone(); count]);
    page["totalCount"] = count.into();
    page.to_string()
}

pub mod hand_written {
    //! What a developer would write by hand for the same JSON and XML.
    // Decoded like the models' fields; the benchmarks do not read them all.
    #![allow(dead_code)]
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "UPPERCASE")]
    pub enum Method {
        Get,
        Post,
        Put,
        Delete,
    }

    #[derive(Deserialize)]
    pub struct Link {
        pub rel: String,
        pub href: String,
        pub method: Method,
    }

    #[derive(Deserialize)]
    pub struct Account {
        pub id: uuid::Uuid,
        pub name: String,
        pub username: String,
        pub description: Option<String>,
        #[serde(rename = "_links")]
        pub links: Option<Vec<Link>>,
    }

    #[derive(Deserialize)]
    pub struct Page {
        pub results: Vec<Account>,
        #[serde(rename = "totalCount")]
        pub total_count: i32,
        #[serde(rename = "_links")]
        pub links: Option<Vec<Link>>,
    }

    #[derive(Deserialize)]
    pub struct XmlLink {
        #[serde(rename = "@Rel")]
        pub rel: String,
        #[serde(rename = "@Href")]
        pub href: String,
        #[serde(rename = "@Name")]
        pub name: Option<String>,
        #[serde(rename = "@Type")]
        pub r#type: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct XmlLinks {
        #[serde(rename = "Link", default)]
        pub link: Vec<XmlLink>,
    }

    #[derive(Deserialize)]
    pub struct XmlRef {
        #[serde(rename = "@Href")]
        pub href: Option<String>,
        #[serde(rename = "@Type")]
        pub r#type: Option<String>,
        #[serde(rename = "@Name")]
        pub name: Option<String>,
        #[serde(rename = "@UID")]
        pub uid: Option<String>,
        #[serde(rename = "Links")]
        pub links: Option<XmlLinks>,
    }

    #[derive(Deserialize)]
    pub struct XmlEntityReferences {
        #[serde(rename = "Ref", default)]
        pub refs: Vec<XmlRef>,
    }
}

/// The documented `StandardAccount` the loopback server answers with.
pub const BODY: &str = include_str!("../../spec/backup_for_aws/examples/vbaws-standardaccount-create.response.json");

/// Starts the server on its own thread: answers every request on a connection with the body.
pub fn serve() -> std::net::SocketAddr {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            sender.send(listener.local_addr().unwrap()).unwrap();
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
                BODY.len()
            );
            loop {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let (mut stream, _) = listener.accept().await.unwrap();
                let response = response.clone();
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 16 * 1024];
                    let mut filled = 0;
                    loop {
                        // GET requests: the headers end the request.
                        while !buffer[..filled].windows(4).any(|w| w == b"\r\n\r\n") {
                            match stream.read(&mut buffer[filled..]).await {
                                Ok(0) | Err(_) => return,
                                Ok(read) => filled += read,
                            }
                        }
                        filled = 0;
                        if stream.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    });
    receiver.recv().unwrap()
}

/// The client benchmark's two sides against one loopback server: the generated Backup for AWS
/// client, and a bare reqwest client making the same `GET /api/v1/accounts/standard/{id}` by
/// hand (bearer token, `x-api-version`, `Accept`, status check, body decoded into the model).
pub struct Loopback {
    runtime: tokio::runtime::Runtime,
    client: veeam_api::backup_for_aws::Client,
    bare: reqwest::Client,
    id: veeam_api::Uuid,
    url: String,
}

impl Loopback {
    /// Starts the server and builds both clients (each on its own connection).
    pub fn start() -> Self {
        const ID: &str = "10b074bd-0510-4795-9fdc-d5dce1db66c0";
        let address = serve();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let client = veeam_api::backup_for_aws::Client::builder(format!("http://{address}")).build().unwrap();
        runtime.block_on(client.set_tokens("token", None, None));
        // reqwest's rustls needs a provider installed, as the generated client does.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let url = format!("http://{address}/api/v1/accounts/standard/{ID}");
        // Configured as the generated client is by default (its timeouts and user agent), so
        // the pair differs only by the generated layer.
        let bare = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .connect_timeout(std::time::Duration::from_secs(10))
            .user_agent("veeam-runtime/0.1.0 (backup_for_aws)")
            .build()
            .unwrap();
        Loopback { runtime, client, bare, id: ID.parse().unwrap(), url }
    }

    /// `calls` calls of the generated client, one after the other.
    pub fn generated_calls(&self, calls: usize) {
        self.runtime.block_on(async {
            for _ in 0..calls {
                std::hint::black_box(self.client.get_standard_account(self.id).await.unwrap());
            }
        })
    }

    /// The same `calls` made with reqwest by hand.
    pub fn bare_calls(&self, calls: usize) {
        self.runtime.block_on(async {
            for _ in 0..calls {
                let response = self
                    .bare
                    .get(&self.url)
                    .bearer_auth("token")
                    .header("x-api-version", "1.0-rev0")
                    .header("accept", "application/json")
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success());
                let body = response.bytes().await.unwrap();
                let account: veeam_api::backup_for_aws::models::StandardAccount =
                    serde_json::from_slice(&body).unwrap();
                std::hint::black_box(account);
            }
        })
    }
}
