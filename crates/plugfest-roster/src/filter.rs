//! The `filter` query grammar (spec-notes oneroster.md §2.3): `field op 'value'` with at most one
//! `AND`/`OR` joining two clauses. Built here (quoting a `'` inside a value by doubling it, the
//! reading of LongsightGroup's client) and evaluated client-side on objects, so the provider's
//! filtered answers can be compared with what the filter selects.

use serde_json::Value;
use std::cmp::Ordering;

/// A predicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `~` (contains)
    Contains,
}

impl Op {
    /// The operator as written in a filter.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Contains => "~",
        }
    }

    /// Parse an operator symbol.
    pub fn parse(s: &str) -> Option<Op> {
        [Op::Eq, Op::Ne, Op::Gt, Op::Ge, Op::Lt, Op::Le, Op::Contains]
            .into_iter()
            .find(|o| o.symbol() == s)
    }
}

/// `AND` or `OR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logic {
    /// Both clauses.
    And,
    /// Either clause.
    Or,
}

/// One `field op 'value'` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Property name (a dotted path reaches into objects).
    pub field: String,
    /// Predicate.
    pub op: Op,
    /// The value, unquoted.
    pub value: String,
}

/// A filter: one clause, or two joined by a logical operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// First clause.
    pub first: Clause,
    /// Optional second clause.
    pub second: Option<(Logic, Clause)>,
}

/// How strings are compared: the binding defines no collation or case rule for filters, so both
/// readings are evaluated and a provider may match either (byte order, or ASCII case folded as SQL
/// `NOCASE`/`LIKE` do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Byte-exact.
    Sensitive,
    /// ASCII case folded (what SQL `LIKE` does).
    Insensitive,
}

impl Clause {
    /// A clause.
    pub fn new(field: &str, op: Op, value: &str) -> Clause {
        Clause {
            field: field.to_string(),
            op,
            value: value.to_string(),
        }
    }

    fn render(&self) -> String {
        format!(
            "{}{}'{}'",
            self.field,
            self.op.symbol(),
            self.value.replace('\'', "''")
        )
    }

    /// Does `item` satisfy the clause? A missing field never matches (not even `!=`).
    pub fn matches(&self, item: &Value, case: Case) -> bool {
        let Some(actual) = lookup(item, &self.field) else {
            return false;
        };
        match self.op {
            Op::Contains => match case {
                Case::Sensitive => actual.contains(&self.value),
                Case::Insensitive => actual
                    .to_ascii_lowercase()
                    .contains(&self.value.to_ascii_lowercase()),
            },
            op => {
                let ord = match case {
                    Case::Sensitive => compare(&actual, &self.value),
                    Case::Insensitive => compare(
                        &actual.to_ascii_lowercase(),
                        &self.value.to_ascii_lowercase(),
                    ),
                };
                match op {
                    Op::Eq => ord == Ordering::Equal,
                    Op::Ne => ord != Ordering::Equal,
                    Op::Gt => ord == Ordering::Greater,
                    Op::Ge => ord != Ordering::Less,
                    Op::Lt => ord == Ordering::Less,
                    Op::Le => ord != Ordering::Greater,
                    Op::Contains => unreachable!("handled above"),
                }
            }
        }
    }
}

impl Filter {
    /// A one-clause filter.
    pub fn one(c: Clause) -> Filter {
        Filter {
            first: c,
            second: None,
        }
    }

    /// Two clauses joined by `logic`.
    pub fn two(a: Clause, logic: Logic, b: Clause) -> Filter {
        Filter {
            first: a,
            second: Some((logic, b)),
        }
    }

    /// The filter as sent (before URL encoding).
    pub fn render(&self) -> String {
        match &self.second {
            None => self.first.render(),
            Some((l, b)) => format!(
                "{} {} {}",
                self.first.render(),
                match l {
                    Logic::And => "AND",
                    Logic::Or => "OR",
                },
                b.render()
            ),
        }
    }

    /// Does `item` satisfy the filter?
    pub fn matches(&self, item: &Value, case: Case) -> bool {
        let a = self.first.matches(item, case);
        match &self.second {
            None => a,
            Some((Logic::And, b)) => a && b.matches(item, case),
            Some((Logic::Or, b)) => a || b.matches(item, case),
        }
    }

    /// Whether the two case readings can differ for this filter (not for date-times).
    pub fn case_matters(&self) -> bool {
        let reads_case = |c: &Clause| c.field != "dateLastModified";
        reads_case(&self.first) || self.second.as_ref().is_some_and(|(_, b)| reads_case(b))
    }
}

/// The string value of `field` (dotted path) in `item`; numbers and booleans as their JSON text.
pub fn lookup(item: &Value, field: &str) -> Option<String> {
    let mut v = item;
    for part in field.split('.') {
        v = v.get(part)?;
    }
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Compare two values: as instants when both are RFC 3339 date-times (so `…00Z` equals
/// `…00.000Z`), else as byte strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;
    match (
        OffsetDateTime::parse(a, &Rfc3339),
        OffsetDateTime::parse(b, &Rfc3339),
    ) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.as_bytes().cmp(b.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_and_quotes() {
        let f = Filter::two(
            Clause::new("familyName", Op::Eq, "O'Brien"),
            Logic::And,
            Clause::new("status", Op::Ne, "tobedeleted"),
        );
        assert_eq!(
            f.render(),
            "familyName='O''Brien' AND status!='tobedeleted'"
        );
    }

    #[test]
    fn evaluates_every_predicate() {
        let u = json!({"familyName": "Moreno", "dateLastModified": "2024-05-01T10:00:00.000Z", "role": {"x": "y"}});
        let t = |f: &str, op, v: &str| Clause::new(f, op, v).matches(&u, Case::Sensitive);
        assert!(t("familyName", Op::Eq, "Moreno"));
        assert!(!t("familyName", Op::Ne, "Moreno"));
        assert!(t("familyName", Op::Gt, "Mor"));
        assert!(t("familyName", Op::Ge, "Moreno"));
        assert!(t("familyName", Op::Lt, "N"));
        assert!(t("familyName", Op::Le, "Moreno"));
        assert!(t("familyName", Op::Contains, "ren"));
        assert!(!t("familyName", Op::Contains, "REN"));
        assert!(Clause::new("familyName", Op::Contains, "REN").matches(&u, Case::Insensitive));
        assert!(t("dateLastModified", Op::Gt, "2024-05-01T09:59:59Z"));
        assert!(!t("dateLastModified", Op::Gt, "2024-05-01T10:00:00Z"));
        assert!(t("role.x", Op::Eq, "y"));
        assert!(!t("missing", Op::Ne, "y"));
    }

    #[test]
    fn logic_combines() {
        let u = json!({"a": "1", "b": "2"});
        let a = Clause::new("a", Op::Eq, "1");
        let nb = Clause::new("b", Op::Eq, "3");
        assert!(!Filter::two(a.clone(), Logic::And, nb.clone()).matches(&u, Case::Sensitive));
        assert!(Filter::two(a, Logic::Or, nb).matches(&u, Case::Sensitive));
    }
}
