//! Launch tokens: the valid `LtiResourceLinkRequest` id_tokens Plugfest signs as the platform
//! (Core §5.3, Sec §5.1.2), and the named ways of breaking one that a tool must refuse.

use super::CLAIM;
use super::role::Person;
use crate::jws;
use crate::keys::{KeyError, SigningKey};
use serde_json::{Value, json};

/// LIS context role "Instructor" (Core Appendix A.2.3).
pub const ROLE_INSTRUCTOR: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
/// LIS context role "Learner" (Core Appendix A.2.3).
pub const ROLE_LEARNER: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";

/// Who is launching.
#[derive(Debug, Clone, PartialEq)]
pub enum Launcher {
    /// A person with their context roles.
    Person {
        /// Identity claims.
        person: Person,
        /// Role URIs.
        roles: Vec<String>,
    },
    /// No identity claims at all (Core §5.3.6.1), roles kept.
    Anonymous {
        /// Role URIs.
        roles: Vec<String>,
    },
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
    /// `context.id`.
    pub context_id: String,
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
    /// `exp` an hour in the past (Sec §5.1.3 step 7).
    Expired,
    /// `aud` is someone else's client_id (Sec §5.1.3 step 3).
    WrongAudience,
    /// `message_type` is not a known message (Core §5.3.1).
    WrongMessageType,
    /// No `deployment_id` claim (Core §5.3.3).
    MissingDeploymentId,
}

impl Defect {
    /// Parse the name used in feature files (`bad signature`, `alg none`, …).
    pub fn from_name(name: &str) -> Option<Defect> {
        Some(match name {
            "a tampered payload" => Defect::TamperedPayload,
            "alg none" => Defect::AlgNone,
            "an unknown kid" => Defect::UnknownKid,
            "an expired exp" => Defect::Expired,
            "a wrong aud" => Defect::WrongAudience,
            "a wrong message_type" => Defect::WrongMessageType,
            "no deployment_id" => Defect::MissingDeploymentId,
            _ => return None,
        })
    }

    /// Every defect's feature-file name.
    pub const NAMES: &'static [&'static str] = &[
        "a tampered payload",
        "alg none",
        "an unknown kid",
        "an expired exp",
        "a wrong aud",
        "a wrong message_type",
        "no deployment_id",
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
            format!("{CLAIM}context"): {
                "id": self.context_id,
                "label": "PLUGFEST-101",
                "title": "Plugfest conformance sandbox",
                "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
            },
        });
        let obj = c.as_object_mut().expect("object literal");
        match &self.launcher {
            Launcher::Person { person, roles } => {
                obj.insert("sub".into(), person.sub.clone().into());
                obj.insert("given_name".into(), person.given_name.clone().into());
                obj.insert("family_name".into(), person.family_name.clone().into());
                obj.insert("name".into(), person.name().into());
                obj.insert("email".into(), person.email.clone().into());
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

    /// Sign the launch with `defect` applied.
    pub fn sign_with(&self, key: &SigningKey, defect: Defect) -> Result<String, KeyError> {
        let mut claims = self.claims();
        let set = |c: &mut Value, k: &str, v: Value| {
            c.as_object_mut().expect("object").insert(k.to_string(), v);
        };
        match defect {
            Defect::TamperedPayload => {
                let token = jws::sign(json!({}), &claims, key)?;
                set(
                    &mut claims,
                    &format!("{CLAIM}roles"),
                    json!([
                        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"
                    ]),
                );
                Ok(jws::with_payload(&token, &claims))
            }
            Defect::AlgNone => Ok(jws::unsigned(&claims)),
            Defect::UnknownKid => {
                let stranger = SigningKey::generate()?;
                jws::sign(json!({}), &claims, &stranger)
            }
            Defect::Expired => {
                set(&mut claims, "iat", json!(self.now - 7200));
                set(&mut claims, "exp", json!(self.now - 3600));
                jws::sign(json!({}), &claims, key)
            }
            Defect::WrongAudience => {
                set(&mut claims, "aud", json!("plugfest-some-other-tool"));
                set(&mut claims, "azp", json!("plugfest-some-other-tool"));
                jws::sign(json!({}), &claims, key)
            }
            Defect::WrongMessageType => {
                set(
                    &mut claims,
                    &format!("{CLAIM}message_type"),
                    json!("PlugfestUnknownMessage"),
                );
                jws::sign(json!({}), &claims, key)
            }
            Defect::MissingDeploymentId => {
                claims
                    .as_object_mut()
                    .expect("object")
                    .remove(&format!("{CLAIM}deployment_id"));
                jws::sign(json!({}), &claims, key)
            }
        }
    }
}

/// A value that is not a JWT at all, for the calibration gate's must-refuse launch.
pub const NOT_A_JWT: &str = "plugfest-calibration-this-is-not-a-jwt";

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(launcher: Launcher) -> Launch {
        Launch {
            issuer: "https://plat.example".into(),
            client_id: "c1".into(),
            deployment_id: "d1".into(),
            target_link_uri: "https://tool.example/r".into(),
            nonce: "n1".into(),
            resource_link_id: "rl1".into(),
            context_id: "ctx1".into(),
            launcher,
            now: 1_700_000_000,
        }
    }

    #[test]
    fn valid_claims_carry_every_required_claim() {
        let p = Person {
            sub: "s".into(),
            given_name: "G".into(),
            family_name: "F".into(),
            email: "e@x.example".into(),
        };
        let c = launch(Launcher::Person {
            person: p,
            roles: vec![ROLE_LEARNER.into()],
        })
        .claims();
        for k in ["iss", "aud", "sub", "exp", "iat", "nonce"] {
            assert!(c.get(k).is_some(), "{k}");
        }
        for k in [
            "message_type",
            "version",
            "deployment_id",
            "target_link_uri",
            "resource_link",
            "roles",
        ] {
            assert!(c.get(format!("{CLAIM}{k}")).is_some(), "{k}");
        }
        assert_eq!(c[format!("{CLAIM}version")], "1.3.0");
    }

    #[test]
    fn anonymous_launches_have_no_identity_claims() {
        let c = launch(Launcher::Anonymous { roles: vec![] }).claims();
        assert!(c.get("sub").is_none() && c.get("name").is_none() && c.get("email").is_none());
        assert_eq!(c[format!("{CLAIM}roles")], json!([]));
    }

    #[test]
    fn each_defect_changes_what_it_names() {
        let key = SigningKey::generate().unwrap();
        let l = launch(Launcher::Anonymous { roles: vec![] });
        let decode = |d| jws::decode_unverified(&l.sign_with(&key, d).unwrap()).unwrap();
        assert_eq!(decode(Defect::AlgNone).0["alg"], "none");
        assert_ne!(decode(Defect::UnknownKid).0["kid"], key.kid());
        assert!(decode(Defect::Expired).1["exp"].as_i64().unwrap() < l.now);
        assert_eq!(
            decode(Defect::WrongAudience).1["aud"],
            "plugfest-some-other-tool"
        );
        assert!(
            decode(Defect::MissingDeploymentId)
                .1
                .get(format!("{CLAIM}deployment_id"))
                .is_none()
        );
        assert_ne!(
            decode(Defect::WrongMessageType).1[format!("{CLAIM}message_type")],
            "LtiResourceLinkRequest"
        );
        let good = l.sign(&key).unwrap();
        let bad = l.sign_with(&key, Defect::TamperedPayload).unwrap();
        assert_eq!(
            good.rsplit('.').next(),
            bad.rsplit('.').next(),
            "signature kept, payload changed"
        );
        for name in Defect::NAMES {
            assert!(Defect::from_name(name).is_some());
        }
    }
}
