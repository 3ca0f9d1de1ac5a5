//! The required parameters of a basic launch (IG11 "Basic Launch Data"), checked once the
//! OAuth signature holds. Everything else a launch may carry is optional and read leniently.

use super::fault::{FaultSet, Lti11ToolFault};
use super::form::Form;
use super::refusal::LaunchRefusal;

/// The only message type a basic launch carries.
pub(crate) const BASIC_LAUNCH: &str = "basic-lti-launch-request";
/// The only `lti_version` of LTI 1.0 and 1.1 launches.
pub(crate) const LTI_1P0: &str = "LTI-1p0";

/// Faults that bend the required-parameter checks; each is read by one check of
/// [`check_message`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MessageFaults {
    /// `lti11-tool/message-type-not-checked`
    pub message_type_not_checked: bool,
    /// `lti11-tool/lti-version-not-checked`
    pub lti_version_not_checked: bool,
    /// `lti11-tool/resource-link-not-required`
    pub resource_link_not_required: bool,
}

impl MessageFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            message_type_not_checked: set.has(Lti11ToolFault::MessageTypeNotChecked),
            lti_version_not_checked: set.has(Lti11ToolFault::LtiVersionNotChecked),
            resource_link_not_required: set.has(Lti11ToolFault::ResourceLinkNotRequired),
        }
    }
}

/// Check `lti_message_type`, `lti_version` and `resource_link_id`; on success, the resource
/// link id (absent only under the `resource-link-not-required` fault).
pub(crate) fn check_message(
    form: &Form,
    faults: MessageFaults,
) -> Result<Option<&str>, LaunchRefusal> {
    let single = |name| {
        form.single(name)
            .map_err(|_| LaunchRefusal::LtiParameterRepeated)
    };

    // IG11: "lti_message_type=basic-lti-launch-request — This indicates that this is a basic
    // launch message. This allows a TP to accept a number of different LTI message types at
    // the same launch URL. This parameter is required."
    if !faults.message_type_not_checked {
        match single("lti_message_type")? {
            None => return Err(LaunchRefusal::MessageTypeMissing),
            Some(BASIC_LAUNCH) => {}
            Some(_) => return Err(LaunchRefusal::MessageTypeWrong),
        }
    }

    // IG11: "lti_version=LTI-1p0 — This indicates which version of the specification is being
    // used for this particular message. Since launches for version 1.1 are upwards compatible
    // with 1.0 launches, this value is not advanced for LTI 1.1. This parameter is required."
    if !faults.lti_version_not_checked {
        match single("lti_version")? {
            None => return Err(LaunchRefusal::VersionMissing),
            Some(LTI_1P0) => {}
            Some(_) => return Err(LaunchRefusal::VersionWrong),
        }
    }

    // IG11: "resource_link_id — This is an opaque unique identifier that the TC guarantees
    // will be unique within the TC for every placement of the link. … This parameter is
    // required."
    let resource_link_id = if faults.resource_link_not_required {
        form.non_empty("resource_link_id")
    } else {
        Some(
            single("resource_link_id")?
                .filter(|id| !id.is_empty())
                .ok_or(LaunchRefusal::ResourceLinkIdMissing)?,
        )
    };
    Ok(resource_link_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &[u8] =
        b"lti_message_type=basic-lti-launch-request&lti_version=LTI-1p0&resource_link_id=rl";

    fn check(body: &[u8]) -> Result<Option<&'static str>, LaunchRefusal> {
        let form = Form::parse(body);
        check_message(&form, MessageFaults::default()).map(|id| id.map(|_| "id"))
    }

    #[test]
    fn the_three_required_parameters_are_checked() {
        assert_eq!(check(OK), Ok(Some("id")));
        assert_eq!(
            check(b"lti_version=LTI-1p0&resource_link_id=rl"),
            Err(LaunchRefusal::MessageTypeMissing)
        );
        assert_eq!(
            check(b"lti_message_type=basic-lti-launch-request-bogus&lti_version=LTI-1p0&resource_link_id=rl"),
            Err(LaunchRefusal::MessageTypeWrong)
        );
        assert_eq!(
            check(b"lti_message_type=basic-lti-launch-request&resource_link_id=rl"),
            Err(LaunchRefusal::VersionMissing)
        );
        for version in ["LTI-2p0", "LTI-9p9", "LTI-1p1", "lti-1p0"] {
            let body = format!(
                "lti_message_type=basic-lti-launch-request&lti_version={version}&resource_link_id=rl"
            );
            assert_eq!(check(body.as_bytes()), Err(LaunchRefusal::VersionWrong));
        }
        assert_eq!(
            check(
                b"lti_message_type=basic-lti-launch-request&lti_version=LTI-1p0&resource_link_id="
            ),
            Err(LaunchRefusal::ResourceLinkIdMissing)
        );
        assert_eq!(
            check(b"lti_message_type=basic-lti-launch-request&lti_version=LTI-1p0"),
            Err(LaunchRefusal::ResourceLinkIdMissing)
        );
        assert_eq!(
            check(b"lti_message_type=basic-lti-launch-request&lti_version=LTI-1p0&lti_version=LTI-1p0&resource_link_id=r"),
            Err(LaunchRefusal::LtiParameterRepeated)
        );
    }

    #[test]
    fn each_fault_skips_its_check_only() {
        let form = Form::parse(b"resource_link_id=rl");
        let faults = MessageFaults {
            message_type_not_checked: true,
            ..MessageFaults::default()
        };
        assert_eq!(
            check_message(&form, faults),
            Err(LaunchRefusal::VersionMissing)
        );
        let faults = MessageFaults {
            message_type_not_checked: true,
            lti_version_not_checked: true,
            ..MessageFaults::default()
        };
        assert_eq!(check_message(&form, faults), Ok(Some("rl")));
        let form = Form::parse(b"lti_message_type=basic-lti-launch-request&lti_version=LTI-1p0");
        let faults = MessageFaults {
            resource_link_not_required: true,
            ..MessageFaults::default()
        };
        assert_eq!(check_message(&form, faults), Ok(None));
    }
}
