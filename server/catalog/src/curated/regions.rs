//! Curated: AWS partitions and the Regions of each (for ARN and `aws:RequestedRegion` checks).
//!
//! Source: the public AWS Regions list (botocore `endpoints.json` partitions), reviewed by hand.
//! A Region missing here makes the validator report a valid ARN as wrong, so the list errs on the
//! side of including announced Regions. Update it when AWS opens a Region.

/// A partition: its name, the DNS suffix of its service principals, and its Regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionDef {
    pub name: &'static str,
    pub dns_suffix: &'static str,
    pub regions: &'static [&'static str],
}

pub static PARTITIONS: &[PartitionDef] = &[
    PartitionDef {
        name: "aws",
        dns_suffix: "amazonaws.com",
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
    },
    PartitionDef {
        name: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        regions: &["cn-north-1", "cn-northwest-1"],
    },
    PartitionDef {
        name: "aws-us-gov",
        dns_suffix: "amazonaws.com",
        regions: &["us-gov-east-1", "us-gov-west-1"],
    },
    PartitionDef {
        name: "aws-iso",
        dns_suffix: "c2s.ic.gov",
        regions: &["us-iso-east-1", "us-iso-west-1"],
    },
    PartitionDef {
        name: "aws-iso-b",
        dns_suffix: "sc2s.sgov.gov",
        regions: &["us-isob-east-1", "us-isob-west-1"],
    },
    PartitionDef {
        name: "aws-iso-e",
        dns_suffix: "cloud.adc-e.uk",
        regions: &["eu-isoe-west-1"],
    },
    PartitionDef {
        name: "aws-iso-f",
        dns_suffix: "csp.hci.ic.gov",
        regions: &["us-isof-east-1", "us-isof-south-1"],
    },
    PartitionDef {
        name: "aws-eusc",
        dns_suffix: "amazonaws.eu",
        regions: &["eusc-de-east-1"],
    },
];

/// The partition named `name` (exact, lower case).
pub fn partition(name: &str) -> Option<&'static PartitionDef> {
    PARTITIONS.iter().find(|p| p.name == name)
}

/// Whether `region` is a Region of any partition.
pub fn is_region(region: &str) -> bool {
    PARTITIONS.iter().any(|p| p.regions.contains(&region))
}

/// Whether `region` is a Region of the partition `partition` (unknown partition: any partition).
pub fn is_region_of(partition_name: &str, region: &str) -> bool {
    match partition(partition_name) {
        Some(p) => p.regions.contains(&region),
        None => is_region(region),
    }
}

/// Every Region of every partition.
pub fn all_regions() -> impl Iterator<Item = &'static str> {
    PARTITIONS.iter().flat_map(|p| p.regions.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_partitions() {
        assert!(is_region("us-east-1"));
        assert!(is_region_of("aws-cn", "cn-north-1"));
        assert!(!is_region_of("aws", "cn-north-1"));
        assert!(!is_region("us-east-7"));
        assert!(partition("aws-us-gov").is_some());
        for p in PARTITIONS {
            let mut sorted = p.regions.to_vec();
            sorted.sort_unstable();
            assert_eq!(sorted, p.regions, "{} regions sorted", p.name);
        }
    }
}
