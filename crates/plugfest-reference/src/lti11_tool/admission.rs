//! Faults that turn away a launch every rule accepts — by refusing it, or by answering 500 as
//! a product that trips over an optional parameter would. The conformant tool admits every
//! launch that passed the OAuth and "Basic Launch Data" checks: certification §3 (roles) and
//! §4 (levels of user information) launch with every optional parameter left out in turn.

use std::collections::HashMap;
use std::sync::Mutex;

use super::fault::{FaultSet, Lti11ToolFault};
use super::form::Form;
use super::refusal::LaunchRefusal;
use super::roles::Role;

/// The most users whose first resource link is remembered (fault
/// `resource-link-switch-refused`); past it, new users are not tracked.
const MAX_USERS: usize = 10_000;

/// How a valid launch is turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TurnedAway {
    /// Refused, as if a rule were broken.
    Refused(LaunchRefusal),
    /// Answered 500.
    Crashed,
}

/// Faults that turn away valid launches; all are read by [`admit`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AdmissionFaults {
    /// `lti11-tool/no-role-500`
    pub no_role_500: bool,
    /// `lti11-tool/role-list-500`
    pub role_list_500: bool,
    /// `lti11-tool/unknown-role-500`
    pub unknown_role_500: bool,
    /// `lti11-tool/alumni-500`
    pub alumni_500: bool,
    /// `lti11-tool/full-urn-role-refused`
    pub full_urn_role_refused: bool,
    /// `lti11-tool/instrole-only-refused`
    pub instrole_only_refused: bool,
    /// `lti11-tool/learner-refused`
    pub learner_refused: bool,
    /// `lti11-tool/name-missing-500`
    pub name_missing_500: bool,
    /// `lti11-tool/full-name-500`
    pub full_name_500: bool,
    /// `lti11-tool/given-name-required`
    pub given_name_required: bool,
    /// `lti11-tool/email-required`
    pub email_required: bool,
    /// `lti11-tool/no-context-500`
    pub no_context_500: bool,
    /// `lti11-tool/context-title-required`
    pub context_title_required: bool,
    /// `lti11-tool/resource-link-switch-refused`
    pub resource_link_switch_refused: bool,
}

impl AdmissionFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            no_role_500: set.has(Lti11ToolFault::NoRole500),
            role_list_500: set.has(Lti11ToolFault::RoleList500),
            unknown_role_500: set.has(Lti11ToolFault::UnknownRole500),
            alumni_500: set.has(Lti11ToolFault::Alumni500),
            full_urn_role_refused: set.has(Lti11ToolFault::FullUrnRoleRefused),
            instrole_only_refused: set.has(Lti11ToolFault::InstroleOnlyRefused),
            learner_refused: set.has(Lti11ToolFault::LearnerRefused),
            name_missing_500: set.has(Lti11ToolFault::NameMissing500),
            full_name_500: set.has(Lti11ToolFault::FullName500),
            given_name_required: set.has(Lti11ToolFault::GivenNameRequired),
            email_required: set.has(Lti11ToolFault::EmailRequired),
            no_context_500: set.has(Lti11ToolFault::NoContext500),
            context_title_required: set.has(Lti11ToolFault::ContextTitleRequired),
            resource_link_switch_refused: set.has(Lti11ToolFault::ResourceLinkSwitchRefused),
        }
    }
}

/// Each user's first resource link (fault `resource-link-switch-refused` only).
#[derive(Debug, Default)]
pub(crate) struct FirstLinks {
    by_user: Mutex<HashMap<String, String>>,
}

impl FirstLinks {
    /// Whether `user` may open `link`: yes on the user's first launch (remembered) and on
    /// launches of that same link.
    fn allows(&self, user: &str, link: &str) -> bool {
        let mut by_user = self.by_user.lock().unwrap_or_else(|e| e.into_inner());
        match by_user.get(user) {
            Some(first) => first == link,
            None => {
                if by_user.len() < MAX_USERS {
                    by_user.insert(user.to_owned(), link.to_owned());
                }
                true
            }
        }
    }
}

/// Admit a launch that passed every check, unless a fault turns it away. `roles` is the
/// parsed `roles` parameter, `resource_link_id` the checked one.
pub(crate) fn admit(
    form: &Form,
    roles: &[Role],
    resource_link_id: Option<&str>,
    first_links: &FirstLinks,
    faults: AdmissionFaults,
) -> Result<(), TurnedAway> {
    use TurnedAway::{Crashed, Refused};
    let roles_value = form.first("roles");

    // Certification §3: roles as full URNs, lists, simple names, institution roles only, an
    // unknown role, and no roles at all must all be launched.
    if faults.no_role_500 && roles_value.is_none() {
        return Err(Crashed);
    }
    if faults.role_list_500 && roles_value.is_some_and(|r| r.contains(',')) {
        return Err(Crashed);
    }
    if faults.unknown_role_500 && roles.iter().any(|r| matches!(r, Role::Other(_))) {
        return Err(Crashed);
    }
    if faults.alumni_500 && roles.contains(&Role::Institution("Alumni".into())) {
        return Err(Crashed);
    }
    if faults.full_urn_role_refused
        && roles_value.is_some_and(|r| r.split(',').any(|r| r.trim().starts_with("urn:lti:role:")))
    {
        return Err(Refused(LaunchRefusal::FullUrnRoleRefused));
    }
    if faults.instrole_only_refused
        && !roles.is_empty()
        && roles.iter().all(|r| matches!(r, Role::Institution(_)))
    {
        return Err(Refused(LaunchRefusal::InstitutionRolesOnlyRefused));
    }
    if faults.learner_refused && roles_value.map(str::trim) == Some("Learner") {
        return Err(Refused(LaunchRefusal::LearnerRefused));
    }

    // Certification §4: every piece of personal and context information is optional.
    let given = form.has("lis_person_name_given");
    let family = form.has("lis_person_name_family");
    let full = form.has("lis_person_name_full");
    let email = form.non_empty("lis_person_contact_email_primary").is_some();
    if faults.name_missing_500 && email && !given && !family && !full {
        return Err(Crashed);
    }
    if faults.full_name_500 && (given || family) && !full {
        return Err(Crashed);
    }
    if faults.given_name_required && full && !given {
        return Err(Refused(LaunchRefusal::GivenNameMissingRefused));
    }
    if faults.email_required && !email {
        return Err(Refused(LaunchRefusal::EmailMissingRefused));
    }
    let context_id = form.non_empty("context_id").is_some();
    if faults.no_context_500 && !context_id {
        return Err(Crashed);
    }
    if faults.context_title_required && context_id && form.non_empty("context_title").is_none() {
        return Err(Refused(LaunchRefusal::ContextTitleMissingRefused));
    }

    // Certification §2: the same users launch two resource links of one course.
    if faults.resource_link_switch_refused
        && let (Some(user), Some(link)) = (form.non_empty("user_id"), resource_link_id)
        && !first_links.allows(
            &format!("{user} in {}", form.non_empty("context_id").unwrap_or("")),
            link,
        )
    {
        return Err(Refused(LaunchRefusal::ResourceLinkSwitchRefused));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lti11_tool::roles;

    fn admit_with(
        body: &str,
        faults: AdmissionFaults,
        links: &FirstLinks,
    ) -> Result<(), TurnedAway> {
        let form = Form::parse(body.as_bytes());
        let roles = roles::parse(form.first("roles"));
        admit(&form, &roles, form.first("resource_link_id"), links, faults)
    }

    /// The admission faults of a tool running with the `lti11-tool/…` faults `names`.
    fn with(names: &[&str]) -> AdmissionFaults {
        let names: Vec<String> = names.iter().map(|n| format!("lti11-tool/{n}")).collect();
        AdmissionFaults::from_set(&FaultSet::parse(&names).unwrap())
    }

    /// The admission faults of a tool running with every fault of the role.
    fn all_faults() -> AdmissionFaults {
        let names: Vec<&str> = Lti11ToolFault::REGISTRY.iter().map(|f| f.name).collect();
        AdmissionFaults::from_set(&FaultSet::parse(&names).unwrap())
    }

    #[test]
    fn the_conformant_tool_admits_every_variant() {
        let links = FirstLinks::default();
        for body in [
            "",
            "roles=NotALearner",
            "roles=urn:lti:instrole:ims/lis/Alumni",
            "roles=Learner,Instructor&lis_person_contact_email_primary=a@b.example",
            "context_id=c&resource_link_id=a&user_id=u",
            "context_id=c&resource_link_id=b&user_id=u",
        ] {
            assert_eq!(
                admit_with(body, AdmissionFaults::default(), &links),
                Ok(()),
                "{body}"
            );
        }
    }

    #[test]
    fn a_launch_with_everything_passes_every_fault() {
        let links = FirstLinks::default();
        let body = "roles=Instructor&lis_person_name_given=A&lis_person_name_family=B&lis_person_name_full=A%20B&lis_person_contact_email_primary=a@b.example&context_id=c&context_title=T&resource_link_id=a&user_id=u";
        assert_eq!(admit_with(body, all_faults(), &links), Ok(()));
        assert_eq!(admit_with(body, all_faults(), &links), Ok(()));
    }

    #[test]
    fn each_fault_turns_away_its_launch() {
        use LaunchRefusal::*;
        use TurnedAway::{Crashed, Refused};
        let links = FirstLinks::default();
        let student_and_learner =
            "roles=urn:lti:instrole:ims/lis/Student,urn:lti:role:ims/lis/Learner";
        let cases = [
            ("no-role-500", "", Crashed),
            ("role-list-500", "roles=Learner,Instructor", Crashed),
            ("unknown-role-500", "roles=NotALearner", Crashed),
            (
                "alumni-500",
                "roles=urn:lti:instrole:ims/lis/Alumni",
                Crashed,
            ),
            (
                "full-urn-role-refused",
                student_and_learner,
                Refused(FullUrnRoleRefused),
            ),
            (
                "instrole-only-refused",
                "roles=urn:lti:instrole:ims/lis/Learner",
                Refused(InstitutionRolesOnlyRefused),
            ),
            ("learner-refused", "roles=Learner", Refused(LearnerRefused)),
            (
                "name-missing-500",
                "lis_person_contact_email_primary=a@b.example",
                Crashed,
            ),
            (
                "full-name-500",
                "lis_person_name_given=A&lis_person_name_family=B",
                Crashed,
            ),
            (
                "given-name-required",
                "lis_person_name_full=A%20B",
                Refused(GivenNameMissingRefused),
            ),
            (
                "email-required",
                "roles=Instructor",
                Refused(EmailMissingRefused),
            ),
            ("no-context-500", "roles=Instructor", Crashed),
            (
                "context-title-required",
                "context_id=c",
                Refused(ContextTitleMissingRefused),
            ),
        ];
        for (fault, body, expected) in cases {
            assert_eq!(
                admit_with(body, with(&[fault]), &links),
                Err(expected),
                "{fault}"
            );
            assert_eq!(admit_with(body, with(&[]), &links), Ok(()), "{body}");
        }
        // Narrow: near misses pass.
        for (fault, body) in [
            ("learner-refused", "roles=Learner,Instructor"),
            (
                "instrole-only-refused",
                "roles=urn:lti:instrole:ims/lis/Student,Learner",
            ),
            ("role-list-500", "roles=Instructor"),
        ] {
            assert_eq!(admit_with(body, with(&[fault]), &links), Ok(()), "{fault}");
        }
    }

    #[test]
    fn a_user_is_kept_to_the_first_resource_link_under_the_fault() {
        let links = FirstLinks::default();
        let faults = with(&["resource-link-switch-refused"]);
        assert_eq!(
            admit_with("user_id=u&resource_link_id=a", faults, &links),
            Ok(())
        );
        assert_eq!(
            admit_with("user_id=u&resource_link_id=a", faults, &links),
            Ok(())
        );
        assert_eq!(
            admit_with("user_id=v&resource_link_id=b", faults, &links),
            Ok(())
        );
        assert_eq!(
            admit_with("user_id=u&resource_link_id=b", faults, &links),
            Err(TurnedAway::Refused(
                LaunchRefusal::ResourceLinkSwitchRefused
            ))
        );
    }
}
