//! Enums: access levels and condition-key value types.

use std::fmt;

/// Access level of an action, as in the Service Authorization Reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    Tagging,
    PermissionsManagement,
}

impl AccessLevel {
    /// `List`, `Read`, `Write`, `Tagging`, `Permissions management`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::Tagging => "Tagging",
            AccessLevel::PermissionsManagement => "Permissions management",
        }
    }

    /// Parses the canonical strings and the source quirks (`"Tagging, Write"`,
    /// `"Permissions management, Write"`), case-insensitively.
    pub fn parse(s: &str) -> Option<AccessLevel> {
        let l = s.trim().to_ascii_lowercase();
        if l.contains("permissions management") {
            Some(AccessLevel::PermissionsManagement)
        } else if l.contains("tagging") {
            Some(AccessLevel::Tagging)
        } else if l.contains("write") {
            Some(AccessLevel::Write)
        } else if l.contains("list") {
            Some(AccessLevel::List)
        } else if l.contains("read") {
            Some(AccessLevel::Read)
        } else {
            None
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Type of a condition key's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConditionKeyType {
    String,
    Arn,
    Numeric,
    Date,
    Bool,
    IpAddress,
    Binary,
    ArrayOfString,
    ArrayOfArn,
    ArrayOfNumeric,
    ArrayOfDate,
    ArrayOfBool,
    ArrayOfIpAddress,
    ArrayOfBinary,
}

impl ConditionKeyType {
    /// Parses AWS's type names (`String`, `ARN`, `ArrayOfARN`, `IPAddress`, ...),
    /// case-insensitively. Unknown names give `None`.
    pub fn parse(s: &str) -> Option<ConditionKeyType> {
        use ConditionKeyType::*;
        let l = s.trim().to_ascii_lowercase();
        let (array, base) = match l.strip_prefix("arrayof") {
            Some(rest) => (true, rest),
            None => (false, l.as_str()),
        };
        let scalar = match base {
            "string" => String,
            "arn" => Arn,
            "numeric" | "number" | "long" | "integer" => Numeric,
            "date" => Date,
            "bool" | "boolean" => Bool,
            "ipaddress" | "ip" => IpAddress,
            "binary" => Binary,
            _ => return None,
        };
        Some(if array { scalar.to_array() } else { scalar })
    }

    fn to_array(self) -> ConditionKeyType {
        use ConditionKeyType::*;
        match self {
            String | ArrayOfString => ArrayOfString,
            Arn | ArrayOfArn => ArrayOfArn,
            Numeric | ArrayOfNumeric => ArrayOfNumeric,
            Date | ArrayOfDate => ArrayOfDate,
            Bool | ArrayOfBool => ArrayOfBool,
            IpAddress | ArrayOfIpAddress => ArrayOfIpAddress,
            Binary | ArrayOfBinary => ArrayOfBinary,
        }
    }

    /// The element type (`ArrayOfArn` -> `Arn`).
    pub fn scalar(self) -> ConditionKeyType {
        use ConditionKeyType::*;
        match self {
            ArrayOfString => String,
            ArrayOfArn => Arn,
            ArrayOfNumeric => Numeric,
            ArrayOfDate => Date,
            ArrayOfBool => Bool,
            ArrayOfIpAddress => IpAddress,
            ArrayOfBinary => Binary,
            other => other,
        }
    }

    /// `ArrayOf*` types are multivalued (use `ForAllValues:`/`ForAnyValue:`).
    pub fn is_array(self) -> bool {
        self.scalar() != self
    }

    /// AWS's spelling: `String`, `ARN`, `ArrayOfARN`, `IPAddress`, ...
    pub fn as_str(self) -> &'static str {
        use ConditionKeyType::*;
        match self {
            String => "String",
            Arn => "ARN",
            Numeric => "Numeric",
            Date => "Date",
            Bool => "Bool",
            IpAddress => "IPAddress",
            Binary => "Binary",
            ArrayOfString => "ArrayOfString",
            ArrayOfArn => "ArrayOfARN",
            ArrayOfNumeric => "ArrayOfNumeric",
            ArrayOfDate => "ArrayOfDate",
            ArrayOfBool => "ArrayOfBool",
            ArrayOfIpAddress => "ArrayOfIPAddress",
            ArrayOfBinary => "ArrayOfBinary",
        }
    }
}

impl fmt::Display for ConditionKeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
