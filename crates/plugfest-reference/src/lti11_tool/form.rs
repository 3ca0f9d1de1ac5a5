//! The launch form: every `application/x-www-form-urlencoded` pair in the order sent, kept as
//! a list because OAuth signs every value of a repeated name (RFC 5849 §3.4.1.3.2: "If two or
//! more parameters share the same name, they are sorted by their value").

/// The decoded name/value pairs of a form body, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
}

/// A parameter the tool reads had more than one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Repeated;

impl Form {
    /// Decode a form body (`+` is a space, `%XX` an octet; invalid UTF-8 is replaced).
    pub(crate) fn parse(body: &[u8]) -> Self {
        Self {
            pairs: url::form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    /// Every pair, in order (what the signature covers).
    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The one value of `name`: `Ok(None)` when absent, `Err` when given more than once.
    pub(crate) fn single(&self, name: &str) -> Result<Option<&str>, Repeated> {
        let mut values = self
            .pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        match values.next() {
            Some(_) => Err(Repeated),
            None => Ok(first),
        }
    }

    /// The first value of `name`, if any (for optional parameters the tool only displays or
    /// remembers).
    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name` unless it is empty.
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.first(name).filter(|v| !v.is_empty())
    }

    /// Whether `name` is present (even empty).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| n == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_keep_order_and_repeats() {
        let form = Form::parse(b"custom_tag=zeta&a=%C2%BD+x&custom_tag=alpha&e=");
        assert_eq!(form.pairs().len(), 4);
        assert_eq!(form.single("a"), Ok(Some("½ x")));
        assert_eq!(form.single("custom_tag"), Err(Repeated));
        assert_eq!(form.single("missing"), Ok(None));
        assert_eq!(form.first("custom_tag"), Some("zeta"));
        assert_eq!(form.non_empty("e"), None);
        assert!(form.has("e") && !form.has("missing"));
    }
}
