-- 002: rules the database keeps whatever order changes come in.

-- D27: a new mandate's updateTimestamp equals its created. Two
-- clock_timestamp() defaults could differ by a microsecond; the statement's
-- timestamp is one value for both.
ALTER TABLE direct_debit_mandate
    ALTER COLUMN created SET DEFAULT statement_timestamp(),
    ALTER COLUMN update_timestamp SET DEFAULT statement_timestamp();

-- #27: an address in NL has an NL postal code, also when a PATCH changes
-- only the country of an address abroad.
ALTER TABLE address
    ADD CONSTRAINT address_nl_postal_code
    CHECK (country <> 'NL' OR postal_code ~ '^[0-9]{4}[A-Z]{2}$');
