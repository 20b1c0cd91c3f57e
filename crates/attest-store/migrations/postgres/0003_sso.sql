-- Single sign-on: which identity at which OpenID Connect provider is which account. An account
-- is linked the first time its owner signs in with a verified email that matches it; after that
-- the provider's stable subject identifier decides, even if the email changes there.

CREATE TABLE sso_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    linked_email TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX sso_identities_user ON sso_identities (user_id);
