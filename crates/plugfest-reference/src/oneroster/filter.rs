//! The `filter` query parameter: its grammar parsed into a small tree, and that tree turned
//! into an SQL condition over an object's stored JSON with every value a bound parameter.
//!
//! Grammar (OneRoster 1.1 and 1.2 REST bindings, "Filtering"; spec-notes §2.3):
//! `filter = clause [SP ("AND" / "OR") SP clause]`, `clause = field predicate "'" value "'"`,
//! predicates `=`, `!=`, `>`, `>=`, `<`, `<=`, `~` (contains). A quote inside a value is written
//! twice (`'O''Brien'`); a field may be a dotted path (`class.sourcedId`, `roles.role`), an
//! extension this provider offers. Anything else is refused with a message that names the
//! problem (the caller answers 400 `invalid_filter_field`).

use rusqlite::types::Value;

use super::Version;
use super::fault::Bends;
use super::model::{Field, Kind, Ty, lookup};

/// The longest filter accepted, in bytes.
const MAX_FILTER_LEN: usize = 2048;
/// The longest value inside quotes, in bytes.
const MAX_VALUE_LEN: usize = 512;
/// The most dotted segments in a field path.
const MAX_PATH_SEGMENTS: usize = 4;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Contains,
}

/// One `field op 'value'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clause {
    /// The field path, split at dots.
    pub path: Vec<String>,
    pub op: Op,
    /// The value, quotes removed and `''` unescaped.
    pub value: String,
}

/// How two clauses combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Logic {
    And,
    Or,
}

/// A parsed filter: one clause, or two joined by AND / OR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Filter {
    pub first: Clause,
    pub rest: Option<(Logic, Clause)>,
}

/// Why a filter was refused; `field` names the offending field when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FilterError {
    pub message: String,
}

fn err<T>(message: impl Into<String>) -> Result<T, FilterError> {
    Err(FilterError {
        message: message.into(),
    })
}

/// Parse a filter expression (already percent-decoded).
pub(crate) fn parse(input: &str) -> Result<Filter, FilterError> {
    if input.len() > MAX_FILTER_LEN {
        return err(format!("filter longer than {MAX_FILTER_LEN} bytes"));
    }
    let mut p = Parser { s: input, pos: 0 };
    p.skip_ws();
    let first = p.clause()?;
    let had_ws = p.skip_ws();
    if p.at_end() {
        return Ok(Filter { first, rest: None });
    }
    if !had_ws {
        return err(format!("unexpected text after clause at byte {}", p.pos));
    }
    let logic = match p.word() {
        "AND" => Logic::And,
        "OR" => Logic::Or,
        other => return err(format!("expected AND or OR, found `{}`", clip(other))),
    };
    if !p.skip_ws() {
        return err("a logical operator must be followed by a space");
    }
    let second = p.clause()?;
    p.skip_ws();
    if !p.at_end() {
        return err("a filter holds at most two clauses joined by one AND or OR");
    }
    Ok(Filter {
        first,
        rest: Some((logic, second)),
    })
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn skip_ws(&mut self) -> bool {
        let n = self.rest().len() - self.rest().trim_start_matches([' ', '\t']).len();
        self.pos += n;
        n > 0
    }

    fn word(&mut self) -> &str {
        let n = self
            .rest()
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(self.rest().len());
        let w = &self.s[self.pos..self.pos + n];
        self.pos += n;
        w
    }

    fn clause(&mut self) -> Result<Clause, FilterError> {
        let n = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(self.rest().len());
        let field = &self.s[self.pos..self.pos + n];
        self.pos += n;
        if field.is_empty() {
            return err(format!("expected a field name at byte {}", self.pos));
        }
        let path: Vec<String> = field.split('.').map(str::to_owned).collect();
        if path.len() > MAX_PATH_SEGMENTS
            || path
                .iter()
                .any(|s| s.is_empty() || !s.starts_with(|c: char| c.is_ascii_alphabetic()))
        {
            return err(format!("`{}` is not a field name", clip(field)));
        }
        self.skip_ws();
        let op = [
            ("!=", Op::Ne),
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("=", Op::Eq),
            (">", Op::Gt),
            ("<", Op::Lt),
            ("~", Op::Contains),
        ]
        .into_iter()
        .find(|(t, _)| self.rest().starts_with(t));
        let Some((token, op)) = op else {
            return err(format!("expected a predicate after `{}`", clip(field)));
        };
        self.pos += token.len();
        self.skip_ws();
        if !self.rest().starts_with('\'') {
            return err(format!(
                "the value for `{}` must be in single quotes",
                clip(field)
            ));
        }
        self.pos += 1;
        let mut value = String::new();
        loop {
            let Some(c) = self.rest().chars().next() else {
                return err(format!(
                    "unbalanced quote in the value for `{}`",
                    clip(field)
                ));
            };
            self.pos += c.len_utf8();
            if c == '\'' {
                if self.rest().starts_with('\'') {
                    self.pos += 1;
                    value.push('\'');
                } else {
                    break;
                }
            } else {
                value.push(c);
            }
            if value.len() > MAX_VALUE_LEN {
                return err(format!("value longer than {MAX_VALUE_LEN} bytes"));
            }
        }
        Ok(Clause { path, op, value })
    }
}

/// At most 60 characters of `s`, for messages.
fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

/// An SQL condition and the values bound to its `?`s, in order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Condition {
    pub sql: String,
    pub params: Vec<Value>,
}

/// The condition for `filter` over the JSON of table alias `t` holding `kind` objects, bent
/// by the filter faults of `bends` (an unknown field dropped, operators misread).
pub(crate) fn to_sql(
    filter: &Filter,
    kind: Kind,
    version: Version,
    bends: &Bends,
) -> Result<Condition, FilterError> {
    let fields = kind.fields(version);
    let mut out = Condition::default();
    let first = clause_sql(&filter.first, fields, &mut out.params, bends)?;
    match &filter.rest {
        None => out.sql = first,
        Some((logic, second)) => {
            let second = clause_sql(second, fields, &mut out.params, bends)?;
            let joiner = match (logic, bends.and_as_or, bends.or_as_and) {
                (Logic::And, false, _) | (Logic::Or, _, true) => "AND",
                _ => "OR",
            };
            out.sql = format!("(({first}) {joiner} ({second}))");
        }
    }
    Ok(out)
}

fn clause_sql(
    clause: &Clause,
    fields: &[Field],
    params: &mut Vec<Value>,
    bends: &Bends,
) -> Result<String, FilterError> {
    let ignore_unknown = bends.filter_unknown_field_ignored;
    let op = match clause.op {
        Op::Ne if bends.not_equal_as_equal => Op::Eq,
        Op::Le if bends.less_or_equal_exclusive => Op::Lt,
        op => op,
    };
    let bent = Clause {
        op,
        ..clause.clone()
    };
    let clause = &bent;
    let name = clause.path.join(".");
    let unknown = || FilterError {
        message: format!("unknown filter field `{}`", clip(&name)),
    };
    let resolved = match resolve(&clause.path, fields) {
        Some(r) => r,
        None if ignore_unknown => return Ok("1".to_owned()),
        None => return Err(unknown()),
    };
    let text_dates = |ty: Ty| {
        if bends.date_time_as_text && ty == Ty::DateTime {
            Ty::Str
        } else {
            ty
        }
    };
    let prefix = bends.contains_as_prefix;
    match resolved {
        Resolved::Scalar { json_path, ty } => {
            let ty = text_dates(ty);
            params.push(Value::Text(json_path));
            let expr = "json_extract(t.json, ?)";
            compare(expr, ty, clause, params, prefix)
        }
        Resolved::InArray {
            array_path,
            inner_path,
            ty,
        } => {
            params.push(Value::Text(array_path));
            let expr = match inner_path {
                Some(p) => {
                    params.push(Value::Text(p));
                    "json_extract(j.value, ?)"
                }
                None => "j.value",
            };
            // `!=` over an array: no element equals the value.
            let (negate, op) = match clause.op {
                Op::Ne => (true, Op::Eq),
                op => (false, op),
            };
            let inner = Clause {
                op,
                ..clause.clone()
            };
            let cond = compare(expr, text_dates(ty), &inner, params, prefix)?;
            // Parameters were pushed in text order: json_each's path, the element path, values.
            Ok(format!(
                "{}EXISTS (SELECT 1 FROM json_each(t.json, ?) j WHERE {cond})",
                if negate { "NOT " } else { "" }
            ))
        }
    }
}

/// Where a filter path leads.
enum Resolved {
    /// A scalar reached through objects only: `json_extract(json, json_path)`.
    Scalar { json_path: String, ty: Ty },
    /// A scalar inside the elements of one array.
    InArray {
        array_path: String,
        inner_path: Option<String>,
        ty: Ty,
    },
}

fn resolve(path: &[String], fields: &[Field]) -> Option<Resolved> {
    let mut json_path = String::from("$");
    let mut current = fields;
    for (i, seg) in path.iter().enumerate() {
        let ty = lookup(current, seg)?;
        json_path.push('.');
        json_path.push_str(seg);
        let last = i + 1 == path.len();
        match ty {
            Ty::Str | Ty::Num | Ty::Date | Ty::DateTime => {
                return last.then_some(Resolved::Scalar { json_path, ty });
            }
            Ty::Obj(inner) => current = inner,
            Ty::Strs => {
                return last.then_some(Resolved::InArray {
                    array_path: json_path,
                    inner_path: None,
                    ty: Ty::Str,
                });
            }
            Ty::Objs(inner) => {
                // The rest of the path must reach a scalar through objects only.
                let rest = &path[i + 1..];
                let mut inner_path = String::from("$");
                let mut cur = inner;
                for (k, s) in rest.iter().enumerate() {
                    let t = lookup(cur, s)?;
                    inner_path.push('.');
                    inner_path.push_str(s);
                    match t {
                        Ty::Str | Ty::Num | Ty::Date | Ty::DateTime if k + 1 == rest.len() => {
                            return Some(Resolved::InArray {
                                array_path: json_path,
                                inner_path: Some(inner_path),
                                ty: t,
                            });
                        }
                        Ty::Obj(next) => cur = next,
                        _ => return None,
                    }
                }
                return None;
            }
            Ty::Meta => return None,
        }
        if last {
            return None;
        }
    }
    None
}

/// `expr op value` for a property of type `ty`. An absent property is NULL in SQL, so it
/// satisfies no predicate — not even `!=` (three-valued logic: unknown is not true).
fn compare(
    expr: &str,
    ty: Ty,
    clause: &Clause,
    params: &mut Vec<Value>,
    contains_as_prefix: bool,
) -> Result<String, FilterError> {
    let op = match clause.op {
        Op::Eq => "=",
        Op::Ne => "!=",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Contains => {
            params.push(Value::Text(clause.value.clone()));
            let test = if contains_as_prefix { "= 1" } else { "> 0" };
            return Ok(format!("instr(CAST({expr} AS TEXT), ?) {test}"));
        }
    };
    let (lhs, param) = match ty {
        Ty::Num => {
            let Ok(n) = clause.value.trim().parse::<f64>() else {
                return err(format!(
                    "`{}` is a number; `{}` is not",
                    clause.path.join("."),
                    clip(&clause.value)
                ));
            };
            if !n.is_finite() {
                return err("a number must be finite");
            }
            (expr.to_owned(), Value::Real(n))
        }
        Ty::DateTime => {
            if !is_date_or_date_time(&clause.value) {
                return err(format!(
                    "`{}` is a date-time; `{}` is not one",
                    clause.path.join("."),
                    clip(&clause.value)
                ));
            }
            params.push(Value::Text(clause.value.clone()));
            let sql = format!("julianday({expr}) {op} julianday(?)");
            return Ok(sql);
        }
        _ => (expr.to_owned(), Value::Text(clause.value.clone())),
    };
    params.push(param);
    Ok(format!("{lhs} {op} ?"))
}

/// `YYYY-MM-DD`, or an RFC 3339 date-time (fraction and offset optional, `Z` or `±HH:MM`).
pub(crate) fn is_date_or_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    let date = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10);
    if !date {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if !(matches!(b.get(10), Some(b'T' | b't'))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19))
    {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start || i - start > 9 {
            return false;
        }
    }
    match &b[i..] {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(path: &str, op: Op, value: &str) -> Clause {
        Clause {
            path: path.split('.').map(str::to_owned).collect(),
            op,
            value: value.to_owned(),
        }
    }

    #[test]
    fn parses_each_predicate_and_logic() {
        for (text, op) in [
            ("familyName='x'", Op::Eq),
            ("familyName!='x'", Op::Ne),
            ("familyName>'x'", Op::Gt),
            ("familyName>='x'", Op::Ge),
            ("familyName<'x'", Op::Lt),
            ("familyName<='x'", Op::Le),
            ("familyName~'x'", Op::Contains),
        ] {
            let f = parse(text).unwrap();
            assert_eq!(f.first, clause("familyName", op, "x"), "{text}");
            assert_eq!(f.rest, None);
        }
        let f = parse("status='active' AND givenName='Colin Robert'").unwrap();
        assert_eq!(
            f.rest,
            Some((Logic::And, clause("givenName", Op::Eq, "Colin Robert")))
        );
        let f = parse("role='student' OR role='teacher'").unwrap();
        assert_eq!(f.rest.unwrap().0, Logic::Or);
        assert_eq!(
            parse("class.sourcedId = 'c1'").unwrap().first,
            clause("class.sourcedId", Op::Eq, "c1")
        );
    }

    #[test]
    fn doubled_quotes_escape_a_quote() {
        let f = parse("familyName='O''Brien'").unwrap();
        assert_eq!(f.first.value, "O'Brien");
        assert_eq!(parse("familyName=''''").unwrap().first.value, "'");
        assert_eq!(parse("familyName=''").unwrap().first.value, "");
    }

    #[test]
    fn hostile_inputs_are_refused_not_crashed() {
        let long_value = format!("familyName='{}'", "a".repeat(5000));
        let long_field = format!("{}='x'", "a".repeat(3000));
        for bad in [
            "",
            "familyName=jones",
            "familyName='jones",
            "familyName='O'Brien'",
            "familyName=='x'",
            "='x'",
            "familyName",
            "familyName 'x'",
            "a='1' AND b='2' AND c='3'",
            "a='1' and b='2'",
            "a='1' XOR b='2'",
            "a='1'AND b='2'",
            "a='1' AND",
            "a='1' AND ",
            ".a='1'",
            "a..b='1'",
            "1a='1'",
            "a.b.c.d.e='1'",
            "a='1'; DROP TABLE users; --",
            "a='1' OR 1=1",
            "é='x'",
            "a='\u{0}'x",
            long_value.as_str(),
            long_field.as_str(),
        ] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
        // Quotes, semicolons and SQL inside a value are just text.
        let f = parse("familyName='x'' OR ''1''=''1'").unwrap();
        assert_eq!(f.first.value, "x' OR '1'='1");
        let f = parse("familyName='; DROP TABLE users; --'").unwrap();
        assert_eq!(f.first.value, "; DROP TABLE users; --");
    }

    #[test]
    fn sql_binds_every_value_and_path() {
        let f = parse("familyName='x'' OR 1=1 --' AND dateLastModified>'2025-01-01T00:00:00Z'")
            .unwrap();
        let c = to_sql(&f, Kind::User, Version::V1p2, &Bends::default()).unwrap();
        assert!(!c.sql.contains("OR 1=1"), "{}", c.sql);
        assert!(!c.sql.contains("familyName"), "{}", c.sql);
        assert_eq!(c.sql.matches('?').count(), c.params.len());
        assert_eq!(c.params[1], Value::Text("x' OR 1=1 --".into()));

        let f = parse("roles.role='teacher'").unwrap();
        let c = to_sql(&f, Kind::User, Version::V1p2, &Bends::default()).unwrap();
        assert!(c.sql.starts_with("EXISTS"), "{}", c.sql);
        assert_eq!(c.sql.matches('?').count(), c.params.len());

        let f = parse("grades!='09'").unwrap();
        let c = to_sql(&f, Kind::Class, Version::V1p2, &Bends::default()).unwrap();
        assert!(c.sql.starts_with("NOT EXISTS"), "{}", c.sql);
    }

    #[test]
    fn unknown_or_mistyped_fields_are_refused() {
        for (text, kind) in [
            ("bogus='x'", Kind::User),
            ("role='student'", Kind::User),
            ("roles='x'", Kind::User),
            ("metadata.x='1'", Kind::User),
            ("class.bogus='1'", Kind::Enrollment),
            ("weight='heavy'", Kind::Category),
            ("dateLastModified>'yesterday'", Kind::User),
            ("dateLastModified>'2025-13'", Kind::User),
        ] {
            let f = parse(text).unwrap();
            let e = to_sql(&f, kind, Version::V1p2, &Bends::default()).unwrap_err();
            assert!(!e.message.is_empty(), "{text}");
        }
        let f = parse("bogus='x'").unwrap();
        assert_eq!(
            to_sql(
                &f,
                Kind::User,
                Version::V1p2,
                &Bends {
                    filter_unknown_field_ignored: true,
                    ..Bends::default()
                }
            )
            .unwrap()
            .sql,
            "1"
        );
        assert!(
            to_sql(
                &parse("role='student'").unwrap(),
                Kind::User,
                Version::V1p1,
                &Bends::default()
            )
            .is_ok()
        );
    }

    #[test]
    fn date_time_values_are_recognised() {
        for ok in [
            "2025-01-01",
            "2025-01-01T00:00:00Z",
            "2025-01-01T00:00:00.123Z",
            "2025-01-01T00:00:00+02:00",
            "2025-01-01T00:00:00",
        ] {
            assert!(is_date_or_date_time(ok), "{ok}");
        }
        for bad in [
            "",
            "2025",
            "2025-1-01",
            "2025-01-01T",
            "2025-01-01T00:00:00.Z",
            "x",
        ] {
            assert!(!is_date_or_date_time(bad), "{bad}");
        }
    }
}
