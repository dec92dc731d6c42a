//! Policy types: they change which elements are required or allowed, and the size quota.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PolicyType {
    /// Identity-based policy attached to a user, group or role (managed policy quota).
    #[default]
    Identity,
    /// Resource-based policy (S3 bucket policy, KMS key policy, ...).
    Resource,
    /// Role trust policy.
    Trust,
    /// Service control policy (AWS Organizations).
    Scp,
    /// Resource control policy (AWS Organizations).
    Rcp,
    /// Permissions boundary.
    Boundary,
    /// Session policy passed to `AssumeRole*` / `GetFederationToken`.
    Session,
}

impl PolicyType {
    pub const ALL: [Self; 7] = [
        Self::Identity,
        Self::Resource,
        Self::Trust,
        Self::Scp,
        Self::Rcp,
        Self::Boundary,
        Self::Session,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Resource => "resource",
            Self::Trust => "trust",
            Self::Scp => "scp",
            Self::Rcp => "rcp",
            Self::Boundary => "boundary",
            Self::Session => "session",
        }
    }

    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Identity => "identity-based policy",
            Self::Resource => "resource-based policy",
            Self::Trust => "role trust policy",
            Self::Scp => "service control policy",
            Self::Rcp => "resource control policy",
            Self::Boundary => "permissions boundary",
            Self::Session => "session policy",
        }
    }

    /// The description with its indefinite article ("an identity-based policy").
    #[must_use]
    pub fn with_article(self) -> String {
        let d = self.describe();
        let article = if d.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {d}")
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .or(match s {
                "resource-based" | "resource_based" => Some(Self::Resource),
                "role-trust" | "assume-role" => Some(Self::Trust),
                "permissions-boundary" | "permissionsBoundary" => Some(Self::Boundary),
                _ => None,
            })
    }

    /// Size quota in characters, not counting whitespace (AWS IAM quotas: managed policy 6,144;
    /// role trust policy 2,048 by default; SCP and RCP 5,120). Resource-based policies have
    /// per-service quotas (S3 bucket policies 20 KB), so none is applied; session policies are
    /// limited by the packed size, which is not computable offline, so 2,048 plain characters is used.
    #[must_use]
    pub const fn size_quota(self) -> Option<usize> {
        match self {
            Self::Identity | Self::Boundary => Some(6_144),
            Self::Trust | Self::Session => Some(2_048),
            Self::Scp | Self::Rcp => Some(5_120),
            Self::Resource => None,
        }
    }

    /// Whether a policy over [`Self::size_quota`] is rejected wherever it goes. SCPs and RCPs have
    /// one quota, enforced by AWS Organizations; the quota of an identity-based policy depends on
    /// where it is attached (managed 6,144, inline role policies 10,240 in aggregate), and the
    /// trust-policy quota can be raised, so those are warnings (as Access Analyzer reports them).
    #[must_use]
    pub const fn size_quota_is_hard(self) -> bool {
        matches!(self, Self::Scp | Self::Rcp)
    }

    /// Whether AWS rejects two statements with the same `Sid` in a policy of this type (Access
    /// Analyzer's UNIQUE_SIDS_REQUIRED). Identity-based policies, boundaries and session policies
    /// accept duplicates (UNIQUE_SIDS_RECOMMENDED, a warning).
    #[must_use]
    pub const fn requires_unique_sids(self) -> bool {
        matches!(self, Self::Resource | Self::Trust | Self::Scp | Self::Rcp)
    }

    /// Whether `Principal` / `NotPrincipal` take part in evaluation (S10.3): in resource-based,
    /// trust and resource control policies.
    #[must_use]
    pub const fn matches_principal(self) -> bool {
        matches!(self, Self::Resource | Self::Trust | Self::Rcp)
    }

    /// Policies that only limit: each one present must allow (S14).
    #[must_use]
    pub const fn is_limit(self) -> bool {
        matches!(self, Self::Boundary | Self::Scp | Self::Rcp | Self::Session)
    }

    /// A resource-based policy; a role trust policy is the resource-based policy of the role.
    #[must_use]
    pub const fn is_resource_based(self) -> bool {
        matches!(self, Self::Resource | Self::Trust)
    }

    /// Whether statements of this type must have `Resource`/`NotResource`.
    #[must_use]
    pub const fn requires_resource(self) -> bool {
        !matches!(self, Self::Trust | Self::Scp)
    }
}
