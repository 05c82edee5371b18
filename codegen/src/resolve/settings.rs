//! Phase 1: the `api` section (module name, base path, formats, namespace, fixed headers).

use super::{docs, format, Resolver};
use crate::ir::{self, Format, Ident};
use crate::load::ast;

/// The checked `api` section.
pub(super) struct Settings<'a> {
    /// The file holding the section.
    pub file: usize,
    pub module: Option<Ident>,
    pub title: String,
    pub description: Option<String>,
    pub sources: Vec<String>,
    pub base_path: String,
    pub default_port: Option<u16>,
    pub formats: Vec<Format>,
    pub default_format: Format,
    pub xml_namespace: Option<String>,
    pub headers: Vec<ir::FixedHeader>,
    pub auth: Option<&'a ast::Auth>,
    pub error_message: Vec<String>,
    pub tasks: Option<&'a ast::Tasks>,
}

impl<'a> Resolver<'a> {
    pub(super) fn settings(&mut self) -> Option<Settings<'a>> {
        let ast = self.ast;
        let Some(section) = ast.api.first() else {
            // A folder whose api section failed to parse already has its error.
            if !ast.incomplete && !self.diagnostics.iter().any(|d| ast.files.iter().any(|f| f.name == d.file)) {
                self.error(0, "", "no `api` section in this API folder; one file must have it");
            }
            return None;
        };
        for extra in &ast.api[1..] {
            let message = format!("second `api` section; the first is in {}", self.file_name(section.file).display());
            self.error(extra.file, "api", message);
        }
        let file = section.file;
        let api = &section.value;
        let module = match super::names::api_name(&api.name) {
            Ok(name) => Some(name),
            Err(message) => {
                self.error(file, "api.name", message);
                None
            }
        };
        let base_path = api.base_path.trim_end_matches('/').to_owned();
        if !api.base_path.starts_with('/') {
            self.error(file, "api.base_path", format!("`{}` must start with `/`", api.base_path.escape_debug()));
        } else if !base_path.bytes().all(|b| b.is_ascii_graphic() && !b"?#%".contains(&b)) {
            let message = "a base path is made of visible ASCII characters, without `?`, `#` or `%`";
            self.error(file, "api.base_path", message);
        }
        let (formats, default_format) = self.formats(file, &api.formats);
        if formats.contains(&Format::Xml) && api.xml_namespace.is_none() {
            self.error(file, "api.xml_namespace", "an API that speaks XML needs `xml_namespace`");
        }
        let mut headers = Vec::new();
        for (name, value) in &api.headers {
            let path = format!("api.headers.{name}");
            self.header_name(file, &path, name);
            if value.is_empty() || !value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) {
                let message = format!("`{}` is not a valid header value (visible ASCII)", value.escape_debug());
                self.error(file, &path, message);
            }
            headers.push(ir::FixedHeader { name: name.clone(), value: value.clone() });
        }
        Some(Settings {
            file,
            module,
            title: api.title.trim().to_owned(),
            description: docs(&api.description),
            sources: api.sources.clone(),
            base_path,
            default_port: api.default_port,
            formats,
            default_format,
            xml_namespace: api.xml_namespace.clone(),
            headers,
            auth: api.auth.as_ref(),
            error_message: api.error_message.clone(),
            tasks: api.tasks.as_ref(),
        })
    }

    fn formats(&mut self, file: usize, formats: &ast::Formats) -> (Vec<Format>, Format) {
        let mut supported = Vec::new();
        for (index, name) in formats.supported.iter().enumerate() {
            match format(name) {
                Some(format) if supported.contains(&format) => {
                    let message = format!("format `{name}` is listed twice");
                    self.error(file, &format!("api.formats.supported[{index}]"), message);
                }
                Some(format) => supported.push(format),
                None => {
                    let message = format!("unknown format `{}`; expected `json` or `xml`", name.escape_debug());
                    self.error(file, &format!("api.formats.supported[{index}]"), message);
                }
            }
        }
        if formats.supported.is_empty() {
            self.error(file, "api.formats.supported", "an API must speak at least one format");
        }
        supported.sort();
        let default = match format(&formats.default) {
            Some(format) if supported.contains(&format) => format,
            _ => {
                let message = format!(
                    "default format `{}` is not one of the supported formats ({})",
                    formats.default.escape_debug(),
                    formats.supported.join(", ").escape_debug()
                );
                self.error(file, "api.formats.default", message);
                supported.first().copied().unwrap_or(Format::Json)
            }
        };
        if supported.is_empty() {
            supported.push(default);
        }
        (supported, default)
    }
}
