//! Reading the `roles` parameter of a launch.
//!
//! IG11 "Basic Launch Data": "roles — A comma-separated list of URN values for roles. If this
//! list is non-empty, it should contain at least one role from the LIS System Role, LIS
//! Institution Role, or LIS Context Role vocabularies (See Appendix A). The assumed namespace
//! of these URNs is the LIS vocabulary of LIS Context Roles so TCs can use the handles when the
//! intent is to refer to an LIS context role. If the TC wants to include a role from another
//! namespace, a fully-qualified URN should be used. Usage of roles from non-LIS vocabularies is
//! also allowed but may not provide interoperability. If the TP does not recognize any of the
//! role values, the TP is free to treat the user as a guest or to redisplay a message that the
//! user does not have sufficient privilege."

/// URN prefix of the LIS context roles (IG11 Appendix A).
const CONTEXT_ROLE_URN: &str = "urn:lti:role:ims/lis/";
/// URN prefix of the LIS institution roles.
const INSTITUTION_ROLE_URN: &str = "urn:lti:instrole:ims/lis/";
/// URN prefix of the LIS system roles.
const SYSTEM_ROLE_URN: &str = "urn:lti:sysrole:ims/lis/";
/// The LIS context role handles a simple (unqualified) role name may use (IG11 Appendix A,
/// "LIS vocabulary for context roles"); each may carry a sub-role (`Instructor/Lecturer`).
const CONTEXT_ROLE_HANDLES: &[&str] = &[
    "Learner",
    "Instructor",
    "ContentDeveloper",
    "Member",
    "Manager",
    "Mentor",
    "Administrator",
    "TeachingAssistant",
];

/// One role value, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// An LIS context role, as its handle (`Instructor`, `Learner/GuestLearner`), whether sent
    /// as a simple name or as `urn:lti:role:ims/lis/…`.
    Context(String),
    /// An LIS institution role (`urn:lti:instrole:ims/lis/…`), as its handle.
    Institution(String),
    /// An LIS system role (`urn:lti:sysrole:ims/lis/…`), as its handle.
    System(String),
    /// Anything else: a role of another vocabulary, or an unknown name — ignored.
    Other(String),
}

impl Role {
    fn parse(value: &str) -> Role {
        if let Some(handle) = value.strip_prefix(CONTEXT_ROLE_URN) {
            Role::Context(handle.to_owned())
        } else if let Some(handle) = value.strip_prefix(INSTITUTION_ROLE_URN) {
            Role::Institution(handle.to_owned())
        } else if let Some(handle) = value.strip_prefix(SYSTEM_ROLE_URN) {
            Role::System(handle.to_owned())
        } else if CONTEXT_ROLE_HANDLES.contains(&value.split('/').next().unwrap_or_default()) {
            Role::Context(value.to_owned())
        } else {
            Role::Other(value.to_owned())
        }
    }

    /// The context role's top-level handle (`Instructor` for `Instructor/Lecturer`).
    fn context_handle(&self) -> Option<&str> {
        match self {
            Role::Context(h) => h.split('/').next(),
            _ => None,
        }
    }
}

/// Every role of a launch, in the order sent (empty when `roles` is absent or blank).
pub(crate) fn parse(value: Option<&str>) -> Vec<Role> {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(Role::parse)
        .collect()
}

/// The word the launch page shows: the user's LIS context role (Instructor before any other),
/// or `guest` when no context role is recognised — IG11: "the TP is free to treat the user as
/// a guest". Always one of [`CONTEXT_ROLE_HANDLES`] or `guest`, never a value from the launch.
pub(crate) fn shown_as(roles: &[Role]) -> &'static str {
    let mut known = roles
        .iter()
        .filter_map(Role::context_handle)
        .filter_map(|h| CONTEXT_ROLE_HANDLES.iter().copied().find(|k| *k == h));
    let first = known.next();
    if first == Some("Instructor") || known.any(|h| h == "Instructor") {
        "Instructor"
    } else {
        first.unwrap_or("guest")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_names_urns_and_unknown_roles_are_told_apart() {
        let roles = parse(Some(
            "Learner, urn:lti:role:ims/lis/Instructor,urn:lti:instrole:ims/lis/Alumni,urn:lti:sysrole:ims/lis/Administrator,NotALearner,,Instructor/Lecturer",
        ));
        assert_eq!(
            roles,
            vec![
                Role::Context("Learner".into()),
                Role::Context("Instructor".into()),
                Role::Institution("Alumni".into()),
                Role::System("Administrator".into()),
                Role::Other("NotALearner".into()),
                Role::Context("Instructor/Lecturer".into()),
            ]
        );
        assert_eq!(shown_as(&roles), "Instructor");
    }

    #[test]
    fn users_without_a_context_role_are_guests() {
        assert_eq!(shown_as(&parse(None)), "guest");
        assert_eq!(shown_as(&parse(Some(""))), "guest");
        assert_eq!(
            shown_as(&parse(Some("urn:lti:instrole:ims/lis/Learner"))),
            "guest"
        );
        assert_eq!(shown_as(&parse(Some("NotALearner"))), "guest");
        assert_eq!(
            shown_as(&parse(Some("urn:lti:role:ims/lis/Unheard"))),
            "guest"
        );
        assert_eq!(
            shown_as(&parse(Some(
                "urn:lti:instrole:ims/lis/Student,urn:lti:role:ims/lis/Learner"
            ))),
            "Learner"
        );
    }
}
