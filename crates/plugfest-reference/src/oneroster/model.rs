//! The OneRoster object types the provider serves: their tables, wrapper keys and properties
//! per version (1.2 from the official OpenAPI components, 1.1 from its information model), which
//! drive `fields` and `sort` validation and the filter's paths.

use super::Version;

/// The type of one property, as the filter, sort and field selection see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Ty {
    /// A string (including enumerations and the 1.2 "true"/"false" string booleans).
    Str,
    /// A number (`float` in the models).
    Num,
    /// A `date` (`YYYY-MM-DD`).
    Date,
    /// A `date-time` (RFC 3339).
    DateTime,
    /// One object with these properties (a GUIDRef, metadata).
    Obj(&'static [Field]),
    /// An array of objects with these properties.
    Objs(&'static [Field]),
    /// An array of strings.
    Strs,
    /// The free `metadata` object: selectable, not filterable.
    Meta,
}

/// One property: its JSON name and type.
pub(crate) type Field = (&'static str, Ty);

const REF: Ty = Ty::Obj(&[("href", Ty::Str), ("sourcedId", Ty::Str), ("type", Ty::Str)]);
const REFS: Ty = Ty::Objs(&[("href", Ty::Str), ("sourcedId", Ty::Str), ("type", Ty::Str)]);

/// The object types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Org,
    AcademicSession,
    Course,
    Class,
    User,
    Enrollment,
    Demographics,
    Category,
    LineItem,
    Result,
    ScoreScale,
    Resource,
}

impl Kind {
    /// The SQLite table holding this type: the collection's wrapper key, in snake case.
    pub(crate) fn table(self) -> &'static str {
        match self {
            Kind::AcademicSession => "academic_sessions",
            Kind::LineItem => "line_items",
            Kind::ScoreScale => "score_scales",
            _ => self.plural(),
        }
    }

    /// The wrapper key of a collection (`{"users": […]}`).
    pub(crate) fn plural(self) -> &'static str {
        match self {
            Kind::Org => "orgs",
            Kind::AcademicSession => "academicSessions",
            Kind::Course => "courses",
            Kind::Class => "classes",
            Kind::User => "users",
            Kind::Enrollment => "enrollments",
            Kind::Demographics => "demographics",
            Kind::Category => "categories",
            Kind::LineItem => "lineItems",
            Kind::Result => "results",
            Kind::ScoreScale => "scoreScales",
            Kind::Resource => "resources",
        }
    }

    /// The wrapper key of a single object (`{"user": {…}}`; demographics stays plural).
    pub(crate) fn singular(self) -> &'static str {
        match self {
            Kind::Org => "org",
            Kind::AcademicSession => "academicSession",
            Kind::Course => "course",
            Kind::Class => "class",
            Kind::User => "user",
            Kind::Enrollment => "enrollment",
            Kind::Demographics => "demographics",
            Kind::Category => "category",
            Kind::LineItem => "lineItem",
            Kind::Result => "result",
            Kind::ScoreScale => "scoreScale",
            Kind::Resource => "resource",
        }
    }

    /// The properties of this type in `version`.
    pub(crate) fn fields(self, version: Version) -> &'static [Field] {
        match (self, version) {
            (Kind::Org, _) => ORG,
            (Kind::AcademicSession, _) => ACADEMIC_SESSION,
            (Kind::Course, _) => COURSE,
            (Kind::Class, _) => CLASS,
            (Kind::User, Version::V1p1) => USER_11,
            (Kind::User, Version::V1p2) => USER_12,
            (Kind::Enrollment, _) => ENROLLMENT,
            (Kind::Demographics, _) => DEMOGRAPHICS,
            (Kind::Category, Version::V1p1) => CATEGORY_11,
            (Kind::Category, Version::V1p2) => CATEGORY_12,
            (Kind::LineItem, Version::V1p1) => LINE_ITEM_11,
            (Kind::LineItem, Version::V1p2) => LINE_ITEM_12,
            (Kind::Result, Version::V1p1) => RESULT_11,
            (Kind::Result, Version::V1p2) => RESULT_12,
            (Kind::ScoreScale, _) => SCORE_SCALE,
            (Kind::Resource, _) => RESOURCE,
        }
    }

    /// The property called `name`, if this type has one in `version`.
    pub(crate) fn field(self, version: Version, name: &str) -> Option<Ty> {
        lookup(self.fields(version), name)
    }
}

/// The property `name` among `fields`.
pub(crate) fn lookup(fields: &[Field], name: &str) -> Option<Ty> {
    fields.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The properties the 1.2 string booleans live in (for the `boolean-as-json` fault).
pub(crate) const STRING_BOOLEANS: &[&str] = &[
    "enabledUser",
    "primary",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "inProgress",
    "incomplete",
    "late",
    "missing",
];

/// Which service a GUIDRef's `type` is served by in 1.2, and its collection path segment.
pub(crate) fn ref_target(ref_type: &str) -> Option<(&'static str, &'static str)> {
    Some(match ref_type {
        "org" => ("rostering", "orgs"),
        "academicSession" => ("rostering", "academicSessions"),
        "course" => ("rostering", "courses"),
        "class" => ("rostering", "classes"),
        "user" => ("rostering", "users"),
        "lineItem" => ("gradebook", "lineItems"),
        "category" => ("gradebook", "categories"),
        "scoreScale" => ("gradebook", "scoreScales"),
        "resource" => ("resources", "resources"),
        _ => return None,
    })
}

const BASE: [Field; 4] = [
    ("sourcedId", Ty::Str),
    ("status", Ty::Str),
    ("dateLastModified", Ty::DateTime),
    ("metadata", Ty::Meta),
];

macro_rules! props {
    ($($name:literal: $ty:expr),* $(,)?) => {
        &[BASE[0], BASE[1], BASE[2], BASE[3], $(($name, $ty)),*]
    };
}

const ORG: &[Field] = props![
    "name": Ty::Str, "type": Ty::Str, "identifier": Ty::Str, "parent": REF, "children": REFS,
];
const ACADEMIC_SESSION: &[Field] = props![
    "title": Ty::Str, "startDate": Ty::Date, "endDate": Ty::Date, "type": Ty::Str,
    "parent": REF, "children": REFS, "schoolYear": Ty::Str,
];
const COURSE: &[Field] = props![
    "title": Ty::Str, "schoolYear": REF, "courseCode": Ty::Str, "grades": Ty::Strs,
    "subjects": Ty::Strs, "org": REF, "subjectCodes": Ty::Strs, "resources": REFS,
];
const CLASS: &[Field] = props![
    "title": Ty::Str, "classCode": Ty::Str, "classType": Ty::Str, "location": Ty::Str,
    "grades": Ty::Strs, "subjects": Ty::Strs, "course": REF, "school": REF, "terms": REFS,
    "subjectCodes": Ty::Strs, "periods": Ty::Strs, "resources": REFS,
];
const USER_IDS: Ty = Ty::Objs(&[("type", Ty::Str), ("identifier", Ty::Str)]);
const USER_11: &[Field] = props![
    "username": Ty::Str, "userIds": USER_IDS, "enabledUser": Ty::Str, "givenName": Ty::Str,
    "familyName": Ty::Str, "middleName": Ty::Str, "role": Ty::Str, "identifier": Ty::Str,
    "email": Ty::Str, "sms": Ty::Str, "phone": Ty::Str, "agents": REFS, "orgs": REFS,
    "grades": Ty::Strs, "password": Ty::Str,
];
const ROLES: Ty = Ty::Objs(&[
    ("roleType", Ty::Str),
    ("role", Ty::Str),
    ("org", REF),
    ("userProfile", Ty::Str),
    ("beginDate", Ty::Date),
    ("endDate", Ty::Date),
]);
const USER_PROFILES: Ty = Ty::Objs(&[
    ("profileId", Ty::Str),
    ("profileType", Ty::Str),
    ("vendorId", Ty::Str),
    ("applicationId", Ty::Str),
    ("description", Ty::Str),
]);
const USER_12: &[Field] = props![
    "userMasterIdentifier": Ty::Str, "username": Ty::Str, "userIds": USER_IDS,
    "enabledUser": Ty::Str, "givenName": Ty::Str, "familyName": Ty::Str,
    "middleName": Ty::Str, "preferredFirstName": Ty::Str, "preferredMiddleName": Ty::Str,
    "preferredLastName": Ty::Str, "pronouns": Ty::Str, "roles": ROLES,
    "userProfiles": USER_PROFILES, "primaryOrg": REF, "identifier": Ty::Str, "email": Ty::Str,
    "sms": Ty::Str, "phone": Ty::Str, "agents": REFS, "grades": Ty::Strs, "password": Ty::Str,
    "resources": REFS,
];
const ENROLLMENT: &[Field] = props![
    "user": REF, "class": REF, "school": REF, "role": Ty::Str, "primary": Ty::Str,
    "beginDate": Ty::Date, "endDate": Ty::Date,
];
const DEMOGRAPHICS: &[Field] = props![
    "birthDate": Ty::Date, "sex": Ty::Str, "americanIndianOrAlaskaNative": Ty::Str,
    "asian": Ty::Str, "blackOrAfricanAmerican": Ty::Str,
    "nativeHawaiianOrOtherPacificIslander": Ty::Str, "white": Ty::Str,
    "demographicRaceTwoOrMoreRaces": Ty::Str, "hispanicOrLatinoEthnicity": Ty::Str,
    "countryOfBirthCode": Ty::Str, "stateOfBirthAbbreviation": Ty::Str,
    "cityOfBirth": Ty::Str, "publicSchoolResidenceStatus": Ty::Str,
];
const CATEGORY_11: &[Field] = props!["title": Ty::Str];
const CATEGORY_12: &[Field] = props!["title": Ty::Str, "weight": Ty::Num];
const LINE_ITEM_11: &[Field] = props![
    "title": Ty::Str, "description": Ty::Str, "assignDate": Ty::DateTime,
    "dueDate": Ty::DateTime, "class": REF, "category": REF, "gradingPeriod": REF,
    "resultValueMin": Ty::Num, "resultValueMax": Ty::Num,
];
const LINE_ITEM_12: &[Field] = props![
    "title": Ty::Str, "description": Ty::Str, "assignDate": Ty::DateTime,
    "dueDate": Ty::DateTime, "class": REF, "school": REF, "category": REF,
    "gradingPeriod": REF, "academicSession": REF, "scoreScale": REF,
    "resultValueMin": Ty::Num, "resultValueMax": Ty::Num,
];
const RESULT_11: &[Field] = props![
    "lineItem": REF, "student": REF, "scoreStatus": Ty::Str, "score": Ty::Num,
    "scoreDate": Ty::Date, "comment": Ty::Str,
];
const RESULT_12: &[Field] = props![
    "lineItem": REF, "student": REF, "class": REF, "scoreScale": REF, "scoreStatus": Ty::Str,
    "score": Ty::Num, "textScore": Ty::Str, "scoreDate": Ty::Date, "comment": Ty::Str,
    "inProgress": Ty::Str, "incomplete": Ty::Str, "late": Ty::Str, "missing": Ty::Str,
];
const SCORE_SCALE: &[Field] = props![
    "title": Ty::Str, "type": Ty::Str, "course": REF, "class": REF,
    "scoreScaleValue": Ty::Objs(&[("itemValueLHS", Ty::Str), ("itemValueRHS", Ty::Str)]),
];
const RESOURCE: &[Field] = props![
    "title": Ty::Str, "roles": Ty::Strs, "importance": Ty::Str, "vendorResourceId": Ty::Str,
    "vendorId": Ty::Str, "applicationId": Ty::Str,
];

/// Result `scoreStatus` values (both versions).
pub(crate) const SCORE_STATUSES: &[&str] = &[
    "exempt",
    "fully graded",
    "not submitted",
    "partially graded",
    "submitted",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_the_base_properties_once() {
        let kinds = [
            Kind::Org,
            Kind::AcademicSession,
            Kind::Course,
            Kind::Class,
            Kind::User,
            Kind::Enrollment,
            Kind::Demographics,
            Kind::Category,
            Kind::LineItem,
            Kind::Result,
            Kind::ScoreScale,
            Kind::Resource,
        ];
        for v in [Version::V1p1, Version::V1p2] {
            for k in kinds {
                let f = k.fields(v);
                assert_eq!(f[0].0, "sourcedId");
                let mut names: Vec<_> = f.iter().map(|(n, _)| *n).collect();
                names.sort_unstable();
                names.dedup();
                assert_eq!(names.len(), f.len(), "{k:?}");
            }
        }
        assert_eq!(Kind::User.field(Version::V1p1, "role"), Some(Ty::Str));
        assert_eq!(Kind::User.field(Version::V1p2, "role"), None);
        assert!(matches!(
            Kind::User.field(Version::V1p2, "roles"),
            Some(Ty::Objs(_))
        ));
    }
}
