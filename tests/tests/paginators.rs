//! Paginators on a loopback server: Backup for AWS lists (offset and limit, with a total) and
//! the Enterprise Manager query service (page and page size, with a page count), read as a
//! stream of items or of pages, each page fetched when the stream gets there.

use veeam_api::stream::{StreamExt, TryStreamExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The query parameter `name` of a request, as a number.
fn number(request: &Request, name: &str) -> Option<i64> {
    request.url.query_pairs().find(|(key, _)| key == name).and_then(|(_, value)| value.parse().ok())
}

/// A Backup for AWS SMTP account, numbered.
fn account(n: i64) -> serde_json::Value {
    serde_json::json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "name": format!("account {n}"),
        "username": "mail@example.com",
        "description": null,
        "_links": []
    })
}

/// Backup for AWS with `total` SMTP accounts, answering `Offset` and `Limit` as the server does.
async fn accounts_server(total: i64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/standard"))
        .respond_with(move |request: &Request| {
            let offset = number(request, "Offset").unwrap_or(0);
            let limit = number(request, "Limit").filter(|limit| *limit >= 0).unwrap_or(100);
            let results: Vec<_> = (offset..total.min(offset + limit)).map(account).collect();
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "results": results, "totalCount": total }))
        })
        .mount(&server)
        .await;
    server
}

fn bfa_client(server: &MockServer) -> veeam_api::backup_for_aws::Client {
    veeam_api::backup_for_aws::Client::builder(server.uri()).build().unwrap()
}

#[tokio::test]
async fn five_items_in_pages_of_two_take_three_requests() {
    let server = accounts_server(5).await;
    let client = bfa_client(&server);
    client.set_tokens("access", None, None).await;
    let accounts: Vec<_> = client.list_standard_accounts().limit(2).items().try_collect().await.unwrap();
    let names: Vec<&str> = accounts.iter().map(|account| account.name.as_str()).collect();
    assert_eq!(names, ["account 0", "account 1", "account 2", "account 3", "account 4"]);
    let requests = server.received_requests().await.unwrap();
    let offsets: Vec<_> = requests.iter().map(|request| number(request, "Offset")).collect();
    // The first page as the builder asks for it (no offset), then offsets 2 and 4.
    assert_eq!(offsets, [None, Some(2), Some(4)]);
    assert!(requests.iter().all(|request| number(request, "Limit") == Some(2)));
}

#[tokio::test]
async fn pages_are_fetched_only_as_the_stream_is_read() {
    let server = accounts_server(5).await;
    let client = bfa_client(&server);
    client.set_tokens("access", None, None).await;
    let mut pages = Box::pin(client.list_standard_accounts().search_pattern("a*").limit(2).pages());
    assert_eq!(server.received_requests().await.unwrap().len(), 0, "nothing is sent before the stream is read");
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!((first.results.len(), first.total_count), (2, 5));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    // Every page keeps the other parameters.
    let second = pages.try_next().await.unwrap().unwrap();
    assert_eq!(second.results[0].name, "account 2");
    let requests = server.received_requests().await.unwrap();
    assert!(requests[1].url.query().unwrap().contains("SearchPattern=a*"), "{:?}", requests[1].url);
    drop(pages);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_start_position_a_whole_list_and_an_empty_one() {
    let server = accounts_server(5).await;
    let client = bfa_client(&server);
    client.set_tokens("access", None, None).await;
    // From offset 3: two items, one request (the total is reached).
    let rest: Vec<_> = client.list_standard_accounts().offset(3).limit(10).items().try_collect().await.unwrap();
    assert_eq!(rest.len(), 2);
    // `Limit=-1` (everything): one request, the total says it was all.
    let all: Vec<_> = client.list_standard_accounts().limit(-1).items().try_collect().await.unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    let empty = accounts_server(0).await;
    let client = bfa_client(&empty);
    client.set_tokens("access", None, None).await;
    let none: Vec<_> = client.list_standard_accounts().items().try_collect().await.unwrap();
    assert!(none.is_empty());
    assert_eq!(empty.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_pages_before_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "results": [account(0), account(1)], "totalCount": 6 })),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({
            "title": "Forbidden", "status": 403, "errorCode": "AccessDenied", "details": "no access"
        })))
        .mount(&server)
        .await;
    let client = bfa_client(&server);
    client.set_tokens("access", None, None).await;
    let read: Vec<_> = client.list_standard_accounts().limit(2).items().collect().await;
    assert_eq!(read.len(), 3, "two items, then the error");
    assert!(read[0].is_ok() && read[1].is_ok());
    let error = read[2].as_ref().unwrap_err();
    assert!(error.to_string().contains("403"), "{error}");
    assert!(matches!(error, veeam_api::backup_for_aws::Error::Api(_)), "{error:?}");
}

/// Enterprise Manager with `total` backup servers, answering `page` and `pageSize` with a page
/// count, as the query service does; without `pageSize`, everything at once and no paging info.
async fn query_server(total: i64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/query"))
        .respond_with(move |request: &Request| {
            let size = number(request, "pageSize");
            let page = number(request, "page").unwrap_or(1);
            let (first, last) = match size {
                Some(size) => ((page - 1) * size, (page * size).min(total)),
                None => (0, total),
            };
            let refs: String = (first..last)
                .map(|n| {
                    format!(
                        r#"<Ref Type="BackupServerReference" Href="https://em:9398/api/backupServers/{n}" Name="server {n}" UID="urn:veeam:BackupServer:00000000-0000-4000-8000-{n:012}"/>"#
                    )
                })
                .collect();
            let paging = size.map_or(String::new(), |size| {
                let pages = (total + size - 1) / size;
                format!(r#"<PagingInfo PageNum="{page}" PageSize="{size}" PagesCount="{pages}"/>"#)
            });
            let body = format!(r#"<QueryResult xmlns="http://www.veeam.com/ent/v1.0"><Refs>{refs}</Refs>{paging}</QueryResult>"#);
            ResponseTemplate::new(200).set_body_raw(body, "application/xml")
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_query_service_pages_by_page_number() {
    let server = query_server(5).await;
    let client = veeam_api::enterprise_manager::Client::builder(server.uri()).build().unwrap();
    client.set_session_id("session");
    let refs: Vec<_> = client.query_backup_servers().page_size(2).items().try_collect().await.unwrap();
    let names: Vec<_> = refs.iter().map(|reference| reference.name.clone().unwrap_or_default()).collect();
    assert_eq!(names, ["server 0", "server 1", "server 2", "server 3", "server 4"]);
    let pages: Vec<_> = server.received_requests().await.unwrap().iter().map(|r| number(r, "page")).collect();
    assert_eq!(pages, [None, Some(2), Some(3)]);

    // Without a page size the server answers everything: one request.
    let server = query_server(4).await;
    let client = veeam_api::enterprise_manager::Client::builder(server.uri()).build().unwrap();
    client.set_session_id("session");
    let refs: Vec<_> = client.query_backup_servers().items().try_collect().await.unwrap();
    assert_eq!(refs.len(), 4);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
