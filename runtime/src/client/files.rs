//! Bodies that are not JSON or XML documents: files sent ([`Upload`], as a whole body or a
//! multipart part), files received whole ([`Download`]) or streamed ([`ByteStream`]).
//!
//! File contents are data, maybe private: `Debug` shows their size and names, never the bytes.

use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use reqwest::header::{HeaderMap, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};

use super::error::IoError;
use super::request::ParamValue;
use super::Error;

/// A file to send: a whole request body or a part of a `multipart/form-data` body.
///
/// From bytes in memory ([`Upload::from_bytes`]) or from a path ([`Upload::from_path`]), which is
/// opened when the request is sent and streamed, never read into memory whole (and opened again
/// if the call is retried after a token refresh).
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone, PartialEq, Eq)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
}

impl Upload {
    /// The file's content, in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        Upload { source: Source::Bytes(bytes.into()), file_name: None, content_type: None }
    }

    /// The file at `path`, read when the request is sent. Its file name is sent with it (in a
    /// multipart part) unless [`Upload::file_name`] sets another.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned());
        Upload { source: Source::Path(path), file_name, content_type: None }
    }

    /// The file name sent in a multipart part's `Content-Disposition`.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The media type sent with the file; without one, the operation's (or
    /// `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The path the file is read from, if it is not in memory.
    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::Path(path) => Some(path),
            Source::Bytes(_) => None,
        }
    }

    pub(super) fn media_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    pub(super) fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The body, opening the file if there is one.
    pub(super) async fn body<E>(&self, operation: &'static str) -> Result<(reqwest::Body, Option<u64>), Error<E>> {
        match &self.source {
            Source::Bytes(bytes) => Ok((reqwest::Body::from(bytes.clone()), Some(bytes.len() as u64))),
            Source::Path(path) => {
                let failed = |e| Error::Io(IoError::new(operation, format!("cannot read `{}`", path.display()), e));
                let file = tokio::fs::File::open(path).await.map_err(failed)?;
                let length = file.metadata().await.map_err(failed)?.len();
                Ok((reqwest::Body::from(file), Some(length)))
            }
        }
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::from_bytes(bytes)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Upload::from_bytes(bytes)
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Upload");
        match &self.source {
            Source::Bytes(bytes) => debug.field("bytes", &bytes.len()),
            Source::Path(path) => debug.field("path", path),
        };
        debug.field("file_name", &self.file_name).field("content_type", &self.content_type).finish()
    }
}

/// A value sent as one or more parts of a `multipart/form-data` body: a file, a text value, or
/// an optional or a list of either.
pub trait PartValue {
    /// Adds this value's parts under `name`.
    fn add_parts(&self, name: &'static str, parts: &mut Vec<(&'static str, Part)>);
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A text value.
    Text(String),
    /// A file.
    File(Upload),
}

impl<T: ParamValue + ?Sized> PartValue for T {
    fn add_parts(&self, name: &'static str, parts: &mut Vec<(&'static str, Part)>) {
        parts.push((name, Part::Text(self.to_param().into_owned())));
    }
}

impl PartValue for Upload {
    fn add_parts(&self, name: &'static str, parts: &mut Vec<(&'static str, Part)>) {
        parts.push((name, Part::File(self.clone())));
    }
}

impl<T: PartValue> PartValue for Option<T> {
    fn add_parts(&self, name: &'static str, parts: &mut Vec<(&'static str, Part)>) {
        if let Some(value) = self {
            value.add_parts(name, parts);
        }
    }
}

impl<T: PartValue> PartValue for Vec<T> {
    fn add_parts(&self, name: &'static str, parts: &mut Vec<(&'static str, Part)>) {
        for value in self {
            value.add_parts(name, parts);
        }
    }
}

/// The file name a `Content-Disposition` header gives (`attachment; filename="logs.zip"`).
fn disposition_file_name(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(CONTENT_DISPOSITION)?.to_str().ok()?;
    value.split(';').map(str::trim).find_map(|parameter| {
        let (key, name) = parameter.split_once('=')?;
        let name = name.trim().trim_matches('"');
        (key.trim().eq_ignore_ascii_case("filename") && !name.is_empty()).then(|| name.to_owned())
    })
}

fn header_text(headers: &HeaderMap, name: impl reqwest::header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A file the server sent, read whole (within the client's response size limit). For large files,
/// the operation's `stream()` hands the body over chunk by chunk instead.
#[derive(Clone, PartialEq, Eq)]
pub struct Download {
    content_type: Option<String>,
    file_name: Option<String>,
    bytes: Bytes,
}

impl Download {
    pub(super) fn new(headers: &HeaderMap, bytes: Vec<u8>) -> Self {
        Download {
            content_type: header_text(headers, CONTENT_TYPE).map(str::to_owned),
            file_name: disposition_file_name(headers),
            bytes: Bytes::from(bytes),
        }
    }

    /// The media type the server sent (`text/csv; charset=utf-8`), if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The file name from `Content-Disposition`, if the server sent one. It is the server's text:
    /// do not use it as a path without checking it.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The content, taken.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// The content as text, if it is UTF-8.
    pub fn text(&self) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(&self.bytes)
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("content_type", &self.content_type)
            .field("file_name", &self.file_name)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// A file the server is sending, handed over chunk by chunk as it arrives: nothing is held in
/// memory beyond the current chunk, and no size limit applies. `E` is the API's error body.
pub struct ByteStream<E> {
    operation: &'static str,
    status: u16,
    headers: HeaderMap,
    response: reqwest::Response,
    error: PhantomData<fn() -> E>,
}

impl<E> ByteStream<E> {
    pub(super) fn new(operation: &'static str, mut response: reqwest::Response) -> Self {
        let headers = std::mem::take(response.headers_mut());
        ByteStream { operation, status: response.status().as_u16(), headers, response, error: PhantomData }
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// A response header, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_text(&self.headers, name)
    }

    /// The media type the server sent, if any.
    pub fn content_type(&self) -> Option<&str> {
        header_text(&self.headers, CONTENT_TYPE)
    }

    /// The length the server announced, if it did.
    pub fn content_length(&self) -> Option<u64> {
        header_text(&self.headers, CONTENT_LENGTH).and_then(|v| v.parse().ok())
    }

    /// The file name from `Content-Disposition`, if the server sent one (the server's text: check
    /// it before using it as a path).
    pub fn file_name(&self) -> Option<String> {
        disposition_file_name(&self.headers)
    }

    /// The next chunk of the body; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error<E>> {
        self.response.chunk().await.map_err(|e| super::transport::transport_error(self.operation, e))
    }

    /// Writes the rest of the body to `writer` (a file, a socket) and flushes it; returns the
    /// number of bytes written.
    pub async fn copy_to<W>(mut self, writer: &mut W) -> Result<u64, Error<E>>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let operation = self.operation;
        let failed = |e| Error::Io(IoError::new(operation, "cannot write the downloaded file", e));
        let mut written = 0u64;
        while let Some(chunk) = self.chunk().await? {
            writer.write_all(&chunk).await.map_err(failed)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(failed)?;
        Ok(written)
    }
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("content_type", &self.content_type())
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn debug_shows_sizes_and_names_never_content() {
        let upload = Upload::from_bytes(&b"license-secret"[..]).file_name("a.lic");
        let text = format!("{upload:?}");
        assert!(text.contains("14") && text.contains("a.lic") && !text.contains("secret"), "{text}");
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/csv"));
        headers.insert(CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"users.csv\""));
        let download = Download::new(&headers, b"Name\nsecret".to_vec());
        assert_eq!((download.content_type(), download.file_name()), (Some("text/csv"), Some("users.csv")));
        assert!(!format!("{download:?}").contains("secret"));
    }

    #[test]
    fn part_values_flatten_options_and_lists() {
        let mut parts = Vec::new();
        Some(3).add_parts("n", &mut parts);
        None::<i32>.add_parts("none", &mut parts);
        vec![Upload::from_path("/tmp/x.pfx"), Upload::from_bytes(vec![1])].add_parts("f", &mut parts);
        "text".add_parts("t", &mut parts);
        let names: Vec<&str> = parts.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["n", "f", "f", "t"]);
        assert_eq!(parts[0].1, Part::Text("3".into()));
        assert!(matches!(&parts[1].1, Part::File(upload) if upload.name() == Some("x.pfx")));
    }
}
