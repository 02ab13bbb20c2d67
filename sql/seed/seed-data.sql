-- seed-data.sql: appends :n realistic Dutch customers, set-based.
--
--   psql "<conninfo>" -X -q -v ON_ERROR_STOP=1 -v n=100000 -f sql/seed/seed-data.sql
--
-- Run by build/seed-data. Not a migration (build/migrate reads sql/NNN_*.sql
-- only): it leaves the schema as it found it; its helper functions live in
-- the session's pg_temp schema. One transaction: a failure adds nothing.
--
-- Every row is made by INSERT ... SELECT over generate_series, no row-by-row
-- loop. customer_number and debtor_number come from their sequences (the
-- same nextval calls the column defaults make), ids from the identity
-- columns, so POSTs through the API continue without collisions, and a
-- second run appends :n more customers.
--
-- Per customer: person fields (a Dutch first name, a common Dutch surname,
-- its tussenvoegsel as prefix for some), e-mail, date of birth, debtor
-- status; an open status instance (plus a closed older one for some); a
-- preference for most; 1-2 addresses with NL postal codes matching their
-- city; 1-2 phones; 0-2 OV-chipcards; 0-2 OV-pay tokens; 0-1 billing
-- information with a valid NL IBAN and 0-1 mandate on it; one audit row.

\set ON_ERROR_STOP on

-- A refusal is an error (so psql exits non-zero): a DO block that raises.
SELECT format('DO $d$BEGIN RAISE EXCEPTION %L; END$d$',
              'seed-data.sql: n must be a number from 1 to 9999999')
 WHERE :'n' !~ '^[1-9][0-9]{0,6}$' \gexec

SET client_min_messages = warning;

BEGIN;
-- A bulk load: losing the commit on a crash is fine.
SET LOCAL synchronous_commit = off;
SET LOCAL work_mem = '64MB';
SET LOCAL maintenance_work_mem = '256MB';

-- debtor_number_seq ends at 999999 (D16): refuse before using it up halfway.
SELECT s.max_value - coalesce(s.last_value, s.start_value - 1) AS debtor_numbers_left
  FROM pg_sequences s
 WHERE s.schemaname = current_schema() AND s.sequencename = 'debtor_number_seq' \gset
SELECT format('DO $d$BEGIN RAISE EXCEPTION %L; END$d$',
              format('seed-data.sql: only %s debtor numbers are left (the last is DB999999)',
                     :debtor_numbers_left))
 WHERE :debtor_numbers_left < :n \gexec

-- Bulk mode, as pg_restore does it: when the load at least adds a quarter
-- to what is there, drop the secondary indexes and the foreign keys of the
-- tables written, load, then re-create them from their saved definitions
-- (pg_get_indexdef / pg_get_constraintdef): building an index once and
-- checking a foreign key with one join is several times faster than
-- maintaining them row by row. All in this transaction, so the schema
-- others see never changes; they wait for the COMMIT instead (the DROPs take
-- ACCESS EXCLUSIVE locks). Primary keys and unique indexes stay and keep
-- checking. Needs the owner of the tables; otherwise rows are loaded into
-- the indexed tables as they are.
CREATE TEMP TABLE seed_tables ON COMMIT DROP AS
SELECT t::regclass AS rel
  FROM unnest(ARRAY['customer_profile', 'customer_status_instance', 'customer_preference',
                    'address', 'phone', 'ov_chipcard', 'ov_pay_token',
                    'billing_information', 'direct_debit_mandate', 'audit_trail']) AS t;
SELECT :n >= 1000
       AND :n * 4 >= (SELECT count(*) FROM customer_profile)
       AND NOT EXISTS (SELECT FROM seed_tables t JOIN pg_class c ON c.oid = t.rel
                        WHERE NOT pg_has_role(c.relowner, 'USAGE')) AS bulk \gset
CREATE TEMP TABLE seed_ddl ON COMMIT DROP AS
SELECT 1 AS step,
       format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname) AS drop_sql,
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname,
              pg_get_constraintdef(k.oid)) AS create_sql
  FROM pg_constraint k JOIN seed_tables t ON t.rel = k.conrelid
 WHERE k.contype = 'f'
UNION ALL
SELECT 0, format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN seed_tables t ON t.rel = i.indrelid
 WHERE NOT i.indisunique AND NOT i.indisprimary
   AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid);
\if :bulk
\warn 'seed-data.sql: bulk load (secondary indexes and foreign keys are rebuilt at the end)'
SELECT drop_sql FROM seed_ddl ORDER BY step DESC \gexec
\endif

-- IBAN of an NL bank code (4 letters) and a 10-digit account number. The
-- check digits (ISO 13616): move "NL00" behind the BBAN, spell letters as
-- 10..35 (N = 23, L = 21), then 98 - (that number mod 97).
CREATE FUNCTION pg_temp.seed_nl_iban(bank text, account text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    RETURN 'NL' || lpad((98 - ((ascii(substr(bank, 1, 1)) - 55)::text
                               || (ascii(substr(bank, 2, 1)) - 55)::text
                               || (ascii(substr(bank, 3, 1)) - 55)::text
                               || (ascii(substr(bank, 4, 1)) - 55)::text
                               || account || '232100')::numeric % 97)::text, 2, '0')
           || bank || account;

-- The word lists, as constants: an IMMUTABLE function of a constant is
-- folded into the plan once (an array read from a table would be
-- decompressed on every access). Surnames carry their tussenvoegsel
-- ("van den Berg"): the words before the last become the prefix.
CREATE FUNCTION pg_temp.seed_words(list text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT
    RETURN CASE list
        WHEN 'first_names' THEN ARRAY['Jan', 'Pieter', 'Kees', 'Henk', 'Willem', 'Johan',
            'Gerrit', 'Hendrik', 'Cornelis', 'Dirk', 'Bas', 'Thijs', 'Daan', 'Sem',
            'Lucas', 'Levi', 'Finn', 'Milan', 'Jesse', 'Bram', 'Ruben', 'Lars', 'Thomas',
            'Tim', 'Niels', 'Sander', 'Joost', 'Maarten', 'Erik', 'Frank', 'Mark',
            'Wouter', 'Jeroen', 'Stijn', 'Daniël', 'Noah', 'Sven', 'Koen', 'Rik', 'Teun',
            'Maria', 'Anna', 'Johanna', 'Cornelia', 'Elisabeth', 'Emma', 'Julia', 'Sophie',
            'Tess', 'Fleur', 'Sanne', 'Lotte', 'Anouk', 'Eva', 'Lisa', 'Femke', 'Iris',
            'Marieke', 'Ingrid', 'Annemiek', 'Petra', 'Monique', 'Linda', 'Saskia',
            'Esther', 'Judith', 'Noor', 'Zoë', 'Mila', 'Sara', 'Lieke', 'Roos', 'Floor',
            'Ilse', 'Wilma', 'Gerda', 'Hanneke', 'Renée', 'Chloë', 'Yara']
        WHEN 'surnames' THEN ARRAY['Jansen', 'de Jong', 'de Vries', 'van den Berg',
            'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer',
            'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen',
            'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer',
            'van der Linden', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van den Heuvel',
            'van der Veen', 'van den Broek', 'de Bruijn', 'de Bruin', 'van der Heijden',
            'Schouten', 'van Beek', 'Willems', 'van Vliet', 'van de Ven', 'Hoekstra',
            'Maas', 'Verhoeven', 'Koster', 'van Dam', 'van der Wal', 'Prins', 'Blom',
            'Huisman', 'Peeters', 'de Jonge', 'Kuipers', 'van Wijk', 'Post', 'Kuiper',
            'Veenstra', 'Kramer', 'van den Brink', 'Scholten', 'van Wijngaarden',
            'Martens', 'Vink', 'de Ruiter', 'van der Laan', 'Timmermans', 'Groen',
            'Gerritsen', 'Jonker', 'van Loon', 'Boer', 'van der Velde', 'Willemsen',
            'Smeets', 'de Lange', 'de Vos', 'Bosch', 'van Dongen', 'Schipper', 'de Koning',
            'van der Zande', 'Meijers', 'Hermans', 'Evers', 'Wouters', 'Valen', 'van Rijn',
            'ter Horst', 'in ''t Veld']
        WHEN 'suffixes' THEN ARRAY['jr', 'sr', 'MSc', 'PhD', 'BSc', 'MBA']
        WHEN 'mail_domains' THEN ARRAY['gmail.com', 'hotmail.com', 'outlook.com',
            'ziggo.nl', 'kpnmail.nl', 'xs4all.nl', 'planet.nl', 'live.nl', 'icloud.com',
            'hetnet.nl']
        WHEN 'streets' THEN ARRAY['Dorpsstraat', 'Kerkstraat', 'Schoolstraat', 'Molenweg',
            'Stationsweg', 'Julianastraat', 'Beatrixlaan', 'Wilhelminastraat',
            'Hoofdstraat', 'Laan van Meerdervoort', 'Nieuwstraat', 'Marktstraat',
            'Kastanjelaan', 'Eikenlaan', 'Lindenlaan', 'Beukenlaan', 'Parallelweg',
            'Industrieweg', 'Sportlaan', 'Emmastraat', 'Oranjestraat', 'Prinsengracht',
            'Herengracht', 'Keizersgracht', 'Beeklaan', 'Burgemeester de Withstraat',
            'Kanaalweg', 'Irisstraat', 'Rozenstraat', 'Tulpstraat', 'Merelstraat',
            'Vondelstraat', 'Rembrandtlaan', 'Van Goghstraat', 'Prins Hendrikkade',
            'Zeeweg', 'Torenstraat', 'Veldweg', 'Populierenlaan', 'Hofstraat']
        -- a city and (same index) the first and last four-digit postal code area
        WHEN 'cities' THEN ARRAY['Amsterdam', 'Rotterdam', 'Den Haag', 'Utrecht',
            'Eindhoven', 'Groningen', 'Tilburg', 'Almere', 'Breda', 'Nijmegen',
            'Apeldoorn', 'Haarlem', 'Arnhem', 'Enschede', 'Amersfoort', 'Zaandam',
            '''s-Hertogenbosch', 'Zwolle', 'Leiden', 'Maastricht', 'Dordrecht',
            'Zoetermeer', 'Delft', 'Leeuwarden', 'Alkmaar', 'Den Bosch', 'Gouda',
            'Hilversum', 'Deventer', 'Venlo']
        WHEN 'pc_from' THEN ARRAY['1011', '3011', '2491', '3511', '5611', '9711', '5011',
            '1311', '4811', '6511', '7311', '2011', '6811', '7511', '3811', '1501', '5211',
            '8011', '2311', '6211', '3311', '2711', '2611', '8911', '1811', '5211', '2801',
            '1211', '7411', '5911']
        WHEN 'pc_to' THEN ARRAY['1109', '3089', '2599', '3585', '5658', '9747', '5049',
            '1363', '4841', '6546', '7339', '2037', '6846', '7548', '3829', '1509', '5237',
            '8043', '2334', '6229', '3329', '2729', '2629', '8939', '1829', '5237', '2809',
            '1223', '7429', '5929']
        -- area codes of landlines (the leading 0 is the trunk prefix, not stored)
        WHEN 'area_codes' THEN ARRAY['20', '10', '70', '30', '40', '50', '13', '36', '76',
            '24', '55', '23', '26', '53', '33', '75', '73', '38', '71', '43', '78', '79',
            '15', '58', '72']
        -- letters of the last two postal code positions (no S: SA, SD, SS are not used)
        WHEN 'pc_letters' THEN ARRAY['A', 'B', 'C', 'D', 'E', 'G', 'H', 'J', 'K', 'L', 'M',
            'N', 'P', 'R', 'T', 'V', 'W', 'X', 'Z']
        WHEN 'banks' THEN ARRAY['INGB', 'RABO', 'ABNA', 'SNSB', 'TRIO', 'ASNB', 'KNAB',
            'BUNQ']
        WHEN 'bics' THEN ARRAY['INGBNL2A', 'RABONL2U', 'ABNANL2A', 'SNSBNL2A', 'TRIONL2U',
            'ASNBNL21', 'KNABNL2H', 'BUNQNL2A']
        WHEN 'house_number_suffixes' THEN ARRAY['A', 'B', 'C', 'bis', '1', '2', 'hs', 'II']
        WHEN 'chipcard_aliases' THEN ARRAY['Mijn chipkaart', 'Werk', 'Zoon 1 chipkaart',
            'Dochter chipkaart', 'Reserve', NULL, NULL, NULL]
        WHEN 'emv_aliases' THEN ARRAY['Mijn Rabo Pas', 'ING pas mobiel', 'Creditcard',
            'Betaalpas', NULL, NULL]
        WHEN 'ovpas_aliases' THEN ARRAY['Mijn OV Pas', 'OV-pas werk', NULL]
        WHEN 'billing_aliases' THEN ARRAY['Mijn rekening', 'Betaalrekening',
            'Gezamenlijke rekening', NULL, NULL]
    END;

-- A random element of a word list (a list with NULLs: often none). Not
-- STRICT, so that it is inlined and the list folds to a constant.
CREATE FUNCTION pg_temp.seed_pick(list text) RETURNS text
    LANGUAGE sql VOLATILE
    RETURN (pg_temp.seed_words(list))
               [1 + floor(random() * cardinality(pg_temp.seed_words(list)))::int];

-- One row per new customer with every random choice made once. The numbers
-- are taken here, in generate_series order, from the sequences the column
-- defaults use.
CREATE TEMP TABLE seed_src ON COMMIT DROP AS
SELECT g,
       nextval('customer_number_seq') AS customer_number,
       'DB' || lpad(nextval('debtor_number_seq')::text, 6, '0') AS debtor_number,
       pg_temp.seed_pick('first_names') AS fn,
       pg_temp.seed_pick('surnames') AS sn,
       CASE WHEN random() < 0.03 THEN pg_temp.seed_pick('suffixes') END AS sfx,
       pg_temp.seed_pick('mail_domains') AS dom,
       floor(random() * 1000)::int AS mail_n,
       1 + floor(random() * cardinality(pg_temp.seed_words('cities')))::int AS city_i,
       CASE WHEN random() < 0.8 THEN 2 ELSE 1 END AS debtor_status_id,
       CASE WHEN random() < 0.3
            THEN 'CST' || lpad((g % 1000000)::text, 6, '0') END AS vas,
       CASE WHEN random() < 0.7
            THEN now() - random() * interval '730 days' END AS last_login,
       date '1935-01-01' + floor(random() * 28000)::int AS date_of_birth,
       now() - interval '1 day' - random() * interval '2920 days' AS created,
       random() AS r_status, random() AS r_closed, random() AS r_pref,
       random() AS r_addr, random() AS r_phone, random() AS r_chip,
       random() AS r_token, random() AS r_billing, random() AS r_mandate
  FROM generate_series(1, :n) AS g
 ORDER BY g;

CREATE TEMP TABLE seed_c (
    customer_profile_id bigint PRIMARY KEY,
    customer_number     bigint NOT NULL
) ON COMMIT DROP;

-- customer_profile, the person inline: the prefix is the tussenvoegsel of
-- the surname list entry ("van der" of "van der Meer"), the e-mail made of
-- the names without accents, spaces and apostrophes.
WITH ins AS (
    INSERT INTO customer_profile
           (customer_number, debtor_number, debtor_status_id, vas_customer_number,
            last_login, birthname, surname, prefix, suffix, date_of_birth,
            email_address, created)
    SELECT s.customer_number, s.debtor_number, s.debtor_status_id, s.vas,
           s.last_login, s.fn, substring(s.sn FROM '([^ ]+)$'),
           substring(s.sn FROM '^(.+) [^ ]+$'), s.sfx, s.date_of_birth,
           lower(translate(s.fn, 'ëéèïöü', 'eeeiou')) || '.'
               || lower(translate(s.sn, 'ëéèïöü'' ', 'eeeiou'))
               || CASE WHEN s.mail_n < 600 THEN s.mail_n::text ELSE '' END
               || '@' || s.dom,
           s.created
      FROM seed_src s
     ORDER BY s.g
    RETURNING customer_profile_id, customer_number)
INSERT INTO seed_c SELECT customer_profile_id, customer_number FROM ins;

-- seed: the new customers' ids with their choices, and the open status.
CREATE TEMP TABLE seed ON COMMIT DROP AS
SELECT c.customer_profile_id, s.*,
       s.r_closed < 0.25 AS has_closed,
       CASE WHEN s.r_closed < 0.25
            THEN s.created + (now() - s.created) * (0.5 + s.r_closed)
            ELSE s.created END AS open_from,
       CASE WHEN s.r_status < 0.85 THEN 2 WHEN s.r_status < 0.90 THEN 1
            WHEN s.r_status < 0.94 THEN 3 WHEN s.r_status < 0.98 THEN 4 ELSE 5 END
           AS open_status
  FROM seed_c c JOIN seed_src s USING (customer_number)
 ORDER BY c.customer_profile_id;
ANALYZE seed;

-- Status instances: the open one, and for a quarter a closed older one
-- before it. Open: Active 85 %, Inactive 5 %, Blocked 4 %, Frozen 4 %,
-- Cleaned 2 %. The closed one is Active, or Inactive before a reactivation.
INSERT INTO customer_status_instance
       (customer_profile_id, customer_status_id, from_inclusive, to_inclusive)
SELECT customer_profile_id, status, from_inclusive, to_inclusive
  FROM (SELECT customer_profile_id, CASE WHEN open_status = 2 THEN 1 ELSE 2 END AS status,
               created AS from_inclusive, open_from - interval '1 millisecond' AS to_inclusive
          FROM seed WHERE has_closed
        UNION ALL
        SELECT customer_profile_id, open_status, open_from, NULL
          FROM seed) AS x
 ORDER BY customer_profile_id, from_inclusive;

-- Preference (Dutch, the one language) for 90 %.
INSERT INTO customer_preference (customer_profile_id, language_id)
SELECT customer_profile_id, 1 FROM seed WHERE r_pref < 0.9;

-- Addresses: 1 (70 %) or 2. The first is the preferred shipping address,
-- the second a billing address in the same city. Postal codes fall in the
-- city's range.
INSERT INTO address (customer_profile_id, address_type_id, street, house_number,
                     house_number_suffix, postal_code, city, country, is_preferred)
SELECT s.customer_profile_id, k, pg_temp.seed_pick('streets'),
       1 + floor(random() * random() * 250)::int,
       CASE WHEN random() < 0.12 THEN pg_temp.seed_pick('house_number_suffixes') END,
       (pc_from + floor(random() * (pc_to - pc_from + 1))::int)::text
           || pg_temp.seed_pick('pc_letters') || pg_temp.seed_pick('pc_letters'),
       (pg_temp.seed_words('cities'))[s.city_i], 'NL', k = 1
  FROM seed s
       CROSS JOIN LATERAL (SELECT (pg_temp.seed_words('pc_from'))[s.city_i]::int AS pc_from,
                                  (pg_temp.seed_words('pc_to'))[s.city_i]::int AS pc_to) AS pc
       CROSS JOIN LATERAL generate_series(1, CASE WHEN s.r_addr < 0.7 THEN 1 ELSE 2 END) AS k
 ORDER BY s.customer_profile_id, k;

-- Phones: a mobile (preferred, type Home) for all, a landline (type Work)
-- for 40 %. Digit strings without the trunk 0, country code "+31".
INSERT INTO phone (customer_profile_id, phone_type_id, number, country_code, is_preferred)
SELECT s.customer_profile_id, k,
       CASE WHEN k = 1
            THEN '6' || lpad(floor(random() * 100000000)::int::text, 8, '0')
            ELSE pg_temp.seed_pick('area_codes')
                 || lpad(floor(random() * 10000000)::int::text, 7, '0') END,
       '+31', k = 1
  FROM seed s
       CROSS JOIN LATERAL generate_series(1, CASE WHEN s.r_phone < 0.6 THEN 1 ELSE 2 END) AS k
 ORDER BY s.customer_profile_id, k;

-- OV-chipcards: none for 40 %, one for 40 %, two for 20 %.
INSERT INTO ov_chipcard (customer_profile_id, chip_card_number, valid_until, alias)
SELECT s.customer_profile_id,
       '3528' || lpad(floor(random() * 1000000000000)::bigint::text, 12, '0'),
       current_date - 365 + floor(random() * 5 * 365)::int,
       pg_temp.seed_pick('chipcard_aliases')
  FROM seed s
       CROSS JOIN LATERAL generate_series(1, CASE WHEN s.r_chip < 0.4 THEN 0
                                                  WHEN s.r_chip < 0.8 THEN 1 ELSE 2 END) AS k
 ORDER BY s.customer_profile_id, k;

-- OV-pay tokens: none for 35 %, one for 45 %, two for 20 %. Types and
-- statuses are ids of token_type and token_status; EMV bank cards have no
-- OV-pas number.
INSERT INTO ov_pay_token (customer_profile_id, token_type_id, x_tat, x_bot, alias,
                          last_digits, ovpas_number, token_status_id, expiration_date)
SELECT customer_profile_id, token_type_id, gen_random_uuid(), gen_random_uuid(),
       CASE WHEN token_type_id = 1 THEN pg_temp.seed_pick('emv_aliases')
            ELSE pg_temp.seed_pick('ovpas_aliases') END,
       lpad(floor(random() * 10000)::int::text, 4, '0'),
       CASE WHEN token_type_id <> 1
            THEN 'OV' || lpad(floor(random() * 100000)::int::text, 5, '0') END,
       CASE WHEN r < 0.75 THEN 2 WHEN r < 0.82 THEN 7 WHEN r < 0.88 THEN 3
            WHEN r < 0.93 THEN 1 WHEN r < 0.97 THEN 5 WHEN r < 0.99 THEN 6 ELSE 4 END,
       date_trunc('second', now() - interval '1 year' + random() * interval '6 years')
  FROM (SELECT s.customer_profile_id, k, random() AS r,
               CASE WHEN random() < 0.6 THEN 1 WHEN random() < 0.6 THEN 2 ELSE 3 END
                   AS token_type_id
          FROM seed s
               CROSS JOIN LATERAL generate_series(1, CASE WHEN s.r_token < 0.35 THEN 0
                                                          WHEN s.r_token < 0.8 THEN 1
                                                          ELSE 2 END) AS k) AS x
 ORDER BY customer_profile_id, k;

-- A Replaced token points at the customer's later token, when there is one.
UPDATE ov_pay_token t
   SET replaced_by_token_id = o.ov_pay_token_id
  FROM seed s, ov_pay_token o
 WHERE t.customer_profile_id = s.customer_profile_id
   AND o.customer_profile_id = s.customer_profile_id
   AND o.ov_pay_token_id > t.ov_pay_token_id
   AND t.token_status_id = 3
   AND s.r_token >= 0.8;

-- Billing information for 60 %: a valid NL IBAN, the bank's BIC for most;
-- a mandate on 60 % of those.
CREATE TEMP TABLE seed_b (
    billing_information_id bigint PRIMARY KEY,
    customer_profile_id    bigint NOT NULL,
    created                timestamptz NOT NULL
) ON COMMIT DROP;

WITH ins AS (
    INSERT INTO billing_information (customer_profile_id, iban, bic, ascription, alias, created)
    SELECT s.customer_profile_id,
           pg_temp.seed_nl_iban((pg_temp.seed_words('banks'))[bank_i],
                                lpad(floor(random() * 10000000000)::bigint::text, 10, '0')),
           CASE WHEN random() < 0.8 THEN (pg_temp.seed_words('bics'))[bank_i] END,
           left(s.fn, 1) || '. ' || s.sn,
           pg_temp.seed_pick('billing_aliases'),
           s.created + (now() - s.created) * random()
      FROM (SELECT seed.*,
                   1 + floor(random() * cardinality(pg_temp.seed_words('banks')))::int AS bank_i
              FROM seed WHERE r_billing < 0.6) AS s
     ORDER BY s.customer_profile_id
    RETURNING billing_information_id, customer_profile_id, created)
INSERT INTO seed_b SELECT billing_information_id, customer_profile_id, created FROM ins;

INSERT INTO direct_debit_mandate (billing_information_id, direct_debit_mandate_type_id,
                                  mandate_reference, mandate_state, created, update_timestamp)
SELECT b.billing_information_id, 1 + floor(random() * 5)::int,
       'HTM-' || to_char(b.created, 'YYYY') || '-' || lpad(b.billing_information_id::text, 8, '0'),
       CASE WHEN r < 0.7 THEN 'SIGNED' WHEN r < 0.9 THEN 'PREPARED' ELSE 'CANCELLED' END,
       b.created, b.created + (now() - b.created) * r
  FROM (SELECT seed_b.*, random() AS r FROM seed_b) AS b
  JOIN seed s USING (customer_profile_id)
 WHERE s.r_mandate < 0.6
 ORDER BY b.billing_information_id;

-- The audit trail records each customer's creation.
INSERT INTO audit_trail (customer_profile_id, action, "user", "timestamp", correlation_id)
SELECT customer_profile_id, 'insert', 'seed-data', created, gen_random_uuid()
  FROM seed
 ORDER BY customer_profile_id;

\if :bulk
SELECT create_sql FROM seed_ddl ORDER BY step \gexec
\endif

SELECT count(*) AS customers_added FROM seed_c \gset
COMMIT;

ANALYZE customer_profile, customer_status_instance, customer_preference, address, phone,
        ov_chipcard, ov_pay_token, billing_information, direct_debit_mandate, audit_trail;

\warn 'seed-data.sql: added' :customers_added 'customers'
