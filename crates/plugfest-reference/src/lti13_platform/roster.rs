//! The platform's fixed course data: users, the two contexts and their memberships, and the
//! resource link placed in each context (Core §3.2, §3.3; NRPS §2).

/// LIS context role URIs (Core Appendix A.2.3).
pub(crate) const ROLE_INSTRUCTOR: &str =
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
/// The learner context role.
pub(crate) const ROLE_LEARNER: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
/// The teaching-assistant sub-role of Instructor (Core A.2.3.1).
pub(crate) const ROLE_TA: &str =
    "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant";
/// The institution role of faculty (Core A.2.2).
pub(crate) const ROLE_FACULTY: &str =
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty";
/// The institution role of a student (Core A.2.2).
pub(crate) const ROLE_STUDENT: &str =
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student";
/// The course offering context type (Core A.1).
pub(crate) const COURSE_OFFERING: &str =
    "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering";

/// A person known to the platform.
#[derive(Debug, Clone, Copy)]
pub(crate) struct User {
    /// The platform's user id, sent as `sub` (Core §5.3.6).
    pub id: &'static str,
    pub given_name: &'static str,
    pub family_name: &'static str,
    pub email: &'static str,
    /// Institution roles, sent beside the context roles.
    pub institution_role: &'static str,
}

impl User {
    /// The full name in display form.
    pub(crate) fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// The instructor of both contexts.
pub(crate) const INSTRUCTOR: User = User {
    id: "plat-user-0001",
    given_name: "Iris",
    family_name: "Okafor",
    email: "iris.okafor@reference-lms.example",
    institution_role: ROLE_FACULTY,
};
/// The learner who launches in both contexts.
pub(crate) const STUDENT: User = User {
    id: "plat-user-0002",
    given_name: "Sam",
    family_name: "Lindqvist",
    email: "sam.lindqvist@reference-lms.example",
    institution_role: ROLE_STUDENT,
};
const TA: User = User {
    id: "plat-user-0003",
    given_name: "Tomas",
    family_name: "Reyes",
    email: "tomas.reyes@reference-lms.example",
    institution_role: ROLE_STUDENT,
};
const LEARNER_B: User = User {
    id: "plat-user-0004",
    given_name: "Mei",
    family_name: "Tanaka",
    email: "mei.tanaka@reference-lms.example",
    institution_role: ROLE_STUDENT,
};
const LEARNER_C: User = User {
    id: "plat-user-0005",
    given_name: "Noor",
    family_name: "Haddad",
    email: "noor.haddad@reference-lms.example",
    institution_role: ROLE_STUDENT,
};
const LEARNER_D: User = User {
    id: "plat-user-0006",
    given_name: "Lena",
    family_name: "Fischer",
    email: "lena.fischer@reference-lms.example",
    institution_role: ROLE_STUDENT,
};

/// One membership of a context (NRPS §2).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Membership {
    pub user: User,
    pub roles: &'static [&'static str],
    /// NRPS §2.3: `Active` or `Inactive`.
    pub active: bool,
}

/// A course context with its members and its one tool placement.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context {
    pub id: &'static str,
    pub label: &'static str,
    pub title: &'static str,
    /// The resource link placed in this context (Core §5.1).
    pub resource_link_id: &'static str,
    pub resource_link_title: &'static str,
    pub members: &'static [Membership],
}

const INSTRUCTOR_ROLES: &[&str] = &[ROLE_INSTRUCTOR];
const LEARNER_ROLES: &[&str] = &[ROLE_LEARNER];
const TA_ROLES: &[&str] = &[ROLE_INSTRUCTOR, ROLE_TA];

/// The sandbox context: the first one, where launches and writes happen.
pub(crate) const SANDBOX: Context = Context {
    id: "ctx-sandbox-101",
    label: "REF 101",
    title: "Reference Sandbox Course 101",
    resource_link_id: "rl-101-assignment-1",
    resource_link_title: "Assignment 1",
    members: &[
        member(INSTRUCTOR, INSTRUCTOR_ROLES),
        member(TA, TA_ROLES),
        member(STUDENT, LEARNER_ROLES),
        member(LEARNER_B, LEARNER_ROLES),
        member(LEARNER_C, LEARNER_ROLES),
        Membership {
            active: false,
            ..member(LEARNER_D, LEARNER_ROLES)
        },
    ],
};

/// An active member of a context with `roles`.
const fn member(user: User, roles: &'static [&'static str]) -> Membership {
    Membership {
        user,
        roles,
        active: true,
    }
}

/// The second context of the certification's two-context AGS flow (Cert §5.4).
pub(crate) const SECOND: Context = Context {
    id: "ctx-sandbox-102",
    label: "REF 102",
    title: "Reference Sandbox Course 102",
    resource_link_id: "rl-102-assignment-1",
    resource_link_title: "Assignment 1 (102)",
    members: &[
        member(INSTRUCTOR, INSTRUCTOR_ROLES),
        member(STUDENT, LEARNER_ROLES),
        member(LEARNER_B, LEARNER_ROLES),
    ],
};

/// Every context, in a fixed order.
pub(crate) const CONTEXTS: [Context; 2] = [SANDBOX, SECOND];

/// The context with this id.
pub(crate) fn context(id: &str) -> Option<&'static Context> {
    CONTEXTS.iter().find(|c| c.id == id)
}

/// Whether `user_id` is a member of `context`.
pub(crate) fn is_member(context: &Context, user_id: &str) -> bool {
    context.members.iter().any(|m| m.user.id == user_id)
}
