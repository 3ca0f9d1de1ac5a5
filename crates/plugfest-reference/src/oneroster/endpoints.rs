//! The read endpoints of both versions as data: for each path, the object type, the rows it
//! serves (a static SQL condition over alias `t`, path parameters bound to its `?`s), the
//! parents that must exist (404 `unknownobject` otherwise), and the 1.2 scopes it needs.
//! Paths use `{a}` and `{b}` for the first and second path parameter.

use super::auth::{self, Need};
use super::model::Kind;

/// Which service a path belongs to (1.2 splits them under their own base paths).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Rostering,
    Gradebook,
    Resources,
}

/// A parent that must exist: a static `SELECT 1 …` with `?`s bound to path parameters.
#[derive(Debug)]
pub(crate) struct Parent {
    pub sql: &'static str,
    pub binds: &'static [usize],
    /// What it is, for the 404 description.
    pub what: &'static str,
}

/// A deliberately wrong scope one fault switches to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leak {
    /// `relationship-leaks`: every member of the class.
    ClassMembers,
    /// `class-line-items-leak`: every line item of the class's school.
    SchoolLineItems,
    /// `line-item-results-leak`: every result of the class's school.
    SchoolResults,
}

/// A collection endpoint.
#[derive(Debug)]
pub(crate) struct List {
    pub service: Service,
    pub path: &'static str,
    pub kind: Kind,
    pub scope: &'static str,
    pub binds: &'static [usize],
    pub parents: &'static [Parent],
    pub need: Need,
    /// A relationship endpoint (under a parent object).
    pub relationship: bool,
    /// The name a `wrong-wrapper-key` fault uses (the path's own noun), for type-restricted
    /// top-level collections.
    pub own_name: Option<&'static str>,
    /// A type filter `type-filter-ignored` drops (the scope becomes every row).
    pub type_restricted: bool,
    pub leak: Option<(Leak, &'static str, &'static [usize])>,
    /// Only served by 1.2.
    pub v1p2_only: bool,
}

/// A single-object endpoint.
#[derive(Debug)]
pub(crate) struct Single {
    pub service: Service,
    pub path: &'static str,
    pub kind: Kind,
    /// The type restriction (`/students/{id}` finds only students).
    pub scope: &'static str,
    pub need: Need,
    pub v1p2_only: bool,
}

const fn list(service: Service, path: &'static str, kind: Kind, need: Need) -> List {
    List {
        service,
        path,
        kind,
        scope: "1",
        binds: &[],
        parents: &[],
        need,
        relationship: false,
        own_name: None,
        type_restricted: false,
        leak: None,
        v1p2_only: false,
    }
}

const fn single(service: Service, path: &'static str, kind: Kind, need: Need) -> Single {
    Single {
        service,
        path,
        kind,
        scope: "1",
        need,
        v1p2_only: false,
    }
}

/// A relationship endpoint of `service`, which needs the service's read scope in 1.2
/// (`roster.readonly`, `gradebook.readonly` or `resource.readonly`).
const fn rel(
    service: Service,
    path: &'static str,
    kind: Kind,
    scope: &'static str,
    binds: &'static [usize],
    parents: &'static [Parent],
) -> List {
    let need = match service {
        Service::Rostering => auth::ROSTER,
        Service::Gradebook => auth::GB_READ,
        Service::Resources => auth::RES_READ,
    };
    List {
        scope,
        binds,
        parents,
        relationship: true,
        ..list(service, path, kind, need)
    }
}

const CLASS: Parent = Parent {
    sql: "SELECT 1 FROM classes WHERE sourced_id = ?",
    binds: &[0],
    what: "class",
};
const SCHOOL: Parent = Parent {
    sql: "SELECT 1 FROM orgs WHERE sourced_id = ? AND type = 'school'",
    binds: &[0],
    what: "school",
};
const CLASS_IN_SCHOOL: Parent = Parent {
    sql: "SELECT 1 FROM classes WHERE sourced_id = ? AND school_id = ?",
    binds: &[1, 0],
    what: "class of this school",
};
const COURSE: Parent = Parent {
    sql: "SELECT 1 FROM courses WHERE sourced_id = ?",
    binds: &[0],
    what: "course",
};
const TERM: Parent = Parent {
    sql: "SELECT 1 FROM academic_sessions WHERE sourced_id = ? AND type = 'term'",
    binds: &[0],
    what: "term",
};
const USER: Parent = Parent {
    sql: "SELECT 1 FROM users WHERE sourced_id = ?",
    binds: &[0],
    what: "user",
};
const STUDENT: Parent = Parent {
    sql: "SELECT 1 FROM users WHERE sourced_id = ? AND role = 'student'",
    binds: &[0],
    what: "student",
};
/// [`STUDENT`], named by the second path parameter.
const STUDENT_B: Parent = Parent {
    binds: &[1],
    ..STUDENT
};
const TEACHER: Parent = Parent {
    sql: "SELECT 1 FROM users WHERE sourced_id = ? AND role = 'teacher'",
    binds: &[0],
    what: "teacher",
};
const LINE_ITEM_IN_CLASS: Parent = Parent {
    sql: "SELECT 1 FROM line_items WHERE sourced_id = ? AND class_id = ?",
    binds: &[1, 0],
    what: "line item of this class",
};

use Service::{Gradebook as G, Resources as RS, Rostering as R};

const STUDENTS_OF_CLASS: &str =
    "t.sourced_id IN (SELECT user_id FROM enrollments WHERE class_id = ? AND role = 'student')";
const TEACHERS_OF_CLASS: &str =
    "t.sourced_id IN (SELECT user_id FROM enrollments WHERE class_id = ? AND role = 'teacher')";
const CLASSES_OF_USER: &str =
    "t.sourced_id IN (SELECT class_id FROM enrollments WHERE user_id = ?)";
const MEMBERS_OF_CLASS: &str =
    "t.sourced_id IN (SELECT user_id FROM enrollments WHERE class_id = ?)";

/// Every collection endpoint.
pub(crate) static LISTS: &[List] = &[
    list(R, "/academicSessions", Kind::AcademicSession, auth::CORE),
    list(R, "/classes", Kind::Class, auth::CORE),
    list(R, "/courses", Kind::Course, auth::CORE),
    list(R, "/demographics", Kind::Demographics, auth::DEMOGRAPHICS),
    list(R, "/enrollments", Kind::Enrollment, auth::CORE),
    List {
        scope: "t.type = 'gradingPeriod'",
        own_name: Some("gradingPeriods"),
        type_restricted: true,
        ..list(R, "/gradingPeriods", Kind::AcademicSession, auth::CORE)
    },
    list(R, "/orgs", Kind::Org, auth::CORE),
    List {
        scope: "t.type = 'school'",
        own_name: Some("schools"),
        ..list(R, "/schools", Kind::Org, auth::CORE)
    },
    List {
        scope: "t.role = 'student'",
        own_name: Some("students"),
        ..list(R, "/students", Kind::User, auth::CORE)
    },
    List {
        scope: "t.role = 'teacher'",
        own_name: Some("teachers"),
        ..list(R, "/teachers", Kind::User, auth::CORE)
    },
    List {
        scope: "t.type = 'term'",
        own_name: Some("terms"),
        type_restricted: true,
        ..list(R, "/terms", Kind::AcademicSession, auth::CORE)
    },
    list(R, "/users", Kind::User, auth::CORE),
    rel(
        R,
        "/courses/{a}/classes",
        Kind::Class,
        "t.course_id = ?",
        &[0],
        &[COURSE],
    ),
    List {
        leak: Some((Leak::ClassMembers, MEMBERS_OF_CLASS, &[0])),
        ..rel(
            R,
            "/classes/{a}/students",
            Kind::User,
            STUDENTS_OF_CLASS,
            &[0],
            &[CLASS],
        )
    },
    List {
        leak: Some((Leak::ClassMembers, MEMBERS_OF_CLASS, &[0])),
        ..rel(
            R,
            "/classes/{a}/teachers",
            Kind::User,
            TEACHERS_OF_CLASS,
            &[0],
            &[CLASS],
        )
    },
    rel(
        R,
        "/schools/{a}/classes",
        Kind::Class,
        "t.school_id = ?",
        &[0],
        &[SCHOOL],
    ),
    rel(
        R,
        "/schools/{a}/courses",
        Kind::Course,
        "t.org_id = ?",
        &[0],
        &[SCHOOL],
    ),
    rel(
        R,
        "/schools/{a}/enrollments",
        Kind::Enrollment,
        "t.school_id = ?",
        &[0],
        &[SCHOOL],
    ),
    rel(
        R,
        "/schools/{a}/students",
        Kind::User,
        "t.role = 'student' AND t.sourced_id IN (SELECT user_id FROM user_orgs WHERE org_id = ?)",
        &[0],
        &[SCHOOL],
    ),
    rel(
        R,
        "/schools/{a}/teachers",
        Kind::User,
        "t.role = 'teacher' AND t.sourced_id IN (SELECT user_id FROM user_orgs WHERE org_id = ?)",
        &[0],
        &[SCHOOL],
    ),
    rel(
        R,
        "/schools/{a}/terms",
        Kind::AcademicSession,
        "t.type = 'term' AND t.sourced_id IN (SELECT ct.term_id FROM class_terms ct \
         JOIN classes c ON c.sourced_id = ct.class_id WHERE c.school_id = ?)",
        &[0],
        &[SCHOOL],
    ),
    rel(
        R,
        "/schools/{a}/classes/{b}/enrollments",
        Kind::Enrollment,
        "t.class_id = ?",
        &[1],
        &[SCHOOL, CLASS_IN_SCHOOL],
    ),
    rel(
        R,
        "/schools/{a}/classes/{b}/students",
        Kind::User,
        STUDENTS_OF_CLASS,
        &[1],
        &[SCHOOL, CLASS_IN_SCHOOL],
    ),
    rel(
        R,
        "/schools/{a}/classes/{b}/teachers",
        Kind::User,
        TEACHERS_OF_CLASS,
        &[1],
        &[SCHOOL, CLASS_IN_SCHOOL],
    ),
    rel(
        R,
        "/students/{a}/classes",
        Kind::Class,
        CLASSES_OF_USER,
        &[0],
        &[STUDENT],
    ),
    rel(
        R,
        "/teachers/{a}/classes",
        Kind::Class,
        CLASSES_OF_USER,
        &[0],
        &[TEACHER],
    ),
    rel(
        R,
        "/users/{a}/classes",
        Kind::Class,
        CLASSES_OF_USER,
        &[0],
        &[USER],
    ),
    rel(
        R,
        "/terms/{a}/classes",
        Kind::Class,
        "t.sourced_id IN (SELECT class_id FROM class_terms WHERE term_id = ?)",
        &[0],
        &[TERM],
    ),
    rel(
        R,
        "/terms/{a}/gradingPeriods",
        Kind::AcademicSession,
        "t.type = 'gradingPeriod' AND t.parent_id = ?",
        &[0],
        &[TERM],
    ),
    // Gradebook.
    list(G, "/categories", Kind::Category, auth::GB_CORE),
    list(G, "/lineItems", Kind::LineItem, auth::GB_CORE),
    list(G, "/results", Kind::Result, auth::GB_CORE),
    List {
        v1p2_only: true,
        ..list(G, "/scoreScales", Kind::ScoreScale, auth::GB_CORE)
    },
    List {
        v1p2_only: true,
        ..rel(
            G,
            "/classes/{a}/categories",
            Kind::Category,
            "t.sourced_id IN (SELECT category_id FROM line_items WHERE class_id = ?)",
            &[0],
            &[CLASS],
        )
    },
    List {
        leak: Some((
            Leak::SchoolLineItems,
            "t.school_id = (SELECT school_id FROM classes WHERE sourced_id = ?)",
            &[0],
        )),
        ..rel(
            G,
            "/classes/{a}/lineItems",
            Kind::LineItem,
            "t.class_id = ?",
            &[0],
            &[CLASS],
        )
    },
    rel(
        G,
        "/classes/{a}/results",
        Kind::Result,
        "t.class_id = ?",
        &[0],
        &[CLASS],
    ),
    List {
        v1p2_only: true,
        ..rel(
            G,
            "/classes/{a}/scoreScales",
            Kind::ScoreScale,
            "t.class_id = ?",
            &[0],
            &[CLASS],
        )
    },
    List {
        leak: Some((
            Leak::SchoolResults,
            "t.class_id IN (SELECT c.sourced_id FROM classes c \
             WHERE c.school_id = (SELECT school_id FROM classes WHERE sourced_id = ?))",
            &[0],
        )),
        ..rel(
            G,
            "/classes/{a}/lineItems/{b}/results",
            Kind::Result,
            "t.line_item_id = ?",
            &[1],
            &[CLASS, LINE_ITEM_IN_CLASS],
        )
    },
    rel(
        G,
        "/classes/{a}/students/{b}/results",
        Kind::Result,
        "t.class_id = ? AND t.student_id = ?",
        &[0, 1],
        &[CLASS, STUDENT_B],
    ),
    List {
        v1p2_only: true,
        ..rel(
            G,
            "/schools/{a}/scoreScales",
            Kind::ScoreScale,
            "t.school_id = ?",
            &[0],
            &[SCHOOL],
        )
    },
    // Resources.
    list(RS, "/resources", Kind::Resource, auth::RES_CORE),
    rel(
        RS,
        "/classes/{a}/resources",
        Kind::Resource,
        "t.sourced_id IN (SELECT resource_id FROM class_resources WHERE class_id = ?)",
        &[0],
        &[CLASS],
    ),
    rel(
        RS,
        "/courses/{a}/resources",
        Kind::Resource,
        "t.sourced_id IN (SELECT resource_id FROM course_resources WHERE course_id = ?)",
        &[0],
        &[COURSE],
    ),
    List {
        v1p2_only: true,
        ..rel(
            RS,
            "/users/{a}/resources",
            Kind::Resource,
            "t.sourced_id IN (SELECT cr.resource_id FROM class_resources cr \
             JOIN enrollments e ON e.class_id = cr.class_id WHERE e.user_id = ?)",
            &[0],
            &[USER],
        )
    },
];

/// Every single-object GET.
pub(crate) static SINGLES: &[Single] = &[
    single(
        R,
        "/academicSessions/{a}",
        Kind::AcademicSession,
        auth::CORE,
    ),
    single(R, "/classes/{a}", Kind::Class, auth::CORE),
    single(R, "/courses/{a}", Kind::Course, auth::CORE),
    single(
        R,
        "/demographics/{a}",
        Kind::Demographics,
        auth::DEMOGRAPHICS,
    ),
    single(R, "/enrollments/{a}", Kind::Enrollment, auth::CORE),
    Single {
        scope: "t.type = 'gradingPeriod'",
        ..single(R, "/gradingPeriods/{a}", Kind::AcademicSession, auth::CORE)
    },
    single(R, "/orgs/{a}", Kind::Org, auth::CORE),
    Single {
        scope: "t.type = 'school'",
        ..single(R, "/schools/{a}", Kind::Org, auth::CORE)
    },
    Single {
        scope: "t.role = 'student'",
        ..single(R, "/students/{a}", Kind::User, auth::CORE)
    },
    Single {
        scope: "t.role = 'teacher'",
        ..single(R, "/teachers/{a}", Kind::User, auth::CORE)
    },
    Single {
        scope: "t.type = 'term'",
        ..single(R, "/terms/{a}", Kind::AcademicSession, auth::CORE)
    },
    single(R, "/users/{a}", Kind::User, auth::CORE),
    single(G, "/categories/{a}", Kind::Category, auth::GB_CORE),
    single(G, "/lineItems/{a}", Kind::LineItem, auth::GB_CORE),
    single(G, "/results/{a}", Kind::Result, auth::GB_CORE),
    Single {
        v1p2_only: true,
        ..single(G, "/scoreScales/{a}", Kind::ScoreScale, auth::GB_CORE)
    },
    single(RS, "/resources/{a}", Kind::Resource, auth::RES_CORE),
];

/// The base path of `service` in 1.2, or of everything in 1.1.
pub(crate) fn base_path(service: Service, v1p2: bool) -> &'static str {
    match (v1p2, service) {
        (false, _) => "/ims/oneroster/v1p1",
        (true, Service::Rostering) => "/ims/oneroster/rostering/v1p2",
        (true, Service::Gradebook) => "/ims/oneroster/gradebook/v1p2",
        (true, Service::Resources) => "/ims/oneroster/resources/v1p2",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_bind_as_many_parameters_as_they_have_marks() {
        for l in LISTS {
            assert_eq!(l.scope.matches('?').count(), l.binds.len(), "{}", l.path);
            let params = l.path.matches('{').count();
            assert!(l.binds.iter().all(|b| *b < params), "{}", l.path);
            for p in l.parents {
                assert_eq!(p.sql.matches('?').count(), p.binds.len(), "{}", l.path);
                assert!(p.binds.iter().all(|b| *b < params), "{}", l.path);
            }
            if let Some((_, sql, binds)) = l.leak {
                assert_eq!(sql.matches('?').count(), binds.len(), "{}", l.path);
            }
            assert_eq!(l.relationship, params > 0, "{}", l.path);
        }
        for s in SINGLES {
            assert_eq!(s.scope.matches('?').count(), 0, "{}", s.path);
        }
    }
}
