//! The registry of named faults, every role together.
//!
//! Each role declares its faults in one place with `role_faults!` (for the LTI 1.3 tool:
//! [`Lti13ToolFault`](crate::lti13_tool::Lti13ToolFault); for the LTI 1.1 tool provider:
//! [`Lti11ToolFault`](crate::lti11_tool::Lti11ToolFault); for the LTI 1.1 consumer:
//! [`Lti11ConsumerFault`](crate::lti11_consumer::Lti11ConsumerFault); for the package exporter
//! and importer: [`PackagesExporterFault`](crate::packages_exporter::PackagesExporterFault),
//! [`PackagesImporterFault`](crate::packages_importer::PackagesImporterFault)); this module gathers
//! them, and holds what every role does with its own: look a fault up by name, and run with a
//! `FaultSet`.

use std::sync::LazyLock;

/// One named fault: a deliberate deviation of a reference role, and the requirement IDs it
/// must make worse in the fault matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// Qualified name, `<role>/<behaviour>` (e.g. `lti13-tool/nonce-replay-accepted`).
    pub name: &'static str,
    /// Requirement IDs this fault must break (and nothing else, except their `-CERT` partners).
    pub ids: &'static [&'static str],
    /// One line saying what the product does wrong.
    pub description: &'static str,
}

static ALL: LazyLock<Vec<Fault>> = LazyLock::new(|| {
    [
        crate::lti13_tool::Lti13ToolFault::REGISTRY,
        crate::lti13_platform::Lti13PlatformFault::REGISTRY,
        crate::lti11_tool::Lti11ToolFault::REGISTRY,
        crate::lti11_consumer::Lti11ConsumerFault::REGISTRY,
        crate::packages_exporter::PackagesExporterFault::REGISTRY,
        crate::packages_importer::PackagesImporterFault::REGISTRY,
        crate::oneroster::OneRoster12Fault::REGISTRY,
        crate::oneroster::OneRoster11Fault::REGISTRY,
    ]
    .concat()
});

/// Declares a role's fault enum (`pub enum Name { Variant => "role/behaviour", [IDS], "description"; … }`):
/// the enum (each variant documented with its description, name and IDs), its `ALL` and
/// `REGISTRY` lists in declaration order, `name`/`ids`/`description`/`from_name`, and its
/// [`RoleFault`] implementation.
macro_rules! role_faults {
    (
        $(#[$meta:meta])*
        pub enum $fault:ident {
            $( $variant:ident => $name:literal, [$($id:literal),+ $(,)?], $description:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $fault {
            $(
                #[doc = $description]
                #[doc = ""]
                #[doc = concat!("`", $name, "` — breaks ", $("`", $id, "` "),+)]
                $variant,
            )+
        }

        impl $fault {
            /// Every fault of the role, in registry order.
            pub const ALL: &'static [$fault] = &[$($fault::$variant),+];

            /// The registry entries, in the same order as [`Self::ALL`].
            pub const REGISTRY: &'static [$crate::faults::Fault] = &[$(
                $crate::faults::Fault { name: $name, ids: &[$($id),+], description: $description },
            )+];

            /// The qualified name, `<role>/<behaviour>`.
            pub fn name(self) -> &'static str {
                $crate::faults::entry(self).name
            }

            /// The requirement IDs this fault must break.
            pub fn ids(self) -> &'static [&'static str] {
                $crate::faults::entry(self).ids
            }

            /// One line saying what the role does wrong.
            pub fn description(self) -> &'static str {
                $crate::faults::entry(self).description
            }

            /// The fault with this qualified name; `None` for unknown names and other roles' faults.
            pub fn from_name(name: &str) -> Option<Self> {
                $crate::faults::by_name(name)
            }
        }

        impl $crate::faults::RoleFault for $fault {
            fn table() -> (&'static [Self], &'static [$crate::faults::Fault]) {
                (Self::ALL, Self::REGISTRY)
            }
        }
    };
}

pub(crate) use role_faults;

/// A role's fault enum, as [`role_faults!`] declares it.
pub(crate) trait RoleFault: Copy + PartialEq + std::fmt::Debug + 'static {
    /// Every fault of the role and its registry entry, in the same order.
    fn table() -> (&'static [Self], &'static [Fault]);
}

/// The registry entry of `fault`.
pub(crate) fn entry<F: RoleFault>(fault: F) -> &'static Fault {
    let (all, registry) = F::table();
    let index = all.iter().position(|f| *f == fault).unwrap_or_default();
    &registry[index]
}

/// The fault of role `F` with this qualified name.
pub(crate) fn by_name<F: RoleFault>(name: &str) -> Option<F> {
    let (all, registry) = F::table();
    all.iter()
        .zip(registry)
        .find(|(_, entry)| entry.name == name)
        .map(|(fault, _)| *fault)
}

/// The set of faults one running role has.
#[derive(Debug, Clone)]
pub(crate) struct FaultSet<F>(Vec<F>);

impl<F: RoleFault> FaultSet<F> {
    /// Parse qualified names; the first unknown (or other-role) name is the error.
    pub(crate) fn parse<S: AsRef<str>>(names: &[S]) -> Result<Self, String> {
        names
            .iter()
            .map(|n| by_name(n.as_ref()).ok_or_else(|| n.as_ref().to_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map(FaultSet)
    }

    /// Whether the role runs with `fault`.
    pub(crate) fn has(&self, fault: F) -> bool {
        self.0.contains(&fault)
    }
}

/// Every fault of every role, names qualified by role, in registry order.
pub fn all() -> &'static [Fault] {
    &ALL
}

/// The fault with this qualified name, if any role declares it.
pub fn find(name: &str) -> Option<&'static Fault> {
    all().iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_qualified_and_list_ids() {
        let mut names: Vec<_> = all().iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all().len(), "duplicate fault name");
        for f in all() {
            let (role, behaviour) = f.name.split_once('/').expect("qualified name");
            assert!(!role.is_empty() && !behaviour.is_empty(), "{}", f.name);
            assert!(!f.ids.is_empty(), "{} lists no requirement", f.name);
            assert!(!f.description.contains('\n') && !f.description.contains('\t'));
            for id in f.ids {
                assert!(
                    id.split('-').count() >= 2
                        && id
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
                    "{id}"
                );
            }
        }
        assert!(find("lti13-tool/nonce-replay-accepted").is_some());
        assert!(find("lti13-tool/no-such-fault").is_none());
        assert!(find("lti11-consumer/static-nonce").is_some());
        assert!(find("lti11-tool/nonce-replay-accepted").is_some());
        assert!(find("packages-exporter/missing-file").is_some());
        assert!(find("packages-importer/refusal-500").is_some());
    }

    /// What must hold of every role's faults: `role/…` names, unique, round-tripping by name,
    /// IDs distinct within a fault and all of the role's own `id_prefixes`; names of other
    /// roles, and unqualified names, refused by name.
    fn check_role<F: RoleFault>(role: &str, id_prefixes: &[&str], other_role: &str) {
        let (all, registry) = F::table();
        assert_eq!(all.len(), registry.len());
        let mut names: Vec<_> = registry.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), registry.len(), "{role}: duplicate name");
        for (fault, listed) in all.iter().zip(registry) {
            assert_eq!(entry(*fault), listed, "{}", listed.name);
            let behaviour = listed
                .name
                .strip_prefix(role)
                .and_then(|n| n.strip_prefix('/'));
            assert!(behaviour.is_some_and(|b| !b.is_empty()), "{}", listed.name);
            assert_eq!(by_name::<F>(listed.name), Some(*fault));
            assert!(!listed.ids.is_empty() && !listed.description.is_empty());
            let mut ids = listed.ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), listed.ids.len(), "{} repeats an id", listed.name);
            assert!(
                listed
                    .ids
                    .iter()
                    .all(|id| id_prefixes.iter().any(|p| id.starts_with(p))),
                "{}",
                listed.name
            );
        }
        let first = registry[0].name;
        let behaviour = &first[role.len() + 1..];
        let foreign = format!("{other_role}/{behaviour}");
        assert_eq!(
            FaultSet::<F>::parse(&[first, foreign.as_str()]).unwrap_err(),
            foreign
        );
        assert_eq!(FaultSet::<F>::parse(&[behaviour]).unwrap_err(), behaviour);
        assert!(FaultSet::<F>::parse(&[first]).unwrap().has(all[0]));
        assert!(!FaultSet::<F>::parse::<&str>(&[]).unwrap().has(all[0]));
    }

    #[test]
    fn every_role_declares_its_faults_consistently() {
        use crate::lti11_consumer::Lti11ConsumerFault;
        use crate::lti11_tool::Lti11ToolFault;
        use crate::lti13_tool::Lti13ToolFault;
        use crate::packages_exporter::PackagesExporterFault;
        use crate::packages_importer::PackagesImporterFault;
        check_role::<crate::lti13_platform::Lti13PlatformFault>(
            "lti13-platform",
            &["LTI13-PLAT-", "AGS-PLAT-", "NRPS-PLAT-", "DL-PLAT-"],
            "lti13-tool",
        );
        check_role::<Lti13ToolFault>(
            "lti13-tool",
            &["LTI13-TOOL-", "DL-TOOL-", "AGS-TOOL-", "NRPS-TOOL-"],
            "lti13-platform",
        );
        check_role::<Lti11ToolFault>("lti11-tool", &["LTI11-TP-", "POX-CLIENT-"], "lti13-tool");
        check_role::<Lti11ConsumerFault>(
            "lti11-consumer",
            &["LTI11-TC-", "POX-SVC-"],
            "lti11-tool",
        );
        check_role::<PackagesExporterFault>(
            "packages-exporter",
            &["PKG-EXPORT-QTI-", "PKG-EXPORT-CC-"],
            "packages-importer",
        );
        check_role::<PackagesImporterFault>(
            "packages-importer",
            &["PKG-IMPORT-"],
            "packages-exporter",
        );
        check_role::<crate::oneroster::OneRoster12Fault>(
            "oneroster12-provider",
            &["OR12-SP-"],
            "oneroster11-provider",
        );
        check_role::<crate::oneroster::OneRoster11Fault>(
            "oneroster11-provider",
            &["OR11-SP-"],
            "oneroster12-provider",
        );
    }
}
