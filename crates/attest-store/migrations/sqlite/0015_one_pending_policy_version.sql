-- At most one version of a policy in draft or approved at a time, whatever runs concurrently:
-- two pending versions could otherwise both be published, the older after the newer.
CREATE UNIQUE INDEX policy_versions_one_pending
    ON policy_versions (org_id, policy_id) WHERE state IN ('draft', 'approved');
