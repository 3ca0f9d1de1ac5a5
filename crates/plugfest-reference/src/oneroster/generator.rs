//! The deterministic synthetic district: one district org, `schools` schools (high, middle and
//! elementary in turn), a 2025–2026 school year with two terms and four grading periods,
//! courses per grade, class sections of about 25 students per course and term, students with
//! demographics, teachers, principals, enrollments, gradebook categories, score scales, line
//! items with results, and digital resources — all drawn from one seed, so the same seed gives
//! byte-identical data. Loaded in one transaction through prepared statements; indexes are
//! built afterwards.

use std::path::Path;

use rusqlite::{Connection, Statement, params};
use serde_json::{Value, json};

use super::Version;
use super::db;
use super::names::{self, Level};
use super::rng::{Rng, date, date_time, days_from_civil};

/// The district org's sourcedId (it holds the characters `.`, `@`, `_` and `-` a sourcedId may
/// carry, so hrefs and paths are exercised with them).
pub(crate) const DISTRICT_ID: &str = "dist-mvusd.k12@ca_01";
/// Students per class section.
const SECTION_SIZE: usize = 25;
/// Sections one teacher teaches per term.
const SECTIONS_PER_TEACHER: usize = 5;
/// 2025-06-01T00:00:00Z in milliseconds: the earliest `dateLastModified`.
const STAMP_BASE_MS: i64 = 1_748_736_000_000;
/// The span `dateLastModified` values are drawn from (150 days).
const STAMP_SPAN_MS: u64 = 150 * 86_400_000;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct District {
    pub students: u64,
    pub schools: u64,
    pub seed: u64,
}

/// What was generated: the class gradebook writes may go to, and the rows per table.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub sandbox_class: String,
    pub rows: Vec<(&'static str, i64)>,
}

/// Create the database at `path` and load `district` in `version`'s shapes.
pub(crate) fn load(path: &Path, district: &District, version: Version) -> Result<Loaded, String> {
    if district.schools == 0 || district.students < district.schools {
        return Err("a district needs at least one school and one student per school".into());
    }
    let mut conn = db::open(path)?;
    let sql = |e: rusqlite::Error| format!("loading the district: {e}");
    conn.execute_batch(db::SCHEMA).map_err(sql)?;
    let tx = conn.transaction().map_err(sql)?;
    let sandbox_class = {
        let mut g = Gen::new(&tx, district, version).map_err(sql)?;
        g.run().map_err(sql)?
    };
    tx.commit().map_err(sql)?;
    conn.execute_batch(db::INDEXES).map_err(sql)?;
    let rows = row_counts(&conn).map_err(sql)?;
    Ok(Loaded {
        sandbox_class,
        rows,
    })
}

/// Rows per object table.
fn row_counts(conn: &Connection) -> rusqlite::Result<Vec<(&'static str, i64)>> {
    [
        "orgs",
        "academic_sessions",
        "courses",
        "classes",
        "users",
        "enrollments",
        "demographics",
        "categories",
        "line_items",
        "results",
        "score_scales",
        "resources",
    ]
    .into_iter()
    .map(|t| {
        // Table names are literals of this list, not input.
        conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .map(|n| (t, n))
    })
    .collect()
}

/// A GUIDRef as stored: `href` is added when served (it depends on the served base URL).
fn guid_ref(ty: &str, id: &str) -> Value {
    json!({ "sourcedId": id, "type": ty })
}

/// A session as data: id, title, first and last day (year, month, day).
type SessionRow = (&'static str, &'static str, (i64, u32, u32), (i64, u32, u32));

/// The 2025–2026 school year.
const SCHOOL_YEAR: SessionRow = (
    "as-sy-2026",
    "2025-2026 School Year",
    (2025, 8, 18),
    (2026, 6, 5),
);
/// Its two terms.
const TERMS: [SessionRow; 2] = [
    (
        "as-term-2025-fall",
        "Fall 2025",
        (2025, 8, 18),
        (2025, 12, 19),
    ),
    (
        "as-term-2026-spring",
        "Spring 2026",
        (2026, 1, 5),
        (2026, 6, 5),
    ),
];
/// Its four grading periods, each with the index of its term in [`TERMS`].
const PERIODS: [(usize, SessionRow); 4] = [
    (
        0,
        ("as-gp-2025-q1", "Quarter 1", (2025, 8, 18), (2025, 10, 17)),
    ),
    (
        0,
        ("as-gp-2025-q2", "Quarter 2", (2025, 10, 20), (2025, 12, 19)),
    ),
    (
        1,
        ("as-gp-2026-q3", "Quarter 3", (2026, 1, 5), (2026, 3, 13)),
    ),
    (
        1,
        ("as-gp-2026-q4", "Quarter 4", (2026, 3, 16), (2026, 6, 5)),
    ),
];

/// The day number of a (year, month, day).
fn days((y, m, d): (i64, u32, u32)) -> i64 {
    days_from_civil(y, m, d)
}

/// One academic session of the school year.
struct Session {
    id: String,
    title: String,
    start: i64,
    end: i64,
}

struct Statements<'c> {
    org: Statement<'c>,
    session: Statement<'c>,
    course: Statement<'c>,
    class: Statement<'c>,
    class_term: Statement<'c>,
    user: Statement<'c>,
    user_org: Statement<'c>,
    enrollment: Statement<'c>,
    demographics: Statement<'c>,
    category: Statement<'c>,
    line_item: Statement<'c>,
    result: Statement<'c>,
    score_scale: Statement<'c>,
    resource: Statement<'c>,
    class_resource: Statement<'c>,
    course_resource: Statement<'c>,
}

impl<'c> Statements<'c> {
    fn prepare(c: &'c Connection) -> rusqlite::Result<Self> {
        Ok(Statements {
            org: c.prepare("INSERT INTO orgs (sourced_id, type, json) VALUES (?, ?, ?)")?,
            session: c.prepare(
                "INSERT INTO academic_sessions (sourced_id, type, parent_id, json) VALUES (?, ?, ?, ?)",
            )?,
            course: c
                .prepare("INSERT INTO courses (sourced_id, org_id, json) VALUES (?, ?, ?)")?,
            class: c.prepare(
                "INSERT INTO classes (sourced_id, course_id, school_id, json) VALUES (?, ?, ?, ?)",
            )?,
            class_term: c.prepare("INSERT INTO class_terms (class_id, term_id) VALUES (?, ?)")?,
            user: c.prepare("INSERT INTO users (sourced_id, role, json) VALUES (?, ?, ?)")?,
            user_org: c.prepare("INSERT INTO user_orgs (user_id, org_id) VALUES (?, ?)")?,
            enrollment: c.prepare(
                "INSERT INTO enrollments (sourced_id, class_id, user_id, school_id, role, json)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )?,
            demographics: c
                .prepare("INSERT INTO demographics (sourced_id, json) VALUES (?, ?)")?,
            category: c.prepare("INSERT INTO categories (sourced_id, json) VALUES (?, ?)")?,
            line_item: c.prepare(
                "INSERT INTO line_items (sourced_id, class_id, school_id, category_id, json)
                 VALUES (?, ?, ?, ?, ?)",
            )?,
            result: c.prepare(
                "INSERT INTO results (sourced_id, line_item_id, student_id, class_id, json)
                 VALUES (?, ?, ?, ?, ?)",
            )?,
            score_scale: c.prepare(
                "INSERT INTO score_scales (sourced_id, class_id, school_id, json) VALUES (?, ?, ?, ?)",
            )?,
            resource: c.prepare("INSERT INTO resources (sourced_id, json) VALUES (?, ?)")?,
            class_resource: c.prepare(
                "INSERT INTO class_resources (class_id, resource_id) VALUES (?, ?)",
            )?,
            course_resource: c.prepare(
                "INSERT INTO course_resources (course_id, resource_id) VALUES (?, ?)",
            )?,
        })
    }
}

/// A student placed in a school: id and grade index.
struct Student {
    id: String,
    grade: usize,
}

struct Gen<'c> {
    st: Statements<'c>,
    district: District,
    version: Version,
    rng: Rng,
    school_year: Session,
    terms: Vec<Session>,
    periods: Vec<(usize, Session)>,
    counters: Counters,
}

#[derive(Default)]
struct Counters {
    student: u64,
    teacher: u64,
    admin: u64,
    class: u64,
    enrollment: u64,
    line_item: u64,
    result: u64,
}

impl<'c> Gen<'c> {
    fn new(conn: &'c Connection, district: &District, version: Version) -> rusqlite::Result<Self> {
        let session = |(id, title, start, end): SessionRow| Session {
            id: id.into(),
            title: title.into(),
            start: days(start),
            end: days(end),
        };
        Ok(Gen {
            st: Statements::prepare(conn)?,
            district: *district,
            version,
            rng: Rng::new(district.seed, 0),
            school_year: session(SCHOOL_YEAR),
            terms: TERMS.into_iter().map(session).collect(),
            periods: PERIODS
                .into_iter()
                .map(|(term, row)| (term, session(row)))
                .collect(),
            counters: Counters::default(),
        })
    }

    fn stamp(&mut self) -> String {
        date_time(STAMP_BASE_MS + self.rng.below(STAMP_SPAN_MS) as i64)
    }

    fn v12(&self) -> bool {
        self.version == Version::V1p2
    }

    /// Everything; returns the sandbox class.
    fn run(&mut self) -> rusqlite::Result<String> {
        let district_id = DISTRICT_ID;
        let schools: Vec<String> = (1..=self.district.schools)
            .map(|i| format!("sch-{i:03}"))
            .collect();
        let stamp = self.stamp();
        let district = json!({
            "sourcedId": district_id, "status": "active", "dateLastModified": stamp,
            "name": "Maple Valley Unified School District", "type": "district",
            "identifier": "0612345",
            "children": schools.iter().map(|s| guid_ref("org", s)).collect::<Vec<_>>(),
        });
        self.st
            .org
            .execute(params![district_id, "district", district.to_string()])?;
        self.sessions()?;
        self.categories()?;
        self.resources()?;
        let admin = self.next_admin();
        let role = if self.v12() {
            "districtAdministrator"
        } else {
            "administrator"
        };
        self.staff_user(&admin, role, district_id, "Superintendent", None)?;

        let mut sandbox = None;
        let per_school = self.district.students / self.district.schools;
        let extra = self.district.students % self.district.schools;
        for (i, school) in schools.iter().enumerate() {
            let n = per_school + u64::from((i as u64) < extra);
            let first_class = self.school(i, school, district_id, n)?;
            sandbox = sandbox.or(first_class);
        }
        Ok(sandbox.unwrap_or_default())
    }

    fn sessions(&mut self) -> rusqlite::Result<()> {
        let school_year = "2026";
        let stamp = self.stamp();
        let sy = &self.school_year;
        let mut json = json!({
            "sourcedId": sy.id, "status": "active", "dateLastModified": stamp,
            "title": sy.title, "startDate": date(sy.start), "endDate": date(sy.end),
            "type": "schoolYear",
            "children": self.terms.iter().map(|t| guid_ref("academicSession", &t.id)).collect::<Vec<_>>(),
            "schoolYear": school_year,
        });
        self.st.session.execute(params![
            sy.id,
            "schoolYear",
            None::<String>,
            json.to_string()
        ])?;
        for ti in 0..self.terms.len() {
            let stamp = self.stamp();
            let t = &self.terms[ti];
            let children: Vec<Value> = self
                .periods
                .iter()
                .filter(|(p, _)| *p == ti)
                .map(|(_, g)| guid_ref("academicSession", &g.id))
                .collect();
            json = json!({
                "sourcedId": t.id, "status": "active", "dateLastModified": stamp,
                "title": t.title, "startDate": date(t.start), "endDate": date(t.end),
                "type": "term", "parent": guid_ref("academicSession", &self.school_year.id),
                "children": children, "schoolYear": school_year,
            });
            self.st.session.execute(params![
                t.id,
                "term",
                self.school_year.id,
                json.to_string()
            ])?;
        }
        for gi in 0..self.periods.len() {
            let stamp = self.stamp();
            let (ti, g) = &self.periods[gi];
            json = json!({
                "sourcedId": g.id, "status": "active", "dateLastModified": stamp,
                "title": g.title, "startDate": date(g.start), "endDate": date(g.end),
                "type": "gradingPeriod", "parent": guid_ref("academicSession", &self.terms[*ti].id),
                "schoolYear": school_year,
            });
            self.st.session.execute(params![
                g.id,
                "gradingPeriod",
                self.terms[*ti].id,
                json.to_string()
            ])?;
        }
        Ok(())
    }

    fn categories(&mut self) -> rusqlite::Result<()> {
        for (suffix, title, weight) in names::CATEGORIES {
            let id = format!("cat-{suffix}");
            let stamp = self.stamp();
            let mut json = json!({
                "sourcedId": id, "status": "active", "dateLastModified": stamp, "title": title,
            });
            if self.v12() {
                json["weight"] = json!(weight);
            }
            self.st.category.execute(params![id, json.to_string()])?;
        }
        Ok(())
    }

    fn resources(&mut self) -> rusqlite::Result<()> {
        for (i, (_, title, vendor, app)) in names::RESOURCES.iter().enumerate() {
            let id = resource_id(i);
            let stamp = self.stamp();
            let json = json!({
                "sourcedId": id, "status": "active", "dateLastModified": stamp, "title": title,
                "roles": ["student", "teacher"], "importance": "primary",
                "vendorResourceId": format!("{}-{:04}", app.to_uppercase(), 2025 + i),
                "vendorId": vendor, "applicationId": app,
            });
            self.st.resource.execute(params![id, json.to_string()])?;
        }
        Ok(())
    }

    fn next_admin(&mut self) -> String {
        self.counters.admin += 1;
        format!("usr-a-{:04}", self.counters.admin)
    }

    /// A name: (given, middle, family).
    fn name(&mut self) -> (&'static str, &'static str, &'static str) {
        (
            *self.rng.pick(names::GIVEN_NAMES),
            *self.rng.pick(names::MIDDLE_INITIALS),
            *self.rng.pick(names::FAMILY_NAMES),
        )
    }

    /// A staff member (teacher, principal, district administrator) at `org`.
    fn staff_user(
        &mut self,
        id: &str,
        role: &str,
        org: &str,
        title: &str,
        phone: Option<String>,
    ) -> rusqlite::Result<()> {
        let (given, middle, family) = self.name();
        let stamp = self.stamp();
        let username = username(given, family, id);
        let mut json = json!({
            "sourcedId": id, "status": "active", "dateLastModified": stamp,
        });
        let table_role = match role {
            "teacher" => "teacher",
            _ => "administrator",
        };
        let ids = json!([{ "type": "employeeId", "identifier": id.replace("usr-", "E") }]);
        if self.v12() {
            extend(
                &mut json,
                json!({
                    "userMasterIdentifier": id.replace("usr-", "MV"), "username": username,
                    "userIds": ids, "enabledUser": "true", "givenName": given,
                    "familyName": family, "middleName": middle,
                    "roles": [{ "roleType": "primary", "role": role, "org": guid_ref("org", org) }],
                    "primaryOrg": guid_ref("org", org), "identifier": id.replace("usr-", "E"),
                    "email": format!("{username}@mvusd.example.org"),
                }),
            );
        } else {
            extend(
                &mut json,
                json!({
                    "username": username, "userIds": ids, "enabledUser": "true",
                    "givenName": given, "familyName": family, "middleName": middle,
                    "role": table_role, "identifier": id.replace("usr-", "E"),
                    "email": format!("{username}@mvusd.example.org"),
                    "orgs": [guid_ref("org", org)],
                }),
            );
        }
        if let Some(p) = phone {
            json["phone"] = json!(p);
        }
        json["metadata"] = json!({ "jobTitle": title });
        self.st
            .user
            .execute(params![id, table_role, json.to_string()])?;
        self.st.user_org.execute(params![id, org])?;
        Ok(())
    }

    /// One school and everything in it; returns its first class.
    fn school(
        &mut self,
        index: usize,
        id: &str,
        district_id: &str,
        students: u64,
    ) -> rusqlite::Result<Option<String>> {
        let level: &Level = match index % 3 {
            0 => &names::HIGH,
            1 => &names::MIDDLE,
            _ => &names::ELEMENTARY,
        };
        let base = names::SCHOOL_NAMES[index % names::SCHOOL_NAMES.len()];
        let name = if index < names::SCHOOL_NAMES.len() {
            format!("{base} {}", level.suffix)
        } else {
            format!(
                "{base} {} {}",
                level.suffix,
                index / names::SCHOOL_NAMES.len() + 1
            )
        };
        let stamp = self.stamp();
        let json = json!({
            "sourcedId": id, "status": "active", "dateLastModified": stamp, "name": name,
            "type": "school", "identifier": format!("06123450{:04}", index + 1),
            "parent": guid_ref("org", district_id),
        });
        self.st
            .org
            .execute(params![id, "school", json.to_string()])?;

        let principal = self.next_admin();
        let role = if self.v12() {
            "principal"
        } else {
            "administrator"
        };
        self.staff_user(&principal, role, id, "Principal", None)?;

        // Students, spread over the grades.
        let mut by_grade: Vec<Vec<Student>> = level.grades.iter().map(|_| Vec::new()).collect();
        for k in 0..students as usize {
            let grade = k % level.grades.len();
            self.counters.student += 1;
            let sid = format!("usr-s-{:07}", self.counters.student);
            self.student(&sid, id, level.grades[grade])?;
            by_grade[grade].push(Student { id: sid, grade });
        }

        // Teachers, enough for the sections of one term.
        let sections_per_term: usize = by_grade
            .iter()
            .map(|g| g.len().div_ceil(SECTION_SIZE) * level.courses.len())
            .sum();
        let teacher_count = sections_per_term.div_ceil(SECTIONS_PER_TEACHER).max(1);
        let mut teachers = Vec::with_capacity(teacher_count);
        for _ in 0..teacher_count {
            self.counters.teacher += 1;
            let tid = format!("usr-t-{:06}", self.counters.teacher);
            let phone = format!("+1-916-555-{:04}", self.rng.below(10_000));
            self.staff_user(&tid, "teacher", id, "Teacher", Some(phone))?;
            teachers.push(tid);
        }

        let mut first_class = None;
        let mut section_no = 0usize;
        let mut scale_done = false;
        for (gi, grade) in level.grades.iter().enumerate() {
            if by_grade[gi].is_empty() {
                continue;
            }
            for (ci, course) in level.courses.iter().enumerate() {
                let course_id = format!("crs-{:03}-{:04}", index + 1, gi * 100 + ci);
                self.course(&course_id, id, course, grade)?;
                let sections = by_grade[gi].len().div_ceil(SECTION_SIZE);
                for term in 0..self.terms.len() {
                    for s in 0..sections {
                        let teacher =
                            teachers[(section_no / SECTIONS_PER_TEACHER) % teachers.len()].clone();
                        section_no += 1;
                        let class_id = self.class(&course_id, id, course, grade, term, s, ci)?;
                        if !scale_done && self.v12() {
                            self.score_scale(index, &class_id, &course_id, id)?;
                            scale_done = true;
                        }
                        let members: Vec<&Student> = by_grade[gi]
                            .iter()
                            .enumerate()
                            .filter(|(rank, _)| (rank + ci * 3 + term) % sections == s)
                            .map(|(_, st)| st)
                            .collect();
                        self.enroll(&class_id, id, &teacher, "teacher", term)?;
                        let mut student_ids = Vec::with_capacity(members.len());
                        for m in members {
                            debug_assert_eq!(m.grade, gi);
                            self.enroll(&class_id, id, &m.id, "student", term)?;
                            student_ids.push(m.id.clone());
                        }
                        self.gradebook(&class_id, id, term, &student_ids, index)?;
                        first_class.get_or_insert(class_id);
                    }
                }
            }
        }
        Ok(first_class)
    }

    fn student(&mut self, id: &str, school: &str, grade: &str) -> rusqlite::Result<()> {
        let (given, middle, family) = self.name();
        let stamp = self.stamp();
        let number = format!("S{}", &id[6..]);
        let username = username(given, family, id);
        let status = if self.rng.chance(3) {
            "tobedeleted"
        } else {
            "active"
        };
        let ids = json!([{ "type": "studentNumber", "identifier": number }]);
        let mut json = json!({
            "sourcedId": id, "status": status, "dateLastModified": stamp,
        });
        if self.v12() {
            extend(
                &mut json,
                json!({
                    "userMasterIdentifier": format!("CA{}", &id[6..]), "username": username,
                    "userIds": ids, "enabledUser": if status == "active" { "true" } else { "false" },
                    "givenName": given, "familyName": family, "middleName": middle,
                    "roles": [{ "roleType": "primary", "role": "student", "org": guid_ref("org", school) }],
                    "primaryOrg": guid_ref("org", school), "identifier": number,
                    "email": format!("{username}@students.mvusd.example.org"), "grades": [grade],
                }),
            );
            if self.rng.chance(80) {
                json["preferredFirstName"] = json!(given.split(' ').next().unwrap_or(given));
            }
        } else {
            extend(
                &mut json,
                json!({
                    "username": username, "userIds": ids,
                    "enabledUser": if status == "active" { "true" } else { "false" },
                    "givenName": given, "familyName": family, "middleName": middle,
                    "role": "student", "identifier": number,
                    "email": format!("{username}@students.mvusd.example.org"),
                    "orgs": [guid_ref("org", school)], "grades": [grade],
                }),
            );
        }
        self.st
            .user
            .execute(params![id, "student", json.to_string()])?;
        self.st.user_org.execute(params![id, school])?;
        self.demographics(id, grade)
    }

    fn demographics(&mut self, id: &str, grade: &str) -> rusqlite::Result<()> {
        let grade_no: i64 = grade.parse().unwrap_or(0);
        // Age 5 on 1 September 2025 in kindergarten, one year older per grade.
        let born = days_from_civil(2019 - grade_no, 9, 2) + self.rng.below(365) as i64;
        let sex = match (self.rng.below(100), self.version) {
            (0, Version::V1p2) => "other",
            (1, Version::V1p2) => "unspecified",
            (n, _) if n % 2 == 0 => "female",
            _ => "male",
        };
        let (city, state) = *self.rng.pick(names::CITIES);
        let races = [
            ("americanIndianOrAlaskaNative", 20),
            ("asian", 150),
            ("blackOrAfricanAmerican", 120),
            ("nativeHawaiianOrOtherPacificIslander", 10),
            ("white", 450),
        ];
        let stamp = self.stamp();
        let mut json = json!({
            "sourcedId": id, "status": "active", "dateLastModified": stamp,
            "birthDate": date(born), "sex": sex,
        });
        let mut count = 0;
        for (field, per_mille) in races {
            let yes = self.rng.chance(per_mille);
            count += usize::from(yes);
            json[field] = json!(bool_str(yes));
        }
        json["demographicRaceTwoOrMoreRaces"] = json!(bool_str(count > 1));
        json["hispanicOrLatinoEthnicity"] = json!(bool_str(self.rng.chance(380)));
        extend(
            &mut json,
            json!({
                "countryOfBirthCode": "US", "stateOfBirthAbbreviation": state, "cityOfBirth": city,
                "publicSchoolResidenceStatus": "01652",
            }),
        );
        self.st
            .demographics
            .execute(params![id, json.to_string()])?;
        Ok(())
    }

    fn course(
        &mut self,
        id: &str,
        school: &str,
        course: &(&str, &str, &str, &str),
        grade: &str,
    ) -> rusqlite::Result<()> {
        let (title, subject, code, _) = course;
        let stamp = self.stamp();
        let json = json!({
            "sourcedId": id, "status": "active", "dateLastModified": stamp,
            "title": title.replace("{g}", &grade_label(grade)),
            "schoolYear": guid_ref("academicSession", &self.school_year.id),
            "courseCode": format!("{}-{grade}", short_code(subject)),
            "grades": [grade], "subjects": [subject], "org": guid_ref("org", school),
            "subjectCodes": [code],
        });
        self.st
            .course
            .execute(params![id, school, json.to_string()])?;
        if let Some(r) = resource_for(subject) {
            self.st.course_resource.execute(params![id, r])?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn class(
        &mut self,
        course_id: &str,
        school: &str,
        course: &(&str, &str, &str, &str),
        grade: &str,
        term: usize,
        section: usize,
        period: usize,
    ) -> rusqlite::Result<String> {
        let (title, subject, code, class_type) = course;
        self.counters.class += 1;
        let id = format!("cls-{:07}", self.counters.class);
        let stamp = self.stamp();
        let term_s = &self.terms[term];
        let season = if term == 0 { "Fall" } else { "Spring" };
        let json = json!({
            "sourcedId": id, "status": "active", "dateLastModified": stamp,
            "title": format!("{} - {season} - Section {}", title.replace("{g}", &grade_label(grade)), section + 1),
            "classCode": format!("{}{grade}-{}-{:02}", short_code(subject), &season[..1], section + 1),
            "classType": class_type, "location": format!("Room {}", 100 + self.rng.below(230)),
            "grades": [grade], "subjects": [subject], "course": guid_ref("course", course_id),
            "school": guid_ref("org", school), "terms": [guid_ref("academicSession", &term_s.id)],
            "subjectCodes": [code], "periods": [format!("{}", period + 1)],
        });
        let term_id = term_s.id.clone();
        self.st
            .class
            .execute(params![id, course_id, school, json.to_string()])?;
        self.st.class_term.execute(params![id, term_id])?;
        if let Some(r) = resource_for(subject) {
            self.st.class_resource.execute(params![id, r])?;
        }
        Ok(id)
    }

    fn enroll(
        &mut self,
        class_id: &str,
        school: &str,
        user: &str,
        role: &str,
        term: usize,
    ) -> rusqlite::Result<()> {
        self.counters.enrollment += 1;
        let id = format!("enr-{:08}", self.counters.enrollment);
        let stamp = self.stamp();
        let status = if role == "student" && self.rng.chance(8) {
            "tobedeleted"
        } else {
            "active"
        };
        let t = &self.terms[term];
        let mut json = json!({
            "sourcedId": id, "status": status, "dateLastModified": stamp,
            "user": guid_ref("user", user), "class": guid_ref("class", class_id),
            "school": guid_ref("org", school), "role": role,
        });
        if role == "teacher" {
            json["primary"] = json!("true");
        }
        json["beginDate"] = json!(date(t.start));
        json["endDate"] = json!(date(t.end));
        self.st
            .enrollment
            .execute(params![id, class_id, user, school, role, json.to_string()])?;
        Ok(())
    }

    fn score_scale(
        &mut self,
        school_index: usize,
        class_id: &str,
        course_id: &str,
        school: &str,
    ) -> rusqlite::Result<()> {
        let id = format!("ss-{:03}-letter", school_index + 1);
        let stamp = self.stamp();
        let values: Vec<Value> = [
            ("A", "90"),
            ("B", "80"),
            ("C", "70"),
            ("D", "60"),
            ("F", "0"),
        ]
        .iter()
        .map(|(l, r)| json!({ "itemValueLHS": l, "itemValueRHS": r }))
        .collect();
        let json = json!({
            "sourcedId": id, "status": "active", "dateLastModified": stamp,
            "title": "Letter Grade (A-F)", "type": "Letter grade",
            "course": guid_ref("course", course_id), "class": guid_ref("class", class_id),
            "scoreScaleValue": values,
        });
        self.st
            .score_scale
            .execute(params![id, class_id, school, json.to_string()])?;
        Ok(())
    }

    /// Two line items per class (one past due, graded; one later, not yet), and a result for
    /// each student on the first.
    fn gradebook(
        &mut self,
        class_id: &str,
        school: &str,
        term: usize,
        students: &[String],
        school_index: usize,
    ) -> rusqlite::Result<()> {
        let periods: Vec<String> = self
            .periods
            .iter()
            .filter(|(t, _)| *t == term)
            .map(|(_, g)| g.id.clone())
            .collect();
        let t_start = self.terms[term].start;
        let term_id = self.terms[term].id.clone();
        let specs = [
            ("Unit 1 Quiz", "cat-quizzes", 20, 27, &periods[0]),
            (
                "Unit 2 Project",
                "cat-projects",
                60,
                74,
                &periods[periods.len() - 1],
            ),
        ];
        for (n, (title, category, assign, due, period)) in specs.into_iter().enumerate() {
            self.counters.line_item += 1;
            let id = format!("li-{:08}", self.counters.line_item);
            let stamp = self.stamp();
            let assign_ms = (t_start + assign) * 86_400_000 + 15 * 3_600_000;
            let due_ms = (t_start + due) * 86_400_000 + 23 * 3_600_000 + 59 * 60_000;
            let mut json = json!({
                "sourcedId": id, "status": "active", "dateLastModified": stamp,
                "title": title, "description": format!("{title} for this section"),
                "assignDate": date_time(assign_ms), "dueDate": date_time(due_ms),
                "class": guid_ref("class", class_id),
            });
            if self.v12() {
                json["school"] = guid_ref("org", school);
                json["category"] = guid_ref("category", category);
                json["academicSession"] = guid_ref("academicSession", &term_id);
                if n == 0 {
                    json["scoreScale"] =
                        guid_ref("scoreScale", &format!("ss-{:03}-letter", school_index + 1));
                }
            } else {
                json["category"] = guid_ref("category", category);
                json["gradingPeriod"] = guid_ref("academicSession", period);
            }
            json["resultValueMin"] = json!(0.0);
            json["resultValueMax"] = json!(100.0);
            self.st
                .line_item
                .execute(params![id, class_id, school, category, json.to_string()])?;
            if n == 0 {
                for s in students {
                    self.result(&id, s, class_id, due_ms)?;
                }
            }
        }
        Ok(())
    }

    fn result(
        &mut self,
        line_item: &str,
        student: &str,
        class_id: &str,
        due_ms: i64,
    ) -> rusqlite::Result<()> {
        self.counters.result += 1;
        let id = format!("rst-{:09}", self.counters.result);
        let stamp = self.stamp();
        let roll = self.rng.below(100);
        let (status, score) = match roll {
            0..=1 => ("exempt", None),
            2..=4 => ("not submitted", None),
            5..=7 => ("submitted", None),
            _ => ("fully graded", Some(55.0 + self.rng.below(46) as f64)),
        };
        let mut json = json!({
            "sourcedId": id, "status": "active", "dateLastModified": stamp,
            "lineItem": guid_ref("lineItem", line_item), "student": guid_ref("user", student),
        });
        if self.v12() {
            json["class"] = guid_ref("class", class_id);
        }
        json["scoreStatus"] = json!(status);
        if let Some(s) = score {
            json["score"] = json!(s);
        }
        json["scoreDate"] = json!(date(due_ms.div_euclid(86_400_000) + 1));
        if roll == 99 {
            json["comment"] = json!("Great improvement since the last unit!");
        }
        if self.v12() {
            json["inProgress"] = json!("false");
            json["incomplete"] = json!(bool_str(status == "not submitted"));
            json["late"] = json!(bool_str(roll == 8));
            json["missing"] = json!(bool_str(status == "not submitted"));
        }
        self.st
            .result
            .execute(params![id, line_item, student, class_id, json.to_string()])?;
        Ok(())
    }
}

fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Merge the properties of `more` (an object) into `json`.
fn extend(json: &mut Value, more: Value) {
    if let (Some(obj), Value::Object(more)) = (json.as_object_mut(), more) {
        obj.extend(more);
    }
}

fn resource_id(i: usize) -> String {
    format!("rsrc-{:03}", i + 1)
}

fn resource_for(subject: &str) -> Option<String> {
    names::RESOURCES
        .iter()
        .position(|(s, ..)| *s == subject)
        .map(resource_id)
}

fn grade_label(grade: &str) -> String {
    match grade {
        "KG" => "Kindergarten".into(),
        g => format!("Grade {}", g.trim_start_matches('0')),
    }
}

fn short_code(subject: &str) -> String {
    subject
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_ascii_uppercase())
        .take(3)
        .collect::<String>()
        + if subject.len() > 3 { "" } else { "X" }
}

/// A login name: ASCII letters of the given name's initial and the family name, and the
/// numeric part of the id (unique).
fn username(given: &str, family: &str, id: &str) -> String {
    let ascii = |s: &str| -> String {
        s.chars()
            .map(fold)
            .filter(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let digits: String = id.chars().filter(char::is_ascii_digit).collect();
    let initial = ascii(given).chars().next().unwrap_or('x');
    format!(
        "{initial}{}{}",
        ascii(family),
        digits.trim_start_matches('0')
    )
}

/// The unaccented ASCII letter for common Latin letters with diacritics.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' | 'Á' => 'a',
        'é' | 'è' | 'ë' | 'ê' | 'É' => 'e',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'ø' | 'Ø' => 'o',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        'ễ' => 'e',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!(
            "plugfest-or-gen-{name}-{}-{}.sqlite",
            std::process::id(),
            crate::serve::random_hex(4)
        ))
    }

    fn dump(path: &Path) -> Vec<String> {
        let conn = Connection::open(path).unwrap();
        let mut out = Vec::new();
        for t in [
            "orgs",
            "academic_sessions",
            "users",
            "classes",
            "enrollments",
            "results",
        ] {
            let mut st = conn
                .prepare(&format!(
                    "SELECT sourced_id, json FROM {t} ORDER BY sourced_id"
                ))
                .unwrap();
            let rows = st
                .query_map([], |r| {
                    Ok(format!(
                        "{}\t{}",
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?
                    ))
                })
                .unwrap();
            out.extend(rows.map(Result::unwrap));
        }
        out
    }

    fn remove(path: &Path) {
        for s in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(s);
            let _ = std::fs::remove_file(p);
        }
    }

    #[test]
    fn same_seed_same_district_other_seed_other_names() {
        let d = District {
            students: 120,
            schools: 3,
            seed: 42,
        };
        let (a, b, c) = (temp("a"), temp("b"), temp("c"));
        let la = load(&a, &d, Version::V1p2).unwrap();
        load(&b, &d, Version::V1p2).unwrap();
        load(&c, &District { seed: 43, ..d }, Version::V1p2).unwrap();
        let (da, db, dc) = (dump(&a), dump(&b), dump(&c));
        assert_eq!(da, db);
        assert_ne!(da, dc);
        assert!(!la.sandbox_class.is_empty());
        let rows: std::collections::HashMap<_, _> = la.rows.into_iter().collect();
        assert_eq!(rows["demographics"], 120);
        assert_eq!(rows["users"], 120 + rows["users"] - 120);
        assert!(rows["enrollments"] > 120 * 5);
        assert!(rows["results"] > 0 && rows["score_scales"] == 3);
        for p in [a, b, c] {
            remove(&p);
        }
    }

    #[test]
    fn every_reference_in_the_district_resolves() {
        let d = District {
            students: 60,
            schools: 2,
            seed: 7,
        };
        for v in [Version::V1p1, Version::V1p2] {
            let p = temp("refs");
            load(&p, &d, v).unwrap();
            let conn = Connection::open(&p).unwrap();
            let dangling: i64 = conn
                .query_row(
                    "SELECT
                       (SELECT count(*) FROM enrollments e WHERE e.user_id NOT IN (SELECT sourced_id FROM users)
                          OR e.class_id NOT IN (SELECT sourced_id FROM classes))
                     + (SELECT count(*) FROM classes c WHERE c.course_id NOT IN (SELECT sourced_id FROM courses)
                          OR c.school_id NOT IN (SELECT sourced_id FROM orgs WHERE type = 'school'))
                     + (SELECT count(*) FROM results r WHERE r.line_item_id NOT IN (SELECT sourced_id FROM line_items)
                          OR r.student_id NOT IN (SELECT sourced_id FROM users WHERE role = 'student'))
                     + (SELECT count(*) FROM class_terms t WHERE t.term_id NOT IN (SELECT sourced_id FROM academic_sessions WHERE type = 'term'))",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(dangling, 0, "{v:?}");
            drop(conn);
            remove(&p);
        }
    }

    #[test]
    fn usernames_are_ascii() {
        assert_eq!(username("Zoë", "O'Brien", "usr-s-0000012"), "zobrien12");
        assert_eq!(username("José", "Nguyễn", "usr-t-000003"), "jnguyen3");
    }
}
