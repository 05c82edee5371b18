//! How deep a YAML text nests, found in one linear pass before a real parser sees it: YAML
//! scanners (libyaml, yaml-rust2) are quadratic in the nesting of flow collections (`[[[[…`),
//! since every open bracket may start a key they must look ahead for.
//!
//! A small lexer, enough to count nesting: flow collections (`[`, `{`) inside flow context and at
//! the start of a value in block context; block collections by indentation (each `- ` or `key:`
//! deeper than its parent); quoted scalars, comments and block scalars (`|`, `>`) skipped.

/// The first place where the text nests deeper than `limit`: (line, column), 1-based.
pub fn too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut flow = 0usize;
    // Indentation of the open block collections.
    let mut blocks: Vec<usize> = Vec::new();
    // Inside a block scalar: lines indented deeper than this belong to it.
    let mut block_scalar: Option<usize> = None;
    // Inside a quoted scalar that spans lines: its quote character.
    let mut quoted: Option<u8> = None;
    for (line_index, line) in text.split('\n').enumerate() {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|b| **b == b' ').count();
        let blank = bytes[indent..].iter().all(|b| b.is_ascii_whitespace()) || bytes.get(indent) == Some(&b'#');
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        if flow == 0 && quoted.is_none() && !blank {
            while blocks.last().is_some_and(|open| *open >= indent) {
                blocks.pop();
            }
        }
        let mut at_value_start = flow == 0 && quoted.is_none();
        let mut position = indent;
        let mut previous = b' ';
        while position < bytes.len() {
            let byte = bytes[position];
            let column = position + 1;
            if let Some(quote) = quoted {
                if byte == quote {
                    if quote == b'\'' && bytes.get(position + 1) == Some(&b'\'') {
                        position += 2;
                        continue;
                    }
                    quoted = None;
                    at_value_start = false;
                } else if quote == b'"' && byte == b'\\' {
                    position += 1;
                }
                position += 1;
                previous = byte;
                continue;
            }
            match byte {
                b'#' if previous == b' ' || previous == b'\t' || position == 0 => break,
                b'\'' | b'"' if at_value_start => quoted = Some(byte),
                b'[' | b'{' if flow > 0 || at_value_start => {
                    flow += 1;
                    if flow + blocks.len() > limit {
                        return Some((line_index + 1, column));
                    }
                    at_value_start = true;
                }
                b']' | b'}' if flow > 0 => {
                    flow -= 1;
                    at_value_start = false;
                }
                b',' if flow > 0 => at_value_start = true,
                b' ' | b'\t' => {}
                b'-' | b'?' if flow == 0 && at_value_start && matches!(bytes.get(position + 1), None | Some(b' ')) => {
                    // A block sequence item (or complex key) at this column.
                    blocks.push(position);
                    if flow + blocks.len() > limit {
                        return Some((line_index + 1, column));
                    }
                }
                b':' if matches!(bytes.get(position + 1), None | Some(b' ')) || flow > 0 => {
                    if flow == 0 {
                        // A key: a mapping at the key's indentation holds it.
                        let key_column = position.min(indent);
                        if blocks.last() != Some(&key_column) {
                            blocks.push(key_column);
                            if blocks.len() > limit {
                                return Some((line_index + 1, column));
                            }
                        }
                    }
                    at_value_start = true;
                }
                b'|' | b'>' if flow == 0 && at_value_start => {
                    block_scalar = Some(indent);
                    break;
                }
                _ => at_value_start = false,
            }
            previous = byte;
            position += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::too_deep;

    #[test]
    fn flow_nesting() {
        let deep = format!("a: {}{}", "[".repeat(100), "]".repeat(100));
        // The key `a` is one level, so the 64th bracket (column 67) is one too many.
        assert_eq!(too_deep(&deep, 64), Some((1, 67)));
        assert_eq!(too_deep(&format!("a: {}", "{a: ".repeat(70)), 64), Some((1, 3 + 4 * 63 + 1)));
        assert_eq!(too_deep("a: [1, [2, [3]]]\nb: {c: [d]}\n", 64), None);
        // Brackets in quotes, comments, plain and block scalars are text.
        let text = format!(
            "a: '{}'\nb: \"{}\"\nc: see [this] and {{that}} # {}\nd: |\n  {}\n  more\ne: x\n",
            "[".repeat(100),
            "[".repeat(100),
            "[".repeat(100),
            "[".repeat(100)
        );
        assert_eq!(too_deep(&text, 8), None);
    }

    #[test]
    fn block_nesting() {
        let mut text = String::new();
        for depth in 0..70 {
            text.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
        }
        assert!(too_deep(&text, 64).is_some());
        assert_eq!(too_deep(&text, 100), None);
        let dashes = format!("{}x\n", "- ".repeat(70));
        assert!(too_deep(&dashes, 64).is_some());
        let spec = "schemas:\n  Foo:\n    kind: object\n    fields:\n      bar: { type: string, xml: { item: x } }\n";
        assert_eq!(too_deep(spec, 6), None);
        assert!(too_deep(spec, 4).is_some());
    }

    #[test]
    fn linear_on_hostile_input() {
        for text in ["[".repeat(1_000_000), "{a: ".repeat(250_000), "- ".repeat(500_000), "'".repeat(1_000_000)] {
            let started = std::time::Instant::now();
            let _ = too_deep(&text, 64);
            assert!(started.elapsed() < std::time::Duration::from_secs(2));
        }
    }
}
