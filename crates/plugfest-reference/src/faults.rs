//! The registry of named faults, every role together.
//!
//! Each role declares its faults in one place (for the LTI 1.3 tool:
//! [`Lti13ToolFault`](crate::lti13_tool::Lti13ToolFault); for the LTI 1.1 tool provider:
//! [`Lti11ToolFault`](crate::lti11_tool::Lti11ToolFault)); this module only gathers them.

use std::sync::LazyLock;

/// One named fault: a deliberate deviation of a reference role, and the requirement IDs it
/// must make worse in the fault matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// Qualified name, `<role>/<behaviour>` (e.g. `lti13-tool/nonce-replay-accepted`).
    pub name: &'static str,
    /// Requirement IDs this fault must break (and nothing else, except their `-CERT` partners).
    pub ids: &'static [&'static str],
    /// One line saying what the product does wrong.
    pub description: &'static str,
}

static ALL: LazyLock<Vec<Fault>> = LazyLock::new(|| {
    [
        crate::lti13_tool::Lti13ToolFault::REGISTRY,
        crate::lti11_tool::Lti11ToolFault::REGISTRY,
        crate::lti11_consumer::Lti11ConsumerFault::REGISTRY,
    ]
    .concat()
});

/// Every fault of every role, names qualified by role, in registry order.
pub fn all() -> &'static [Fault] {
    &ALL
}

/// The fault with this qualified name, if any role declares it.
pub fn find(name: &str) -> Option<&'static Fault> {
    all().iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_qualified_and_list_ids() {
        let mut names: Vec<_> = all().iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all().len(), "duplicate fault name");
        for f in all() {
            let (role, behaviour) = f.name.split_once('/').expect("qualified name");
            assert!(!role.is_empty() && !behaviour.is_empty(), "{}", f.name);
            assert!(!f.ids.is_empty(), "{} lists no requirement", f.name);
            assert!(!f.description.contains('\n') && !f.description.contains('\t'));
            for id in f.ids {
                assert!(
                    id.split('-').count() >= 2
                        && id
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
                    "{id}"
                );
            }
        }
        assert!(find("lti13-tool/nonce-replay-accepted").is_some());
        assert!(find("lti13-tool/no-such-fault").is_none());
        assert!(find("lti11-consumer/static-nonce").is_some());
        assert!(find("lti11-tool/nonce-replay-accepted").is_some());
    }
}
