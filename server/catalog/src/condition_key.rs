//! [`ConditionKeyRef`]: a global or service condition key.

use std::fmt;

use crate::catalog::GlobalKey;
use crate::format::KeyData;
use crate::{ConditionKeyType, Service, matching};

/// A condition key definition (global or service).
#[derive(Clone, Copy)]
pub struct ConditionKeyRef<'a> {
    pub(crate) inner: KeyInner<'a>,
}

#[derive(Clone, Copy)]
pub(crate) enum KeyInner<'a> {
    Global(&'a GlobalKey),
    Service(&'a Service, &'a KeyData),
}

impl fmt::Debug for ConditionKeyRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.value_type())
    }
}

impl<'a> ConditionKeyRef<'a> {
    /// Canonical name; parameterised keys use `${...}` (`aws:ResourceTag/${TagKey}`).
    pub fn name(&self) -> &'a str {
        match self.inner {
            KeyInner::Global(g) => g.def.name,
            KeyInner::Service(_, k) => &k.name,
        }
    }

    pub fn value_type(&self) -> ConditionKeyType {
        match self.inner {
            KeyInner::Global(g) => g.ty,
            KeyInner::Service(_, k) => {
                ConditionKeyType::parse(&k.ty).unwrap_or(ConditionKeyType::String)
            }
        }
    }

    /// Multivalued (an `ArrayOf*` type).
    pub fn is_multivalued(&self) -> bool {
        self.value_type().is_array()
    }

    pub fn description(&self) -> &'a str {
        match self.inner {
            KeyInner::Global(g) => g.def.description,
            KeyInner::Service(_, k) => &k.description,
        }
    }

    /// From the curated global table (including cross-service keys).
    pub fn is_global(&self) -> bool {
        matches!(self.inner, KeyInner::Global(_))
    }

    /// Has a `${...}` part that matches any concrete text.
    pub fn is_parameterised(&self) -> bool {
        matching::is_template(self.name())
    }

    /// The defining service (`None` for global keys).
    pub fn service(&self) -> Option<&'a Service> {
        match self.inner {
            KeyInner::Global(_) => None,
            KeyInner::Service(s, _) => Some(s),
        }
    }

    /// Category of a global key (`principal`, `session`, `network`, `resource`,
    /// `request`, `legacy`).
    pub fn category(&self) -> Option<&'static str> {
        match self.inner {
            KeyInner::Global(g) => Some(g.def.category),
            KeyInner::Service(..) => None,
        }
    }

    /// Whether a concrete key (`aws:ResourceTag/team`) is an instance of this one.
    pub fn matches(&self, key: &str) -> bool {
        let n = self.name();
        n.eq_ignore_ascii_case(key.trim())
            || (matching::is_template(n) && matching::template_match_ci(n, key.trim()))
    }
}
