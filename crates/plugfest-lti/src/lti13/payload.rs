//! Launch tokens: the valid `LtiResourceLinkRequest` id_tokens Plugfest signs as the platform
//! (Core §5.3, Sec §5.1.2) in the variants the certification guide lists (§6.1.2, §6.1.3), and
//! the named ways of breaking one that a tool must refuse (Sec §5.1.3, Cert §6.1.1).

use super::CLAIM;
use super::role::Person;
use crate::jws;
use crate::keys::{KeyError, SigningKey};
use serde_json::{Value, json};

/// LIS context role "Instructor" (Core Appendix A.2.3).
pub const ROLE_INSTRUCTOR: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
/// LIS context role "Learner" (Core Appendix A.2.3).
pub const ROLE_LEARNER: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
/// LIS context role "Member" (Core Appendix A.2.3).
pub const ROLE_MEMBER: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Member";
/// LIS context role "Mentor" (Core Appendix A.2.3).
pub const ROLE_MENTOR: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor";
/// A role URI from no LTI vocabulary (Cert §6.1.2 "Unknown Role").
pub const ROLE_UNKNOWN: &str = "http://plugfest.invalid/vocab/role#Puppeteer";

/// Who is launching.
#[derive(Debug, Clone, PartialEq)]
pub enum Launcher {
    /// A person with their context roles, and which identity claims are sent.
    Person {
        /// Identity claims.
        person: Person,
        /// Role URIs (or short names).
        roles: Vec<String>,
        /// Send `email`.
        email: bool,
        /// Send `name`, `given_name`, `family_name`.
        names: bool,
    },
    /// No identity claims at all (Core §5.3.6.1), roles kept.
    Anonymous {
        /// Role URIs.
        roles: Vec<String>,
    },
}

impl Launcher {
    /// A person with every identity claim.
    pub fn person(person: Person, roles: &[&str]) -> Launcher {
        Launcher::Person {
            person,
            roles: roles.iter().map(|r| r.to_string()).collect(),
            email: true,
            names: true,
        }
    }
}

/// The two kinds of user the certification guide launches as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Cert §6.1.2 "Valid Teacher Launches".
    Instructor,
    /// Cert §6.1.3 "Valid Student Launches".
    Learner,
}

/// The valid-launch variants of Cert §6.1.2 and §6.1.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// "Valid Instructor Launch" / "Valid Student Launch".
    Plain,
    /// "… with Roles": several role values.
    MultipleRoles,
    /// "… Short Role": a simple role name (`Instructor`).
    ShortRole,
    /// "… Unknown Role": a role URI from no LTI vocabulary.
    UnknownRole,
    /// "… No Role": an empty roles claim.
    NoRole,
    /// "… Email Only": no name claims.
    EmailOnly,
    /// "… Names Only": no email.
    NamesOnly,
    /// "… No PII": only `sub`.
    NoPii,
    /// "… Email Without Context": no context claim.
    NoContext,
}

impl Variant {
    /// Every variant with its feature-file name.
    pub const NAMES: &'static [(&'static str, Variant)] = &[
        ("", Variant::Plain),
        (" with multiple roles", Variant::MultipleRoles),
        (" with a short role name", Variant::ShortRole),
        (" with an unknown role", Variant::UnknownRole),
        (" with no role", Variant::NoRole),
        (" with email only", Variant::EmailOnly),
        (" with names only", Variant::NamesOnly),
        (" with no personal data", Variant::NoPii),
        (" with email and no context", Variant::NoContext),
    ];

    /// Parse the feature-file suffix.
    pub fn from_name(name: &str) -> Option<Variant> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// The launcher and whether a context claim is sent.
    pub fn launcher(self, kind: Kind, person: Person) -> (Launcher, bool) {
        let (role, short, institution) = match kind {
            Kind::Instructor => (
                ROLE_INSTRUCTOR,
                "Instructor",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty",
            ),
            Kind::Learner => (
                ROLE_LEARNER,
                "Learner",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",
            ),
        };
        let roles: Vec<&str> = match self {
            Variant::MultipleRoles => vec![role, institution],
            Variant::ShortRole => vec![short],
            Variant::UnknownRole => vec![ROLE_UNKNOWN],
            Variant::NoRole => vec![],
            _ => vec![role],
        };
        let roles = roles.into_iter().map(str::to_string).collect();
        let (email, names) = match self {
            Variant::EmailOnly => (true, false),
            Variant::NamesOnly => (false, true),
            Variant::NoPii => (false, false),
            _ => (true, true),
        };
        (
            Launcher::Person {
                person,
                roles,
                email,
                names,
            },
            self != Variant::NoContext,
        )
    }
}

/// Everything a launch token is built from.
#[derive(Debug, Clone)]
pub struct Launch {
    /// `iss`.
    pub issuer: String,
    /// The tool's client_id (`aud`).
    pub client_id: String,
    /// `deployment_id` claim.
    pub deployment_id: String,
    /// The `target_link_uri` of the login (Core §5.3.4).
    pub target_link_uri: String,
    /// The nonce from the tool's authentication request.
    pub nonce: String,
    /// `resource_link.id`.
    pub resource_link_id: String,
    /// `context.id`, or no context claim.
    pub context_id: Option<String>,
    /// Who launches.
    pub launcher: Launcher,
    /// Seconds since the epoch.
    pub now: i64,
}

/// A deliberate defect in a launch token, each tied to the clause it violates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// The payload altered after signing (Sec §5.1.3 step 1).
    TamperedPayload,
    /// `alg: none`, no signature (Sec §5.1.3 step 1, §6.1).
    AlgNone,
    /// Signed by a key the platform never published, with its own kid (Sec §6.3).
    UnknownKid,
    /// No `kid` in the JOSE header (Sec §6.3; Cert §6.1.1).
    MissingKid,
    /// HS256 with the platform's public key as the HMAC secret (key confusion; Sec §6.1, §7.3.2).
    Hs256WithPublicKey,
    /// `exp` an hour in the past (Sec §5.1.3 step 7).
    Expired,
    /// No `exp` (Sec §5.1.2).
    MissingExp,
    /// No `iat` (Sec §5.1.2).
    MissingIat,
    /// `iat` a day in the future (Sec §5.1.3 step 8).
    IatInFuture,
    /// `iss` is another issuer (Sec §5.1.3 step 2).
    WrongIssuer,
    /// `aud` is someone else's client_id (Sec §5.1.3 step 3).
    WrongAudience,
    /// `aud` lists the client_id and an untrusted extra audience, `azp` = client_id (step 3).
    ExtraAudience,
    /// `aud` lists two audiences and there is no `azp` (step 4).
    MultipleAudiencesNoAzp,
    /// `azp` is not the client_id (step 5).
    WrongAzp,
    /// No `nonce` (step 9).
    MissingNonce,
    /// A nonce the tool never issued (OIDC Core §3.2.2.11).
    UnissuedNonce,
    /// `message_type` is not a known message (Core §5.3.1).
    WrongMessageType,
    /// No `message_type` (Core §5.3.1).
    MissingMessageType,
    /// `version` is not 1.3.0 (Core §5.3.2).
    WrongVersion,
    /// No `version` (Core §5.3.2).
    MissingVersion,
    /// No `deployment_id` claim (Core §5.3.3).
    MissingDeploymentId,
    /// A deployment_id the tool does not know (Core §5.3.3, §3.1.3).
    UnknownDeploymentId,
    /// `target_link_uri` differs from the login's (Core §5.3.4).
    TargetLinkUriMismatch,
    /// `resource_link` without `id` (Core §5.3.5).
    MissingResourceLinkId,
    /// No `roles` claim (Core §5.3.7).
    MissingRoles,
    /// None of the LTI claims (Cert §6.1.1 "Missing LTI Claims").
    NoLtiClaims,
    /// `resource_link.id` longer than 255 characters (Core §5.3.5).
    LongResourceLinkId,
}

impl Defect {
    /// Every defect with its feature-file name.
    pub const NAMES: &'static [(&'static str, Defect)] = &[
        ("a tampered payload", Defect::TamperedPayload),
        ("alg none", Defect::AlgNone),
        ("an unknown kid", Defect::UnknownKid),
        ("no kid", Defect::MissingKid),
        (
            "HS256 signed with the platform's public key",
            Defect::Hs256WithPublicKey,
        ),
        ("an expired exp", Defect::Expired),
        ("no exp", Defect::MissingExp),
        ("no iat", Defect::MissingIat),
        ("an iat a day in the future", Defect::IatInFuture),
        ("a wrong iss", Defect::WrongIssuer),
        ("a wrong aud", Defect::WrongAudience),
        ("an untrusted extra aud", Defect::ExtraAudience),
        ("two auds and no azp", Defect::MultipleAudiencesNoAzp),
        ("a wrong azp", Defect::WrongAzp),
        ("no nonce", Defect::MissingNonce),
        ("a nonce the tool never issued", Defect::UnissuedNonce),
        ("a wrong message_type", Defect::WrongMessageType),
        ("no message_type", Defect::MissingMessageType),
        ("a wrong version", Defect::WrongVersion),
        ("no version", Defect::MissingVersion),
        ("no deployment_id", Defect::MissingDeploymentId),
        ("an unknown deployment_id", Defect::UnknownDeploymentId),
        ("a different target_link_uri", Defect::TargetLinkUriMismatch),
        ("no resource_link id", Defect::MissingResourceLinkId),
        ("no roles claim", Defect::MissingRoles),
        ("no LTI claims", Defect::NoLtiClaims),
        (
            "a resource_link id over 255 characters",
            Defect::LongResourceLinkId,
        ),
    ];

    /// Parse the name used in feature files.
    pub fn from_name(name: &str) -> Option<Defect> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| *d)
    }

    /// The feature-file name.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, d)| *d == self)
            .map_or("?", |(n, _)| n)
    }

    /// Defects every conformant tool must refuse (MUST-level, used to judge refusals' form).
    pub const MUST_REFUSE: &'static [Defect] = &[
        Defect::TamperedPayload,
        Defect::AlgNone,
        Defect::UnknownKid,
        Defect::Expired,
        Defect::WrongAudience,
        Defect::WrongMessageType,
        Defect::MissingDeploymentId,
    ];
}

impl Launch {
    /// The claims of a valid resource link launch.
    pub fn claims(&self) -> Value {
        let mut c = json!({
            "iss": self.issuer,
            "aud": self.client_id,
            "azp": self.client_id,
            "iat": self.now,
            "exp": self.now + 300,
            "nonce": self.nonce,
            format!("{CLAIM}message_type"): "LtiResourceLinkRequest",
            format!("{CLAIM}version"): "1.3.0",
            format!("{CLAIM}deployment_id"): self.deployment_id,
            format!("{CLAIM}target_link_uri"): self.target_link_uri,
            format!("{CLAIM}resource_link"): { "id": self.resource_link_id, "title": "Plugfest resource link" },
        });
        let obj = c.as_object_mut().expect("object literal");
        if let Some(id) = &self.context_id {
            obj.insert(
                format!("{CLAIM}context"),
                json!({
                    "id": id,
                    "label": "PLUGFEST-101",
                    "title": "Plugfest conformance sandbox",
                    "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
                }),
            );
        }
        match &self.launcher {
            Launcher::Person {
                person,
                roles,
                email,
                names,
            } => {
                obj.insert("sub".into(), person.sub.clone().into());
                if *names {
                    obj.insert("given_name".into(), person.given_name.clone().into());
                    obj.insert("family_name".into(), person.family_name.clone().into());
                    obj.insert("name".into(), person.name().into());
                }
                if *email {
                    obj.insert("email".into(), person.email.clone().into());
                }
                obj.insert(format!("{CLAIM}roles"), json!(roles));
            }
            Launcher::Anonymous { roles } => {
                obj.insert(format!("{CLAIM}roles"), json!(roles));
            }
        }
        c
    }

    /// Sign the valid launch.
    pub fn sign(&self, key: &SigningKey) -> Result<String, KeyError> {
        jws::sign(json!({}), &self.claims(), key)
    }

    /// Sign the launch with `defect` applied; `unissued_nonce` is used by [`Defect::UnissuedNonce`].
    pub fn sign_with(
        &self,
        key: &SigningKey,
        defect: Defect,
        unissued_nonce: &str,
    ) -> Result<String, KeyError> {
        let mut claims = self.claims();
        let obj = claims.as_object_mut().expect("object");
        let lti = |name: &str| format!("{CLAIM}{name}");
        match defect {
            Defect::TamperedPayload => {
                let token = jws::sign(json!({}), &Value::Object(obj.clone()), key)?;
                obj.insert(
                    lti("roles"),
                    json!([
                        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"
                    ]),
                );
                return Ok(jws::with_payload(&token, &claims));
            }
            Defect::AlgNone => return Ok(jws::unsigned(&claims)),
            Defect::UnknownKid => return jws::sign(json!({}), &claims, &SigningKey::generate()?),
            Defect::MissingKid => return jws::sign_without_kid(&claims, key),
            Defect::Hs256WithPublicKey => {
                return Ok(jws::sign_hs256(
                    key.kid(),
                    &claims,
                    key.public_pem()?.as_bytes(),
                ));
            }
            Defect::Expired => {
                obj.insert("iat".into(), json!(self.now - 7200));
                obj.insert("exp".into(), json!(self.now - 3600));
            }
            Defect::MissingExp => {
                obj.remove("exp");
            }
            Defect::MissingIat => {
                obj.remove("iat");
            }
            Defect::IatInFuture => {
                obj.insert("iat".into(), json!(self.now + 86_400));
                obj.insert("exp".into(), json!(self.now + 86_700));
            }
            Defect::WrongIssuer => {
                obj.insert(
                    "iss".into(),
                    json!("https://another-platform.plugfest.invalid"),
                );
            }
            Defect::WrongAudience => {
                obj.insert("aud".into(), json!("plugfest-some-other-tool"));
                obj.insert("azp".into(), json!("plugfest-some-other-tool"));
            }
            Defect::ExtraAudience => {
                obj.insert(
                    "aud".into(),
                    json!([self.client_id, "plugfest-untrusted-audience"]),
                );
            }
            Defect::MultipleAudiencesNoAzp => {
                obj.insert(
                    "aud".into(),
                    json!([self.client_id, "plugfest-untrusted-audience"]),
                );
                obj.remove("azp");
            }
            Defect::WrongAzp => {
                obj.insert("azp".into(), json!("plugfest-some-other-tool"));
            }
            Defect::MissingNonce => {
                obj.remove("nonce");
            }
            Defect::UnissuedNonce => {
                obj.insert("nonce".into(), json!(unissued_nonce));
            }
            Defect::WrongMessageType => {
                obj.insert(lti("message_type"), json!("PlugfestUnknownMessage"));
            }
            Defect::MissingMessageType => {
                obj.remove(&lti("message_type"));
            }
            Defect::WrongVersion => {
                obj.insert(lti("version"), json!("1.0.0"));
            }
            Defect::MissingVersion => {
                obj.remove(&lti("version"));
            }
            Defect::MissingDeploymentId => {
                obj.remove(&lti("deployment_id"));
            }
            Defect::UnknownDeploymentId => {
                obj.insert(lti("deployment_id"), json!("plugfest-unknown-deployment"));
            }
            Defect::TargetLinkUriMismatch => {
                obj.insert(
                    lti("target_link_uri"),
                    json!(format!(
                        "{}/plugfest-elsewhere",
                        self.target_link_uri.trim_end_matches('/')
                    )),
                );
            }
            Defect::MissingResourceLinkId => {
                obj.insert(
                    lti("resource_link"),
                    json!({"title": "Plugfest resource link"}),
                );
            }
            Defect::MissingRoles => {
                obj.remove(&lti("roles"));
            }
            Defect::NoLtiClaims => obj.retain(|k, _| !k.starts_with(CLAIM)),
            Defect::LongResourceLinkId => {
                obj.insert(lti("resource_link"), json!({"id": "r".repeat(300)}));
            }
        }
        jws::sign(json!({}), &claims, key)
    }
}

/// A value that is not a JWT at all, for the calibration gate's must-refuse launch.
pub const NOT_A_JWT: &str = "plugfest-calibration-this-is-not-a-jwt";

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Person {
        Person {
            sub: "s".into(),
            given_name: "G".into(),
            family_name: "F".into(),
            email: "e@x.example".into(),
        }
    }

    fn launch(launcher: Launcher, context: bool) -> Launch {
        Launch {
            issuer: "https://plat.example".into(),
            client_id: "c1".into(),
            deployment_id: "d1".into(),
            target_link_uri: "https://tool.example/r".into(),
            nonce: "n1".into(),
            resource_link_id: "rl1".into(),
            context_id: context.then(|| "ctx1".to_string()),
            launcher,
            now: 1_700_000_000,
        }
    }

    #[test]
    fn valid_claims_carry_every_required_claim() {
        let c = launch(Launcher::person(person(), &[ROLE_LEARNER]), true).claims();
        for k in ["iss", "aud", "sub", "exp", "iat", "nonce", "name", "email"] {
            assert!(c.get(k).is_some(), "{k}");
        }
        for k in [
            "message_type",
            "version",
            "deployment_id",
            "target_link_uri",
            "resource_link",
            "roles",
            "context",
        ] {
            assert!(c.get(format!("{CLAIM}{k}")).is_some(), "{k}");
        }
        assert_eq!(c[format!("{CLAIM}version")], "1.3.0");
    }

    #[test]
    fn certification_variants_shape_the_payload() {
        let claims = |v: Variant, k: Kind| {
            let (l, ctx) = v.launcher(k, person());
            launch(l, ctx).claims()
        };
        let roles = |c: &Value| c[format!("{CLAIM}roles")].clone();
        assert_eq!(
            roles(&claims(Variant::MultipleRoles, Kind::Instructor))
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            roles(&claims(Variant::ShortRole, Kind::Learner)),
            json!(["Learner"])
        );
        assert_eq!(roles(&claims(Variant::NoRole, Kind::Learner)), json!([]));
        assert_eq!(
            roles(&claims(Variant::UnknownRole, Kind::Learner)),
            json!([ROLE_UNKNOWN])
        );
        let email_only = claims(Variant::EmailOnly, Kind::Instructor);
        assert!(email_only.get("email").is_some() && email_only.get("name").is_none());
        let names_only = claims(Variant::NamesOnly, Kind::Instructor);
        assert!(names_only.get("email").is_none() && names_only.get("given_name").is_some());
        let no_pii = claims(Variant::NoPii, Kind::Learner);
        assert!(
            no_pii.get("sub").is_some()
                && no_pii.get("email").is_none()
                && no_pii.get("name").is_none()
        );
        assert!(
            claims(Variant::NoContext, Kind::Learner)
                .get(format!("{CLAIM}context"))
                .is_none()
        );
        for (name, v) in Variant::NAMES {
            assert_eq!(Variant::from_name(name), Some(*v));
        }
    }

    #[test]
    fn anonymous_launches_have_no_identity_claims() {
        let c = launch(Launcher::Anonymous { roles: vec![] }, true).claims();
        assert!(c.get("sub").is_none() && c.get("name").is_none() && c.get("email").is_none());
        assert_eq!(c[format!("{CLAIM}roles")], json!([]));
    }

    #[test]
    fn each_defect_changes_what_it_names() {
        let key = SigningKey::generate().unwrap();
        let l = launch(Launcher::Anonymous { roles: vec![] }, true);
        let decode = |d| jws::decode_unverified(&l.sign_with(&key, d, "fresh").unwrap()).unwrap();
        let lti = |n: &str| format!("{CLAIM}{n}");
        assert_eq!(decode(Defect::AlgNone).0["alg"], "none");
        assert_ne!(decode(Defect::UnknownKid).0["kid"], key.kid());
        assert!(decode(Defect::MissingKid).0.get("kid").is_none());
        assert_eq!(decode(Defect::Hs256WithPublicKey).0["alg"], "HS256");
        assert!(decode(Defect::Expired).1["exp"].as_i64().unwrap() < l.now);
        assert!(decode(Defect::MissingExp).1.get("exp").is_none());
        assert!(decode(Defect::MissingIat).1.get("iat").is_none());
        assert!(decode(Defect::IatInFuture).1["iat"].as_i64().unwrap() > l.now + 3600);
        assert_ne!(decode(Defect::WrongIssuer).1["iss"], l.issuer);
        assert_eq!(
            decode(Defect::WrongAudience).1["aud"],
            "plugfest-some-other-tool"
        );
        assert_eq!(decode(Defect::ExtraAudience).1["azp"], "c1");
        assert!(
            decode(Defect::MultipleAudiencesNoAzp)
                .1
                .get("azp")
                .is_none()
        );
        assert_ne!(decode(Defect::WrongAzp).1["azp"], "c1");
        assert!(decode(Defect::MissingNonce).1.get("nonce").is_none());
        assert_eq!(decode(Defect::UnissuedNonce).1["nonce"], "fresh");
        assert_ne!(
            decode(Defect::WrongMessageType).1[lti("message_type")],
            "LtiResourceLinkRequest"
        );
        assert!(
            decode(Defect::MissingMessageType)
                .1
                .get(lti("message_type"))
                .is_none()
        );
        assert_ne!(decode(Defect::WrongVersion).1[lti("version")], "1.3.0");
        assert!(
            decode(Defect::MissingVersion)
                .1
                .get(lti("version"))
                .is_none()
        );
        assert!(
            decode(Defect::MissingDeploymentId)
                .1
                .get(lti("deployment_id"))
                .is_none()
        );
        assert_ne!(
            decode(Defect::UnknownDeploymentId).1[lti("deployment_id")],
            "d1"
        );
        assert_ne!(
            decode(Defect::TargetLinkUriMismatch).1[lti("target_link_uri")],
            l.target_link_uri
        );
        assert!(
            decode(Defect::MissingResourceLinkId).1[lti("resource_link")]
                .get("id")
                .is_none()
        );
        assert!(decode(Defect::MissingRoles).1.get(lti("roles")).is_none());
        assert!(
            decode(Defect::NoLtiClaims)
                .1
                .as_object()
                .unwrap()
                .keys()
                .all(|k| !k.starts_with(CLAIM))
        );
        assert_eq!(
            decode(Defect::LongResourceLinkId).1[lti("resource_link")]["id"]
                .as_str()
                .unwrap()
                .len(),
            300
        );
        let good = l.sign(&key).unwrap();
        let bad = l.sign_with(&key, Defect::TamperedPayload, "").unwrap();
        assert_eq!(
            good.rsplit('.').next(),
            bad.rsplit('.').next(),
            "signature kept, payload changed"
        );
        for (name, d) in Defect::NAMES {
            assert_eq!(Defect::from_name(name), Some(*d));
            assert_eq!(d.name(), *name);
        }
    }
}
