//! SHA-256 digests of inputs recorded in the run record (catalogue, features, config).

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes);
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Digest of several named parts, order-independent of how they were gathered (sorted by name).
pub fn sha256_of_parts<'a>(parts: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut parts: Vec<_> = parts.into_iter().collect();
    parts.sort_by(|a, b| a.0.cmp(b.0));
    let mut all = Vec::new();
    for (name, bytes) in parts {
        all.extend_from_slice(name.as_bytes());
        all.push(0);
        all.extend_from_slice(sha256_hex(bytes).as_bytes());
        all.push(b'\n');
    }
    sha256_hex(&all)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_empty_input_is_the_known_value() {
        assert_eq!(
            super::sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
