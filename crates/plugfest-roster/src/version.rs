//! What differs between OneRoster 1.1 and 1.2 on the wire: base paths, services, wrapper keys of
//! each endpoint, and the spelling of status codes (spec-notes oneroster.md §2.1, §2.2, §2.5, §2.7).

use std::fmt;

/// A OneRoster REST version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// 1.1: one base `/ims/oneroster/v1p1`, OAuth 1.0a, `statusInfoSet` error wrapper.
    V1p1,
    /// 1.2: a base per service, OAuth 2 client credentials, bare imsx status errors.
    V1p2,
}

impl Version {
    /// `v1p1` / `v1p2` (the path segment and the schema folder).
    pub fn tag(self) -> &'static str {
        match self {
            Version::V1p1 => "v1p1",
            Version::V1p2 => "v1p2",
        }
    }

    /// The path, relative to the configured root (`…/ims/oneroster`), of `service`'s base.
    pub fn service_base(self, service: Service) -> &'static str {
        match (self, service) {
            (Version::V1p1, _) => "v1p1",
            (Version::V1p2, Service::Rostering | Service::Demographics) => "rostering/v1p2",
            (Version::V1p2, Service::Gradebook) => "gradebook/v1p2",
            (Version::V1p2, Service::Resources) => "resources/v1p2",
        }
    }

    /// The code minor of an unknown object in this version.
    pub fn unknown_object(self) -> &'static str {
        match self {
            Version::V1p1 => "unknown object",
            Version::V1p2 => "unknownobject",
        }
    }

    /// The code minor of a request without valid credentials in this version.
    pub fn unauthorised(self) -> &'static str {
        match self {
            Version::V1p1 => "unauthorized",
            Version::V1p2 => "unauthorisedrequest",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::V1p1 => "OneRoster 1.1",
            Version::V1p2 => "OneRoster 1.2",
        })
    }
}

/// A service a provider may claim (`services` in the role table). Demographics sits under the
/// rostering base but is optional and separately scoped, so it is claimed on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// Rostering (always required).
    Rostering,
    /// `/demographics` (optional).
    Demographics,
    /// Gradebook (optional).
    Gradebook,
    /// Resources (optional).
    Resources,
}

impl Service {
    /// The config name (`rostering`, `demographics`, `gradebook`, `resources`).
    pub fn name(self) -> &'static str {
        match self {
            Service::Rostering => "rostering",
            Service::Demographics => "demographics",
            Service::Gradebook => "gradebook",
            Service::Resources => "resources",
        }
    }

    /// Parse a config name.
    pub fn parse(s: &str) -> Option<Service> {
        [
            Service::Rostering,
            Service::Demographics,
            Service::Gradebook,
            Service::Resources,
        ]
        .into_iter()
        .find(|x| x.name() == s)
    }
}

/// What a type-restricted collection must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    /// Every org has this `type`.
    OrgType(&'static str),
    /// Every academic session has this `type`.
    SessionType(&'static str),
    /// Every user has this role (1.1 `role`, 1.2 one of `roles[].role`).
    UserRole(&'static str),
}

/// One collection endpoint and how its answers are shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Collection {
    /// Path segment (`users`, `schools`, …).
    pub path: &'static str,
    /// Key of the array in a collection answer.
    pub wrapper: &'static str,
    /// Key of the object in a single-object answer.
    pub single: &'static str,
    /// Entity (schema name).
    pub entity: &'static str,
    /// Service it belongs to.
    pub service: Service,
    /// Type restriction, if any.
    pub restriction: Option<Restriction>,
    /// 1.2 only.
    pub v1p2_only: bool,
}

const fn c(
    path: &'static str,
    wrapper: &'static str,
    single: &'static str,
    entity: &'static str,
    service: Service,
    restriction: Option<Restriction>,
) -> Collection {
    Collection {
        path,
        wrapper,
        single,
        entity,
        service,
        restriction,
        v1p2_only: false,
    }
}

/// Every collection endpoint of both versions (1.2 OpenAPI paths; 1.1 the same names).
pub const COLLECTIONS: &[Collection] = &[
    c("orgs", "orgs", "org", "org", Service::Rostering, None),
    c(
        "schools",
        "orgs",
        "org",
        "org",
        Service::Rostering,
        Some(Restriction::OrgType("school")),
    ),
    c(
        "academicSessions",
        "academicSessions",
        "academicSession",
        "academicSession",
        Service::Rostering,
        None,
    ),
    c(
        "terms",
        "academicSessions",
        "academicSession",
        "academicSession",
        Service::Rostering,
        Some(Restriction::SessionType("term")),
    ),
    c(
        "gradingPeriods",
        "academicSessions",
        "academicSession",
        "academicSession",
        Service::Rostering,
        Some(Restriction::SessionType("gradingPeriod")),
    ),
    c(
        "courses",
        "courses",
        "course",
        "course",
        Service::Rostering,
        None,
    ),
    c(
        "classes",
        "classes",
        "class",
        "class",
        Service::Rostering,
        None,
    ),
    c("users", "users", "user", "user", Service::Rostering, None),
    c(
        "students",
        "users",
        "user",
        "user",
        Service::Rostering,
        Some(Restriction::UserRole("student")),
    ),
    c(
        "teachers",
        "users",
        "user",
        "user",
        Service::Rostering,
        Some(Restriction::UserRole("teacher")),
    ),
    c(
        "enrollments",
        "enrollments",
        "enrollment",
        "enrollment",
        Service::Rostering,
        None,
    ),
    c(
        "demographics",
        "demographics",
        "demographics",
        "demographics",
        Service::Demographics,
        None,
    ),
    c(
        "lineItems",
        "lineItems",
        "lineItem",
        "lineItem",
        Service::Gradebook,
        None,
    ),
    c(
        "results",
        "results",
        "result",
        "result",
        Service::Gradebook,
        None,
    ),
    c(
        "categories",
        "categories",
        "category",
        "category",
        Service::Gradebook,
        None,
    ),
    Collection {
        v1p2_only: true,
        ..c(
            "scoreScales",
            "scoreScales",
            "scoreScale",
            "scoreScale",
            Service::Gradebook,
            None,
        )
    },
    c(
        "resources",
        "resources",
        "resource",
        "resource",
        Service::Resources,
        None,
    ),
];

/// The collection at `path`.
pub fn collection(path: &str) -> Option<&'static Collection> {
    COLLECTIONS.iter().find(|c| c.path == path)
}

/// The base rostering collections walked for integrity, in an order where referenced types come
/// first (orgs before courses before classes before enrollments).
pub const ROSTER_ORDER: &[&str] = &[
    "orgs",
    "academicSessions",
    "courses",
    "classes",
    "users",
    "enrollments",
];

/// The key of a collection answer's array for a relationship path (`schools/{id}/classes` →
/// `classes`, `classes/{id}/students` → `users`): the wrapper of its last segment.
pub fn wrapper_of_path(path: &str) -> Option<&'static str> {
    let last = path.rsplit('/').next()?;
    collection(last).map(|c| c.wrapper)
}

/// The wrapper key of a version's error body.
pub fn error_wrapper(version: Version) -> Option<&'static str> {
    match version {
        Version::V1p1 => Some("statusInfoSet"),
        Version::V1p2 => None,
    }
}

/// OAuth 2 scope URIs of 1.2 (spec-notes §2.1; OpenAPI securitySchemes).
pub mod scope {
    /// `roster-core.readonly`.
    pub const ROSTER_CORE: &str =
        "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly";
    /// `roster.readonly`.
    pub const ROSTER: &str = "https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly";
    /// `roster-demographics.readonly`.
    pub const DEMOGRAPHICS: &str =
        "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-demographics.readonly";
    /// `gradebook-core.readonly`.
    pub const GRADEBOOK_CORE: &str =
        "https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook-core.readonly";
    /// `resource-core.readonly`.
    pub const RESOURCE_CORE: &str =
        "https://purl.imsglobal.org/spec/or/v1p2/scope/resource-core.readonly";
    /// `gradebook.readonly`.
    pub const GRADEBOOK_READ: &str =
        "https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook.readonly";
    /// `gradebook.createput`.
    pub const GRADEBOOK_PUT: &str =
        "https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook.createput";
    /// `gradebook.delete`.
    pub const GRADEBOOK_DELETE: &str =
        "https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook.delete";
    /// `resource.readonly`.
    pub const RESOURCE: &str = "https://purl.imsglobal.org/spec/or/v1p2/scope/resource.readonly";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrappers_follow_the_openapi() {
        assert_eq!(wrapper_of_path("schools/x/classes"), Some("classes"));
        assert_eq!(wrapper_of_path("classes/x/students"), Some("users"));
        assert_eq!(
            wrapper_of_path("terms/x/gradingPeriods"),
            Some("academicSessions")
        );
        assert_eq!(collection("schools").unwrap().wrapper, "orgs");
        assert_eq!(
            Version::V1p2.service_base(Service::Demographics),
            "rostering/v1p2"
        );
        assert_eq!(Version::V1p1.service_base(Service::Gradebook), "v1p1");
    }
}
